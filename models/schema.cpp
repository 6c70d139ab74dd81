#include "models/schema.h"

#include <QRegularExpression>

namespace {

using T = SchemaKey::Type;

// Files of azure-ai-ml, relative to sdk/ml/azure-ai-ml/azure/ai/ml/.
const char *const deploymentPy = "_schema/_deployment/deployment.py";
const char *const onlineDeploymentPy = "_schema/_deployment/online/online_deployment.py";
const char *const endpointPy = "_schema/_endpoint/endpoint.py";
const char *const onlineEndpointPy = "_schema/_endpoint/online/online_endpoint.py";
const char *const modelPy = "_schema/assets/model.py";
const char *const environmentPy = "_schema/assets/environment.py";
const char *const assetPy = "_schema/assets/asset.py";
const char *const codeConfigurationPy = "_schema/_deployment/code_configuration_schema.py";
const char *const probePy = "_schema/_deployment/online/liveness_probe.py";
const char *const requestSettingsPy = "_schema/_deployment/online/request_settings_schema.py";
const char *const scaleSettingsPy = "_schema/_deployment/online/scale_settings_schema.py";
const char *const dataCollectorPy = "_schema/_deployment/online/data_collector_schema.py";
const char *const collectionPy = "_schema/_deployment/online/deployment_collection_schema.py";
const char *const dataAssetPy = "_schema/_deployment/online/data_asset_schema.py";
const char *const requestLoggingPy = "_schema/_deployment/online/request_logging_schema.py";
const char *const resourcesPy = "_schema/_deployment/online/resource_requirements_schema.py";
const char *const resourceSettingsPy = "_schema/_deployment/online/resource_settings_schema.py";
const char *const identityPy = "_schema/identity.py";
const char *const schemaPy = "_schema/core/schema.py";

QString field(const char *file, const char *cls, const char *name)
{
    return QStringLiteral("%1 %2.%3")
        .arg(QLatin1String(file), QLatin1String(cls), QLatin1String(name));
}

QString cls(const char *file, const char *name)
{
    return QStringLiteral("%1 %2").arg(QLatin1String(file), QLatin1String(name));
}

SchemaKey k(const char *name, T type, const char *doc, QStringList values = {},
            const char *def = "")
{
    SchemaKey key;
    key.name = QLatin1String(name);
    key.type = type;
    key.doc = QString::fromUtf8(doc);
    key.values = std::move(values);
    key.defaultValue = QLatin1String(def);
    return key;
}

SchemaKey required(SchemaKey key)
{
    key.required = true;
    return key;
}

SchemaKey managed(SchemaKey key)
{
    key.managedOnly = true;
    return key;
}

SchemaKey kubernetes(SchemaKey key)
{
    key.kubernetesOnly = true;
    return key;
}

SchemaKey readOnly(SchemaKey key)
{
    key.readOnly = true;
    return key;
}

SchemaKey snake(SchemaKey key)
{
    key.casing = SchemaKey::Casing::CamelToSnake;
    return key;
}

// Sets the Azure source of every key of `keys` to <file> <Class>.<key>.
QList<SchemaKey> from(const char *file, const char *className, QList<SchemaKey> keys)
{
    for (SchemaKey &key : keys) {
        if (key.azure.isEmpty())
            key.azure = field(file, className, key.name.toLatin1().constData());
    }
    return keys;
}

SchemaKey with(SchemaKey key, const char *file, const char *className, QList<SchemaKey> children)
{
    key.azureClass = cls(file, className);
    key.children = from(file, className, std::move(children));
    return key;
}

QList<SchemaKey> probeKeys()
{
    return {k("initial_delay", T::Integer,
              "Seconds after the container starts before the first probe (minimum 1).", {}, "10"),
            k("period", T::Integer, "Seconds between probes (minimum 1).", {}, "10"),
            k("timeout", T::Integer, "Seconds a probe may take (minimum 1).", {}, "2"),
            k("success_threshold", T::Integer,
              "Successes in a row to count as healthy (liveness: always 1).", {}, "1"),
            k("failure_threshold", T::Integer,
              "Failures in a row before the container is restarted or marked not ready "
              "(minimum 1).",
              {}, "30")};
}

SchemaKey route(const char *name, const char *doc)
{
    return required(with(k(name, T::Map, doc), environmentPy, "RouteSchema",
                         {required(k("port", T::Integer, "Container port of the route.")),
                          required(k("path", T::String, "HTTP path of the route, e.g. /score."))}));
}

// Fields of _schema/core/schema.py's PathAwareSchema and of `show` output that Azure sets.
SchemaKey dumpOnly(const char *name, const char *doc, const char *file, const char *className)
{
    SchemaKey key = readOnly(k(name, T::Map, doc));
    key.type = T::StringOrMap;
    key.azure = field(file, className, name) + QStringLiteral(" (dump_only)");
    return key;
}

SchemaKey modelKey()
{
    return with(
        k("model", T::StringOrMap,
          "The model: azureml:<name>:<version>, a registry URI, or an inline model with a "
          "local path."),
        modelPy, "AnonymousModelSchema",
        {k("path", T::String, "Model file or folder, relative to this YAML."),
         k("name", T::String, "Model name (a UUID when omitted)."),
         k("version", T::Version, "Model version.", {}, "1"),
         k("type", T::String, "custom_model, mlflow_model or triton_model.",
           {QStringLiteral("custom_model"), QStringLiteral("mlflow_model"),
            QStringLiteral("triton_model")},
           "custom_model"),
         k("description", T::String, "Free text."), k("tags", T::Map, "Tags."),
         k("properties", T::Map, "Properties."),
         k("flavors", T::Map, "MLflow flavors (from the MLmodel file)."),
         k("datastore", T::String, "Name of the datastore to upload to."),
         dumpOnly("id", "ARM id (read-only).", modelPy, "ModelSchema"),
         dumpOnly("utc_time_created", "Creation time (read-only).", modelPy, "ModelSchema"),
         dumpOnly("creation_context", "Who created it (read-only).", modelPy, "ModelSchema"),
         dumpOnly("job_name", "Job that produced it (read-only).", modelPy, "ModelSchema"),
         dumpOnly("latest_version", "Latest version (read-only).", modelPy, "ModelSchema"),
         dumpOnly("intellectual_property", "Read-only.", modelPy, "ModelSchema")});
}

SchemaKey environmentKey()
{
    return with(
        k("environment", T::StringOrMap,
          "Where the code runs: azureml:<name>:<version>, a registry URI, or an inline "
          "environment with image (plus optional conda_file) or build."),
        environmentPy, "_BaseEnvironmentSchema",
        {k("image", T::String, "Container image, e.g. mcr.microsoft.com/azureml/..."),
         k("conda_file", T::StringOrMap, "Conda file relative to this YAML, or its contents."),
         with(k("build", T::Map, "Build the image from a Dockerfile folder."), environmentPy,
              "BuildContextSchema",
              {k("path", T::String, "Build context folder relative to this YAML, or a URL."),
               k("dockerfile_path", T::String, "Dockerfile relative to build.path.", {},
                 "Dockerfile")}),
         with(k("inference_config", T::Map,
                "Routes a custom container serves; all three are required."),
              environmentPy, "InferenceConfigSchema",
              {route("liveness_route", "Liveness route {port, path}."),
               route("readiness_route", "Readiness route {port, path}."),
               route("scoring_route", "Scoring route {port, path}.")}),
         k("os_type", T::String, "linux or windows.",
           {QStringLiteral("linux"), QStringLiteral("windows")}, "linux"),
         k("datastore", T::String, "Name of the datastore to upload to."),
         k("name", T::String, "Environment name."),
         k("version", T::Version, "Environment version."),
         k("description", T::String, "Free text."), k("tags", T::Map, "Tags."),
         dumpOnly("id", "ARM id (read-only).", environmentPy, "_BaseEnvironmentSchema"),
         dumpOnly("creation_context", "Who created it (read-only).", assetPy, "AssetSchema"),
         dumpOnly("latest_version", "Latest version (read-only).", assetPy, "AssetSchema"),
         dumpOnly("auto_delete_setting", "Read-only.", assetPy, "AssetSchema")});
}

SchemaKey dataCollectorKey()
{
    SchemaKey collections =
        with(k("collections", T::MapOf,
               "Named collections (model_inputs, model_outputs, request, response, custom)."),
             collectionPy, "DeploymentCollectionSchema",
             {required(k("enabled", T::String, "'true' or 'false', written as text (quoted).",
                         {QStringLiteral("true"), QStringLiteral("false")})),
              with(k("data", T::StringOrMap, "Data asset the collection writes to."), dataAssetPy,
                   "DataAssetSchema",
                   {k("name", T::String, "Data asset name."), k("path", T::String, "Data path."),
                    k("version", T::String, "Data asset version."),
                    k("data_id", T::String, "Data asset id.")}),
              k("client_id", T::String, "Client id for custom logging.")});
    return with(
        k("data_collector", T::Map, "Collects request and response data."), dataCollectorPy,
        "DataCollectorSchema",
        {collections,
         k("rolling_rate", T::String, "minute, hour or day.",
           {QStringLiteral("minute"), QStringLiteral("day"), QStringLiteral("hour")}, "hour"),
         k("sampling_rate", T::Number, "Fraction of requests collected (0.0 to 1.0).", {}, "1.0"),
         with(k("request_logging", T::Map, "Request logging."), requestLoggingPy,
              "RequestLoggingSchema",
              {k("capture_headers", T::StringList,
                 "Request headers to log, e.g. [x-request-id].")})});
}

SchemaKey resourceSettings(const char *name, const char *doc)
{
    return with(k(name, T::Map, doc), resourceSettingsPy, "ResourceSettingsSchema",
                {k("cpu", T::String, "CPU, e.g. \"0.5\" (text)."),
                 k("memory", T::String, "Memory, e.g. \"0.5Gi\" (text)."),
                 k("nvidia.com/gpu", T::String, "GPUs, e.g. \"1\" (text)."),
                 k("gpu", T::String, "GPUs, e.g. \"1\" (text).")});
}

} // namespace

