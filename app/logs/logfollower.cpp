#include "app/logs/logfollower.h"

#include "app/logs/loglineparser.h"
#include "app/logs/logstore.h"

#include <QDateTime>
#include <QProcess>

namespace {

// Work per slice: the UI thread must not stall longer than a frame.
constexpr qint64 SliceBudgetMs = 4;
constexpr qsizetype SliceBytes = 64 * 1024;
constexpr qint64 FileReadBytes = 4 * 1024 * 1024;

QString rfc3339Nano(qint64 ns)
{
    const QDateTime t = QDateTime::fromMSecsSinceEpoch(ns / 1000000, Qt::UTC);
    return t.toString(QStringLiteral("yyyy-MM-ddTHH:mm:ss")) + u'.' +
           QStringLiteral("%1").arg(ns % 1000000000, 9, 10, QLatin1Char('0')) + u'Z';
}

} // namespace

LogFollower::LogFollower(LogStore *store, QObject *parent)
    : QObject(parent)
    , m_store(store)
    , m_lines(LogStore::maxLineBytes())
{
    m_batchTimer.setSingleShot(true);
    connect(&m_batchTimer, &QTimer::timeout, this, &LogFollower::processPending);
    m_pollTimer.setSingleShot(true);
    connect(&m_pollTimer, &QTimer::timeout, this, [this] {
        if (m_mode == Mode::Container)
            inspectContainer();
        else if (m_mode == Mode::File)
            pollFile();
    });
}

LogFollower::~LogFollower()
{
    if (m_store)
        stop();
    else
        m_mode = Mode::None;
    resetProcess(m_process);
    resetProcess(m_inspect);
}

void LogFollower::setState(State state, const QString &status)
{
    if (state == m_state && status == m_status)
        return;
    m_state = state;
    m_status = status;
    emit stateChanged(state, status);
}

void LogFollower::resetProcess(QPointer<QProcess> &process)
{
    if (!process)
        return;
    process->disconnect(this);
    if (process->state() != QProcess::NotRunning) {
        process->kill();
        process->waitForFinished(2000);
    }
    process->deleteLater();
    process = nullptr;
}

void LogFollower::stop()
{
    const bool wasActive = m_mode != Mode::None;
    resetProcess(m_process);
    resetProcess(m_inspect);
    m_pollTimer.stop();
    if (m_pendingPos < m_pending.size()) {
        appendLines(QByteArrayView(m_pending).sliced(m_pendingPos));
        m_pending.clear();
        m_pendingPos = 0;
    }
    m_batchTimer.stop();
    m_store->flushNotifications();
    m_mode = Mode::None;
    m_attached = false;
    if (wasActive)
        setState(State::Stopped, tr("stopped"));
}

void LogFollower::followContainer(const QString &cli, const QString &container, int tail)
{
    stop();
    m_mode = Mode::Container;
    m_program = cli;
    m_container = container;
    m_tail = tail;
    m_lastNs = m_skipUpToNs = -1;
    m_startedAt.clear();
    m_restarts = 0;
    setState(State::Waiting, tr("connecting to %1").arg(container));
    inspectContainer();
}

void LogFollower::followProcess(const QString &program, const QStringList &args)
{
    stop();
    m_mode = Mode::Process;
    m_program = program;
    m_args = args;
    startLogsProcess();
}

void LogFollower::followFile(const QString &path)
{
    stop();
    m_mode = Mode::File;
    m_path = path;
    m_file = LogFileTail(path);
    m_restarts = 0;
    setState(State::Waiting, tr("waiting for %1").arg(path));
    pollFile();
}

