#include "widgets/editormodel.h"

#include "models/validator.h"
#include "models/yamldocument.h"

namespace {

Result<QByteArray> textAfter(const YamlDocument &document, const Result<TextEdit> &edit)
{
    if (!edit.ok())
        return Result<QByteArray>(edit.error());
    return document.text();
}

void collectScalars(const YamlNode &node, const QString &prefix,
                    QList<QPair<QString, QString>> *out)
{
    if (node.isScalar()) {
        out->append({prefix, node.scalar});
        return;
    }
    for (int i = 0; i < node.children.size(); ++i) {
        const YamlNode &child = node.children.at(i);
        const QString name = node.isMap() ? child.key : QString::number(i);
        collectScalars(child, prefix.isEmpty() ? name : prefix + u'.' + name, out);
    }
}

// Keys of Azure ML's managed/Kubernetes online endpoint and deployment YAML
// (reference/azureml-contract.md §1.2, §2.2): dotted path ("*" matches any list index),
// `|`-separated enum values, and the hover help.
struct KeyInfo
{
    const char *path;
    const char *values;
    const char *help;
};

const KeyInfo endpointKeys[] = {
    {"$schema", "", "URL of the endpoint's JSON schema (informational; editors use it)."},
    {"name", "",
     "Endpoint name: 3–32 characters, letters, digits and dashes, starting with a letter and "
     "not ending with a dash. Unique per Azure region."},
    {"description", "", "Free text shown in the studio and in Azure."},
    {"tags", "", "Map of tag names to values."},
    {"auth_mode", "key|aml_token|aad_token",
     "How clients authenticate: key (default), aml_token, or aad_token (Microsoft Entra, "
     "managed only). Local endpoints do not check it."},
    {"compute", "",
     "Kubernetes only: the attached compute (azureml:<name>). Setting it makes this a "
     "Kubernetes endpoint."},
    {"identity", "", "The endpoint's managed identity."},
    {"identity.type", "system_assigned|user_assigned|none", "Kind of managed identity."},
    {"identity.user_assigned_identities", "", "One user-assigned identity (resource_id)."},
    {"identity.user_assigned_identities.*.resource_id", "", "ARM id of the identity."},
    {"traffic", "",
     "Percent of requests each deployment receives (deployment: percent). The total must be 0 "
     "or 100."},
    {"mirror_traffic", "",
     "Copy a share (at most 50%) of live traffic to one deployment; its answers are dropped. "
     "Managed only."},
    {"public_network_access", "enabled|disabled",
     "disabled: reachable only through the workspace's private endpoint. Managed only."},
};

const KeyInfo deploymentKeys[] = {
    {"$schema", "", "URL of the deployment's JSON schema (informational; editors use it)."},
    {"name", "",
     "Deployment name: 3–32 characters, letters, digits and dashes, starting with a letter and "
     "not ending with a dash."},
    {"endpoint_name", "", "The endpoint this deployment serves behind."},
    {"description", "", "Free text."},
    {"tags", "", "Map of tag names to values."},
    {"properties", "", "Map of extra properties (add-only in Azure)."},
    {"type", "managed|kubernetes", "managed (default) or kubernetes."},
    {"model", "",
     "The model: an inline {path, name, version} or a registered model azureml:<name>:<version>."},
    {"model.path", "", "File or folder of the model, relative to this YAML."},
    {"model.name", "", "Model name (a random one when omitted)."},
    {"model.version", "", "Model version; AZUREML_MODEL_DIR ends in <name>/<version>."},
    {"model.type", "custom_model|mlflow_model|triton_model", "Model format."},
    {"model.description", "", "Free text."},
    {"model.tags", "", "Map of tag names to values."},
    {"model.properties", "", "Map of extra properties."},
    {"model_mount_path", "", "Absolute path in the container where the model is mounted."},
    {"code_configuration", "", "The scoring code: a folder and the script in it."},
    {"code_configuration.code", "", "Folder with the scoring code, relative to this YAML."},
    {"code_configuration.scoring_script", "",
     "Script defining init() and run(raw_data), relative to the code folder."},
    {"environment", "",
     "Where the code runs: an inline {image | build, conda_file} or azureml:<name>:<version>."},
    {"environment.image", "", "Container image, e.g. endpoint-studio/python:3.11-bookworm."},
    {"environment.conda_file", "", "Conda environment file built on top of the image."},
    {"environment.build", "", "Build the image from a Dockerfile (instead of image)."},
    {"environment.build.path", "", "Docker build context folder, relative to this YAML."},
    {"environment.build.dockerfile_path", "", "Dockerfile inside the build folder."},
    {"environment.inference_config", "",
     "Custom container: its liveness, readiness and scoring routes ({port, path} each)."},
    {"environment.inference_config.liveness_route", "", "{port, path} answering liveness."},
    {"environment.inference_config.readiness_route", "", "{port, path} answering readiness."},
    {"environment.inference_config.scoring_route", "", "{port, path} receiving requests."},
    {"environment.inference_config.liveness_route.port", "", "Container port."},
    {"environment.inference_config.liveness_route.path", "", "HTTP path."},
    {"environment.inference_config.readiness_route.port", "", "Container port."},
    {"environment.inference_config.readiness_route.path", "", "HTTP path."},
    {"environment.inference_config.scoring_route.port", "", "Container port."},
    {"environment.inference_config.scoring_route.path", "", "HTTP path."},
    {"environment.os_type", "linux|windows", "Operating system of the image."},
    {"environment.name", "", "Environment name."},
    {"environment.version", "", "Environment version."},
    {"environment.description", "", "Free text."},
    {"environment.tags", "", "Map of tag names to values."},
    {"environment_variables", "", "Variables set for the scoring script (NAME: value)."},
    {"instance_type", "", "VM size, e.g. Standard_DS3_v2 (required for managed)."},
    {"instance_count", "", "Number of instances (1–50 for managed; 3+ recommended)."},
    {"app_insights_enabled", "true|false", "Send logs and metrics to Application Insights."},
    {"scale_settings", "", "Scaling: default (managed) or target_utilization (Kubernetes)."},
    {"scale_settings.type", "default|target_utilization", "Scaling mode."},
    {"scale_settings.min_instances", "", "Fewest instances (target_utilization)."},
    {"scale_settings.max_instances", "", "Most instances (target_utilization)."},
    {"scale_settings.target_utilization_percentage", "", "CPU target, default 70."},
    {"scale_settings.polling_interval", "", "Seconds between checks, default 1."},
    {"request_settings", "", "Timeouts and concurrency per instance."},
    {"request_settings.request_timeout_ms", "",
     "Milliseconds before a request gets 408; default 5000, managed maximum 180000."},
    {"request_settings.max_concurrent_requests_per_instance", "",
     "Requests one instance serves at once; default 1 (match WORKER_COUNT)."},
    {"request_settings.max_queue_wait_ms", "", "Milliseconds a request may queue; default 500."},
    {"liveness_probe", "", "When the container counts as alive (seconds)."},
    {"readiness_probe", "", "When the container is ready for requests (seconds)."},
    {"*_probe.initial_delay", "", "Seconds before the first probe; default 10, minimum 1."},
    {"*_probe.period", "", "Seconds between probes; default 10."},
    {"*_probe.timeout", "", "Seconds a probe may take; default 2, minimum 1."},
    {"*_probe.success_threshold", "", "Successes in a row to pass; default 1."},
    {"*_probe.failure_threshold", "", "Failures in a row to fail; default 30."},
    {"egress_public_network_access", "enabled|disabled",
     "Legacy network isolation for outbound calls; managed only."},
    {"data_collector", "", "Collect request/response data."},
    {"data_collector.sampling_rate", "", "Share of requests collected, 0–1 (default 1.0)."},
    {"data_collector.rolling_rate", "Minute|Hour|Day|Month|Year", "How often files roll over."},
    {"data_collector.collections", "", "Named collections (request, response, …)."},
    {"data_collector.request_logging", "", "Request logging options."},
    {"data_collector.request_logging.capture_headers", "", "Headers to capture."},
    {"private_network_connection", "true|false", "Experimental private networking."},
    {"resources", "", "Kubernetes only: requests and limits."},
    {"resources.requests", "", "Minimum cpu, memory, nvidia.com/gpu."},
    {"resources.limits", "", "Maximum cpu, memory, nvidia.com/gpu."},
    {"resources.requests.cpu", "", "CPU, e.g. \"0.5\"."},
    {"resources.requests.memory", "", "Memory, e.g. 1Gi."},
    {"resources.requests.nvidia.com/gpu", "", "GPUs."},
    {"resources.limits.cpu", "", "CPU, e.g. \"1\"."},
    {"resources.limits.memory", "", "Memory, e.g. 2Gi."},
    {"resources.limits.nvidia.com/gpu", "", "GPUs."},
};

QList<const KeyInfo *> keyTable(EditorModel::FileKind kind)
{
    QList<const KeyInfo *> keys;
    if (kind != EditorModel::FileKind::Deployment) {
        for (const KeyInfo &key : endpointKeys)
            keys << &key;
    }
    if (kind != EditorModel::FileKind::Endpoint) {
        for (const KeyInfo &key : deploymentKeys)
            keys << &key;
    }
    return keys;
}

// Splits a table path into components; "nvidia.com/gpu" stays one key.
QStringList tablePath(const char *path)
{
    QStringList parts;
    for (const QString &part : QString::fromUtf8(path).split(u'.')) {
        if (!parts.isEmpty() && (parts.last() == u"nvidia" || part.startsWith(u"com/")))
            parts.last() += u'.' + part;
        else
            parts << part;
    }
    return parts;
}

bool componentMatches(const QString &pattern, const QString &actual)
{
    if (pattern == u"*")
        return true;
    if (pattern.startsWith(u'*'))
        return actual.endsWith(pattern.mid(1));
    return pattern == actual;
}

bool pathMatches(const QStringList &pattern, const QStringList &path)
{
    if (pattern.size() != path.size())
        return false;
    for (int i = 0; i < pattern.size(); ++i) {
        if (!componentMatches(pattern.at(i), path.at(i)))
            return false;
    }
    return true;
}

// The child keys of a concrete path; a "*" component is offered as nothing.
QStringList childKeys(EditorModel::FileKind kind, const QStringList &parent)
{
    QStringList keys;
    for (const KeyInfo *key : keyTable(kind)) {
        const QStringList path = tablePath(key->path);
        if (path.size() != parent.size() + 1)
            continue;
        if (pathMatches(path.mid(0, parent.size()), parent) && !path.last().contains(u'*'))
            keys << path.last();
    }
    // Probe keys are listed once as "*_probe.x": offer them under each probe.
    if (parent.size() == 1 && parent.first().endsWith(u"_probe") &&
        kind != EditorModel::FileKind::Endpoint) {
        for (const KeyInfo *key : keyTable(kind)) {
            const QStringList path = tablePath(key->path);
            if (path.size() == 2 && path.first() == u"*_probe")
                keys << path.last();
        }
    }
    keys.removeDuplicates();
    return keys;
}

const KeyInfo *findKey(EditorModel::FileKind kind, const QStringList &path)
{
    for (const KeyInfo *key : keyTable(kind)) {
        if (pathMatches(tablePath(key->path), path))
            return key;
    }
    return nullptr;
}

} // namespace

