#include "app/cli/jsonquery.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <vector>

struct JsonQuery::Node
{
    enum Kind {
        Identity,   // @
        Field,      // name
        Index,      // [n]
        Flatten,    // the array of the left value, one level of nested arrays merged
        Values,     // the values of an object (for .*)
        Projection, // right applied to each element of left (an array); nulls dropped
        Filter,     // elements of left for which condition is truthy, then right on each
        Sub,        // right on the result of left
        Pipe,       // right on the result of left, ending any projection
        Hash,       // {key: expr, ...}
        List,       // [expr, ...]
        Literal,
        Compare,
        And,
        Or,
        Not,
    };
    Kind kind = Identity;
    QString name; // Field name, Compare operator
    int index = 0;
    QJsonValue literal;
    std::shared_ptr<const Node> left;
    std::shared_ptr<const Node> right;
    std::shared_ptr<const Node> condition;
    std::vector<std::pair<QString, std::shared_ptr<const Node>>> children; // Hash, List
};

namespace {

using NodePtr = std::shared_ptr<const JsonQuery::Node>;
using Node = JsonQuery::Node;

std::shared_ptr<Node> make(Node::Kind kind, NodePtr left = {}, NodePtr right = {})
{
    auto node = std::make_shared<Node>();
    node->kind = kind;
    node->left = std::move(left);
    node->right = std::move(right);
    return node;
}

struct ParseError
{
    QString message;
};

class Parser
{
public:
    explicit Parser(const QString &text)
        : m_text(text)
    {}

    NodePtr parseAll()
    {
        NodePtr node = parseExpression();
        skipSpace();
        if (m_pos < m_text.size())
            fail(QStringLiteral("unexpected '%1'").arg(m_text.at(m_pos)));
        return node;
    }

private:
    [[noreturn]] void fail(const QString &what) const
    {
        throw ParseError{QStringLiteral("%1 at position %2").arg(what).arg(m_pos)};
    }

    void skipSpace()
    {
        while (m_pos < m_text.size() && m_text.at(m_pos).isSpace())
            ++m_pos;
    }
    QChar peek(qsizetype ahead = 0)
    {
        if (ahead == 0)
            skipSpace();
        return m_pos + ahead < m_text.size() ? m_text.at(m_pos + ahead) : QChar();
    }
    bool accept(QLatin1String token)
    {
        skipSpace();
        if (QStringView(m_text).mid(m_pos).startsWith(token)) {
            m_pos += token.size();
            return true;
        }
        return false;
    }
    void expect(QLatin1String token)
    {
        if (!accept(token))
            fail(QStringLiteral("expected '%1'").arg(token));
    }

    // expression := or ('|' or)*
    NodePtr parseExpression()
    {
        NodePtr node = parseOr();
        while (peek() == QLatin1Char('|') && peek(1) != QLatin1Char('|')) {
            ++m_pos;
            node = make(Node::Pipe, node, parseOr());
        }
        return node;
    }
    NodePtr parseOr()
    {
        NodePtr node = parseAnd();
        while (accept(QLatin1String("||")))
            node = make(Node::Or, node, parseAnd());
        return node;
    }
    NodePtr parseAnd()
    {
        NodePtr node = parseComparison();
        while (accept(QLatin1String("&&")))
            node = make(Node::And, node, parseComparison());
        return node;
    }
    NodePtr parseComparison()
    {
        NodePtr node = parseNot();
        for (const char *op : {"==", "!=", "<=", ">=", "<", ">"}) {
            if (accept(QLatin1String(op))) {
                auto compare = std::make_shared<Node>();
                compare->kind = Node::Compare;
                compare->name = QLatin1String(op);
                compare->left = node;
                compare->right = parseNot();
                return compare;
            }
        }
        return node;
    }
    NodePtr parseNot()
    {
        if (peek() == QLatin1Char('!') && peek(1) != QLatin1Char('=')) {
            ++m_pos;
            return make(Node::Not, parseNot());
        }
        return parseChain();
    }

    // chain := primary suffix*; a projection takes the rest of the chain as its right side.
    NodePtr parseChain() { return parseSuffixes(parsePrimary()); }

