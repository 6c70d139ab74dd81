#include "app/cli/jmespathfunctions.h"

#include "app/cli/jmespathjson.h"

#include "app/cli/jmespathnode.h"

#include <QRegularExpression>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <limits>

namespace {

using Value = JmesPathValue;
using Arguments = std::vector<Value>;

// Argument types of a signature, as bits. An array-of type allows the array type and then
// checks the elements; with both array-of types the first element decides which applies.
enum TypeBit : unsigned {
    Number = 1,
    String = 2,
    Boolean = 4,
    Array = 8,
    Object = 16,
    Null = 32,
    Expression = 64,
    ArrayOfNumbers = 128,
    ArrayOfStrings = 256,
    Any = Number | String | Boolean | Array | Object | Null, // JSON values, not expressions
};

using Evaluate = JmesPathFunctions::Evaluate;
using Implementation = Value (*)(const QString &name, const Arguments &arguments,
                                 Evaluate evaluate);

struct Function
{
    QLatin1StringView name;
    std::vector<unsigned> parameters;
    bool variadic; // the last parameter repeats, at least once
    Implementation implementation;
};

[[noreturn]] void typeError(const QString &function, const QString &message)
{
    throw JmesPathError{JmesPathError::Kind::InvalidType,
                        QStringLiteral("%1(): %2").arg(function, message)};
}

unsigned typeBit(const Value &value)
{
    switch (value.type()) {
    case Value::Type::Null:
        return Null;
    case Value::Type::Boolean:
        return Boolean;
    case Value::Type::Integer:
    case Value::Type::Double:
    case Value::Type::LargeInteger:
        return Number;
    case Value::Type::String:
        return String;
    case Value::Type::Array:
        return Array;
    case Value::Type::Object:
        return Object;
    case Value::Type::Expression:
        return Expression;
    }
    return 0;
}

QString typeWords(unsigned types)
{
    if ((types & Any) == Any)
        return QStringLiteral("a JSON value (not an &expression)");
    QStringList words;
    const std::pair<unsigned, const char *> names[] = {
        {ArrayOfNumbers, "an array of numbers"},
        {ArrayOfStrings, "an array of strings"},
        {Number, "a number"},
        {String, "a string"},
        {Boolean, "a boolean"},
        {Array, "an array"},
        {Object, "an object"},
        {Null, "null"},
        {Expression, "an expression (&...)"},
    };
    for (const auto &[bit, text] : names) {
        if (types & bit)
            words << QString::fromLatin1(text);
    }
    return words.join(QStringLiteral(" or "));
}

// "a string (\"abc\")": the type and a short view of the value.
QString describe(const Value &value)
{
    const QString type = value.typeName();
    const QString article = type == u"array" || type == u"object" || type == u"expression"
                                ? QStringLiteral("an ")
                                : QStringLiteral("a ");
    if (value.isNull())
        return QStringLiteral("null");
    if (value.isExpression())
        return QStringLiteral("an expression (&...)");
    QString text = JmesPathJson::write(value);
    if (text.size() > 40)
        text = text.left(37) + QStringLiteral("...");
    return QStringLiteral("%1%2 (%3)").arg(article, type, text);
}

QString ordinal(size_t index)
{
    static const char *const words[] = {"first", "second", "third", "fourth", "fifth"};
    return index < 5 ? QString::fromLatin1(words[index]) : QStringLiteral("#%1").arg(index + 1);
}

void checkType(const QString &function, size_t index, const Value &value, unsigned types)
{
    unsigned allowed = types;
    if (types & (ArrayOfNumbers | ArrayOfStrings))
        allowed |= Array;
    if (!(typeBit(value) & allowed))
        typeError(function, QStringLiteral("the %1 argument must be %2, got %3")
                                .arg(ordinal(index), typeWords(types), describe(value)));
    if (!value.isArray() || !(types & (ArrayOfNumbers | ArrayOfStrings)))
        return;
    const Value::Array &elements = value.toArray();
    if (elements.empty())
        return;
    unsigned elementType = types & ArrayOfNumbers ? Number : String;
    if ((types & ArrayOfNumbers) && (types & ArrayOfStrings))
        elementType = typeBit(elements.front()) & (Number | String);
    for (size_t i = 0; i < elements.size(); ++i) {
        if (elementType == 0 || typeBit(elements[i]) != elementType)
            typeError(function, QStringLiteral("the %1 argument must be %2; element %3 is %4")
                                    .arg(ordinal(index), typeWords(types))
                                    .arg(i)
                                    .arg(describe(elements[i])));
    }
}

// --- numbers ----------------------------------------------------------------------------

Value sumOf(const Value::Array &elements)
{
    // Python's sum(): exact integers until a float joins (or, here, 64 bits overflow), then
    // doubles, left to right. A sum of integers stays a whole number.
    qint64 integer = 0;
    double real = 0;
    bool exact = true;
    bool whole = true;
    for (const Value &element : elements) {
        whole = whole && element.isWholeNumber();
        if (exact && element.type() == Value::Type::Integer) {
            qint64 next = 0;
            if (!__builtin_add_overflow(integer, element.toInteger(), &next)) {
                integer = next;
                continue;
            }
        }
        if (exact) {
            exact = false;
            real = static_cast<double>(integer);
        }
        real += element.toDouble();
    }
    if (exact)
        return Value::integer(integer);
    return whole ? Value::wholeNumber(real) : Value::real(real);
}

// What python's int() and then float() accept: surrounding whitespace, a sign, '_' between
// digits, "1.", ".5", exponents; infinities and NaN are not JSON and give null.
Value parseNumber(const QString &input)
{
    static const QRegularExpression integerPattern(QStringLiteral("^[+-]?\\d(_?\\d)*$"));
    static const QRegularExpression realPattern(QStringLiteral(
        "^[+-]?((\\d(_?\\d)*)?\\.\\d(_?\\d)*|\\d(_?\\d)*\\.?)([eE][+-]?\\d(_?\\d)*)?$"));
    QString text = input.trimmed();
    for (const QChar c : text) {
        if (c.unicode() > 0x7F)
            return {};
    }
    const bool integer = integerPattern.match(text).hasMatch();
    if (!integer && !realPattern.match(text).hasMatch())
        return {};
    text.remove(u'_');
    if (text.startsWith(u'+'))
        text.remove(0, 1);
    const QByteArray bytes = text.toLatin1();
    if (integer) {
        qint64 value = 0;
        const auto [end, error] =
            std::from_chars(bytes.constData(), bytes.constData() + bytes.size(), value);
        if (error == std::errc())
            return Value::integer(value);
        return Value::wholeNumber(bytes.toDouble()); // python keeps every digit; we the nearest
    }
    double value = 0;
    const auto [end, error] =
        std::from_chars(bytes.constData(), bytes.constData() + bytes.size(), value);
    if (error != std::errc()) // out of range: inf, or 0.0 on underflow, as python's float()
        value = bytes.toDouble();
    if (!std::isfinite(value))
        return {};
    return Value::real(value);
}

// --- strings ------------------------------------------------------------------------------

qsizetype codePointCount(const QString &text)
{
    qsizetype count = text.size();
    for (qsizetype i = 0; i + 1 < text.size(); ++i) {
        if (text.at(i).isHighSurrogate() && text.at(i + 1).isLowSurrogate()) {
            --count;
            ++i;
        }
    }
    return count;
}

QString reversedCodePoints(const QString &text)
{
    QString out;
    out.reserve(text.size());
    qsizetype i = text.size();
    while (i > 0) {
        if (i >= 2 && text.at(i - 1).isLowSurrogate() && text.at(i - 2).isHighSurrogate()) {
            out.append(text.at(i - 2));
            out.append(text.at(i - 1));
            i -= 2;
        } else {
            out.append(text.at(i - 1));
            --i;
        }
    }
    return out;
}

// --- the functions --------------------------------------------------------------------------

int order(const Value &a, const Value &b)
{
    return Value::compare(a, b).value_or(0);
}

// The key of each element under the expression: numbers or strings, all of one kind (the
// kind of the first), as sort_by, min_by and max_by need.
std::vector<Value> keysOf(const QString &name, const Value::Array &elements, const Value &expr,
                          Evaluate evaluate)
{
    std::vector<Value> keys;
    keys.reserve(elements.size());
    unsigned kind = 0;
    for (const Value &element : elements) {
        Value key = evaluate(*expr.toExpression(), element);
        const unsigned bit = typeBit(key);
        if (kind == 0 && (bit == Number || bit == String))
            kind = bit;
        if (bit != kind)
            typeError(name, QStringLiteral("the expression must give %1 for every element; "
                                           "for element %2 it gave %3")
                                .arg(kind == Number   ? QStringLiteral("numbers")
                                     : kind == String ? QStringLiteral("strings")
                                                      : QStringLiteral("numbers or strings"))
                                .arg(keys.size())
                                .arg(describe(key)));
        keys.push_back(std::move(key));
    }
    return keys;
}

Value extremeBy(const QString &name, const Arguments &args, int sign, Evaluate evaluate)
{
    const Value::Array &elements = args[0].toArray();
    if (elements.empty())
        return {};
    const std::vector<Value> keys = keysOf(name, elements, args[1], evaluate);
    size_t best = 0;
    for (size_t i = 1; i < elements.size(); ++i) {
        if (order(keys[i], keys[best]) * sign > 0)
            best = i;
    }
    return elements[best];
}

Value extreme(const Arguments &args, int sign)
{
    const Value::Array &elements = args[0].toArray();
    if (elements.empty())
        return {};
    size_t best = 0;
    for (size_t i = 1; i < elements.size(); ++i) {
        if (order(elements[i], elements[best]) * sign > 0)
            best = i;
    }
    return elements[best];
}

Value fnAbs(const QString &, const Arguments &args, Evaluate)
{
    const Value &value = args[0];
    if (value.type() == Value::Type::Integer &&
        value.toInteger() > std::numeric_limits<qint64>::min())
        return Value::integer(std::abs(value.toInteger()));
    if (value.isWholeNumber())
        return Value::wholeNumber(std::fabs(value.toDouble()));
    return Value::real(std::fabs(value.toDouble()));
}

Value fnAvg(const QString &, const Arguments &args, Evaluate)
{
    const Value::Array &elements = args[0].toArray();
    if (elements.empty())
        return {};
    return Value::real(sumOf(elements).toDouble() / static_cast<double>(elements.size()));
}

Value fnCeil(const QString &, const Arguments &args, Evaluate)
{
    // Python's math.ceil gives an integer.
    if (args[0].isWholeNumber())
        return args[0];
    return Value::wholeNumber(std::ceil(args[0].toDouble()));
}

Value fnFloor(const QString &, const Arguments &args, Evaluate)
{
    if (args[0].isWholeNumber())
        return args[0];
    return Value::wholeNumber(std::floor(args[0].toDouble()));
}

Value fnContains(const QString &, const Arguments &args, Evaluate)
{
    if (args[0].isString())
        return Value::boolean(
            args[1].isString() &&
            (args[1].toString().isEmpty() || args[0].toString().contains(args[1].toString())));
    for (const Value &element : args[0].toArray()) {
        if (element.equals(args[1]))
            return Value::boolean(true);
    }
    return Value::boolean(false);
}

Value fnEndsWith(const QString &, const Arguments &args, Evaluate)
{
    // Qt says a null string ends with nothing but a null one; every string ends with "".
    return Value::boolean(args[1].toString().isEmpty() ||
                          args[0].toString().endsWith(args[1].toString()));
}

Value fnStartsWith(const QString &, const Arguments &args, Evaluate)
{
    return Value::boolean(args[1].toString().isEmpty() ||
                          args[0].toString().startsWith(args[1].toString()));
}

Value fnJoin(const QString &, const Arguments &args, Evaluate)
{
    QStringList parts;
    for (const Value &element : args[1].toArray())
        parts << element.toString();
    return Value::string(parts.join(args[0].toString()));
}

Value fnKeys(const QString &, const Arguments &args, Evaluate)
{
    Value::Array keys;
    for (const Value::Member &member : args[0].toObject())
        keys.push_back(Value::string(member.first));
    return Value::array(std::move(keys));
}

Value fnValues(const QString &, const Arguments &args, Evaluate)
{
    Value::Array values;
    for (const Value::Member &member : args[0].toObject())
        values.push_back(member.second);
    return Value::array(std::move(values));
}

Value fnLength(const QString &, const Arguments &args, Evaluate)
{
    const Value &value = args[0];
    if (value.isString())
        return Value::integer(codePointCount(value.toString()));
    if (value.isArray())
        return Value::integer(static_cast<qint64>(value.toArray().size()));
    return Value::integer(static_cast<qint64>(value.toObject().size()));
}

Value fnMap(const QString &, const Arguments &args, Evaluate evaluate)
{
    Value::Array results;
    for (const Value &element : args[1].toArray())
        results.push_back(evaluate(*args[0].toExpression(), element));
    return Value::array(std::move(results));
}

Value fnMax(const QString &, const Arguments &args, Evaluate)
{
    return extreme(args, 1);
}

Value fnMin(const QString &, const Arguments &args, Evaluate)
{
    return extreme(args, -1);
}

Value fnMaxBy(const QString &name, const Arguments &args, Evaluate evaluate)
{
    return extremeBy(name, args, 1, evaluate);
}

Value fnMinBy(const QString &name, const Arguments &args, Evaluate evaluate)
{
    return extremeBy(name, args, -1, evaluate);
}

Value fnMerge(const QString &, const Arguments &args, Evaluate)
{
    Value::Object merged;
    for (const Value &argument : args) {
        for (const Value::Member &member : argument.toObject()) {
            auto existing = std::find_if(merged.begin(), merged.end(),
                                         [&](const auto &m) { return m.first == member.first; });
            if (existing != merged.end())
                existing->second = member.second;
            else
                merged.push_back(member);
        }
    }
    return Value::object(std::move(merged));
}

Value fnNotNull(const QString &, const Arguments &args, Evaluate)
{
    for (const Value &argument : args) {
        if (!argument.isNull())
            return argument;
    }
    return {};
}

Value fnReverse(const QString &, const Arguments &args, Evaluate)
{
    if (args[0].isString())
        return Value::string(reversedCodePoints(args[0].toString()));
    Value::Array elements = args[0].toArray();
    std::reverse(elements.begin(), elements.end());
    return Value::array(std::move(elements));
}

Value fnSort(const QString &, const Arguments &args, Evaluate)
{
    Value::Array elements = args[0].toArray();
    std::stable_sort(elements.begin(), elements.end(),
                     [](const Value &a, const Value &b) { return order(a, b) < 0; });
    return Value::array(std::move(elements));
}

Value fnSortBy(const QString &name, const Arguments &args, Evaluate evaluate)
{
    const Value::Array &elements = args[0].toArray();
    if (elements.empty())
        return args[0];
    const std::vector<Value> keys = keysOf(name, elements, args[1], evaluate);
    std::vector<size_t> indexes(elements.size());
    for (size_t i = 0; i < indexes.size(); ++i)
        indexes[i] = i;
    std::stable_sort(indexes.begin(), indexes.end(),
                     [&](size_t a, size_t b) { return order(keys[a], keys[b]) < 0; });
    Value::Array sorted;
    sorted.reserve(elements.size());
    for (size_t index : indexes)
        sorted.push_back(elements[index]);
    return Value::array(std::move(sorted));
}

Value fnSum(const QString &, const Arguments &args, Evaluate)
{
    return sumOf(args[0].toArray());
}

Value fnToArray(const QString &, const Arguments &args, Evaluate)
{
    if (args[0].isArray())
        return args[0];
    return Value::array({args[0]});
}

Value fnToString(const QString &name, const Arguments &args, Evaluate)
{
    if (args[0].isString())
        return args[0];
    if (args[0].containsExpression())
        typeError(name, QStringLiteral("an expression (&...) has no JSON text"));
    return Value::string(JmesPathJson::write(args[0]));
}

Value fnToNumber(const QString &, const Arguments &args, Evaluate)
{
    if (args[0].isNumber())
        return args[0];
    if (args[0].isString())
        return parseNumber(args[0].toString());
    return {};
}

Value fnType(const QString &, const Arguments &args, Evaluate)
{
    return Value::string(args[0].typeName());
}

const std::vector<Function> &functions()
{
    static const std::vector<Function> table = {
        {QLatin1StringView("abs"), {Number}, false, fnAbs},
        {QLatin1StringView("avg"), {ArrayOfNumbers}, false, fnAvg},
        {QLatin1StringView("ceil"), {Number}, false, fnCeil},
        {QLatin1StringView("contains"), {Array | String, Any}, false, fnContains},
        {QLatin1StringView("ends_with"), {String, String}, false, fnEndsWith},
        {QLatin1StringView("floor"), {Number}, false, fnFloor},
        {QLatin1StringView("join"), {String, ArrayOfStrings}, false, fnJoin},
        {QLatin1StringView("keys"), {Object}, false, fnKeys},
        {QLatin1StringView("length"), {String | Array | Object}, false, fnLength},
        {QLatin1StringView("map"), {Expression, Array}, false, fnMap},
        {QLatin1StringView("max"), {ArrayOfNumbers | ArrayOfStrings}, false, fnMax},
        {QLatin1StringView("max_by"), {Array, Expression}, false, fnMaxBy},
        {QLatin1StringView("merge"), {Object}, true, fnMerge},
        {QLatin1StringView("min"), {ArrayOfNumbers | ArrayOfStrings}, false, fnMin},
        {QLatin1StringView("min_by"), {Array, Expression}, false, fnMinBy},
        {QLatin1StringView("not_null"), {Any}, true, fnNotNull},
        {QLatin1StringView("reverse"), {Array | String}, false, fnReverse},
        {QLatin1StringView("sort"), {ArrayOfNumbers | ArrayOfStrings}, false, fnSort},
        {QLatin1StringView("sort_by"), {Array, Expression}, false, fnSortBy},
        {QLatin1StringView("starts_with"), {String, String}, false, fnStartsWith},
        {QLatin1StringView("sum"), {ArrayOfNumbers}, false, fnSum},
        {QLatin1StringView("to_array"), {Any}, false, fnToArray},
        {QLatin1StringView("to_number"), {Any}, false, fnToNumber},
        {QLatin1StringView("to_string"), {Any}, false, fnToString},
        {QLatin1StringView("type"), {Any}, false, fnType},
        {QLatin1StringView("values"), {Object}, false, fnValues},
    };
    return table;
}

const Function *find(const QString &name)
{
    for (const Function &function : functions()) {
        if (function.name == name)
            return &function;
    }
    return nullptr;
}

int editDistance(const QString &a, const QString &b)
{
    std::vector<int> row(b.size() + 1);
    for (qsizetype j = 0; j <= b.size(); ++j)
        row[j] = int(j);
    for (qsizetype i = 1; i <= a.size(); ++i) {
        int diagonal = row[0];
        row[0] = int(i);
        for (qsizetype j = 1; j <= b.size(); ++j) {
            const int above = row[j];
            row[j] = std::min(
                {row[j] + 1, row[j - 1] + 1, diagonal + (a.at(i - 1) == b.at(j - 1) ? 0 : 1)});
            diagonal = above;
        }
    }
    return row[b.size()];
}

} // namespace