EditorModel::FileKind EditorModel::kindOf(const QByteArray &text)
{
    // Only top-level lines matter: cheap enough to run on every keystroke of a large file.
    bool deploymentKeys = false;
    bool endpointKeys = false;
    qsizetype start = 0;
    while (start < text.size()) {
        qsizetype end = text.indexOf('\n', start);
        if (end < 0)
            end = text.size();
        const char first = text.at(start);
        if (first != ' ' && first != '\t' && first != '#' && first != '-' && first != '\n') {
            const QByteArray line = text.mid(start, end - start);
            const qsizetype colon = line.indexOf(':');
            const QByteArray key = colon < 0 ? QByteArray() : line.left(colon).trimmed();
            if (key == "$schema") {
                if (line.contains("OnlineEndpoint"))
                    return FileKind::Endpoint;
                if (line.contains("OnlineDeployment"))
                    return FileKind::Deployment;
            } else if (key == "endpoint_name" || key == "model" || key == "code_configuration" ||
                       key == "environment" || key == "instance_type" || key == "instance_count") {
                deploymentKeys = true;
            } else if (key == "auth_mode" || key == "traffic" || key == "mirror_traffic") {
                endpointKeys = true;
            }
        }
        start = end + 1;
    }
    if (deploymentKeys)
        return FileKind::Deployment;
    return endpointKeys ? FileKind::Endpoint : FileKind::Other;
}

