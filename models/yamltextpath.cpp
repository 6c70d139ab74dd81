#include "models/yamltextpath.h"

#include <QRegularExpression>

namespace {

struct Line
{
    int start = 0;
    int end = 0; // exclusive, before the line break
    int indent = 0;
    bool blank = true;
    bool item = false; // starts with "- "
    int keyColumn = 0; // byte column where the key (or item content) starts
    bool hasKey = false;
    int keyStart = 0;
    int keyEnd = 0;
    int valueStart = 0;
    int valueEnd = 0;
    bool blockScalar = false;
    QString key;
    QString value;
};

bool isSpace(char c)
{
    return c == ' ' || c == '\t';
}

// The scalar after a key's colon: quotes stripped, trailing comment dropped.
void parseValue(const QByteArray &text, Line &line, int from)
{
    int i = from;
    while (i < line.end && isSpace(text.at(i)))
        ++i;
    line.valueStart = line.valueEnd = i;
    if (i >= line.end || text.at(i) == '#')
        return;
    const char first = text.at(i);
    if (first == '"' || first == '\'') {
        int j = i + 1;
        while (j < line.end && text.at(j) != first)
            j += (first == '"' && text.at(j) == '\\') ? 2 : 1;
        line.valueStart = i + 1;
        line.valueEnd = qMin(j, line.end);
    } else {
        int j = i;
        while (j < line.end && !(text.at(j) == '#' && isSpace(text.at(j - 1))))
            ++j;
        while (j > i && isSpace(text.at(j - 1)))
            --j;
        line.valueStart = i;
        line.valueEnd = j;
        line.blockScalar = first == '|' || first == '>';
    }
    line.value = QString::fromUtf8(text.mid(line.valueStart, line.valueEnd - line.valueStart));
}

Line parseLine(const QByteArray &text, int start, int end)
{
    Line line;
    line.start = start;
    line.end = end;
    int i = start;
    while (i < end && text.at(i) == ' ')
        ++i;
    line.indent = i - start;
    if (i >= end || text.at(i) == '#' || text.at(i) == '\r')
        return line;
    line.blank = false;
    if (text.at(i) == '-' && (i + 1 >= end || isSpace(text.at(i + 1)))) {
        line.item = true;
        ++i;
        while (i < end && isSpace(text.at(i)))
            ++i;
    }
    line.keyColumn = i - start;
    if (i >= end || text.at(i) == '#' || text.at(i) == '{' || text.at(i) == '[')
        return line;
    // A key ends at the first ':' followed by a space or the end of the line.
    int keyStart = i;
    int keyEnd = -1;
    const char quote = text.at(i);
    if (quote == '"' || quote == '\'') {
        int j = i + 1;
        while (j < end && text.at(j) != quote)
            ++j;
        if (j + 1 < end && text.at(j + 1) == ':' && (j + 2 >= end || isSpace(text.at(j + 2)))) {
            keyStart = i + 1;
            keyEnd = j;
            i = j + 2;
        }
    } else {
        for (int j = i; j < end; ++j) {
            const char c = text.at(j);
            if (c == '#' && j > i && isSpace(text.at(j - 1)))
                break;
            if (c == ':' && (j + 1 >= end || isSpace(text.at(j + 1)) || text.at(j + 1) == '\r')) {
                keyEnd = j;
                i = j + 1;
                break;
            }
        }
    }
    if (keyEnd < 0)
        return line;
    line.hasKey = true;
    line.keyStart = keyStart;
    line.keyEnd = keyEnd;
    line.key = QString::fromUtf8(text.mid(keyStart, keyEnd - keyStart)).trimmed();
    parseValue(text, line, i);
    return line;
}

QList<Line> parseLines(const QByteArray &text)
{
    QList<Line> lines;
    int start = 0;
    const int size = int(text.size());
    while (start <= size) {
        int end = int(text.indexOf('\n', start));
        if (end < 0)
            end = size;
        int contentEnd = end;
        if (contentEnd > start && text.at(contentEnd - 1) == '\r')
            --contentEnd;
        lines.append(parseLine(text, start, contentEnd));
        if (end >= size)
            break;
        start = end + 1;
    }
    return lines;
}

struct Node
{
    int indent = 0;
    QString name;
    bool item = false;
    int items = 0;
};

// The stack of open mappings/sequences, fed one line at a time.
class Walker
{
public:
    // Returns the entry for a key line (path filled), after updating the stack.
    bool feed(const Line &line, YamlTextPath::Entry *entry)
    {
        if (line.blank)
            return false;
        if (m_blockIndent >= 0) {
            if (line.indent > m_blockIndent)
                return false;
            m_blockIndent = -1;
        }
        if (line.item)
            openItem(line.indent);
        if (!line.hasKey)
            return false;
        popTo(line.keyColumn);
        entry->path = names();
        entry->path << line.key;
        m_stack.append(Node{line.keyColumn, line.key, false, 0});
        if (line.blockScalar)
            m_blockIndent = line.keyColumn;
        return true;
    }

