#include "app/logs/logsearch.h"

#include "app/logs/logstore_p.h"

#include <QElapsedTimer>
#include <QPointer>
#include <QStringDecoder>
#include <QThread>
#include <QtConcurrent/QtConcurrentRun>

#include <algorithm>
#include <chrono>
#include <future>
#include <system_error>

LogSearch::LogSearch(QObject *parent)
    : QObject(parent)
{
    m_pool.setMaxThreadCount(1);
}

LogSearch::~LogSearch()
{
    cancel();
    m_pool.waitForDone();
}

void LogSearch::cancel()
{
    if (m_cancel)
        m_cancel->store(true);
    m_cancel.reset();
    m_running = false;
}

quint64 LogSearch::start(LogStore::Snapshot snapshot, const LogQuery &query, qint64 fromLine)
{
    cancel();
    const quint64 generation = ++m_generation;
    auto flag = std::make_shared<std::atomic_bool>(false);
    m_cancel = flag;
    m_running = true;

    QPointer<LogSearch> self(this);
    auto report = [self, flag](int percent) {
        if (flag->load())
            return;
        // `this` outlives the worker: the destructor waits for the pool.
        QMetaObject::invokeMethod(
            self.data(),
            [self, flag, percent] {
                if (self && !flag->load())
                    emit self->progress(percent);
            },
            Qt::QueuedConnection);
    };
    auto *watcher = new QFutureWatcher<LogSearchResult>(this);
    connect(watcher, &QFutureWatcher<LogSearchResult>::finished, this, [this, watcher, flag] {
        LogSearchResult result = watcher->result();
        watcher->deleteLater();
        if (result.generation != m_generation || flag->load())
            return;
        m_running = false;
        emit finished(result);
    });
    watcher->setFuture(QtConcurrent::run(
        &m_pool, [snapshot = std::move(snapshot), query, fromLine, flag, report, generation] {
            LogSearchResult result = run(snapshot, query, fromLine, *flag, report);
            result.generation = generation;
            return result;
        }));
    return generation;
}

namespace {

// Fewer lines than this per range are not worth a thread of their own.
constexpr qint64 MinLinesPerChunk = 32768;

// The result of searching one range of lines [from, to).
struct Chunk
{
    qint64 from = 0;
    qint64 to = 0;
    std::vector<qint64> visible;
    std::vector<qint64> matches;
    // Traceback lines before the range's first entry line that pass the filter but are shown
    // only if the entry they continue (in an earlier range) matched. Unused by the first range,
    // which starts with entryMatched = false as the whole search does.
    std::vector<qint64> visibleIfEntryMatched;
    bool sawEntry = false;     // the range has an entry (non-continuation) line
    bool entryMatched = false; // after the range's last entry line
    bool cancelled = false;
};

struct Search
{
    const LogStore::Snapshot &snapshot;
    const LogQuery &query;
    const LogMatcher &matcher;
    const std::atomic_bool &cancelled;
    std::atomic<qint64> searched{0}; // lines, over all chunks, for progress
};

// Searches chunk.from..chunk.to block by block; `afterBlock` runs between blocks.
void searchChunk(Search &search, Chunk &chunk, bool firstChunk,
                 const std::function<void()> &afterBlock)
{
    const LogQuery &query = search.query;
    const LogMatcher &matcher = search.matcher;
    const bool wantVisible = query.filters();
    const bool wantText = query.hasText();
    const bool lineFilter = query.hasLineFilter();
    QString decoded;
    bool entryKnown = firstChunk;
    bool entryMatched = false; // a traceback is shown with its matching error line

    for (const LogStore::BlockPtr &blockPtr : search.snapshot.blocks) {
        const LogStore::Block &block = *blockPtr;
        const qint64 blockEnd = block.firstLine + qint64(block.lines.size());
        const qint64 lo = qMax(chunk.from, block.firstLine);
        const qint64 hi = qMin(chunk.to, blockEnd);
        if (lo >= hi)
            continue;
        if (search.cancelled.load(std::memory_order_relaxed)) {
            chunk.cancelled = true;
            return;
        }

        // Decode the searched part of the block once; lines are '\n'-separated in it.
        const qsizetype firstIndex = qsizetype(lo - block.firstLine);
        const qsizetype byteStart = block.lines[size_t(firstIndex)].offset;
        const qsizetype byteEnd = block.lineEnd(qsizetype(hi - 1 - block.firstLine)) + 1;
        if (wantText) {
            // QString::fromUtf8 (an initial BOM dropped, invalid bytes as U+FFFD) into the
            // buffer of the previous block: UTF-16 has no more code units than UTF-8 has bytes.
            const QByteArrayView bytes(block.text.constData() + byteStart, byteEnd - byteStart);
            decoded.resize(bytes.size());
            QStringDecoder toUtf16(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless);
            const QChar *end = toUtf16.appendToBuffer(decoded.data(), bytes);
            decoded.truncate(end - decoded.constData());
        }
        const QStringView text(decoded);

        qsizetype lineStart = 0;
        qsizetype next = -2; // next match at or after lineStart; -2 = not looked yet
        qsizetype nextLength = 0;
        for (qint64 line = lo; line < hi; ++line) {
            const auto &record = block.lines[size_t(line - block.firstLine)];
            qsizetype lineEnd = 0;
            if (wantText) {
                lineEnd = text.indexOf(u'\n', lineStart);
                if (lineEnd < 0)
                    lineEnd = text.size();
            }
            const bool passes =
                !lineFilter || (query.acceptsLevel(record.level) &&
                                query.acceptsTime(block.baseTimeMs + record.timeDelta));
            bool textMatch = true;
            if (passes && wantText) {
                if (next == -2 || (next >= 0 && next < lineStart))
                    next = matcher.find(decoded, lineStart, &nextLength);
                const bool inLine =
                    next >= 0 && (next < lineEnd || (next == lineEnd && nextLength == 0));
                bool found = inLine;
                if (found && next + nextLength > lineEnd) // crossed into the next line
                    found = matcher.find(text.sliced(lineStart, lineEnd - lineStart), 0,
                                         &nextLength) >= 0;
                if (inLine)
                    next = -2;
                textMatch = found != matcher.inverted();
            }
            const bool continuation = record.flags & LogLineFlag::Continuation;
            if (!continuation) {
                entryMatched = passes && textMatch;
                entryKnown = true;
                chunk.sawEntry = true;
            }
            if (passes) {
                if (wantText && textMatch)
                    chunk.matches.push_back(line);
                if (wantVisible) {
                    if (textMatch || !query.onlyMatching || !wantText)
                        chunk.visible.push_back(line);
                    else if (continuation && !entryKnown)
                        chunk.visibleIfEntryMatched.push_back(line);
                    else if (continuation && entryMatched)
                        chunk.visible.push_back(line);
                }
            }
            lineStart = lineEnd + 1;
        }
        chunk.entryMatched = entryMatched;
        search.searched.fetch_add(hi - lo, std::memory_order_relaxed);
        if (afterBlock)
            afterBlock();
    }
}

} // namespace

