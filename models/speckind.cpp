#include "models/speckind.h"

#include "models/yamldocument.h"

#include <QFileInfo>

SpecKind detectSpecKind(const YamlDocument &document)
{
    const YamlNode &root = document.root();
    if (!root.isMap())
        return SpecKind::NotAzureMl;
    const QString schema = document.value(QStringLiteral("$schema")).toLower();
    if (schema.contains(u"onlineendpoint"))
        return SpecKind::Endpoint;
    if (schema.contains(u"kubernetesonlinedeployment"))
        return SpecKind::KubernetesDeployment;
    if (schema.contains(u"managedonlinedeployment"))
        return SpecKind::ManagedDeployment;

    const bool kubernetesType =
        document.value(QStringLiteral("type")).compare(u"kubernetes", Qt::CaseInsensitive) == 0;
    if (root.child(QStringLiteral("endpoint_name")))
        return kubernetesType ? SpecKind::KubernetesDeployment : SpecKind::ManagedDeployment;
    static const QStringList endpointKeys = {
        QStringLiteral("auth_mode"),      QStringLiteral("traffic"),
        QStringLiteral("mirror_traffic"), QStringLiteral("public_network_access"),
        QStringLiteral("compute"),        QStringLiteral("identity")};
    static const QStringList deploymentKeys = {QStringLiteral("model"),
                                               QStringLiteral("code_configuration"),
                                               QStringLiteral("environment"),
                                               QStringLiteral("instance_type"),
                                               QStringLiteral("instance_count"),
                                               QStringLiteral("scale_settings"),
                                               QStringLiteral("request_settings"),
                                               QStringLiteral("liveness_probe"),
                                               QStringLiteral("readiness_probe")};
    int endpointHits = 0;
    int deploymentHits = 0;
    for (const QString &key : root.keys()) {
        endpointHits += endpointKeys.contains(key) ? 1 : 0;
        deploymentHits += deploymentKeys.contains(key) ? 1 : 0;
    }
    if (deploymentHits >= 2 && deploymentHits > endpointHits)
        return kubernetesType ? SpecKind::KubernetesDeployment : SpecKind::ManagedDeployment;
    if (endpointHits >= 1 && root.child(QStringLiteral("name")))
        return SpecKind::Endpoint;
    // `name` alone in a file called *endpoint*.yml is an endpoint with every default.
    const QString base = QFileInfo(document.filePath()).completeBaseName().toLower();
    if (root.child(QStringLiteral("name")) && base.contains(u"endpoint") && deploymentHits == 0)
        return SpecKind::Endpoint;
    return SpecKind::NotAzureMl;
}

QString specKindName(SpecKind kind)
{
    switch (kind) {
    case SpecKind::Endpoint:
        return QStringLiteral("endpoint");
    case SpecKind::ManagedDeployment:
        return QStringLiteral("managed deployment");
    case SpecKind::KubernetesDeployment:
        return QStringLiteral("Kubernetes deployment");
    case SpecKind::NotAzureMl:
        break;
    }
    return QStringLiteral("not an Azure ML file");
}
