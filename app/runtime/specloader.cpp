#include "app/runtime/specloader.h"

#include <QFileInfo>

#include "models/yamldocument.h"

namespace {

template<typename Spec>
Result<Spec> load(const QString &path)
{
    const QString absolute = QFileInfo(path).absoluteFilePath();
    if (!QFileInfo(absolute).isFile())
        return Result<Spec>::failure(QStringLiteral("%1: no such file").arg(path));
    const YamlDocument document = YamlDocument::load(absolute);
    for (const Diagnostic &diagnostic : document.diagnostics())
        if (diagnostic.severity == Severity::Error)
            return Result<Spec>::failure(diagnostic.toString(), diagnostic.location);
    Spec spec = Spec::fromDocument(document);
    spec.filePath = absolute;
    return spec;
}

} // namespace

Result<EndpointSpec> SpecLoader::loadEndpoint(const QString &path)
{
    return load<EndpointSpec>(path);
}

Result<DeploymentSpec> SpecLoader::loadDeployment(const QString &path)
{
    return load<DeploymentSpec>(path);
}
