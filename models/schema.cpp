#include "models/schema.h"

namespace {

using T = SchemaKey::Type;

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

SchemaKey with(SchemaKey key, QList<SchemaKey> children)
{
    key.children = std::move(children);
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

QList<SchemaKey> routeKeys()
{
    return {required(k("port", T::Integer, "Container port of the route.")),
            required(k("path", T::String, "HTTP path of the route, e.g. /score."))};
}

QList<SchemaKey> commonHead()
{
    return {k("$schema", T::String, "URL of the JSON schema; used for editor completion only."),
            required(k("name", T::String,
                       "3–32 characters: letters, digits and '-', starting with a letter and "
                       "not ending with '-'.")),
            k("description", T::String, "Free text."), k("tags", T::StringMap, "Key/value tags.")};
}

QList<SchemaKey> readOnlyKeys()
{
    return {readOnly(k("id", T::String, "ARM id (read-only, from `show`).")),
            readOnly(k("provisioning_state", T::String, "Provisioning state (read-only).")),
            readOnly(k("scoring_uri", T::String, "Scoring URI (read-only).")),
            readOnly(k("openapi_uri", T::String, "Swagger URI (read-only).")),
            readOnly(k("location", T::String, "Azure region (read-only).")),
            readOnly(k("kind", T::String, "Managed or K8S (read-only)."))};
}

} // namespace

QString schemaTypeName(SchemaKey::Type type)
{
    switch (type) {
    case T::String:
        return QStringLiteral("text");
    case T::Integer:
        return QStringLiteral("a whole number");
    case T::Number:
        return QStringLiteral("a number");
    case T::Boolean:
        return QStringLiteral("true or false");
    case T::Map:
    case T::StringMap:
        return QStringLiteral("a map");
    case T::IntMap:
        return QStringLiteral("a map of deployment names to percentages");
    case T::List:
        return QStringLiteral("a list");
    case T::StringOrMap:
        break;
    }
    return QStringLiteral("text or a map");
}

Schema::Schema()
{
    m_endpoint = commonHead();
    m_endpoint += {
        k("auth_mode", T::String,
          "How clients authenticate: key, aml_token, or aad_token (managed only). Azure also "
          "accepts Key and AMLToken.",
          {QStringLiteral("key"), QStringLiteral("aml_token"), QStringLiteral("aad_token")}, "key"),
        kubernetes(k("compute", T::String,
                     "Kubernetes compute target, e.g. azureml:inferencecompute. Its presence "
                     "makes this a Kubernetes endpoint.")),
        with(k("identity", T::Map, "Managed identity of the endpoint. Omitted: system_assigned."),
             {k("type", T::String, "system_assigned, user_assigned or none.",
                {QStringLiteral("system_assigned"), QStringLiteral("user_assigned"),
                 QStringLiteral("none")}),
              with(k("user_assigned_identities", T::List,
                     "At most one entry {resource_id: <ARM id>}; required for user_assigned."),
                   {k("resource_id", T::String, "ARM id of the user-assigned identity.")}),
              readOnly(k("principal_id", T::String, "Read-only.")),
              readOnly(k("tenant_id", T::String, "Read-only."))}),
        k("traffic", T::IntMap,
          "Percent of live traffic per deployment; values 0–100 summing to 0 or 100."),
        managed(k("mirror_traffic", T::IntMap,
                  "Copy of live traffic sent to one deployment, at most 50 percent; managed "
                  "only.")),
        managed(k("public_network_access", T::String,
                  "enabled or disabled (then reachable only through a private endpoint).",
                  {QStringLiteral("enabled"), QStringLiteral("disabled")}, "enabled")),
        readOnly(k("properties", T::StringMap, "Service properties.")),
    };
    m_endpoint += readOnlyKeys();

    m_deployment = commonHead();
    m_deployment += {
        required(k("endpoint_name", T::String, "Name of the endpoint this deployment belongs to.")),
        k("type", T::String, "managed or kubernetes.",
          {QStringLiteral("managed"), QStringLiteral("kubernetes")}),
        k("properties", T::StringMap, "Add-only properties."),
        with(k("model", T::StringOrMap,
               "The model: azureml:<name>:<version>, a registry URI, or an inline model with "
               "a local path."),
             {k("path", T::String, "Model file or folder, relative to this YAML."),
              k("name", T::String, "Model name (a UUID when omitted)."),
              k("version", T::String, "Model version.", {}, "1"),
              k("type", T::String, "custom_model, mlflow_model or triton_model.",
                {QStringLiteral("custom_model"), QStringLiteral("mlflow_model"),
                 QStringLiteral("triton_model")},
                "custom_model"),
              k("description", T::String, "Free text."), k("tags", T::StringMap, "Tags."),
              k("properties", T::StringMap, "Properties.")}),
        k("model_mount_path", T::String,
          "Absolute path where the model is mounted in the container (cloud only)."),
        with(k("code_configuration", T::Map, "Scoring code: a folder and the script in it."),
             {required(k("code", T::String,
                         "Folder with the scoring code, relative to this "
                         "YAML, or an azureml: code asset.")),
              required(k("scoring_script", T::String,
                         "Script relative to `code`; it must define init() and run()."))}),
        with(k("environment", T::StringOrMap,
               "Where the code runs: azureml:<name>:<version>, a registry URI, or an inline "
               "environment with image (plus optional conda_file) or build."),
             {k("image", T::String, "Container image, e.g. mcr.microsoft.com/azureml/..."),
              k("conda_file", T::StringOrMap, "Conda file relative to this YAML."),
              with(k("build", T::Map, "Build the image from a Dockerfile folder."),
                   {required(k("path", T::String, "Build context folder relative to this YAML.")),
                    k("dockerfile_path", T::String, "Dockerfile relative to build.path.", {},
                      "Dockerfile")}),
              with(k("inference_config", T::Map,
                     "Routes a custom container serves; all three are required."),
                   {with(required(k("liveness_route", T::Map, "Liveness route {port, path}.")),
                         routeKeys()),
                    with(required(k("readiness_route", T::Map, "Readiness route {port, path}.")),
                         routeKeys()),
                    with(required(k("scoring_route", T::Map, "Scoring route {port, path}.")),
                         routeKeys())}),
              k("os_type", T::String, "linux or windows.",
                {QStringLiteral("linux"), QStringLiteral("windows")}, "linux"),
              k("name", T::String, "Environment name."),
              k("version", T::String, "Environment version."),
              k("description", T::String, "Free text."), k("tags", T::StringMap, "Tags.")}),
        k("environment_variables", T::StringMap, "Variables visible to the scoring script."),
        k("instance_type", T::String,
          "VM size, e.g. Standard_DS3_v2 (required for managed; Kubernetes uses the cluster "
          "default)."),
        k("instance_count", T::Integer, "Number of instances (managed: 1–50).", {}, "1"),
        k("app_insights_enabled", T::Boolean, "Send logs and metrics to Application Insights.", {},
          "false"),
        with(k("scale_settings", T::Map,
               "Scaling: managed supports only default; Kubernetes default or "
               "target_utilization."),
             {k("type", T::String, "default, or target_utilization (Kubernetes).",
                {QStringLiteral("default"), QStringLiteral("target_utilization")}),
              kubernetes(k("min_instances", T::Integer, "Minimum instances.", {}, "1")),
              kubernetes(k("max_instances", T::Integer, "Maximum instances.", {}, "1")),
              kubernetes(k("target_utilization_percentage", T::Integer,
                           "Target CPU utilisation in percent.", {}, "70")),
              kubernetes(
                  k("polling_interval", T::Integer, "Seconds between scaling checks.", {}, "1"))}),
        with(k("request_settings", T::Map, "Request limits."),
             {k("request_timeout_ms", T::Integer,
                "Scoring timeout in ms; at most 180000 managed, 300000 Kubernetes.", {}, "5000"),
              k("max_concurrent_requests_per_instance", T::Integer,
                "Requests one instance serves at once.", {}, "1"),
              k("max_queue_wait_ms", T::Integer, "Queue wait in ms (deprecated for managed).", {},
                "500")}),
        with(k("liveness_probe", T::Map, "How Azure checks the container is alive."), probeKeys()),
        with(k("readiness_probe", T::Map, "How Azure checks the container is ready."), probeKeys()),
        managed(k("egress_public_network_access", T::String,
                  "enabled or disabled (legacy network isolation); managed only.",
                  {QStringLiteral("enabled"), QStringLiteral("disabled")}, "enabled")),
        with(k("data_collector", T::Map, "Collects request and response data."),
             {k("sampling_rate", T::Number, "Fraction of requests collected.", {}, "1.0"),
              k("rolling_rate", T::String, "minute, hour, day, month or year.",
                {QStringLiteral("minute"), QStringLiteral("hour"), QStringLiteral("day"),
                 QStringLiteral("month"), QStringLiteral("year")},
                "hour"),
              k("collections", T::Map, "Named collections (request, response, custom).")}),
        k("private_network_connection", T::Boolean, "Experimental."),
        kubernetes(with(k("resources", T::Map, "Kubernetes resource requests and limits."),
                        {k("requests", T::StringMap, "cpu, memory, nvidia.com/gpu."),
                         k("limits", T::StringMap, "cpu, memory, nvidia.com/gpu.")})),
    };
    m_deployment += readOnlyKeys();
}

const Schema &Schema::instance()
{
    static const Schema schema;
    return schema;
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
    for (const QString &segment : path) {
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
    }
    return found;
}

QList<SchemaKey> Schema::keysAt(SpecKind kind, const QStringList &path) const
{
    if (path.isEmpty())
        return top(kind);
    const SchemaKey *key = this->key(kind, path);
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