    NodePtr parseSuffixes(NodePtr node)
    {
        for (;;) {
            const QChar c = peek();
            if (c == QLatin1Char('.')) {
                ++m_pos;
                if (peek() == QLatin1Char('*')) {
                    ++m_pos;
                    return make(Node::Projection, make(Node::Values, node),
                                parseSuffixes(make(Node::Identity)));
                }
                node = make(Node::Sub, node, parseDotTarget());
            } else if (c == QLatin1Char('[')) {
                NodePtr projection = parseBracket(node);
                if (projection->kind == Node::Index) {
                    node = projection;
                    continue;
                }
                return projection;
            } else {
                return node;
            }
        }
    }

    NodePtr parseDotTarget()
    {
        const QChar c = peek();
        if (c == QLatin1Char('{'))
            return parseHash();
        if (c == QLatin1Char('['))
            return parseList();
        return parseField();
    }

    // After '[' following a value: an index, a flatten, a wildcard or a filter.
    NodePtr parseBracket(const NodePtr &left)
    {
        expect(QLatin1String("["));
        if (accept(QLatin1String("]")))
            return make(Node::Projection, make(Node::Flatten, left),
                        parseSuffixes(make(Node::Identity)));
        if (accept(QLatin1String("*"))) {
            expect(QLatin1String("]"));
            return make(Node::Projection, left, parseSuffixes(make(Node::Identity)));
        }
        if (accept(QLatin1String("?"))) {
            auto filter = std::make_shared<Node>();
            filter->kind = Node::Filter;
            filter->left = left;
            filter->condition = parseExpression();
            expect(QLatin1String("]"));
            filter->right = parseSuffixes(make(Node::Identity));
            return filter;
        }
        skipSpace();
        const qsizetype start = m_pos;
        if (m_pos < m_text.size() && m_text.at(m_pos) == QLatin1Char('-'))
            ++m_pos;
        while (m_pos < m_text.size() && m_text.at(m_pos).isDigit())
            ++m_pos;
        bool ok = false;
        const int index = m_text.mid(start, m_pos - start).toInt(&ok);
        if (!ok)
            fail(QStringLiteral("expected an index, ']', '*' or '?'"));
        expect(QLatin1String("]"));
        auto node = make(Node::Index, left);
        node->index = index;
        return node;
    }

    NodePtr parsePrimary()
    {
        const QChar c = peek();
        if (c == QLatin1Char('@')) {
            ++m_pos;
            return make(Node::Identity);
        }
        if (c == QLatin1Char('(')) {
            ++m_pos;
            NodePtr inner = parseExpression();
            expect(QLatin1String(")"));
            return inner;
        }
        if (c == QLatin1Char('{'))
            return parseHash();
        if (c == QLatin1Char('[')) {
            // At the start: [n], [], [*], [?…] apply to the current value; else a list.
            const QChar next = peek(1);
            if (next == QLatin1Char(']') || next == QLatin1Char('*') || next == QLatin1Char('?') ||
                next == QLatin1Char('-') || next.isDigit())
                return parseBracket(make(Node::Identity));
            return parseList();
        }
        if (c == QLatin1Char('*')) {
            ++m_pos;
            return make(Node::Projection, make(Node::Values, make(Node::Identity)),
                        parseSuffixes(make(Node::Identity)));
        }
        if (c == QLatin1Char('`'))
            return parseJsonLiteral();
        if (c == QLatin1Char('\''))
            return parseRawString();
        return parseField();
    }

    NodePtr parseField()
    {
        auto node = std::make_shared<Node>();
        node->kind = Node::Field;
        skipSpace();
        if (peek() == QLatin1Char('"')) {
            const qsizetype start = m_pos;
            ++m_pos;
            while (m_pos < m_text.size() && m_text.at(m_pos) != QLatin1Char('"')) {
                if (m_text.at(m_pos) == QLatin1Char('\\'))
                    ++m_pos;
                ++m_pos;
            }
            if (m_pos >= m_text.size())
                fail(QStringLiteral("unterminated quoted name"));
            ++m_pos;
            const QJsonDocument doc = QJsonDocument::fromJson(
                QStringLiteral("[%1]").arg(m_text.mid(start, m_pos - start)).toUtf8());
            node->name = doc.array().at(0).toString();
            return node;
        }
        const qsizetype start = m_pos;
        while (m_pos < m_text.size() &&
               (m_text.at(m_pos).isLetterOrNumber() || m_text.at(m_pos) == QLatin1Char('_') ||
                m_text.at(m_pos) == QLatin1Char('-') || m_text.at(m_pos) == QLatin1Char('$')))
            ++m_pos;
        if (m_pos == start)
            fail(m_pos < m_text.size() ? QStringLiteral("unexpected '%1'").arg(m_text.at(m_pos))
                                       : QStringLiteral("unexpected end of expression"));
        node->name = m_text.mid(start, m_pos - start);
        return node;
    }

