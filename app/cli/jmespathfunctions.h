#pragma once

#include "app/cli/jmespatherror.h"
#include "app/cli/jmespathvalue.h"

#include <QString>
#include <QStringList>

#include <optional>
#include <vector>

// The built-in functions of the JMESPath specification, with its signatures and type checks:
// abs avg ceil contains ends_with floor join keys length map max max_by merge min min_by
// not_null reverse sort sort_by starts_with sum to_array to_number to_string type values.
// Results follow python3-jmespath (what az runs) wherever the specification leaves room:
// integers stay integers (sum, abs, ceil, floor, length), avg is a double, keys() and values()
// keep the object's order, to_number reads what python's int() and float() read.
class JmesPathFunctions
{
public:
    // unknown-function (with the nearest name as a hint) or invalid-arity for a call of name
    // with argumentCount arguments; nullopt when the call is well formed.
    static std::optional<JmesPathError> checkCall(const QString &name, int argumentCount);

    // The result of a checked call; throws JmesPathError (invalid-type) when an argument, an
    // array element or an expression's result has a type the signature does not allow.
    // How a function applies an expression reference (`&expr`) to a value: the interpreter's
    // evaluate, handed in by the interpreter so that the functions need not know it.
    using Evaluate = JmesPathValue (*)(const JmesPathNode &node, const JmesPathValue &current);

    static JmesPathValue call(const QString &name, const std::vector<JmesPathValue> &arguments,
                              Evaluate evaluate);

    static QStringList names();
};
