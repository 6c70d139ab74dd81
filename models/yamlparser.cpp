#include "models/yamlparser.h"

#include "models/yamllineindex.h"

#include <algorithm>

namespace {

struct ParseAbort
{
};

bool isBreak(char c)
{
    return c == '\n' || c == '\r';
}

bool isBlank(char c)
{
    return c == ' ' || c == '\t';
}

int countNodes(const YamlNode &node)
{
    int n = 1;
    for (const YamlNode &c : node.children)
        n += countNodes(c);
    return n;
}

// The one-character escapes of a double-quoted scalar and the UTF-8 bytes they stand for.
struct SimpleEscape
{
    char letter;
    const char *bytes;
    int length;
};

constexpr SimpleEscape simpleEscapes[] = {
    {'0', "\0", 1},
    {'a', "\a", 1},
    {'b', "\b", 1},
    {'t', "\t", 1},
    {'\t', "\t", 1},
    {'n', "\n", 1},
    {'v', "\v", 1},
    {'f', "\f", 1},
    {'r', "\r", 1},
    {'e', "\x1b", 1},
    {' ', " ", 1},
    {'"', "\"", 1},
    {'/', "/", 1},
    {'\\', "\\", 1},
    {'N', "\xC2\x85", 2},
    {'_', "\xC2\xA0", 2},
    {'L', "\xE2\x80\xA8", 3},
    {'P', "\xE2\x80\xA9", 3},
};

// A block scalar's text from its lines (indentation removed): literal keeps the breaks, folded
// joins lines that are not indented further; chomping ('-' strip, '+' keep) decides the end.
QByteArray joinBlockLines(const QList<QByteArray> &lines, bool literal, char chomp)
{
    int contentLines = int(lines.size());
    int trailing = 0;
    while (contentLines > 0 && lines[contentLines - 1].isEmpty()) {
        --contentLines;
        ++trailing;
    }
    QByteArray text;
    for (int i = 0; i < contentLines; ++i) {
        const QByteArray &l = lines[i];
        if (i > 0) {
            const QByteArray &prev = lines[i - 1];
            const bool fold = !literal && !prev.isEmpty() && !l.isEmpty() &&
                              !isBlank(prev.front()) && !isBlank(l.front());
            text.append(fold ? ' ' : '\n');
        }
        text.append(l);
    }
    if (contentLines > 0 && chomp != '-')
        text.append('\n');
    if (chomp == '+')
        text.append(QByteArray(trailing, '\n'));
    return text;
}

} // namespace

YamlParser::YamlParser(const QString &file, const QByteArray &text, const YamlLineIndex &lines,
                       Diagnostics &diagnostics)
    : m_file(file)
    , m_d(text.constData())
    , m_n(int(text.size()))
    , m_lines(lines)
    , m_diags(diagnostics)
{}

YamlParser::Reading YamlParser::read(const QString &file, const QByteArray &text,
                                     const YamlLineIndex &lines, Diagnostics &diagnostics)
{
    YamlParser parser(file, text, lines, diagnostics);
    Reading reading;
    parser.parseDocument(reading.root);
    reading.indentStep = parser.m_indentStep;
    reading.stoppedAt = parser.m_stoppedAt;
    return reading;
}

void YamlParser::parseDocument(YamlNode &root)
{
    root.location = loc(0, 0);
    root.introducerEnd = 0;
    if (m_n >= 3 && uchar(m_d[0]) == 0xEF && uchar(m_d[1]) == 0xBB && uchar(m_d[2]) == 0xBF)
        m_pos = 3;
    try {
        bool started = false;
        while (skipToNextContent()) {
            if (column() == 0 && m_d[m_pos] == '%') {
                skipLine();
                continue;
            }
            if (atDocumentMarker("---")) {
                if (started)
                    error(QStringLiteral("yaml-multiple-documents"), m_pos, 3,
                          QStringLiteral("a second YAML document starts here; Azure ML reads "
                                         "one document per file"),
                          QStringLiteral("Move each document into its own file."));
                started = true;
                m_pos += 3;
                skipSpaces();
                if (m_pos < m_n && !isBreak(m_d[m_pos]) && m_d[m_pos] != '#')
                    parseNodeContent(root, -1, 0, true);
                continue;
            }
            if (atDocumentMarker("...")) {
                m_pos += 3;
                continue;
            }
            if (!root.isNull())
                error(QStringLiteral("yaml-syntax"), m_pos, 1,
                      QStringLiteral("unexpected content after the end of the document"),
                      QStringLiteral("Check the indentation of this line."));
            started = true;
            parseNodeContent(root, -1, 0, true);
            expectLineEnd();
        }
    } catch (const ParseAbort &) {
    }
}

// --- positions and diagnostics -------------------------------------------------------------

SourceLocation YamlParser::loc(int offset, int length) const
{
    // Line/column come from the offset so they are right after rewinds.
    return m_lines.location(m_file, offset, length);
}

