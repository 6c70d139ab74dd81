#include "models/yamldocument.h"

#include <QFile>
#include <QFileInfo>
#include <QHash>
#include <QRegularExpression>
#include <QSet>

#include <algorithm>

namespace {

constexpr int MaxDiagnostics = 100;
constexpr int MaxAliasNodes = 100000; // copies made while resolving aliases ("billion laughs")

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

// Hand-written parser for the YAML that endpoint files use: block and flow collections,
// plain/quoted/block scalars, comments, anchors and aliases. It records exact byte spans,
// which generic parsers do not expose, and turns every problem into a diagnostic.
class Parser
{
public:
    Parser(const QString &file, const QByteArray &text, Diagnostics &diags)
        : m_file(file)
        , m_d(text.constData())
        , m_n(int(text.size()))
        , m_diags(diags)
    {}

    int indentStep = 0;

    void parseDocument(YamlNode &root)
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
                    if (started) {
                        error(QStringLiteral("yaml-multiple-documents"), m_pos, 3,
                              QStringLiteral("a second YAML document starts here; Azure ML reads "
                                             "one document per file"),
                              QStringLiteral("Move each document into its own file."));
                        return;
                    }
                    started = true;
                    m_pos += 3;
                    skipSpaces();
                    if (m_pos < m_n && !isBreak(m_d[m_pos]) && m_d[m_pos] != '#') {
                        parseNodeContent(root, -1, 0, true);
                        started = true;
                    }
                    continue;
                }
                if (atDocumentMarker("...")) {
                    m_pos += 3;
                    continue;
                }
                if (!root.isNull()) {
                    error(QStringLiteral("yaml-syntax"), m_pos, 1,
                          QStringLiteral("unexpected content after the end of the document"),
                          QStringLiteral("Check the indentation of this line."));
                    return;
                }
                started = true;
                parseNodeContent(root, -1, 0, true);
                expectLineEnd();
            }
        } catch (const ParseAbort &) {
        }
    }

private:
    // --- positions ---------------------------------------------------------------------
    int column() const { return m_pos - m_lineStart; } // 0-based byte column

    SourceLocation loc(int offset, int length) const
    {
        // Line/column are recomputed from the offset so they are right after rewinds.
        SourceLocation l;
        l.file = m_file;
        l.offset = offset;
        l.length = length;
        int line = 1;
        int start = 0;
        auto it = std::upper_bound(m_lineStarts.begin(), m_lineStarts.end(), offset);
        if (it != m_lineStarts.begin()) {
            --it;
            line = int(it - m_lineStarts.begin()) + 2;
            start = *it;
        }
        l.line = line;
        l.column = offset - start + 1;
        return l;
    }

public:
    void indexLines()
    {
        for (int i = 0; i < m_n; ++i) {
            if (m_d[i] == '\n' || (m_d[i] == '\r' && (i + 1 >= m_n || m_d[i + 1] != '\n')))
                m_lineStarts.append(i + 1);
        }
    }

