#include "app/logs/logstore.h"

#include "app/logs/logstore_p.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QSaveFile>
#include <QTemporaryFile>

#include <algorithm>
#include <cstring>
#include <limits>

namespace {
constexpr qsizetype BlockBytes = 1024 * 1024;
constexpr size_t BlockLines = 32768;
} // namespace

LogStore::LogStore(QObject *parent)
    : QObject(parent)
{}

LogStore::~LogStore() = default;

void LogStore::setMaxLines(qint64 maxLines)
{
    m_maxLines = maxLines;
    while (m_maxLines > 0 && lineCount() > m_maxLines)
        dropFront();
}

void LogStore::appendData(QByteArrayView data)
{
    while (!data.isEmpty()) {
        const void *nl = std::memchr(data.data(), '\n', size_t(data.size()));
        if (!nl) {
            const qsizetype room = maxLineBytes() - m_partial.size();
            if (data.size() <= room) {
                m_partial.append(data);
                return;
            }
            // A line without end: store what fits as one line and go on with the rest.
            m_partial.append(data.first(room));
            appendLine(m_partial);
            m_partial.clear();
            data = data.sliced(room);
            continue;
        }
        const qsizetype len = static_cast<const char *>(nl) - data.data();
        if (m_partial.isEmpty()) {
            appendLine(data.first(len));
        } else {
            m_partial.append(data.first(len));
            appendLine(m_partial);
            m_partial.clear();
        }
        data = data.sliced(len + 1);
    }
}

void LogStore::flushPartialLine()
{
    if (m_partial.isEmpty())
        return;
    appendLine(m_partial);
    m_partial.clear();
}

void LogStore::appendLine(QByteArrayView raw)
{
    m_parser.parse(raw, m_parsed);
    appendParsed(m_parsed);
}

LogStore::Block &LogStore::openBlock(qsizetype bytesNeeded, qint64 timestampMs)
{
    if (m_open) {
        Block &back = *m_blocks.back();
        const qint64 delta = timestampMs - back.baseTimeMs;
        const bool fits = back.text.size() + bytesNeeded <= BlockBytes || back.text.isEmpty();
        if (fits && back.lines.size() < BlockLines && delta >= std::numeric_limits<qint32>::min() &&
            delta <= std::numeric_limits<qint32>::max())
            return back;
        sealOpenBlock();
    }
    auto block = std::make_shared<Block>();
    block->firstLine = m_endLine;
    block->baseTimeMs = timestampMs;
    block->text.reserve(qMax(BlockBytes, bytesNeeded));
    block->lines.reserve(1024);
    m_blocks.push_back(std::move(block));
    m_open = true;
    return *m_blocks.back();
}

void LogStore::sealOpenBlock()
{
    if (!m_open)
        return;
    Block &back = *m_blocks.back();
    back.text.squeeze();
    back.lines.shrink_to_fit();
    back.spanLines.shrink_to_fit();
    back.spanStart.shrink_to_fit();
    back.spans.shrink_to_fit();
    m_open = false;
    releaseDroppedBlocks();
}

void LogStore::appendParsed(const ParsedLogLine &line)
{
    QByteArrayView text = line.text;
    quint8 flags = line.flags;
    if (text.size() > maxLineBytes()) {
        text = text.first(maxLineBytes());
        flags |= LogLineFlag::Truncated;
    }
    qint64 ts = line.timestampMs;
    if (ts < 0)
        ts = m_lastTimestampMs >= 0 ? m_lastTimestampMs : QDateTime::currentMSecsSinceEpoch();
    m_lastTimestampMs = ts;

    Block &block = openBlock(text.size() + 1, ts);
    const quint32 index = quint32(block.lines.size());
    block.lines.push_back(
        {quint32(block.text.size()), qint32(ts - block.baseTimeMs), line.level, flags});
    block.text.append(text.data(), text.size());
    block.text.append('\n');
    if (!line.spans.isEmpty()) {
        block.spanLines.push_back(index);
        if (block.spanStart.empty())
            block.spanStart.push_back(0);
        for (const AnsiSpan &span : line.spans) {
            if (span.start < quint32(text.size())) {
                AnsiSpan clipped = span;
                clipped.length = qMin<quint32>(span.length, quint32(text.size()) - span.start);
                block.spans.push_back(clipped);
            }
        }
        block.spanStart.push_back(quint32(block.spans.size()));
    }
    ++m_endLine;
    if (m_maxLines > 0 && lineCount() > m_maxLines)
        dropFront();
}

