#pragma once

#include "app/logs/logtypes.h"

#include <QList>
#include <QString>

#include <limits>
#include <memory>

// What the user asked the log view to find or keep.
struct LogQuery
{
    QString pattern;
    bool caseSensitive = false;
    bool wholeWord = false;
    bool regex = false;
    bool inverted = false;     // lines that do NOT match
    bool onlyMatching = false; // filter to matching lines (else: highlight in place)
    quint8 levelMask = AllLogLevels;
    qint64 fromMs = std::numeric_limits<qint64>::min();
    qint64 toMs = std::numeric_limits<qint64>::max();

    bool hasText() const { return !pattern.isEmpty(); }
    bool hasLineFilter() const
    {
        return levelMask != AllLogLevels || fromMs != std::numeric_limits<qint64>::min() ||
               toMs != std::numeric_limits<qint64>::max();
    }
    // Whether the view shows a subset of lines (else all lines, with highlighted matches).
    bool filters() const { return hasLineFilter() || (onlyMatching && hasText()); }
    bool acceptsLevel(LogLevel level) const { return levelMask & logLevelBit(level); }
    bool acceptsTime(qint64 ms) const { return ms >= fromMs && ms <= toMs; }
    bool operator==(const LogQuery &) const = default;
};

// Compiled form of a LogQuery's text part; cheap to copy into a worker. Regexes are compiled
// with PCRE2 (16-bit, JIT) exactly as QRegularExpression compiles them (UTF, MULTILINE, CASELESS
// unless case-sensitive), and matched without a QRegularExpressionMatch per call. Copies share
// the compiled code; find() may run on several threads at once.
class LogMatcher
{
public:
    explicit LogMatcher(const LogQuery &query = {});

    bool isValid() const { return m_error.isEmpty(); }
    QString errorString() const { return m_error; } // regex syntax error, with the offset
    bool isEmpty() const { return m_pattern.isEmpty(); }
    bool inverted() const { return m_inverted; }

    // Whether the line matches the text part (inversion applied). Empty pattern: true.
    bool matches(QStringView line) const;
    // Match ranges (start, length) in the line, for highlighting; none when inverted.
    QList<std::pair<qsizetype, qsizetype>> ranges(QStringView line) const;
    // First match in `text` at or after `from`: start, or -1; `length` receives its length.
    // `text` may hold many '\n'-separated lines; a match may cross a line end.
    qsizetype find(QStringView text, qsizetype from, qsizetype *length) const;
    // Same for text decoded by QString::fromUtf8 (no lone surrogates): the subject is not
    // validated as UTF-16 again on every call.
    qsizetype find(const QString &text, qsizetype from, qsizetype *length) const;
    bool usesRegex() const { return m_useRegex; }

private:
    struct Regex;
    qsizetype findRegex(QStringView text, qsizetype from, qsizetype *length, bool checked) const;

    QString m_pattern;
    std::shared_ptr<const Regex> m_regex;
    Qt::CaseSensitivity m_cs = Qt::CaseInsensitive;
    bool m_useRegex = false;
    bool m_inverted = false;
    QString m_error;
};
