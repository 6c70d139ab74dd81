#pragma once

#include "app/runtime/deploymentinfo.h"
#include "app/runtime/deploymentplan.h"
#include "models/result.h"

#include <QObject>
#include <QString>

#include <functional>

// What the deployer needs from a place that runs deployments: Docker (or podman) containers,
// or host processes. Every call returns at once and answers through its callback; `scope`
// owns the work, so deleting it cancels (kills the processes, drops the callback).
class ContainerRuntime : public QObject
{
    Q_OBJECT
public:
    using Progress = std::function<void(const QString &phase, const QString &message, int percent)>;
    template<typename T>
    using Callback = std::function<void(Result<T>)>;

    struct StartedServer
    {
        ContainerInfo container;
        int hostPort = 0;
        QMap<QString, QString> environment;
        // The running server was kept and reloaded (an update of code or model only), so going
        // back to the previous staging restores the previous version whole.
        bool reloaded = false;
        // Which server runs, when the runtime chose it (the process runtime); Unknown when it
        // is chosen inside the container (serverFromLog reads the supervisor's line).
        ServerKind server = ServerKind::Unknown;
        QString serverProgram;
    };

    using QObject::QObject;

    virtual RuntimeKind kind() const = 0;
    // The program behind it: the container CLI, or the host's python3.
    virtual QString program() const = 0;

    // Empty string when usable; otherwise why not and how to fix it.
    virtual void checkAvailable(QObject *scope, Callback<bool> done) = 0;
    // What this runtime cannot apply of the settings (limits it has no means for) is taken
    // out and said in the notes.
    virtual void adjustSettings(ServerSettings &settings) const { Q_UNUSED(settings) }
    // Resolves (pulls, builds) the image the server runs; answers its reference.
    virtual void prepareImage(QObject *scope, const DeploymentPlan &plan, Progress progress,
                              Callback<QString> done) = 0;
    // Copies model, code and the scoring server into the deployment's app folder/volume.
    virtual void stage(QObject *scope, const DeploymentPlan &plan, const QString &image,
                       Progress progress, Callback<ContainerInfo> done) = 0;
    // Replaces the running server (if any) with a new one; hostPort 0 picks a free port.
    virtual void startServer(QObject *scope, const DeploymentPlan &plan, const QString &image,
                             int hostPort, Callback<StartedServer> done) = 0;
    // stage() then startServer(), reporting each as it completes. A runtime may overlap them
    // (Docker does: the server waits inside its container for the staging to complete), so
    // `started` can come before `staged`. After a failure neither callback is called again.
    virtual void stageAndStart(QObject *scope, const DeploymentPlan &plan, const QString &image,
                               int hostPort, Progress progress, Callback<ContainerInfo> staged,
                               Callback<StartedServer> started);
    // After an update whose new server failed: puts back the staging the storage initializer
    // kept (one generation) and runs the server on it again: the same one when the update
    // reloaded it (`reloaded`), else one made as the previous server was. Fails when there is
    // nothing to go back to.
    virtual void restorePrevious(QObject *scope, const DeploymentPlan &plan, const QString &image,
                                 int hostPort, bool reloaded, Callback<StartedServer> done) = 0;
    // The server's current status (running, exited with its code, missing).
    virtual void inspectServer(QObject *scope, const QString &endpoint, const QString &deployment,
                               Callback<ContainerInfo> done) = 0;
    // The last `lines` lines of a container's output (stdout and stderr merged).
    virtual void tail(QObject *scope, const ContainerInfo &container, int lines,
                      Callback<QString> done) = 0;
    // Removes both containers and the volume (or processes and staged folder).
    virtual void removeDeployment(QObject *scope, const QString &endpoint,
                                  const QString &deployment, Callback<bool> done) = 0;
    // Every deployment this runtime can see, as observed (containers, ports, labels); the
    // manager merges these with its records.
    virtual void list(QObject *scope, Callback<QList<DeploymentInfo>> done) = 0;
    // Restarts a deployment's server as it was (after a failed liveness probe): same
    // container or process settings, same port, same staged app.
    virtual void restartServer(QObject *scope, const DeploymentInfo &info,
                               Callback<StartedServer> done) = 0;

    // The server a container's supervisor started last, from its log: its
    // "studio-supervisor: server=<kind> program=<path>" line.
    static bool serverFromLog(const QString &log, ServerKind *kind, QString *program);
};