private:
    void addDiag(Severity sev, const QString &code, int offset, int length, const QString &msg,
                 const QString &hint)
    {
        if (m_diags.size() >= MaxDiagnostics)
            return;
        Diagnostic d;
        d.code = code;
        d.severity = sev;
        d.message = msg;
        d.hint = hint;
        d.location = loc(offset, length);
        m_diags.append(d);
    }

    [[noreturn]] void error(const QString &code, int offset, int length, const QString &msg,
                            const QString &hint)
    {
        addDiag(Severity::Error, code, offset, length, msg, hint);
        throw ParseAbort{};
    }

    [[noreturn]] void syntax(const QString &msg, const QString &hint)
    {
        error(QStringLiteral("yaml-syntax"), m_pos, m_pos < m_n ? 1 : 0, msg, hint);
    }

    // --- scanning ----------------------------------------------------------------------
    void newline()
    {
        if (m_d[m_pos] == '\r' && m_pos + 1 < m_n && m_d[m_pos + 1] == '\n')
            ++m_pos;
        ++m_pos;
        m_lineStart = m_pos;
    }

    void skipSpaces()
    {
        while (m_pos < m_n && isBlank(m_d[m_pos]))
            ++m_pos;
    }

    void skipLine()
    {
        while (m_pos < m_n && !isBreak(m_d[m_pos]))
            ++m_pos;
        if (m_pos < m_n)
            newline();
    }

    bool atDocumentMarker(const char *marker) const
    {
        return column() == 0 && m_pos + 3 <= m_n && m_d[m_pos] == marker[0] &&
               m_d[m_pos + 1] == marker[1] && m_d[m_pos + 2] == marker[2] &&
               (m_pos + 3 == m_n || isBlank(m_d[m_pos + 3]) || isBreak(m_d[m_pos + 3]));
    }

    // Skips blanks, comments and line breaks. Returns false at the end of the text.
    // Tabs in indentation are reported (YAML forbids them) and then treated as spaces.
    bool skipToNextContent()
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

    bool onlyBlanksBefore(int offset) const
    {
        for (int i = m_lineStart; i < offset; ++i) {
            if (!isBlank(m_d[i]))
                return false;
        }
        return true;
    }

    void reportTab(int offset)
    {
        if (m_lastTabLine == m_lineStart)
            return;
        m_lastTabLine = m_lineStart;
        addDiag(Severity::Error, QStringLiteral("yaml-tab-indent"), offset, 1,
                QStringLiteral("tab character used for indentation; YAML allows only spaces"),
                QStringLiteral("Replace the tab with spaces."));
    }

    // After a value: only blanks and a comment may follow on the line.
    void expectLineEnd()
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

    int lineEndFrom(int offset) const
    {
        while (offset < m_n && !isBreak(m_d[offset]))
            ++offset;
        return offset;
    }

    void enter(int depth, int offset)
    {
        if (depth > YamlDocument::MaxDepth)
            error(QStringLiteral("yaml-too-deep"), offset, 1,
                  QStringLiteral("nesting deeper than %1 levels; the file is refused")
                      .arg(YamlDocument::MaxDepth),
                  QStringLiteral("Endpoint and deployment files need only a few levels; check "
                                 "for runaway indentation or brackets."));
    }

    // Is a key ("key:" followed by a blank or line end) at the current position?
    bool keyAhead() const
    {
        int i = m_pos;
        if (i < m_n && (m_d[i] == '"' || m_d[i] == '\'')) {
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
            return i < m_n && m_d[i] == ':' &&
                   (i + 1 >= m_n || isBlank(m_d[i + 1]) || isBreak(m_d[i + 1]));
        }
        for (; i < m_n && !isBreak(m_d[i]); ++i) {
            if (m_d[i] == ':' && (i + 1 >= m_n || isBlank(m_d[i + 1]) || isBreak(m_d[i + 1])))
                return true;
            if (m_d[i] == '#' && i > m_pos && isBlank(m_d[i - 1]))
                return false;
        }
        return false;
    }

    // --- block structure ---------------------------------------------------------------
    // Parses a value after its ':' or '-' (or at the start of the document).
    void parseValue(YamlNode &node, int parentIndent, int depth, bool isMapValue)
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
            if (!skipToNextContent() || atDocumentMarker("---") || atDocumentMarker("...")) {
                m_pos = save;
                m_lineStart = saveLine;
                nullValue();
                return;
            }
            const int col = column();
            const bool dash = m_d[m_pos] == '-' && (m_pos + 1 >= m_n || isBlank(m_d[m_pos + 1]) ||
                                                    isBreak(m_d[m_pos + 1]));
            if (col > parentIndent || (isMapValue && col == parentIndent && dash)) {
                if (indentStep == 0 && col > parentIndent && parentIndent >= 0)
                    indentStep = col - parentIndent;
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

    void parseProperties(YamlNode &node)
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
    void parseNodeContent(YamlNode &node, int parentIndent, int depth, bool allowBlockCollection)
    {
        const QString anchor = std::exchange(m_pendingAnchor, QString());
        parseProperties(node);
        const QString anchor2 = std::exchange(m_pendingAnchor, QString());
        const QString name = anchor2.isEmpty() ? anchor : anchor2;
        parseNodeContentInner(node, parentIndent, depth, allowBlockCollection);
        if (!name.isEmpty())
            m_anchors.insert(name, node);
    }

    void parseNodeContentInner(YamlNode &node, int parentIndent, int depth,
                               bool allowBlockCollection)
    {
        if (m_pos >= m_n)
            return;
        const char c = m_d[m_pos];
        const int col = column();
        if (c == '-' && (m_pos + 1 >= m_n || isBlank(m_d[m_pos + 1]) || isBreak(m_d[m_pos + 1]))) {
            if (!allowBlockCollection)
                syntax(QStringLiteral("a list cannot start on the same line as its key"),
                       QStringLiteral("Start the list on the next line, indented under the key."));
            parseBlockSequence(node, col, depth + 1);
            return;
        }
        if (c == '?' && (m_pos + 1 >= m_n || isBlank(m_d[m_pos + 1]) || isBreak(m_d[m_pos + 1])))
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

    void parseAlias(YamlNode &node)
    {
        const int start = m_pos;
        ++m_pos;
        while (m_pos < m_n && !isBlank(m_d[m_pos]) && !isBreak(m_d[m_pos]) &&
               !QByteArrayView(",[]{}").contains(m_d[m_pos]))
            ++m_pos;
        const QString name = QString::fromUtf8(m_d + start + 1, m_pos - start - 1);
        const SourceLocation where = loc(start, m_pos - start);
        const auto it = m_anchors.constFind(name);
        if (it == m_anchors.constEnd()) {
            error(QStringLiteral("yaml-alias"), start, m_pos - start,
                  QStringLiteral("alias '*%1' refers to no anchor defined before it").arg(name),
                  QStringLiteral("Define '&%1' earlier in the file, or write the value out.")
                      .arg(name));
        }
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
        const QString key = node.key;
        const SourceLocation keyLoc = node.keyLocation;
        const int intro = node.introducerEnd;
        node = *it;
        node.key = key;
        node.keyLocation = keyLoc;
        node.introducerEnd = intro;
        node.location = where;
        node.indent = -1;
        node.style = YamlNode::Style::Flow;
    }

    void parseBlockMapping(YamlNode &node, int indent, int depth)
    {
        enter(depth, m_pos);
        node.kind = YamlNode::Kind::Map;
        node.style = YamlNode::Style::Block;
        node.indent = indent;
        const int start = m_pos;
        int end = m_pos;
        QHash<QString, int> seen;
        for (;;) {
            if (m_d[m_pos] == '-' &&
                (m_pos + 1 >= m_n || isBlank(m_d[m_pos + 1]) || isBreak(m_d[m_pos + 1])))
                syntax(QStringLiteral("a list item where a key was expected"),
                       QStringLiteral("Indent the list under its key, or add ':' to make this "
                                      "line a key."));
            if (!keyAhead())
                syntax(QStringLiteral("expected 'key: value' but found '%1'")
                           .arg(QString::fromUtf8(m_d + m_pos,
                                                  std::min(30, lineEndFrom(m_pos) - m_pos))),
                       QStringLiteral("Add ':' after the key, or indent this line to continue "
                                      "the value above."));
            YamlNode entry;
            const int keyStart = m_pos;
            if (m_d[m_pos] == '"' || m_d[m_pos] == '\'') {
                YamlNode keyNode;
                parseQuoted(keyNode);
                entry.key = keyNode.scalar;
            } else {
                // These indicators cannot start a plain key (PyYAML, which Azure's CLI uses,
                // refuses them); anchors, tags and aliases on keys are valid YAML that the
                // studio does not read.
                const char first = m_d[m_pos];
                if (QByteArrayView("|>%@`[]{},").contains(first))
                    error(QStringLiteral("yaml-syntax"), m_pos, 1,
                          QStringLiteral("a key cannot start with '%1'").arg(QChar(first)),
                          QStringLiteral("Remove the '%1', or quote the key.").arg(QChar(first)));
                if (QByteArrayView("&!*").contains(first))
                    error(QStringLiteral("yaml-key-properties"), m_pos, 1,
                          QStringLiteral("an anchor, tag or alias on a key ('%1') is not "
                                         "supported here")
                              .arg(QChar(first)),
                          QStringLiteral("Write the key out plainly."));
                while (!(m_d[m_pos] == ':' &&
                         (m_pos + 1 >= m_n || isBlank(m_d[m_pos + 1]) || isBreak(m_d[m_pos + 1]))))
                    ++m_pos;
                int keyEnd = m_pos;
                while (keyEnd > keyStart && isBlank(m_d[keyEnd - 1]))
                    --keyEnd;
                entry.key = QString::fromUtf8(m_d + keyStart, keyEnd - keyStart);
                m_pos = keyEnd;
            }
            entry.keyLocation = loc(keyStart, m_pos - keyStart);
            skipSpaces();
            ++m_pos; // ':'
            const auto dup = seen.constFind(entry.key);
            if (dup != seen.constEnd()) {
                const SourceLocation first = loc(*dup, 0);
                addDiag(Severity::Error, QStringLiteral("yaml-duplicate-key"), keyStart,
                        entry.keyLocation.length,
                        QStringLiteral("duplicate key '%1' (first at line %2); Azure ML keeps "
                                       "only the last one")
                            .arg(entry.key)
                            .arg(first.line),
                        QStringLiteral("Remove one of the two '%1' entries.").arg(entry.key));
            }
            seen.insert(entry.key, keyStart);
            node.children.append(entry);
            YamlNode &value = node.children.last();
            parseValue(value, indent, depth, true);
            end = std::max(value.endOffset(),
                           value.keyLocation.offset + value.keyLocation.length + 1);
            expectLineEnd();
            node.location = loc(start, end - start);
            if (!skipToNextContent() || atDocumentMarker("---") || atDocumentMarker("..."))
                break;
            const int col = column();
            if (col < indent)
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

    void parseBlockSequence(YamlNode &node, int indent, int depth)
    {
        enter(depth, m_pos);
        node.kind = YamlNode::Kind::Sequence;
        node.style = YamlNode::Style::Block;
        node.indent = indent;
        const int start = m_pos;
        int end = m_pos;
        for (;;) {
            if (!(m_d[m_pos] == '-' &&
                  (m_pos + 1 >= m_n || isBlank(m_d[m_pos + 1]) || isBreak(m_d[m_pos + 1]))))
                syntax(QStringLiteral("expected a list item ('- ') at this indentation"),
                       QStringLiteral("Start the line with '- ', or fix its indentation."));
            ++m_pos;
            node.children.append(YamlNode{});
            YamlNode &item = node.children.last();
            parseValue(item, indent, depth, false);
            end = std::max(item.endOffset(), item.introducerEnd);
            expectLineEnd();
            if (!skipToNextContent() || atDocumentMarker("---") || atDocumentMarker("..."))
                break;
            const int col = column();
            if (col < indent)
                break;
            if (col > indent)
                syntax(QStringLiteral("this line is indented more than the list items above it"),
                       QStringLiteral("Align it with the '- ' of the other items."));
            if (m_d[m_pos] != '-')
                break; // a key at the same indent as a compact list ends the list
        }
        node.location = loc(start, end - start);
    }

    // --- scalars -----------------------------------------------------------------------
    void parsePlain(YamlNode &node, int parentIndent)
    {
        node.kind = YamlNode::Kind::Scalar;
        node.style = YamlNode::Style::Plain;
        const int start = m_pos;
        QByteArray text;
        int end = scanPlainLine(m_pos);
        text.append(m_d + m_pos, end - m_pos);
        m_pos = end;
        int contentEnd = end;
        // Continuation lines: more indented than the parent, not a comment.
        for (;;) {
            int p = m_pos;
            int ls = m_lineStart;
            while (p < m_n && isBlank(m_d[p]))
                ++p;
            if (p < m_n && m_d[p] == '#')
                break;
            if (p >= m_n || !isBreak(m_d[p]))
                break;
            int breaks = 0;
            int q = p;
            int qls = ls;
            for (;;) {
                if (q < m_n && m_d[q] == '\r' && q + 1 < m_n && m_d[q + 1] == '\n')
                    ++q;
                ++q;
                qls = q;
                ++breaks;
                while (q < m_n && m_d[q] == ' ')
                    ++q;
                if (q < m_n && isBreak(m_d[q]))
                    continue;
                break;
            }
            if (q >= m_n || q - qls <= parentIndent || m_d[q] == '#')
                break;
            if (q - qls == 0 && (atMarker(q, "---") || atMarker(q, "...")))
                break;
            m_pos = q;
            m_lineStart = qls;
            if (keyAhead())
                syntax(QStringLiteral("this key is indented more than the key above it, so it "
                                      "reads as part of that value"),
                       QStringLiteral("Align it with the key above, or give the key above no "
                                      "value on its line."));
            const int lineEnd = scanPlainLine(m_pos);
            if (breaks == 1)
                text.append(' ');
            else
                text.append(QByteArray(breaks - 1, '\n'));
            text.append(m_d + m_pos, lineEnd - m_pos);
            m_pos = lineEnd;
            contentEnd = lineEnd;
        }
        node.scalar = QString::fromUtf8(text);
        node.location = loc(start, contentEnd - start);
    }

    bool atMarker(int offset, const char *marker) const
    {
        return offset + 3 <= m_n && m_d[offset] == marker[0] && m_d[offset + 1] == marker[1] &&
               m_d[offset + 2] == marker[2] &&
               (offset + 3 == m_n || isBlank(m_d[offset + 3]) || isBreak(m_d[offset + 3]));
    }

    // End of a plain scalar on this line (trailing blanks excluded).
    int scanPlainLine(int from) const
    {
        int i = from;
        int end = from;
        for (; i < m_n && !isBreak(m_d[i]); ++i) {
            const char c = m_d[i];
            if (c == '#' && i > from && isBlank(m_d[i - 1]))
                break;
            if (c == ':' && (i + 1 >= m_n || isBlank(m_d[i + 1]) || isBreak(m_d[i + 1])))
                break;
            if (!isBlank(c))
                end = i + 1;
        }
        return end;
    }

    void parseQuoted(YamlNode &node)
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
            if (isBreak(c)) {
                // Folding: a single break becomes a space, each further empty line a newline.
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
                continue;
            }
            if (q == '"' && c == '\\') {
                parseEscape(text);
                continue;
            }
            text.append(c);
            ++m_pos;
        }
        node.scalar = QString::fromUtf8(text);
        node.location = loc(start, m_pos - start);
    }

    void parseEscape(QByteArray &text)
    {
        const int start = m_pos;
        ++m_pos;
        if (m_pos >= m_n)
            return;
        const char e = m_d[m_pos++];
        int hexDigits = 0;
        switch (e) {
        case '0':
            text.append('\0');
            return;
        case 'a':
            text.append('\a');
            return;
        case 'b':
            text.append('\b');
            return;
        case 't':
        case '\t':
            text.append('\t');
            return;
        case 'n':
            text.append('\n');
            return;
        case 'v':
            text.append('\v');
            return;
        case 'f':
            text.append('\f');
            return;
        case 'r':
            text.append('\r');
            return;
        case 'e':
            text.append('\x1b');
            return;
        case ' ':
            text.append(' ');
            return;
        case '"':
            text.append('"');
            return;
        case '/':
            text.append('/');
            return;
        case '\\':
            text.append('\\');
            return;
        case 'N':
            text.append("\xC2\x85");
            return;
        case '_':
            text.append("\xC2\xA0");
            return;
        case 'L':
            text.append("\xE2\x80\xA8");
            return;
        case 'P':
            text.append("\xE2\x80\xA9");
            return;
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

    void parseBlockScalar(YamlNode &node, int parentIndent)
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
        int end = m_pos;
        while (m_pos < m_n && !isBreak(m_d[m_pos]))
            ++m_pos;
        const int base = std::max(parentIndent, 0);
        int indent = explicitIndent ? base + explicitIndent : -1;
        QList<QByteArray> lines;
        int lastContentPos = m_pos;
        int lastContentLineStart = m_lineStart;
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
                end = le;
            }
        }
        // Rewind to the end of the last content line: trailing empty lines belong to what follows.
        m_pos = lastContentPos;
        m_lineStart = lastContentLineStart;
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
        node.scalar = QString::fromUtf8(text);
        node.location = loc(start, end - start);
    }

    // --- flow collections --------------------------------------------------------------
    void skipFlowSpace()
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

    void parseFlow(YamlNode &node, int depth)
    {
        enter(depth, m_pos);
        const char open = m_d[m_pos];
        const char close = open == '[' ? ']' : '}';
        node.kind = open == '[' ? YamlNode::Kind::Sequence : YamlNode::Kind::Map;
        node.style = YamlNode::Style::Flow;
        const int start = m_pos;
        ++m_pos;
        QHash<QString, int> seen;
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
            YamlNode entry;
            const int entryStart = m_pos;
            YamlNode first;
            first.introducerEnd = m_pos;
            parseFlowScalarOrCollection(first, depth);
            skipFlowSpace();
            const bool hasColon = m_pos < m_n && m_d[m_pos] == ':';
            if (node.isMap() || hasColon) {
                if (!first.isScalar() && !first.isNull())
                    syntax(QStringLiteral("a key must be text"),
                           QStringLiteral("Use a plain or quoted key."));
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
                    const auto dup = seen.constFind(entry.key);
                    if (dup != seen.constEnd())
                        addDiag(
                            Severity::Error, QStringLiteral("yaml-duplicate-key"),
                            entry.keyLocation.offset, entry.keyLocation.length,
                            QStringLiteral("duplicate key '%1' (first at line %2); Azure ML "
                                           "keeps only the last one")
                                .arg(entry.key)
                                .arg(loc(*dup, 0).line),
                            QStringLiteral("Remove one of the two '%1' entries.").arg(entry.key));
                    seen.insert(entry.key, entry.keyLocation.offset);
                    node.children.append(entry);
                } else {
                    YamlNode pair;
                    pair.kind = YamlNode::Kind::Map;
                    pair.style = YamlNode::Style::Flow;
                    pair.introducerEnd = entryStart;
                    pair.location = loc(entryStart, entry.endOffset() - entryStart);
                    pair.children.append(entry);
                    node.children.append(pair);
                }
            } else {
                node.children.append(first);
            }
            skipFlowSpace();
            if (m_pos < m_n && m_d[m_pos] == ',') {
                ++m_pos;
                continue;
            }
            if (m_pos < m_n && m_d[m_pos] == close)
                continue;
            if (m_pos >= m_n)
                continue; // reported as unclosed above
            syntax(QStringLiteral("expected ',' or '%1' in the %2")
                       .arg(QChar::fromLatin1(close))
                       .arg(open == '[' ? QStringLiteral("list") : QStringLiteral("map")),
                   QStringLiteral("Separate entries with commas."));
        }
        node.location = loc(start, m_pos - start);
    }

    void parseFlowScalarOrCollection(YamlNode &node, int depth)
    {
        parseProperties(node);
        const QString anchor = std::exchange(m_pendingAnchor, QString());
        const char c = m_d[m_pos];
        if (c == '[' || c == '{') {
            parseFlow(node, depth + 1);
        } else if (c == '"' || c == '\'') {
            parseQuoted(node);
        } else if (c == '*') {
            parseAlias(node);
        } else {
            node.kind = YamlNode::Kind::Scalar;
            node.style = YamlNode::Style::Plain;
            const int start = m_pos;
            int end = m_pos;
            QByteArray text;
            while (m_pos < m_n) {
                const char d = m_d[m_pos];
                if (d == ',' || d == '[' || d == ']' || d == '{' || d == '}')
                    break;
                if (d == ':' &&
                    (m_pos + 1 >= m_n || isBlank(m_d[m_pos + 1]) || isBreak(m_d[m_pos + 1]) ||
                     QByteArrayView(",[]{}").contains(m_d[m_pos + 1])))
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
        if (!anchor.isEmpty())
            m_anchors.insert(anchor, node);
    }

    QString m_file;
    const char *m_d;
    int m_n;
    int m_pos = 0;
    int m_lineStart = 0;
    int m_lastTabLine = -1;
    int m_aliasNodes = 0;
    QString m_pendingAnchor;
    QHash<QString, YamlNode> m_anchors;
    QList<int> m_lineStarts;
    Diagnostics &m_diags;
};

// Offset of the first byte that is not valid UTF-8, or -1.
int firstInvalidUtf8(const QByteArray &text)
{
    const auto *d = reinterpret_cast<const uchar *>(text.constData());
    const int n = int(text.size());
    for (int i = 0; i < n;) {
        const uchar c = d[i];
        int len = 0;
        uint cp = 0;
        if (c < 0x80) {
            ++i;
            continue;
        } else if ((c & 0xE0) == 0xC0) {
            len = 2;
            cp = c & 0x1F;
        } else if ((c & 0xF0) == 0xE0) {
            len = 3;
            cp = c & 0x0F;
        } else if ((c & 0xF8) == 0xF0) {
            len = 4;
            cp = c & 0x07;
        } else {
            return i;
        }
        if (i + len > n)
            return i;
        for (int k = 1; k < len; ++k) {
            if ((d[i + k] & 0xC0) != 0x80)
                return i;
            cp = (cp << 6) | (d[i + k] & 0x3F);
        }
        if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
            cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
            return i;
        i += len;
    }
    return -1;
}

const YamlNode *findIn(const YamlNode *node, const QStringList &path)
{
    for (const QString &segment : path) {
        if (!node)
            return nullptr;
        if (node->isMap()) {
            node = node->child(segment);
        } else if (node->isSequence()) {
            bool ok = false;
            const int index = segment.toInt(&ok);
            node = ok ? node->item(index) : nullptr;
        } else {
            return nullptr;
        }
    }
    return node;
}

bool plainSafe(const QString &value)
{
    if (value.isEmpty() || value.front().isSpace() || value.back().isSpace())
        return false;
    static const QString indicators = QStringLiteral("?:,[]{}#&*!|>'\"%@`");
    const QChar first = value.front();
    if (indicators.contains(first))
        return false;
    if (first == u'-' && (value.size() == 1 || value.at(1).isSpace()))
        return false;
    if (value == u"---" || value == u"...")
        return false;
    if (value.contains(QLatin1String(": ")) || value.contains(QLatin1String(" #")) ||
        value.endsWith(u':'))
        return false;
    for (const QChar c : value) {
        if (c.unicode() < 0x20 || c.unicode() == 0x7F)
            return false;
    }
    return true;
}

QByteArray quoteDouble(const QString &value)
{
    QByteArray out = "\"";
    for (const QChar c : value) {
        switch (c.unicode()) {
        case '"':
            out += "\\\"";
            break;
        case '\\':
            out += "\\\\";
            break;
        case '\n':
            out += "\\n";
            break;
        case '\t':
            out += "\\t";
            break;
        case '\r':
            out += "\\r";
            break;
        default:
            if (c.unicode() < 0x20)
                out += "\\x" + QByteArray::number(c.unicode(), 16).rightJustified(2, '0');
            else
                out += QString(c).toUtf8();
        }
    }
    return out + '"';
}

QByteArray formatKey(const QString &key)
{
    return plainSafe(key) ? key.toUtf8() : quoteDouble(key);
}

} // namespace