void LogFollower::inspectContainer()
{
    resetProcess(m_inspect);
    m_inspect = new QProcess(this);
    QProcess *inspect = m_inspect;
    connect(inspect, &QProcess::finished, this, [this, inspect](int code, QProcess::ExitStatus st) {
        if (inspect != m_inspect)
            return;
        const QByteArray out = inspect->readAllStandardOutput();
        m_inspect->deleteLater();
        m_inspect = nullptr;
        onInspectFinished(out, st == QProcess::NormalExit && code == 0);
    });
    connect(inspect, &QProcess::errorOccurred, this, [this, inspect](QProcess::ProcessError e) {
        if (e != QProcess::FailedToStart || inspect != m_inspect)
            return;
        setState(State::Failed, tr("cannot run %1: %2").arg(m_program, inspect->errorString()));
        m_inspect->deleteLater();
        m_inspect = nullptr;
    });
    inspect->start(m_program, {QStringLiteral("inspect"), QStringLiteral("--format"),
                               QStringLiteral("{{.State.Running}} {{.State.StartedAt}} "
                                              "{{.State.ExitCode}}"),
                               m_container});
}

void LogFollower::onInspectFinished(const QByteArray &output, bool ok)
{
    if (m_mode != Mode::Container || m_attached)
        return;
    const QList<QByteArray> fields = output.trimmed().split(' ');
    if (!ok || fields.size() < 3) {
        setState(State::Waiting, tr("waiting for container %1").arg(m_container));
        m_pollTimer.start(m_pollMs);
        return;
    }
    const bool running = fields[0] == "true";
    const QString startedAt = QString::fromUtf8(fields[1]);
    if (m_startedAt.isEmpty()) {
        m_startedAt = startedAt;
        startLogsProcess(); // prints what is there even when the container has stopped
        return;
    }
    if (running && startedAt != m_startedAt) {
        m_startedAt = startedAt;
        ++m_restarts;
        m_store->appendMarker(tr("── %1 restarted ──").arg(m_container));
        m_store->flushNotifications();
        emit restarted();
        startLogsProcess();
        return;
    }
    if (running) {
        startLogsProcess(); // the stream ended while the container kept running: re-attach
        return;
    }
    const QString status = tr("%1 exited with code %2; waiting for it to restart")
                               .arg(m_container, QString::fromUtf8(fields[2]));
    if (m_status != status) {
        m_store->appendMarker(
            tr("── %1 exited with code %2 ──").arg(m_container, QString::fromUtf8(fields[2])));
        m_store->flushNotifications();
    }
    setState(State::Waiting, status);
    m_pollTimer.start(m_pollMs);
}

void LogFollower::startLogsProcess()
{
    resetProcess(m_process);
    QStringList args = m_args;
    if (m_mode == Mode::Container) {
        args = {QStringLiteral("logs"), QStringLiteral("-f"), QStringLiteral("--timestamps")};
        if (m_lastNs >= 0) {
            args << QStringLiteral("--since") << rfc3339Nano(m_lastNs);
            m_skipUpToNs = m_lastNs;
        } else if (m_sinceMs >= 0) {
            args << QStringLiteral("--since") << rfc3339Nano(m_sinceMs * 1000000);
        } else if (m_tail >= 0) {
            args << QStringLiteral("--tail") << QString::number(m_tail);
        }
        args << m_container;
    }
    m_process = new QProcess(this);
    QProcess *process = m_process;
    process->setProcessChannelMode(QProcess::MergedChannels);
    connect(process, &QProcess::readyRead, this, &LogFollower::readProcess);
    connect(process, &QProcess::finished, this, [this, process] {
        if (process == m_process)
            onLogsFinished();
    });
    connect(process, &QProcess::errorOccurred, this, [this, process](QProcess::ProcessError e) {
        if (e == QProcess::FailedToStart && process == m_process) {
            m_attached = false;
            setState(State::Failed, tr("cannot run %1: %2").arg(m_program, process->errorString()));
        }
    });
    m_attached = true;
    setState(State::Following, m_mode == Mode::Container ? tr("following %1").arg(m_container)
                                                         : tr("following %1").arg(m_program));
    process->start(m_program, args);
}

