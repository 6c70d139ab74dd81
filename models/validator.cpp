#include "models/validator.h"

#include "models/endpointspec.h"
#include "models/fieldcoercion.h"
#include "models/schema.h"
#include "models/validationrules.h"
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

#include <climits>

namespace {

using T = SchemaKey::Type;
using How = FieldCoercion::How;

bool isUrl(const QString &value)
{
    return value.startsWith(QLatin1String("http://")) ||
           value.startsWith(QLatin1String("https://"));
}

bool isCloudPath(const QString &value)
{
    return value.startsWith(QLatin1String("azureml:")) || isUrl(value);
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
        const YamlNode &root = doc.root();
        if (m_kind == SpecKind::Endpoint) {
            // OnlineEndpoint._load: a `compute` value makes it a Kubernetes endpoint.
            const YamlNode *compute = root.child(QStringLiteral("compute"));
            m_kubernetes = compute && !compute->isNullValue();
        } else if (isDeployment(m_kind)) {
            // OnlineDeployment._load: only `type: kubernetes` selects the Kubernetes schema.
            const YamlNode *type = root.child(QStringLiteral("type"));
            m_kubernetes = type && type->isScalar() && camelToSnake(type->scalar) == u"kubernetes";
            m_kind = m_kubernetes ? SpecKind::KubernetesDeployment : SpecKind::ManagedDeployment;
        }
    }

    Diagnostics run()
    {
        m_out = m_doc.diagnostics();
        for (Diagnostic &d : m_out) {
            if (const ValidationRule *rule = ValidationRules::instance().rule(d.code))
                d.source = rule->source;
        }
        const YamlNode &root = m_doc.root();
        if (hasErrors(m_out) && root.isNull())
            return m_out;
        if (m_kind == SpecKind::NotAzureMl) {
            if (!root.isNull() && !root.isMap())
                add(QStringLiteral("not-a-map"), root.location,
                    QStringLiteral("this file is %1, not a map of keys; it is not an Azure ML "
                                   "endpoint or deployment")
                        .arg(root.typeName()),
                    QStringLiteral("Endpoint and deployment files start with 'name:' at the "
                                   "left margin."));
            return m_out;
        }
        checkMap(root, {}, Schema::instance().keysAt(m_kind, {}),
                 Schema::instance().topClass(m_kind));
        if (m_kind == SpecKind::Endpoint)
            checkEndpoint();
        else
            checkDeployment();
        return m_out;
    }

private:
    bool deploying() const { return m_options.purpose == Validator::Purpose::LocalDeploy; }