void LogStore::appendMarker(const QString &text, qint64 timestampMs)
{
    ParsedLogLine line;
    const QByteArray utf8 = text.toUtf8();
    line.text = QByteArrayView(utf8);
    line.timestampMs = timestampMs >= 0 ? timestampMs : QDateTime::currentMSecsSinceEpoch();
    line.flags = LogLineFlag::Marker;
    appendParsed(line);
    m_parser.reset();
}

void LogStore::dropFront()
{
    ++m_firstLine;
    ++m_dropped;
    releaseDroppedBlocks();
}

void LogStore::releaseDroppedBlocks()
{
    while (!m_blocks.empty()) {
        const Block &front = *m_blocks.front();
        const bool isOpen = m_open && m_blocks.size() == 1;
        if (isOpen || m_firstLine < front.firstLine + qint64(front.lines.size()))
            return;
        if (!m_spill) {
            m_spill = std::make_unique<QTemporaryFile>(QDir::tempPath() +
                                                       QStringLiteral("/studio-log-XXXXXX"));
            if (!m_spill->open())
                qWarning("log spill file: %s", qPrintable(m_spill->errorString()));
        }
        if (m_spill->isOpen())
            m_spill->write(front.text);
        m_blocks.pop_front();
    }
}

void LogStore::clear()
{
    m_blocks.clear();
    m_open = false;
    m_firstLine = m_endLine;
    m_dropped = 0;
    m_spill.reset();
    m_notifiedFirst = m_notifiedEnd = m_endLine;
    emit cleared();
}

void LogStore::flushNotifications()
{
    if (m_firstLine != m_notifiedFirst) {
        m_notifiedFirst = m_firstLine;
        emit linesDropped(m_firstLine, m_dropped);
    }
    if (m_endLine != m_notifiedEnd) {
        const qint64 firstNew = qMax(m_notifiedEnd, m_firstLine);
        m_notifiedEnd = m_endLine;
        emit linesAppended(firstNew, m_endLine);
    }
}

const LogStore::Block *LogStore::blockFor(qint64 line, qsizetype *index) const
{
    if (line < m_firstLine || line >= m_endLine || m_blocks.empty())
        return nullptr;
    auto it = std::upper_bound(
        m_blocks.begin(), m_blocks.end(), line,
        [](qint64 l, const std::shared_ptr<Block> &b) { return l < b->firstLine; });
    const Block &block = **(it - 1);
    *index = qsizetype(line - block.firstLine);
    return &block;
}

const LogStore::Block *LogStore::blockFor(const Snapshot &snapshot, qint64 line)
{
    if (line < snapshot.firstLine || line >= snapshot.endLine || snapshot.blocks.empty())
        return nullptr;
    auto it = std::upper_bound(snapshot.blocks.begin(), snapshot.blocks.end(), line,
                               [](qint64 l, const BlockPtr &b) { return l < b->firstLine; });
    return (it - 1)->get();
}

QByteArrayView LogStore::lineBytes(qint64 line) const
{
    qsizetype i;
    const Block *block = blockFor(line, &i);
    return block ? block->bytes(i) : QByteArrayView();
}

QByteArrayView LogStore::lineBytes(const Snapshot &snapshot, qint64 line)
{
    const Block *block = blockFor(snapshot, line);
    return block ? block->bytes(qsizetype(line - block->firstLine)) : QByteArrayView();
}

QString LogStore::lineText(qint64 line) const
{
    return QString::fromUtf8(lineBytes(line));
}

qint64 LogStore::timestampMs(qint64 line) const
{
    qsizetype i;
    const Block *block = blockFor(line, &i);
    return block ? block->timeMs(i) : -1;
}

LogLevel LogStore::level(qint64 line) const
{
    qsizetype i;
    const Block *block = blockFor(line, &i);
    return block ? block->lines[size_t(i)].level : LogLevel::None;
}

quint8 LogStore::flags(qint64 line) const
{
    qsizetype i;
    const Block *block = blockFor(line, &i);
    return block ? block->lines[size_t(i)].flags : 0;
}

