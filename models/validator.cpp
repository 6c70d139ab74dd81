#include "models/validator.h"

#include "models/endpointspec.h"
#include "models/schema.h"
#include "models/yamldocument.h"

#include <QDir>
#include <QFileInfo>
#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMutex>
#include <QProcess>
#include <QRegularExpression>

namespace {

using T = SchemaKey::Type;

bool isCloudPath(const QString &value)
{
    return value.startsWith(QLatin1String("azureml:")) ||
           value.startsWith(QLatin1String("http://")) ||
           value.startsWith(QLatin1String("https://"));
}

class Checker
{
public:
    Checker(const YamlDocument &doc, const ValidationContext &context,
            const Validator::Options &options)
        : m_doc(doc)
        , m_kind(detectSpecKind(doc))
        , m_context(context)
        , m_options(options)
        , m_dir(QFileInfo(doc.filePath()).absolutePath())
    {
        m_kubernetes = m_kind == SpecKind::KubernetesDeployment ||
                       (m_kind == SpecKind::Endpoint &&
                        (doc.root().child(QStringLiteral("compute")) ||
                         doc.value(QStringLiteral("$schema")).contains(u"kubernetes")));
    }

    Diagnostics run()
    {
        m_out = m_doc.diagnostics();
        const YamlNode &root = m_doc.root();
        if (hasErrors(m_out) && root.isNull())
            return m_out;
        if (m_kind == SpecKind::NotAzureMl) {
            if (!root.isNull() && !root.isMap())
                add(QStringLiteral("not-a-map"), Severity::Info, root.location,
                    QStringLiteral("this file is %1, not a map of keys; it is not an Azure ML "
                                   "endpoint or deployment")
                        .arg(root.typeName()),
                    QStringLiteral("Endpoint and deployment files start with 'name:' at the "
                                   "left margin."));
            return m_out;
        }
        checkKeys(root, {}, Schema::instance().keysAt(m_kind, {}));
        if (m_kind == SpecKind::Endpoint)
            checkEndpoint();
        else
            checkDeployment();
        return m_out;
    }

private:
    void add(const QString &code, Severity severity, const SourceLocation &where,
             const QString &message, const QString &hint)
    {
        Diagnostic d;
        d.code = code;
        d.severity = severity;
        d.message = message;
        d.hint = hint;
        d.location = where;
        d.location.file = m_doc.filePath();
        if (!d.location.isValid())
            d.location = m_doc.locationAt(0);
        m_out.append(d);
    }

    SourceLocation topLocation() const
    {
        const YamlNode &root = m_doc.root();
        if (root.isMap() && !root.children.isEmpty())
            return m_doc.locationAt(root.children.first().keyLocation.offset, 0);
        return m_doc.locationAt(0);
    }

    const YamlNode *child(const char *key) const { return m_doc.root().child(QLatin1String(key)); }

    static QString pathText(const QStringList &path) { return path.join(u'.'); }

    // --- keys, types, enums ------------------------------------------------------------
    void checkKeys(const YamlNode &map, const QStringList &path, const QList<SchemaKey> &keys)
    {
        if (!map.isMap())
            return;
        QStringList names;
        for (const SchemaKey &k : keys)
            names.append(k.name);
        for (const YamlNode &entry : map.children) {
            QStringList p = path;
            p.append(entry.key);
            const SchemaKey *key = nullptr;
            for (const SchemaKey &k : keys) {
                if (k.name == entry.key) {
                    key = &k;
                    break;
                }
            }
            if (!key) {
                if (path == QStringList{QStringLiteral("environment")} &&
                    (entry.key == u"channels" || entry.key == u"dependencies"))
                    continue; // reported by the environment rule
                const QString suggestion = Validator::didYouMean(entry.key, names);
                const QString where = path.isEmpty()
                                          ? QStringLiteral("at the top level")
                                          : QStringLiteral("under '%1'").arg(pathText(path));
                add(QStringLiteral("unknown-key"), Severity::Warning, entry.keyLocation,
                    suggestion.isEmpty() ? QStringLiteral("unknown key '%1' %2 of %3")
                                               .arg(entry.key, where, article(specKindName(m_kind)))
                                         : QStringLiteral("unknown key '%1' %2; did you mean '%3'?")
                                               .arg(entry.key, where, suggestion),
                    suggestion.isEmpty()
                        ? QStringLiteral("Remove it; Azure ML rejects keys it does not know. "
                                         "Valid keys here: %1.")
                              .arg(names.join(QStringLiteral(", ")))
                        : QStringLiteral("Rename it to '%1'.").arg(suggestion));
                continue;
            }
            if (key->readOnly) {
                add(QStringLiteral("read-only-key"), Severity::Info, entry.keyLocation,
                    QStringLiteral("'%1' is set by Azure and ignored when the file is read")
                        .arg(pathText(p)),
                    QStringLiteral("Remove it; it comes from `show` output."));
                continue;
            }
            if (key->managedOnly && m_kubernetes) {
                add(QStringLiteral("managed-only"), Severity::Error, entry.keyLocation,
                    QStringLiteral("'%1' is not supported for Kubernetes %2")
                        .arg(pathText(p), m_kind == SpecKind::Endpoint
                                              ? QStringLiteral("endpoints")
                                              : QStringLiteral("deployments")),
                    QStringLiteral("Remove '%1'.").arg(entry.key));
                continue;
            }
            if (key->kubernetesOnly && !m_kubernetes && entry.key != u"compute") {
                add(QStringLiteral("kubernetes-only"), Severity::Error, entry.keyLocation,
                    QStringLiteral("'%1' applies only to Kubernetes deployments").arg(pathText(p)),
                    QStringLiteral("Remove it, or add 'type: kubernetes' if this deployment "
                                   "targets a Kubernetes cluster."));
                continue;
            }
            if (!checkType(entry, *key, p))
                continue;
            if (!key->values.isEmpty() && entry.isScalar())
                checkEnum(entry, *key, p);
            if (!key->children.isEmpty()) {
                if (entry.isMap()) {
                    checkKeys(entry, p, key->children);
                } else if (entry.isSequence()) {
                    for (qsizetype i = 0; i < entry.children.size(); ++i)
                        checkKeys(entry.children[i], p + QStringList{QString::number(i)},
                                  key->children);
                }
            }
            if (key->type == T::StringMap && entry.isMap()) {
                for (const YamlNode &v : entry.children) {
                    if (!v.isScalar() && !v.isNull())
                        add(QStringLiteral("type-mismatch"), Severity::Error, v.location,
                            QStringLiteral("'%1.%2' must be text, found %3")
                                .arg(pathText(p), v.key, v.typeName()),
                            QStringLiteral("Write a single value, quoted if needed."));
                }
            }
        }
        for (const SchemaKey &k : keys) {
            if (k.required && !map.child(k.name) && !path.isEmpty())
                add(QStringLiteral("required-key"), Severity::Error,
                    map.keyLocation.isValid() ? map.keyLocation : map.location,
                    QStringLiteral("'%1' needs '%2'").arg(pathText(path), k.name),
                    QStringLiteral("Add '%1:' under '%2' (%3).").arg(k.name, path.last(), k.doc));
        }
    }

