#pragma once

#include "app/logs/loglineparser.h"
#include "app/logs/logtypes.h"
#include "models/result.h"

#include <QByteArray>
#include <QList>
#include <QObject>
#include <QString>

#include <deque>
#include <memory>
#include <vector>

class QFile;
class QTemporaryFile;

// Lines of one container's log. Text lives in ~1 MB blocks (each line followed by '\n');
// per line the store keeps 12 bytes: block offset, timestamp delta, level, flags. ANSI runs
// are kept only for lines that had escape codes.
//
// Lines have absolute numbers that never change: [firstLine(), endLine()) are kept; lines
// below firstLine() were dropped by the cap (their text goes to a spill file so saveTo()
// still writes the whole log).
//
// Appends are silent; flushNotifications() emits linesAppended/linesDropped once per batch.
class LogStore : public QObject
{
    Q_OBJECT
public:
    struct Block;
    using BlockPtr = std::shared_ptr<const Block>;

    // An immutable view of the store for a worker thread: sealed blocks are shared, the open
    // one is copied.
    struct Snapshot
    {
        std::vector<BlockPtr> blocks;
        qint64 firstLine = 0; // lines below are dropped
        qint64 endLine = 0;
    };

    static constexpr qint64 DefaultMaxLines = 1000000;

    explicit LogStore(QObject *parent = nullptr);
    ~LogStore() override;

    void setMaxLines(qint64 maxLines); // 0 = unbounded
    qint64 maxLines() const { return m_maxLines; }
    static qsizetype maxLineBytes() { return 64 * 1024 * 1024; }

    // Raw output: split at '\n' (an unfinished last line waits for the next call).
    void appendData(QByteArrayView data);
    void flushPartialLine();
    // One raw line without '\n'.
    void appendLine(QByteArrayView raw);
    // Append an already parsed line (the follower parses to de-duplicate by timestamp).
    void appendParsed(const ParsedLogLine &line);
    // A line written by the studio (restart, reconnect, truncation).
    void appendMarker(const QString &text, qint64 timestampMs = -1);
    LogLineParser &parser() { return m_parser; }

    void clear(); // drops everything, counters restart from the current end line
    void flushNotifications();

    qint64 firstLine() const { return m_firstLine; }
    qint64 endLine() const { return m_endLine; }
    qint64 lineCount() const { return m_endLine - m_firstLine; }
    qint64 droppedCount() const { return m_dropped; } // by the cap, since the last clear()
    bool isEmpty() const { return m_endLine == m_firstLine; }

    // Valid for firstLine() <= line < endLine().
    QByteArrayView lineBytes(qint64 line) const;
    QString lineText(qint64 line) const;
    qint64 timestampMs(qint64 line) const; // -1 when the line had none and nothing came before
    LogLevel level(qint64 line) const;
    quint8 flags(qint64 line) const;
    QList<AnsiSpan> spans(qint64 line) const;

    Snapshot snapshot() const;
    // One line of a snapshot, for workers.
    static QByteArrayView lineBytes(const Snapshot &snapshot, qint64 line);
    static const Block *blockFor(const Snapshot &snapshot, qint64 line);

    // What saveTo() writes, captured on the store's thread for a worker: the kept blocks and
    // the spill file (lines dropped by the cap) up to this moment. Later appends, drops and a
    // clear() do not change it.
    struct SaveSource
    {
        Snapshot snapshot;
        std::shared_ptr<QFile> spill; // opened read-only; nullptr when nothing was dropped
        qint64 spillBytes = 0;
    };
    SaveSource saveSource() const;
    // Writes a SaveSource (any thread); returns the bytes written.
    static Result<qint64> save(const SaveSource &source, const QString &path);
    // The whole log since the last clear(), including lines dropped by the cap.
    Result<qint64> saveTo(const QString &path) const;

    // Memory held for lines, and how much of it is the text itself (benchmarks, status).
    qint64 memoryBytes() const;
    qint64 textBytes() const;

signals:
    void linesAppended(qint64 firstNew, qint64 endLine);
    void linesDropped(qint64 newFirstLine, qint64 droppedTotal);
    void cleared();

private:
    Block &openBlock(qsizetype bytesNeeded, qint64 timestampMs);
    void sealOpenBlock();
    void dropFront();
    void releaseDroppedBlocks();
    const Block *blockFor(qint64 line, qsizetype *index) const;

    std::deque<std::shared_ptr<Block>> m_blocks;
    bool m_open = false; // the back block still takes lines
    qint64 m_firstLine = 0;
    qint64 m_endLine = 0;
    qint64 m_dropped = 0;
    qint64 m_maxLines = DefaultMaxLines;
    qint64 m_lastTimestampMs = -1;
    qint64 m_notifiedEnd = 0;
    qint64 m_notifiedFirst = 0;
    QByteArray m_partial;
    LogLineParser m_parser;
    ParsedLogLine m_parsed;
    std::unique_ptr<QTemporaryFile> m_spill;
};
