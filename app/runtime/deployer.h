#pragma once

#include "app/runtime/containerruntime.h"
#include "app/runtime/deploymentinfo.h"
#include "app/runtime/deploymentplan.h"

#include <QElapsedTimer>
#include <QObject>
#include <QPointer>
#include <QTimer>

#include <functional>

class ReadinessProbe;

// One create/update of one deployment: resolve image → build → stage → start → wait ready,
// with progress per phase, the timeline, and a Failed reason a user can act on. Deleting the
// Deployer cancels it: every process it started is killed.
class Deployer : public QObject
{
    Q_OBJECT
public:
    using Progress = std::function<void(const QString &phase, const QString &message, int percent)>;
    using InfoChanged = std::function<void(const DeploymentInfo &info)>;
    using Done = std::function<void(bool ok, const QString &error)>;

    // `info` is the deployment as it is now (state Creating or Updating already set).
    Deployer(ContainerRuntime *runtime, const DeploymentPlan &plan, const DeploymentInfo &info,
             QObject *parent = nullptr);

    // The deployment was serving before this update: when the new server fails, the previous
    // staging is restored and served again (by the same server when only code or model
    // changed, else by one made as before). The state still ends Failed (as Azure reports a
    // failed update), with the reason saying so.
    void setRollbackAllowed(bool allowed) { m_rollbackAllowed = allowed; }

    void start(Progress progress, InfoChanged changed, Done done);
    const DeploymentInfo &info() const { return m_info; }

private:
    void beginPhase(const QString &phase, const QString &message);
    void endPhase();
    void report(const QString &phase, const QString &message, int percent);
    // A line of the deploy output that is not the phase's progress (settings, notes, server).
    void say(const QString &message);
    void fail(const QString &reason);
    void failWithLog(const QString &reason);
    void rollBack(const QString &reason);
    void stage(const QString &image);
    void waitReady();
    void watchServer();
    // Which server runs, read from the container's log when the runtime did not say.
    void learnServer(std::function<void()> then);
    void reportServer();
    void succeed(qint64 elapsedMs);

    ContainerRuntime *m_runtime;
    DeploymentPlan m_plan;
    DeploymentInfo m_info;
    QString m_image;
    Progress m_progress;
    InfoChanged m_changed;
    Done m_done;
    QString m_phase;
    QElapsedTimer m_phaseClock;
    QTimer m_watch;
    QPointer<ReadinessProbe> m_probe;
    bool m_inspecting = false;
    bool m_staged = false;
    bool m_started = false;
    bool m_finished = false;
    bool m_rollbackAllowed = false;
    bool m_reloaded = false; // the server was reloaded, not recreated
};