    void add(const QString &code, const SourceLocation &where, const QString &message,
             const QString &hint, const QString &source = {})
    {
        Diagnostic d;
        d.code = code;
        const ValidationRule *rule = ValidationRules::instance().rule(code);
        if (rule) {
            d.severity =
                m_options.target == Validator::Target::Azure ? rule->azureSeverity : rule->severity;
            d.source = rule->source;
        } else {
            qWarning("validator: code '%s' is not in the rule table", qPrintable(code));
            d.severity = Severity::Error;
        }
        if (!source.isEmpty())
            d.source = source;
        d.message = message;
        if (rule && rule->checkedBy == u"service" && d.severity != Severity::Error)
            d.message += QStringLiteral(" (Azure's service rejects this; a local deploy goes "
                                        "ahead)");
        else if (rule && rule->checkedBy == u"cloud" && d.severity != Severity::Error)
            d.message += QStringLiteral(" (az ml rejects this for Azure; a local deploy goes "
                                        "ahead)");
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

    static QString article(const QString &noun)
    {
        static const QString vowels = QStringLiteral("aeiouAEIOU");
        return (vowels.contains(noun.front()) ? QStringLiteral("an ") : QStringLiteral("a ")) +
               noun;
    }

    // --- keys, types, enums (the marshmallow schemas) ------------------------------------
    void checkMap(const YamlNode &map, const QStringList &path, QList<SchemaKey> keys,
                  const QString &schemaClass)
    {
        if (!map.isMap())
            return;
        QString mapClass = schemaClass;
        if (path == QStringList{QStringLiteral("scale_settings")}) {
            // UnionField(DefaultScaleSettingsSchema, TargetUtilizationScaleSettingsSchema): with
            // type default only `type` is known.
            const YamlNode *type = map.child(QStringLiteral("type"));
            if (type && type->isScalar() && camelToSnake(type->scalar) == u"default") {
                keys.erase(std::remove_if(keys.begin(), keys.end(),
                                          [](const SchemaKey &k) { return k.name != u"type"; }),
                           keys.end());
                mapClass = QStringLiteral("_schema/_deployment/online/scale_settings_schema.py "
                                          "DefaultScaleSettingsSchema");
            }
        }
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
                if (m_kind == SpecKind::Endpoint && path.isEmpty() && entry.key == u"compute")
                    continue; // a managed endpoint has no compute by definition
                const QString suggestion = Validator::didYouMean(entry.key, names);
                const QString where = path.isEmpty()
                                          ? QStringLiteral("at the top level")
                                          : QStringLiteral("under '%1'").arg(pathText(path));
                add(QStringLiteral("unknown-key"), entry.keyLocation,
                    suggestion.isEmpty() ? QStringLiteral("unknown key '%1' %2 of %3")
                                               .arg(entry.key, where, article(specKindName(m_kind)))
                                         : QStringLiteral("unknown key '%1' %2; did you mean '%3'?")
                                               .arg(entry.key, where, suggestion),
                    suggestion.isEmpty()
                        ? QStringLiteral("Remove it; Azure ML's schema refuses keys it does not "
                                         "know. Valid keys here: %1.")
                              .arg(names.join(QStringLiteral(", ")))
                        : QStringLiteral("Rename it to '%1'.").arg(suggestion),
                    mapClass + QStringLiteral(" (unknown = RAISE)"));
                continue;
            }
            if (key->readOnly) {
                if (entry.isNullValue())
                    continue;
                add(QStringLiteral("read-only-key"), entry.keyLocation,
                    QStringLiteral("'%1' is set by Azure and ignored when the file is read")
                        .arg(pathText(p)),
                    QStringLiteral("Remove it; it comes from `show` output."), key->azure);
                continue;
            }
            if (key->managedOnly && m_kubernetes) {
                add(QStringLiteral("managed-only"), entry.keyLocation,
                    QStringLiteral("'%1' is not part of Azure's schema for Kubernetes %2")
                        .arg(pathText(p), m_kind == SpecKind::Endpoint
                                              ? QStringLiteral("endpoints")
                                              : QStringLiteral("deployments")),
                    QStringLiteral("Remove '%1'; it applies to managed online %2 only.")
                        .arg(entry.key, m_kind == SpecKind::Endpoint
                                            ? QStringLiteral("endpoints")
                                            : QStringLiteral("deployments")),
                    key->azure);
                continue;
            }
            if (key->kubernetesOnly && !m_kubernetes) {
                add(QStringLiteral("kubernetes-only"), entry.keyLocation,
                    QStringLiteral("'%1' is part of Azure's schema for Kubernetes deployments "
                                   "only")
                        .arg(pathText(p)),
                    QStringLiteral("Remove it, or add 'type: kubernetes' if this deployment "
                                   "targets a Kubernetes cluster."),
                    key->azure);
                continue;
            }
            if (entry.isNullValue()) {
                if (key->name != u"$schema")
                    add(QStringLiteral("missing-value"),
                        entry.isNull() ? entry.keyLocation : entry.location,
                        QStringLiteral("'%1' has no value; Azure's schema refuses a null here")
                            .arg(pathText(p)),
                        QStringLiteral("Give '%1' a value (%2), or remove the key.")
                            .arg(key->name, key->doc),
                        key->azure);
                continue;
            }
            checkValue(entry, *key, p);
        }
        for (const SchemaKey &k : keys) {
            if (k.required && !map.child(k.name) && !path.isEmpty())
                add(QStringLiteral("required-key"),
                    map.keyLocation.isValid() ? map.keyLocation : map.location,
                    QStringLiteral("'%1' needs '%2'").arg(pathText(path), k.name),
                    QStringLiteral("Add '%1:' under '%2' (%3).").arg(k.name, path.last(), k.doc),
                    k.azure);
        }
    }

    void typeMismatch(const YamlNode &node, const SchemaKey &key, const QStringList &path,
                      const QString &expected, const QString &hint)
    {
        const QString found = node.isScalar()
                                  ? QStringLiteral("%1 '%2'").arg(FieldCoercion::yamlTypeName(node),
                                                                  node.scalar.left(40))
                                  : node.typeName();
        add(QStringLiteral("type-mismatch"), node.location,
            QStringLiteral("'%1' must be %2, found %3").arg(pathText(path), expected, found), hint,
            key.azure);
    }

    void coerced(const YamlNode &node, const SchemaKey &key, const QStringList &path,
                 const QString &readAs)
    {
        add(QStringLiteral("coerced-value"), node.location,
            QStringLiteral("'%1' is %2 '%3'; Azure reads it as %4")
                .arg(pathText(path), FieldCoercion::yamlTypeName(node), node.scalar, readAs),
            QStringLiteral("Nothing to fix; write %1 to say so directly.").arg(readAs), key.azure);
    }

    // The value of one known key: its type as the marshmallow field reads it, then its
    // allowed values and nested keys.
    void checkValue(const YamlNode &node, const SchemaKey &key, const QStringList &path)
    {
        const QString quoteHint = QStringLiteral("Quote it: %1: \"%2\"")
                                      .arg(key.name, node.isScalar() ? node.scalar : QString());
        switch (key.type) {
        case T::String:
            if (!node.isScalar()) {
                typeMismatch(node, key, path, schemaTypeName(key.type),
                             QStringLiteral("Write a single value."));
                return;
            }
            if (!FieldCoercion::isText(node)) {
                if (!key.values.isEmpty()) {
                    checkEnum(node, key, path); // says it needs text
                    return;
                }
                typeMismatch(node, key, path, QStringLiteral("text"),
                             quoteHint + QStringLiteral(" (fields.Str takes only text)."));
                return;
            }
            if (!key.values.isEmpty())
                checkEnum(node, key, path);
            return;
        case T::Version:
            if (!node.isScalar())
                typeMismatch(node, key, path, schemaTypeName(key.type),
                             QStringLiteral("Write a version such as 1 or \"2024-01\"."));
            return;
        case T::Integer: {
            const auto v = FieldCoercion::toInt(node);
            if (!v) {
                typeMismatch(node, key, path, schemaTypeName(key.type),
                             QStringLiteral("Write a whole number, e.g. %1: %2")
                                 .arg(key.name, key.defaultValue.isEmpty() ? QStringLiteral("1")
                                                                           : key.defaultValue));
            } else if (v->how == How::Truncated) {
                add(QStringLiteral("coerced-fraction"), node.location,
                    QStringLiteral("'%1' is %2; Azure's schema cuts it to %3")
                        .arg(pathText(path), node.scalar)
                        .arg(v->value),
                    QStringLiteral("Write a whole number: %1: %2").arg(key.name).arg(v->value),
                    key.azure);
            } else if (v->how == How::Coerced) {
                coerced(node, key, path, QString::number(v->value));
            }
            return;
        }
        case T::Number: {
            const auto v = FieldCoercion::toNumber(node);
            if (!v)
                typeMismatch(node, key, path, schemaTypeName(key.type),
                             QStringLiteral("Write a number, e.g. %1: 1.0").arg(key.name));
            else if (v->how == How::Coerced)
                coerced(node, key, path, QString::number(v->value));
            return;
        }
        case T::Boolean: {
            const auto v = FieldCoercion::toBool(node);
            if (!v)
                typeMismatch(node, key, path, schemaTypeName(key.type),
                             QStringLiteral("Write true or false."));
            else if (v->how == How::Coerced)
                coerced(node, key, path,
                        v->value ? QStringLiteral("true") : QStringLiteral("false"));
            return;
        }
        case T::Map:
            if (!node.isMap()) {
                typeMismatch(
                    node, key, path, schemaTypeName(key.type),
                    QStringLiteral("Write key: value lines indented under '%1'.").arg(key.name));
                return;
            }
            if (key.name == u"tags" || key.name == u"properties" ||
                key.name == u"environment_variables") {
                for (const YamlNode &v : node.children) {
                    if (!v.isScalar() && !v.isNullValue())
                        add(QStringLiteral("map-value-not-text"), v.location,
                            QStringLiteral("'%1.%2' is %3; Azure sends %4 as text values")
                                .arg(pathText(path), v.key, v.typeName(), key.name),
                            QStringLiteral("Write a single value, quoted if needed."), key.azure);
                }
            }
            if (!key.children.isEmpty())
                checkMap(node, path, key.children, key.azureClass);
            return;
        case T::TextMap:
            if (!node.isMap()) {
                typeMismatch(node, key, path, schemaTypeName(key.type),
                             QStringLiteral("Write key: value lines."));
                return;
            }
            checkTextValues(node, key, path);
            return;
        case T::IntMap:
            if (!node.isMap()) {
                typeMismatch(
                    node, key, path, schemaTypeName(key.type),
                    QStringLiteral("Write one 'deployment: percent' line per deployment."));
                return;
            }
            for (const YamlNode &e : node.children) {
                const auto v = FieldCoercion::toInt(e);
                if (!v || v->how == How::Truncated)
                    add(QStringLiteral("traffic-value"), e.location,
                        QStringLiteral("%1 for '%2' must be a whole percentage, found %3")
                            .arg(key.name, e.key,
                                 e.isScalar() ? u'\'' + e.scalar + u'\'' : e.typeName()),
                        QStringLiteral("Write a number from 0 to 100."), key.azure);
                else if (v->how == How::Coerced)
                    coerced(e, key, path + QStringList{e.key}, QString::number(v->value));
            }
            return;
        case T::List:
            if (!node.isSequence()) {
                typeMismatch(node, key, path, schemaTypeName(key.type),
                             QStringLiteral("Write a list: one '- ' item per line."));
                return;
            }
            for (qsizetype i = 0; i < node.children.size(); ++i) {
                const YamlNode &item = node.children.at(i);
                const QStringList itemPath = path + QStringList{QString::number(i)};
                if (!item.isMap()) {
                    typeMismatch(item, key, itemPath, QStringLiteral("a map"),
                                 QStringLiteral("Write the item as key: value lines."));
                    continue;
                }
                // user_assigned_identities: fields.Dict(keys=Str, values=Str), any keys.
                checkTextValues(item, key, itemPath);
            }
            return;
        case T::StringList:
            if (!node.isSequence()) {
                typeMismatch(node, key, path, schemaTypeName(key.type),
                             QStringLiteral("Write a list: [a, b] or one '- ' item per line."));
                return;
            }
            for (qsizetype i = 0; i < node.children.size(); ++i) {
                const YamlNode &item = node.children.at(i);
                if (!FieldCoercion::isText(item))
                    typeMismatch(item, key, path + QStringList{QString::number(i)},
                                 QStringLiteral("text"), QStringLiteral("Quote the item."));
            }
            return;
        case T::StringOrMap:
            if (node.isScalar()) {
                if (!key.children.isEmpty() && !FieldCoercion::isText(node))
                    typeMismatch(node, key, path, schemaTypeName(key.type), quoteHint);
                return;
            }
            if (!node.isMap()) {
                typeMismatch(node, key, path, schemaTypeName(key.type),
                             QStringLiteral("Write a reference or key: value lines."));
                return;
            }
            if (!key.children.isEmpty())
                checkMap(node, path, key.children, key.azureClass);
            return;
        case T::MapOf:
            if (!node.isMap()) {
                typeMismatch(node, key, path, schemaTypeName(key.type),
                             QStringLiteral("Write one named entry per line."));
                return;
            }
            for (const YamlNode &entry : node.children) {
                const QStringList p = path + QStringList{entry.key};
                if (!entry.isMap()) {
                    typeMismatch(entry, key, p, QStringLiteral("a map"),
                                 QStringLiteral("Write the entry's keys indented under it."));
                    continue;
                }
                checkMap(entry, p, key.children, key.azureClass);
                for (const SchemaKey &c : key.children) {
                    if (c.required && !entry.child(c.name))
                        add(QStringLiteral("required-key"),
                            entry.keyLocation.isValid() ? entry.keyLocation : entry.location,
                            QStringLiteral("'%1' needs '%2'").arg(pathText(p), c.name),
                            QStringLiteral("Add '%1:' under '%2' (%3).")
                                .arg(c.name, entry.key, c.doc),
                            c.azure);
                }
            }
            return;
        }
    }

    void checkTextValues(const YamlNode &map, const SchemaKey &key, const QStringList &path)
    {
        for (const YamlNode &v : map.children) {
            if (!FieldCoercion::isText(v))
                typeMismatch(v, key, path + QStringList{v.key}, QStringLiteral("text"),
                             v.isScalar()
                                 ? QStringLiteral("Quote it: %1: \"%2\"").arg(v.key, v.scalar)
                                 : QStringLiteral("Write a single value."));
        }
    }

    void checkEnum(const YamlNode &node, const SchemaKey &key, const QStringList &path)
    {
        // StringTransformedEnum takes text only, then compares after its casing transform.
        if (!FieldCoercion::isText(node)) {
            add(QStringLiteral("enum-value"), node.location,
                QStringLiteral("'%1' must be one of %2 written as text; YAML reads %3 as %4")
                    .arg(pathText(path), key.values.join(QStringLiteral(", ")), node.scalar,
                         FieldCoercion::yamlTypeName(node)),
                QStringLiteral("Quote it: %1: '%2'").arg(key.name, node.scalar), key.azure);
            return;
        }
        const QString value = key.casing == SchemaKey::Casing::CamelToSnake
                                  ? camelToSnake(node.scalar)
                                  : node.scalar.toLower();
        if (key.values.contains(value))
            return;
        const QString suggestion = Validator::didYouMean(value, key.values);
        add(QStringLiteral("enum-value"), node.location,
            QStringLiteral("'%1' is not a valid %2; use one of: %3")
                .arg(node.scalar, pathText(path), key.values.join(QStringLiteral(", "))),
            suggestion.isEmpty() ? QStringLiteral("Replace it with one of the allowed values.")
                                 : QStringLiteral("Did you mean '%1'?").arg(suggestion),
            key.azure);
    }

    // --- names -------------------------------------------------------------------------
    // Only Azure's cloud path checks names (OnlineDeployment._validate_name and
    // OnlineEndpoint._to_rest_online_endpoint call validate_endpoint_or_deployment_name).
    void checkNamePattern(const YamlNode *node, const QString &what)
    {
        if (!node || !node->isScalar() || !FieldCoercion::isText(*node))
            return;
        const QString name = node->scalar;
        if (name.isEmpty())
            return;
        if (name.size() < 3 || name.size() > 32) {
            add(QStringLiteral("name-length"), node->location,
                QStringLiteral("%1 name '%2' is %3 character(s) long; Azure needs 3 to 32")
                    .arg(what, name)
                    .arg(name.size()),
                name.size() < 3 ? QStringLiteral("Use a longer name.")
                                : QStringLiteral("Shorten the name to at most 32 characters."));
        }
        QString problem;
        if (!name.front().isLetter() || name.front().unicode() > 127) {
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
            add(QStringLiteral("name-pattern"), node->location,
                QStringLiteral("%1 name '%2' is invalid for Azure: %3").arg(what, name, problem),
                QStringLiteral("Use letters, digits and '-', start with a letter and do not end "
                               "with '-' (regex ^[a-zA-Z]([-a-zA-Z0-9]*[a-zA-Z0-9])?$)."));
    }

    void requireName()
    {
        if (!child("name"))
            add(QStringLiteral("required-key"), topLocation(),
                QStringLiteral("missing required key 'name'"),
                QStringLiteral("Add 'name: <%1 name>' at the top level.")
                    .arg(m_kind == SpecKind::Endpoint ? QStringLiteral("endpoint")
                                                      : QStringLiteral("deployment")),
                m_kind == SpecKind::Endpoint
                    ? QStringLiteral("_schema/_endpoint/endpoint.py EndpointSchema.name")
                    : QStringLiteral("_schema/_deployment/deployment.py DeploymentSchema.name"));
    }

    std::optional<int> intValue(const YamlNode *node) const
    {
        if (!node)
            return std::nullopt;
        const auto v = FieldCoercion::toInt(*node);
        if (!v)
            return std::nullopt;
        return int(std::clamp<qint64>(v->value, INT_MIN, INT_MAX));
    }

    void range(const YamlNode *parent, const char *key, int min, int max, const QString &code,
               const QString &why)
    {
        if (!parent || !parent->isMap())
            return;
        const YamlNode *node = parent->child(QLatin1String(key));
        const auto v = intValue(node);
        if (!v || (*v >= min && *v <= max))
            return;
        const QString where = parent == &m_doc.root() ? QString::fromLatin1(key)
                                                      : parent->key + u'.' + QLatin1String(key);
        add(code, node->location,
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
        requireName();
        checkNamePattern(child("name"), QStringLiteral("endpoint"));
        if (const YamlNode *auth = child("auth_mode");
            auth && auth->isScalar() && m_kubernetes && camelToSnake(auth->scalar) == u"aad_token")
            add(QStringLiteral("auth-mode-kubernetes"), auth->location,
                QStringLiteral("auth_mode aad_token is not supported for Kubernetes endpoints"),
                QStringLiteral("Use key or aml_token."));
        if (const YamlNode *identity = child("identity"); identity && identity->isMap()) {
            const YamlNode *type = identity->child(QStringLiteral("type"));
            const YamlNode *ids = identity->child(QStringLiteral("user_assigned_identities"));
            if (!type)
                add(QStringLiteral("identity-type-missing"), identity->keyLocation,
                    QStringLiteral("identity has no 'type'"),
                    QStringLiteral("Add 'type: system_assigned' (or user_assigned with "
                                   "user_assigned_identities)."));
            if (type && type->isScalar() && camelToSnake(type->scalar) == u"user_assigned" &&
                (!ids || !ids->isSequence() || ids->children.isEmpty()))
                add(QStringLiteral("identity-user-assigned"), type->location,
                    QStringLiteral("identity type user_assigned needs user_assigned_identities"),
                    QStringLiteral("Add user_assigned_identities with one {resource_id: <ARM "
                                   "id>}."));
            if (ids && ids->isSequence() && ids->children.size() > 1)
                add(QStringLiteral("identity-count"), ids->children.at(1).location,
                    QStringLiteral("only 1 user assigned identity is supported, %1 found")
                        .arg(ids->children.size()),
                    QStringLiteral("Keep one entry."));
        }
        const QString name = m_doc.value(QStringLiteral("name"));
        const YamlNode *traffic = child("traffic");
        QSet<QString> live;
        if (traffic && traffic->isMap()) {
            qint64 total = 0;
            bool allInts = true;
            for (const YamlNode &e : traffic->children) {
                const auto v = intValue(&e);
                if (!v) {
                    allInts = false;
                    continue; // traffic-value
                }
                if (*v < 0 || *v > 100)
                    add(QStringLiteral("traffic-range"), e.location,
                        QStringLiteral("traffic for '%1' is %2; it must be 0 to 100")
                            .arg(e.key)
                            .arg(*v),
                        QStringLiteral("Write a percentage from 0 to 100."));
                total += *v;
                if (*v > 0)
                    live.insert(e.key);
                checkDeploymentKnown(e, name, QStringLiteral("traffic"));
            }
            if (allInts && total > 100)
                add(QStringLiteral("traffic-over-100"), traffic->keyLocation,
                    QStringLiteral("traffic adds up to %1%; Traffic rule percentages must sum to "
                                   "less than or equal to 100%")
                        .arg(total),
                    QStringLiteral("Lower the percentages so they sum to 100."));
            else if (allInts && total != 0 && total != 100)
                add(QStringLiteral("traffic-total"), traffic->keyLocation,
                    QStringLiteral("traffic adds up to %1%; it must total 0 or 100").arg(total),
                    QStringLiteral("Adjust the percentages so they sum to 100 (or all 0)."));
        }
        const YamlNode *mirror = child("mirror_traffic");
        if (mirror && mirror->isMap() && !mirror->children.isEmpty()) {
            if (m_kubernetes)
                add(QStringLiteral("mirror-traffic-kubernetes"), mirror->keyLocation,
                    QStringLiteral("mirror_traffic is not supported for Kubernetes endpoints"),
                    QStringLiteral("Remove mirror_traffic, or use a managed endpoint."));
            if (mirror->children.size() > 1)
                add(QStringLiteral("mirror-traffic-count"), mirror->children.at(1).keyLocation,
                    QStringLiteral("mirror_traffic names %1 deployments; only one may receive "
                                   "mirrored traffic")
                        .arg(mirror->children.size()),
                    QStringLiteral("Keep a single deployment under mirror_traffic."));
            for (const YamlNode &e : mirror->children) {
                const auto v = intValue(&e);
                if (!v)
                    continue; // traffic-value
                if (*v < 0 || *v > 50)
                    add(QStringLiteral("mirror-traffic-max"), e.location,
                        QStringLiteral("mirror_traffic for '%1' is %2%; it must be 0 to 50")
                            .arg(e.key)
                            .arg(*v),
                        QStringLiteral("Mirror at most 50 percent."));
                if (*v > 0 && live.contains(e.key))
                    add(QStringLiteral("mirror-traffic-live"), e.keyLocation,
                        QStringLiteral("'%1' receives live traffic and cannot also receive "
                                       "mirrored traffic")
                            .arg(e.key),
                        QStringLiteral("Mirror to a deployment whose live traffic is 0."));
                checkDeploymentKnown(e, name, QStringLiteral("mirror_traffic"));
            }
        }
        if (const YamlNode *compute = child("compute");
            compute && compute->isScalar() && !compute->isNullValue()) {
            if (!compute->scalar.startsWith(QLatin1String("azureml:")))
                add(QStringLiteral("compute-reference"), compute->location,
                    QStringLiteral("compute '%1' is not an azureml: reference")
                        .arg(compute->scalar),
                    QStringLiteral("Write compute: azureml:%1").arg(compute->scalar));
            if (m_doc.value(QStringLiteral("$schema")).contains(u"managedOnlineEndpoint"))
                add(QStringLiteral("compute-managed"), compute->keyLocation,
                    QStringLiteral("'compute' makes this a Kubernetes endpoint, but $schema says "
                                   "managed"),
                    QStringLiteral("Remove compute for a managed endpoint, or switch $schema to "
                                   "kubernetesOnlineEndpoint."));
        }
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
        add(QStringLiteral("traffic-unknown-deployment"), entry.keyLocation,
            QStringLiteral("%1 names deployment '%2', but no deployment YAML in the workspace "
                           "deploys to endpoint '%3' as '%2'")
                .arg(key, entry.key, endpoint),
            suggestion.isEmpty()
                ? (names.isEmpty() ? QStringLiteral("Create the deployment's YAML, or remove "
                                                    "this entry.")
                                   : QStringLiteral("Known deployments: %1.")
                                         .arg(names.join(QStringLiteral(", "))))
                : QStringLiteral("Did you mean '%1'?").arg(suggestion));
    }

    // --- deployment --------------------------------------------------------------------
    // A local model folder with an MLmodel file, or type mlflow_model.
    bool isMlflowModel() const
    {
        const YamlNode *model = child("model");
        if (!model || !model->isMap())
            return false;
        const YamlNode *type = model->child(QStringLiteral("type"));
        if (type && type->isScalar() && type->scalar.toLower() == u"mlflow_model")
            return true;
        const YamlNode *path = model->child(QStringLiteral("path"));
        if (!path || !path->isScalar() || isCloudPath(path->scalar))
            return false;
        const QFileInfo info(resolve(path->scalar));
        return info.isDir()
                   ? QFileInfo(info.absoluteFilePath() + QStringLiteral("/MLmodel")).isFile()
                   : info.fileName() == u"MLmodel";
    }

    void checkDeployment()
    {
        const YamlNode &root = m_doc.root();
        requireName();
        checkNamePattern(child("name"), QStringLiteral("deployment"));
        const YamlNode *endpoint = child("endpoint_name");
        const QString fromContext = m_context.endpointFor(m_doc.filePath());
        QString endpointName = fromContext;
        if (!m_context.endpointName.isEmpty()) {
            endpointName = m_context.endpointName; // --endpoint-name wins, as in az ml
        } else if (endpoint && endpoint->isScalar() && !endpoint->isNullValue()) {
            endpointName = endpoint->scalar;
            checkNamePattern(endpoint, QStringLiteral("endpoint"));
        } else if (!endpoint && fromContext.isEmpty()) {
            add(QStringLiteral("endpoint-name-missing"), topLocation(),
                QStringLiteral("no endpoint_name, and no endpoint to deploy under is known"),
                QStringLiteral("Pass --endpoint-name (as Azure's sample scripts do), deploy it "
                               "under an endpoint in the workspace tree, or add 'endpoint_name: "
                               "<endpoint>'."));
        }
        if (m_kubernetes && !endpointName.isEmpty()) {
            const int total = int(endpointName.size() + m_doc.value(QStringLiteral("name")).size());
            if (total < 6 || total > 62)
                add(QStringLiteral("k8s-name-length"),
                    endpoint ? endpoint->location : topLocation(),
                    QStringLiteral("endpoint and deployment names together are %1 characters; "
                                   "Kubernetes needs 6 to 62")
                        .arg(total),
                    QStringLiteral("Shorten or lengthen the names."));
        }
        if (endpoint && endpoint->isScalar() && m_context.hasWorkspace &&
            m_context.endpointName.isEmpty() && !endpoint->scalar.isEmpty() &&
            !m_context.endpointNames.contains(endpoint->scalar))
            add(QStringLiteral("endpoint-not-found"), endpoint->location,
                QStringLiteral("no endpoint YAML in the workspace is named '%1'")
                    .arg(endpoint->scalar),
                QStringLiteral("Create endpoint.yml with 'name: %1', or deploy with an "
                               "existing endpoint; local deploys create it implicitly.")
                    .arg(endpoint->scalar));
        if (!m_kubernetes) {
            const YamlNode *schema = child("$schema");
            if (schema && schema->isScalar() &&
                schema->scalar.contains(u"kubernetesOnlineDeployment", Qt::CaseInsensitive))
                add(QStringLiteral("kubernetes-type-missing"), schema->location,
                    QStringLiteral("$schema says Kubernetes, but without 'type: kubernetes' Azure "
                                   "reads this as a managed deployment"),
                    QStringLiteral("Add 'type: kubernetes'."));
        }

        checkModelAndEnvironment();

        if (!m_kubernetes) {
            const YamlNode *type = child("instance_type");
            if (!type)
                add(QStringLiteral("instance-type-missing"), topLocation(),
                    QStringLiteral("no instance_type; Azure's schema requires it for managed "
                                   "deployments (it is not used locally)"),
                    QStringLiteral("Add 'instance_type: Standard_DS3_v2'."));
            else if (type->isScalar() && (type->scalar.toLower() == u"standard_ds1_v2" ||
                                          type->scalar.toLower() == u"standard_ds2_v2"))
                add(QStringLiteral("instance-type-small"), type->location,
                    QStringLiteral("instance type %1 may be too small for compute resources; "
                                   "the minimum recommended SKU is Standard_DS3_v2")
                        .arg(type->scalar),
                    QStringLiteral("Use Standard_DS3_v2 or larger."));
            if (!child("instance_count"))
                add(QStringLiteral("missing-instance-count"), topLocation(),
                    QStringLiteral("no instance_count; Azure's documentation requires it for "
                                   "managed deployments"),
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
            if (!m_kubernetes && type && type->isScalar() &&
                camelToSnake(type->scalar) == u"target_utilization")
                add(QStringLiteral("scale-type"), type->location,
                    QStringLiteral("ManagedOnlineEndpoint supports DefaultScaleSettings only, not "
                                   "'%1'")
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
                add(QStringLiteral("int-range"),
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
                const auto v = FieldCoercion::toNumber(*rate);
                if (v && (v->value < 0.0 || v->value > 1.0))
                    add(QStringLiteral("number-range"), rate->location,
                        QStringLiteral("data_collector.sampling_rate is %1; Sampling rate must be "
                                       "an number in range (0.0-1.0)")
                            .arg(rate->scalar),
                        QStringLiteral("Write a fraction, e.g. 1.0 for every request."));
            }
        }
    }

    void checkModelAndEnvironment()
    {
        const YamlNode *model = child("model");
        const YamlNode *env = child("environment");
        const YamlNode *cc = child("code_configuration");
        const bool mlflow = isMlflowModel();
        if (!model) {
            add(QStringLiteral("model-missing"), topLocation(),
                QStringLiteral("no model: az ml … --local refuses this (it always requires "
                               "model.path); Azure and the studio run it"),
                QStringLiteral("Nothing to fix for custom containers that carry their model; "
                               "otherwise add 'model: {path: <file or folder>}'."));
        } else if (model->isScalar() && !model->isNullValue()) {
            checkReference(*model, QStringLiteral("model"), QStringLiteral("models"));
        } else if (model->isMap()) {
            const YamlNode *path = model->child(QStringLiteral("path"));
            if (!path)
                add(QStringLiteral("model-path-missing"), model->keyLocation,
                    QStringLiteral("the inline model has no 'path'"),
                    QStringLiteral("Add 'path:' with the model file or folder, relative to this "
                                   "YAML, or use azureml:<name>:<version>."));
            else if (m_options.checkFiles && path->isScalar() && !path->isNullValue())
                checkPath(*path, QStringLiteral("model.path"), false,
                          QStringLiteral("model-path-not-found"));
        }
        if (!env) {
            if (mlflow) {
                if (deploying())
                    add(QStringLiteral("mlflow-no-code-local"), topLocation(),
                        QStringLiteral("a no-code MLflow deployment cannot run here without an "
                                       "environment: Azure supplies one in the cloud, but a "
                                       "local run needs an image that has mlflow and "
                                       "azureml-inference-server-http"),
                        QStringLiteral("Choose such an image for local runs (environment.image), "
                                       "e.g. --set environment.image=<image>; the YAML can stay "
                                       "as it is for Azure."));
                else
                    add(QStringLiteral("mlflow-no-code"), topLocation(),
                        QStringLiteral("no-code MLflow deployment: Azure supplies the environment "
                                       "and the scoring script"),
                        QStringLiteral("To run it here, choose an image with mlflow and "
                                       "azureml-inference-server-http when deploying."));
            } else if (model && model->isScalar()) {
                add(QStringLiteral("environment-unverifiable"), topLocation(),
                    QStringLiteral("no environment: valid only if '%1' is an MLflow model, which "
                                   "cannot be checked offline")
                        .arg(model->scalar),
                    QStringLiteral("Add 'environment:' unless the registered model is an MLflow "
                                   "model."));
            } else {
                add(QStringLiteral("environment-missing"), topLocation(),
                    QStringLiteral("no environment; a deployment of a %1 needs one (only MLflow "
                                   "models deploy without)")
                        .arg(model ? QStringLiteral("custom model") : QStringLiteral("container")),
                    QStringLiteral("Add 'environment:' with 'image:' (and optionally "
                                   "'conda_file:'), or 'build: {path: <docker folder>}'."));
            }
        } else if (env->isScalar() && !env->isNullValue()) {
            checkReference(*env, QStringLiteral("environment"), QStringLiteral("environments"));
        } else if (env->isMap()) {
            checkEnvironment(*env);
        }
        const bool byoc = env && env->isMap() && env->child(QStringLiteral("inference_config"));
        if (!cc) {
            if (!mlflow && !byoc && !(model && model->isScalar() && !env))
                add(QStringLiteral("code-configuration-missing"), topLocation(),
                    QStringLiteral("no code_configuration; only MLflow models and custom "
                                   "containers (environment.inference_config) deploy without "
                                   "scoring code"),
                    QStringLiteral("Add 'code_configuration: {code: <folder>, scoring_script: "
                                   "score.py}'."));
            return;
        }
        checkCode(*cc);
    }

    void checkReference(const YamlNode &node, const QString &key, const QString &registryKind)
    {
        const QString value = node.scalar;
        // RegistryStr, ArmVersionedStr (allow_default_version) in _schema/core/fields.py.
        static const QRegularExpression asset(
            QStringLiteral("^azureml:[A-Za-z0-9_.-]+(:[A-Za-z0-9_.-]+|@[A-Za-z0-9_.-]+)?$"));
        const QRegularExpression registry(
            QStringLiteral("^azureml://registries/[A-Za-z0-9_.-]+/%1/[A-Za-z0-9_.-]+"
                           "(/(versions|labels)/[A-Za-z0-9_.-]+)?$")
                .arg(registryKind));
        static const QRegularExpression workspace(
            QStringLiteral("^azureml:/subscriptions/.+/(models|environments|codes)/.+$"));
        if (asset.match(value).hasMatch() || registry.match(value).hasMatch() ||
            workspace.match(value).hasMatch()) {
            cloudAsset(node, key);
            return;
        }
        add(QStringLiteral("reference-invalid"), node.location,
            QStringLiteral("%1 '%2' is neither an inline %1 nor an azureml: reference")
                .arg(key, value),
            QStringLiteral("Write azureml:<name>:<version>, "
                           "azureml://registries/<registry>/%1/<name>/versions/<version>, or an "
                           "inline map.")
                .arg(registryKind));
    }

    // A registered asset: az ml … --local downloads it from the workspace; the studio works
    // offline and needs the files.
    void cloudAsset(const YamlNode &node, const QString &key)
    {
        const QString hint =
            key == u"model"
                ? QStringLiteral("For local runs write 'model: {path: <local folder>}'.")
            : key == u"environment"
                ? QStringLiteral("For local runs write 'environment: {image: <image>}' or "
                                 "'build: {path: <folder>}'.")
                : QStringLiteral("For local runs point code at a folder next to this YAML.");
        if (deploying())
            add(QStringLiteral("cloud-asset-local"), node.location,
                QStringLiteral("%1 '%2' is a registered Azure asset; the studio deploys local "
                               "files only")
                    .arg(key, node.scalar),
                hint);
        else
            add(QStringLiteral("azureml-reference"), node.location,
                QStringLiteral("%1 '%2' is a cloud asset: valid for Azure, but a local "
                               "deployment needs local files")
                    .arg(key, node.scalar),
                hint);
    }

    void checkEnvironment(const YamlNode &env)
    {
        const YamlNode *image = env.child(QStringLiteral("image"));
        const YamlNode *build = env.child(QStringLiteral("build"));
        if (image && build)
            add(QStringLiteral("environment-image-and-build"), build->keyLocation,
                QStringLiteral("environment has both 'image' (line %1) and 'build'; a local "
                               "deploy uses the image, Azure refuses both")
                    .arg(image->keyLocation.line),
                QStringLiteral("Remove 'build' to use the image, or remove 'image' to build from "
                               "the Dockerfile."));
        if (!image && !build)
            add(QStringLiteral("environment-no-image"), env.keyLocation,
                QStringLiteral("environment has neither 'image' nor 'build'; a local deployment "
                               "needs one of them"),
                QStringLiteral("Add 'image: <container image>' or 'build: {path: <folder with a "
                               "Dockerfile>}'."));
        for (const char *bad : {"channels", "dependencies"}) {
            if (const YamlNode *n = env.child(QLatin1String(bad)))
                add(QStringLiteral("environment-conda-inline"), n->keyLocation,
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
                    add(QStringLiteral("inference-config-route"), port->location,
                        QStringLiteral("%1.port %2 is not a TCP port")
                            .arg(QLatin1String(route))
                            .arg(*v),
                        QStringLiteral("Use a port from 1 to 65535, e.g. 5001."));
                const YamlNode *path = r->child(QStringLiteral("path"));
                if (path && path->isScalar() && FieldCoercion::isText(*path) &&
                    !path->scalar.startsWith(u'/'))
                    add(QStringLiteral("inference-config-route"), path->location,
                        QStringLiteral("%1.path '%2' must start with '/'")
                            .arg(QLatin1String(route), path->scalar),
                        QStringLiteral("Write '/%1'.").arg(path->scalar));
            }
        }
        if (!m_options.checkFiles)
            return;
        if (const YamlNode *conda = env.child(QStringLiteral("conda_file"));
            conda && conda->isScalar() && !conda->isNullValue())
            checkPath(*conda, QStringLiteral("environment.conda_file"), false,
                      QStringLiteral("conda-file-not-found"));
        if (build && build->isMap()) {
            const YamlNode *path = build->child(QStringLiteral("path"));
            if (path && path->isScalar() && !path->isNullValue() && !isUrl(path->scalar) &&
                checkPath(*path, QStringLiteral("environment.build.path"), true,
                          QStringLiteral("build-path-not-found")) &&
                !image) {
                const YamlNode *df = build->child(QStringLiteral("dockerfile_path"));
                const QString dockerfile =
                    df && df->isScalar() ? df->scalar : QStringLiteral("Dockerfile");
                const QString full = QDir::cleanPath(resolve(path->scalar) + u'/' + dockerfile);
                if (!QFileInfo(full).isFile())
                    add(QStringLiteral("dockerfile-not-found"), df ? df->location : path->location,
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
        add(code, node.location,
            info.exists()
                ? QStringLiteral("%1 '%2' is a file, but a folder is needed").arg(key, node.scalar)
                : QStringLiteral("%1 '%2' does not exist (resolved to %3)")
                      .arg(key, node.scalar, full),
            QStringLiteral("Paths are relative to the folder of this YAML (%1).").arg(m_dir));
        return false;
    }

    void checkCode(const YamlNode &cc)
    {
        if (!cc.isMap())
            return;
        const YamlNode *code = cc.child(QStringLiteral("code"));
        const YamlNode *script = cc.child(QStringLiteral("scoring_script"));
        // _local_endpoints/validators/code_validator.py: both are required locally.
        for (const auto &[node, name] :
             {std::pair{code, "code"}, std::pair{script, "scoring_script"}}) {
            if (!node)
                add(QStringLiteral("code-configuration-incomplete"), cc.keyLocation,
                    QStringLiteral("code_configuration has no '%1'").arg(QLatin1String(name)),
                    QStringLiteral("Add '%1:' under code_configuration (the folder with the "
                                   "scoring code, and the script in it).")
                        .arg(QLatin1String(name)));
        }
        if (code && code->isScalar() && isCloudPath(code->scalar)) {
            cloudAsset(*code, QStringLiteral("code"));
            return;
        }
        if (!m_options.checkFiles || !code || !code->isScalar() || code->isNullValue() ||
            !checkPath(*code, QStringLiteral("code_configuration.code"), true,
                       QStringLiteral("code-not-found")))
            return;
        if (!script || !script->isScalar() || script->isNullValue())
            return;
        const QString full = QDir::cleanPath(resolve(code->scalar) + u'/' + script->scalar);
        if (!QFileInfo(full).isFile()) {
            add(QStringLiteral("scoring-script-not-found"), script->location,
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
            add(QStringLiteral("scoring-script-syntax"), script->location,
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
            add(QStringLiteral("scoring-script-functions"), script->location,
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

QString ValidationContext::endpointFor(const QString &filePath) const
{
    if (!endpointName.isEmpty())
        return endpointName;
    return endpointOfFile.value(QFileInfo(filePath).absoluteFilePath());
}

Diagnostics Validator::validate(const YamlDocument &document, const ValidationContext &context,
                                const Options &options)
{
    return Checker(document, context, options).run();
}

Diagnostics Validator::validate(const YamlDocument &document)
{
    return validate(document, ValidationContext{}, Options{});
}

std::optional<Validator::Target> Validator::targetFromName(const QString &name)
{
    if (name == u"local")
        return Target::Local;
    if (name == u"azure")
        return Target::Azure;
    return std::nullopt;
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
