#include "models/validationservice.h"

#include "models/validator.h"
#include "models/yamldocument.h"

#include <QFile>

// The workspace's cross-file facts, read once by the loader (Workspace::validationContext).
ValidationContext ValidationService::context(const WorkspaceSnapshot &workspace)
{
    return workspace.validation;
}

Diagnostics ValidationService::validateText(const QString &path, const QByteArray &text,
                                            const WorkspaceSnapshot &workspace)
{
    return Validator::validate(YamlDocument::parse(path, text), workspace.validation,
                               Validator::Options{});
}

QHash<QString, Diagnostics>
ValidationService::validateWorkspace(const WorkspaceSnapshot &workspace,
                                     const QHash<QString, QByteArray> &openTexts)
{
    QHash<QString, Diagnostics> result;
    for (const QString &path : workspace.yamlFiles) {
        QByteArray text = openTexts.value(path);
        if (!openTexts.contains(path)) {
            QFile file(path);
            if (file.open(QIODevice::ReadOnly))
                text = file.readAll();
        }
        result.insert(path, validateText(path, text, workspace));
    }
    return result;
}
