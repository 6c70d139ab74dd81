#pragma once

#include "models/diagnostic.h"
#include "models/validator.h"
#include "models/workspacesnapshot.h"

#include <QByteArray>
#include <QHash>
#include <QString>
#include <QStringList>

// Validation entry points the window calls from worker threads (all functions are thread-safe
// and blocking). Adapts the models' Validator to what the editors and the Problems panel need;
// the workspace snapshot supplies the cross-file facts (endpoint names, deployments).
class ValidationService
{
public:
    // The cross-file facts of a snapshot: endpoint names, each endpoint's deployments, and
    // the endpoint the tree lists each deployment file under.
    static ValidationContext context(const WorkspaceSnapshot &workspace);
    // One file's text as the editor holds it.
    static Diagnostics validateText(const QString &path, const QByteArray &text,
                                    const WorkspaceSnapshot &workspace = {});
    // Every YAML file of the workspace, read from disk unless its text is in `openTexts`; keys
    // are the file paths.
    static QHash<QString, Diagnostics>
    validateWorkspace(const WorkspaceSnapshot &workspace,
                      const QHash<QString, QByteArray> &openTexts);
};