void YamlParser::addDiag(Severity severity, const QString &code, int offset, int length,
                         const QString &message, const QString &hint)
{
    if (m_diags.size() >= MaxDiagnostics)
        return;
    Diagnostic d;
    d.code = code;
    d.severity = severity;
    d.message = message;
    d.hint = hint;
    d.location = loc(offset, length);
    m_diags.append(d);
}

void YamlParser::error(const QString &code, int offset, int length, const QString &message,
                       const QString &hint)
{
    addDiag(Severity::Error, code, offset, length, message, hint);
    if (m_stoppedAt < 0)
        m_stoppedAt = offset;
    throw ParseAbort{};
}

void YamlParser::syntax(const QString &message, const QString &hint)
{
    error(QStringLiteral("yaml-syntax"), m_pos, m_pos < m_n ? 1 : 0, message, hint);
}

void YamlParser::reportDuplicateKey(QHash<QString, int> &seen, const YamlNode &entry)
{
    const auto dup = seen.constFind(entry.key);
    if (dup != seen.constEnd())
        addDiag(Severity::Error, QStringLiteral("yaml-duplicate-key"), entry.keyLocation.offset,
                entry.keyLocation.length,
                QStringLiteral("duplicate key '%1' (first at line %2); Azure ML keeps only the "
                               "last one")
                    .arg(entry.key)
                    .arg(loc(*dup, 0).line),
                QStringLiteral("Remove one of the two '%1' entries.").arg(entry.key));
    seen.insert(entry.key, entry.keyLocation.offset);
}

// --- scanning ------------------------------------------------------------------------------

bool YamlParser::indicatorAt(int offset, char c) const
{
    return offset < m_n && m_d[offset] == c &&
           (offset + 1 >= m_n || isBlank(m_d[offset + 1]) || isBreak(m_d[offset + 1]));
}

bool YamlParser::atMarker(int offset, const char *marker) const
{
    return offset + 3 <= m_n && m_d[offset] == marker[0] && m_d[offset + 1] == marker[1] &&
           m_d[offset + 2] == marker[2] &&
           (offset + 3 == m_n || isBlank(m_d[offset + 3]) || isBreak(m_d[offset + 3]));
}

bool YamlParser::atDocumentMarker(const char *marker) const
{
    return column() == 0 && atMarker(m_pos, marker);
}

// Moves to the next line's content after a block entry; true at the end of the text or of
// the document.
bool YamlParser::atDocumentEnd()
{
    return !skipToNextContent() || atDocumentMarker("---") || atDocumentMarker("...");
}

void YamlParser::newline()
{
    if (m_d[m_pos] == '\r' && m_pos + 1 < m_n && m_d[m_pos + 1] == '\n')
        ++m_pos;
    ++m_pos;
    m_lineStart = m_pos;
}

void YamlParser::skipSpaces()
{
    while (m_pos < m_n && isBlank(m_d[m_pos]))
        ++m_pos;
}

void YamlParser::skipLine()
{
    while (m_pos < m_n && !isBreak(m_d[m_pos]))
        ++m_pos;
    if (m_pos < m_n)
        newline();
}

// Skips blanks, comments and line breaks. Returns false at the end of the text.
// Tabs in indentation are reported (YAML forbids them) and then treated as spaces.
bool YamlParser::skipToNextContent()
{
    while (m_pos < m_n) {
        const char c = m_d[m_pos];
        if (c == ' ') {
            ++m_pos;
        } else if (c == '\t') {
            if (onlyBlanksBefore(m_pos))
                reportTab(m_pos);
            ++m_pos;
        } else if (isBreak(c)) {
            newline();
        } else if (c == '#' && (m_pos == m_lineStart || isBlank(m_d[m_pos - 1]))) {
            while (m_pos < m_n && !isBreak(m_d[m_pos]))
                ++m_pos;
        } else {
            return true;
        }
    }
    return false;
}

bool YamlParser::onlyBlanksBefore(int offset) const
{
    for (int i = m_lineStart; i < offset; ++i) {
        if (!isBlank(m_d[i]))
            return false;
    }
    return true;
}

void YamlParser::reportTab(int offset)
{
    if (m_lastTabLine == m_lineStart)
        return;
    m_lastTabLine = m_lineStart;
    addDiag(Severity::Error, QStringLiteral("yaml-tab-indent"), offset, 1,
            QStringLiteral("tab character used for indentation; YAML allows only spaces"),
            QStringLiteral("Replace the tab with spaces."));
}

