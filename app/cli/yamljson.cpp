#include "app/cli/yamljson.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QRegularExpression>

#include <yaml-cpp/yaml.h>

namespace {

QJsonValue plainScalar(const QString &text)
{
    static const QRegularExpression nullRe(QStringLiteral("^(?:~|null|Null|NULL|)$"));
    static const QRegularExpression intRe(QStringLiteral("^[-+]?[0-9]+$"));
    static const QRegularExpression floatRe(
        QStringLiteral(R"(^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$)"));
    if (nullRe.match(text).hasMatch())
        return QJsonValue::Null;
    if (text == u"true" || text == u"True" || text == u"TRUE")
        return true;
    if (text == u"false" || text == u"False" || text == u"FALSE")
        return false;
    if (intRe.match(text).hasMatch()) {
        bool ok = false;
        const qint64 value = text.toLongLong(&ok);
        if (ok)
            return value;
    }
    if (floatRe.match(text).hasMatch())
        return text.toDouble();
    if (text.startsWith(QLatin1String("0x"))) {
        bool ok = false;
        const qint64 value = text.mid(2).toLongLong(&ok, 16);
        if (ok)
            return value;
    }
    const QString lower = text.toLower();
    if (lower == u".inf" || lower == u"+.inf")
        return std::numeric_limits<double>::infinity();
    if (lower == u"-.inf")
        return -std::numeric_limits<double>::infinity();
    return text;
}

QJsonValue convert(const YAML::Node &node)
{
    switch (node.Type()) {
    case YAML::NodeType::Null:
    case YAML::NodeType::Undefined:
        return QJsonValue::Null;
    case YAML::NodeType::Scalar: {
        const QString text = QString::fromStdString(node.Scalar());
        return node.Tag() == "?" ? plainScalar(text) : QJsonValue(text);
    }
    case YAML::NodeType::Sequence: {
        QJsonArray array;
        for (const YAML::Node &item : node)
            array.append(convert(item));
        return array;
    }
    case YAML::NodeType::Map: {
        QJsonObject object;
        for (const auto &pair : node)
            object.insert(QString::fromStdString(pair.first.as<std::string>()),
                          convert(pair.second));
        return object;
    }
    }
    return QJsonValue::Null;
}

} // namespace

Result<QJsonValue> YamlJson::fromYaml(const QByteArray &text)
{
    try {
        return convert(YAML::Load(text.toStdString()));
    } catch (const YAML::Exception &error) {
        return Result<QJsonValue>::failure(
            QString::fromStdString(error.msg),
            SourceLocation{QString(), error.mark.line + 1, error.mark.column + 1, -1, 0});
    }
}
