#pragma once

#include "app/cli/jmespathvalue.h"

#include <QString>
#include <QStringList>

#include <memory>
#include <optional>
#include <vector>

// One node of a compiled JMESPath query. The shapes follow the reference implementation's
// syntax tree (python3-jmespath), so that "which error comes first" is decided in the same
// order: children are listed, and checked, left to right as below.
struct JmesPathNode
{
    enum class Kind {
        Identity,         // the current value, where the grammar leaves a part empty
        Current,          // @
        Field,            // name or "quoted name"
        Subexpression,    // children[0] . children[1]
        IndexExpression,  // children[1] (an Index or Slice) applied to children[0]
        Index,            // [index]
        Slice,            // [start:stop:step]
        Projection,       // children[1] on each element of the array children[0]; nulls dropped
        ValueProjection,  // children[1] on each member value of the object children[0]
        FilterProjection, // elements of children[0] where children[2] is true, then children[1]
        Flatten,          // children[0] with nested arrays merged one level
        Literal,          // `json` or 'raw string'
        MultiSelectList,  // [children...]
        MultiSelectHash,  // {keys[i]: children[i], ...}
        Comparator,       // children[0] op children[1]
        Or,               // children[0] || children[1]
        And,              // children[0] && children[1]
        Not,              // !children[0]
        Pipe,             // children[0] | children[1]
        Function,         // name(children...)
        Expref,           // &children[0]
    };
    enum class Comparison { Equal, NotEqual, Less, LessOrEqual, Greater, GreaterOrEqual };

    Kind kind = Kind::Identity;
    QString name;                // Field, Function
    QStringList keys;            // MultiSelectHash, one per child
    qint64 index = 0;            // Index
    std::optional<qint64> start; // Slice
    std::optional<qint64> stop;
    std::optional<qint64> step;
    Comparison comparison = Comparison::Equal;
    JmesPathValue literal;
    std::vector<std::shared_ptr<const JmesPathNode>> children;
    int column = 0; // 1-based column of the token the node starts at
    int depth = 1;  // 1 + the deepest child: bounds the recursion of evaluation
};