// After a value: only blanks and a comment may follow on the line.
void YamlParser::expectLineEnd()
{
    // A block collection value stops at the start of the next line's content.
    if (m_pos > 0 && m_pos < m_n && !isBlank(m_d[m_pos]) && onlyBlanksBefore(m_pos))
        return;
    skipSpaces();
    if (m_pos >= m_n || isBreak(m_d[m_pos]))
        return;
    if (m_d[m_pos] == '#' && m_pos > 0 && isBlank(m_d[m_pos - 1]))
        return;
    if (m_d[m_pos] == ':')
        syntax(QStringLiteral("a ':' here makes a second key on the same line"),
               QStringLiteral("Put each key on its own line, or quote the value if the "
                              "':' is part of it."));
    syntax(QStringLiteral("unexpected text '%1' after the value")
               .arg(QString::fromUtf8(m_d + m_pos, std::min(20, lineEndFrom(m_pos) - m_pos))),
           QStringLiteral("Check the indentation, or quote the whole value."));
}

int YamlParser::lineEndFrom(int offset) const
{
    while (offset < m_n && !isBreak(m_d[offset]))
        ++offset;
    return offset;
}

void YamlParser::enter(int depth, int offset)
{
    if (depth > YamlNode::MaxDepth)
        error(QStringLiteral("yaml-too-deep"), offset, 1,
              QStringLiteral("nesting deeper than %1 levels; the file is refused")
                  .arg(YamlNode::MaxDepth),
              QStringLiteral("Endpoint and deployment files need only a few levels; check "
                             "for runaway indentation or brackets."));
}

// Is a key ("key:" followed by a blank or line end) at the current position?
bool YamlParser::keyAhead() const
{
    if (m_pos < m_n && (m_d[m_pos] == '"' || m_d[m_pos] == '\''))
        return quotedKeyAhead();
    for (int i = m_pos; i < m_n && !isBreak(m_d[i]); ++i) {
        if (indicatorAt(i, ':'))
            return true;
        if (m_d[i] == '#' && i > m_pos && isBlank(m_d[i - 1]))
            return false;
    }
    return false;
}

bool YamlParser::quotedKeyAhead() const
{
    int i = m_pos;
    const char q = m_d[i++];
    while (i < m_n && !isBreak(m_d[i])) {
        if (m_d[i] == q) {
            if (q == '\'' && i + 1 < m_n && m_d[i + 1] == '\'') {
                i += 2;
                continue;
            }
            break;
        }
        if (q == '"' && m_d[i] == '\\')
            ++i;
        ++i;
    }
    if (i >= m_n || m_d[i] != q)
        return false;
    ++i;
    while (i < m_n && isBlank(m_d[i]))
        ++i;
    return indicatorAt(i, ':');
}

// --- block structure -----------------------------------------------------------------------

// Parses a value after its ':' or '-' (or at the start of the document).
void YamlParser::parseValue(YamlNode &node, int parentIndent, int depth, bool isMapValue)
{
    node.introducerEnd = m_pos;
    node.location = loc(m_pos, 0);
    skipSpaces();
    parseProperties(node);
    // "key: &name" with nothing after it anchors a null value (and the anchor must not
    // carry over to the next value parsed).
    auto nullValue = [&] {
        const QString anchor = std::exchange(m_pendingAnchor, QString());
        if (!anchor.isEmpty())
            m_anchors.insert(anchor, node);
    };
    if (m_pos >= m_n || isBreak(m_d[m_pos]) || (m_d[m_pos] == '#' && isBlank(m_d[m_pos - 1]))) {
        const int save = m_pos, saveLine = m_lineStart;
        if (atDocumentEnd()) {
            m_pos = save;
            m_lineStart = saveLine;
            nullValue();
            return;
        }
        const int col = column();
        if (col > parentIndent || (isMapValue && col == parentIndent && indicatorAt(m_pos, '-'))) {
            if (m_indentStep == 0 && col > parentIndent && parentIndent >= 0)
                m_indentStep = col - parentIndent;
            parseNodeContent(node, parentIndent, depth, true);
            return;
        }
        m_pos = save;
        m_lineStart = saveLine;
        nullValue();
        return;
    }
    parseNodeContent(node, parentIndent, depth, !isMapValue);
}

void YamlParser::parseProperties(YamlNode &node)
{
    while (m_pos < m_n && (m_d[m_pos] == '&' || m_d[m_pos] == '!')) {
        const int start = m_pos;
        while (m_pos < m_n && !isBlank(m_d[m_pos]) && !isBreak(m_d[m_pos]))
            ++m_pos;
        const QString word = QString::fromUtf8(m_d + start, m_pos - start);
        if (word.startsWith(u'&')) {
            m_pendingAnchor = word.mid(1);
            addDiag(Severity::Warning, QStringLiteral("yaml-anchor"), start, m_pos - start,
                    QStringLiteral("anchor '%1': anchors and aliases make the file hard to "
                                   "edit; the studio expands them but edits do not follow")
                        .arg(word),
                    QStringLiteral("Write the values out in full."));
        } else {
            node.tag = word;
        }
        skipSpaces();
    }
}