bool YamlNode::isNullValue() const
{
    if (kind == Kind::Null)
        return true;
    return kind == Kind::Scalar && style == Style::Plain &&
           (scalar == u"~" || scalar == u"null" || scalar == u"Null" || scalar == u"NULL");
}

const YamlNode *YamlNode::child(const QString &name) const
{
    if (kind != Kind::Map)
        return nullptr;
    // The last of duplicate keys wins, as in Azure's loader.
    for (auto it = children.crbegin(); it != children.crend(); ++it) {
        if (it->key == name)
            return &*it;
    }
    return nullptr;
}

const YamlNode *YamlNode::item(qsizetype index) const
{
    if (kind != Kind::Sequence || index < 0 || index >= children.size())
        return nullptr;
    return &children.at(index);
}

QStringList YamlNode::keys() const
{
    QStringList out;
    for (const YamlNode &c : children)
        out.append(c.key);
    return out;
}

std::optional<qint64> YamlNode::toInt() const
{
    if (kind != Kind::Scalar || style != Style::Plain)
        return std::nullopt;
    static const QRegularExpression decimal(QStringLiteral("^[-+]?[0-9]+$"));
    bool ok = false;
    qint64 v = 0;
    if (decimal.match(scalar).hasMatch())
        v = scalar.toLongLong(&ok, 10);
    else if (scalar.startsWith(QLatin1String("0x")))
        v = scalar.mid(2).toLongLong(&ok, 16);
    else if (scalar.startsWith(QLatin1String("0o")))
        v = scalar.mid(2).toLongLong(&ok, 8);
    if (!ok)
        return std::nullopt;
    return v;
}

