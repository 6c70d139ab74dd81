#pragma once

#include "app/cli/jmespathvalue.h"

#include <QString>

#include <vector>

// One token of a JMESPath query.
struct JmesPathToken
{
    enum class Type {
        Eof,
        UnquotedIdentifier,
        QuotedIdentifier,
        Literal, // `json` and 'raw string'
        Number,
        RBracket,
        RParen,
        Comma,
        RBrace,
        Colon,
        Current, // @
        Expref,  // &
        Pipe,
        Or,
        And,
        Equal,
        NotEqual,
        Less,
        LessOrEqual,
        Greater,
        GreaterOrEqual,
        Flatten, // []
        Star,
        Filter, // [?
        Dot,
        Not,
        LBrace,
        LBracket,
        LParen,
    };

    Type type = Type::Eof;
    QString text;        // as written
    QString identifier;  // UnquotedIdentifier, QuotedIdentifier (escapes decoded)
    JmesPathValue value; // Literal
    qint64 number = 0;   // Number (clamped to 64 bits)
    int position = 0;    // 0-based, in characters (code points)
};

// Splits a query into tokens the way the reference implementation (python3-jmespath, which az
// runs) does, so that the same texts are accepted: identifiers [A-Za-z_][A-Za-z0-9_]*, numbers
// only as -?digits, whitespace " \t\n\r", and backtick literals that are not JSON read as
// strings (JEP-12's deprecated form, still accepted by az).
class JmesPathLexer
{
public:
    // The tokens, ending with an Eof token; throws JmesPathError (syntax) at the first
    // character that starts no token.
    static std::vector<JmesPathToken> tokenize(const QString &expression);
};