// Positioned at the first character of a node's content.
void YamlParser::parseNodeContent(YamlNode &node, int parentIndent, int depth,
                                  bool allowBlockCollection)
{
    const QString anchor = std::exchange(m_pendingAnchor, QString());
    parseProperties(node);
    const QString anchor2 = std::exchange(m_pendingAnchor, QString());
    const QString name = anchor2.isEmpty() ? anchor : anchor2;
    parseNodeContentInner(node, parentIndent, depth, allowBlockCollection);
    if (!name.isEmpty())
        m_anchors.insert(name, node);
}

void YamlParser::parseNodeContentInner(YamlNode &node, int parentIndent, int depth,
                                       bool allowBlockCollection)
{
    if (m_pos >= m_n)
        return;
    const char c = m_d[m_pos];
    const int col = column();
    if (indicatorAt(m_pos, '-')) {
        if (!allowBlockCollection)
            syntax(QStringLiteral("a list cannot start on the same line as its key"),
                   QStringLiteral("Start the list on the next line, indented under the key."));
        parseBlockSequence(node, col, depth + 1);
        return;
    }
    if (indicatorAt(m_pos, '?'))
        syntax(QStringLiteral("complex keys ('? ') are not supported"),
               QStringLiteral("Write the key as plain text followed by ':'."));
    if (c == '|' || c == '>') {
        parseBlockScalar(node, parentIndent);
        return;
    }
    if (c == '*') {
        parseAlias(node);
        return;
    }
    if (c == '[' || c == '{') {
        parseFlow(node, depth + 1);
        return;
    }
    if (keyAhead()) {
        if (!allowBlockCollection)
            syntax(QStringLiteral("a ':' here makes a second key on the same line"),
                   QStringLiteral("Put each key on its own line, or quote the value if the "
                                  "':' is part of it."));
        parseBlockMapping(node, col, depth + 1);
        return;
    }
    if (c == '"' || c == '\'') {
        parseQuoted(node);
        return;
    }
    if (c == '@' || c == '`')
        syntax(QStringLiteral("'%1' cannot start a plain value").arg(QChar::fromLatin1(c)),
               QStringLiteral("Put the value in quotes."));
    parsePlain(node, parentIndent);
}

void YamlParser::parseAlias(YamlNode &node)
{
    const int start = m_pos;
    ++m_pos;
    while (m_pos < m_n && !isBlank(m_d[m_pos]) && !isBreak(m_d[m_pos]) &&
           !QByteArrayView(",[]{}").contains(m_d[m_pos]))
        ++m_pos;
    const QString name = QString::fromUtf8(m_d + start + 1, m_pos - start - 1);
    const auto it = m_anchors.constFind(name);
    if (it == m_anchors.constEnd())
        error(
            QStringLiteral("yaml-alias"), start, m_pos - start,
            QStringLiteral("alias '*%1' refers to no anchor defined before it").arg(name),
            QStringLiteral("Define '&%1' earlier in the file, or write the value out.").arg(name));
    m_aliasNodes += countNodes(*it);
    if (m_aliasNodes > MaxAliasNodes)
        error(QStringLiteral("yaml-alias"), start, m_pos - start,
              QStringLiteral("aliases expand to more than %1 nodes; the file is refused")
                  .arg(MaxAliasNodes),
              QStringLiteral("Write the values out instead of nesting aliases."));
    addDiag(Severity::Warning, QStringLiteral("yaml-alias"), start, m_pos - start,
            QStringLiteral("alias '*%1' copies the anchored value; edits in the studio "
                           "change only one place")
                .arg(name),
            QStringLiteral("Write the value out in full."));
    // The copy keeps this place's key and positions.
    YamlNode copy = *it;
    copy.key = node.key;
    copy.keyLocation = node.keyLocation;
    copy.introducerEnd = node.introducerEnd;
    copy.location = loc(start, m_pos - start);
    copy.indent = -1;
    copy.style = YamlNode::Style::Flow;
    node = std::move(copy);
}

// Starts a block collection whose entries sit at column `indent`.
void YamlParser::beginBlock(YamlNode &node, YamlNode::Kind kind, int indent, int depth)
{
    enter(depth, m_pos);
    node.kind = kind;
    node.style = YamlNode::Style::Block;
    node.indent = indent;
}

// After a block entry: the column of the next line's content, or -1 where the block at
// `indent` ends (a line indented less, the end of the text or of the document).
int YamlParser::nextBlockColumn(int indent)
{
    if (atDocumentEnd())
        return -1;
    const int col = column();
    return col < indent ? -1 : col;
}

