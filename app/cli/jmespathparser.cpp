#include "app/cli/jmespathparser.h"

#include "app/cli/jmespatherror.h"
#include "app/cli/jmespathfunctions.h"
#include "app/cli/jmespathlexer.h"

#include <algorithm>
#include <initializer_list>

namespace {

using Type = JmesPathToken::Type;
using Kind = JmesPathNode::Kind;
using NodePtr = std::shared_ptr<const JmesPathNode>;

// Binding powers of the reference implementation: a token with a higher power binds tighter;
// a projection's right side stops at any token below projectionStop.
int bindingPower(Type type)
{
    switch (type) {
    case Type::Pipe:
        return 1;
    case Type::Or:
        return 2;
    case Type::And:
        return 3;
    case Type::Equal:
    case Type::NotEqual:
    case Type::Less:
    case Type::LessOrEqual:
    case Type::Greater:
    case Type::GreaterOrEqual:
        return 5;
    case Type::Flatten:
        return 9;
    case Type::Star:
        return 20;
    case Type::Filter:
        return 21;
    case Type::Dot:
        return 40;
    case Type::Not:
        return 45;
    case Type::LBrace:
        return 50;
    case Type::LBracket:
        return 55;
    case Type::LParen:
        return 60;
    default:
        return 0;
    }
}
constexpr int projectionStop = 10;

QString describe(const JmesPathToken &token)
{
    switch (token.type) {
    case Type::Eof:
        return QStringLiteral("the end of the query");
    case Type::Literal:
        return QStringLiteral("the literal %1").arg(token.text);
    case Type::Number:
        return QStringLiteral("the number %1").arg(token.text);
    case Type::QuotedIdentifier:
        return token.text;
    default:
        return QStringLiteral("'%1'").arg(token.text);
    }
}

QString expectation(Type type)
{
    switch (type) {
    case Type::RBracket:
        return QStringLiteral("']'");
    case Type::RParen:
        return QStringLiteral("')'");
    case Type::RBrace:
        return QStringLiteral("'}'");
    case Type::Comma:
        return QStringLiteral("','");
    case Type::Colon:
        return QStringLiteral("':'");
    case Type::Star:
        return QStringLiteral("'*', a number or ':'");
    case Type::Dot:
        return QStringLiteral("'.'");
    default:
        return QStringLiteral("a name");
    }
}

class Parser
{
public:
    explicit Parser(const QString &expression)
        : m_tokens(JmesPathLexer::tokenize(expression))
    {}

    NodePtr run()
    {
        NodePtr root = expression(0);
        if (current() != Type::Eof)
            fail(token(), QStringLiteral("unexpected %1; the query should end here, or join it "
                                         "to what comes before with '.', '|', '||' or '&&'")
                              .arg(describe(token())));
        return root;
    }

private:
    [[noreturn]] static void fail(const JmesPathToken &at, const QString &message)
    {
        throw JmesPathError{JmesPathError::Kind::Syntax, message, at.position + 1};
    }

    const JmesPathToken &token(size_t ahead = 0) const
    {
        return m_tokens[std::min(m_index + ahead, m_tokens.size() - 1)];
    }
    Type current() const { return token().type; }
    void advance() { ++m_index; }

    void match(Type type)
    {
        if (current() == type) {
            advance();
            return;
        }
        if (current() == Type::Eof)
            fail(token(),
                 QStringLiteral("the query ends too early: expected %1").arg(expectation(type)));
        fail(token(),
             QStringLiteral("expected %1, found %2").arg(expectation(type), describe(token())));
    }

    NodePtr make(Kind kind, const JmesPathToken &at, std::initializer_list<NodePtr> children = {})
    {
        auto node = std::make_shared<JmesPathNode>();
        node->kind = kind;
        node->column = at.position + 1;
        for (const NodePtr &child : children)
            adopt(*node, child, at);
        return node;
    }
    void adopt(JmesPathNode &parent, NodePtr child, const JmesPathToken &at)
    {
        parent.depth = std::max(parent.depth, child->depth + 1);
        if (parent.depth > JmesPathParser::maxDepth)
            fail(at, QStringLiteral("the query nests more than %1 levels deep")
                         .arg(JmesPathParser::maxDepth));
        parent.children.push_back(std::move(child));
    }
    NodePtr identity(const JmesPathToken &at) { return make(Kind::Identity, at); }

