#include "models/yamlnode.h"

#include <QRegularExpression>

bool YamlNode::isNullValue() const
{
    if (kind == Kind::Null)
        return true;
    return kind == Kind::Scalar && style == Style::Plain &&
           (scalar == u"~" || scalar == u"null" || scalar == u"Null" || scalar == u"NULL");
}

const YamlNode *YamlNode::child(const QString &name) const
{
    if (kind != Kind::Map)
        return nullptr;
    // The last of duplicate keys wins, as in Azure's loader.
    for (auto it = children.crbegin(); it != children.crend(); ++it) {
        if (it->key == name)
            return &*it;
    }
    return nullptr;
}

const YamlNode *YamlNode::item(qsizetype index) const
{
    if (kind != Kind::Sequence || index < 0 || index >= children.size())
        return nullptr;
    return &children.at(index);
}

QStringList YamlNode::keys() const
{
    QStringList out;
    for (const YamlNode &c : children)
        out.append(c.key);
    return out;
}

const YamlNode *YamlNode::find(const QStringList &path) const
{
    const YamlNode *node = this;
    for (const QString &segment : path) {
        if (node->isMap()) {
            node = node->child(segment);
        } else if (node->isSequence()) {
            bool ok = false;
            const int index = segment.toInt(&ok);
            node = ok ? node->item(index) : nullptr;
        } else {
            return nullptr;
        }
        if (!node)
            return nullptr;
    }
    return node;
}

std::optional<qint64> YamlNode::toInt() const
{
    if (kind != Kind::Scalar || style != Style::Plain)
        return std::nullopt;
    static const QRegularExpression decimal(QStringLiteral("^[-+]?[0-9]+$"));
    bool ok = false;
    qint64 v = 0;
    if (decimal.match(scalar).hasMatch())
        v = scalar.toLongLong(&ok, 10);
    else if (scalar.startsWith(QLatin1String("0x")))
        v = scalar.mid(2).toLongLong(&ok, 16);
    else if (scalar.startsWith(QLatin1String("0o")))
        v = scalar.mid(2).toLongLong(&ok, 8);
    if (!ok)
        return std::nullopt;
    return v;
}

std::optional<double> YamlNode::toDouble() const
{
    if (kind != Kind::Scalar || style != Style::Plain)
        return std::nullopt;
    if (const auto i = toInt())
        return double(*i);
    static const QRegularExpression number(
        QStringLiteral("^[-+]?(\\.[0-9]+|[0-9]+(\\.[0-9]*)?)([eE][-+]?[0-9]+)?$"));
    if (!number.match(scalar).hasMatch())
        return std::nullopt;
    return scalar.toDouble();
}

std::optional<bool> YamlNode::toBool() const
{
    if (kind != Kind::Scalar || style != Style::Plain)
        return std::nullopt;
    if (scalar == u"true" || scalar == u"True" || scalar == u"TRUE")
        return true;
    if (scalar == u"false" || scalar == u"False" || scalar == u"FALSE")
        return false;
    return std::nullopt;
}

QMap<QString, QString> YamlNode::toStringMap() const
{
    QMap<QString, QString> out;
    if (kind != Kind::Map)
        return out;
    for (const YamlNode &c : children) {
        if (c.isScalar())
            out.insert(c.key, c.scalar);
    }
    return out;
}

QVariant YamlNode::toVariant() const
{
    switch (kind) {
    case Kind::Null:
        return {};
    case Kind::Map: {
        QVariantMap map;
        for (const YamlNode &c : children)
            map.insert(c.key, c.toVariant());
        return map;
    }
    case Kind::Sequence: {
        QVariantList list;
        for (const YamlNode &c : children)
            list.append(c.toVariant());
        return list;
    }
    case Kind::Scalar:
        break;
    }
    if (isNullValue())
        return {};
    if (const auto i = toInt())
        return *i;
    if (const auto d = toDouble())
        return *d;
    if (const auto b = toBool())
        return *b;
    return scalar;
}

QString YamlNode::typeName() const
{
    switch (kind) {
    case Kind::Map:
        return QStringLiteral("a map");
    case Kind::Sequence:
        return QStringLiteral("a list");
    case Kind::Null:
        return QStringLiteral("nothing");
    case Kind::Scalar:
        break;
    }
    if (isNullValue())
        return QStringLiteral("null");
    if (toInt())
        return QStringLiteral("a number");
    if (toBool())
        return QStringLiteral("a boolean");
    return QStringLiteral("text");
}