void YamlParser::parseBlockMapping(YamlNode &node, int indent, int depth)
{
    beginBlock(node, YamlNode::Kind::Map, indent, depth);
    const int start = m_pos;
    int end = m_pos;
    QHash<QString, int> seen;
    for (;;) {
        if (indicatorAt(m_pos, '-'))
            syntax(QStringLiteral("a list item where a key was expected"),
                   QStringLiteral("Indent the list under its key, or add ':' to make this "
                                  "line a key."));
        if (!keyAhead())
            syntax(
                QStringLiteral("expected 'key: value' but found '%1'")
                    .arg(QString::fromUtf8(m_d + m_pos, std::min(30, lineEndFrom(m_pos) - m_pos))),
                QStringLiteral("Add ':' after the key, or indent this line to continue "
                               "the value above."));
        YamlNode entry;
        parseBlockKey(entry);
        skipSpaces();
        ++m_pos; // ':'
        reportDuplicateKey(seen, entry);
        node.children.append(entry);
        YamlNode &value = node.children.last();
        parseValue(value, indent, depth, true);
        end = std::max(value.endOffset(), value.keyLocation.offset + value.keyLocation.length + 1);
        expectLineEnd();
        node.location = loc(start, end - start);
        const int col = nextBlockColumn(indent);
        if (col < 0)
            break;
        if (col > indent)
            syntax(QStringLiteral("this line is indented more than the keys above it "
                                  "(column %1, expected %2)")
                       .arg(col + 1)
                       .arg(indent + 1),
                   QStringLiteral("Align it with the other keys of the same block, or put it "
                                  "under a key that ends with ':'."));
    }
    node.location = loc(start, end - start);
}

// Reads a block mapping's key up to (not including) the blanks before its ':'.
void YamlParser::parseBlockKey(YamlNode &entry)
{
    const int keyStart = m_pos;
    if (m_d[m_pos] == '"' || m_d[m_pos] == '\'') {
        YamlNode keyNode;
        parseQuoted(keyNode);
        entry.key = keyNode.scalar;
        entry.keyLocation = loc(keyStart, m_pos - keyStart);
        return;
    }
    // These indicators cannot start a plain key (PyYAML, which Azure's CLI uses, refuses
    // them); anchors, tags and aliases on keys are valid YAML that the studio does not read.
    const char first = m_d[m_pos];
    if (QByteArrayView("|>%@`[]{},").contains(first))
        error(QStringLiteral("yaml-syntax"), m_pos, 1,
              QStringLiteral("a key cannot start with '%1'").arg(QChar(first)),
              QStringLiteral("Remove the '%1', or quote the key.").arg(QChar(first)));
    if (QByteArrayView("&!*").contains(first))
        error(QStringLiteral("yaml-key-properties"), m_pos, 1,
              QStringLiteral("an anchor, tag or alias on a key ('%1') is not supported here")
                  .arg(QChar(first)),
              QStringLiteral("Write the key out plainly."));
    while (m_pos < m_n && !indicatorAt(m_pos, ':'))
        ++m_pos;
    int keyEnd = m_pos;
    while (keyEnd > keyStart && isBlank(m_d[keyEnd - 1]))
        --keyEnd;
    entry.key = QString::fromUtf8(m_d + keyStart, keyEnd - keyStart);
    m_pos = keyEnd;
    entry.keyLocation = loc(keyStart, m_pos - keyStart);
}

void YamlParser::parseBlockSequence(YamlNode &node, int indent, int depth)
{
    beginBlock(node, YamlNode::Kind::Sequence, indent, depth);
    const int start = m_pos;
    int end = m_pos;
    for (;;) {
        if (!indicatorAt(m_pos, '-'))
            syntax(QStringLiteral("expected a list item ('- ') at this indentation"),
                   QStringLiteral("Start the line with '- ', or fix its indentation."));
        ++m_pos;
        node.children.append(YamlNode{});
        YamlNode &item = node.children.last();
        parseValue(item, indent, depth, false);
        end = std::max(item.endOffset(), item.introducerEnd);
        expectLineEnd();
        const int col = nextBlockColumn(indent);
        if (col < 0)
            break;
        if (col > indent)
            syntax(QStringLiteral("this line is indented more than the list items above it"),
                   QStringLiteral("Align it with the '- ' of the other items."));
        if (m_d[m_pos] != '-')
            break; // a key at the same indent as a compact list ends the list
    }
    node.location = loc(start, end - start);
}

// --- scalars -------------------------------------------------------------------------------

void YamlParser::parsePlain(YamlNode &node, int parentIndent)
{
    node.kind = YamlNode::Kind::Scalar;
    node.style = YamlNode::Style::Plain;
    const int start = m_pos;
    const bool bareLine = onlyBlanksBefore(start);
    int end = scanPlainLine(m_pos);
    QByteArray text(m_d + m_pos, end - m_pos);
    m_pos = end;
    int breaks = 0;
    while (nextPlainContinuation(parentIndent, &breaks)) {
        if (keyAhead()) {
            // A line of a block with no key on it is most likely a key being typed: that line
            // is what a tolerant reading leaves out, not the key below it.
            if (bareLine)
                m_stoppedAt = start;
            syntax(QStringLiteral("this key is indented more than the key above it, so it "
                                  "reads as part of that value"),
                   QStringLiteral("Align it with the key above, or give the key above no "
                                  "value on its line."));
        }
        const int lineEnd = scanPlainLine(m_pos);
        if (breaks == 1)
            text.append(' ');
        else
            text.append(QByteArray(breaks - 1, '\n'));
        text.append(m_d + m_pos, lineEnd - m_pos);
        m_pos = lineEnd;
        end = lineEnd;
    }
    node.scalar = QString::fromUtf8(text);
    node.location = loc(start, end - start);
}

