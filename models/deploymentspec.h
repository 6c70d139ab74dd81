#pragma once

#include "models/diagnostic.h"

#include <QByteArray>
#include <QMap>
#include <QString>
#include <QVariantMap>

#include <optional>

class YamlDocument;

// Probe timings in seconds, with Azure's defaults.
struct ProbeSettings
{
    int initialDelay = 10;
    int period = 10;
    int timeout = 2;
    int successThreshold = 1;
    int failureThreshold = 30;
};

struct RequestSettings
{
    int requestTimeoutMs = 5000;
    int maxConcurrentRequestsPerInstance = 1;
    int maxQueueWaitMs = 500;
};

struct ScaleSettings
{
    // managed: default (the only value); Kubernetes: default | target_utilization, whose
    // default is target_utilization. fromDocument fills it for the flavour.
    QString type;
    int minInstances = 1;
    int maxInstances = 1;
    int targetUtilizationPercentage = 70;
    int pollingInterval = 1;
};

struct Route
{
    int port = 0;
    QString path;
};

// environment.inference_config: custom containers serve their own routes.
struct InferenceConfig
{
    Route liveness;
    Route readiness;
    Route scoring;
};

struct ModelSpec
{
    QString reference; // "azureml:name:version" or a registry URI when the model is a string
    QString path;      // as written, relative to the YAML's folder
    QString name;
    QString version;
    QString type = QStringLiteral("custom_model");
    QString description;
    QMap<QString, QString> tags;

    bool isReference() const { return !reference.isEmpty(); }
};

struct CodeConfiguration
{
    QString code;          // folder, relative to the YAML's folder (or an azureml: asset)
    QString scoringScript; // relative to code
};

struct EnvironmentSpec
{
    QString reference; // when environment is a string: azureml:… or a registry URI
    QString image;
    QString condaFile;                                     // path relative to the YAML's folder
    QString buildPath;                                     // build.path
    QString dockerfilePath = QStringLiteral("Dockerfile"); // build.dockerfile_path
    std::optional<InferenceConfig> inferenceConfig;
    QString osType = QStringLiteral("linux");
    QString name;
    QString version;
    QString description;
    QVariantMap condaInline; // conda_file written as an inline map instead of a path

    bool isReference() const { return !reference.isEmpty(); }
};

// A managed or Kubernetes online deployment as written in its YAML. Defaults are Azure's.
struct DeploymentSpec
{
    QString filePath;      // absolute path of the YAML
    QByteArray sourceText; // the YAML text it was read from (with command-line edits applied)
    QString schema;
    bool kubernetes = false; // type: kubernetes, or the Kubernetes $schema
    QString name;
    QString endpointName;
    QString description;
    QMap<QString, QString> tags;
    QMap<QString, QString> properties;
    std::optional<ModelSpec> model;
    QString modelMountPath;
    std::optional<CodeConfiguration> codeConfiguration;
    std::optional<EnvironmentSpec> environment;
    QMap<QString, QString> environmentVariables;
    QString instanceType;
    int instanceCount = 1;
    bool appInsightsEnabled = false;
    QString egressPublicNetworkAccess = QStringLiteral("enabled");
    bool privateNetworkConnection = false;
    ScaleSettings scaleSettings;
    RequestSettings requestSettings;
    ProbeSettings livenessProbe;
    ProbeSettings readinessProbe;
    QVariantMap dataCollector;
    QMap<QString, QString> resourceRequests; // Kubernetes resources.requests
    QMap<QString, QString> resourceLimits;   // Kubernetes resources.limits

    // A path from the YAML made absolute against the YAML's folder.
    QString resolvePath(const QString &relative) const;
    // model.type mlflow_model, or a local model folder with an MLmodel file.
    bool hasMlflowModel() const;

    // Typed view of a parsed document. Values of the wrong type are left at their defaults
    // (the Validator reports them).
    static DeploymentSpec fromDocument(const YamlDocument &document);
};
