#pragma once

#include "app/invoke/loadplan.h"
#include "app/invoke/loadreport.h"

#include <QObject>

#include <memory>
#include <thread>

class LoadEngine;

// Runs a LoadEngine on a thread of its own and reports back on the owner's thread: a partial
// report a few times per second (progress) and the final one (finished). Never blocks the
// caller; cancel() stops the run at once and still delivers what was measured.
class LoadRunner : public QObject
{
    Q_OBJECT
public:
    explicit LoadRunner(QObject *parent = nullptr);
    ~LoadRunner() override; // cancels and waits for the engine's thread

    // False when a run is already going. The report gets a new id, `endpoint` and the start time.
    bool start(const LoadPlan &plan, const QString &endpoint = {});
    void cancel();
    bool isRunning() const { return m_running; }

    int progressIntervalMs() const { return m_progressMs; }
    void setProgressIntervalMs(int ms) { m_progressMs = ms; }

    static QString newRunId(const QDateTime &startedAtUtc);

signals:
    void progress(const LoadReport &partial);
    void finished(const LoadReport &report);

private:
    void stopThread();

    std::shared_ptr<LoadEngine> m_engine;
    std::thread m_thread;
    bool m_running = false;
    int m_progressMs = 250;
};