    NodePtr expression(int power)
    {
        if (++m_nesting > JmesPathParser::maxDepth)
            fail(token(), QStringLiteral("the query nests more than %1 levels deep")
                              .arg(JmesPathParser::maxDepth));
        const JmesPathToken first = token();
        advance();
        NodePtr left = nud(first);
        while (power < bindingPower(current())) {
            const JmesPathToken next = token();
            advance();
            left = led(next, left);
        }
        --m_nesting;
        return left;
    }

    // A token that starts an expression.
    NodePtr nud(const JmesPathToken &at)
    {
        switch (at.type) {
        case Type::Literal: {
            auto node = std::make_shared<JmesPathNode>();
            node->kind = Kind::Literal;
            node->column = at.position + 1;
            node->literal = at.value;
            return node;
        }
        case Type::UnquotedIdentifier:
        case Type::QuotedIdentifier: {
            if (at.type == Type::QuotedIdentifier && current() == Type::LParen)
                fail(at, QStringLiteral("a function name cannot be quoted: write %1 without the "
                                        "quotes")
                             .arg(at.text));
            auto node = std::make_shared<JmesPathNode>();
            node->kind = Kind::Field;
            node->column = at.position + 1;
            node->name = at.identifier;
            return node;
        }
        case Type::Star: {
            NodePtr right =
                current() == Type::RBracket ? identity(at) : projectionRight(bindingPower(at.type));
            return make(Kind::ValueProjection, at, {identity(at), right});
        }
        case Type::Filter:
            return filter(at, identity(at));
        case Type::LBrace:
            return multiSelectHash(at);
        case Type::LParen: {
            NodePtr inner = expression(0);
            match(Type::RParen);
            return inner;
        }
        case Type::Flatten: {
            NodePtr flattened = make(Kind::Flatten, at, {identity(at)});
            return make(Kind::Projection, at,
                        {flattened, projectionRight(bindingPower(Type::Flatten))});
        }
        case Type::Not:
            return make(Kind::Not, at, {expression(bindingPower(Type::Not))});
        case Type::LBracket:
            if (current() == Type::Number || current() == Type::Colon)
                return projectIfSlice(at, identity(at), indexOrSlice(at));
            if (current() == Type::Star && token(1).type == Type::RBracket) {
                advance();
                advance();
                return make(Kind::Projection, at,
                            {identity(at), projectionRight(bindingPower(Type::Star))});
            }
            return multiSelectList(at);
        case Type::Current:
            return make(Kind::Current, at);
        case Type::Expref:
            return make(Kind::Expref, at, {expression(0)});
        case Type::Eof:
            fail(at, QStringLiteral("the query ends too early"));
        case Type::Number:
            fail(at, QStringLiteral("a number can only be an index or slice inside [ ]; for the "
                                    "value, write `%1`")
                         .arg(at.text));
        default:
            fail(at, QStringLiteral("unexpected %1").arg(describe(at)));
        }
    }

