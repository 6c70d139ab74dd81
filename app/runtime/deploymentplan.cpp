#include "app/runtime/deploymentplan.h"

#include "app/runtime/datafolder.h"

#include <QCryptographicHash>
#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>

#include <algorithm>

namespace {

QString resolve(const QString &yamlPath, const QString &relative)
{
    if (relative.isEmpty())
        return {};
    if (QDir::isAbsolutePath(relative))
        return QDir::cleanPath(relative);
    const QString base =
        yamlPath.isEmpty() ? QDir::currentPath() : QFileInfo(yamlPath).absolutePath();
    return QDir::cleanPath(QDir(base).absoluteFilePath(relative));
}

QString missingArtifact(const QString &endpoint, const QString &deployment, const QString &what,
                        const QString &detail)
{
    QString message = QStringLiteral("Local endpoints only support local artifacts. Local "
                                     "deployment (%1 / %2) did not contain required local "
                                     "artifact '%3'")
                          .arg(endpoint, deployment, what);
    if (!detail.isEmpty())
        message += QStringLiteral(": ") + detail;
    return message + u'.';
}

void hashFile(QCryptographicHash &hash, const QString &path)
{
    QFile f(path);
    if (f.open(QIODevice::ReadOnly))
        hash.addData(&f);
}

QJsonObject mapToJson(const QMap<QString, QString> &map)
{
    QJsonObject o;
    for (auto it = map.cbegin(); it != map.cend(); ++it)
        o.insert(it.key(), it.value());
    return o;
}

QJsonObject probeToJson(const ProbeSettings &p)
{
    return {{QStringLiteral("initial_delay"), p.initialDelay},
            {QStringLiteral("period"), p.period},
            {QStringLiteral("timeout"), p.timeout},
            {QStringLiteral("success_threshold"), p.successThreshold},
            {QStringLiteral("failure_threshold"), p.failureThreshold}};
}

} // namespace

QString DeploymentPlan::initializerContainer() const
{
    return serverContainer() + QStringLiteral(".storage-initializer");
}

QString DeploymentPlan::volumeName() const
{
    return serverContainer() + QStringLiteral(".azureml-app");
}

QString DeploymentPlan::modelNameFolder() const
{
    return DataFolder::component(modelName);
}

QString DeploymentPlan::modelVersionFolder() const
{
    return DataFolder::component(modelVersion);
}

QString DeploymentPlan::modelDirIn(const QString &appRoot) const
{
    return appRoot + QStringLiteral("/azureml-models/") + modelNameFolder() + u'/' +
           modelVersionFolder();
}

QString DeploymentPlan::nameProblem(const QString &what, const QString &name)
{
    static const QRegularExpression allowed(QStringLiteral("^[a-zA-Z0-9][a-zA-Z0-9_.-]*$"));
    if (allowed.match(name).hasMatch() && name.size() <= 128)
        return {};
    QString shown = name;
    for (QChar &c : shown)
        if (c.unicode() < 0x20 || c.unicode() == 0x7f)
            c = QChar(0xfffd);
    return QStringLiteral("the %1 name '%2' cannot be used: local deployments run as the "
                          "container <endpoint>.<deployment>, whose name allows only letters, "
                          "digits, '_', '.' and '-' after a first letter or digit (at most 128 "
                          "characters). Azure ML asks more: 3 to 32 characters, a letter first, "
                          "then letters, digits and '-' (^[a-zA-Z]([-a-zA-Z0-9]*[a-zA-Z0-9])?$). "
                          "Rename it in the YAML.")
        .arg(what, shown);
}

QString DeploymentPlan::appRootIn(const QString &appRoot) const
{
    if (codePath.isEmpty())
        return appRoot;
    QString root = appRoot + u'/' + QFileInfo(codePath).fileName();
    const QString scriptDir = QFileInfo(scoringScript).path();
    if (!scriptDir.isEmpty() && scriptDir != u".")
        root += u'/' + scriptDir;
    return root;
}

QString DeploymentPlan::entryScript() const
{
    return QFileInfo(scoringScript).fileName();
}

