#include "app/cli/jmespathvalue.h"

#include <QJsonArray>
#include <QJsonObject>

#include <algorithm>
#include <cmath>
#include <limits>

JmesPathValue JmesPathValue::boolean(bool value)
{
    return JmesPathValue(Data(value));
}

JmesPathValue JmesPathValue::integer(qint64 value)
{
    return JmesPathValue(Data(value));
}

JmesPathValue JmesPathValue::real(double value)
{
    return JmesPathValue(Data(value));
}

JmesPathValue JmesPathValue::wholeNumber(double value)
{
    if (!std::isfinite(value))
        return real(value);
    // [-2^63, 2^63): the doubles that convert to qint64.
    if (value >= -9223372036854775808.0 && value < 9223372036854775808.0)
        return integer(static_cast<qint64>(value));
    return JmesPathValue(Data(Large{value}));
}

JmesPathValue JmesPathValue::string(QString value)
{
    return JmesPathValue(Data(std::move(value)));
}

JmesPathValue JmesPathValue::array(Array elements)
{
    return JmesPathValue(Data(std::make_shared<const Array>(std::move(elements))));
}

JmesPathValue JmesPathValue::object(Object members)
{
    return JmesPathValue(Data(std::make_shared<const Object>(std::move(members))));
}

JmesPathValue JmesPathValue::expression(std::shared_ptr<const JmesPathNode> node)
{
    return JmesPathValue(Data(std::move(node)));
}

bool JmesPathValue::toBool() const
{
    const bool *value = std::get_if<bool>(&m_data);
    return value && *value;
}

qint64 JmesPathValue::toInteger() const
{
    const qint64 *value = std::get_if<qint64>(&m_data);
    return value ? *value : 0;
}

double JmesPathValue::toDouble() const
{
    if (const double *value = std::get_if<double>(&m_data))
        return *value;
    if (const qint64 *value = std::get_if<qint64>(&m_data))
        return static_cast<double>(*value);
    if (const Large *value = std::get_if<Large>(&m_data))
        return value->value;
    return 0;
}

const QString &JmesPathValue::toString() const
{
    static const QString empty;
    const QString *value = std::get_if<QString>(&m_data);
    return value ? *value : empty;
}

const JmesPathValue::Array &JmesPathValue::toArray() const
{
    static const Array empty;
    const auto *value = std::get_if<std::shared_ptr<const Array>>(&m_data);
    return value ? **value : empty;
}

const JmesPathValue::Object &JmesPathValue::toObject() const
{
    static const Object empty;
    const auto *value = std::get_if<std::shared_ptr<const Object>>(&m_data);
    return value ? **value : empty;
}

const std::shared_ptr<const JmesPathNode> &JmesPathValue::toExpression() const
{
    static const std::shared_ptr<const JmesPathNode> none;
    const auto *value = std::get_if<std::shared_ptr<const JmesPathNode>>(&m_data);
    return value ? *value : none;
}

const JmesPathValue *JmesPathValue::member(const QString &key) const
{
    for (const Member &member : toObject()) {
        if (member.first == key)
            return &member.second;
    }
    return nullptr;
}

QString JmesPathValue::typeName() const
{
    switch (type()) {
    case Type::Null:
        return QStringLiteral("null");
    case Type::Boolean:
        return QStringLiteral("boolean");
    case Type::Integer:
    case Type::Double:
    case Type::LargeInteger:
        return QStringLiteral("number");
    case Type::String:
        return QStringLiteral("string");
    case Type::Array:
        return QStringLiteral("array");
    case Type::Object:
        return QStringLiteral("object");
    case Type::Expression:
        return QStringLiteral("expression");
    }
    return {};
}

bool JmesPathValue::isTruthy() const
{
    switch (type()) {
    case Type::Null:
        return false;
    case Type::Boolean:
        return toBool();
    case Type::String:
        return !toString().isEmpty();
    case Type::Array:
        return !toArray().empty();
    case Type::Object:
        return !toObject().empty();
    case Type::Integer:
    case Type::Double:
    case Type::LargeInteger:
    case Type::Expression:
        return true;
    }
    return true;
}

bool JmesPathValue::containsExpression() const
{
    switch (type()) {
    case Type::Expression:
        return true;
    case Type::Array:
        for (const JmesPathValue &element : toArray()) {
            if (element.containsExpression())
                return true;
        }
        return false;
    case Type::Object:
        for (const Member &member : toObject()) {
            if (member.second.containsExpression())
                return true;
        }
        return false;
    default:
        return false;
    }
}

