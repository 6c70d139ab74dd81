// YamlDocument's edits: each rewrites the smallest span of the text and re-parses, so
// comments, key order, quoting and indentation survive.
#include "models/yamldocument.h"

#include <QFileInfo>
#include <QSet>

#include <algorithm>

namespace {

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

int countErrors(const Diagnostics &diagnostics)
{
    return int(std::count_if(diagnostics.cbegin(), diagnostics.cend(),
                             [](const Diagnostic &d) { return d.severity == Severity::Error; }));
}

// The first error whose message was not known before, else the first error.
const Diagnostic *newError(const Diagnostics &diagnostics, const QSet<QString> &known)
{
    const Diagnostic *error = nullptr;
    for (const Diagnostic &d : diagnostics) {
        if (d.severity != Severity::Error)
            continue;
        if (!error || !known.contains(d.message))
            error = &d;
        if (!known.contains(d.message))
            break;
    }
    return error;
}

// One edit that turns `before` into `after`: the span between their common prefix and suffix.
TextEdit spanningEdit(const QByteArray &before, const QByteArray &after)
{
    int prefix = 0;
    const int minLen = int(std::min(before.size(), after.size()));
    while (prefix < minLen && before.at(prefix) == after.at(prefix))
        ++prefix;
    int suffix = 0;
    while (suffix < minLen - prefix &&
           before.at(before.size() - 1 - suffix) == after.at(after.size() - 1 - suffix))
        ++suffix;
    return TextEdit{prefix, int(before.size()) - prefix - suffix,
                    after.mid(prefix, after.size() - prefix - suffix)};
}

} // namespace

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
    const int errorsBefore = countErrors(m_diagnostics);
    QSet<QString> known;
    for (const Diagnostic &d : std::as_const(m_diagnostics))
        known.insert(d.message);
    const QByteArray before = m_text;
    m_text.replace(offset, removed, inserted);
    reparse();
    if (countErrors(m_diagnostics) > errorsBefore) {
        const Diagnostic *error = newError(m_diagnostics, known);
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

// The 0-based column of a map entry's key (0 for the document itself).
int YamlDocument::keyColumn(const YamlNode &node) const
{
    return node.keyLocation.isValid()
               ? node.keyLocation.offset - lineStartOf(m_text, node.keyLocation.offset)
               : 0;
}

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
    if (parent->isMap() && parent->style == YamlNode::Style::Flow)
        return insertIntoFlowMap(*parent, missing, scalar);
    return insertIntoBlock(*parent, depth == 0, missing, scalar);
}

// Nested block maps, one more indentation step per missing key: after the last entry of
// `parent`, under its "key:" when it has no value, or at the end of the document.
Result<TextEdit> YamlDocument::insertIntoBlock(const YamlNode &parent, bool isDocument,
                                               const QStringList &missing, const QByteArray &scalar)
{
    auto block = [&](int indent) -> QByteArray { // not a QStringBuilder of a local
        QByteArray text;
        for (int i = 0; i < missing.size(); ++i) {
            if (i > 0)
                text += m_eol;
            text += QByteArray(indent + i * m_indentStep, ' ') + formatKey(missing[i]) + ':';
        }
        return text + ' ' + scalar;
    };

    // A block map without entries was cut short by a syntax error: its entries go under its key.
    if (parent.isMap() && !parent.children.isEmpty()) {
        const YamlNode &last = parent.children.last();
        const int lastEnd = std::max(last.endOffset(), last.introducerEnd);
        const int insertAt = lineEndOf(m_text, lastEnd);
        return replace(insertAt, 0, m_eol + block(parent.indent));
    }
    if (isDocument) {
        QByteArray text = block(0) + m_eol;
        int at = int(m_text.size());
        if (at > 0 && m_text.back() != '\n' && m_text.back() != '\r')
            text.prepend(m_eol);
        return replace(at, 0, text);
    }
    const int insertAt = lineEndOf(m_text, parent.introducerEnd);
    return replace(insertAt, 0, m_eol + block(keyColumn(parent) + m_indentStep));
}

// "{a: 1}" + missing {b, c} → "{a: 1, b: {c: value}}".
Result<TextEdit> YamlDocument::insertIntoFlowMap(const YamlNode &map, const QStringList &missing,
                                                 const QByteArray &scalar)
{
    QByteArray text;
    for (int i = 0; i < missing.size(); ++i) {
        text += formatKey(missing[i]) + ": ";
        if (i + 1 < missing.size())
            text += '{';
    }
    text += scalar + QByteArray(int(missing.size()) - 1, '}');
    if (map.children.isEmpty())
        return replace(map.endOffset() - 1, 0, text);
    const YamlNode &last = map.children.last();
    const int after = std::max(last.endOffset(), last.introducerEnd);
    return replace(after, 0, ", " + text);
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
    if (parent->style == YamlNode::Style::Flow)
        return removeFromFlow(*node, isEntry);

    const int start = isEntry ? node->keyLocation.offset : node->introducerEnd - 1;
    const int end = std::max(node->endOffset(), node->introducerEnd);
    const int lineStart = lineStartOf(m_text, start);
    if (onlySpacesBetween(m_text, lineStart, start)) {
        const int to = nextLineStart(m_text, end);
        return replace(lineStart, to - lineStart, {});
    }
    // The key shares its line with "- ": hand the line to the next sibling.
    const qsizetype index = node - parent->children.constData();
    if (index >= 0 && index + 1 < parent->children.size()) {
        const YamlNode &next = parent->children.at(index + 1);
        const int nextStart = isEntry ? next.keyLocation.offset : next.introducerEnd - 1;
        return replace(start, nextStart - start, {});
    }
    return replace(start, end - start, "{}");
}

// Removes "entry, " or ", entry" from a flow collection.
Result<TextEdit> YamlDocument::removeFromFlow(const YamlNode &node, bool isEntry)
{
    int from = isEntry ? node.keyLocation.offset : node.location.offset;
    int to = std::max(node.endOffset(), node.introducerEnd);
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
        if (auto r = setValue(path + QStringList{key}, val); !r) {
            setText(before);
            return r;
        }
    }
    QSet<QString> wanted;
    for (const auto &e : entries)
        wanted.insert(e.first);
    // Remove the entries not wanted, one at a time (each removal re-parses).
    for (;;) {
        node = find(path);
        if (!node || !node->isMap())
            break;
        const auto extra = std::find_if(node->children.cbegin(), node->children.cend(),
                                        [&](const YamlNode &c) { return !wanted.contains(c.key); });
        if (extra == node->children.cend())
            break;
        if (auto r = removeKey(path + QStringList{extra->key}); !r) {
            setText(before);
            return r;
        }
    }
    return spanningEdit(before, m_text);
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
    const QByteArray indent(keyColumn(*node) + m_indentStep, ' ');
    QByteArray text;
    for (const QString &item : items)
        text += m_eol + indent + "- " + formatScalar(item, Quoting::Auto);
    const int from = node->introducerEnd;
    const int to = node->isNull() ? from : std::max(node->endOffset(), from);
    return replace(from, to - from, text);
}
