#pragma once

#include "app/runtime/containerruntime.h"

// Deployments as host processes, for machines without a container engine. The storage
// initializer stages into <data>/deployments/<ep>/<dep>/app; the scoring server runs with the
// host's python3 in its own session (it outlives the studio) on a free 127.0.0.1 port. Each
// "container" writes <data>/deployments/<ep>/<dep>/logs/<container name>.log; the server's pid
// and port are kept in <container name>.pid next to it.
class ProcessRuntime : public ContainerRuntime
{
    Q_OBJECT
public:
    ProcessRuntime(const QString &python, const QString &dataDir, QObject *parent = nullptr);

    void setScoringDir(const QString &dir) { m_scoringDir = dir; }
    // /usr/bin/python3 when present (the PATH one may be a slow shim), else python3.
    static QString defaultPython();

    RuntimeKind kind() const override { return RuntimeKind::Process; }
    QString program() const override { return m_python; }

    void checkAvailable(QObject *scope, Callback<bool> done) override;
    void prepareImage(QObject *scope, const DeploymentPlan &plan, Progress progress,
                      Callback<QString> done) override;
    void stage(QObject *scope, const DeploymentPlan &plan, const QString &image, Progress progress,
               Callback<ContainerInfo> done) override;
    void startServer(QObject *scope, const DeploymentPlan &plan, const QString &image, int hostPort,
                     Callback<StartedServer> done) override;
    void restorePrevious(QObject *scope, const DeploymentPlan &plan, const QString &image,
                         int hostPort, bool reloaded, Callback<StartedServer> done) override;
    void inspectServer(QObject *scope, const QString &endpoint, const QString &deployment,
                       Callback<ContainerInfo> done) override;
    void tail(QObject *scope, const ContainerInfo &container, int lines,
              Callback<QString> done) override;
    void removeDeployment(QObject *scope, const QString &endpoint, const QString &deployment,
                          Callback<bool> done) override;
    void list(QObject *scope, Callback<QList<DeploymentInfo>> done) override;
    void restartServer(QObject *scope, const DeploymentInfo &info,
                       Callback<StartedServer> done) override;
    // CPU and process limits need a container's cgroup: taken out, with a note. Memory is
    // limited per server process (RLIMIT_DATA).
    void adjustSettings(ServerSettings &settings) const override;

    // The environment's azmlinfsrv: next to the python (a venv's or conda env's bin folder;
    // /usr/local/bin for the system python), or empty.
    QString azureServer() const;

    QString deploymentDir(const QString &endpoint, const QString &deployment) const;
    QString logFile(const QString &endpoint, const QString &deployment,
                    const QString &containerName) const;
    // The last `lines` lines of a text file.
    static QString tailFile(const QString &path, int lines);

private:
    // logMarker: appended to the server's log instead of starting a new one; environment:
    // instead of the plan's (a restored previous version).
    void launchServer(QObject *scope, const DeploymentPlan &plan, int hostPort,
                      const QByteArray &logMarker, const QMap<QString, QString> &environment,
                      Callback<StartedServer> done);
    struct PidFile
    {
        qint64 pid = 0;
        int port = 0;
    };
    PidFile readPidFile(const QString &endpoint, const QString &deployment) const;
    QString pidFilePath(const QString &endpoint, const QString &deployment) const;
    static bool serverAlive(qint64 pid);
    // SIGTERM, then SIGKILL after a grace period; calls back once the process is gone.
    static void stopProcess(QObject *scope, qint64 pid, std::function<void()> done);

    QString m_python;
    QString m_dataDir;
    QString m_scoringDir;
};