std::optional<double> YamlNode::toDouble() const
{
    if (kind != Kind::Scalar || style != Style::Plain)
        return std::nullopt;
    if (const auto i = toInt())
        return double(*i);
    static const QRegularExpression number(
        QStringLiteral("^[-+]?(\\.[0-9]+|[0-9]+(\\.[0-9]*)?)([eE][-+]?[0-9]+)?$"));
    if (!number.match(scalar).hasMatch())
        return std::nullopt;
    return scalar.toDouble();
}

std::optional<bool> YamlNode::toBool() const
{
    if (kind != Kind::Scalar || style != Style::Plain)
        return std::nullopt;
    if (scalar == u"true" || scalar == u"True" || scalar == u"TRUE")
        return true;
    if (scalar == u"false" || scalar == u"False" || scalar == u"FALSE")
        return false;
    return std::nullopt;
}

QMap<QString, QString> YamlNode::toStringMap() const
{
    QMap<QString, QString> out;
    if (kind != Kind::Map)
        return out;
    for (const YamlNode &c : children) {
        if (c.isScalar())
            out.insert(c.key, c.scalar);
    }
    return out;
}

QVariant YamlNode::toVariant() const
{
    switch (kind) {
    case Kind::Null:
        return {};
    case Kind::Map: {
        QVariantMap map;
        for (const YamlNode &c : children)
            map.insert(c.key, c.toVariant());
        return map;
    }
    case Kind::Sequence: {
        QVariantList list;
        for (const YamlNode &c : children)
            list.append(c.toVariant());
        return list;
    }
    case Kind::Scalar:
        break;
    }
    if (isNullValue())
        return {};
    if (const auto i = toInt())
        return *i;
    if (const auto d = toDouble())
        return *d;
    if (const auto b = toBool())
        return *b;
    return scalar;
}

