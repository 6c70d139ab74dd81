#include "app/cli/jmespathinterpreter.h"

#include "app/cli/jmespathfunctions.h"

#include <algorithm>

namespace {

using Value = JmesPathValue;
using Kind = JmesPathNode::Kind;

Value index(const Value &value, qint64 position)
{
    if (!value.isArray())
        return {};
    const Value::Array &elements = value.toArray();
    const qint64 size = static_cast<qint64>(elements.size());
    if (position < 0)
        position += size;
    if (position < 0 || position >= size)
        return {};
    return elements[static_cast<size_t>(position)];
}

// Python's slice rules: missing bounds run to the end in the step's direction, negative
// bounds count from the end, bounds past either end are clamped.
Value slice(const Value &value, const JmesPathNode &node)
{
    if (!value.isArray())
        return {};
    const Value::Array &elements = value.toArray();
    const qint64 length = static_cast<qint64>(elements.size());
    const qint64 step = node.step.value_or(1);
    if (step == 0) // refused when compiling
        return {};
    const auto bound = [&](std::optional<qint64> given, bool isStart) {
        if (!given)
            return (step < 0) == isStart ? (step < 0 ? length - 1 : length)
                                         : (step < 0 ? qint64(-1) : qint64(0));
        qint64 position = *given;
        if (position < 0) {
            position += length;
            if (position < 0)
                position = step < 0 ? -1 : 0;
        } else if (position >= length) {
            position = step < 0 ? length - 1 : length;
        }
        return position;
    };
    const qint64 start = bound(node.start, true);
    const qint64 stop = bound(node.stop, false);
    Value::Array out;
    for (qint64 i = start; step > 0 ? i < stop : i > stop;) {
        out.push_back(elements[static_cast<size_t>(i)]);
        if (__builtin_add_overflow(i, step, &i))
            break;
    }
    return Value::array(std::move(out));
}

Value compare(const JmesPathNode &node, const Value &left, const Value &right)
{
    using Comparison = JmesPathNode::Comparison;
    switch (node.comparison) {
    case Comparison::Equal:
        return Value::boolean(left.equals(right));
    case Comparison::NotEqual:
        return Value::boolean(!left.equals(right));
    default:
        break;
    }
    const std::optional<int> order = Value::compare(left, right);
    if (!order) // NaN orders false against any number, as in python
        return left.isNumber() && right.isNumber() ? Value::boolean(false) : Value();
    switch (node.comparison) {
    case Comparison::Less:
        return Value::boolean(*order < 0);
    case Comparison::LessOrEqual:
        return Value::boolean(*order <= 0);
    case Comparison::Greater:
        return Value::boolean(*order > 0);
    case Comparison::GreaterOrEqual:
        return Value::boolean(*order >= 0);
    default:
        return {};
    }
}

// right applied to each element; nulls left out.
Value project(const Value::Array &elements, const JmesPathNode &right)
{
    Value::Array out;
    for (const Value &element : elements) {
        Value result = JmesPathInterpreter::evaluate(right, element);
        if (!result.isNull())
            out.push_back(std::move(result));
    }
    return Value::array(std::move(out));
}

} // namespace

JmesPathValue JmesPathInterpreter::evaluate(const JmesPathNode &node, const JmesPathValue &current)
{
    const auto child = [&](size_t i) -> const JmesPathNode & {
        return *node.children[i];
    };
    switch (node.kind) {
    case Kind::Identity:
    case Kind::Current:
        return current;
    case Kind::Field: {
        const Value *member = current.member(node.name);
        return member ? *member : Value();
    }
    case Kind::Subexpression:
    case Kind::Pipe:
        return evaluate(child(1), evaluate(child(0), current));
    case Kind::IndexExpression: {
        Value result = current;
        for (const auto &part : node.children)
            result = evaluate(*part, result);
        return result;
    }
    case Kind::Index:
        return index(current, node.index);
    case Kind::Slice:
        return slice(current, node);
    case Kind::Projection: {
        const Value base = evaluate(child(0), current);
        if (!base.isArray())
            return {};
        return project(base.toArray(), child(1));
    }
    case Kind::ValueProjection: {
        const Value base = evaluate(child(0), current);
        if (!base.isObject())
            return {};
        Value::Array values;
        for (const Value::Member &member : base.toObject())
            values.push_back(member.second);
        return project(values, child(1));
    }
    case Kind::FilterProjection: {
        const Value base = evaluate(child(0), current);
        if (!base.isArray())
            return {};
        Value::Array kept;
        for (const Value &element : base.toArray()) {
            if (evaluate(child(2), element).isTruthy())
                kept.push_back(element);
        }
        return project(kept, child(1));
    }
    case Kind::Flatten: {
        const Value base = evaluate(child(0), current);
        if (!base.isArray())
            return {};
        Value::Array merged;
        for (const Value &element : base.toArray()) {
            if (element.isArray())
                merged.insert(merged.end(), element.toArray().begin(), element.toArray().end());
            else
                merged.push_back(element);
        }
        return Value::array(std::move(merged));
    }
    case Kind::Literal:
        return node.literal;
    case Kind::MultiSelectList: {
        if (current.isNull())
            return {};
        Value::Array out;
        for (const auto &part : node.children)
            out.push_back(evaluate(*part, current));
        return Value::array(std::move(out));
    }
    case Kind::MultiSelectHash: {
        if (current.isNull())
            return {};
        Value::Object out;
        for (size_t i = 0; i < node.children.size(); ++i) {
            Value value = evaluate(child(i), current);
            const QString &key = node.keys.at(qsizetype(i));
            auto existing = std::find_if(out.begin(), out.end(),
                                         [&](const auto &member) { return member.first == key; });
            if (existing != out.end())
                existing->second = std::move(value);
            else
                out.emplace_back(key, std::move(value));
        }
        return Value::object(std::move(out));
    }
    case Kind::Comparator:
        return compare(node, evaluate(child(0), current), evaluate(child(1), current));
    case Kind::Or: {
        Value left = evaluate(child(0), current);
        return left.isTruthy() ? left : evaluate(child(1), current);
    }
    case Kind::And: {
        Value left = evaluate(child(0), current);
        return left.isTruthy() ? evaluate(child(1), current) : left;
    }
    case Kind::Not:
        return Value::boolean(!evaluate(child(0), current).isTruthy());
    case Kind::Function: {
        std::vector<Value> arguments;
        arguments.reserve(node.children.size());
        for (const auto &argument : node.children)
            arguments.push_back(evaluate(*argument, current));
        return JmesPathFunctions::call(node.name, arguments, &JmesPathInterpreter::evaluate);
    }
    case Kind::Expref:
        return Value::expression(node.children.front());
    }
    return {};
}