namespace {

// Integers and doubles compared exactly, as python compares int with float: every qint64 and
// every double is exact as a long double (64-bit mantissa on x86-64).
int compareNumbers(const JmesPathValue &a, const JmesPathValue &b)
{
    if (a.type() == JmesPathValue::Type::Integer && b.type() == JmesPathValue::Type::Integer)
        return a.toInteger() < b.toInteger() ? -1 : (a.toInteger() > b.toInteger() ? 1 : 0);
    const auto exact = [](const JmesPathValue &v) {
        return v.type() == JmesPathValue::Type::Integer ? static_cast<long double>(v.toInteger())
                                                        : static_cast<long double>(v.toDouble());
    };
    const long double x = exact(a);
    const long double y = exact(b);
    if (x < y)
        return -1;
    if (x > y)
        return 1;
    return x == y ? 0 : 2; // 2: unordered (NaN)
}

} // namespace

bool JmesPathValue::equals(const JmesPathValue &other) const
{
    if (isNumber() && other.isNumber())
        return compareNumbers(*this, other) == 0;
    if (type() != other.type())
        return false;
    switch (type()) {
    case Type::Null:
        return true;
    case Type::Boolean:
        return toBool() == other.toBool();
    case Type::String:
        return toString() == other.toString();
    case Type::Array: {
        const Array &mine = toArray();
        const Array &theirs = other.toArray();
        if (mine.size() != theirs.size())
            return false;
        for (size_t i = 0; i < mine.size(); ++i) {
            if (!mine[i].equals(theirs[i]))
                return false;
        }
        return true;
    }
    case Type::Object: {
        const Object &mine = toObject();
        if (mine.size() != other.toObject().size())
            return false;
        for (const Member &member : mine) {
            const JmesPathValue *match = other.member(member.first);
            if (!match || !member.second.equals(*match))
                return false;
        }
        return true;
    }
    default:
        return false;
    }
}

int JmesPathValue::compareCodePoints(const QString &a, const QString &b)
{
    const qsizetype n = std::min(a.size(), b.size());
    for (qsizetype i = 0; i < n; ++i) {
        char16_t x = a.at(i).unicode();
        char16_t y = b.at(i).unicode();
        if (x == y)
            continue;
        // Surrogates (D800-DFFF) encode code points above FFFF, so they sort after E000-FFFF.
        const auto fix = [](char16_t c) -> int {
            if (c >= 0xD800 && c < 0xE000)
                return c + 0x2000;
            if (c >= 0xE000)
                return c - 0x800;
            return c;
        };
        return fix(x) < fix(y) ? -1 : 1;
    }
    return a.size() < b.size() ? -1 : (a.size() > b.size() ? 1 : 0);
}

std::optional<int> JmesPathValue::compare(const JmesPathValue &a, const JmesPathValue &b)
{
    if (a.isNumber() && b.isNumber()) {
        const int order = compareNumbers(a, b);
        if (order == 2)
            return std::nullopt;
        return order;
    }
    if (a.isString() && b.isString())
        return compareCodePoints(a.toString(), b.toString());
    return std::nullopt;
}

// --- Qt's JSON model ----------------------------------------------------------------------

JmesPathValue JmesPathValue::fromQJsonValue(const QJsonValue &value)
{
    switch (value.type()) {
    case QJsonValue::Bool:
        return boolean(value.toBool());
    case QJsonValue::Double: {
        const double number = value.toDouble();
        // 2^63: the first double beyond qint64.
        if (std::isfinite(number) && number == std::trunc(number) &&
            std::fabs(number) < 9223372036854775808.0)
            return integer(value.toInteger(static_cast<qint64>(number)));
        return real(number);
    }
    case QJsonValue::String:
        return string(value.toString());
    case QJsonValue::Array: {
        const QJsonArray source = value.toArray();
        Array elements;
        elements.reserve(source.size());
        for (const QJsonValue &element : source)
            elements.push_back(fromQJsonValue(element));
        return array(std::move(elements));
    }
    case QJsonValue::Object: {
        const QJsonObject source = value.toObject();
        Object members;
        members.reserve(source.size());
        for (auto it = source.begin(); it != source.end(); ++it)
            members.emplace_back(it.key(), fromQJsonValue(it.value()));
        return object(std::move(members));
    }
    case QJsonValue::Null:
    case QJsonValue::Undefined:
        break;
    }
    return {};
}

QJsonValue JmesPathValue::toQJsonValue() const
{
    switch (type()) {
    case Type::Null:
    case Type::Expression:
        return QJsonValue(QJsonValue::Null);
    case Type::Boolean:
        return toBool();
    case Type::Integer:
        return toInteger();
    case Type::Double:
    case Type::LargeInteger:
        return toDouble();
    case Type::String:
        return toString();
    case Type::Array: {
        QJsonArray out;
        for (const JmesPathValue &element : toArray())
            out.append(element.toQJsonValue());
        return out;
    }
    case Type::Object: {
        QJsonObject out;
        for (const Member &member : toObject())
            out.insert(member.first, member.second.toQJsonValue());
        return out;
    }
    }
    return {};
}
