#pragma once

#include "models/result.h"

#include <QJsonValue>
#include <QString>

#include <memory>

struct JmesPathNode;

// az's --query language: JMESPath (https://jmespath.org/specification.html), all of it —
// fields and "quoted names", sub-expressions, indexes and slices ([0], [-1], [0:2], [::-1]),
// list, object and flatten projections ([*], .*, []), filters ([?state=='Failed' && !tags]),
// comparators, pipes, multiselect lists and hashes, @, raw strings, `json` literals, &expr and
// every built-in function (length, contains, sort_by, max_by, join, to_string, ...). Texts mean
// what they mean to python3-jmespath, the implementation az runs; a differential test holds
// the two together.
class JsonQuery
{
public:
    // The compiled query, or an error whose message names the kind and the column: "syntax
    // error at column 9: ...", "unknown-function at column 1: lenght() is not a JMESPath
    // function; did you mean length()?", "invalid-arity ...". location.column is set too.
    static Result<JsonQuery> compile(const QString &expression);

    // The query applied to document, or an "invalid-type: ..." error when a function gets an
    // argument of the wrong type (abs('x')) or the result holds an &expression.
    Result<QJsonValue> evaluate(const QJsonValue &document) const;

private:
    std::shared_ptr<const JmesPathNode> m_root;
};