Diagnostics EditorModel::validate(const QString &path, const QByteArray &text)
{
    return Validator::validate(YamlDocument::parse(path, text));
}

QStringList EditorModel::keysAt(FileKind kind, const QStringList &parentPath)
{
    return childKeys(kind, parentPath);
}

QStringList EditorModel::enumValues(FileKind kind, const QStringList &path)
{
    const KeyInfo *key = findKey(kind, path);
    if (!key || !*key->values)
        return {};
    return QString::fromUtf8(key->values).split(u'|');
}

QString EditorModel::help(FileKind kind, const QStringList &path)
{
    const KeyInfo *key = findKey(kind, path);
    return key ? QString::fromUtf8(key->help) : QString();
}

Result<QByteArray> EditorModel::setValue(const QString &filePath, const QByteArray &text,
                                         const QString &dottedPath, const QString &value)
{
    YamlDocument document = YamlDocument::parse(filePath, text);
    if (value.isEmpty()) {
        if (!document.find(dottedPath))
            return text;
        return textAfter(document, document.removeKey(dottedPath));
    }
    return textAfter(document, document.setValue(dottedPath, value));
}

Result<QByteArray> EditorModel::setMap(const QString &filePath, const QByteArray &text,
                                       const QString &dottedPath,
                                       const QList<QPair<QString, QString>> &entries)
{
    YamlDocument document = YamlDocument::parse(filePath, text);
    const QStringList path = YamlDocument::splitPath(dottedPath);
    if (entries.isEmpty()) {
        if (!document.find(path))
            return text;
        return textAfter(document, document.removeKey(path));
    }
    return textAfter(document, document.setMap(path, entries));
}

