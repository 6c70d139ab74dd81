#include "models/validationservice.h"

#include "models/validator.h"
#include "models/yamldocument.h"

#include <QFile>

ValidationContext ValidationService::context(const WorkspaceSnapshot &workspace)
{
    ValidationContext context;
    context.hasWorkspace = !workspace.folder.isEmpty();
    for (const auto &endpoint : workspace.endpoints) {
        // Endpoints only named by deployments (no YAML here) are not defined in the workspace.
        if (!endpoint.filePath.isEmpty())
            context.endpointNames.insert(endpoint.name);
        QSet<QString> &deployments = context.deploymentsByEndpoint[endpoint.name];
        for (const auto &deployment : endpoint.deployments) {
            deployments.insert(deployment.name);
            // The tree lists it under this endpoint: that is where it deploys.
            context.endpointOfFile.insert(deployment.filePath, endpoint.name);
        }
    }
    return context;
}

Diagnostics ValidationService::validateText(const QString &path, const QByteArray &text,
                                            const WorkspaceSnapshot &workspace)
{
    return Validator::validate(YamlDocument::parse(path, text), context(workspace),
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