QString schemaTypeName(SchemaKey::Type type)
{
    switch (type) {
    case T::String:
        return QStringLiteral("text");
    case T::Version:
        return QStringLiteral("a version (text or a number)");
    case T::Integer:
        return QStringLiteral("a whole number");
    case T::Number:
        return QStringLiteral("a number");
    case T::Boolean:
        return QStringLiteral("true or false");
    case T::Map:
    case T::TextMap:
    case T::MapOf:
        return QStringLiteral("a map");
    case T::IntMap:
        return QStringLiteral("a map of deployment names to percentages");
    case T::List:
    case T::StringList:
        return QStringLiteral("a list");
    case T::StringOrMap:
        break;
    }
    return QStringLiteral("text or a map");
}

QString camelToSnake(const QString &text)
{
    static const QRegularExpression first(QStringLiteral("(.)([A-Z][a-z]+)"));
    static const QRegularExpression second(QStringLiteral("([a-z0-9])([A-Z])"));
    QString out = text;
    out.replace(first, QStringLiteral("\\1_\\2"));
    out.replace(second, QStringLiteral("\\1_\\2"));
    return out.toLower();
}

Schema::Schema()
{
    // _schema/_endpoint/endpoint.py EndpointSchema and online/online_endpoint.py.
    m_endpoint = from(
        endpointPy, "EndpointSchema",
        {k("$schema", T::String, "URL of the JSON schema; used for editor completion only."),
         required(k("name", T::String,
                    "3–32 characters: letters, digits and '-', starting with a letter and not "
                    "ending with '-'.")),
         k("description", T::String, "Free text."), k("tags", T::Map, "Key/value tags."),
         k("properties", T::Map, "Service properties (add-only)."),
         snake(k("auth_mode", T::String,
                 "How clients authenticate: key, aml_token, or aad_token (managed only). Azure "
                 "also accepts Key and AMLToken.",
                 {QStringLiteral("key"), QStringLiteral("aml_token"), QStringLiteral("aad_token")},
                 "key")),
         with(k("identity", T::Map, "Managed identity of the endpoint. Omitted: system_assigned."),
              identityPy, "IdentitySchema",
              {snake(k("type", T::String, "system_assigned, user_assigned or none.",
                       {QStringLiteral("system_assigned"), QStringLiteral("user_assigned"),
                        QStringLiteral("none")})),
               with(k("user_assigned_identities", T::List,
                      "At most one entry {resource_id: <ARM id>} (client_id and object_id "
                      "may be given too); required for user_assigned."),
                    identityPy, "IdentitySchema.user_assigned_identities",
                    {k("resource_id", T::String, "ARM id of the user-assigned identity."),
                     k("client_id", T::String, "Client id of the identity."),
                     k("object_id", T::String, "Object id of the identity."),
                     k("principal_id", T::String, "Principal id of the identity.")}),
               k("principal_id", T::String, "Set by Azure."),
               k("tenant_id", T::String, "Set by Azure.")}),
         readOnly(k("id", T::String, "ARM id (read-only, from `show`).")),
         readOnly(k("provisioning_state", T::String, "Provisioning state (read-only).")),
         readOnly(k("scoring_uri", T::String, "Scoring URI (read-only).")),
         readOnly(k("openapi_uri", T::String, "Swagger URI (read-only).")),
         readOnly(k("location", T::String, "Azure region (read-only)."))});
    m_endpoint +=
        from(onlineEndpointPy, "OnlineEndpointSchema",
             {k("traffic", T::IntMap,
                "Percent of live traffic per deployment; values 0–100 summing to 0 or 100."),
              k("mirror_traffic", T::IntMap,
                "Copy of live traffic sent to one deployment, at most 50 percent; managed only."),
              dumpOnly("kind", "Managed or K8S (read-only).", onlineEndpointPy,
                       "OnlineEndpointSchema")});
    m_endpoint += from(onlineEndpointPy, "KubernetesOnlineEndpointSchema",
                       {kubernetes(k("compute", T::String,
                                     "Kubernetes compute target, e.g. azureml:inferencecompute. "
                                     "Its presence makes this a Kubernetes endpoint."))});
    m_endpoint +=
        from(onlineEndpointPy, "ManagedOnlineEndpointSchema",
             {managed(k("public_network_access", T::String,
                        "enabled or disabled (then reachable only through a private "
                        "endpoint).",
                        {QStringLiteral("enabled"), QStringLiteral("disabled")}, "enabled"))});
    for (SchemaKey &key : m_endpoint) {
        if (key.name == u"$schema") {
            key.azure = field(schemaPy, "PathAwareSchema", "schema_ignored");
        }
    }

    // _schema/_deployment/deployment.py DeploymentSchema and online/online_deployment.py.
    m_deployment =
        from(deploymentPy, "DeploymentSchema",
             {k("$schema", T::String, "URL of the JSON schema; used for editor completion only."),
              required(k("name", T::String,
                         "3–32 characters: letters, digits and '-', starting with a letter and not "
                         "ending with '-'.")),
              required(k("endpoint_name", T::String,
                         "Name of the endpoint this deployment belongs to (--endpoint-name "
                         "overrides it).")),
              k("description", T::String, "Free text."), k("tags", T::Map, "Key/value tags."),
              k("properties", T::Map, "Add-only properties."),
              readOnly(k("id", T::String, "ARM id (read-only, from `show`).")), modelKey(),
              with(k("code_configuration", T::Map, "Scoring code: a folder and the script in it."),
                   codeConfigurationPy, "CodeConfigurationSchema",
                   {k("code", T::String,
                      "Folder with the scoring code, relative to this YAML, or an azureml: code "
                      "asset."),
                    k("scoring_script", T::String,
                      "Script relative to `code`; it must define init() and run().")}),
              environmentKey(),
              k("environment_variables", T::Map, "Variables visible to the scoring script.")});
    m_deployment += from(
        onlineDeploymentPy, "OnlineDeploymentSchema",
        {k("app_insights_enabled", T::Boolean, "Send logs and metrics to Application Insights.", {},
           "false"),
         with(
             k("scale_settings", T::Map,
               "Scaling: managed supports only default; Kubernetes default or "
               "target_utilization."),
             scaleSettingsPy, "TargetUtilizationScaleSettingsSchema",
             {required(snake(k("type", T::String, "default, or target_utilization (Kubernetes).",
                               {QStringLiteral("default"), QStringLiteral("target_utilization")}))),
              k("min_instances", T::Integer, "Minimum instances.", {}, "1"),
              k("max_instances", T::Integer, "Maximum instances.", {}, "1"),
              k("target_utilization_percentage", T::Integer, "Target CPU utilisation in percent.",
                {}, "70"),
              k("polling_interval", T::Integer, "Seconds between scaling checks.", {}, "1")}),
         with(k("request_settings", T::Map, "Request limits."), requestSettingsPy,
              "RequestSettingsSchema",
              {k("request_timeout_ms", T::Integer,
                 "Scoring timeout in ms; at most 180000 managed, 300000 Kubernetes.", {}, "5000"),
               k("max_concurrent_requests_per_instance", T::Integer,
                 "Requests one instance serves at once.", {}, "1"),
               k("max_queue_wait_ms", T::Integer, "Queue wait in ms (deprecated for managed).", {},
                 "500")}),
         with(k("liveness_probe", T::Map, "How Azure checks the container is alive."), probePy,
              "LivenessProbeSchema", probeKeys()),
         with(k("readiness_probe", T::Map, "How Azure checks the container is ready."), probePy,
              "LivenessProbeSchema", probeKeys()),
         readOnly(k("provisioning_state", T::String, "Provisioning state (read-only).")),
         k("instance_count", T::Integer, "Number of instances (managed: 1–50).", {}, "1"),
         snake(k("type", T::String, "managed or kubernetes.",
                 {QStringLiteral("managed"), QStringLiteral("kubernetes")})),
         k("model_mount_path", T::String,
           "Absolute path where the model is mounted in the container (cloud only)."),
         k("instance_type", T::String,
           "VM size, e.g. Standard_DS3_v2 (required for managed; Kubernetes uses the cluster "
           "default)."),
         dataCollectorKey()});
    m_deployment +=
        from(onlineDeploymentPy, "ManagedOnlineDeploymentSchema",
             {managed(k("egress_public_network_access", T::String,
                        "enabled or disabled (legacy network isolation); managed only.",
                        {QStringLiteral("enabled"), QStringLiteral("disabled")}, "enabled")),
              managed(k("private_network_connection", T::Boolean, "Experimental.")),
              managed(dumpOnly("creation_context", "Who created it (read-only).",
                               onlineDeploymentPy, "ManagedOnlineDeploymentSchema"))});
    m_deployment += from(
        onlineDeploymentPy, "KubernetesOnlineDeploymentSchema",
        {kubernetes(with(k("resources", T::Map, "Kubernetes resource requests and limits."),
                         resourcesPy, "ResourceRequirementsSchema",
                         {resourceSettings("requests", "cpu, memory, nvidia.com/gpu (text)."),
                          resourceSettings("limits", "cpu, memory, nvidia.com/gpu (text).")}))});
    for (SchemaKey &key : m_deployment) {
        if (key.name == u"$schema")
            key.azure = field(schemaPy, "PathAwareSchema", "schema_ignored");
        // ManagedOnlineDeploymentSchema redeclares it with required=True.
        if (key.name == u"instance_type")
            key.azure = field(onlineDeploymentPy, "ManagedOnlineDeploymentSchema", "instance_type");
    }
}

