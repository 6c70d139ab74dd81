#pragma once

#include "models/result.h"
#include "models/yamldocument.h"

#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

// The command line's changes to a YAML file (`--set path=value`, `--name`, `--endpoint-name`),
// applied to the document in memory through YamlDocument's edits: the user's file is never
// written.
class SpecEdits
{
public:
    struct Edit
    {
        QStringList path; // "a.b[0].c" -> {a, b, 0, c}
        QString value;
        bool remove = false; // `path=null`
    };

    // "instance_count=2", "environment_variables.MODE=fast", "description=null".
    static Result<Edit> parseSet(const QString &argument);
    static Result<QList<Edit>> parseSets(const QStringList &arguments);

    // The YAML file, parsed; errors name the file and the first problem.
    static Result<YamlDocument> load(const QString &path);
    // A document that exists only in memory (e.g. an endpoint created from --name alone).
    static YamlDocument fromText(const QString &pathForMessages, const QByteArray &text);

    // Applies the edits in order; fails on the first that cannot be made.
    static Result<YamlDocument> apply(YamlDocument document, const QList<Edit> &edits);
};
