#pragma once

#include "app/runtime/deploymentplan.h"

#include <QList>
#include <QString>
#include <QStringList>

// What a deploy would copy from the host that the user has to confirm first: a source (model,
// code, build context, conda file) in or around a place that holds secrets (~/.ssh, ~/.azure,
// ~/.config, /etc, /, the studio's data folder), or a symbolic link inside a source folder that
// leads out of it. Paths that merely leave the workspace are normal (Azure's samples use
// ../../model-1/…) and are not concerns; the Status tab shows where they resolve.
class SourceCheck
{
public:
    struct Concern
    {
        QString field;  // model.path, code_configuration.code, environment.build.path, …
        QString path;   // the source, or the link inside it
        QString reason; // "is inside ~/.ssh", "a symbolic link leading out of it to /etc/x"
    };

    // `home`: the user's home folder (QDir::homePath() by default).
    static QList<Concern> inspect(const DeploymentPlan &plan, const QString &dataDir,
                                  const QString &home = {});
    // The places inspect() treats as sensitive, resolved.
    static QStringList sensitivePlaces(const QString &dataDir, const QString &home = {});
    // One message naming each concern and how to go on (`confirmHint`: the flag, the dialog).
    static QString message(const DeploymentPlan &plan, const QList<Concern> &concerns,
                           const QString &confirmHint);
};
