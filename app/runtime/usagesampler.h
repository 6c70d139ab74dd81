#pragma once

#include "app/runtime/deploymentinfo.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QHash>
#include <QObject>
#include <QPointer>
#include <QTimer>

class AsyncProcess;

// Live CPU and memory of one deployment's inference server, about once a second while
// started: `docker stats` (one streaming process) on Docker; /proc on the process runtime,
// summed over the server and its worker processes.
class UsageSampler : public QObject
{
    Q_OBJECT
public:
    struct Sample
    {
        QDateTime at;           // UTC
        double cpuPercent = 0;  // of one CPU: 200 is two CPUs busy
        qint64 memoryBytes = 0; // in use
        qint64 limitBytes = 0;  // what it may use (the memory limit, else the machine's)
    };

    explicit UsageSampler(QObject *parent = nullptr);
    ~UsageSampler() override;

    // Samples this deployment's server (stops sampling any other).
    void start(const DeploymentInfo &info);
    void stop();
    bool isRunning() const { return m_running; }
    QString target() const { return m_key; }

    // "12.5%" → 12.5; "772KiB / 256MiB" → (790528, 268435456). Docker's formats.
    static double parsePercent(const QString &text);
    static qint64 parseBytes(const QString &text);

signals:
    void sampled(const UsageSampler::Sample &sample);
    void unavailable(const QString &why);

private:
    void sampleProcesses();
    void onStatsLine(const QString &line);

    bool m_running = false;
    QString m_key;
    DeploymentInfo m_info;
    QPointer<QObject> m_scope; // owns the docker stats process
    QTimer m_timer;
    qint64 m_pid = 0;
    qint64 m_lastTicks = -1;
    QElapsedTimer m_clock;
};

Q_DECLARE_METATYPE(UsageSampler::Sample)