std::optional<JmesPathError> JmesPathFunctions::checkCall(const QString &name, int argumentCount)
{
    const Function *function = find(name);
    if (!function) {
        QString hint;
        int best = 3;
        for (const Function &candidate : functions()) {
            const int distance = editDistance(name, candidate.name);
            if (distance < best) {
                best = distance;
                hint = QStringLiteral("; did you mean %1()?").arg(candidate.name);
            }
        }
        return JmesPathError{JmesPathError::Kind::UnknownFunction,
                             QStringLiteral("%1() is not a JMESPath function%2").arg(name, hint)};
    }
    const int expected = int(function->parameters.size());
    if (function->variadic ? argumentCount >= expected : argumentCount == expected)
        return std::nullopt;
    const auto count = [](int n) {
        return n == 1 ? QStringLiteral("1 argument") : QStringLiteral("%1 arguments").arg(n);
    };
    return JmesPathError{JmesPathError::Kind::InvalidArity,
                         QStringLiteral("%1() takes %2%3, got %4")
                             .arg(name,
                                  function->variadic ? QStringLiteral("at least ") : QString(),
                                  count(expected))
                             .arg(argumentCount)};
}

JmesPathValue JmesPathFunctions::call(const QString &name,
                                      const std::vector<JmesPathValue> &arguments,
                                      Evaluate evaluate)
{
    if (auto error = checkCall(name, int(arguments.size())))
        throw *error;
    const Function *function = find(name);
    for (size_t i = 0; i < arguments.size(); ++i) {
        const unsigned types = function->parameters[std::min(i, function->parameters.size() - 1)];
        checkType(name, i, arguments[i], types);
    }
    return function->implementation(name, arguments, evaluate);
}

QStringList JmesPathFunctions::names()
{
    QStringList out;
    for (const Function &function : functions())
        out << QString(function.name);
    return out;
}