const Schema &Schema::instance()
{
    static const Schema schema;
    return schema;
}

QString Schema::topClass(SpecKind kind) const
{
    switch (kind) {
    case SpecKind::Endpoint:
        return cls(onlineEndpointPy, "ManagedOnlineEndpointSchema");
    case SpecKind::ManagedDeployment:
        return cls(onlineDeploymentPy, "ManagedOnlineDeploymentSchema");
    case SpecKind::KubernetesDeployment:
        return cls(onlineDeploymentPy, "KubernetesOnlineDeploymentSchema");
    case SpecKind::NotAzureMl:
        break;
    }
    return {};
}

const QList<SchemaKey> &Schema::top(SpecKind kind) const
{
    switch (kind) {
    case SpecKind::Endpoint:
        return m_endpoint;
    case SpecKind::ManagedDeployment:
    case SpecKind::KubernetesDeployment:
        return m_deployment;
    case SpecKind::NotAzureMl:
        break;
    }
    return m_none;
}

const SchemaKey *Schema::key(SpecKind kind, const QStringList &path) const
{
    const QList<SchemaKey> *level = &top(kind);
    const SchemaKey *found = nullptr;
    bool skipName = false; // the next segment names a MapOf entry
    for (const QString &segment : path) {
        if (skipName) {
            skipName = false;
            continue;
        }
        bool isIndex = false;
        segment.toInt(&isIndex);
        if (isIndex && found && found->type == T::List)
            continue;
        if (!level)
            return nullptr;
        found = nullptr;
        for (const SchemaKey &key : *level) {
            if (key.name == segment) {
                found = &key;
                break;
            }
        }
        if (!found)
            return nullptr;
        level = found->children.isEmpty() ? nullptr : &found->children;
        skipName = found->type == T::MapOf;
    }
    return found;
}