    static QString article(const QString &noun)
    {
        static const QString vowels = QStringLiteral("aeiouAEIOU");
        return (vowels.contains(noun.front()) ? QStringLiteral("an ") : QStringLiteral("a ")) +
               noun;
    }

    bool checkType(const YamlNode &node, const SchemaKey &key, const QStringList &path)
    {
        if (node.isNull()) {
            if (key.required)
                add(QStringLiteral("missing-value"), Severity::Error, node.keyLocation,
                    QStringLiteral("'%1' has no value").arg(pathText(path)),
                    QStringLiteral("Give '%1' a value: %2").arg(key.name, key.doc));
            return false;
        }
        bool ok = true;
        switch (key.type) {
        case T::String:
            ok = node.isScalar();
            break;
        case T::Integer:
            ok = node.toInt().has_value();
            break;
        case T::Number:
            ok = node.toDouble().has_value();
            break;
        case T::Boolean:
            ok = node.toBool().has_value();
            break;
        case T::Map:
        case T::StringMap:
        case T::IntMap:
            ok = node.isMap();
            break;
        case T::List:
            ok = node.isSequence();
            break;
        case T::StringOrMap:
            ok = node.isScalar() || node.isMap();
            break;
        }
        if (ok)
            return true;
        QString hint = QStringLiteral("Write %1.").arg(schemaTypeName(key.type));
        if (key.type == T::Boolean)
            hint = QStringLiteral("Write true or false (without quotes).");
        else if (key.type == T::Integer && node.isQuoted() && node.toInt() == std::nullopt &&
                 QRegularExpression(QStringLiteral("^[0-9]+$")).match(node.scalar).hasMatch())
            hint = QStringLiteral("Remove the quotes: %1: %2").arg(key.name, node.scalar);
        const QString found =
            node.isScalar()
                ? (node.isQuoted() ? QStringLiteral("quoted text '%1'") : QStringLiteral("'%1'"))
                      .arg(node.scalar.left(40))
                : node.typeName();
        add(QStringLiteral("type-mismatch"), Severity::Error, node.location,
            QStringLiteral("'%1' must be %2, found %3")
                .arg(pathText(path), schemaTypeName(key.type), found),
            hint);
        return false;
    }

    void checkEnum(const YamlNode &node, const SchemaKey &key, const QStringList &path)
    {
        QString value = node.scalar;
        if (key.name == u"auth_mode" ||
            (key.name == u"type" && path.size() == 2 && path.first() == u"identity"))
            value = normalizeAuthMode(value);
        else
            value = value.toLower();
        if (key.values.contains(value))
            return;
        const QString suggestion = Validator::didYouMean(value, key.values);
        add(QStringLiteral("enum-value"), Severity::Error, node.location,
            QStringLiteral("'%1' is not a valid %2; use one of: %3")
                .arg(node.scalar, pathText(path), key.values.join(QStringLiteral(", "))),
            suggestion.isEmpty() ? QStringLiteral("Replace it with one of the allowed values.")
                                 : QStringLiteral("Did you mean '%1'?").arg(suggestion));
    }