    // A token that continues the expression on its left.
    NodePtr led(const JmesPathToken &at, const NodePtr &left)
    {
        switch (at.type) {
        case Type::Dot:
            if (current() != Type::Star)
                return make(Kind::Subexpression, at, {left, dotRight(bindingPower(Type::Dot))});
            advance();
            return make(Kind::ValueProjection, at,
                        {left, projectionRight(bindingPower(Type::Dot))});
        case Type::Pipe:
            return make(Kind::Pipe, at, {left, expression(bindingPower(Type::Pipe))});
        case Type::Or:
            return make(Kind::Or, at, {left, expression(bindingPower(Type::Or))});
        case Type::And:
            return make(Kind::And, at, {left, expression(bindingPower(Type::And))});
        case Type::LParen:
            return call(left);
        case Type::Filter:
            return filter(at, left);
        case Type::Equal:
            return comparator(at, left, JmesPathNode::Comparison::Equal);
        case Type::NotEqual:
            return comparator(at, left, JmesPathNode::Comparison::NotEqual);
        case Type::Less:
            return comparator(at, left, JmesPathNode::Comparison::Less);
        case Type::LessOrEqual:
            return comparator(at, left, JmesPathNode::Comparison::LessOrEqual);
        case Type::Greater:
            return comparator(at, left, JmesPathNode::Comparison::Greater);
        case Type::GreaterOrEqual:
            return comparator(at, left, JmesPathNode::Comparison::GreaterOrEqual);
        case Type::Flatten: {
            NodePtr flattened = make(Kind::Flatten, at, {left});
            return make(Kind::Projection, at,
                        {flattened, projectionRight(bindingPower(Type::Flatten))});
        }
        case Type::LBracket: {
            if (current() == Type::Number || current() == Type::Colon) {
                NodePtr right = indexOrSlice(at);
                if (left->kind == Kind::IndexExpression) {
                    // As the reference does: a[0][1:2] stays one chain, not a projection.
                    auto chain = std::make_shared<JmesPathNode>(*left);
                    adopt(*chain, right, at);
                    return chain;
                }
                return projectIfSlice(at, left, right);
            }
            match(Type::Star);
            match(Type::RBracket);
            return make(Kind::Projection, at, {left, projectionRight(bindingPower(Type::Star))});
        }
        default:
            fail(at, QStringLiteral("unexpected %1").arg(describe(at)));
        }
    }

    NodePtr comparator(const JmesPathToken &at, const NodePtr &left,
                       JmesPathNode::Comparison comparison)
    {
        NodePtr right = expression(bindingPower(at.type));
        auto node = std::make_shared<JmesPathNode>();
        node->kind = Kind::Comparator;
        node->column = at.position + 1;
        node->comparison = comparison;
        adopt(*node, left, at);
        adopt(*node, right, at);
        return node;
    }

    NodePtr call(const NodePtr &left)
    {
        if (left->kind != Kind::Field) {
            // The token before '(' is what was called.
            fail(m_tokens[m_index - 2], QStringLiteral("only a name can be called as a function, "
                                                       "not %1")
                                            .arg(describe(m_tokens[m_index - 2])));
        }
        const JmesPathToken &open = m_tokens[m_index - 1];
        auto node = std::make_shared<JmesPathNode>();
        node->kind = Kind::Function;
        node->name = left->name;
        node->column = left->column;
        while (current() != Type::RParen) {
            NodePtr argument = expression(0);
            if (current() == Type::Comma)
                match(Type::Comma);
            adopt(*node, argument, open);
        }
        match(Type::RParen);
        return node;
    }

    NodePtr filter(const JmesPathToken &at, const NodePtr &left)
    {
        NodePtr condition = expression(0);
        match(Type::RBracket);
        NodePtr right =
            current() == Type::Flatten ? identity(at) : projectionRight(bindingPower(Type::Filter));
        return make(Kind::FilterProjection, at, {left, right, condition});
    }

    // After '[' when a number or ':' follows: [n] or [start:stop:step].
    NodePtr indexOrSlice(const JmesPathToken &open)
    {
        if (current() == Type::Colon || token(1).type == Type::Colon)
            return slice(open);
        auto node = std::make_shared<JmesPathNode>();
        node->kind = Kind::Index;
        node->column = open.position + 1;
        node->index = token().number;
        advance();
        match(Type::RBracket);
        return node;
    }

    NodePtr slice(const JmesPathToken &open)
    {
        std::optional<qint64> parts[3];
        int part = 0;
        while (current() != Type::RBracket) {
            if (current() == Type::Colon) {
                if (++part == 3)
                    fail(token(), QStringLiteral("a slice has at most three parts: "
                                                 "[start:stop:step]"));
                advance();
            } else if (current() == Type::Number) {
                parts[part] = token().number;
                advance();
            } else if (current() == Type::Eof) {
                fail(token(), QStringLiteral("the query ends too early: expected ']'"));
            } else {
                fail(token(), QStringLiteral("unexpected %1 in a slice; it takes numbers: "
                                             "[start:stop:step]")
                                  .arg(describe(token())));
            }
        }
        match(Type::RBracket);
        auto node = std::make_shared<JmesPathNode>();
        node->kind = Kind::Slice;
        node->column = open.position + 1;
        node->start = parts[0];
        node->stop = parts[1];
        node->step = parts[2];
        return node;
    }

