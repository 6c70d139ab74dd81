#pragma once

#include "app/logs/logstore.h"

// Storage of LogStore: shared with workers (search) through LogStore::Snapshot.
struct LogStore::Block
{
    struct Line
    {
        quint32 offset;   // into text
        qint32 timeDelta; // ms after baseTimeMs
        LogLevel level;
        quint8 flags;
    };
    static_assert(sizeof(Line) == 12);

    qint64 firstLine = 0;
    qint64 baseTimeMs = 0;
    QByteArray text; // each line followed by '\n'
    std::vector<Line> lines;
    // Lines with ANSI runs: line index in this block → runs [spanStart[i], spanStart[i + 1]).
    std::vector<quint32> spanLines;
    std::vector<quint32> spanStart;
    std::vector<AnsiSpan> spans;

    qsizetype lineEnd(qsizetype i) const // excluding the '\n'
    {
        return (size_t(i) + 1 < lines.size() ? qsizetype(lines[i + 1].offset) : text.size()) - 1;
    }
    QByteArrayView bytes(qsizetype i) const
    {
        const qsizetype start = lines[i].offset;
        return QByteArrayView(text.constData() + start, lineEnd(i) - start);
    }
    qint64 timeMs(qsizetype i) const { return baseTimeMs + lines[i].timeDelta; }
};