    // --- names -------------------------------------------------------------------------
    void checkName(const YamlNode *node, const QString &key, const QString &what)
    {
        if (!node) {
            add(QStringLiteral("required-key"), Severity::Error, topLocation(),
                QStringLiteral("missing required key '%1'").arg(key),
                QStringLiteral("Add '%1: <%2 name>' at the top level.").arg(key, what));
            return;
        }
        if (!node->isScalar())
            return; // reported as missing-value / type-mismatch
        const QString name = node->scalar;
        if (name.size() < 3 || name.size() > 32) {
            add(QStringLiteral("name-length"), Severity::Error, node->location,
                QStringLiteral("%1 name '%2' is %3 character(s) long; it must be 3 to 32")
                    .arg(what, name)
                    .arg(name.size()),
                name.size() < 3 ? QStringLiteral("Use a longer name.")
                                : QStringLiteral("Shorten the name to at most 32 characters."));
        }
        QString problem;
        if (name.isEmpty()) {
            return;
        } else if (!name.front().isLetter() || name.front().unicode() > 127) {
            problem = QStringLiteral("it must start with a letter, not '%1'").arg(name.front());
        } else if (name.back() == u'-') {
            problem = QStringLiteral("it must not end with '-'");
        } else {
            for (int i = 0; i < name.size(); ++i) {
                const QChar c = name.at(i);
                if (!(c.unicode() < 128 && (c.isLetterOrNumber() || c == u'-'))) {
                    problem = QStringLiteral("character '%1' at position %2 is not allowed")
                                  .arg(c)
                                  .arg(i + 1);
                    break;
                }
            }
        }
        if (!problem.isEmpty())
            add(QStringLiteral("name-pattern"), Severity::Error, node->location,
                QStringLiteral("%1 name '%2' is invalid: %3").arg(what, name, problem),
                QStringLiteral("Use letters, digits and '-', start with a letter and do not end "
                               "with '-' (regex ^[a-zA-Z]([-a-zA-Z0-9]*[a-zA-Z0-9])?$)."));
    }

    std::optional<int> intValue(const YamlNode *node) const
    {
        if (!node)
            return std::nullopt;
        const auto v = node->toInt();
        if (!v)
            return std::nullopt;
        return int(std::clamp<qint64>(*v, INT_MIN, INT_MAX));
    }

    void range(const YamlNode *parent, const char *key, int min, int max, const QString &code,
               const QString &why)
    {
        if (!parent)
            return;
        const YamlNode *node = parent->child(QLatin1String(key));
        const auto v = intValue(node);
        if (!v || (*v >= min && *v <= max))
            return;
        const QString where = parent == &m_doc.root() ? QString::fromLatin1(key)
                                                      : parent->key + u'.' + QLatin1String(key);
        add(code, Severity::Error, node->location,
            max == INT_MAX
                ? QStringLiteral("%1 is %2; it must be at least %3").arg(where).arg(*v).arg(min)
            : min == max ? QStringLiteral("%1 is %2; it must be %3").arg(where).arg(*v).arg(min)
                         : QStringLiteral("%1 is %2; it must be between %3 and %4")
                               .arg(where)
                               .arg(*v)
                               .arg(min)
                               .arg(max),
            why);
    }

