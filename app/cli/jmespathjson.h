#pragma once

#include "app/cli/jmespathvalue.h"
#include "models/result.h"

#include <QString>
#include <QStringView>

// JSON text as python's json module reads and writes it, for backtick literals, quoted names,
// to_string() and the differential test: what az prints is what python's json.dumps prints.
class JmesPathJson
{
public:
    // What json.loads reads: RFC 8259 plus NaN, Infinity and -Infinity; numbers without
    // fraction or exponent are integers; a repeated key keeps its first place and last value.
    static Result<JmesPathValue> read(QStringView text);

    // What json.dumps(value, separators=(',', ':')) writes: members in insertion order,
    // non-ASCII and control characters as \uXXXX, floats as repr() (1.0, 1e-05, 1e+16).
    // An expression reference is written as null; check containsExpression() first.
    static QString write(const JmesPathValue &value);

    // repr() of a python float: the shortest digits that read back the same, positional for
    // exponents in [-4, 16), else d.ddde+XX, always with a '.0' on whole numbers.
    static QString floatText(double value);
    // All the digits of a whole double, as python prints int(value): 1e100 -> 1000...104.
    static QString wholeNumberText(double value);
};
