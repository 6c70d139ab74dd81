#pragma once

#include "app/logs/logtypes.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QVarLengthArray>

// One raw line after parsing: the text to store and what was recognised in it.
struct ParsedLogLine
{
    QByteArrayView text;      // without Docker's timestamp prefix, escape codes, '\r' updates
    qint64 dockerTimeNs = -1; // `docker logs --timestamps` prefix, nanoseconds since the epoch
    qint64 timestampMs = -1;  // the prefix, else the line's own timestamp (UTC), else -1
    LogLevel level = LogLevel::None;
    quint8 flags = 0;
    QVarLengthArray<AnsiSpan, 4> spans;
};

// Recognises a log line: Docker timestamps, the scoring server's format
// (`2024-05-01 12:00:00,123 I [7] azmlinfsrv - msg`), LEVEL / [level] / level= forms,
// JSON `level`/`severity` fields, ANSI SGR runs and '\r' progress updates, and groups
// Python tracebacks with the error line above them. Byte-level and allocation-free on the
// common path: the ingest budget is about a microsecond per line.
class LogLineParser
{
public:
    // `raw` has no '\n'. `out.text` may point into `raw` or into this parser's buffer; it
    // stays valid until the next call.
    void parse(QByteArrayView raw, ParsedLogLine &out);
    void reset();

    // Exposed for tests and for the follower's de-duplication.
    static qint64 parseDockerTimestamp(QByteArrayView text, qsizetype *consumed); // ns or -1
    static LogLevel detectLevel(QByteArrayView text);

private:
    enum class Traceback : quint8 { None, Inside, After };
    QByteArrayView stripAnsi(QByteArrayView text, ParsedLogLine &out);
    void groupTraceback(QByteArrayView text, bool timestamped, ParsedLogLine &out);

    QByteArray m_buffer;
    Traceback m_traceback = Traceback::None;
    LogLevel m_groupLevel = LogLevel::None;
    bool m_errorRecordOpen = false;
    // SGR state carries over lines, as in a terminal.
    quint32 m_fg = 0;
    quint32 m_bg = 0;
    quint8 m_attributes = 0;
};
