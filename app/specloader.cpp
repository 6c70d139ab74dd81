#include "app/specloader.h"

#include <QFileInfo>

#if STUDIO_HAVE_YAMLDOCUMENT
#include "models/yamldocument.h"
#endif

namespace {

#if STUDIO_HAVE_YAMLDOCUMENT
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
#else
template<typename Spec>
Result<Spec> load(const QString &path)
{
    return Result<Spec>::failure(
        QStringLiteral("%1: this build cannot read YAML files yet (models/yamldocument.cpp is "
                       "missing)")
            .arg(path));
}
#endif

} // namespace

Result<EndpointSpec> SpecLoader::loadEndpoint(const QString &path)
{
    return load<EndpointSpec>(path);
}

Result<DeploymentSpec> SpecLoader::loadDeployment(const QString &path)
{
    return load<DeploymentSpec>(path);
}
