#pragma once

#include "app/cli/jmespathnode.h"
#include "app/cli/jmespathvalue.h"

// Evaluates a compiled JMESPath query against a value, by the specification's rules:
// projections drop nulls and stop at a pipe, filters keep the elements whose condition is
// truthy, a missing field or an index out of range is null, ordering compares numbers (and,
// as az does, strings), equality is deep.
class JmesPathInterpreter
{
public:
    // The result; throws JmesPathError (invalid-type) from a function whose arguments do not
    // match its signature.
    static JmesPathValue evaluate(const JmesPathNode &node, const JmesPathValue &current);
};
