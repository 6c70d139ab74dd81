#include "models/deploymentspec.h"

#include "models/fieldcoercion.h"
#include "models/speckind.h"
#include "models/yamldocument.h"

#include <QDir>
#include <QFileInfo>

namespace {

QString scalarText(const YamlNode *node)
{
    return node && node->isScalar() && !node->isNullValue() ? node->scalar : QString();
}

void readInt(const YamlNode *map, const char *key, int &out)
{
    if (!map)
        return;
    // As Azure's fields.Int reads it: "5000" is 5000, 1.5 is 1.
    if (const YamlNode *n = map->child(QLatin1String(key))) {
        if (const auto v = FieldCoercion::toInt(*n);
            v && v->value >= INT_MIN && v->value <= INT_MAX)
            out = int(v->value);
    }
}

ProbeSettings readProbe(const YamlNode *node)
{
    ProbeSettings probe;
    readInt(node, "initial_delay", probe.initialDelay);
    readInt(node, "period", probe.period);
    readInt(node, "timeout", probe.timeout);
    readInt(node, "success_threshold", probe.successThreshold);
    readInt(node, "failure_threshold", probe.failureThreshold);
    return probe;
}

Route readRoute(const YamlNode *node)
{
    Route route;
    if (!node)
        return route;
    readInt(node, "port", route.port);
    route.path = scalarText(node->child(QStringLiteral("path")));
    return route;
}

} // namespace

QString DeploymentSpec::resolvePath(const QString &relative) const
{
    if (relative.isEmpty())
        return {};
    if (QDir::isAbsolutePath(relative))
        return QDir::cleanPath(relative);
    const QString base =
        filePath.isEmpty() ? QDir::currentPath() : QFileInfo(filePath).absolutePath();
    return QDir::cleanPath(base + u'/' + relative);
}

bool DeploymentSpec::hasMlflowModel() const
{
    if (!model)
        return false;
    if (model->type.toLower() == u"mlflow_model")
        return true;
    if (model->isReference() || model->path.isEmpty())
        return false;
    const QFileInfo info(resolvePath(model->path));
    return info.isDir() ? QFileInfo(info.absoluteFilePath() + QStringLiteral("/MLmodel")).isFile()
                        : info.fileName() == u"MLmodel";
}

