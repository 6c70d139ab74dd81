#include "app/logquery.h"

LogMatcher::LogMatcher(const LogQuery &query)
    : m_pattern(query.pattern)
    , m_cs(query.caseSensitive ? Qt::CaseSensitive : Qt::CaseInsensitive)
    , m_inverted(query.inverted)
{
    m_pattern.remove(u'\n');
    if (m_pattern.isEmpty())
        return;
    // PCRE2's JIT finds a literal faster than a case-folding QStringView::indexOf.
    m_useRegex = query.regex || query.wholeWord || !query.caseSensitive;
    if (!m_useRegex)
        return;
    QString source = query.regex ? m_pattern : QRegularExpression::escape(m_pattern);
    if (query.wholeWord)
        source = QStringLiteral("\\b(?:") + source + QStringLiteral(")\\b");
    QRegularExpression::PatternOptions options = QRegularExpression::MultilineOption;
    if (!query.caseSensitive)
        options |= QRegularExpression::CaseInsensitiveOption;
    m_regex = QRegularExpression(source, options);
    if (!m_regex.isValid()) {
        m_error = QStringLiteral("%1 at offset %2")
                      .arg(m_regex.errorString())
                      .arg(m_regex.patternErrorOffset());
        return;
    }
    m_regex.optimize();
}

qsizetype LogMatcher::find(QStringView text, qsizetype from, qsizetype *length) const
{
    if (!m_useRegex) {
        const qsizetype at = text.indexOf(m_pattern, from, m_cs);
        *length = m_pattern.size();
        return at;
    }
    const QRegularExpressionMatch match = m_regex.match(text, from);
    if (!match.hasMatch())
        return -1;
    *length = match.capturedLength();
    return match.capturedStart();
}

qsizetype LogMatcher::find(const QString &text, qsizetype from, qsizetype *length) const
{
    if (!m_useRegex)
        return find(QStringView(text), from, length);
    // Without the check PCRE2 does not re-validate the whole block on every call; text decoded
    // by QString::fromUtf8 has no lone surrogates.
    const QRegularExpressionMatch match =
        m_regex.match(text, from, QRegularExpression::NormalMatch,
                      QRegularExpression::DontCheckSubjectStringMatchOption);
    if (!match.hasMatch())
        return -1;
    *length = match.capturedLength();
    return match.capturedStart();
}

bool LogMatcher::matches(QStringView line) const
{
    if (m_pattern.isEmpty() || !isValid())
        return true;
    qsizetype length;
    const bool found = find(line, 0, &length) >= 0;
    return found != m_inverted;
}

QList<std::pair<qsizetype, qsizetype>> LogMatcher::ranges(QStringView line) const
{
    QList<std::pair<qsizetype, qsizetype>> result;
    if (m_pattern.isEmpty() || m_inverted || !isValid())
        return result;
    qsizetype from = 0;
    while (from <= line.size()) {
        qsizetype length = 0;
        const qsizetype at = find(line, from, &length);
        if (at < 0)
            break;
        if (length > 0)
            result.append({at, length});
        from = at + qMax<qsizetype>(length, 1);
        if (result.size() > 1000)
            break;
    }
    return result;
}