QMap<QString, QString> DeploymentPlan::environmentFor(const QString &appRoot) const
{
    QMap<QString, QString> env;
    if (!modelPath.isEmpty())
        env.insert(QStringLiteral("AZUREML_MODEL_DIR"), modelDirIn(appRoot));
    if (!codePath.isEmpty()) {
        env.insert(QStringLiteral("AML_APP_ROOT"), appRootIn(appRoot));
        env.insert(QStringLiteral("AZUREML_ENTRY_SCRIPT"), entryScript());
    }
    for (auto it = userEnvironment.cbegin(); it != userEnvironment.cend(); ++it)
        env.insert(it.key(), it.value());
    return env;
}

QString DeploymentPlan::builtImageTag(const QString &environmentHash)
{
    return QStringLiteral("endpoint-studio/env:") + environmentHash;
}

Result<DeploymentPlan> DeploymentPlan::fromSpec(const DeploymentSpec &spec,
                                                const std::optional<EndpointSpec> &endpoint,
                                                const DeployOptions &options)
{
    DeploymentPlan plan;
    plan.deployment = spec.name;
    plan.endpoint = spec.endpointName;
    if (endpoint && plan.endpoint.isEmpty())
        plan.endpoint = endpoint->name;
    if (plan.deployment.isEmpty())
        return Result<DeploymentPlan>::failure(
            QStringLiteral("the deployment has no name; set `name:` in its YAML"));
    if (plan.endpoint.isEmpty())
        return Result<DeploymentPlan>::failure(
            QStringLiteral("deployment %1 has no endpoint_name; set it in the YAML or pass the "
                           "endpoint")
                .arg(plan.deployment));
    // Checked here, not only by the validator: a deploy with --skip-validation passes this too.
    if (QString problem = nameProblem(QStringLiteral("endpoint"), plan.endpoint);
        !problem.isEmpty())
        return Result<DeploymentPlan>::failure(problem);
    if (QString problem = nameProblem(QStringLiteral("deployment"), plan.deployment);
        !problem.isEmpty())
        return Result<DeploymentPlan>::failure(problem);
    plan.sourceYaml =
        spec.filePath.isEmpty() ? QString() : QFileInfo(spec.filePath).absoluteFilePath();
    plan.deployedYaml = spec.sourceText;
    plan.endpointYaml = endpoint ? endpoint->filePath : QString();
    const QString &ep = plan.endpoint;
    const QString &dep = plan.deployment;

    if (!spec.environment || spec.environment->isReference())
        return Result<DeploymentPlan>::failure(
            missingArtifact(ep, dep, QStringLiteral("environment.image or environment.build.path"),
                            spec.environment ? QStringLiteral("registered environments (%1) are "
                                                              "not available locally; write the "
                                                              "image or build folder inline")
                                                   .arg(spec.environment->reference)
                                             : QString()));
    const EnvironmentSpec &env = *spec.environment;
    QCryptographicHash envHash(QCryptographicHash::Sha256);
    // With both, az ml … --local uses the image (environment_validator.py
    // _get_local_environment_artifacts); Azure's cloud refuses both (a warning here).
    if (env.image.isEmpty() && !env.buildPath.isEmpty()) {
        plan.imageSource = ImageSource::Build;
        plan.buildContext = resolve(plan.sourceYaml, env.buildPath);
        if (!QFileInfo(plan.buildContext).isDir())
            return Result<DeploymentPlan>::failure(
                missingArtifact(ep, dep, QStringLiteral("environment.build.path"),
                                QStringLiteral("%1 is not a folder").arg(plan.buildContext)));
        plan.dockerfilePath =
            QDir(plan.buildContext)
                .absoluteFilePath(env.dockerfilePath.isEmpty() ? QStringLiteral("Dockerfile")
                                                               : env.dockerfilePath);
        if (!QFileInfo(plan.dockerfilePath).isFile())
            return Result<DeploymentPlan>::failure(
                missingArtifact(ep, dep, QStringLiteral("environment.build.dockerfile_path"),
                                QStringLiteral("%1 does not exist").arg(plan.dockerfilePath)));
        envHash.addData("build\n");
        hashFile(envHash, plan.dockerfilePath);
        QStringList files;
        QDirIterator it(plan.buildContext, QDir::Files | QDir::Hidden | QDir::NoDotAndDotDot,
                        QDirIterator::Subdirectories);
        while (it.hasNext())
            files << it.next();
        std::sort(files.begin(), files.end());
        for (const QString &f : files) {
            envHash.addData(
                QByteArray(QDir(plan.buildContext).relativeFilePath(f).toUtf8() + '\n'));
            hashFile(envHash, f);
        }
    } else if (!env.image.isEmpty()) {
        plan.baseImage = env.image;
        envHash.addData(QByteArray("image\n" + env.image.toUtf8() + '\n'));
        if (!env.condaFile.isEmpty() && !env.inferenceConfig) {
            plan.imageSource = ImageSource::CondaRecipe;
            plan.condaFile = resolve(plan.sourceYaml, env.condaFile);
            if (!QFileInfo(plan.condaFile).isFile())
                return Result<DeploymentPlan>::failure(
                    missingArtifact(ep, dep, QStringLiteral("environment.conda_file"),
                                    QStringLiteral("%1 does not exist").arg(plan.condaFile)));
            envHash.addData("conda\n");
            hashFile(envHash, plan.condaFile);
        }
    } else {
        return Result<DeploymentPlan>::failure(missingArtifact(
            ep, dep, QStringLiteral("environment.image or environment.build.path"), QString()));
    }
    plan.environmentHash = QString::fromLatin1(envHash.result().toHex().left(16));
    plan.imageTag = plan.imageSource == ImageSource::Image ? plan.baseImage
                                                           : builtImageTag(plan.environmentHash);

    if (env.inferenceConfig) {
        plan.customContainer = true;
        const InferenceConfig &ic = *env.inferenceConfig;
        plan.containerPort = ic.scoring.port > 0 ? ic.scoring.port : 5001;
        plan.scoringPath = ic.scoring.path.isEmpty() ? QStringLiteral("/score") : ic.scoring.path;
        plan.readinessPort = ic.readiness.port > 0 ? ic.readiness.port : plan.containerPort;
        plan.readinessPath = ic.readiness.path.isEmpty() ? QStringLiteral("/") : ic.readiness.path;
        plan.livenessPath = ic.liveness.path.isEmpty() ? QStringLiteral("/") : ic.liveness.path;
    }
    if (!plan.scoringPath.startsWith(u'/'))
        plan.scoringPath.prepend(u'/');
    if (!plan.readinessPath.startsWith(u'/'))
        plan.readinessPath.prepend(u'/');
    if (!plan.livenessPath.startsWith(u'/'))
        plan.livenessPath.prepend(u'/');
    if (!plan.customContainer)
        plan.readinessPort = plan.containerPort;

    if (spec.model) {
        if (spec.model->isReference())
            return Result<DeploymentPlan>::failure(missingArtifact(
                ep, dep, QStringLiteral("model.path"),
                QStringLiteral("registered models (%1) are not available locally; point "
                               "model.path at a file or folder")
                    .arg(spec.model->reference)));
        plan.modelPath = resolve(plan.sourceYaml, spec.model->path);
        if (plan.modelPath.isEmpty() || !QFileInfo::exists(plan.modelPath))
            return Result<DeploymentPlan>::failure(
                missingArtifact(ep, dep, QStringLiteral("model.path"),
                                QStringLiteral("%1 does not exist").arg(plan.modelPath)));
        plan.modelName = spec.model->name.isEmpty() ? QStringLiteral("model") : spec.model->name;
        plan.modelVersion =
            spec.model->version.isEmpty() ? QStringLiteral("1") : spec.model->version;
    }
    if (spec.codeConfiguration) {
        plan.codePath = resolve(plan.sourceYaml, spec.codeConfiguration->code);
        if (!QFileInfo(plan.codePath).isDir())
            return Result<DeploymentPlan>::failure(
                missingArtifact(ep, dep, QStringLiteral("code_configuration.code"),
                                QStringLiteral("%1 is not a folder").arg(plan.codePath)));
        plan.scoringScript = QDir::cleanPath(spec.codeConfiguration->scoringScript);
        if (spec.codeConfiguration->scoringScript.isEmpty() ||
            !QFileInfo(QDir(plan.codePath).absoluteFilePath(plan.scoringScript)).isFile())
            return Result<DeploymentPlan>::failure(missingArtifact(
                ep, dep, QStringLiteral("code_configuration.scoring_script"),
                QStringLiteral("%1 does not exist")
                    .arg(QDir(plan.codePath).absoluteFilePath(plan.scoringScript))));
    } else if (!plan.customContainer && spec.hasMlflowModel()) {
        // No-code MLflow: the image serves the model with its own server, as Azure's MLflow
        // images do (AZUREML_MODEL_DIR points at the model; routes as azmlinfsrv's).
        plan.customContainer = true;
    } else if (!plan.customContainer) {
        return Result<DeploymentPlan>::failure(
            missingArtifact(ep, dep, QStringLiteral("code_configuration"), QString()));
    }
    plan.readinessProbe = spec.readinessProbe;
    plan.userEnvironment = spec.environmentVariables;
    plan.settings = ServerSettings::fromSpec(spec, options.enableGpu, HostResources::local());
    if (plan.customContainer)
        plan.settings.server = ServerKind::CustomContainer;

    QJsonObject data{
        {QStringLiteral("name"), dep},
        {QStringLiteral("endpoint_name"), ep},
        {QStringLiteral("type"),
         spec.kubernetes ? QStringLiteral("kubernetes") : QStringLiteral("managed")},
        {QStringLiteral("instance_count"), spec.instanceCount},
        {QStringLiteral("instance_type"), spec.instanceType},
        {QStringLiteral("environment_variables"), mapToJson(spec.environmentVariables)},
        {QStringLiteral("tags"), mapToJson(spec.tags)},
        {QStringLiteral("properties"), mapToJson(spec.properties)},
        {QStringLiteral("readiness_probe"), probeToJson(spec.readinessProbe)},
        {QStringLiteral("liveness_probe"), probeToJson(spec.livenessProbe)},
        {QStringLiteral("app_insights_enabled"), spec.appInsightsEnabled},
        {QStringLiteral("request_settings"),
         QJsonObject{{QStringLiteral("request_timeout_ms"), spec.requestSettings.requestTimeoutMs},
                     {QStringLiteral("max_concurrent_requests_per_instance"),
                      spec.requestSettings.maxConcurrentRequestsPerInstance},
                     {QStringLiteral("max_queue_wait_ms"), spec.requestSettings.maxQueueWaitMs}}},
        {QStringLiteral("scale_settings"),
         QJsonObject{{QStringLiteral("type"), spec.scaleSettings.type}}}};
    if (!spec.description.isEmpty())
        data.insert(QStringLiteral("description"), spec.description);
    if (spec.model) {
        data.insert(QStringLiteral("model"),
                    QJsonObject{{QStringLiteral("path"), plan.modelPath},
                                {QStringLiteral("name"), plan.modelName},
                                {QStringLiteral("version"), plan.modelVersion},
                                {QStringLiteral("type"), spec.model->type}});
    }
    if (spec.codeConfiguration)
        data.insert(QStringLiteral("code_configuration"),
                    QJsonObject{{QStringLiteral("code"), plan.codePath},
                                {QStringLiteral("scoring_script"), plan.scoringScript}});
    QJsonObject envData;
    if (!env.image.isEmpty())
        envData.insert(QStringLiteral("image"), env.image);
    if (!plan.condaFile.isEmpty())
        envData.insert(QStringLiteral("conda_file"), plan.condaFile);
    if (plan.imageSource == ImageSource::Build)
        envData.insert(
            QStringLiteral("build"),
            QJsonObject{{QStringLiteral("path"), plan.buildContext},
                        {QStringLiteral("dockerfile_path"),
                         QDir(plan.buildContext).relativeFilePath(plan.dockerfilePath)}});
    if (env.inferenceConfig)
        envData.insert(QStringLiteral("inference_config"),
                       QJsonObject{{QStringLiteral("scoring_route"),
                                    QJsonObject{{QStringLiteral("port"), plan.containerPort},
                                                {QStringLiteral("path"), plan.scoringPath}}},
                                   {QStringLiteral("readiness_route"),
                                    QJsonObject{{QStringLiteral("port"), plan.readinessPort},
                                                {QStringLiteral("path"), plan.readinessPath}}}});
    data.insert(QStringLiteral("environment"), envData);
    plan.deploymentData = data;
    // Only what identifies the endpoint: descriptions and tags change without touching servers.
    plan.endpointData = QJsonObject{
        {QStringLiteral("name"), ep},
        {QStringLiteral("auth_mode"), endpoint ? endpoint->authMode : QStringLiteral("key")}};

    QCryptographicHash specHash(QCryptographicHash::Sha256);
    specHash.addData(plan.environmentHash.toUtf8());
    specHash.addData(QJsonDocument(data).toJson(QJsonDocument::Compact));
    plan.specHash = QString::fromLatin1(specHash.result().toHex().left(16));
    return plan;
}