DeploymentSpec DeploymentSpec::fromDocument(const YamlDocument &document)
{
    DeploymentSpec spec;
    spec.filePath = document.filePath().isEmpty()
                        ? QString()
                        : QFileInfo(document.filePath()).absoluteFilePath();
    spec.sourceText = document.text();
    const YamlNode &root = document.root();
    auto child = [&](const char *key) {
        return root.child(QLatin1String(key));
    };
    auto text = [&](const char *key) {
        return scalarText(child(key));
    };

    spec.schema = text("$schema");
    spec.kubernetes = detectSpecKind(document) == SpecKind::KubernetesDeployment;
    spec.name = text("name");
    spec.endpointName = text("endpoint_name");
    spec.description = text("description");
    if (const YamlNode *n = child("tags"))
        spec.tags = n->toStringMap();
    if (const YamlNode *n = child("properties"))
        spec.properties = n->toStringMap();

    if (const YamlNode *model = child("model"); model && !model->isNullValue()) {
        ModelSpec m;
        if (model->isScalar()) {
            m.reference = model->scalar;
        } else if (model->isMap()) {
            m.path = scalarText(model->child(QStringLiteral("path")));
            m.name = scalarText(model->child(QStringLiteral("name")));
            m.version = scalarText(model->child(QStringLiteral("version")));
            if (const QString type = scalarText(model->child(QStringLiteral("type")));
                !type.isEmpty())
                m.type = type;
            m.description = scalarText(model->child(QStringLiteral("description")));
            if (const YamlNode *tags = model->child(QStringLiteral("tags")))
                m.tags = tags->toStringMap();
        }
        spec.model = m;
    }
    spec.modelMountPath = text("model_mount_path");

    if (const YamlNode *code = child("code_configuration"); code && code->isMap()) {
        CodeConfiguration c;
        c.code = scalarText(code->child(QStringLiteral("code")));
        c.scoringScript = scalarText(code->child(QStringLiteral("scoring_script")));
        spec.codeConfiguration = c;
    }

    if (const YamlNode *env = child("environment"); env && !env->isNullValue()) {
        EnvironmentSpec e;
        if (env->isScalar()) {
            e.reference = env->scalar;
        } else if (env->isMap()) {
            e.image = scalarText(env->child(QStringLiteral("image")));
            if (const YamlNode *conda = env->child(QStringLiteral("conda_file"))) {
                if (conda->isMap())
                    e.condaInline = conda->toVariant().toMap();
                else
                    e.condaFile = scalarText(conda);
            }
            if (const YamlNode *build = env->child(QStringLiteral("build")); build) {
                if (build->isMap()) {
                    e.buildPath = scalarText(build->child(QStringLiteral("path")));
                    if (const QString df =
                            scalarText(build->child(QStringLiteral("dockerfile_path")));
                        !df.isEmpty())
                        e.dockerfilePath = df;
                } else {
                    e.buildPath = scalarText(build);
                }
            }
            if (const YamlNode *ic = env->child(QStringLiteral("inference_config"));
                ic && ic->isMap()) {
                InferenceConfig config;
                config.liveness = readRoute(ic->child(QStringLiteral("liveness_route")));
                config.readiness = readRoute(ic->child(QStringLiteral("readiness_route")));
                config.scoring = readRoute(ic->child(QStringLiteral("scoring_route")));
                e.inferenceConfig = config;
            }
            if (const QString os = scalarText(env->child(QStringLiteral("os_type"))); !os.isEmpty())
                e.osType = os.toLower();
            e.name = scalarText(env->child(QStringLiteral("name")));
            e.version = scalarText(env->child(QStringLiteral("version")));
            e.description = scalarText(env->child(QStringLiteral("description")));
        }
        spec.environment = e;
    }
    if (const YamlNode *n = child("environment_variables"))
        spec.environmentVariables = n->toStringMap();

    spec.instanceType = text("instance_type");
    readInt(&root, "instance_count", spec.instanceCount);
    if (const YamlNode *n = child("app_insights_enabled")) {
        if (const auto b = FieldCoercion::toBool(*n))
            spec.appInsightsEnabled = b->value;
    }
    if (const QString egress = text("egress_public_network_access"); !egress.isEmpty())
        spec.egressPublicNetworkAccess = egress.toLower();
    if (const YamlNode *n = child("private_network_connection")) {
        if (const auto b = FieldCoercion::toBool(*n))
            spec.privateNetworkConnection = b->value;
    }

    const YamlNode *scale = child("scale_settings");
    spec.scaleSettings.type =
        spec.kubernetes ? QStringLiteral("target_utilization") : QStringLiteral("default");
    if (scale && scale->isMap()) {
        if (const QString type = scalarText(scale->child(QStringLiteral("type"))); !type.isEmpty())
            spec.scaleSettings.type = type.toLower();
        readInt(scale, "min_instances", spec.scaleSettings.minInstances);
        readInt(scale, "max_instances", spec.scaleSettings.maxInstances);
        readInt(scale, "target_utilization_percentage",
                spec.scaleSettings.targetUtilizationPercentage);
        readInt(scale, "polling_interval", spec.scaleSettings.pollingInterval);
    }
    const YamlNode *request = child("request_settings");
    readInt(request, "request_timeout_ms", spec.requestSettings.requestTimeoutMs);
    readInt(request, "max_concurrent_requests_per_instance",
            spec.requestSettings.maxConcurrentRequestsPerInstance);
    readInt(request, "max_queue_wait_ms", spec.requestSettings.maxQueueWaitMs);
    spec.livenessProbe = readProbe(child("liveness_probe"));
    spec.readinessProbe = readProbe(child("readiness_probe"));
    if (const YamlNode *n = child("data_collector"); n && n->isMap())
        spec.dataCollector = n->toVariant().toMap();
    if (const YamlNode *resources = child("resources"); resources && resources->isMap()) {
        if (const YamlNode *n = resources->child(QStringLiteral("requests")))
            spec.resourceRequests = n->toStringMap();
        if (const YamlNode *n = resources->child(QStringLiteral("limits")))
            spec.resourceLimits = n->toStringMap();
    }
    return spec;
}
