#pragma once

#include "app/cli/jmespathnode.h"

#include <QString>

#include <memory>

// Compiles JMESPath text into a syntax tree: the grammar of the specification, parsed by
// binding power with the reference implementation's precedences (pipe < || < && < comparators
// < [] < * < [? < . < ! < { < [ < (), so that every text az accepts means the same here.
// Then the checks a query can fail without data: unknown functions, calls with the wrong number
// of arguments, and slice steps of 0.
class JmesPathParser
{
public:
    // The tree; throws JmesPathError (syntax, unknown-function, invalid-arity, invalid-value)
    // with the column of the offending token.
    static std::shared_ptr<const JmesPathNode> parse(const QString &expression);

    // Deeper trees are refused: evaluation recurses once per level.
    static constexpr int maxDepth = 400;
};