QList<SchemaKey> Schema::keysAt(SpecKind kind, const QStringList &path) const
{
    if (path.isEmpty())
        return top(kind);
    const SchemaKey *key = this->key(kind, path);
    if (key && key->type == T::MapOf)
        return {}; // the names of a MapOf are free
    if (!key && path.size() >= 2) {
        // The free name under a MapOf: its value has the MapOf's keys.
        const SchemaKey *parent = this->key(kind, path.mid(0, path.size() - 1));
        if (parent && parent->type == T::MapOf)
            return parent->children;
    }
    return key ? key->children : QList<SchemaKey>{};
}

QStringList Schema::enumValues(SpecKind kind, const QStringList &path) const
{
    const SchemaKey *key = this->key(kind, path);
    if (!key)
        return {};
    if (key->type == T::Boolean)
        return {QStringLiteral("true"), QStringLiteral("false")};
    return key->values;
}

QString Schema::hoverDoc(SpecKind kind, const QStringList &path) const
{
    const SchemaKey *key = this->key(kind, path);
    if (!key)
        return {};
    QString text = key->name + QStringLiteral(" — ") + key->doc + QStringLiteral("\nType: ") +
                   schemaTypeName(key->type);
    if (!key->values.isEmpty())
        text += QStringLiteral(". Allowed: ") + key->values.join(QStringLiteral(", "));
    if (!key->defaultValue.isEmpty())
        text += QStringLiteral(". Default: ") + key->defaultValue;
    if (key->required)
        text += QStringLiteral(". Required");
    if (key->managedOnly)
        text += QStringLiteral(". Managed endpoints only");
    if (key->kubernetesOnly)
        text += QStringLiteral(". Kubernetes only");
    return text + u'.';
}
