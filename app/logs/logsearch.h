#pragma once

#include "app/logs/logquery.h"
#include "app/logs/logstore.h"

#include <QFutureWatcher>
#include <QObject>
#include <QThreadPool>

#include <atomic>
#include <functional>
#include <memory>
#include <vector>

struct LogSearchResult
{
    quint64 generation = 0;
    qint64 fromLine = 0; // searched [fromLine, toLine)
    qint64 toLine = 0;
    std::vector<qint64> visible; // lines passing the filter; filled when query.filters()
    std::vector<qint64> matches; // lines matching the text (and the line filter)
    bool cancelled = false;
    QString error; // invalid regex
};

Q_DECLARE_METATYPE(LogSearchResult)

// Runs LogQuery over a LogStore snapshot on its own worker thread: one search at a time, a
// new start() cancels the previous one; progress and the result come back as signals on
// this object's thread.
class LogSearch : public QObject
{
    Q_OBJECT
public:
    explicit LogSearch(QObject *parent = nullptr);
    ~LogSearch() override; // cancels and waits for the worker

    // Searches [fromLine, snapshot.endLine). Returns the generation stamped on the result.
    quint64 start(LogStore::Snapshot snapshot, const LogQuery &query, qint64 fromLine = 0);
    void cancel();
    bool isRunning() const { return m_running; }

    // The search itself, synchronous (used by the worker, benchmarks and tests). Text searches
    // of many lines are split into `chunks` ranges of lines searched on threads of their own
    // (0: one per core, up to 4, at least 32768 lines each); the result does not depend on it.
    // `progress` is called on the calling thread.
    static LogSearchResult run(const LogStore::Snapshot &snapshot, const LogQuery &query,
                               qint64 fromLine, const std::atomic_bool &cancelled,
                               const std::function<void(int)> &progress = {}, int chunks = 0);

signals:
    void progress(int percent);
    void finished(const LogSearchResult &result);

private:
    QThreadPool m_pool;
    std::shared_ptr<std::atomic_bool> m_cancel;
    quint64 m_generation = 0;
    bool m_running = false;
};