QList<AnsiSpan> LogStore::spans(qint64 line) const
{
    qsizetype i;
    const Block *block = blockFor(line, &i);
    if (!block || !(block->lines[size_t(i)].flags & LogLineFlag::Ansi))
        return {};
    auto it = std::lower_bound(block->spanLines.begin(), block->spanLines.end(), quint32(i));
    if (it == block->spanLines.end() || *it != quint32(i))
        return {};
    const size_t k = size_t(it - block->spanLines.begin());
    QList<AnsiSpan> result;
    for (quint32 s = block->spanStart[k]; s < block->spanStart[k + 1]; ++s)
        result.append(block->spans[s]);
    return result;
}

LogStore::Snapshot LogStore::snapshot() const
{
    Snapshot snap;
    snap.firstLine = m_firstLine;
    snap.endLine = m_endLine;
    snap.blocks.reserve(m_blocks.size());
    for (size_t i = 0; i < m_blocks.size(); ++i) {
        const bool isOpen = m_open && i + 1 == m_blocks.size();
        if (isOpen)
            snap.blocks.push_back(std::make_shared<const Block>(*m_blocks[i]));
        else
            snap.blocks.push_back(m_blocks[i]);
    }
    return snap;
}

LogStore::SaveSource LogStore::saveSource() const
{
    SaveSource source;
    source.snapshot = snapshot();
    if (m_spill && m_spill->isOpen()) {
        m_spill->flush();
        source.spillBytes = m_spill->size();
        // Opened here, so a clear() that deletes the spill file before the worker starts
        // cannot take the dropped lines away from this save.
        auto spill = std::make_shared<QFile>(m_spill->fileName());
        if (spill->open(QIODevice::ReadOnly))
            source.spill = std::move(spill);
        else
            source.spillBytes = -1; // reported by save()
    }
    return source;
}

Result<qint64> LogStore::save(const SaveSource &source, const QString &path)
{
    if (source.spillBytes < 0)
        return Result<qint64>::failure(
            QStringLiteral("cannot read the lines dropped from memory (temporary spill file)"));
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return Result<qint64>::failure(
            QStringLiteral("cannot write %1: %2").arg(path, file.errorString()));
    qint64 written = 0;
    if (source.spill) {
        QFile &spill = *source.spill;
        if (!spill.seek(0))
            return Result<qint64>::failure(
                QStringLiteral("cannot read the dropped lines: %1").arg(spill.errorString()));
        qint64 left = source.spillBytes;
        while (left > 0) {
            const QByteArray chunk = spill.read(qMin<qint64>(left, 4 * 1024 * 1024));
            if (chunk.isEmpty())
                return Result<qint64>::failure(
                    QStringLiteral("cannot read the dropped lines: %1").arg(spill.errorString()));
            left -= chunk.size();
            written += file.write(chunk);
        }
    }
    // Sealed blocks and the copied open block hold exactly the kept lines' text, each line
    // followed by '\n'; the front block may still hold dropped lines that are not in the
    // spill file yet.
    for (const BlockPtr &block : source.snapshot.blocks)
        written += file.write(block->text);
    if (!file.commit())
        return Result<qint64>::failure(
            QStringLiteral("cannot write %1: %2").arg(path, file.errorString()));
    return written;
}

Result<qint64> LogStore::saveTo(const QString &path) const
{
    return save(saveSource(), path);
}

qint64 LogStore::memoryBytes() const
{
    qint64 total = qint64(sizeof(LogStore));
    for (const auto &block : m_blocks) {
        total += qint64(sizeof(Block)) + 2 * qint64(sizeof(void *)); // shared_ptr control
        total += block->text.capacity();
        total += qint64(block->lines.capacity() * sizeof(Block::Line));
        total += qint64(block->spanLines.capacity() * sizeof(quint32));
        total += qint64(block->spanStart.capacity() * sizeof(quint32));
        total += qint64(block->spans.capacity() * sizeof(AnsiSpan));
    }
    return total + qint64(m_blocks.size() * sizeof(void *));
}

qint64 LogStore::textBytes() const
{
    qint64 total = 0;
    for (const auto &block : m_blocks)
        total += block->text.size() - qint64(block->lines.size()); // without the '\n's
    return total;
}