// Moves to the next line that continues a plain scalar (more indented than its parent, not a
// comment, not a document marker) and says how many line breaks lie before it.
bool YamlParser::nextPlainContinuation(int parentIndent, int *breaks)
{
    int p = m_pos;
    while (p < m_n && isBlank(m_d[p]))
        ++p;
    if (p >= m_n || !isBreak(m_d[p]))
        return false; // a comment or the end of the text
    *breaks = 0;
    int q = p;
    int lineStart = m_lineStart;
    for (;;) {
        if (q < m_n && m_d[q] == '\r' && q + 1 < m_n && m_d[q + 1] == '\n')
            ++q;
        ++q;
        lineStart = q;
        ++*breaks;
        while (q < m_n && m_d[q] == ' ')
            ++q;
        if (q >= m_n || !isBreak(m_d[q]))
            break;
    }
    if (q >= m_n || q - lineStart <= parentIndent || m_d[q] == '#')
        return false;
    if (q == lineStart && (atMarker(q, "---") || atMarker(q, "...")))
        return false;
    m_pos = q;
    m_lineStart = lineStart;
    return true;
}

// End of a plain scalar on this line (trailing blanks excluded).
int YamlParser::scanPlainLine(int from) const
{
    int end = from;
    for (int i = from; i < m_n && !isBreak(m_d[i]); ++i) {
        const char c = m_d[i];
        if (c == '#' && i > from && isBlank(m_d[i - 1]))
            break;
        if (indicatorAt(i, ':'))
            break;
        if (!isBlank(c))
            end = i + 1;
    }
    return end;
}

void YamlParser::parseQuoted(YamlNode &node)
{
    node.kind = YamlNode::Kind::Scalar;
    const char q = m_d[m_pos];
    node.style = q == '"' ? YamlNode::Style::DoubleQuoted : YamlNode::Style::SingleQuoted;
    const int start = m_pos;
    ++m_pos;
    QByteArray text;
    for (;;) {
        if (m_pos >= m_n)
            error(QStringLiteral("yaml-syntax"), start, 1,
                  QStringLiteral("the quoted value starting here is never closed"),
                  QStringLiteral("Add the closing %1.").arg(QChar::fromLatin1(q)));
        const char c = m_d[m_pos];
        if (c == q) {
            if (q == '\'' && m_pos + 1 < m_n && m_d[m_pos + 1] == '\'') {
                text.append('\'');
                m_pos += 2;
                continue;
            }
            ++m_pos;
            break;
        }
        if (isBreak(c))
            foldQuotedBreak(text);
        else if (q == '"' && c == '\\')
            parseEscape(text);
        else
            text.append(m_d[m_pos++]);
    }
    node.scalar = QString::fromUtf8(text);
    node.location = loc(start, m_pos - start);
}

// Folding inside quotes: a single break becomes a space, each further empty line a newline.
void YamlParser::foldQuotedBreak(QByteArray &text)
{
    while (!text.isEmpty() && isBlank(text.back()))
        text.chop(1);
    int breaks = 0;
    while (m_pos < m_n && (isBreak(m_d[m_pos]) || isBlank(m_d[m_pos]))) {
        if (isBreak(m_d[m_pos])) {
            newline();
            ++breaks;
        } else {
            ++m_pos;
        }
    }
    if (breaks == 1)
        text.append(' ');
    else
        text.append(QByteArray(breaks - 1, '\n'));
}

void YamlParser::parseEscape(QByteArray &text)
{
    const int start = m_pos;
    ++m_pos;
    if (m_pos >= m_n)
        return;
    const char e = m_d[m_pos++];
    for (const SimpleEscape &simple : simpleEscapes) {
        if (simple.letter == e) {
            text.append(simple.bytes, simple.length);
            return;
        }
    }
    int hexDigits = 0;
    switch (e) {
    case 'x':
        hexDigits = 2;
        break;
    case 'u':
        hexDigits = 4;
        break;
    case 'U':
        hexDigits = 8;
        break;
    case '\r':
    case '\n':
        --m_pos;
        newline();
        skipSpaces();
        return;
    default:
        error(QStringLiteral("yaml-syntax"), start, 2,
              QStringLiteral("unknown escape '\\%1' in a double-quoted value")
                  .arg(QChar::fromLatin1(e)),
              QStringLiteral("Write '\\\\' for a backslash, or use single quotes."));
    }
    if (m_pos + hexDigits > m_n)
        error(QStringLiteral("yaml-syntax"), start, 2, QStringLiteral("incomplete escape"),
              QStringLiteral("Complete the escape or remove it."));
    bool ok = false;
    const uint code = QByteArray(m_d + m_pos, hexDigits).toUInt(&ok, 16);
    if (!ok || code > 0x10FFFF)
        error(QStringLiteral("yaml-syntax"), start, hexDigits + 2,
              QStringLiteral("invalid escape '%1'")
                  .arg(QString::fromUtf8(m_d + start, hexDigits + 2)),
              QStringLiteral("Use \\x, \\u or \\U followed by hexadecimal digits."));
    m_pos += hexDigits;
    const char32_t ch = code;
    text.append(QString::fromUcs4(&ch, 1).toUtf8());
}