    // --- endpoint ----------------------------------------------------------------------
    void checkEndpoint()
    {
        checkName(child("name"), QStringLiteral("name"), QStringLiteral("endpoint"));
        if (const YamlNode *auth = child("auth_mode");
            auth && auth->isScalar() && m_kubernetes &&
            normalizeAuthMode(auth->scalar) == u"aad_token")
            add(QStringLiteral("auth-mode-kubernetes"), Severity::Error, auth->location,
                QStringLiteral("auth_mode aad_token is not supported for Kubernetes endpoints"),
                QStringLiteral("Use key or aml_token."));
        if (const YamlNode *identity = child("identity"); identity && identity->isMap()) {
            const YamlNode *type = identity->child(QStringLiteral("type"));
            const YamlNode *ids = identity->child(QStringLiteral("user_assigned_identities"));
            if (type && type->isScalar() && normalizeAuthMode(type->scalar) == u"user_assigned" &&
                (!ids || !ids->isSequence() || ids->children.isEmpty()))
                add(QStringLiteral("identity-user-assigned"), Severity::Error, type->location,
                    QStringLiteral("identity type user_assigned needs user_assigned_identities"),
                    QStringLiteral("Add user_assigned_identities with one {resource_id: <ARM "
                                   "id>}."));
            if (ids && ids->isSequence() && ids->children.size() > 1)
                add(QStringLiteral("identity-user-assigned"), Severity::Error,
                    ids->children.at(1).location,
                    QStringLiteral("at most one user-assigned identity is allowed, found %1")
                        .arg(ids->children.size()),
                    QStringLiteral("Keep one entry."));
        }
        const QString name = m_doc.value(QStringLiteral("name"));
        const YamlNode *traffic = child("traffic");
        QSet<QString> live;
        if (traffic && traffic->isMap()) {
            int total = 0;
            bool allInts = true;
            for (const YamlNode &e : traffic->children) {
                const auto v = intValue(&e);
                if (!v) {
                    allInts = false;
                    add(QStringLiteral("traffic-value"), Severity::Error, e.location,
                        QStringLiteral("traffic for '%1' must be a whole percentage, found %2")
                            .arg(e.key, e.isScalar() ? u'\'' + e.scalar + u'\'' : e.typeName()),
                        QStringLiteral("Write a number from 0 to 100."));
                    continue;
                }
                if (*v < 0 || *v > 100) {
                    add(QStringLiteral("traffic-value"), Severity::Error, e.location,
                        QStringLiteral("traffic for '%1' is %2; it must be 0 to 100")
                            .arg(e.key)
                            .arg(*v),
                        QStringLiteral("Write a percentage from 0 to 100."));
                }
                total += *v;
                if (*v > 0)
                    live.insert(e.key);
                checkDeploymentKnown(e, name, QStringLiteral("traffic"));
            }
            if (allInts && total != 0 && total != 100)
                add(QStringLiteral("traffic-total"), Severity::Error, traffic->keyLocation,
                    QStringLiteral("traffic adds up to %1%; it must total 0 or 100").arg(total),
                    QStringLiteral("Adjust the percentages so they sum to 100 (or all 0)."));
        }
        const YamlNode *mirror = child("mirror_traffic");
        if (mirror && mirror->isMap() && !m_kubernetes) {
            if (mirror->children.size() > 1)
                add(QStringLiteral("mirror-traffic-count"), Severity::Error,
                    mirror->children.at(1).keyLocation,
                    QStringLiteral("mirror_traffic names %1 deployments; only one may receive "
                                   "mirrored traffic")
                        .arg(mirror->children.size()),
                    QStringLiteral("Keep a single deployment under mirror_traffic."));
            for (const YamlNode &e : mirror->children) {
                const auto v = intValue(&e);
                if (!v) {
                    add(QStringLiteral("traffic-value"), Severity::Error, e.location,
                        QStringLiteral("mirror_traffic for '%1' must be a whole percentage")
                            .arg(e.key),
                        QStringLiteral("Write a number from 0 to 50."));
                    continue;
                }
                if (*v < 0 || *v > 50)
                    add(QStringLiteral("mirror-traffic-max"), Severity::Error, e.location,
                        QStringLiteral("mirror_traffic for '%1' is %2%; it must be 0 to 50")
                            .arg(e.key)
                            .arg(*v),
                        QStringLiteral("Mirror at most 50 percent."));
                if (*v > 0 && live.contains(e.key))
                    add(QStringLiteral("mirror-traffic-live"), Severity::Error, e.keyLocation,
                        QStringLiteral("'%1' receives live traffic and cannot also receive "
                                       "mirrored traffic")
                            .arg(e.key),
                        QStringLiteral("Mirror to a deployment whose live traffic is 0."));
                checkDeploymentKnown(e, name, QStringLiteral("mirror_traffic"));
            }
        }
        if (const YamlNode *compute = child("compute");
            compute && compute->isScalar() &&
            m_doc.value(QStringLiteral("$schema")).contains(u"managedOnlineEndpoint"))
            add(QStringLiteral("compute-managed"), Severity::Warning, compute->keyLocation,
                QStringLiteral("'compute' makes this a Kubernetes endpoint, but $schema says "
                               "managed"),
                QStringLiteral("Remove compute for a managed endpoint, or switch $schema to "
                               "kubernetesOnlineEndpoint."));
    }

    void checkDeploymentKnown(const YamlNode &entry, const QString &endpoint, const QString &key)
    {
        if (!m_context.hasWorkspace || endpoint.isEmpty())
            return;
        const QSet<QString> known = m_context.deploymentsByEndpoint.value(endpoint);
        if (known.contains(entry.key))
            return;
        QStringList names = known.values();
        names.sort();
        const QString suggestion = Validator::didYouMean(entry.key, names);
        add(QStringLiteral("traffic-unknown-deployment"), Severity::Error, entry.keyLocation,
            QStringLiteral("%1 names deployment '%2', but no deployment YAML in the workspace "
                           "has endpoint_name '%3' and name '%2'")
                .arg(key, entry.key, endpoint),
            suggestion.isEmpty()
                ? (names.isEmpty() ? QStringLiteral("Create the deployment's YAML, or remove "
                                                    "this entry.")
                                   : QStringLiteral("Known deployments: %1.")
                                         .arg(names.join(QStringLiteral(", "))))
                : QStringLiteral("Did you mean '%1'?").arg(suggestion));
    }