QString YamlNode::typeName() const
{
    switch (kind) {
    case Kind::Map:
        return QStringLiteral("a map");
    case Kind::Sequence:
        return QStringLiteral("a list");
    case Kind::Null:
        return QStringLiteral("nothing");
    case Kind::Scalar:
        break;
    }
    if (isNullValue())
        return QStringLiteral("null");
    if (toInt())
        return QStringLiteral("a number");
    if (toBool())
        return QStringLiteral("a boolean");
    return QStringLiteral("text");
}

YamlDocument YamlDocument::parse(const QString &filePath, const QByteArray &text)
{
    YamlDocument doc;
    doc.m_filePath = filePath;
    doc.m_text = text;
    doc.reparse();
    return doc;
}

YamlDocument YamlDocument::load(const QString &filePath)
{
    QFile file(filePath);
    YamlDocument doc;
    doc.m_filePath = filePath;
    const QFileInfo info(filePath);
    if (info.exists() && info.size() > MaxFileSize) {
        Diagnostic d;
        d.code = QStringLiteral("yaml-too-large");
        d.message = QStringLiteral("file is %1 MB; files over 10 MB are refused")
                        .arg(double(info.size()) / (1024.0 * 1024.0), 0, 'f', 1);
        d.hint = QStringLiteral("Endpoint and deployment YAML files are small; check that this "
                                "is the right file.");
        d.location.file = filePath;
        d.location.line = 1;
        d.location.column = 1;
        d.location.offset = 0;
        doc.m_diagnostics.append(d);
        return doc;
    }
    if (!file.open(QIODevice::ReadOnly)) {
        Diagnostic d;
        d.code = QStringLiteral("file-unreadable");
        d.message = QStringLiteral("cannot read the file: %1").arg(file.errorString());
        d.hint = QStringLiteral("Check that the file exists and is readable.");
        d.location.file = filePath;
        doc.m_diagnostics.append(d);
        return doc;
    }
    doc.m_text = file.readAll();
    doc.reparse();
    return doc;
}