void YamlParser::parseBlockScalar(YamlNode &node, int parentIndent)
{
    node.kind = YamlNode::Kind::Scalar;
    const bool literal = m_d[m_pos] == '|';
    node.style = literal ? YamlNode::Style::Literal : YamlNode::Style::Folded;
    const int start = m_pos;
    ++m_pos;
    char chomp = 0;
    int explicitIndent = 0;
    for (int k = 0; k < 2 && m_pos < m_n; ++k) {
        if (m_d[m_pos] == '+' || m_d[m_pos] == '-')
            chomp = m_d[m_pos++];
        else if (m_d[m_pos] >= '1' && m_d[m_pos] <= '9')
            explicitIndent = m_d[m_pos++] - '0';
    }
    expectLineEnd();
    const int headerEnd = m_pos;
    m_pos = lineEndFrom(m_pos);
    const int indent = explicitIndent ? std::max(parentIndent, 0) + explicitIndent : -1;
    QList<QByteArray> lines;
    const int contentEnd = readBlockLines(parentIndent, indent, lines);
    node.scalar = QString::fromUtf8(joinBlockLines(lines, literal, chomp));
    const int end = contentEnd >= 0 ? contentEnd : headerEnd;
    node.location = loc(start, end - start);
}

// Collects a block scalar's lines without their indentation (`indent` < 0: the first content
// line's). Starts at the header's line break and stops after the last content line, where it
// returns that line's end (-1 when there is none): trailing empty lines belong to what follows.
int YamlParser::readBlockLines(int parentIndent, int indent, QList<QByteArray> &lines)
{
    int lastContentPos = m_pos;
    int lastContentLineStart = m_lineStart;
    int contentEnd = -1;
    while (m_pos < m_n) {
        // m_pos is at a line break; look at the next line.
        int p = m_pos;
        if (m_d[p] == '\r' && p + 1 < m_n && m_d[p + 1] == '\n')
            ++p;
        ++p;
        const int ls = p;
        int sp = p;
        while (sp < m_n && m_d[sp] == ' ')
            ++sp;
        const bool empty = sp >= m_n || isBreak(m_d[sp]);
        if (!empty) {
            if (indent < 0)
                indent = sp - ls;
            if (sp - ls < indent || sp - ls <= parentIndent)
                break;
        }
        const int le = lineEndFrom(p);
        if (empty)
            lines.append(sp - ls > indent && indent >= 0
                             ? QByteArray(m_d + ls + indent, le - ls - indent)
                             : QByteArray());
        else
            lines.append(QByteArray(m_d + ls + indent, le - ls - indent));
        m_pos = le;
        m_lineStart = ls;
        if (!empty) {
            lastContentPos = le;
            lastContentLineStart = ls;
            contentEnd = le;
        }
    }
    m_pos = lastContentPos;
    m_lineStart = lastContentLineStart;
    return contentEnd;
}

// --- flow collections ----------------------------------------------------------------------

void YamlParser::skipFlowSpace()
{
    while (m_pos < m_n) {
        const char c = m_d[m_pos];
        if (isBlank(c))
            ++m_pos;
        else if (isBreak(c))
            newline();
        else if (c == '#' && (m_pos == m_lineStart || isBlank(m_d[m_pos - 1])))
            while (m_pos < m_n && !isBreak(m_d[m_pos]))
                ++m_pos;
        else
            return;
    }
}

void YamlParser::parseFlow(YamlNode &node, int depth)
{
    enter(depth, m_pos);
    const char open = m_d[m_pos];
    const char close = open == '[' ? ']' : '}';
    node.kind = open == '[' ? YamlNode::Kind::Sequence : YamlNode::Kind::Map;
    node.style = YamlNode::Style::Flow;
    const int start = m_pos;
    ++m_pos;
    QHash<QString, int> seen;
    try {
        parseFlowEntries(node, seen, depth, open, close, start);
    } catch (const ParseAbort &) {
        // An error inside a flow collection that runs over several lines is most likely that
        // collection left open: its first line is what a tolerant reading leaves out (the
        // outermost collection's, as the catch of each enclosing one runs after this one).
        if (m_lines.lineOf(start) != m_lines.lineOf(std::clamp(m_stoppedAt, 0, m_n)))
            m_stoppedAt = start;
        throw;
    }
    node.location = loc(start, m_pos - start);
}

