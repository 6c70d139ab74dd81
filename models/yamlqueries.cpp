// YamlDocument's queries for editor features: completion, hover help and file links. They read
// the tree; on half-typed text they want a tolerant document (YamlDocument::parseTolerant).
#include "models/yamldocument.h"

#include <QRegularExpression>

#include <algorithm>

namespace {

void collectEntries(const YamlNode &node, QStringList &path, QList<YamlEntry> &out)
{
    for (qsizetype i = 0; i < node.children.size(); ++i) {
        const YamlNode &child = node.children.at(i);
        path.append(node.isMap() ? child.key : QString::number(i));
        if (node.isMap())
            out.append(YamlEntry{path, child.keyLocation, child.location, child.kind,
                                 child.isScalar() ? child.scalar : QString()});
        collectEntries(child, path, out);
        path.removeLast();
    }
}

bool isBlock(const YamlNode &node, YamlNode::Kind kind)
{
    return node.kind == kind && node.style == YamlNode::Style::Block;
}

// The cursor's line up to the cursor, read as the start of a key or of a value.
struct TypedLine
{
    YamlTypingContext::Kind kind = YamlTypingContext::Kind::None;
    int dashColumn = -1; // the line starts a list item ("- ") at this byte column
    int keyColumn = 0;   // byte column where the key starts
    QString key;         // Value: the key
    QString prefix;
};

TypedLine readTypedLine(const QString &before)
{
    static const QRegularExpression keyPattern(QStringLiteral(R"(^( *)(- +)?([\w$.-]*)$)"));
    static const QRegularExpression valuePattern(
        QStringLiteral(R"(^( *)(- +)?([\w$.-]+|"[^"]*"|'[^']*'):\s+([^\s#]*)$)"));
    TypedLine typed;
    QRegularExpressionMatch match = keyPattern.match(before);
    if (match.hasMatch()) {
        typed.kind = YamlTypingContext::Kind::Key;
        typed.prefix = match.captured(3);
    } else if ((match = valuePattern.match(before)).hasMatch()) {
        typed.kind = YamlTypingContext::Kind::Value;
        typed.key = match.captured(3);
        if (typed.key.startsWith(u'"') || typed.key.startsWith(u'\''))
            typed.key = typed.key.mid(1, typed.key.size() - 2);
        typed.prefix = match.captured(4);
    } else {
        return typed;
    }
    // Spaces and "- " take one byte a character.
    const int indent = int(match.capturedLength(1));
    if (match.capturedLength(2) > 0)
        typed.dashColumn = indent;
    typed.keyColumn = indent + int(match.capturedLength(2));
    return typed;
}

// The last entry of a block map whose key starts before `lineStart`, or nullptr.
const YamlNode *lastEntryBefore(const YamlNode &map, int lineStart)
{
    const YamlNode *last = nullptr;
    for (const YamlNode &child : map.children) {
        if (child.keyLocation.offset < lineStart)
            last = &child;
    }
    return last;
}

// The index of the last item of a block list whose "- " comes before `lineStart`, or -1.
qsizetype lastItemBefore(const YamlNode &list, int lineStart)
{
    qsizetype index = -1;
    for (qsizetype i = 0; i < list.children.size(); ++i) {
        if (list.children.at(i).introducerEnd <= lineStart)
            index = i;
    }
    return index;
}

} // namespace

QList<YamlEntry> YamlDocument::entries() const
{
    QList<YamlEntry> out;
    QStringList path;
    collectEntries(m_root, path, out);
    return out;
}

std::optional<YamlEntry> YamlDocument::entryAt(int offset) const
{
    auto covers = [offset](const SourceLocation &span) {
        return offset >= span.offset && offset <= span.offset + span.length;
    };
    for (const YamlEntry &entry : entries()) {
        if (covers(entry.key) ||
            (entry.kind == YamlNode::Kind::Scalar && entry.value.length > 0 && covers(entry.value)))
            return entry;
    }
    return std::nullopt;
}

YamlTypingContext YamlDocument::typingContext(int cursor) const
{
    YamlTypingContext context;
    cursor = std::clamp(cursor, 0, int(m_text.size()));
    const int line = m_lines.lineOf(cursor);
    const int lineStart = m_lines.lineStart(line);
    const TypedLine typed =
        readTypedLine(QString::fromUtf8(m_text.mid(lineStart, cursor - lineStart)));
    if (typed.kind == YamlTypingContext::Kind::None)
        return context;
    context.kind = typed.kind;
    context.key = typed.key;
    context.prefix = typed.prefix;
    context.prefixStart = cursor - int(typed.prefix.toUtf8().size());

    // Down the tree, through the last entry (or item) above the cursor's line that is indented
    // less than what is typed, for as long as a block collection holds it. An entry with no
    // block under it is where a new mapping starts.
    const bool item = typed.dashColumn >= 0;
    const int column = item ? typed.dashColumn : typed.keyColumn;
    const YamlNode *node = &m_root;
    for (;;) {
        if (isBlock(*node, YamlNode::Kind::Map)) {
            const YamlNode *last = lastEntryBefore(*node, lineStart);
            if (!last)
                break;
            const int keyColumn = last->keyLocation.column - 1;
            // "key:" then "- item" at the key's own column is that key's list.
            const bool compactList = item && keyColumn == column &&
                                     (last->isNull() || (isBlock(*last, YamlNode::Kind::Sequence) &&
                                                         last->indent == column));
            if (keyColumn >= column && !compactList)
                break;
            context.parentPath.append(last->key);
            node = last;
        } else if (isBlock(*node, YamlNode::Kind::Sequence) && node->indent < column) {
            const qsizetype index = lastItemBefore(*node, lineStart);
            if (index < 0)
                break;
            context.parentPath.append(QString::number(index));
            node = &node->children.at(index);
        } else {
            break;
        }
        if (!isBlock(*node, YamlNode::Kind::Map) && !isBlock(*node, YamlNode::Kind::Sequence))
            break;
    }
    if (item) {
        // The line starts an item: the next one of the list at its column, else a new list.
        const bool sameList = isBlock(*node, YamlNode::Kind::Sequence) && node->indent == column;
        context.parentPath.append(
            QString::number(sameList ? lastItemBefore(*node, lineStart) + 1 : 0));
    }

    if (const YamlNode *parent = find(context.parentPath); parent && parent->isMap()) {
        for (const YamlNode &child : parent->children) {
            if (m_lines.lineOf(child.keyLocation.offset) != line)
                context.siblingKeys.append(child.key);
        }
    }
    return context;
}