void YamlDocument::setText(const QByteArray &text)
{
    m_text = text;
    reparse();
}

void YamlDocument::reparse()
{
    m_root = YamlNode{};
    m_diagnostics.clear();
    const int crlf = int(m_text.count("\r\n"));
    const int lf = int(m_text.count('\n'));
    m_eol = crlf * 2 > lf ? QByteArray("\r\n") : QByteArray("\n");
    m_lineStarts.clear();
    for (int i = 0; i < m_text.size(); ++i) {
        const char c = m_text.at(i);
        if (c == '\n' || (c == '\r' && (i + 1 >= m_text.size() || m_text.at(i + 1) != '\n')))
            m_lineStarts.append(i + 1);
    }
    if (m_text.size() > MaxFileSize) {
        Diagnostic d;
        d.code = QStringLiteral("yaml-too-large");
        d.message = QStringLiteral("file is %1 MB; files over 10 MB are refused")
                        .arg(double(m_text.size()) / (1024.0 * 1024.0), 0, 'f', 1);
        d.hint = QStringLiteral("Endpoint and deployment YAML files are small; check that this "
                                "is the right file.");
        d.location = locationAt(0);
        m_diagnostics.append(d);
        return;
    }
    const int bad = firstInvalidUtf8(m_text);
    if (bad >= 0) {
        Diagnostic d;
        d.code = QStringLiteral("yaml-encoding");
        d.message = QStringLiteral("byte 0x%1 is not valid UTF-8; YAML files must be UTF-8")
                        .arg(QString::number(uchar(m_text.at(bad)), 16).toUpper());
        d.hint = QStringLiteral("Save the file as UTF-8.");
        d.location = locationAt(bad, 1);
        m_diagnostics.append(d);
    }
    Parser parser(m_filePath, m_text, m_diagnostics);
    parser.indexLines();
    parser.parseDocument(m_root);
    m_indentStep = parser.indentStep > 0 ? parser.indentStep : 2;
}

bool YamlDocument::hasErrors() const
{
    return ::hasErrors(m_diagnostics);
}

SourceLocation YamlDocument::locationAt(int offset, int length) const
{
    offset = std::clamp(offset, 0, int(m_text.size()));
    SourceLocation l;
    l.file = m_filePath;
    l.offset = offset;
    l.length = length;
    auto it = std::upper_bound(m_lineStarts.begin(), m_lineStarts.end(), offset);
    const int line = int(it - m_lineStarts.begin()) + 1;
    const int start = it == m_lineStarts.begin() ? 0 : *(it - 1);
    l.line = line;
    l.column = offset - start + 1;
    return l;
}

QStringList YamlDocument::splitPath(const QString &dottedPath)
{
    if (dottedPath.isEmpty())
        return {};
    return dottedPath.split(u'.');
}

const YamlNode *YamlDocument::find(const QString &dottedPath) const
{
    return find(splitPath(dottedPath));
}

const YamlNode *YamlDocument::find(const QStringList &path) const
{
    return findIn(&m_root, path);
}

QString YamlDocument::value(const QString &dottedPath, const QString &fallback) const
{
    const YamlNode *node = find(dottedPath);
    return node && node->isScalar() ? node->scalar : fallback;
}

QByteArray YamlDocument::formatScalar(const QString &value, Quoting quoting,
                                      YamlNode::Style existing)
{
    if (quoting == Quoting::Auto) {
        if (existing == YamlNode::Style::SingleQuoted && !value.contains(u'\n'))
            quoting = Quoting::SingleQuoted;
        else if (existing == YamlNode::Style::DoubleQuoted)
            quoting = Quoting::DoubleQuoted;
        else
            quoting = plainSafe(value) ? Quoting::Plain : Quoting::DoubleQuoted;
    }
    switch (quoting) {
    case Quoting::Raw:
        return value.toUtf8();
    case Quoting::Plain:
        if (plainSafe(value))
            return value.toUtf8();
        return quoteDouble(value);
    case Quoting::SingleQuoted:
        if (value.contains(u'\n'))
            return quoteDouble(value);
        return '\'' + QString(value).replace(u'\'', QLatin1String("''")).toUtf8() + '\'';
    case Quoting::Auto:
    case Quoting::DoubleQuoted:
        break;
    }
    return quoteDouble(value);
}