    NodePtr parseHash()
    {
        expect(QLatin1String("{"));
        auto node = std::make_shared<Node>();
        node->kind = Node::Hash;
        do {
            const NodePtr key = parseField();
            expect(QLatin1String(":"));
            node->children.emplace_back(key->name, parseExpression());
        } while (accept(QLatin1String(",")));
        expect(QLatin1String("}"));
        return node;
    }

    NodePtr parseList()
    {
        expect(QLatin1String("["));
        auto node = std::make_shared<Node>();
        node->kind = Node::List;
        do {
            node->children.emplace_back(QString(), parseExpression());
        } while (accept(QLatin1String(",")));
        expect(QLatin1String("]"));
        return node;
    }

    NodePtr parseJsonLiteral()
    {
        expect(QLatin1String("`"));
        const qsizetype end = m_text.indexOf(QLatin1Char('`'), m_pos);
        if (end < 0)
            fail(QStringLiteral("unterminated literal"));
        const QString json = m_text.mid(m_pos, end - m_pos).trimmed();
        m_pos = end + 1;
        QJsonParseError error;
        const QJsonDocument doc =
            QJsonDocument::fromJson(QStringLiteral("[%1]").arg(json).toUtf8(), &error);
        auto node = std::make_shared<Node>();
        node->kind = Node::Literal;
        // JMESPath's legacy form: an unquoted word in backticks is a string.
        node->literal =
            error.error == QJsonParseError::NoError ? doc.array().at(0) : QJsonValue(json);
        return node;
    }

    NodePtr parseRawString()
    {
        expect(QLatin1String("'"));
        QString value;
        while (m_pos < m_text.size() && m_text.at(m_pos) != QLatin1Char('\'')) {
            if (m_text.at(m_pos) == QLatin1Char('\\') && m_pos + 1 < m_text.size() &&
                m_text.at(m_pos + 1) == QLatin1Char('\''))
                ++m_pos;
            value += m_text.at(m_pos++);
        }
        if (m_pos >= m_text.size())
            fail(QStringLiteral("unterminated string"));
        ++m_pos;
        auto node = std::make_shared<Node>();
        node->kind = Node::Literal;
        node->literal = value;
        return node;
    }

