#include "app/cli/jmespathlexer.h"

#include "app/cli/jmespatherror.h"
#include "app/cli/jmespathjson.h"

#include <limits>
#include <string>

namespace {

using Type = JmesPathToken::Type;

bool isIdentifierStart(char32_t c)
{
    return (c >= U'a' && c <= U'z') || (c >= U'A' && c <= U'Z') || c == U'_';
}

bool isDigit(char32_t c)
{
    return c >= U'0' && c <= U'9';
}

bool isIdentifierPart(char32_t c)
{
    return isIdentifierStart(c) || isDigit(c);
}

QString toQString(const std::u32string &text, size_t from, size_t length)
{
    return QString::fromStdU32String(text.substr(from, length));
}

class Lexer
{
public:
    explicit Lexer(const QString &expression)
        : m_text(expression.toStdU32String())
    {}

    std::vector<JmesPathToken> run()
    {
        std::vector<JmesPathToken> tokens;
        while (m_pos < m_text.size()) {
            const char32_t c = m_text[m_pos];
            const size_t start = m_pos;
            if (c == U' ' || c == U'\t' || c == U'\n' || c == U'\r') {
                ++m_pos;
                continue;
            }
            if (isIdentifierStart(c)) {
                while (m_pos < m_text.size() && isIdentifierPart(m_text[m_pos]))
                    ++m_pos;
                JmesPathToken token = make(Type::UnquotedIdentifier, start);
                token.identifier = token.text;
                tokens.push_back(std::move(token));
                continue;
            }
            if (isDigit(c) || c == U'-') {
                tokens.push_back(number(start));
                continue;
            }
            switch (c) {
            case U'.':
                tokens.push_back(single(Type::Dot));
                continue;
            case U'*':
                tokens.push_back(single(Type::Star));
                continue;
            case U']':
                tokens.push_back(single(Type::RBracket));
                continue;
            case U',':
                tokens.push_back(single(Type::Comma));
                continue;
            case U':':
                tokens.push_back(single(Type::Colon));
                continue;
            case U'@':
                tokens.push_back(single(Type::Current));
                continue;
            case U'(':
                tokens.push_back(single(Type::LParen));
                continue;
            case U')':
                tokens.push_back(single(Type::RParen));
                continue;
            case U'{':
                tokens.push_back(single(Type::LBrace));
                continue;
            case U'}':
                tokens.push_back(single(Type::RBrace));
                continue;
            case U'[':
                ++m_pos;
                if (peek() == U']') {
                    ++m_pos;
                    tokens.push_back(make(Type::Flatten, start));
                } else if (peek() == U'?') {
                    ++m_pos;
                    tokens.push_back(make(Type::Filter, start));
                } else {
                    tokens.push_back(make(Type::LBracket, start));
                }
                continue;
            case U'|':
                tokens.push_back(pair(U'|', Type::Or, Type::Pipe));
                continue;
            case U'&':
                tokens.push_back(pair(U'&', Type::And, Type::Expref));
                continue;
            case U'<':
                tokens.push_back(pair(U'=', Type::LessOrEqual, Type::Less));
                continue;
            case U'>':
                tokens.push_back(pair(U'=', Type::GreaterOrEqual, Type::Greater));
                continue;
            case U'!':
                tokens.push_back(pair(U'=', Type::NotEqual, Type::Not));
                continue;
            case U'=':
                if (m_pos + 1 < m_text.size() && m_text[m_pos + 1] == U'=') {
                    m_pos += 2;
                    tokens.push_back(make(Type::Equal, start));
                    continue;
                }
                fail(start, QStringLiteral("'=' is not an operator; compare with '=='"));
            case U'\'':
                tokens.push_back(rawString(start));
                continue;
            case U'`':
                tokens.push_back(literal(start));
                continue;
            case U'"':
                tokens.push_back(quotedIdentifier(start));
                continue;
            default:
                fail(start,
                     QStringLiteral("unexpected character '%1'").arg(toQString(m_text, start, 1)));
            }
        }
        JmesPathToken eof;
        eof.position = static_cast<int>(m_text.size());
        tokens.push_back(std::move(eof));
        return tokens;
    }

private:
    [[noreturn]] static void fail(size_t position, const QString &message)
    {
        throw JmesPathError{JmesPathError::Kind::Syntax, message, static_cast<int>(position) + 1};
    }

    char32_t peek() const { return m_pos < m_text.size() ? m_text[m_pos] : U'\0'; }

