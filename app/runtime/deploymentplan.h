#pragma once

#include "app/runtime/serversettings.h"
#include "models/deploymentspec.h"
#include "models/endpointspec.h"
#include "models/result.h"

#include <QJsonObject>
#include <QMap>
#include <QString>

// What a create/update asks for beyond the YAML: the command line's flags, the studio's
// checkboxes and confirmations.
struct DeployOptions
{
    bool enableGpu = false; // --local-enable-gpu: the host's GPUs go to the server
    // The user confirmed sources in sensitive places or symbolic links leading out of them
    // (SourceCheck); without it such a deploy stops before anything runs.
    bool allowSensitiveSources = false;
};

// A deployment spec turned into what a runtime executes: absolute host paths, the image or
// how to build it (tagged by a hash of the environment), container names, paths inside the app
// folder, environment variables, routes, probe timings, and the server's settings and limits.
struct DeploymentPlan
{
    enum class ImageSource {
        Image,       // environment.image as is
        Build,       // build.path + dockerfile_path
        CondaRecipe, // image + conda_file: Azure's generated Dockerfile
    };

    QString endpoint;
    QString deployment;
    QString sourceYaml;
    QString endpointYaml;

    ImageSource imageSource = ImageSource::Image;
    QString baseImage;            // environment.image
    QString buildContext;         // absolute, for Build
    QString dockerfilePath;       // absolute, for Build
    QString condaFile;            // absolute, for CondaRecipe
    QString environmentHash;      // over image name, Dockerfile, context files, conda file
    QString imageTag;             // the image the server runs (built tag or baseImage)
    bool customContainer = false; // inference_config: the image's own command and routes

    QString modelPath;    // absolute host path (file or folder); empty without a model
    QString modelName;    // as the YAML says (records, labels)
    QString modelVersion; // as the YAML says
    // modelName and modelVersion as the folders they become (DataFolder::component()).
    QString modelNameFolder() const;
    QString modelVersionFolder() const;
    QString codePath;      // absolute host folder; empty without code_configuration
    QString scoringScript; // relative to codePath
    // The user confirmed symbolic links leading out of the model or code folder: the storage
    // initializer follows them (otherwise it refuses them).
    bool followLinksOut = false;

    int containerPort = 5001;
    QString scoringPath = QStringLiteral("/score");
    QString readinessPath = QStringLiteral("/");
    int readinessPort = 5001;
    QString livenessPath = QStringLiteral("/");
    ProbeSettings readinessProbe;
    // Workers, timeouts, liveness probe, limits from instance_type (capped to this machine).
    ServerSettings settings;
    QMap<QString, QString> userEnvironment;
    QString specHash; // environment hash + model/code paths + settings: what "unchanged" means
    QJsonObject deploymentData;
    QJsonObject endpointData;
    QByteArray deployedYaml; // the deployment YAML as deployed (edits applied)

    QString serverContainer() const { return endpoint + u'.' + deployment; }
    QString initializerContainer() const;
    QString volumeName() const;

    // Paths as the server sees them, relative to the app root (/var/azureml-app or a folder).
    QString modelDirIn(const QString &appRoot) const;
    QString appRootIn(const QString &appRoot) const;
    QString entryScript() const;
    // AZUREML_MODEL_DIR, AML_APP_ROOT, AZUREML_ENTRY_SCRIPT for appRoot, then the YAML's
    // environment_variables over them (the user wins, as in Azure).
    QMap<QString, QString> environmentFor(const QString &appRoot) const;

    // Empty when `name` can name an endpoint or deployment here; else why not. The names make
    // the container <endpoint>.<deployment>, so they follow the container engine's rule
    // ([a-zA-Z0-9][a-zA-Z0-9_.-]*), which az ml --local meets the same way (it creates a
    // container of that name); a name it refuses never reaches the engine or a path.
    static QString nameProblem(const QString &what, const QString &name);

    // Fails with the missing artifact named as Azure names it, or a name that cannot be used.
    static Result<DeploymentPlan> fromSpec(const DeploymentSpec &spec,
                                           const std::optional<EndpointSpec> &endpoint,
                                           const DeployOptions &options = {});
    // The tag an environment with this hash builds to.
    static QString builtImageTag(const QString &environmentHash);
};
