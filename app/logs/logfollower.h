#pragma once

#include "app/logs/logfiletail.h"
#include "app/logs/loglinesplitter.h"

#include <QByteArray>
#include <QElapsedTimer>
#include <QObject>
#include <QPointer>
#include <QString>
#include <QStringList>
#include <QTimer>

class LogStore;
class QProcess;

// Streams one container's output into a LogStore without blocking the UI thread.
// Three sources: a Docker (or podman) container through `<cli> logs -f --timestamps`, which
// is re-attached when the container restarts (with a marker line in the log); any command
// whose output is the log; or a file a host process writes (the process runtime).
// Output is parsed in slices of at most a few milliseconds and handed to the store's
// listeners once per batch (every ≤ 100 ms).
class LogFollower : public QObject
{
    Q_OBJECT
public:
    enum class State { Idle, Waiting, Following, Stopped, Failed };
    Q_ENUM(State)

    explicit LogFollower(LogStore *store, QObject *parent = nullptr);
    ~LogFollower() override;

    // tail < 0: the whole log.
    void followContainer(const QString &cli, const QString &container, int tail = -1);
    void followProcess(const QString &program, const QStringList &args);
    void followFile(const QString &path);
    void stop();

    State state() const { return m_state; }
    QString statusText() const { return m_status; }
    int restartCount() const { return m_restarts; }
    LogStore *store() const { return m_store; }

    // Hide lines older than this (the user cleared the log); -1 shows everything.
    void setSinceMs(qint64 ms) { m_sinceMs = ms; }
    void setBatchInterval(int ms) { m_batchMs = ms; }
    void setPollInterval(int ms) { m_pollMs = ms; }

signals:
    void stateChanged(LogFollower::State state, const QString &status);
    void restarted(); // the container (or the file's writer) started again

private:
    enum class Mode { None, Container, Process, File };
    void setState(State state, const QString &status);
    void startLogsProcess();
    void inspectContainer();
    void onInspectFinished(const QByteArray &output, bool ok);
    void onLogsFinished();
    void readProcess();
    void pollFile();
    void scheduleBatch();
    void processPending();
    void appendLines(QByteArrayView data);
    void resetProcess(QPointer<QProcess> &process);

    QPointer<LogStore> m_store; // may go first when both are children of one widget
    Mode m_mode = Mode::None;
    State m_state = State::Idle;
    QString m_status;
    QString m_program;
    QStringList m_args;
    QString m_container;
    QString m_path;
    int m_tail = -1;
    QPointer<QProcess> m_process;
    QPointer<QProcess> m_inspect;
    QTimer m_batchTimer;
    QTimer m_pollTimer;
    int m_batchMs = 50;
    int m_pollMs = 500;
    QByteArray m_pending; // received, not parsed yet
    qsizetype m_pendingPos = 0;
    LogLineSplitter m_lines;
    // Container: de-duplicates lines Docker repeats when re-attaching with --since.
    qint64 m_lastNs = -1;
    qint64 m_skipUpToNs = -1;
    QString m_startedAt;
    bool m_attached = false;
    int m_restarts = 0;
    qint64 m_sinceMs = -1;
    bool m_skippingEntry = false;
    LogFileTail m_file;
};
