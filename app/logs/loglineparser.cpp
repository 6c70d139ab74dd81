#include "app/logs/loglineparser.h"

#include <cstring>

namespace {

bool isDigit(char c)
{
    return c >= '0' && c <= '9';
}

bool isAlpha(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

bool isAlnum(char c)
{
    return isDigit(c) || isAlpha(c) || c == '_';
}

char lower(char c)
{
    return (c >= 'A' && c <= 'Z') ? char(c + 32) : c;
}

bool digitsAt(QByteArrayView s, qsizetype pos, qsizetype count, int *value)
{
    if (pos + count > s.size())
        return false;
    int v = 0;
    for (qsizetype i = pos; i < pos + count; ++i) {
        if (!isDigit(s[i]))
            return false;
        v = v * 10 + (s[i] - '0');
    }
    *value = v;
    return true;
}

// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil).
qint64 daysFromCivil(int y, int m, int d)
{
    y -= m <= 2;
    const qint64 era = (y >= 0 ? y : y - 399) / 400;
    const qint64 yoe = y - era * 400;
    const qint64 doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const qint64 doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

// "YYYY-MM-DD?HH:MM:SS" at the start of s, `sep` being 'T' or ' '. Seconds since the epoch.
bool parseDateTime(QByteArrayView s, char sep, qint64 *seconds)
{
    int y, mo, d, h, mi, se;
    if (s.size() < 19 || s[4] != '-' || s[7] != '-' || s[10] != sep || s[13] != ':' || s[16] != ':')
        return false;
    if (!digitsAt(s, 0, 4, &y) || !digitsAt(s, 5, 2, &mo) || !digitsAt(s, 8, 2, &d) ||
        !digitsAt(s, 11, 2, &h) || !digitsAt(s, 14, 2, &mi) || !digitsAt(s, 17, 2, &se))
        return false;
    if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || se > 60)
        return false;
    *seconds = daysFromCivil(y, mo, d) * 86400 + h * 3600 + mi * 60 + se;
    return true;
}

LogLevel levelFromWord(QByteArrayView word)
{
    char buf[10];
    if (word.size() < 3 || word.size() > 9)
        return LogLevel::None;
    for (qsizetype i = 0; i < word.size(); ++i)
        buf[i] = lower(word[i]);
    const QByteArrayView w(buf, word.size());
    if (w == "error" || w == "err")
        return LogLevel::Error;
    if (w == "warning" || w == "warn")
        return LogLevel::Warning;
    if (w == "info" || w == "notice")
        return LogLevel::Info;
    if (w == "debug")
        return LogLevel::Debug;
    if (w == "trace")
        return LogLevel::Trace;
    if (w == "critical" || w == "crit" || w == "fatal" || w == "panic" || w == "emerg" ||
        w == "alert")
        return LogLevel::Critical;
    return LogLevel::None;
}

LogLevel levelFromLetter(char c)
{
    switch (c) {
    case 'D':
        return LogLevel::Debug;
    case 'I':
        return LogLevel::Info;
    case 'W':
        return LogLevel::Warning;
    case 'E':
        return LogLevel::Error;
    case 'C':
        return LogLevel::Critical;
    default:
        return LogLevel::None;
    }
}

// pino/bunyan numeric levels.
LogLevel levelFromNumber(int n)
{
    if (n >= 60)
        return LogLevel::Critical;
    if (n >= 50)
        return LogLevel::Error;
    if (n >= 40)
        return LogLevel::Warning;
    if (n >= 30)
        return LogLevel::Info;
    if (n >= 20)
        return LogLevel::Debug;
    return n >= 10 ? LogLevel::Trace : LogLevel::None;
}

LogLevel jsonLevel(QByteArrayView s)
{
    static const char *const keys[] = {"\"level\"", "\"levelname\"", "\"severity\"", "\"lvl\"",
                                       "\"log.level\""};
    for (const char *key : keys) {
        const qsizetype at = s.indexOf(QByteArrayView(key));
        if (at < 0)
            continue;
        qsizetype i = at + qsizetype(std::strlen(key));
        while (i < s.size() && (s[i] == ' ' || s[i] == '\t'))
            ++i;
        if (i >= s.size() || s[i] != ':')
            continue;
        ++i;
        while (i < s.size() && (s[i] == ' ' || s[i] == '\t'))
            ++i;
        if (i < s.size() && s[i] == '"') {
            const qsizetype end = s.indexOf('"', i + 1);
            if (end > i)
                return levelFromWord(s.sliced(i + 1, end - i - 1));
        } else if (i < s.size() && isDigit(s[i])) {
            int n = 0;
            while (i < s.size() && isDigit(s[i]) && n < 1000)
                n = n * 10 + (s[i++] - '0');
            return levelFromNumber(n);
        }
    }
    return LogLevel::None;
}

bool startsWith(QByteArrayView s, const char *prefix)
{
    return s.startsWith(QByteArrayView(prefix));
}

// `ValueError: boom`, `KeyboardInterrupt`, `module.sub.CustomError: x` — the last line of a
// traceback.
bool isExceptionSummary(QByteArrayView s)
{
    if (s.isEmpty() || !isAlpha(s[0]))
        return false;
    qsizetype i = 0;
    while (i < s.size() && (isAlnum(s[i]) || s[i] == '.'))
        ++i;
    return i == s.size() || s[i] == ':';
}

} // namespace

qint64 LogLineParser::parseDockerTimestamp(QByteArrayView s, qsizetype *consumed)
{
    qint64 seconds;
    if (!parseDateTime(s, 'T', &seconds))
        return -1;
    qsizetype i = 19;
    qint64 nanos = 0;
    if (i < s.size() && s[i] == '.') {
        ++i;
        int digits = 0;
        while (i < s.size() && isDigit(s[i])) {
            if (digits < 9) {
                nanos = nanos * 10 + (s[i] - '0');
                ++digits;
            }
            ++i;
        }
        for (; digits < 9; ++digits)
            nanos *= 10;
    }
    if (i < s.size() && s[i] == 'Z') {
        ++i;
    } else if (i + 6 <= s.size() && (s[i] == '+' || s[i] == '-') && s[i + 3] == ':') {
        int oh, om;
        if (!digitsAt(s, i + 1, 2, &oh) || !digitsAt(s, i + 4, 2, &om))
            return -1;
        const qint64 offset = (oh * 3600 + om * 60) * (s[i] == '+' ? 1 : -1);
        seconds -= offset;
        i += 6;
    } else {
        return -1;
    }
    if (i < s.size() && s[i] != ' ')
        return -1;
    if (consumed)
        *consumed = i < s.size() ? i + 1 : i;
    return seconds * 1000000000 + nanos;
}

LogLevel LogLineParser::detectLevel(QByteArrayView s)
{
    qsizetype first = 0;
    while (first < s.size() && (s[first] == ' ' || s[first] == '\t'))
        ++first;
    if (first < s.size() && s[first] == '{')
        return jsonLevel(s.first(qMin<qsizetype>(s.size(), 4096)));

    // Only the head of a line names its level; scanning further finds words in messages.
    const qsizetype end = qMin<qsizetype>(s.size(), 120);
    qsizetype i = first;
    while (i < end) {
        if (!isAlpha(s[i])) {
            ++i;
            continue;
        }
        const qsizetype start = i;
        bool upper = true;
        while (i < end && isAlpha(s[i])) {
            upper = upper && s[i] >= 'A' && s[i] <= 'Z';
            ++i;
        }
        if (i < end && (isDigit(s[i]) || s[i] == '_'))
            continue; // part of an identifier
        const qsizetype len = i - start;
        if (len < 3 || len > 9)
            continue;
        const char before = start > 0 ? s[start - 1] : ' ';
        const char after = i < s.size() ? s[i] : ' ';
        if (isDigit(before) || before == '_' || before == '.' || before == '/')
            continue;
        const bool bracketed = (before == '[' && after == ']') || (before == '<' && after == '>');
        bool keyed = false;
        if (before == '=' && start >= 4) {
            const QByteArrayView key = s.sliced(0, start - 1);
            keyed = key.endsWith("level") || key.endsWith("lvl") || key.endsWith("LEVEL") ||
                    key.endsWith("severity");
        }
        if (upper || bracketed || keyed) {
            const LogLevel level = levelFromWord(s.sliced(start, len));
            if (level != LogLevel::None)
                return level;
        }
    }
    return LogLevel::None;
}

void LogLineParser::reset()
{
    m_traceback = Traceback::None;
    m_groupLevel = LogLevel::None;
    m_errorRecordOpen = false;
    m_fg = m_bg = 0;
    m_attributes = 0;
}

void LogLineParser::parse(QByteArrayView raw, ParsedLogLine &out)
{
    out.dockerTimeNs = -1;
    out.timestampMs = -1;
    out.level = LogLevel::None;
    out.flags = 0;
    out.spans.clear();

    QByteArrayView text = raw;
    while (!text.isEmpty() && text.back() == '\r')
        text.chop(1);

    qsizetype consumed = 0;
    if (text.size() >= 20 && text[10] == 'T') {
        out.dockerTimeNs = parseDockerTimestamp(text, &consumed);
        if (out.dockerTimeNs >= 0) {
            out.timestampMs = out.dockerTimeNs / 1000000;
            text = text.sliced(consumed);
        }
    }

    // A terminal shows only what follows the last carriage return.
    if (const void *cr = std::memchr(text.data(), '\r', size_t(text.size()))) {
        qsizetype last = static_cast<const char *>(cr) - text.data();
        for (qsizetype i = text.size() - 1; i > last; --i) {
            if (text[i] == '\r') {
                last = i;
                break;
            }
        }
        text = text.sliced(last + 1);
        out.flags |= LogLineFlag::Progress;
    }

    if (std::memchr(text.data(), '\x1b', size_t(text.size())) || m_fg || m_bg || m_attributes)
        text = stripAnsi(text, out);

    // The scoring server's and storage initializer's own format.
    bool timestamped = false;
    qint64 seconds;
    if (text.size() >= 19 && (text[10] == ' ' || text[10] == 'T') &&
        parseDateTime(text, text[10], &seconds)) {
        timestamped = true;
        qint64 ms = seconds * 1000;
        qsizetype i = 19;
        if (i + 3 < text.size() && (text[i] == ',' || text[i] == '.')) {
            int frac;
            if (digitsAt(text, i + 1, 3, &frac))
                ms += frac;
            i += 4;
            while (i < text.size() && isDigit(text[i]))
                ++i;
        }
        if (out.timestampMs < 0)
            out.timestampMs = ms;
        if (i + 2 < text.size() && text[i] == ' ' && text[i + 2] == ' ')
            out.level = levelFromLetter(text[i + 1]);
        if (out.level == LogLevel::None)
            out.level = detectLevel(text.sliced(qMin(i, text.size())));
    } else {
        out.level = detectLevel(text);
    }

    groupTraceback(text, timestamped, out);
    out.text = text;
}

void LogLineParser::groupTraceback(QByteArrayView text, bool timestamped, ParsedLogLine &out)
{
    static constexpr char tracebackHead[] = "Traceback (most recent call last):";
    auto startRecord = [&] {
        m_errorRecordOpen = out.level >= LogLevel::Error;
        m_groupLevel = out.level;
        m_traceback = (m_errorRecordOpen && text.endsWith(tracebackHead)) ? Traceback::Inside
                                                                          : Traceback::None;
    };
    auto continueGroup = [&](Traceback next) {
        out.flags |= LogLineFlag::Continuation;
        out.level = m_groupLevel;
        m_traceback = next;
    };

    // A line with its own timestamp always starts a new entry.
    if (timestamped) {
        startRecord();
        return;
    }

    // Inside a traceback, source lines may contain words like ERROR: the state decides.
    const bool indented = !text.isEmpty() && (text[0] == ' ' || text[0] == '\t');
    const bool head = startsWith(text, tracebackHead);
    switch (m_traceback) {
    case Traceback::Inside:
        if (text.isEmpty() || indented || head)
            return continueGroup(Traceback::Inside);
        if (isExceptionSummary(text))
            return continueGroup(Traceback::After);
        break;
    case Traceback::After:
        if (text.isEmpty() || startsWith(text, "During handling of the above exception") ||
            startsWith(text, "The above exception was the direct cause"))
            return continueGroup(Traceback::After);
        if (head)
            return continueGroup(Traceback::Inside);
        break;
    case Traceback::None:
        if (m_errorRecordOpen && (indented || head))
            return continueGroup(head ? Traceback::Inside : Traceback::None);
        break;
    }

    if (out.level != LogLevel::None) {
        startRecord();
        return;
    }
    m_traceback = Traceback::None;
    m_errorRecordOpen = false;
    if (head) {
        // A bare traceback (an uncaught exception on stderr) is an error entry of its own.
        out.level = LogLevel::Error;
        m_groupLevel = LogLevel::Error;
        m_traceback = Traceback::Inside;
    }
}

namespace {

QVarLengthArray<int, 16> splitParams(QByteArrayView params)
{
    QVarLengthArray<int, 16> values;
    int v = 0;
    bool any = false;
    for (char c : params) {
        if (isDigit(c)) {
            v = qMin(v * 10 + (c - '0'), 100000);
            any = true;
        } else if (c == ';' || c == ':') {
            values.append(any ? v : 0);
            v = 0;
            any = false;
        }
    }
    values.append(any ? v : 0);
    return values;
}

quint32 extendedColour(const QVarLengthArray<int, 16> &p, qsizetype &i)
{
    // 38;5;n or 38;2;r;g;b (i at the 38/48)
    if (i + 2 < p.size() && p[i + 1] == 5) {
        const quint32 c = AnsiSpan::Indexed | quint32(p[i + 2] & 0xff);
        i += 2;
        return c;
    }
    if (i + 4 < p.size() && p[i + 1] == 2) {
        const quint32 c = AnsiSpan::Rgb | (quint32(p[i + 2] & 0xff) << 16) |
                          (quint32(p[i + 3] & 0xff) << 8) | quint32(p[i + 4] & 0xff);
        i += 4;
        return c;
    }
    i = p.size();
    return 0;
}

} // namespace

QByteArrayView LogLineParser::stripAnsi(QByteArrayView text, ParsedLogLine &out)
{
    m_buffer.resize(0);
    m_buffer.reserve(text.size());
    out.flags |= LogLineFlag::Ansi;

    qsizetype runStart = 0;
    auto closeRun = [&] {
        const qsizetype end = m_buffer.size();
        if (end > runStart && (m_fg || m_bg || m_attributes)) {
            AnsiSpan span;
            span.start = quint32(runStart);
            span.length = quint32(end - runStart);
            span.foreground = m_fg;
            span.background = m_bg;
            span.attributes = m_attributes;
            out.spans.append(span);
        }
        runStart = end;
    };

    qsizetype i = 0;
    while (i < text.size()) {
        const void *esc = std::memchr(text.data() + i, '\x1b', size_t(text.size() - i));
        const qsizetype next = esc ? static_cast<const char *>(esc) - text.data() : text.size();
        m_buffer.append(text.data() + i, next - i);
        i = next;
        if (i >= text.size())
            break;
        ++i; // ESC
        if (i < text.size() && text[i] == '[') {
            const qsizetype paramsStart = ++i;
            while (i < text.size() && !(text[i] >= 0x40 && text[i] <= 0x7e) && text[i] != '\x1b')
                ++i;
            if (i >= text.size())
                break;
            if (text[i] == '\x1b')
                continue; // an ESC inside a sequence starts a new one, as in a terminal
            const char final = text[i++];
            if (final != 'm')
                continue;
            closeRun();
            const auto p = splitParams(text.sliced(paramsStart, i - 1 - paramsStart));
            for (qsizetype k = 0; k < p.size(); ++k) {
                const int c = p[k];
                if (c == 0) {
                    m_fg = m_bg = 0;
                    m_attributes = 0;
                } else if (c == 1) {
                    m_attributes |= AnsiSpan::Bold;
                } else if (c == 2) {
                    m_attributes |= AnsiSpan::Faint;
                } else if (c == 3) {
                    m_attributes |= AnsiSpan::Italic;
                } else if (c == 4) {
                    m_attributes |= AnsiSpan::Underline;
                } else if (c == 7) {
                    m_attributes |= AnsiSpan::Inverse;
                } else if (c == 22) {
                    m_attributes &= quint8(~(AnsiSpan::Bold | AnsiSpan::Faint));
                } else if (c == 23) {
                    m_attributes &= quint8(~AnsiSpan::Italic);
                } else if (c == 24) {
                    m_attributes &= quint8(~AnsiSpan::Underline);
                } else if (c == 27) {
                    m_attributes &= quint8(~AnsiSpan::Inverse);
                } else if (c >= 30 && c <= 37) {
                    m_fg = AnsiSpan::Indexed | quint32(c - 30);
                } else if (c == 38) {
                    m_fg = extendedColour(p, k);
                } else if (c == 39) {
                    m_fg = 0;
                } else if (c >= 40 && c <= 47) {
                    m_bg = AnsiSpan::Indexed | quint32(c - 40);
                } else if (c == 48) {
                    m_bg = extendedColour(p, k);
                } else if (c == 49) {
                    m_bg = 0;
                } else if (c >= 90 && c <= 97) {
                    m_fg = AnsiSpan::Indexed | quint32(c - 90 + 8);
                } else if (c >= 100 && c <= 107) {
                    m_bg = AnsiSpan::Indexed | quint32(c - 100 + 8);
                }
            }
        } else if (i < text.size() && text[i] == ']') {
            // OSC (e.g. hyperlinks, titles): up to BEL or ESC '\'.
            while (i < text.size() && text[i] != '\x07' &&
                   !(text[i] == '\x1b' && i + 1 < text.size() && text[i + 1] == '\\'))
                ++i;
            i += (i < text.size() && text[i] == '\x1b') ? 2 : 1;
        } else if (i < text.size()) {
            ++i; // two-byte escape
        }
    }
    closeRun();
    return QByteArrayView(m_buffer);
}
