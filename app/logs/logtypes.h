#pragma once

#include <QString>
#include <QtGlobal>

// Vocabulary shared by the log engine and the log view.

enum class LogLevel : quint8 { None, Trace, Debug, Info, Warning, Error, Critical };

// Bit for a level in a level mask (LogQuery::levelMask).
constexpr quint8 logLevelBit(LogLevel level)
{
    return quint8(1u << quint8(level));
}
constexpr quint8 AllLogLevels = 0x7f;

QString logLevelName(LogLevel level); // "error", "warning", … ("" for None)

namespace LogLineFlag {
enum : quint8 {
    Continuation = 0x01, // belongs to the entry above (traceback, multi-line message)
    Ansi = 0x02,         // had ANSI colour codes; spans() has the runs
    Marker = 0x04,       // written by the studio: restart, reconnect, truncation
    Progress = 0x08,     // had '\r' progress updates; only the last one is kept
    Truncated = 0x10,    // longer than LogStore::maxLineBytes(); the rest was cut
};
}

// A run of ANSI-styled text. Offsets are bytes of the line's stored (UTF-8, escape-free) text.
// Colours: 0 = default, 0x01000000 | index (0-255 palette), 0x02000000 | 0xRRGGBB.
struct AnsiSpan
{
    quint32 start = 0;
    quint32 length = 0;
    quint32 foreground = 0;
    quint32 background = 0;
    quint8 attributes = 0; // AnsiSpan::Bold | …

    enum : quint8 { Bold = 1, Faint = 2, Italic = 4, Underline = 8, Inverse = 16 };
    static constexpr quint32 Indexed = 0x01000000;
    static constexpr quint32 Rgb = 0x02000000;
};
