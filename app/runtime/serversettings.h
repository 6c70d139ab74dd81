#pragma once

#include "app/runtime/instancetypes.h"
#include "models/deploymentspec.h"

#include <QJsonObject>
#include <QString>
#include <QStringList>

#include <optional>

// Which program serves a deployment's scoring script.
enum class ServerKind {
    Unknown,         // not started yet, or a container of `az ml --local`
    AzureServer,     // the environment's own azmlinfsrv (azureml-inference-server-http)
    BuiltIn,         // the studio's scoring server, standing in: the environment has none
    CustomContainer, // inference_config: the image's own command
};

// "azmlinfsrv" | "built-in" | "custom-container" | "unknown", as `show` prints it.
QString serverKindName(ServerKind kind);
ServerKind serverKindFromName(const QString &name);

// What this machine has, for capping an instance type's limits.
struct HostResources
{
    int cpus = 1;
    qint64 memoryBytes = 0;
    static HostResources local();
};

// What a deployment's inference server runs with: the server, its workers and timeouts (from
// environment_variables, with azmlinfsrv's defaults), the liveness probe, and the resource
// limits taken from instance_type, capped to the host. Shown in the Status tab and `show`.
struct ServerSettings
{
    static constexpr int defaultPidsLimit = 4096;

    ServerKind server = ServerKind::Unknown;
    QString serverProgram; // azmlinfsrv's path, or the python that runs the built-in server
    int workerCount = 1;
    int workerTimeoutS = 300;
    qint64 scoringTimeoutMs = 3600000;
    ProbeSettings liveness;
    QString instanceType;            // as written in the YAML
    std::optional<InstanceType> sku; // when the studio knows it
    double cpus = 0;                 // CPU limit applied; 0: none
    qint64 memoryBytes = 0;          // memory limit applied; 0: none
    int pidsLimit = 0;               // process limit applied; 0: none
    bool gpu = false;                // the host's GPUs are passed to the server
    QStringList notes;               // capped to the host, unknown size, what was not applied

    // What a built-in server is marked with.
    static QString notInEnvironmentNote();
    // From environment_variables, liveness_probe and instance_type; limits capped to `host`.
    static ServerSettings fromSpec(const DeploymentSpec &spec, bool enableGpu,
                                   const HostResources &host);

    // "7 GiB" (GiB with up to two decimals), or "" without a limit.
    static QString bytesText(qint64 bytes);
    // "2 CPUs, 7 GiB memory, 4096 processes" or "none".
    QString limitsText() const;
    // The Failed reason of an out-of-memory kill, naming the instance type and its memory;
    // `what` is how it ended ("OOMKilled", "MemoryError").
    QString oomReason(const QString &what = QStringLiteral("OOMKilled")) const;
    // Why --local-enable-gpu cannot work here, or empty. As azure-ai-ml's local mode
    // (_local_endpoints/docker_client.py), it first checks that nvidia-smi exists.
    QString gpuProblem() const;

    QJsonObject toJson() const;
    static ServerSettings fromJson(const QJsonObject &o);
};