    // --- deployment --------------------------------------------------------------------
    void checkDeployment()
    {
        const YamlNode &root = m_doc.root();
        checkName(child("name"), QStringLiteral("name"), QStringLiteral("deployment"));
        const YamlNode *endpoint = child("endpoint_name");
        checkName(endpoint, QStringLiteral("endpoint_name"), QStringLiteral("endpoint"));
        if (m_kubernetes && endpoint && endpoint->isScalar()) {
            const int total =
                int(endpoint->scalar.size() + m_doc.value(QStringLiteral("name")).size());
            if (total < 6 || total > 62)
                add(QStringLiteral("k8s-name-length"), Severity::Error, endpoint->location,
                    QStringLiteral("endpoint and deployment names together are %1 characters; "
                                   "Kubernetes needs 6 to 62")
                        .arg(total),
                    QStringLiteral("Shorten or lengthen the names."));
        }
        if (endpoint && endpoint->isScalar() && m_context.hasWorkspace &&
            !m_context.endpointNames.contains(endpoint->scalar))
            add(QStringLiteral("endpoint-not-found"), Severity::Info, endpoint->location,
                QStringLiteral("no endpoint YAML in the workspace is named '%1'")
                    .arg(endpoint->scalar),
                QStringLiteral("Create endpoint.yml with 'name: %1', or deploy with an "
                               "existing endpoint; local deploys create it implicitly.")
                    .arg(endpoint->scalar));

        const YamlNode *model = child("model");
        const QString modelType = m_doc.value(QStringLiteral("model.type"));
        const bool noCodeModel = modelType == u"mlflow_model" || modelType == u"triton_model";
        if (model && model->isScalar())
            checkReference(*model, QStringLiteral("model"), QStringLiteral("models"));
        else if (model && model->isMap() && !model->child(QStringLiteral("path")))
            add(QStringLiteral("model-path-missing"), Severity::Error, model->keyLocation,
                QStringLiteral("the inline model has no 'path'"),
                QStringLiteral("Add 'path:' with the model file or folder, relative to this "
                               "YAML, or use azureml:<name>:<version>."));
        const YamlNode *env = child("environment");
        if (!env && !noCodeModel)
            add(QStringLiteral("required-key"), Severity::Error, topLocation(),
                QStringLiteral("missing required key 'environment'"),
                QStringLiteral("Add 'environment:' with 'image:' (and optionally 'conda_file:'), "
                               "or 'build: {path: <docker folder>}'."));
        if (env && env->isScalar())
            checkReference(*env, QStringLiteral("environment"), QStringLiteral("environments"));
        if (env && env->isMap())
            checkEnvironment(*env);

        if (!m_kubernetes) {
            if (!child("instance_type"))
                add(QStringLiteral("missing-instance-type"), Severity::Warning, topLocation(),
                    QStringLiteral("no instance_type; Azure requires it for managed deployments "
                                   "(ignored locally)"),
                    QStringLiteral("Add 'instance_type: Standard_DS3_v2'."));
            if (!child("instance_count"))
                add(QStringLiteral("missing-instance-count"), Severity::Warning, topLocation(),
                    QStringLiteral("no instance_count; Azure requires it for managed "
                                   "deployments (ignored locally)"),
                    QStringLiteral("Add 'instance_count: 1'."));
            range(&root, "instance_count", 1, 50, QStringLiteral("int-range"),
                  QStringLiteral("Managed deployments run 1 to 50 instances."));
        } else {
            range(&root, "instance_count", 1, INT_MAX, QStringLiteral("int-range"),
                  QStringLiteral("Run at least one instance."));
        }
        const YamlNode *request = child("request_settings");
        range(request, "request_timeout_ms", 1, m_kubernetes ? 300000 : 180000,
              QStringLiteral("request-timeout"),
              m_kubernetes ? QStringLiteral("Kubernetes allows at most 300000 ms (300 s).")
                           : QStringLiteral("Managed endpoints allow at most 180000 ms (180 s)."));
        range(request, "max_concurrent_requests_per_instance", 1, INT_MAX,
              QStringLiteral("int-range"), QStringLiteral("Use 1 or more."));
        range(request, "max_queue_wait_ms", 0, INT_MAX, QStringLiteral("int-range"),
              QStringLiteral("Use 0 or more."));
        for (const char *probeKey : {"liveness_probe", "readiness_probe"}) {
            const YamlNode *probe = child(probeKey);
            const QString hint = QStringLiteral("Probe timings are seconds; use 1 or more.");
            range(probe, "initial_delay", 1, INT_MAX, QStringLiteral("probe-value"), hint);
            range(probe, "period", 1, INT_MAX, QStringLiteral("probe-value"), hint);
            range(probe, "timeout", 1, INT_MAX, QStringLiteral("probe-value"), hint);
            range(probe, "failure_threshold", 1, INT_MAX, QStringLiteral("probe-value"), hint);
            if (QLatin1String(probeKey) == QLatin1String("liveness_probe"))
                range(probe, "success_threshold", 1, 1, QStringLiteral("probe-value"),
                      QStringLiteral("The liveness probe's success_threshold is fixed at 1."));
            else
                range(probe, "success_threshold", 1, INT_MAX, QStringLiteral("probe-value"), hint);
        }
        if (const YamlNode *scale = child("scale_settings"); scale && scale->isMap()) {
            const YamlNode *type = scale->child(QStringLiteral("type"));
            if (!m_kubernetes && type && type->isScalar() && type->scalar.toLower() != u"default")
                add(QStringLiteral("scale-type"), Severity::Error, type->location,
                    QStringLiteral("managed deployments support only scale_settings type "
                                   "'default', not '%1'")
                        .arg(type->scalar),
                    QStringLiteral("Write 'type: default' or remove scale_settings."));
            range(scale, "target_utilization_percentage", 1, 100, QStringLiteral("int-range"),
                  QStringLiteral("Use a percentage from 1 to 100."));
            range(scale, "min_instances", 1, INT_MAX, QStringLiteral("int-range"),
                  QStringLiteral("Use 1 or more."));
            range(scale, "polling_interval", 1, INT_MAX, QStringLiteral("int-range"),
                  QStringLiteral("Use 1 second or more."));
            const auto min = intValue(scale->child(QStringLiteral("min_instances")));
            const auto max = intValue(scale->child(QStringLiteral("max_instances")));
            if (min && max && *min > *max)
                add(QStringLiteral("int-range"), Severity::Error,
                    scale->child(QStringLiteral("max_instances"))->location,
                    QStringLiteral("scale_settings.max_instances (%1) is below min_instances "
                                   "(%2)")
                        .arg(*max)
                        .arg(*min),
                    QStringLiteral("Make max_instances at least min_instances."));
        }
        if (const YamlNode *dc = child("data_collector"); dc && dc->isMap()) {
            const YamlNode *rate = dc->child(QStringLiteral("sampling_rate"));
            if (rate) {
                const auto v = rate->toDouble();
                if (v && (*v < 0.0 || *v > 1.0))
                    add(QStringLiteral("number-range"), Severity::Error, rate->location,
                        QStringLiteral("data_collector.sampling_rate is %1; it must be 0.0 to "
                                       "1.0")
                            .arg(rate->scalar),
                        QStringLiteral("Write a fraction, e.g. 1.0 for every request."));
            }
        }
        checkCode();
    }

