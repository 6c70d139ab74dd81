#include "ui/validationservice.h"

#ifdef STUDIO_HAVE_VALIDATOR
#include "models/validator.h"
#include "models/yamldocument.h"
#elif defined(STUDIO_HAVE_YAMLEDITOR)
#include "widgets/editormodel.h"
#endif

#include <QFile>

#include <yaml-cpp/yaml.h>

namespace {

#ifdef STUDIO_HAVE_VALIDATOR
ValidationContext contextOf(const WorkspaceSnapshot &workspace)
{
    ValidationContext context;
    context.hasWorkspace = !workspace.folder.isEmpty();
    for (const auto &endpoint : workspace.endpoints) {
        // Endpoints only named by deployments (no YAML here) are not defined in the workspace.
        if (!endpoint.filePath.isEmpty())
            context.endpointNames.insert(endpoint.name);
        QSet<QString> &deployments = context.deploymentsByEndpoint[endpoint.name];
        for (const auto &deployment : endpoint.deployments)
            deployments.insert(deployment.name);
    }
    return context;
}
#endif

} // namespace

Diagnostics ValidationService::validateText(const QString &path, const QByteArray &text,
                                            const WorkspaceSnapshot &workspace)
{
#ifdef STUDIO_HAVE_VALIDATOR
    return Validator::validate(YamlDocument::parse(path, text), contextOf(workspace),
                               Validator::Options{});
#elif defined(STUDIO_HAVE_YAMLEDITOR)
    Q_UNUSED(workspace)
    return EditorModel::validate(path, text);
#else
    Q_UNUSED(workspace)
    Diagnostics diagnostics;
    try {
        YAML::Load(text.toStdString());
    } catch (const YAML::ParserException &error) {
        Diagnostic diagnostic;
        diagnostic.code = QStringLiteral("yaml-syntax");
        diagnostic.message = QString::fromStdString(error.msg);
        diagnostic.location.file = path;
        diagnostic.location.line = error.mark.line + 1;
        diagnostic.location.column = error.mark.column + 1;
        diagnostics << diagnostic;
    }
    return diagnostics;
#endif
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