void YamlParser::parseFlowEntries(YamlNode &node, QHash<QString, int> &seen, int depth, char open,
                                  char close, int start)
{
    for (;;) {
        skipFlowSpace();
        if (m_pos >= m_n)
            error(QStringLiteral("yaml-syntax"), start, 1,
                  QStringLiteral("'%1' is never closed").arg(QChar::fromLatin1(open)),
                  QStringLiteral("Add the closing '%1'.").arg(QChar::fromLatin1(close)));
        if (m_d[m_pos] == close) {
            ++m_pos;
            break;
        }
        parseFlowEntry(node, seen, depth, close);
        skipFlowSpace();
        if (m_pos < m_n && m_d[m_pos] == ',') {
            ++m_pos;
            continue;
        }
        if (m_pos >= m_n || m_d[m_pos] == close)
            continue; // closed, or reported as unclosed above
        syntax(QStringLiteral("expected ',' or '%1' in the %2")
                   .arg(QChar::fromLatin1(close))
                   .arg(open == '[' ? QStringLiteral("list") : QStringLiteral("map")),
               QStringLiteral("Separate entries with commas."));
    }
}

// One entry of a flow collection: a value, or "key: value" (in a flow list, a one-entry map).
void YamlParser::parseFlowEntry(YamlNode &node, QHash<QString, int> &seen, int depth, char close)
{
    const int entryStart = m_pos;
    YamlNode first;
    first.introducerEnd = m_pos;
    parseFlowScalarOrCollection(first, depth);
    skipFlowSpace();
    const bool hasColon = m_pos < m_n && m_d[m_pos] == ':';
    if (!node.isMap() && !hasColon) {
        node.children.append(first);
        return;
    }
    if (!first.isScalar() && !first.isNull())
        syntax(QStringLiteral("a key must be text"), QStringLiteral("Use a plain or quoted key."));
    YamlNode entry;
    entry.key = first.scalar;
    entry.keyLocation = first.location;
    entry.introducerEnd = m_pos;
    entry.location = loc(m_pos, 0);
    if (hasColon) {
        ++m_pos;
        entry.introducerEnd = m_pos;
        entry.location = loc(m_pos, 0);
        skipFlowSpace();
        if (m_pos < m_n && m_d[m_pos] != ',' && m_d[m_pos] != close)
            parseFlowScalarOrCollection(entry, depth);
    }
    if (node.isMap()) {
        reportDuplicateKey(seen, entry);
        node.children.append(entry);
        return;
    }
    YamlNode pair;
    pair.kind = YamlNode::Kind::Map;
    pair.style = YamlNode::Style::Flow;
    pair.introducerEnd = entryStart;
    pair.location = loc(entryStart, entry.endOffset() - entryStart);
    pair.children.append(entry);
    node.children.append(pair);
}

void YamlParser::parseFlowScalarOrCollection(YamlNode &node, int depth)
{
    parseProperties(node);
    const QString anchor = std::exchange(m_pendingAnchor, QString());
    const char c = m_d[m_pos];
    if (c == '[' || c == '{')
        parseFlow(node, depth + 1);
    else if (c == '"' || c == '\'')
        parseQuoted(node);
    else if (c == '*')
        parseAlias(node);
    else
        parseFlowPlain(node);
    if (!anchor.isEmpty())
        m_anchors.insert(anchor, node);
}

// A plain scalar inside brackets: it ends at ',', a bracket, ": " or " #", and may fold over
// lines.
void YamlParser::parseFlowPlain(YamlNode &node)
{
    node.kind = YamlNode::Kind::Scalar;
    node.style = YamlNode::Style::Plain;
    const int start = m_pos;
    int end = m_pos;
    QByteArray text;
    while (m_pos < m_n) {
        const char d = m_d[m_pos];
        if (d == ',' || d == '[' || d == ']' || d == '{' || d == '}')
            break;
        if (d == ':' && (indicatorAt(m_pos, ':') ||
                         (m_pos + 1 < m_n && QByteArrayView(",[]{}").contains(m_d[m_pos + 1]))))
            break;
        if (d == '#' && m_pos > start && isBlank(m_d[m_pos - 1]))
            break;
        if (isBreak(d)) {
            newline();
            if (!text.isEmpty() && !isBlank(text.back()))
                text.append(' ');
            continue;
        }
        text.append(d);
        ++m_pos;
        if (!isBlank(d))
            end = m_pos;
    }
    node.scalar = QString::fromUtf8(text).trimmed();
    if (end == start)
        node.kind = YamlNode::Kind::Null;
    node.location = loc(start, end - start);
    m_pos = end;
    // Recompute the line start after a rewind over folded lines.
    m_lineStart = end;
    while (m_lineStart > 0 && !isBreak(m_d[m_lineStart - 1]))
        --m_lineStart;
}