    void checkReference(const YamlNode &node, const QString &key, const QString &registryKind)
    {
        const QString value = node.scalar;
        static const QRegularExpression asset(
            QStringLiteral("^azureml:[A-Za-z0-9_.-]+(:[A-Za-z0-9_.-]+|@[A-Za-z0-9_.-]+)?$"));
        const QRegularExpression registry(
            QStringLiteral("^azureml://registries/[A-Za-z0-9_.-]+/%1/[A-Za-z0-9_.-]+/"
                           "(versions|labels)/[A-Za-z0-9_.-]+$")
                .arg(registryKind));
        static const QRegularExpression workspace(
            QStringLiteral("^azureml:/subscriptions/.+/(models|environments|codes)/.+$"));
        if (asset.match(value).hasMatch() || registry.match(value).hasMatch() ||
            workspace.match(value).hasMatch()) {
            add(QStringLiteral("azureml-reference"), Severity::Warning, node.location,
                QStringLiteral("%1 '%2' is a cloud asset: valid for Azure, but a local "
                               "deployment needs local files")
                    .arg(key, value),
                key == u"model"
                    ? QStringLiteral("For local runs write 'model: {path: <local folder>}'.")
                    : QStringLiteral("For local runs write 'environment: {image: <image>}' or "
                                     "'build: {path: <folder>}'."));
            return;
        }
        add(QStringLiteral("reference-invalid"), Severity::Error, node.location,
            QStringLiteral("%1 '%2' is neither an inline %1 nor an azureml: reference")
                .arg(key, value),
            QStringLiteral("Write azureml:<name>:<version>, "
                           "azureml://registries/<registry>/%1/<name>/versions/<version>, or an "
                           "inline map.")
                .arg(registryKind));
    }

    void checkEnvironment(const YamlNode &env)
    {
        const YamlNode *image = env.child(QStringLiteral("image"));
        const YamlNode *build = env.child(QStringLiteral("build"));
        if (image && build)
            add(QStringLiteral("environment-image-and-build"), Severity::Error, build->keyLocation,
                QStringLiteral("environment has both 'image' (line %1) and 'build'; use one")
                    .arg(image->keyLocation.line),
                QStringLiteral("Remove 'build' to use the image, or remove 'image' to build from "
                               "the Dockerfile."));
        if (!image && !build)
            add(QStringLiteral("environment-no-image"), Severity::Error, env.keyLocation,
                QStringLiteral("environment has neither 'image' nor 'build'; a local deployment "
                               "needs one of them"),
                QStringLiteral("Add 'image: <container image>' or 'build: {path: <folder with a "
                               "Dockerfile>}'."));
        for (const char *bad : {"channels", "dependencies"}) {
            if (const YamlNode *n = env.child(QLatin1String(bad)))
                add(QStringLiteral("environment-conda-inline"), Severity::Error, n->keyLocation,
                    QStringLiteral("'%1' belongs in a conda file, not directly under environment")
                        .arg(n->key),
                    QStringLiteral("Move channels/dependencies into conda.yaml and write "
                                   "'conda_file: conda.yaml'."));
        }
        if (const YamlNode *ic = env.child(QStringLiteral("inference_config")); ic && ic->isMap()) {
            for (const char *route : {"liveness_route", "readiness_route", "scoring_route"}) {
                const YamlNode *r = ic->child(QLatin1String(route));
                if (!r || !r->isMap())
                    continue; // missing: required-key; wrong type: type-mismatch
                const YamlNode *port = r->child(QStringLiteral("port"));
                if (const auto v = intValue(port); v && (*v < 1 || *v > 65535))
                    add(QStringLiteral("inference-config-route"), Severity::Error, port->location,
                        QStringLiteral("%1.port %2 is not a TCP port")
                            .arg(QLatin1String(route))
                            .arg(*v),
                        QStringLiteral("Use a port from 1 to 65535, e.g. 5001."));
                const YamlNode *path = r->child(QStringLiteral("path"));
                if (path && path->isScalar() && !path->scalar.startsWith(u'/'))
                    add(QStringLiteral("inference-config-route"), Severity::Error, path->location,
                        QStringLiteral("%1.path '%2' must start with '/'")
                            .arg(QLatin1String(route), path->scalar),
                        QStringLiteral("Write '/%1'.").arg(path->scalar));
            }
        }
        if (!m_options.checkFiles)
            return;
        if (const YamlNode *conda = env.child(QStringLiteral("conda_file"));
            conda && conda->isScalar())
            checkPath(*conda, QStringLiteral("environment.conda_file"), false,
                      QStringLiteral("conda-file-not-found"));
        if (build && build->isMap()) {
            const YamlNode *path = build->child(QStringLiteral("path"));
            if (path && path->isScalar() &&
                checkPath(*path, QStringLiteral("environment.build.path"), true,
                          QStringLiteral("build-path-not-found"))) {
                const YamlNode *df = build->child(QStringLiteral("dockerfile_path"));
                const QString dockerfile =
                    df && df->isScalar() ? df->scalar : QStringLiteral("Dockerfile");
                const QString full = QDir::cleanPath(resolve(path->scalar) + u'/' + dockerfile);
                if (!QFileInfo(full).isFile())
                    add(QStringLiteral("dockerfile-not-found"), Severity::Error,
                        df ? df->location : path->location,
                        QStringLiteral("no %1 in the build folder '%2' (looked for %3)")
                            .arg(dockerfile, path->scalar, full),
                        QStringLiteral("Add the Dockerfile, or set build.dockerfile_path to its "
                                       "path relative to build.path."));
            }
        }
    }

