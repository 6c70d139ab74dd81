#pragma once

#include "app/runtime/containerruntime.h"

#include <QJsonArray>

// Deployments as Docker containers through the docker CLI (any CLI with docker's arguments:
// `podman` works as a drop-in). DOCKER_HOST and the rest of the environment pass through.
class DockerRuntime : public ContainerRuntime
{
    Q_OBJECT
public:
    // program: "docker", "podman" or a path; dataDir holds generated build folders.
    DockerRuntime(const QString &program, const QString &dataDir, QObject *parent = nullptr);

    void setScoringDir(const QString &dir) { m_scoringDir = dir; }

    RuntimeKind kind() const override { return RuntimeKind::Docker; }
    QString program() const override { return m_program; }

    void checkAvailable(QObject *scope, Callback<bool> done) override;
    void prepareImage(QObject *scope, const DeploymentPlan &plan, Progress progress,
                      Callback<QString> done) override;
    void stage(QObject *scope, const DeploymentPlan &plan, const QString &image, Progress progress,
               Callback<ContainerInfo> done) override;
    void startServer(QObject *scope, const DeploymentPlan &plan, const QString &image, int hostPort,
                     Callback<StartedServer> done) override;
    // Overlapped: the server container starts (or, when its configuration is unchanged, is
    // told to reload with SIGHUP) while the initializer stages; a small supervisor inside it
    // waits for the staging to complete before it runs the scoring server.
    void stageAndStart(QObject *scope, const DeploymentPlan &plan, const QString &image,
                       int hostPort, Progress progress, Callback<ContainerInfo> staged,
                       Callback<StartedServer> started) override;
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

    // The message for an engine that cannot be used: program missing vs daemon not answering.
    static QString unreachableMessage(const QString &program, bool programMissing,
                                      const QString &detail);
    // Deployments from `docker inspect` output (the JSON array).
    static QList<DeploymentInfo> deploymentsFromInspect(const QJsonArray &containers,
                                                        const QString &program);

private:
    void rerunPrevious(QObject *scope, const DeploymentPlan &plan, const QStringList &args,
                       Callback<StartedServer> done);
    void ensureImage(QObject *scope, const QString &image, Progress progress,
                     Callback<QString> done);
    void build(QObject *scope, const DeploymentPlan &plan, Progress progress,
               Callback<QString> done);
    void buildFrom(QObject *scope, const QString &tag, const QString &dockerfile,
                   const QString &context, const DeploymentPlan &plan, Progress progress,
                   Callback<QString> done);
    void runServer(QObject *scope, const DeploymentPlan &plan, const QString &image, int hostPort,
                   bool retryOnPortClash, Callback<StartedServer> done);
    QStringList initializerArguments(const DeploymentPlan &plan, const QString &image) const;
    QStringList serverArguments(const DeploymentPlan &plan, const QString &image,
                                int hostPort) const;
    void runInitializer(QObject *scope, const DeploymentPlan &plan, const QStringList &args,
                        bool reuse, Progress progress, Callback<ContainerInfo> done);
    QString runDir(const DeploymentPlan &plan) const;
    // Writes the moment staging begins (the server's supervisor waits for a newer manifest);
    // the error, or empty.
    QString markStagingStarted(const DeploymentPlan &plan) const;

    QString m_program;
    QString m_dataDir;
    QString m_scoringDir;
};
