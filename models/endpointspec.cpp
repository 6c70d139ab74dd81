#include "models/endpointspec.h"

#include "models/fieldcoercion.h"
#include "models/schema.h"
#include "models/yamldocument.h"

#include <QFileInfo>

namespace {

QMap<QString, int> percentMap(const YamlNode *node)
{
    QMap<QString, int> out;
    if (!node || !node->isMap())
        return out;
    for (const YamlNode &c : node->children) {
        if (const auto v = FieldCoercion::toInt(c))
            out.insert(c.key, int(std::clamp<qint64>(v->value, -1000, 1000)));
    }
    return out;
}

} // namespace

int EndpointSpec::trafficTotal() const
{
    int total = 0;
    for (const int v : traffic)
        total += v;
    return total;
}

QString normalizeAuthMode(const QString &value)
{
    // StringTransformedEnum(casing_transform=camel_to_snake): Key, AMLToken, AADToken.
    return camelToSnake(value);
}

EndpointSpec EndpointSpec::fromDocument(const YamlDocument &document)
{
    EndpointSpec spec;
    spec.filePath = document.filePath().isEmpty()
                        ? QString()
                        : QFileInfo(document.filePath()).absoluteFilePath();
    const YamlNode &root = document.root();
    auto text = [&](const char *key) {
        const YamlNode *n = root.child(QLatin1String(key));
        return n && n->isScalar() && !n->isNullValue() ? n->scalar : QString();
    };
    spec.schema = text("$schema");
    spec.name = text("name");
    spec.description = text("description");
    if (const YamlNode *n = root.child(QStringLiteral("tags")))
        spec.tags = n->toStringMap();
    if (const QString auth = text("auth_mode"); !auth.isEmpty())
        spec.authMode = normalizeAuthMode(auth);
    spec.compute = text("compute");
    if (const YamlNode *identity = root.child(QStringLiteral("identity"))) {
        if (const YamlNode *type = identity->child(QStringLiteral("type"));
            type && type->isScalar())
            spec.identityType = normalizeAuthMode(type->scalar);
        if (const YamlNode *list = identity->child(QStringLiteral("user_assigned_identities"));
            list && list->isSequence()) {
            for (const YamlNode &item : list->children) {
                if (const YamlNode *id = item.child(QStringLiteral("resource_id"));
                    id && id->isScalar())
                    spec.userAssignedIdentities.append(id->scalar);
                else if (item.isScalar())
                    spec.userAssignedIdentities.append(item.scalar);
            }
        }
    } else {
        spec.identityType = QStringLiteral("system_assigned"); // what the SDK sends when omitted
    }
    spec.traffic = percentMap(root.child(QStringLiteral("traffic")));
    spec.mirrorTraffic = percentMap(root.child(QStringLiteral("mirror_traffic")));
    if (const QString access = text("public_network_access"); !access.isEmpty())
        spec.publicNetworkAccess = access.toLower();
    return spec;
}