Result<TextEdit> YamlDocument::replace(int offset, int removed, const QByteArray &inserted)
{
    if (offset < 0 || removed < 0 || offset + removed > m_text.size())
        return Result<TextEdit>::failure(QStringLiteral("edit outside the text"));
    // An edit never makes the file worse: one that would add an error (an alias left without
    // its anchor, text YAML reads differently) is undone and reported instead.
    auto errors = [this] {
        return std::count_if(m_diagnostics.cbegin(), m_diagnostics.cend(),
                             [](const Diagnostic &d) { return d.severity == Severity::Error; });
    };
    const auto errorsBefore = errors();
    QSet<QString> known;
    for (const Diagnostic &d : std::as_const(m_diagnostics))
        known.insert(d.message);
    const QByteArray before = m_text;
    m_text.replace(offset, removed, inserted);
    reparse();
    if (errors() > errorsBefore) {
        // The first error that is new, else the first one.
        const Diagnostic *error = nullptr;
        for (const Diagnostic &d : std::as_const(m_diagnostics)) {
            if (d.severity != Severity::Error)
                continue;
            if (!error || !known.contains(d.message))
                error = &d;
            if (!known.contains(d.message))
                break;
        }
        const QString why =
            QStringLiteral("%1 (line %2)").arg(error->message).arg(error->location.line);
        m_text = before;
        reparse();
        return Result<TextEdit>::failure(
            QStringLiteral("%1: the change was not made because it would break the YAML: %2")
                .arg(QFileInfo(m_filePath).fileName(), why));
    }
    return TextEdit{offset, removed, inserted};
}

Result<TextEdit> YamlDocument::replaceValue(const YamlNode &node, const QByteArray &inlineText)
{
    if (node.isNull()) {
        // "key:" or "key: # comment": the value goes right after the ':'.
        return replace(node.introducerEnd, 0, ' ' + inlineText);
    }
    if (node.style == YamlNode::Style::Block || node.style == YamlNode::Style::Literal ||
        node.style == YamlNode::Style::Folded) {
        // The block starts on later lines: replace from the introducer to its end.
        return replace(node.introducerEnd, node.endOffset() - node.introducerEnd, ' ' + inlineText);
    }
    return replace(node.location.offset, node.location.length, inlineText);
}

Result<TextEdit> YamlDocument::setValue(const QString &dottedPath, const QString &value,
                                        Quoting quoting)
{
    return setValue(splitPath(dottedPath), value, quoting);
}

Result<TextEdit> YamlDocument::setValue(const QStringList &path, const QString &value,
                                        Quoting quoting)
{
    if (path.isEmpty())
        return Result<TextEdit>::failure(QStringLiteral("setValue needs a key path"));
    if (hasErrors() && m_root.isNull() && !m_text.trimmed().isEmpty())
        return Result<TextEdit>::failure(
            QStringLiteral("%1: the YAML has errors; fix them before editing").arg(m_filePath));
    if (const YamlNode *node = find(path)) {
        const QByteArray text = formatScalar(value, quoting, node->style);
        if (node->isScalar() && node->style != YamlNode::Style::Literal &&
            node->style != YamlNode::Style::Folded &&
            m_text.mid(node->location.offset, node->location.length) == text)
            return TextEdit{node->location.offset, 0, {}};
        return replaceValue(*node, text);
    }
    return insertMissing(path, value, quoting);
}

Result<TextEdit> YamlDocument::addKey(const QStringList &path, const QString &value,
                                      Quoting quoting)
{
    if (find(path))
        return Result<TextEdit>::failure(
            QStringLiteral("'%1' already exists").arg(path.join(u'.')));
    return setValue(path, value, quoting);
}

namespace {

int lineStartOf(const QByteArray &t, int offset)
{
    while (offset > 0 && t.at(offset - 1) != '\n' && t.at(offset - 1) != '\r')
        --offset;
    return offset;
}

int lineEndOf(const QByteArray &t, int offset)
{
    while (offset < t.size() && t.at(offset) != '\n' && t.at(offset) != '\r')
        ++offset;
    return offset;
}

int nextLineStart(const QByteArray &t, int offset)
{
    offset = lineEndOf(t, offset);
    if (offset < t.size() && t.at(offset) == '\r')
        ++offset;
    if (offset < t.size() && t.at(offset) == '\n')
        ++offset;
    return offset;
}

bool onlySpacesBetween(const QByteArray &t, int from, int to)
{
    for (int i = from; i < to; ++i) {
        if (t.at(i) != ' ')
            return false;
    }
    return true;
}

} // namespace

Result<TextEdit> YamlDocument::insertMissing(const QStringList &path, const QString &value,
                                             Quoting quoting)
{
    // Deepest existing ancestor.
    int depth = int(path.size()) - 1;
    const YamlNode *parent = nullptr;
    while (depth >= 0) {
        parent = find(path.mid(0, depth));
        if (parent)
            break;
        --depth;
    }
    if (!parent)
        return Result<TextEdit>::failure(QStringLiteral("no parent for the path"));
    const QStringList missing = path.mid(depth);
    const QByteArray scalar = formatScalar(value, quoting);
    const QString where = depth == 0 ? QStringLiteral("the top level")
                                     : QStringLiteral("'%1'").arg(path.mid(0, depth).join(u'.'));

    if (parent->isSequence())
        return Result<TextEdit>::failure(
            QStringLiteral("%1 is a list; item '%2' does not exist").arg(where, missing.front()));
    if (parent->isScalar())
        return Result<TextEdit>::failure(
            QStringLiteral("cannot add '%1' under %2: it holds a single value, not a map")
                .arg(missing.join(u'.'), where));

    if (parent->isMap() && parent->style == YamlNode::Style::Flow) {
        QByteArray text;
        for (int i = 0; i < missing.size(); ++i) {
            text += formatKey(missing[i]) + ": ";
            if (i + 1 < missing.size())
                text += '{';
        }
        text += scalar + QByteArray(int(missing.size()) - 1, '}');
        const int close = parent->endOffset() - 1;
        const bool empty = parent->children.isEmpty();
        if (empty)
            return replace(close, 0, text);
        const YamlNode &last = parent->children.last();
        const int after = std::max(last.endOffset(), last.introducerEnd);
        return replace(after, 0, ", " + text);
    }

    auto block = [&](int indent) -> QByteArray { // not a QStringBuilder of a local
        QByteArray text;
        for (int i = 0; i < missing.size(); ++i) {
            if (i > 0)
                text += m_eol;
            text += QByteArray(indent + i * m_indentStep, ' ') + formatKey(missing[i]) + ':';
        }
        return text + ' ' + scalar;
    };

    if (parent->isMap()) {
        const YamlNode &last = parent->children.last();
        const int lastEnd = std::max(last.endOffset(), last.introducerEnd);
        const int insertAt = lineEndOf(m_text, lastEnd);
        return replace(insertAt, 0, m_eol + block(parent->indent));
    }

    // A null value: the whole document, or "key:" with nothing under it.
    if (depth == 0) {
        QByteArray text = block(0) + m_eol;
        int at = int(m_text.size());
        if (at > 0 && m_text.back() != '\n' && m_text.back() != '\r')
            text.prepend(m_eol);
        return replace(at, 0, text);
    }
    const int keyColumn =
        parent->keyLocation.isValid()
            ? parent->keyLocation.offset - lineStartOf(m_text, parent->keyLocation.offset)
            : 0;
    const int insertAt = lineEndOf(m_text, parent->introducerEnd);
    return replace(insertAt, 0, m_eol + block(keyColumn + m_indentStep));
}

