#pragma once

#include "app/runtime/serversettings.h"
#include "models/provisioningstate.h"

#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QMap>
#include <QMetaType>
#include <QString>
#include <QStringList>

#include <optional>

// Where a deployment runs: containers on a Docker (or podman) engine, or host processes.
enum class RuntimeKind { Docker, Process };

QString runtimeKindName(RuntimeKind kind); // "docker" | "process"
std::optional<RuntimeKind> runtimeKindFromName(const QString &name);

// Container roles, as `get-logs --container` names them.
inline QString storageInitializerRole()
{
    return QStringLiteral("storage-initializer");
}
inline QString inferenceServerRole()
{
    return QStringLiteral("inference-server");
}

// One of a deployment's two containers (or, on the process runtime, processes).
struct ContainerInfo
{
    QString role;   // storageInitializerRole() | inferenceServerRole()
    QString name;   // <endpoint>.<deployment>[.storage-initializer]
    QString id;     // Docker container id; process runtime: the pid
    QString status; // Docker's status (created, running, exited, …), or running | exited | missing
    int exitCode = -1;
    QString logFile;        // process runtime: the file holding its output; empty on Docker
    bool oomKilled = false; // Docker: the kernel killed a process of it for memory
};

// One phase of the last create/update: resolve-image, build, stage, start, wait-ready.
struct PhaseTiming
{
    QString phase;
    QDateTime started;      // UTC
    qint64 durationMs = -1; // -1 while running
    QString message;        // last progress message of the phase
};

// Everything known about one local deployment: what the tree, the status tab, the log panel,
// the invoke panel and `endpointctl … show` display.
struct DeploymentInfo
{
    QString endpoint;
    QString deployment;
    ProvisioningState state = ProvisioningState::Unknown;
    QString failureReason; // set when state is Failed (or Unknown because the engine is gone)
    QString scoringUri;    // http://localhost:<port><scoring path>; empty until started
    QString readinessUri;  // what the readiness probe polls
    QString livenessUri;   // what the liveness probe polls once ready
    QString image;         // the image the server runs (built tag or environment.image)
    RuntimeKind runtime = RuntimeKind::Docker;
    QString containerProgram; // docker CLI to use (docker, podman, a path); empty for process
    QList<ContainerInfo> containers;
    int hostPort = 0;
    int containerPort = 5001;
    QMap<QString, QString> environment; // variables passed to the inference server
    QList<PhaseTiming> timeline;
    QString sourceYaml;   // deployment YAML; empty when it was created elsewhere (az ml --local)
    QString endpointYaml; // endpoint YAML when known
    int traffic = 0;      // percent of the endpoint's traffic
    bool createdByAzureMl = false; // a container of `az ml … --local`: listed, not managed
    QString specHash;              // hash of the deployment spec that was deployed
    QString imageHash;             // hash of the environment (tags built images)
    QDateTime createdAt;           // UTC
    QDateTime updatedAt;           // UTC
    QJsonObject deploymentData;    // the deployment as a dict (the `deployment-data` label)
    ServerSettings settings;       // server kind, workers, timeouts, limits
    int restartCount = 0;          // restarts after failed liveness probes
    QString lastRestartReason;
    QDateTime lastRestartAt; // UTC
    // The deployment YAML as deployed: the file with the --set edits of the create and updates
    // that made it. `online-deployment update` without -f starts from it.
    QByteArray deployedYaml;

    QString key() const { return endpoint + u'/' + deployment; }
    const ContainerInfo *container(const QString &role) const;

    // `<containerProgram> <logsArguments(…)>` prints a Docker container's log; empty on the
    // process runtime, where logFile(role) holds the output instead.
    QStringList logsArguments(const QString &role, int tail = 5000, bool follow = false,
                              bool timestamps = false) const;
    QString logFile(const QString &role) const;

    // The shape of `az ml online-deployment show --local` (deploymentData plus name,
    // endpoint_name, instance_type "local", provisioning_state, scoring_uri) and the studio's
    // own fields under "studio" (runtime, image, containers, failure reason, timeline).
    QJsonObject toJson() const;
};

Q_DECLARE_METATYPE(DeploymentInfo)
