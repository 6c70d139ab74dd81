#pragma once

#include <QString>

// What went wrong in a JMESPath query, as one of the error kinds the specification names
// (https://jmespath.org/specification.html), and where. The engine's classes throw it; JsonQuery
// turns it into a Result.
struct JmesPathError
{
    enum class Kind {
        Syntax,          // the text is not a query; found when compiling
        UnknownFunction, // a call of a function JMESPath does not have; found when compiling
        InvalidArity,    // a call with too many or too few arguments; found when compiling
        InvalidValue,    // a slice step of 0; found when compiling
        InvalidType,     // a function argument of the wrong type; found when evaluating
    };

    Kind kind = Kind::Syntax;
    QString message;
    int column = 0; // 1-based, in characters; 0 when the error has no place in the text

    // "syntax", "unknown-function", "invalid-arity", "invalid-value", "invalid-type": the
    // specification's names, which the differential test compares with python3-jmespath's.
    static QString kindName(Kind kind)
    {
        switch (kind) {
        case Kind::Syntax:
            return QStringLiteral("syntax");
        case Kind::UnknownFunction:
            return QStringLiteral("unknown-function");
        case Kind::InvalidArity:
            return QStringLiteral("invalid-arity");
        case Kind::InvalidValue:
            return QStringLiteral("invalid-value");
        case Kind::InvalidType:
            return QStringLiteral("invalid-type");
        }
        return {};
    }

    // "syntax error at column 9: ..." or "invalid-type: ...".
    QString toString() const
    {
        const QString what = kind == Kind::Syntax ? QStringLiteral("syntax error") : kindName(kind);
        if (column > 0)
            return QStringLiteral("%1 at column %2: %3").arg(what).arg(column).arg(message);
        return QStringLiteral("%1: %2").arg(what, message);
    }
};
