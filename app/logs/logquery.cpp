#include "app/logs/logquery.h"

#include <QRegularExpression>

#define PCRE2_CODE_UNIT_WIDTH 16
#include <pcre2.h>

static_assert(sizeof(PCRE2_UCHAR16) == sizeof(char16_t));

// The compiled pattern; immutable once JIT-compiled, so copies of a LogMatcher share it across
// threads (PCRE2 allows concurrent matches with one pcre2_code).
struct LogMatcher::Regex
{
    pcre2_code_16 *code = nullptr;
    bool jit = false; // JIT-compiled: pcre2_jit_match may be called directly
    ~Regex() { pcre2_code_free_16(code); }
};

namespace {

// Per thread: match data (only the whole match's range is read) and, like QRegularExpression,
// a 32 KiB..512 KiB JIT stack made only when PCRE2's default 32 KiB runs out.
struct MatchScratch
{
    pcre2_match_data_16 *data = pcre2_match_data_create_16(1, nullptr);
    pcre2_match_context_16 *context = nullptr;
    pcre2_jit_stack_16 *stack = nullptr;

    MatchScratch() = default;
    MatchScratch(const MatchScratch &) = delete;
    MatchScratch &operator=(const MatchScratch &) = delete;
    ~MatchScratch()
    {
        pcre2_match_data_free_16(data);
        pcre2_match_context_free_16(context);
        pcre2_jit_stack_free_16(stack);
    }

    // `checked`: validate the subject as UTF-16 first (pcre2_match). Else a JIT-compiled
    // pattern runs through pcre2_jit_match, which skips pcre2_match's checks.
    int match(const pcre2_code_16 *code, bool jit, QStringView text, qsizetype from, bool checked)
    {
        const uint32_t options = checked ? 0u : uint32_t(PCRE2_NO_UTF_CHECK);
        const bool jitOnly = !checked && jit;
        const auto run = [&](const PCRE2_UCHAR16 *subject) {
            return jitOnly ? pcre2_jit_match_16(code, subject, PCRE2_SIZE(text.size()),
                                                PCRE2_SIZE(from), 0, data, context)
                           : pcre2_match_16(code, subject, PCRE2_SIZE(text.size()),
                                            PCRE2_SIZE(from), options, data, context);
        };
        // A null subject may be rejected by PCRE2 even when it is empty.
        static const char16_t empty[1] = {};
        const auto subject = reinterpret_cast<PCRE2_SPTR16>(text.utf16() ? text.utf16() : empty);
        int rc = run(subject);
        if (rc == PCRE2_ERROR_JIT_STACKLIMIT && !stack) {
            stack = pcre2_jit_stack_create_16(32 * 1024, 512 * 1024, nullptr);
            context = pcre2_match_context_create_16(nullptr);
            if (!stack || !context)
                return rc;
            pcre2_jit_stack_assign_16(context, nullptr, stack);
            rc = run(subject);
        }
        return rc;
    }
};

thread_local MatchScratch scratch;

} // namespace

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
    // The options QRegularExpression passes for MultilineOption (| CaseInsensitiveOption).
    uint32_t options = PCRE2_UTF | PCRE2_MULTILINE;
    if (!query.caseSensitive)
        options |= PCRE2_CASELESS;
    int errorCode = 0;
    PCRE2_SIZE errorOffset = 0;
    pcre2_code_16 *code =
        pcre2_compile_16(reinterpret_cast<PCRE2_SPTR16>(source.utf16()), PCRE2_SIZE(source.size()),
                         options, &errorCode, &errorOffset, nullptr);
    if (!code) {
        // QRegularExpression words the error (translated) as the rest of the studio shows it.
        QRegularExpression::PatternOptions qtOptions = QRegularExpression::MultilineOption;
        if (!query.caseSensitive)
            qtOptions |= QRegularExpression::CaseInsensitiveOption;
        const QRegularExpression regex(source, qtOptions);
        m_error = regex.isValid() ? QStringLiteral("invalid pattern at offset %1").arg(errorOffset)
                                  : QStringLiteral("%1 at offset %2")
                                        .arg(regex.errorString())
                                        .arg(regex.patternErrorOffset());
        return;
    }
    // Without JIT (not supported on this CPU) pcre2_match interprets the pattern.
    auto regex = std::make_shared<Regex>();
    regex->code = code;
    regex->jit = pcre2_jit_compile_16(code, PCRE2_JIT_COMPLETE) == 0;
    m_regex = std::move(regex);
}

qsizetype LogMatcher::findRegex(QStringView text, qsizetype from, qsizetype *length,
                                bool checked) const
{
    if (from < 0 || from > text.size())
        return -1;
    // A failed UTF-16 check, a match limit or an exhausted JIT stack count as no match, as
    // with QRegularExpression.
    const int rc = scratch.match(m_regex->code, m_regex->jit, text, from, checked);
    if (rc < 0) // 0: matched, only the ovector was short (captures are not read)
        return -1;
    const PCRE2_SIZE *ovector = pcre2_get_ovector_pointer_16(scratch.data);
    *length = qsizetype(ovector[1]) - qsizetype(ovector[0]);
    return qsizetype(ovector[0]);
}

qsizetype LogMatcher::find(QStringView text, qsizetype from, qsizetype *length) const
{
    if (!m_useRegex) {
        const qsizetype at = text.indexOf(m_pattern, from, m_cs);
        *length = m_pattern.size();
        return at;
    }
    if (!m_regex)
        return -1;
    return findRegex(text, from, length, true);
}

qsizetype LogMatcher::find(const QString &text, qsizetype from, qsizetype *length) const
{
    if (!m_useRegex)
        return find(QStringView(text), from, length);
    if (!m_regex)
        return -1;
    // Without the check PCRE2 does not re-validate the rest of the block on every call; text
    // decoded by QString::fromUtf8 has no lone surrogates.
    return findRegex(text, from, length, false);
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