void LogFollower::readProcess()
{
    if (!m_process)
        return;
    m_pending.append(m_process->readAll());
    scheduleBatch();
}

void LogFollower::onLogsFinished()
{
    m_pending.append(m_process->readAll());
    const int code = m_process->exitCode();
    const bool crashed = m_process->exitStatus() != QProcess::NormalExit;
    m_process->deleteLater();
    m_process = nullptr;
    m_attached = false;
    // Everything the stream delivered goes before any marker.
    if (m_pendingPos < m_pending.size())
        appendLines(QByteArrayView(m_pending).sliced(m_pendingPos));
    m_pending.clear();
    m_pendingPos = 0;
    if (m_lines.hasPartialLine())
        appendLines(QByteArrayView("\n"));
    m_store->flushNotifications();
    if (m_mode == Mode::Container) {
        inspectContainer();
    } else {
        setState(crashed || code != 0 ? State::Failed : State::Stopped,
                 crashed ? tr("%1 crashed").arg(m_program)
                         : tr("%1 exited with code %2").arg(m_program).arg(code));
    }
}

void LogFollower::pollFile()
{
    if (m_mode != Mode::File)
        return;
    LogFileTail::Chunk chunk = m_file.read(FileReadBytes);
    if (!chunk.exists) {
        setState(State::Waiting, tr("waiting for %1").arg(m_path));
        m_pollTimer.start(m_pollMs);
        return;
    }
    if (chunk.restarted) {
        processPending();
        m_pending.clear();
        m_pendingPos = 0;
        m_lines.clear();
        ++m_restarts;
        m_store->appendMarker(LogFileTail::restartMarker(m_path));
        m_store->flushNotifications();
        emit restarted();
    }
    if (!chunk.data.isEmpty()) {
        m_pending.append(chunk.data);
        scheduleBatch();
    }
    setState(State::Following, tr("following %1").arg(m_path));
    // Poll again soon when more is waiting, else at the batch rate.
    m_pollTimer.start(chunk.more ? 0 : qMin(m_pollMs, 100));
}

void LogFollower::scheduleBatch()
{
    if (!m_batchTimer.isActive())
        m_batchTimer.start(m_batchMs);
}

void LogFollower::processPending()
{
    QElapsedTimer timer;
    timer.start();
    while (m_pendingPos < m_pending.size() && timer.elapsed() < SliceBudgetMs) {
        const qsizetype n = qMin(SliceBytes, m_pending.size() - m_pendingPos);
        appendLines(QByteArrayView(m_pending).sliced(m_pendingPos, n));
        m_pendingPos += n;
    }
    if (m_pendingPos >= m_pending.size()) {
        m_pending.clear();
        m_pendingPos = 0;
    } else if (m_pendingPos > 16 * 1024 * 1024) {
        m_pending.remove(0, m_pendingPos);
        m_pendingPos = 0;
    }
    m_store->flushNotifications();
    if (m_pendingPos < m_pending.size())
        m_batchTimer.start(0); // more waiting: continue after the event loop had its turn
}

void LogFollower::appendLines(QByteArrayView data)
{
    LogLineParser &parser = m_store->parser();
    ParsedLogLine parsed;
    m_lines.feed(data, [&](QByteArrayView raw) {
        parser.parse(raw, parsed);
        if (parsed.dockerTimeNs >= 0) {
            if (parsed.dockerTimeNs <= m_skipUpToNs)
                return; // repeated by `--since` after re-attaching
            m_lastNs = qMax(m_lastNs, parsed.dockerTimeNs);
        }
        if (m_sinceMs >= 0) {
            // Cleared by the user: skip older entries, tracebacks included.
            if (!(parsed.flags & LogLineFlag::Continuation))
                m_skippingEntry = parsed.timestampMs >= 0 && parsed.timestampMs < m_sinceMs;
            if (m_skippingEntry)
                return;
        }
        m_store->appendParsed(parsed);
    });
}