QByteArray EditorModel::scalar(const QString &value)
{
    return YamlDocument::formatScalar(value, YamlDocument::Quoting::Auto);
}

QList<QPair<QString, QString>> EditorModel::scalars(const QString &filePath, const QByteArray &text)
{
    QList<QPair<QString, QString>> out;
    collectScalars(YamlDocument::parse(filePath, text).root(), QString(), &out);
    return out;
}

EditorModel::View EditorModel::view(const QString &filePath, const QByteArray &text)
{
    View view;
    view.kind = kindOf(text);
    if (view.kind == FileKind::Other)
        return view;
    const YamlDocument document = YamlDocument::parse(filePath, text);
    if (view.kind == FileKind::Endpoint)
        view.endpoint = EndpointSpec::fromDocument(document);
    else
        view.deployment = DeploymentSpec::fromDocument(document);
    view.endpoint.filePath = view.deployment.filePath = filePath;
    collectScalars(document.root(), QString(), &view.scalars);
    return view;
}

EndpointSpec EditorModel::endpoint(const QString &filePath, const QByteArray &text)
{
    EndpointSpec spec = EndpointSpec::fromDocument(YamlDocument::parse(filePath, text));
    spec.filePath = filePath;
    return spec;
}

DeploymentSpec EditorModel::deployment(const QString &filePath, const QByteArray &text)
{
    DeploymentSpec spec = DeploymentSpec::fromDocument(YamlDocument::parse(filePath, text));
    spec.filePath = filePath;
    return spec;
}