    JmesPathToken make(Type type, size_t start) const
    {
        JmesPathToken token;
        token.type = type;
        token.position = static_cast<int>(start);
        token.text = toQString(m_text, start, m_pos - start);
        return token;
    }
    JmesPathToken single(Type type)
    {
        ++m_pos;
        return make(type, m_pos - 1);
    }
    // "||" or "|", "<=" or "<", ...
    JmesPathToken pair(char32_t second, Type both, Type alone)
    {
        const size_t start = m_pos++;
        if (peek() == second) {
            ++m_pos;
            return make(both, start);
        }
        return make(alone, start);
    }

    JmesPathToken number(size_t start)
    {
        ++m_pos;
        while (m_pos < m_text.size() && isDigit(m_text[m_pos]))
            ++m_pos;
        if (m_pos - start == 1 && m_text[start] == U'-')
            fail(start, QStringLiteral("'-' must be followed by digits (a negative index)%1")
                            .arg(dashedNameHint(start)));
        JmesPathToken token = make(Type::Number, start);
        bool ok = false;
        token.number = token.text.toLongLong(&ok);
        if (!ok) // Python's integers have no limit; clamped, an index or slice bound acts the same.
            token.number = token.text.startsWith(u'-') ? std::numeric_limits<qint64>::min()
                                                       : std::numeric_limits<qint64>::max();
        return token;
    }

    // az users write traffic.my-dep; the name needs quotes: traffic."my-dep".
    QString dashedNameHint(size_t dash) const
    {
        if (dash == 0 || !isIdentifierPart(m_text[dash - 1]) || dash + 1 >= m_text.size() ||
            !isIdentifierPart(m_text[dash + 1]))
            return {};
        size_t from = dash;
        while (from > 0 && (isIdentifierPart(m_text[from - 1]) || m_text[from - 1] == U'-'))
            --from;
        size_t to = dash + 1;
        while (to < m_text.size() && (isIdentifierPart(m_text[to]) || m_text[to] == U'-'))
            ++to;
        return QStringLiteral("; a name with '-' goes in double quotes: \"%1\"")
            .arg(toQString(m_text, from, to - from));
    }

    // The text up to the closing delimiter; a backslash keeps the character after it (and
    // itself) in the text, as the reference lexer does.
    QString until(char32_t delimiter, size_t start, const QString &what)
    {
        std::u32string buffer;
        ++m_pos;
        while (true) {
            if (m_pos >= m_text.size())
                fail(start, QStringLiteral("%1 is not closed").arg(what));
            char32_t c = m_text[m_pos];
            if (c == delimiter)
                break;
            if (c == U'\\') {
                buffer += c;
                ++m_pos;
                if (m_pos >= m_text.size())
                    fail(start, QStringLiteral("%1 is not closed").arg(what));
                c = m_text[m_pos];
            }
            buffer += c;
            ++m_pos;
        }
        ++m_pos;
        return QString::fromStdU32String(buffer);
    }

    JmesPathToken rawString(size_t start)
    {
        QString text = until(U'\'', start, QStringLiteral("the raw string opened here"));
        text.replace(QLatin1StringView("\\'"), QLatin1StringView("'"));
        JmesPathToken token = make(Type::Literal, start);
        token.value = JmesPathValue::string(text);
        return token;
    }

    JmesPathToken literal(size_t start)
    {
        QString text = until(U'`', start, QStringLiteral("the literal opened here"));
        text.replace(QLatin1StringView("\\`"), QLatin1StringView("`"));
        JmesPathToken token = make(Type::Literal, start);
        auto json = JmesPathJson::read(text);
        if (!json.ok()) {
            // Not JSON: the deprecated form `foo`, read as the JSON string "foo".
            qsizetype skip = 0;
            while (skip < text.size() && text.at(skip).isSpace())
                ++skip;
            json = JmesPathJson::read(QString(u'"' + text.mid(skip) + u'"'));
        }
        if (!json.ok())
            fail(start, QStringLiteral("`%1` is not a JSON value").arg(text));
        token.value = std::move(json).value();
        return token;
    }

    JmesPathToken quotedIdentifier(size_t start)
    {
        const QString text = until(U'"', start, QStringLiteral("the quoted name opened here"));
        auto json = JmesPathJson::read(QString(u'"' + text + u'"'));
        if (!json.ok() || !json.value().isString())
            fail(start, QStringLiteral("\"%1\" is not a valid quoted name (JSON string escapes "
                                       "only)")
                            .arg(text));
        JmesPathToken token = make(Type::QuotedIdentifier, start);
        token.identifier = json.value().toString();
        return token;
    }

    std::u32string m_text;
    size_t m_pos = 0;
};

} // namespace

std::vector<JmesPathToken> JmesPathLexer::tokenize(const QString &expression)
{
    if (expression.isEmpty())
        throw JmesPathError{JmesPathError::Kind::Syntax, QStringLiteral("the query is empty"), 1};
    return Lexer(expression).run();
}