    void openItem(int indent)
    {
        while (!m_stack.isEmpty() && (m_stack.last().indent > indent ||
                                      (m_stack.last().indent == indent && m_stack.last().item)))
            m_stack.removeLast();
        const int index = m_stack.isEmpty() ? 0 : m_stack.last().items++;
        m_stack.append(Node{indent, QString::number(index), true, 0});
    }

    void popTo(int keyColumn)
    {
        while (!m_stack.isEmpty() && m_stack.last().indent >= keyColumn)
            m_stack.removeLast();
    }

    QStringList names() const
    {
        QStringList path;
        for (const Node &node : m_stack)
            path << node.name;
        return path;
    }

private:
    QList<Node> m_stack;
    int m_blockIndent = -1;
};

} // namespace

QList<YamlTextPath::Entry> YamlTextPath::entries(const QByteArray &text)
{
    QList<Entry> result;
    Walker walker;
    const QList<Line> lines = parseLines(text);
    for (int i = 0; i < lines.size(); ++i) {
        const Line &line = lines.at(i);
        Entry entry;
        if (!walker.feed(line, &entry))
            continue;
        entry.line = i;
        entry.keyStart = line.keyStart;
        entry.keyEnd = line.keyEnd;
        entry.valueStart = line.valueStart;
        entry.valueEnd = line.valueEnd;
        entry.value = line.value;
        result.append(entry);
    }
    return result;
}

YamlTextPath::Context YamlTextPath::contextAt(const QByteArray &text, int position)
{
    Context context;
    position = qBound(0, position, int(text.size()));
    const QList<Line> lines = parseLines(text);
    Walker walker;
    int current = 0;
    for (; current < lines.size(); ++current) {
        const Line &line = lines.at(current);
        if (position >= line.start && position <= line.end)
            break;
        Entry ignored;
        walker.feed(line, &ignored);
    }
    if (current >= lines.size())
        return context;
    const Line &line = lines.at(current);
    const QString before = QString::fromUtf8(text.mid(line.start, position - line.start));

    static const QRegularExpression keyPattern(QStringLiteral(R"(^( *)(- +)?([\w$.-]*)$)"));
    static const QRegularExpression valuePattern(
        QStringLiteral(R"(^( *)(- +)?([\w$.-]+|"[^"]*"|'[^']*'):\s+([^\s#]*)$)"));
    QRegularExpressionMatch match = keyPattern.match(before);
    if (match.hasMatch()) {
        context.atKey = true;
        context.prefix = match.captured(3);
    } else if ((match = valuePattern.match(before)).hasMatch()) {
        context.atValue = true;
        context.key = match.captured(3);
        if (context.key.size() >= 2 &&
            (context.key.startsWith(u'"') || context.key.startsWith(u'\'')))
            context.key = context.key.mid(1, context.key.size() - 2);
        context.prefix = match.captured(4);
    } else {
        return context;
    }
    const int indent = int(match.captured(1).toUtf8().size());
    if (match.capturedLength(2) > 0)
        walker.openItem(indent);
    const int keyColumn = int((match.captured(1) + match.captured(2)).toUtf8().size());
    walker.popTo(keyColumn);
    context.parentPath = walker.names();
    context.prefixStart = position - int(context.prefix.toUtf8().size());

    for (const Entry &entry : entries(text)) {
        if (entry.line == current || entry.path.size() != context.parentPath.size() + 1)
            continue;
        if (entry.path.mid(0, context.parentPath.size()) == context.parentPath)
            context.siblingKeys << entry.path.last();
    }
    return context;
}

int YamlTextPath::entryAt(const QList<Entry> &entries, int position)
{
    for (int i = 0; i < entries.size(); ++i) {
        const Entry &entry = entries.at(i);
        if (position >= entry.keyStart && position <= entry.keyEnd)
            return i;
        if (entry.valueEnd > entry.valueStart && position >= entry.valueStart &&
            position <= entry.valueEnd)
            return i;
    }
    return -1;
}