    QString resolve(const QString &relative) const
    {
        if (QDir::isAbsolutePath(relative))
            return QDir::cleanPath(relative);
        return QDir::cleanPath(m_dir + u'/' + relative);
    }

    bool checkPath(const YamlNode &node, const QString &key, bool mustBeDir, const QString &code)
    {
        if (isCloudPath(node.scalar))
            return false;
        const QString full = resolve(node.scalar);
        const QFileInfo info(full);
        if (info.exists() && (!mustBeDir || info.isDir()))
            return true;
        add(code, Severity::Error, node.location,
            info.exists()
                ? QStringLiteral("%1 '%2' is a file, but a folder is needed").arg(key, node.scalar)
                : QStringLiteral("%1 '%2' does not exist (resolved to %3)")
                      .arg(key, node.scalar, full),
            QStringLiteral("Paths are relative to the folder of this YAML (%1).").arg(m_dir));
        return false;
    }

    void checkCode()
    {
        const YamlNode *model = child("model");
        if (m_options.checkFiles && model && model->isMap()) {
            if (const YamlNode *path = model->child(QStringLiteral("path"));
                path && path->isScalar())
                checkPath(*path, QStringLiteral("model.path"), false,
                          QStringLiteral("model-path-not-found"));
        }
        const YamlNode *cc = child("code_configuration");
        if (!cc || !cc->isMap())
            return;
        const YamlNode *code = cc->child(QStringLiteral("code"));
        const YamlNode *script = cc->child(QStringLiteral("scoring_script"));
        if (code && code->isScalar() && code->scalar.startsWith(QLatin1String("azureml:"))) {
            add(QStringLiteral("azureml-reference"), Severity::Warning, code->location,
                QStringLiteral("code '%1' is a cloud asset: valid for Azure, but a local "
                               "deployment needs a local folder")
                    .arg(code->scalar),
                QStringLiteral("For local runs point code at a folder next to this YAML."));
            return;
        }
        if (!m_options.checkFiles || !code || !code->isScalar() ||
            !checkPath(*code, QStringLiteral("code_configuration.code"), true,
                       QStringLiteral("code-not-found")))
            return;
        if (!script || !script->isScalar())
            return;
        const QString full = QDir::cleanPath(resolve(code->scalar) + u'/' + script->scalar);
        if (!QFileInfo(full).isFile()) {
            add(QStringLiteral("scoring-script-not-found"), Severity::Error, script->location,
                QStringLiteral("scoring_script '%1' is not in the code folder '%2' (looked for "
                               "%3)")
                    .arg(script->scalar, code->scalar, full),
                QStringLiteral("scoring_script is relative to code_configuration.code."));
            return;
        }
        if (!m_options.checkScoringScript)
            return;
        const Validator::ScriptCheck check = Validator::checkScoringScript(full, m_options.python);
        if (check.syntaxErrorLine > 0 || !check.syntaxError.isEmpty()) {
            add(QStringLiteral("scoring-script-syntax"), Severity::Error, script->location,
                QStringLiteral("%1 line %2: %3 (checked with %4)")
                    .arg(script->scalar)
                    .arg(check.syntaxErrorLine)
                    .arg(check.syntaxError, check.method),
                QStringLiteral("Fix the Python syntax error in %1; Azure refuses the deployment "
                               "otherwise.")
                    .arg(full));
            return;
        }
        QStringList missing;
        if (!check.hasInit)
            missing.append(QStringLiteral("init()"));
        if (!check.hasRun)
            missing.append(QStringLiteral("run()"));
        if (!missing.isEmpty())
            add(QStringLiteral("scoring-script-functions"), Severity::Error, script->location,
                QStringLiteral("%1 does not define %2 at the top level (checked with %3)")
                    .arg(script->scalar, missing.join(QStringLiteral(" and ")), check.method),
                QStringLiteral("The inference server calls init() once and run(data) per "
                               "request; define both in %1.")
                    .arg(full));
    }

    const YamlDocument &m_doc;
    SpecKind m_kind;
    bool m_kubernetes = false;
    const ValidationContext &m_context;
    const Validator::Options &m_options;
    QString m_dir;
    Diagnostics m_out;
};

} // namespace