Result<TextEdit> YamlDocument::removeKey(const QString &dottedPath)
{
    return removeKey(splitPath(dottedPath));
}

Result<TextEdit> YamlDocument::removeKey(const QStringList &path)
{
    const YamlNode *node = find(path);
    if (!node || path.isEmpty())
        return Result<TextEdit>::failure(
            QStringLiteral("'%1' does not exist").arg(path.join(u'.')));
    const YamlNode *parent = find(path.mid(0, path.size() - 1));
    if (!parent)
        return Result<TextEdit>::failure(QStringLiteral("no parent"));
    const bool isEntry = parent->isMap();
    const int start = isEntry ? node->keyLocation.offset : node->introducerEnd - 1;
    const int end = std::max(node->endOffset(), node->introducerEnd);
    const qsizetype index = node - parent->children.constData();

    if (parent->style == YamlNode::Style::Flow) {
        // Remove "entry, " or ", entry".
        int from = isEntry ? start : node->location.offset;
        int to = end;
        int p = to;
        while (p < m_text.size() && (m_text.at(p) == ' ' || m_text.at(p) == '\t'))
            ++p;
        if (p < m_text.size() && m_text.at(p) == ',') {
            to = p + 1;
            while (to < m_text.size() && m_text.at(to) == ' ')
                ++to;
        } else {
            int q = from;
            while (q > 0 && (m_text.at(q - 1) == ' ' || m_text.at(q - 1) == '\t'))
                --q;
            if (q > 0 && m_text.at(q - 1) == ',')
                from = q - 1;
        }
        return replace(from, to - from, {});
    }

    const int lineStart = lineStartOf(m_text, start);
    if (onlySpacesBetween(m_text, lineStart, start)) {
        const int to = nextLineStart(m_text, end);
        return replace(lineStart, to - lineStart, {});
    }
    // The key shares its line with "- ": hand the line to the next sibling.
    if (index >= 0 && index + 1 < parent->children.size()) {
        const YamlNode &next = parent->children.at(index + 1);
        const int nextStart = isEntry ? next.keyLocation.offset : next.introducerEnd - 1;
        return replace(start, nextStart - start, {});
    }
    return replace(start, end - start, "{}");
}

Result<TextEdit> YamlDocument::setMap(const QStringList &path,
                                      const QList<QPair<QString, QString>> &entries)
{
    const QByteArray before = m_text;
    const YamlNode *node = find(path);
    if (node && !node->isMap() && !node->isNull()) {
        if (auto r = replaceValue(*node, "{}"); !r)
            return r;
    }
    if (entries.isEmpty()) {
        node = find(path);
        if (!node) {
            if (auto r = setValue(path, QStringLiteral("{}"), Quoting::Raw); !r)
                return r;
        } else if (!node->children.isEmpty() || node->isNull()) {
            if (auto r = replaceValue(*node, "{}"); !r)
                return r;
        }
    }
    for (const auto &[key, val] : entries) {
        QStringList p = path;
        p.append(key);
        if (auto r = setValue(p, val); !r) {
            setText(before);
            return r;
        }
    }
    QSet<QString> wanted;
    for (const auto &e : entries)
        wanted.insert(e.first);
    for (;;) {
        node = find(path);
        if (!node || !node->isMap())
            break;
        QString extra;
        for (const YamlNode &c : node->children) {
            if (!wanted.contains(c.key)) {
                extra = c.key;
                break;
            }
        }
        if (extra.isNull())
            break;
        QStringList p = path;
        p.append(extra);
        if (auto r = removeKey(p); !r) {
            setText(before);
            return r;
        }
    }
    // Report one edit spanning everything that changed.
    int prefix = 0;
    const int minLen = int(std::min(before.size(), m_text.size()));
    while (prefix < minLen && before.at(prefix) == m_text.at(prefix))
        ++prefix;
    int suffix = 0;
    while (suffix < minLen - prefix &&
           before.at(before.size() - 1 - suffix) == m_text.at(m_text.size() - 1 - suffix))
        ++suffix;
    return TextEdit{prefix, int(before.size()) - prefix - suffix,
                    m_text.mid(prefix, m_text.size() - prefix - suffix)};
}

Result<TextEdit> YamlDocument::setSequence(const QStringList &path, const QStringList &items)
{
    const YamlNode *node = find(path);
    if (!node) {
        if (auto r = setValue(path, QStringLiteral("[]"), Quoting::Raw); !r)
            return r;
        node = find(path);
        if (!node)
            return Result<TextEdit>::failure(QStringLiteral("could not create the list"));
    }
    if (items.isEmpty())
        return replaceValue(*node, "[]");
    const int keyColumn =
        node->keyLocation.isValid()
            ? node->keyLocation.offset - lineStartOf(m_text, node->keyLocation.offset)
            : 0;
    QByteArray text;
    for (const QString &item : items)
        text += m_eol + QByteArray(keyColumn + m_indentStep, ' ') + "- " +
                formatScalar(item, Quoting::Auto);
    const int from = node->introducerEnd;
    const int to = node->isNull() ? from : std::max(node->endOffset(), from);
    return replace(from, to - from, text);
}
