#pragma once

#include "models/result.h"

#include <QJsonValue>
#include <QString>

#include <memory>
#include <optional>
#include <utility>
#include <variant>
#include <vector>

struct JmesPathNode;

// A value as JMESPath sees it: JSON's types, plus the expression type of `&expr` that only
// functions take. Integers are kept apart from doubles (python prints 1 and 1.0 differently,
// and to_string must agree with az); integers beyond 64 bits, as ceil(`1e100`) makes, are kept
// as the double they equal and printed with all their digits, as python prints them. Objects
// keep the order their members were added in, as python's dicts do, so keys() and to_string
// match az. Values are immutable; copies share their arrays and objects.
class JmesPathValue
{
public:
    enum class Type {
        Null,
        Boolean,
        Integer,
        Double,
        String,
        Array,
        Object,
        Expression,
        LargeInteger, // a whole number beyond qint64
    };
    using Array = std::vector<JmesPathValue>;
    using Member = std::pair<QString, JmesPathValue>;
    using Object = std::vector<Member>; // unique keys, in insertion order

    JmesPathValue() = default; // null
    static JmesPathValue boolean(bool value);
    static JmesPathValue integer(qint64 value);
    static JmesPathValue real(double value);
    // A whole number: Integer when it fits in qint64, else LargeInteger (Double if not finite).
    static JmesPathValue wholeNumber(double value);
    static JmesPathValue string(QString value);
    static JmesPathValue array(Array elements);
    static JmesPathValue object(Object members);
    static JmesPathValue expression(std::shared_ptr<const JmesPathNode> node);

    Type type() const { return static_cast<Type>(m_data.index()); }
    bool isNull() const { return type() == Type::Null; }
    bool isNumber() const
    {
        return type() == Type::Integer || type() == Type::Double || type() == Type::LargeInteger;
    }
    bool isWholeNumber() const { return type() == Type::Integer || type() == Type::LargeInteger; }
    bool isString() const { return type() == Type::String; }
    bool isArray() const { return type() == Type::Array; }
    bool isObject() const { return type() == Type::Object; }
    bool isExpression() const { return type() == Type::Expression; }

    bool toBool() const;
    qint64 toInteger() const; // Integer only
    double toDouble() const;  // any number
    const QString &toString() const;
    const Array &toArray() const;
    const Object &toObject() const;
    const std::shared_ptr<const JmesPathNode> &toExpression() const;

    // The member called key, or nullptr (also when this is not an object).
    const JmesPathValue *member(const QString &key) const;

    // "number", "string", "boolean", "array", "object", "null", or "expression".
    QString typeName() const;
    // false, null, "", [] and {} are false; everything else (0 too) is true.
    bool isTruthy() const;
    // True when an expression reference sits anywhere inside (such a value is not JSON).
    bool containsExpression() const;

    // JMESPath equality: deep; numbers by value (1 == 1.0); true/false/null equal only
    // themselves; expression references never equal anything.
    bool equals(const JmesPathValue &other) const;
    // Ordering of two numbers or two strings (strings by code point); nullopt for any other
    // pair. Negative, zero or positive.
    static std::optional<int> compare(const JmesPathValue &a, const JmesPathValue &b);
    // Code-point order of two strings (QString::compare orders UTF-16 units).
    static int compareCodePoints(const QString &a, const QString &b);

    // From Qt's JSON model, which keeps no difference between 1 and 1.0: whole numbers become
    // integers. Objects come in Qt's (sorted) key order.
    static JmesPathValue fromQJsonValue(const QJsonValue &value);
    // To Qt's JSON model; expression references become null.
    QJsonValue toQJsonValue() const;

private:
    struct Large
    {
        double value;
    };
    // In the order of Type.
    using Data =
        std::variant<std::monostate, bool, qint64, double, QString, std::shared_ptr<const Array>,
                     std::shared_ptr<const Object>, std::shared_ptr<const JmesPathNode>, Large>;
    explicit JmesPathValue(Data data)
        : m_data(std::move(data))
    {}
    Data m_data;
};