LogSearchResult LogSearch::run(const LogStore::Snapshot &snapshot, const LogQuery &query,
                               qint64 fromLine, const std::atomic_bool &cancelled,
                               const std::function<void(int)> &progress, int chunks)
{
    LogSearchResult result;
    result.fromLine = qMax(fromLine, snapshot.firstLine);
    result.toLine = snapshot.endLine;
    const LogMatcher matcher(query);
    if (!matcher.isValid()) {
        result.error = matcher.errorString();
        return result;
    }
    const qint64 lineCount = qMax<qint64>(0, result.toLine - result.fromLine);
    const qint64 total = qMax<qint64>(1, lineCount);
    if (chunks <= 0) {
        // Matching text dominates; a line filter alone is cheap.
        chunks = query.hasText() ? qBound(1, QThread::idealThreadCount(), 4) : 1;
        chunks = int(qMin<qint64>(chunks, lineCount / MinLinesPerChunk));
    }
    chunks = int(qBound<qint64>(1, qint64(chunks), qMax<qint64>(1, lineCount)));

    Search search{snapshot, query, matcher, cancelled};
    std::vector<Chunk> parts(static_cast<size_t>(chunks));
    for (int i = 0; i < chunks; ++i) {
        parts[size_t(i)].from = result.fromLine + lineCount * i / chunks;
        parts[size_t(i)].to = result.fromLine + lineCount * (i + 1) / chunks;
    }

    int lastPercent = -1;
    QElapsedTimer sinceProgress;
    sinceProgress.start();
    const std::function<void()> report = [&] {
        if (!progress || sinceProgress.elapsed() < 50)
            return;
        const int percent = int(search.searched.load(std::memory_order_relaxed) * 100 / total);
        if (percent != lastPercent) {
            lastPercent = percent;
            progress(percent);
            sinceProgress.restart();
        }
    };
    // The later chunks on their own threads; this thread searches the first and reports
    // progress for all.
    std::vector<std::future<void>> helpers;
    helpers.reserve(parts.size());
    for (size_t i = 1; i < parts.size(); ++i) {
        Chunk &chunk = parts[i];
        try {
            helpers.push_back(std::async(
                std::launch::async, [&search, &chunk] { searchChunk(search, chunk, false, {}); }));
        } catch (const std::system_error &) { // no thread to be had: search it here, later
            helpers.push_back(std::async(std::launch::deferred, [&search, &chunk] {
                searchChunk(search, chunk, false, {});
            }));
        }
    }
    searchChunk(search, parts[0], true, report);
    for (std::future<void> &helper : helpers) {
        while (helper.wait_for(std::chrono::milliseconds(50)) == std::future_status::timeout)
            report();
        helper.get();
    }

    // Concatenate in order; a chunk's leading traceback lines follow the entry before it.
    bool entryMatched = false;
    for (Chunk &chunk : parts) {
        if (chunk.cancelled) {
            result.cancelled = true;
            result.visible.clear();
            result.matches.clear();
            return result;
        }
        result.matches.insert(result.matches.end(), chunk.matches.begin(), chunk.matches.end());
        if (entryMatched && !chunk.visibleIfEntryMatched.empty()) {
            const size_t at = result.visible.size();
            result.visible.resize(at + chunk.visible.size() + chunk.visibleIfEntryMatched.size());
            std::merge(chunk.visible.begin(), chunk.visible.end(),
                       chunk.visibleIfEntryMatched.begin(), chunk.visibleIfEntryMatched.end(),
                       result.visible.begin() + qsizetype(at));
        } else {
            result.visible.insert(result.visible.end(), chunk.visible.begin(), chunk.visible.end());
        }
        if (chunk.sawEntry)
            entryMatched = chunk.entryMatched;
    }
    if (progress)
        progress(100);
    return result;
}