    const QString &m_text;
    qsizetype m_pos = 0;
};

bool truthy(const QJsonValue &value)
{
    switch (value.type()) {
    case QJsonValue::Null:
    case QJsonValue::Undefined:
        return false;
    case QJsonValue::Bool:
        return value.toBool();
    case QJsonValue::String:
        return !value.toString().isEmpty();
    case QJsonValue::Array:
        return !value.toArray().isEmpty();
    case QJsonValue::Object:
        return !value.toObject().isEmpty();
    case QJsonValue::Double:
        return true;
    }
    return false;
}

QJsonValue evaluateNode(const Node &node, const QJsonValue &value);

QJsonValue project(const QJsonArray &items, const Node &right)
{
    QJsonArray result;
    for (const QJsonValue &item : items) {
        const QJsonValue mapped = evaluateNode(right, item);
        if (!mapped.isNull() && !mapped.isUndefined())
            result.append(mapped);
    }
    return result;
}

QJsonValue compare(const QString &op, const QJsonValue &a, const QJsonValue &b)
{
    if (op == QLatin1String("=="))
        return a == b;
    if (op == QLatin1String("!="))
        return a != b;
    if (!a.isDouble() || !b.isDouble())
        return QJsonValue::Null;
    const double x = a.toDouble();
    const double y = b.toDouble();
    if (op == QLatin1String("<"))
        return x < y;
    if (op == QLatin1String("<="))
        return x <= y;
    if (op == QLatin1String(">"))
        return x > y;
    return x >= y;
}

QJsonValue evaluateNode(const Node &node, const QJsonValue &value)
{
    switch (node.kind) {
    case Node::Identity:
        return value;
    case Node::Field: {
        const QJsonValue field =
            value.isObject() ? value.toObject().value(node.name) : QJsonValue();
        return field.isUndefined() ? QJsonValue(QJsonValue::Null) : field;
    }
    case Node::Index: {
        const QJsonValue left = evaluateNode(*node.left, value);
        if (!left.isArray())
            return QJsonValue::Null;
        const QJsonArray array = left.toArray();
        const qsizetype i = node.index < 0 ? array.size() + node.index : node.index;
        return i >= 0 && i < array.size() ? array.at(i) : QJsonValue(QJsonValue::Null);
    }
    case Node::Flatten: {
        const QJsonValue left = evaluateNode(*node.left, value);
        if (!left.isArray())
            return QJsonValue::Null;
        QJsonArray flat;
        for (const QJsonValue &item : left.toArray()) {
            if (item.isArray()) {
                for (const QJsonValue &inner : item.toArray())
                    flat.append(inner);
            } else {
                flat.append(item);
            }
        }
        return flat;
    }
    case Node::Values: {
        const QJsonValue left = evaluateNode(*node.left, value);
        if (!left.isObject())
            return QJsonValue::Null;
        QJsonArray values;
        const QJsonObject object = left.toObject();
        for (auto it = object.begin(); it != object.end(); ++it)
            values.append(it.value());
        return values;
    }
    case Node::Projection: {
        const QJsonValue left = evaluateNode(*node.left, value);
        if (!left.isArray())
            return QJsonValue::Null;
        return project(left.toArray(), *node.right);
    }
    case Node::Filter: {
        const QJsonValue left = evaluateNode(*node.left, value);
        if (!left.isArray())
            return QJsonValue::Null;
        QJsonArray kept;
        for (const QJsonValue &item : left.toArray()) {
            if (truthy(evaluateNode(*node.condition, item)))
                kept.append(item);
        }
        return project(kept, *node.right);
    }
    case Node::Sub:
    case Node::Pipe: {
        const QJsonValue left = evaluateNode(*node.left, value);
        if (node.kind == Node::Sub && left.isNull())
            return QJsonValue::Null;
        return evaluateNode(*node.right, left);
    }
    case Node::Hash: {
        if (value.isNull())
            return QJsonValue::Null;
        QJsonObject object;
        for (const auto &[key, child] : node.children)
            object.insert(key, evaluateNode(*child, value));
        return object;
    }
    case Node::List: {
        if (value.isNull())
            return QJsonValue::Null;
        QJsonArray array;
        for (const auto &child : node.children)
            array.append(evaluateNode(*child.second, value));
        return array;
    }
    case Node::Literal:
        return node.literal;
    case Node::Compare:
        return compare(node.name, evaluateNode(*node.left, value),
                       evaluateNode(*node.right, value));
    case Node::And: {
        const QJsonValue left = evaluateNode(*node.left, value);
        return truthy(left) ? evaluateNode(*node.right, value) : left;
    }
    case Node::Or: {
        const QJsonValue left = evaluateNode(*node.left, value);
        return truthy(left) ? left : evaluateNode(*node.right, value);
    }
    case Node::Not:
        return !truthy(evaluateNode(*node.left, value));
    }
    return QJsonValue::Null;
}

} // namespace

Result<JsonQuery> JsonQuery::compile(const QString &expression)
{
    if (expression.trimmed().isEmpty())
        return Result<JsonQuery>::failure(QStringLiteral("the query is empty"));
    try {
        Parser parser(expression);
        JsonQuery query;
        query.m_root = parser.parseAll();
        return query;
    } catch (const ParseError &error) {
        return Result<JsonQuery>::failure(error.message);
    }
}

QJsonValue JsonQuery::evaluate(const QJsonValue &document) const
{
    return m_root ? evaluateNode(*m_root, document) : document;
}