    NodePtr projectIfSlice(const JmesPathToken &at, const NodePtr &left, const NodePtr &right)
    {
        NodePtr indexed = make(Kind::IndexExpression, at, {left, right});
        if (right->kind != Kind::Slice)
            return indexed;
        return make(Kind::Projection, at, {indexed, projectionRight(bindingPower(Type::Star))});
    }

    // What a projection applies to each element: nothing (the element) when a token that
    // stops projections follows, else a '.', '[' or '[?' chain.
    NodePtr projectionRight(int power)
    {
        const JmesPathToken &at = token();
        if (bindingPower(current()) < projectionStop)
            return identity(at);
        if (current() == Type::LBracket || current() == Type::Filter)
            return expression(power);
        if (current() == Type::Dot) {
            match(Type::Dot);
            return dotRight(power);
        }
        fail(at, QStringLiteral("unexpected %1 after a projection; expected '.', '[', '[?', "
                                "'|' or the end of the query")
                     .arg(describe(at)));
    }

    NodePtr dotRight(int power)
    {
        switch (current()) {
        case Type::UnquotedIdentifier:
        case Type::QuotedIdentifier:
        case Type::Star:
            return expression(power);
        case Type::LBracket: {
            const JmesPathToken open = token();
            match(Type::LBracket);
            return multiSelectList(open);
        }
        case Type::LBrace: {
            const JmesPathToken open = token();
            match(Type::LBrace);
            return multiSelectHash(open);
        }
        default:
            fail(token(), QStringLiteral("after '.', expected a name, '*', '[' or '{', found %1")
                              .arg(describe(token())));
        }
    }

    NodePtr multiSelectList(const JmesPathToken &open)
    {
        auto node = std::make_shared<JmesPathNode>();
        node->kind = Kind::MultiSelectList;
        node->column = open.position + 1;
        while (true) {
            adopt(*node, expression(0), open);
            if (current() == Type::RBracket)
                break;
            match(Type::Comma);
        }
        match(Type::RBracket);
        return node;
    }

    NodePtr multiSelectHash(const JmesPathToken &open)
    {
        auto node = std::make_shared<JmesPathNode>();
        node->kind = Kind::MultiSelectHash;
        node->column = open.position + 1;
        while (true) {
            const JmesPathToken key = token();
            if (key.type != Type::UnquotedIdentifier && key.type != Type::QuotedIdentifier) {
                if (key.type == Type::Eof)
                    fail(key, QStringLiteral("the query ends too early: expected a key name"));
                fail(key, QStringLiteral("expected a key name (key: expression), found %1")
                              .arg(describe(key)));
            }
            advance();
            match(Type::Colon);
            adopt(*node, expression(0), open);
            node->keys.append(key.identifier);
            if (current() == Type::Comma) {
                match(Type::Comma);
            } else if (current() == Type::RBrace) {
                match(Type::RBrace);
                break;
            }
        }
        return node;
    }

    std::vector<JmesPathToken> m_tokens;
    size_t m_index = 0;
    int m_nesting = 0;
};

// Errors found without data, in the reference's evaluation order (a node, then its children).
void check(const JmesPathNode &node)
{
    if (node.kind == Kind::Function) {
        if (auto error = JmesPathFunctions::checkCall(node.name, int(node.children.size()))) {
            error->column = node.column;
            throw *error;
        }
    }
    if (node.kind == Kind::Slice && node.step == 0)
        throw JmesPathError{JmesPathError::Kind::InvalidValue,
                            QStringLiteral("a slice step cannot be 0"), node.column};
    for (const NodePtr &child : node.children)
        check(*child);
}

} // namespace

std::shared_ptr<const JmesPathNode> JmesPathParser::parse(const QString &expression)
{
    NodePtr root = Parser(expression).run();
    check(*root);
    return root;
}
