#include "app/logsearch.h"

#include "app/logstoreblock.h"

#include <QElapsedTimer>
#include <QPointer>
#include <QtConcurrent/QtConcurrentRun>

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

LogSearchResult LogSearch::run(const LogStore::Snapshot &snapshot, const LogQuery &query,
                               qint64 fromLine, const std::atomic_bool &cancelled,
                               const std::function<void(int)> &progress)
{
    LogSearchResult result;
    result.fromLine = qMax(fromLine, snapshot.firstLine);
    result.toLine = snapshot.endLine;
    const LogMatcher matcher(query);
    if (!matcher.isValid()) {
        result.error = matcher.errorString();
        return result;
    }
    const bool wantVisible = query.filters();
    const bool wantText = query.hasText();
    const bool lineFilter = query.hasLineFilter();
    const qint64 total = qMax<qint64>(1, result.toLine - result.fromLine);
    int lastPercent = -1;
    QElapsedTimer sinceProgress;
    sinceProgress.start();
    QString decoded;
    bool entryMatched = false; // a traceback is shown with its matching error line

    for (const LogStore::BlockPtr &blockPtr : snapshot.blocks) {
        const LogStore::Block &block = *blockPtr;
        const qint64 blockEnd = block.firstLine + qint64(block.lines.size());
        const qint64 lo = qMax(result.fromLine, block.firstLine);
        const qint64 hi = qMin(result.toLine, blockEnd);
        if (lo >= hi)
            continue;
        if (cancelled.load(std::memory_order_relaxed)) {
            result.cancelled = true;
            return result;
        }

        // Decode the searched part of the block once; lines are '\n'-separated in it.
        const qsizetype firstIndex = qsizetype(lo - block.firstLine);
        const qsizetype byteStart = block.lines[size_t(firstIndex)].offset;
        const qsizetype byteEnd = block.lineEnd(qsizetype(hi - 1 - block.firstLine)) + 1;
        if (wantText)
            decoded = QString::fromUtf8(block.text.constData() + byteStart, byteEnd - byteStart);
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
            if (!continuation)
                entryMatched = passes && textMatch;
            if (passes) {
                if (wantText && textMatch)
                    result.matches.push_back(line);
                const bool shown =
                    textMatch || !query.onlyMatching || !wantText || (continuation && entryMatched);
                if (wantVisible && shown)
                    result.visible.push_back(line);
            }
            lineStart = lineEnd + 1;
        }

        if (progress && sinceProgress.elapsed() >= 50) {
            const int percent = int((hi - result.fromLine) * 100 / total);
            if (percent != lastPercent) {
                lastPercent = percent;
                progress(percent);
                sinceProgress.restart();
            }
        }
    }
    if (progress)
        progress(100);
    return result;
}