Diagnostics Validator::validate(const YamlDocument &document, const ValidationContext &context,
                                const Options &options)
{
    return Checker(document, context, options).run();
}

Diagnostics Validator::validate(const YamlDocument &document)
{
    return validate(document, ValidationContext{}, Options{});
}

namespace {

QMutex scriptCacheMutex;
QHash<QString, QPair<QString, Validator::ScriptCheck>> scriptCache;

QString scriptStamp(const QString &path, const QString &python)
{
    const QFileInfo info(path);
    return QString::number(info.size()) + u'/' +
           QString::number(info.lastModified().toMSecsSinceEpoch()) + u'/' + python;
}

Validator::ScriptCheck textScan(const QString &path)
{
    Validator::ScriptCheck result;
    result.method = QStringLiteral("text scan");
    QFile file(path);
    if (file.open(QIODevice::ReadOnly)) {
        const QString text = QString::fromUtf8(file.readAll());
        static const QRegularExpression init(QStringLiteral("^(async\\s+)?def\\s+init\\s*\\("),
                                             QRegularExpression::MultilineOption);
        static const QRegularExpression run(QStringLiteral("^(async\\s+)?def\\s+run\\s*\\("),
                                            QRegularExpression::MultilineOption);
        result.hasInit = init.match(text).hasMatch();
        result.hasRun = run.match(text).hasMatch();
    }
    return result;
}

} // namespace

void Validator::prefetchScoringScripts(const QStringList &paths, const QString &python)
{
    QStringList todo;
    {
        QMutexLocker lock(&scriptCacheMutex);
        for (const QString &path : paths) {
            const auto it = scriptCache.constFind(path);
            if ((it == scriptCache.constEnd() || it->first != scriptStamp(path, python)) &&
                !todo.contains(path) && QFileInfo(path).isFile())
                todo.append(path);
        }
    }
    if (todo.isEmpty())
        return;
    QHash<QString, ScriptCheck> results;
    if (!python.isEmpty() && QFileInfo(python).isExecutable()) {
        // One interpreter for all scripts: starting python3 costs far more than parsing.
        static const QString script = QStringLiteral(
            "import ast, json, sys\n"
            "out = {}\n"
            "for path in sys.argv[1:]:\n"
            "    try:\n"
            "        tree = ast.parse(open(path, 'rb').read())\n"
            "    except SyntaxError as e:\n"
            "        out[path] = {'line': e.lineno or 0, 'error': e.msg}\n"
            "        continue\n"
            "    except Exception:\n"
            "        continue\n"
            "    out[path] = {'functions': [n.name for n in tree.body if isinstance(n, "
            "(ast.FunctionDef, ast.AsyncFunctionDef))]}\n"
            "print(json.dumps(out))\n");
        QProcess process;
        process.start(python,
                      QStringList{QStringLiteral("-I"), QStringLiteral("-c"), script} + todo);
        if (process.waitForFinished(30000) && process.exitStatus() == QProcess::NormalExit &&
            process.exitCode() == 0) {
            const QJsonObject all =
                QJsonDocument::fromJson(process.readAllStandardOutput()).object();
            for (auto it = all.begin(); it != all.end(); ++it) {
                const QJsonObject o = it.value().toObject();
                ScriptCheck result;
                result.method = QStringLiteral("python3 ast");
                if (o.contains(QLatin1String("error"))) {
                    result.syntaxError = o.value(QLatin1String("error")).toString();
                    result.syntaxErrorLine = o.value(QLatin1String("line")).toInt();
                } else {
                    const QJsonArray names = o.value(QLatin1String("functions")).toArray();
                    result.hasInit = names.contains(QJsonValue(QStringLiteral("init")));
                    result.hasRun = names.contains(QJsonValue(QStringLiteral("run")));
                }
                results.insert(it.key(), result);
            }
        } else {
            process.kill();
            process.waitForFinished(1000);
        }
    }
    QMutexLocker lock(&scriptCacheMutex);
    for (const QString &path : todo) {
        const auto it = results.constFind(path);
        scriptCache.insert(
            path, {scriptStamp(path, python), it != results.constEnd() ? *it : textScan(path)});
    }
}

Validator::ScriptCheck Validator::checkScoringScript(const QString &path, const QString &python)
{
    prefetchScoringScripts({path}, python);
    QMutexLocker lock(&scriptCacheMutex);
    const auto it = scriptCache.constFind(path);
    return it != scriptCache.constEnd() ? it->second : ScriptCheck{};
}

QString Validator::didYouMean(const QString &word, const QStringList &candidates)
{
    auto distance = [](const QString &a, const QString &b) {
        QList<int> prev(b.size() + 1), cur(b.size() + 1);
        for (int j = 0; j <= b.size(); ++j)
            prev[j] = j;
        for (int i = 1; i <= a.size(); ++i) {
            cur[0] = i;
            for (int j = 1; j <= b.size(); ++j) {
                const int cost = a.at(i - 1).toLower() == b.at(j - 1).toLower() ? 0 : 1;
                cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost});
            }
            std::swap(prev, cur);
        }
        return prev[b.size()];
    };
    QString best;
    int bestDistance = std::max<int>(2, int(word.size()) / 3) + 1;
    for (const QString &c : candidates) {
        const int d = distance(word, c);
        if (d < bestDistance) {
            bestDistance = d;
            best = c;
        }
    }
    return best;
}
