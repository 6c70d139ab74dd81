#pragma once

#include "app/runtime/deploymentinfo.h"
#include "app/runtime/deploymentplan.h"
#include "app/runtime/endpointinfo.h"
#include "models/deploymentspec.h"
#include "models/endpointspec.h"

#include <QHash>
#include <QList>
#include <QMap>
#include <QObject>
#include <QPointer>
#include <QString>

#include <functional>
#include <memory>
#include <optional>

class ContainerRuntime;
class DeploymentStore;
class Deployer;

// The local endpoints and deployments of this machine, and every operation on them. All calls
// return at once; the work runs on QProcesses and QNetworkAccessManager in the caller's event
// loop (GUI or CLI), reporting through signals. One operation per deployment at a time.
//
// State is rebuilt by refresh() from container labels (Docker) or pid files and health checks
// (process runtime) plus the records in dataDir(); call it once before reading the lists.
class DeploymentManager : public QObject
{
    Q_OBJECT
public:
    using OperationId = quint64;

    enum class RuntimeChoice {
        Automatic, // Docker when its engine answers; otherwise the process runtime
        Docker,
        Process,
    };

    // Why an operation failed, for exit codes and UI choices.
    enum class ErrorKind {
        None,
        Failed,            // the deployment failed (the message says why)
        NotFound,          // no such endpoint or deployment
        EngineUnreachable, // the container engine is missing or not answering
        InvalidSpec,       // the YAML could not be used (missing file, no image, …)
        Canceled,
        Busy, // another operation is running on the same deployment
        // The sources need the user's confirmation (SourceCheck): nothing ran; deploy again
        // with DeployOptions::allowSensitiveSources once the user agreed.
        NeedsConfirmation,
    };

    struct Options
    {
        RuntimeChoice runtime = RuntimeChoice::Automatic;
        QString containerProgram; // empty: $STUDIO_DOCKER, else "docker" ("podman" works)
        QString dataDir;          // empty: defaultDataDir()
        QString python;           // process runtime; empty: /usr/bin/python3, else python3
        // Probe the liveness route of each ready deployment and restart a server that fails it
        // failure_threshold times (as Azure does); for processes that live on (the studio).
        bool watchLiveness = true;
    };

    explicit DeploymentManager(QObject *parent = nullptr);
    explicit DeploymentManager(const Options &options, QObject *parent = nullptr);
    ~DeploymentManager() override;

    // $XDG_DATA_HOME/endpoint-studio, or ~/.local/share/endpoint-studio (made 0700).
    static QString defaultDataDir();
    // "automatic" | "docker" | "process"; std::nullopt for anything else.
    static std::optional<RuntimeChoice> runtimeChoiceFromName(const QString &name);

    QString dataDir() const;
    const Options &options() const;
    QString containerProgram() const;

    // The runtime new deployments go to. Decided by the first refresh() (Automatic probes the
    // engine); always shown to the user.
    RuntimeKind runtimeKind() const;
    bool runtimeResolved() const;
    // Empty when the container engine answers; otherwise one message saying whether the
    // program is missing or the daemon is not answering, with the command that fixes it.
    QString engineProblem() const;

    OperationId refresh();
    OperationId createOrUpdateEndpoint(const QString &endpointYaml);
    OperationId createOrUpdateEndpoint(const EndpointSpec &spec);
    // Create or update. endpointYaml (optional) supplies the endpoint's metadata; a missing
    // endpoint is created implicitly, as `az ml online-deployment create --local` does.
    OperationId deploy(const QString &deploymentYaml, const QString &endpointYaml = {},
                       const DeployOptions &options = {});
    // The same from an already parsed spec (spec.filePath must be set: paths resolve from it).
    OperationId deploy(const DeploymentSpec &spec,
                       const std::optional<EndpointSpec> &endpoint = std::nullopt,
                       const DeployOptions &options = {});
    // Replace the endpoint's traffic split (deployment -> percent).
    OperationId setTraffic(const QString &endpoint, const QMap<QString, int> &traffic);
    // Removes the deployment's containers, volume and data; images are kept.
    OperationId deleteDeployment(const QString &endpoint, const QString &deployment);
    // Removes every deployment of the endpoint, then its metadata.
    OperationId deleteEndpoint(const QString &endpoint);
    // Stops a running operation: its processes are killed and it finishes as Canceled.
    bool cancel(OperationId op);

    QList<EndpointInfo> endpoints() const;
    std::optional<EndpointInfo> endpoint(const QString &name) const;
    QList<DeploymentInfo> deployments(const QString &endpoint = {}) const; // sorted by key
    std::optional<DeploymentInfo> deployment(const QString &endpoint,
                                             const QString &deployment) const;

    bool isRunning(OperationId op) const;
    ErrorKind errorKind(OperationId op) const;
    // What a finished operation failed with (also when it finished before anyone waited).
    QString errorMessage(OperationId op) const;

signals:
    // phase: "resolve-image", "build", "stage", "start", "wait-ready", "delete", "refresh";
    // percent: 0..100, or -1 when unknown.
    void progress(quint64 op, const QString &endpoint, const QString &deployment,
                  const QString &phase, const QString &message, int percent);
    void stateChanged(const DeploymentInfo &info);
    void endpointChanged(const EndpointInfo &info);
    void deploymentRemoved(const QString &endpoint, const QString &deployment);
    void endpointRemoved(const QString &endpoint);
    void refreshed();
    void runtimeChanged(RuntimeKind kind, const QString &engineProblem);
    void finished(quint64 op, bool ok, const QString &error);

private:
    struct Private;
    OperationId beginOperation(const QString &key);
    void finishOperation(OperationId op, bool ok, const QString &error, ErrorKind kind);
    void finishLater(OperationId op, bool ok, const QString &error, ErrorKind kind);
    QObject *scopeOf(OperationId op) const;
    bool busy(const QString &key) const;
    void checkEngine(QObject *scope, std::function<void()> done);
    void resolveRuntime(QObject *scope, std::function<void(ContainerRuntime *, QString)> done);
    void mergeObserved(const QList<DeploymentInfo> &docker, bool dockerOk,
                       const QList<DeploymentInfo> &process);
    void updateEndpoint(const QString &name, bool notify);
    void checkHealth(QObject *scope, std::function<void()> done);
    void saveEndpointFromSpec(const EndpointSpec &spec, QString *error);
    void removeDeployment(QObject *scope, const QString &key,
                          std::function<void(QString error)> done);
    ContainerRuntime *runtimeFor(RuntimeKind kind) const;
    // Starts or stops the liveness monitor of a deployment as its state says.
    void syncLiveness(const QString &key);
    void restartAfterLiveness(const QString &key, const QString &reason);

    std::unique_ptr<Private> d;
};
