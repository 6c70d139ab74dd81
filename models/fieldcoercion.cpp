#include "models/fieldcoercion.h"

#include "models/yamldocument.h"

#include <QRegularExpression>
#include <QSet>

#include <cmath>

namespace {

// Python's int(str): optional sign, digits with single underscores, surrounding whitespace.
std::optional<qint64> pythonInt(const QString &text)
{
    static const QRegularExpression pattern(QStringLiteral("^\\s*[-+]?[0-9]+(_[0-9]+)*\\s*$"));
    if (!pattern.match(text).hasMatch())
        return std::nullopt;
    QString digits = text.trimmed();
    digits.remove(u'_');
    bool ok = false;
    const qint64 v = digits.toLongLong(&ok, 10);
    return ok ? std::optional<qint64>(v) : std::nullopt;
}

// Python's float(str) for finite values (marshmallow's Float refuses nan and inf).
std::optional<double> pythonFloat(const QString &text)
{
    static const QRegularExpression pattern(
        QStringLiteral("^\\s*[-+]?([0-9]+(_[0-9]+)*(\\.([0-9]+(_[0-9]+)*)?)?|\\.[0-9]+(_[0-9]+)*)(["
                       "eE][-+]?[0-9]+)?"
                       "\\s*$"));
    if (!pattern.match(text).hasMatch())
        return std::nullopt;
    QString digits = text.trimmed();
    digits.remove(u'_');
    bool ok = false;
    const double v = digits.toDouble(&ok);
    return ok && std::isfinite(v) ? std::optional<double>(v) : std::nullopt;
}

bool plain(const YamlNode &node)
{
    return node.isScalar() && node.style == YamlNode::Style::Plain;
}

} // namespace

std::optional<FieldCoercion::Value<qint64>> FieldCoercion::toInt(const YamlNode &node)
{
    if (!node.isScalar() || node.isNullValue())
        return std::nullopt;
    if (plain(node)) {
        if (node.toBool())
            return std::nullopt; // marshmallow's Number refuses booleans
        if (const auto i = node.toInt())
            return Value<qint64>{*i, How::Exact};
        if (const auto d = node.toDouble(); d && std::isfinite(*d)) {
            const double whole = std::trunc(*d);
            return Value<qint64>{qint64(whole), whole == *d ? How::Coerced : How::Truncated};
        }
    }
    if (const auto i = pythonInt(node.scalar))
        return Value<qint64>{*i, How::Coerced};
    return std::nullopt;
}

std::optional<FieldCoercion::Value<double>> FieldCoercion::toNumber(const YamlNode &node)
{
    if (!node.isScalar() || node.isNullValue())
        return std::nullopt;
    if (plain(node)) {
        if (node.toBool())
            return std::nullopt;
        if (const auto d = node.toDouble(); d && std::isfinite(*d))
            return Value<double>{*d, How::Exact};
    }
    if (const auto d = pythonFloat(node.scalar))
        return Value<double>{*d, How::Coerced};
    return std::nullopt;
}

std::optional<FieldCoercion::Value<bool>> FieldCoercion::toBool(const YamlNode &node)
{
    if (!node.isScalar() || node.isNullValue())
        return std::nullopt;
    if (plain(node)) {
        if (const auto b = node.toBool())
            return Value<bool>{*b, How::Exact};
        if (const auto i = node.toInt(); i && (*i == 0 || *i == 1))
            return Value<bool>{*i == 1, How::Coerced};
        if (const auto d = node.toDouble(); d && *d == 0.0)
            return Value<bool>{false, How::Coerced};
    }
    // marshmallow.fields.Boolean.truthy / falsy
    static const QSet<QString> truthy = {
        QStringLiteral("t"),    QStringLiteral("T"),    QStringLiteral("true"),
        QStringLiteral("True"), QStringLiteral("TRUE"), QStringLiteral("on"),
        QStringLiteral("On"),   QStringLiteral("ON"),   QStringLiteral("y"),
        QStringLiteral("Y"),    QStringLiteral("yes"),  QStringLiteral("Yes"),
        QStringLiteral("YES"),  QStringLiteral("1")};
    static const QSet<QString> falsy = {
        QStringLiteral("f"),     QStringLiteral("F"),     QStringLiteral("false"),
        QStringLiteral("False"), QStringLiteral("FALSE"), QStringLiteral("off"),
        QStringLiteral("Off"),   QStringLiteral("OFF"),   QStringLiteral("n"),
        QStringLiteral("N"),     QStringLiteral("no"),    QStringLiteral("No"),
        QStringLiteral("NO"),    QStringLiteral("0")};
    if (truthy.contains(node.scalar))
        return Value<bool>{true, How::Coerced};
    if (falsy.contains(node.scalar))
        return Value<bool>{false, How::Coerced};
    return std::nullopt;
}

bool FieldCoercion::isText(const YamlNode &node)
{
    if (!node.isScalar() || node.isNullValue())
        return false;
    if (!plain(node))
        return true;
    return !node.toBool() && !node.toDouble();
}

QString FieldCoercion::yamlTypeName(const YamlNode &node)
{
    if (node.isNullValue())
        return QStringLiteral("nothing (null)");
    if (!node.isScalar())
        return node.typeName();
    if (plain(node)) {
        if (node.toBool())
            return QStringLiteral("a boolean");
        if (node.toDouble())
            return QStringLiteral("a number");
    }
    return QStringLiteral("text");
}
