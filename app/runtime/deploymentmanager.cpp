#include "app/runtime/deploymentmanager.h"

#include "app/runtime/datafolder.h"
#include "app/runtime/deployer.h"
#include "app/runtime/deploymentplan.h"
#include "app/runtime/deploymentstore.h"
#include "app/runtime/dockerruntime.h"
#include "app/runtime/livenessmonitor.h"
#include "app/runtime/processruntime.h"
#include "app/runtime/scoringfiles.h"
#include "app/runtime/sourcecheck.h"
#include "app/runtime/specloader.h"

#include <QDir>
#include <QNetworkAccessManager>
#include <QNetworkProxy>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QPointer>
#include <QSet>
#include <QTimer>

#include <algorithm>
#include <memory>

namespace {

QString keyOf(const QString &endpoint, const QString &deployment)
{
    return endpoint + u'/' + deployment;
}

} // namespace

struct DeploymentManager::Private
{
    enum class Engine { Unknown, Checking, Reachable, Unreachable };

    struct Operation
    {
        QString key; // the deployment (ep/dep) or endpoint ("endpoint:<ep>") it works on
        QPointer<QObject> scope;
        std::function<void()> onCancel;
    };

    Options options;
    QString dataDir;
    std::unique_ptr<DeploymentStore> store;
    DockerRuntime *docker = nullptr;
    ProcessRuntime *process = nullptr;
    Engine engine = Engine::Unknown;
    QString engineProblem;
    QList<std::function<void()>> engineWaiters;
    bool resolved = false;
    RuntimeKind kind = RuntimeKind::Docker;
    QMap<QString, DeploymentInfo> deployments;
    QMap<QString, EndpointInfo> endpoints;
    QHash<OperationId, Operation> running;
    QHash<OperationId, ErrorKind> errors;
    QHash<OperationId, QString> errorMessages;
    OperationId nextOp = 1;
    QHash<QString, QPointer<LivenessMonitor>> monitors; // by deployment key
    QSet<QString> restarting;
};

DeploymentManager::DeploymentManager(QObject *parent)
    : DeploymentManager(Options{}, parent)
{}

DeploymentManager::DeploymentManager(const Options &options, QObject *parent)
    : QObject(parent)
    , d(std::make_unique<Private>())
{
    qRegisterMetaType<DeploymentInfo>();
    qRegisterMetaType<EndpointInfo>();
    d->options = options;
    if (d->options.runtime == RuntimeChoice::Automatic) {
        // A setting for scripts and CI; the CLI's --runtime and the GUI pass Options instead.
        const auto fromEnv = runtimeChoiceFromName(qEnvironmentVariable("ENDPOINT_STUDIO_RUNTIME"));
        if (fromEnv)
            d->options.runtime = *fromEnv;
    }
    d->dataDir = options.dataDir.isEmpty() ? defaultDataDir() : options.dataDir;
    // Records hold environment variables and run arguments: nobody else reads the folder. (A
    // failure shows again, with its reason, on the first write.)
    DataFolder::makePrivateDir(d->dataDir);
    d->store = std::make_unique<DeploymentStore>(d->dataDir);
    d->docker = new DockerRuntime(containerProgram(), d->dataDir, this);
    d->process = new ProcessRuntime(options.python, d->dataDir, this);
    if (d->options.runtime == RuntimeChoice::Process) {
        d->resolved = true;
        d->kind = RuntimeKind::Process;
    }
    connect(this, &DeploymentManager::stateChanged, this,
            [this](const DeploymentInfo &info) { syncLiveness(info.key()); });
    connect(this, &DeploymentManager::deploymentRemoved, this,
            [this](const QString &endpoint, const QString &deployment) {
                syncLiveness(keyOf(endpoint, deployment));
            });
}

DeploymentManager::~DeploymentManager()
{
    // Scopes are children of this object; deleting them kills any process still running.
    for (auto &op : d->running)
        delete op.scope;
}

QString DeploymentManager::defaultDataDir()
{
    QString base = qEnvironmentVariable("XDG_DATA_HOME");
    if (base.isEmpty())
        base = QDir::homePath() + QStringLiteral("/.local/share");
    return base + QStringLiteral("/endpoint-studio");
}

std::optional<DeploymentManager::RuntimeChoice>
DeploymentManager::runtimeChoiceFromName(const QString &name)
{
    if (name == u"automatic" || name == u"auto")
        return RuntimeChoice::Automatic;
    if (name == u"docker")
        return RuntimeChoice::Docker;
    if (name == u"process")
        return RuntimeChoice::Process;
    return std::nullopt;
}

QString DeploymentManager::dataDir() const
{
    return d->dataDir;
}

const DeploymentManager::Options &DeploymentManager::options() const
{
    return d->options;
}

QString DeploymentManager::containerProgram() const
{
    if (!d->options.containerProgram.isEmpty())
        return d->options.containerProgram;
    const QString fromEnv = qEnvironmentVariable("STUDIO_DOCKER");
    return fromEnv.isEmpty() ? QStringLiteral("docker") : fromEnv;
}

RuntimeKind DeploymentManager::runtimeKind() const
{
    return d->kind;
}

bool DeploymentManager::runtimeResolved() const
{
    return d->resolved;
}

QString DeploymentManager::engineProblem() const
{
    return d->engineProblem;
}

// --- operations ---------------------------------------------------------------------------

namespace {

struct OperationScope : QObject
{
    using QObject::QObject;
};

} // namespace

DeploymentManager::OperationId DeploymentManager::beginOperation(const QString &key)
{
    const OperationId op = d->nextOp++;
    d->running.insert(op, {key, new OperationScope(this), {}});
    return op;
}

void DeploymentManager::finishOperation(OperationId op, bool ok, const QString &error,
                                        ErrorKind kind)
{
    const auto it = d->running.find(op);
    if (it == d->running.end())
        return;
    if (it->scope)
        it->scope->deleteLater();
    const QString key = it->key;
    d->running.erase(it);
    syncLiveness(key); // no longer busy
    d->errors.insert(op, ok ? ErrorKind::None : kind);
    if (!ok)
        d->errorMessages.insert(op, error);
    emit finished(op, ok, error);
}

void DeploymentManager::finishLater(OperationId op, bool ok, const QString &error, ErrorKind kind)
{
    QTimer::singleShot(0, this,
                       [this, op, ok, error, kind] { finishOperation(op, ok, error, kind); });
}

QObject *DeploymentManager::scopeOf(OperationId op) const
{
    const auto it = d->running.constFind(op);
    return it == d->running.cend() ? nullptr : it->scope.data();
}

bool DeploymentManager::busy(const QString &key) const
{
    for (const auto &op : d->running)
        if (op.key == key)
            return true;
    return false;
}

void DeploymentManager::checkEngine(QObject *scope, std::function<void()> done)
{
    if (d->engine == Private::Engine::Reachable || d->engine == Private::Engine::Unreachable) {
        done();
        return;
    }
    d->engineWaiters.append(std::move(done));
    if (d->engine == Private::Engine::Checking)
        return;
    d->engine = Private::Engine::Checking;
    // The check belongs to the manager, not to the operation that asked first.
    Q_UNUSED(scope)
    d->docker->checkAvailable(this, [this](Result<bool> ok) {
        d->engine = ok ? Private::Engine::Reachable : Private::Engine::Unreachable;
        d->engineProblem = ok ? QString() : ok.error().message;
        const RuntimeKind before = d->kind;
        const bool wasResolved = d->resolved;
        if (d->options.runtime != RuntimeChoice::Process) {
            if (ok) {
                d->kind = RuntimeKind::Docker;
                d->resolved = true;
            } else if (d->options.runtime == RuntimeChoice::Automatic &&
                       qEnvironmentVariableIsEmpty("DOCKER_HOST")) {
                // No engine here: the embedded runtime takes over, and says so.
                d->kind = RuntimeKind::Process;
                d->resolved = true;
            } else {
                // The user pointed at an engine (--runtime docker or DOCKER_HOST): report it
                // rather than deploying somewhere else.
                d->kind = RuntimeKind::Docker;
                d->resolved = false;
            }
        }
        if (!wasResolved || before != d->kind || !ok)
            emit runtimeChanged(d->kind, d->engineProblem);
        const auto waiters = std::exchange(d->engineWaiters, {});
        for (const auto &w : waiters)
            w();
    });
}

void DeploymentManager::resolveRuntime(QObject *scope,
                                       std::function<void(ContainerRuntime *, QString)> done)
{
    if (d->options.runtime == RuntimeChoice::Process) {
        done(d->process, {});
        return;
    }
    checkEngine(scope, [this, done] {
        if (!d->resolved) {
            done(nullptr, d->engineProblem);
            return;
        }
        done(d->kind == RuntimeKind::Docker ? static_cast<ContainerRuntime *>(d->docker)
                                            : d->process,
             {});
    });
}

DeploymentManager::OperationId DeploymentManager::refresh()
{
    const OperationId op = beginOperation({});
    QObject *scope = scopeOf(op);
    emit progress(op, {}, {}, QStringLiteral("refresh"), QStringLiteral("reading local state"), -1);
    if (d->engine == Private::Engine::Unreachable)
        d->engine = Private::Engine::Unknown; // it may have been started since
    auto afterEngine = [this, op, scope] {
        struct Observed
        {
            QList<DeploymentInfo> docker;
            QList<DeploymentInfo> process;
            int pending = 2;
            bool dockerOk = false;
        };
        auto observed = std::make_shared<Observed>();
        auto merge = [this, op, scope, observed] {
            if (--observed->pending > 0)
                return;
            mergeObserved(observed->docker, observed->dockerOk, observed->process);
            checkHealth(scope, [this, op] {
                emit refreshed();
                finishOperation(op, true, {}, ErrorKind::None);
            });
        };
        if (d->engine == Private::Engine::Reachable) {
            d->docker->list(scope, [observed, merge](Result<QList<DeploymentInfo>> list) {
                observed->dockerOk = list.ok();
                if (list)
                    observed->docker = list.value();
                merge();
            });
        } else {
            merge();
        }
        d->process->list(scope, [observed, merge](Result<QList<DeploymentInfo>> list) {
            if (list)
                observed->process = list.value();
            merge();
        });
    };
    if (d->options.runtime == RuntimeChoice::Process) {
        // Docker deployments made earlier are still listed when the engine answers.
        checkEngine(scope, afterEngine);
    } else {
        checkEngine(scope, afterEngine);
    }
    return op;
}

void DeploymentManager::mergeObserved(const QList<DeploymentInfo> &docker, bool dockerOk,
                                      const QList<DeploymentInfo> &process)
{
    QMap<QString, DeploymentInfo> seenDocker;
    for (const DeploymentInfo &i : docker)
        seenDocker.insert(i.key(), i);
    QMap<QString, DeploymentInfo> seenProcess;
    for (const DeploymentInfo &i : process)
        seenProcess.insert(i.key(), i);

    QMap<QString, DeploymentInfo> next;
    for (DeploymentInfo rec : d->store->loadDeployments()) {
        const QString key = rec.key();
        if (busy(key)) {
            next.insert(key, d->deployments.value(key, rec));
            continue;
        }
        const bool onDocker = rec.runtime == RuntimeKind::Docker;
        const bool settled = rec.state == ProvisioningState::Succeeded || isTransitional(rec.state);
        if (onDocker && !dockerOk) {
            if (settled) {
                rec.state = ProvisioningState::Unknown;
                rec.failureReason = d->engineProblem.isEmpty()
                                        ? QStringLiteral("the container engine did not answer")
                                        : d->engineProblem;
            }
            next.insert(key, rec);
            continue;
        }
        const auto &seen = onDocker ? seenDocker : seenProcess;
        const auto found = seen.constFind(key);
        const QString serverName = rec.endpoint + u'.' + rec.deployment;
        const QString what = onDocker ? QStringLiteral("container %1").arg(serverName)
                                      : QStringLiteral("process of %1").arg(serverName);
        if (found == seen.cend() || !found->container(inferenceServerRole())) {
            if (settled) {
                rec.state = ProvisioningState::Failed;
                rec.failureReason = QStringLiteral("the inference-server %1 was removed outside "
                                                   "the studio; deploy again to recreate it")
                                        .arg(what);
                for (ContainerInfo &c : rec.containers)
                    c.status = QStringLiteral("missing");
                d->store->saveDeployment(rec);
            }
            next.insert(key, rec);
            continue;
        }
        const ContainerInfo *server = found->container(inferenceServerRole());
        // Observed containers are the truth for status, ids and ports.
        for (ContainerInfo &c : rec.containers) {
            if (const ContainerInfo *o = found->container(c.role)) {
                c.status = o->status;
                c.exitCode = o->exitCode;
                c.oomKilled = o->oomKilled;
                if (!o->id.isEmpty())
                    c.id = o->id;
            }
        }
        if (found->hostPort > 0)
            rec.hostPort = found->hostPort;
        if (server->status != u"running" && settled) {
            rec.state = ProvisioningState::Failed;
            rec.failureReason =
                server->exitCode >= 0
                    ? QStringLiteral("the inference-server %1 stopped outside the studio (%2, "
                                     "exit code %3)")
                          .arg(what, server->status)
                          .arg(server->exitCode)
                    : QStringLiteral("the inference-server %1 stopped outside the studio (%2)")
                          .arg(what, server->status);
            if (server->oomKilled)
                rec.failureReason =
                    rec.settings.oomReason() + QStringLiteral(" (") + rec.failureReason + u')';
            d->store->saveDeployment(rec);
        }
        next.insert(key, rec);
    }
    // Containers with no record: `az ml --local`, or the studio with another data directory.
    for (const DeploymentInfo &i : docker)
        if (!next.contains(i.key()))
            next.insert(i.key(), i);

    const QSet<QString> before(d->deployments.keyBegin(), d->deployments.keyEnd());
    d->deployments = next;
    for (const QString &key : before)
        if (!next.contains(key)) {
            const qsizetype slash = key.indexOf(u'/');
            emit deploymentRemoved(key.left(slash), key.mid(slash + 1));
        }

    QMap<QString, EndpointInfo> endpoints;
    for (const EndpointInfo &e : d->store->loadEndpoints())
        endpoints.insert(e.name, e);
    for (const DeploymentInfo &i : std::as_const(d->deployments))
        if (!endpoints.contains(i.endpoint)) {
            EndpointInfo e;
            e.name = i.endpoint;
            e.implicit = true;
            e.createdByAzureMl = i.createdByAzureMl;
            e.createdAt = i.createdAt;
            endpoints.insert(e.name, e);
        }
    const QStringList oldEndpoints = d->endpoints.keys();
    d->endpoints = endpoints;
    for (const QString &name : oldEndpoints)
        if (!endpoints.contains(name))
            emit endpointRemoved(name);
    for (const QString &name : endpoints.keys())
        updateEndpoint(name, false);
    for (const DeploymentInfo &i : std::as_const(d->deployments))
        emit stateChanged(i);
    for (const EndpointInfo &e : std::as_const(d->endpoints))
        emit endpointChanged(e);
}

// One GET of the readiness route of every running server nobody is deploying right now: a
// deployment left half-way (its deployer's process ended) becomes Succeeded once it answers,
// and a host process that is alive but no longer answers is Failed.
void DeploymentManager::checkHealth(QObject *scope, std::function<void()> done)
{
    QStringList keys;
    for (const DeploymentInfo &i : std::as_const(d->deployments)) {
        const ContainerInfo *server = i.container(inferenceServerRole());
        if (busy(i.key()) || i.createdByAzureMl || i.readinessUri.isEmpty() || !server ||
            server->status != u"running")
            continue;
        if (isTransitional(i.state) ||
            (i.state == ProvisioningState::Succeeded && i.runtime == RuntimeKind::Process))
            keys << i.key();
    }
    if (keys.isEmpty()) {
        done();
        return;
    }
    auto *network = new QNetworkAccessManager(scope);
    network->setProxy(QNetworkProxy::NoProxy);
    auto pending = std::make_shared<int>(int(keys.size()));
    for (const QString &key : std::as_const(keys)) {
        QNetworkRequest request{QUrl(d->deployments.value(key).readinessUri)};
        request.setTransferTimeout(2000);
        QNetworkReply *reply = network->get(request);
        connect(
            reply, &QNetworkReply::finished, network, [this, key, reply, pending, network, done] {
                reply->deleteLater();
                const int status =
                    reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
                auto it = d->deployments.find(key);
                if (it != d->deployments.end() && !busy(key)) {
                    const ProvisioningState before = it->state;
                    if (status == 200 && isTransitional(it->state)) {
                        it->state = ProvisioningState::Succeeded;
                        it->failureReason.clear();
                    } else if (status != 200 && it->state == ProvisioningState::Succeeded) {
                        it->state = ProvisioningState::Failed;
                        it->failureReason =
                            QStringLiteral("the scoring server is running but %1 does not answer "
                                           "200 (%2)")
                                .arg(it->readinessUri, status > 0
                                                           ? QStringLiteral("HTTP %1").arg(status)
                                                           : reply->errorString());
                    }
                    if (it->state != before) {
                        d->store->saveDeployment(*it);
                        emit stateChanged(*it);
                        updateEndpoint(it->endpoint, true);
                    }
                }
                if (--*pending == 0) {
                    network->deleteLater();
                    done();
                }
            });
    }
}

// Derives the endpoint's deployments, scoring URI and each deployment's traffic share.
void DeploymentManager::updateEndpoint(const QString &name, bool notify)
{
    auto it = d->endpoints.find(name);
    if (it == d->endpoints.end())
        return;
    EndpointInfo &e = *it;
    e.deployments.clear();
    for (const DeploymentInfo &i : std::as_const(d->deployments))
        if (i.endpoint == name)
            e.deployments.append(i.deployment);
    for (auto t = e.traffic.begin(); t != e.traffic.end();)
        t = e.deployments.contains(t.key()) ? std::next(t) : e.traffic.erase(t);
    const QString target = e.primaryDeployment();
    e.scoringUri.clear();
    e.state = ProvisioningState::Succeeded;
    for (auto &i : d->deployments) {
        if (i.endpoint != name)
            continue;
        const int share = e.traffic.value(
            i.deployment, e.deployments.size() == 1 && e.traffic.isEmpty() ? 100 : 0);
        if (i.traffic != share) {
            i.traffic = share;
            if (notify)
                emit stateChanged(i);
        }
        if (i.deployment == target)
            e.scoringUri = i.scoringUri;
        if (isTransitional(i.state) && i.deployment == target)
            e.state = ProvisioningState::Updating;
    }
    if (notify)
        emit endpointChanged(e);
}

DeploymentManager::OperationId
DeploymentManager::createOrUpdateEndpoint(const QString &endpointYaml)
{
    Result<EndpointSpec> spec = SpecLoader::loadEndpoint(endpointYaml);
    if (!spec) {
        const OperationId op = beginOperation({});
        finishLater(op, false, spec.error().message, ErrorKind::InvalidSpec);
        return op;
    }
    return createOrUpdateEndpoint(spec.value());
}

DeploymentManager::OperationId DeploymentManager::createOrUpdateEndpoint(const EndpointSpec &spec)
{
    const OperationId op = beginOperation(QStringLiteral("endpoint:") + spec.name);
    if (spec.name.isEmpty()) {
        finishLater(op, false, QStringLiteral("the endpoint has no name; set `name:` in its YAML"),
                    ErrorKind::InvalidSpec);
        return op;
    }
    QString error;
    saveEndpointFromSpec(spec, &error);
    if (!error.isEmpty()) {
        finishLater(op, false, error, ErrorKind::Failed);
        return op;
    }
    finishLater(op, true, {}, ErrorKind::None);
    return op;
}

void DeploymentManager::saveEndpointFromSpec(const EndpointSpec &spec, QString *error)
{
    EndpointInfo e = d->endpoints.value(spec.name);
    const bool existed = d->endpoints.contains(spec.name) && !e.implicit;
    e.name = spec.name;
    e.authMode = spec.authMode.isEmpty() ? QStringLiteral("key") : spec.authMode;
    e.description = spec.description;
    e.tags = spec.tags;
    if (!spec.traffic.isEmpty())
        e.traffic = spec.traffic;
    e.sourceYaml = spec.filePath;
    e.implicit = false;
    if (!existed && !e.createdAt.isValid())
        e.createdAt = QDateTime::currentDateTimeUtc();
    d->store->saveEndpoint(e, error);
    d->endpoints.insert(e.name, e);
    updateEndpoint(e.name, true);
}

DeploymentManager::OperationId DeploymentManager::deploy(const QString &deploymentYaml,
                                                         const QString &endpointYaml,
                                                         const DeployOptions &options)
{
    Result<DeploymentSpec> spec = SpecLoader::loadDeployment(deploymentYaml);
    std::optional<EndpointSpec> endpointSpec;
    QString error = spec ? QString() : spec.error().message;
    if (spec && !endpointYaml.isEmpty()) {
        Result<EndpointSpec> e = SpecLoader::loadEndpoint(endpointYaml);
        if (e)
            endpointSpec = e.value();
        else
            error = e.error().message;
    }
    if (!error.isEmpty()) {
        const OperationId op = beginOperation({});
        finishLater(op, false, error, ErrorKind::InvalidSpec);
        return op;
    }
    return deploy(spec.value(), endpointSpec, options);
}

DeploymentManager::OperationId
DeploymentManager::deploy(const DeploymentSpec &spec, const std::optional<EndpointSpec> &endpoint,
                          const DeployOptions &options)
{
    Result<DeploymentPlan> planned = DeploymentPlan::fromSpec(spec, endpoint, options);
    const QString key = planned ? planned->endpoint + u'/' + planned->deployment : QString();
    if (!key.isEmpty() && busy(key)) {
        const OperationId op = beginOperation({});
        finishLater(op, false,
                    QStringLiteral("deployment %1 is busy with another operation; wait for it or "
                                   "cancel it")
                        .arg(key),
                    ErrorKind::Busy);
        return op;
    }
    const OperationId op = beginOperation(key);
    if (!planned) {
        finishLater(op, false, planned.error().message, ErrorKind::InvalidSpec);
        return op;
    }
    DeploymentPlan plan = planned.value();
    plan.followLinksOut = options.allowSensitiveSources;
    if (!options.allowSensitiveSources) {
        const QList<SourceCheck::Concern> concerns = SourceCheck::inspect(plan, d->dataDir);
        if (!concerns.isEmpty()) {
            finishLater(op, false,
                        SourceCheck::message(plan, concerns,
                                             QStringLiteral("To deploy them anyway, confirm (the "
                                                            "studio asks; endpointctl: "
                                                            "--allow-sensitive-sources).")),
                        ErrorKind::NeedsConfirmation);
            return op;
        }
    }
    if (!endpoint && d->endpoints.contains(plan.endpoint))
        plan.endpointData.insert(QStringLiteral("auth_mode"),
                                 d->endpoints.value(plan.endpoint).authMode);
    QObject *scope = scopeOf(op);
    emit progress(op, plan.endpoint, plan.deployment, QStringLiteral("resolve-image"),
                  QStringLiteral("choosing the runtime"), 0);
    resolveRuntime(scope, [this, op, plan, endpoint, scope](ContainerRuntime *runtime,
                                                            const QString &problem) {
        if (!runtime) {
            finishOperation(op, false, problem, ErrorKind::EngineUnreachable);
            return;
        }
        Result<QString> scoringDir = ScoringFiles::ensureExtracted(d->dataDir);
        if (!scoringDir) {
            finishOperation(op, false, scoringDir.error().message, ErrorKind::Failed);
            return;
        }
        d->docker->setScoringDir(scoringDir.value());
        d->process->setScoringDir(scoringDir.value());

        if (endpoint) {
            QString error;
            saveEndpointFromSpec(*endpoint, &error);
        } else if (!d->endpoints.contains(plan.endpoint)) {
            // As `az ml online-deployment create --local`: the endpoint comes into being.
            EndpointInfo e;
            e.name = plan.endpoint;
            e.implicit = true;
            e.createdAt = QDateTime::currentDateTimeUtc();
            d->store->saveEndpoint(e);
            d->endpoints.insert(e.name, e);
        }

        const QString key = plan.endpoint + u'/' + plan.deployment;
        const bool exists = d->deployments.contains(key);
        DeploymentInfo info = exists ? d->deployments.value(key) : DeploymentInfo{};
        const bool movedRuntime =
            exists && (info.runtime != runtime->kind() || info.createdByAzureMl);
        // An update of a deployment that serves can fall back to what it served.
        const bool wasServing =
            exists && !movedRuntime && info.state == ProvisioningState::Succeeded;
        info.endpoint = plan.endpoint;
        info.deployment = plan.deployment;
        info.state = exists ? ProvisioningState::Updating : ProvisioningState::Creating;
        info.failureReason.clear();
        const RuntimeKind oldRuntime = info.runtime;
        info.runtime = runtime->kind();
        info.containerProgram =
            runtime->kind() == RuntimeKind::Docker ? containerProgram() : QString();
        info.sourceYaml = plan.sourceYaml;
        info.endpointYaml = plan.endpointYaml;
        info.deploymentData = plan.deploymentData;
        info.deployedYaml = plan.deployedYaml;
        info.specHash = plan.specHash;
        info.createdByAzureMl = false;
        if (!info.createdAt.isValid())
            info.createdAt = QDateTime::currentDateTimeUtc();
        info.updatedAt = QDateTime::currentDateTimeUtc();
        if (movedRuntime) {
            info.hostPort = 0;
            info.containers.clear();
        }
        if (runtime->kind() == RuntimeKind::Process) {
            // The process runtime's "containers" are log files the log panel can follow.
            const QString init = plan.initializerContainer();
            const QString server = plan.serverContainer();
            info.containers = {
                ContainerInfo{storageInitializerRole(),
                              init,
                              {},
                              QStringLiteral("created"),
                              -1,
                              d->process->logFile(plan.endpoint, plan.deployment, init)},
                ContainerInfo{inferenceServerRole(),
                              server,
                              {},
                              QStringLiteral("created"),
                              -1,
                              d->process->logFile(plan.endpoint, plan.deployment, server)}};
        }
        d->deployments.insert(key, info);
        d->store->saveDeployment(info);
        emit stateChanged(info);
        updateEndpoint(plan.endpoint, true);

        auto run = [this, op, plan, runtime, scope, key, wasServing]() {
            auto *deployer = new Deployer(runtime, plan, d->deployments.value(key), scope);
            deployer->setRollbackAllowed(wasServing);
            deployer->start(
                [this, op, plan](const QString &phase, const QString &message, int percent) {
                    emit progress(op, plan.endpoint, plan.deployment, phase, message, percent);
                },
                [this, key](const DeploymentInfo &changed) {
                    d->deployments.insert(key, changed);
                    d->store->saveDeployment(changed);
                    emit stateChanged(changed);
                },
                [this, op, plan](bool ok, const QString &error) {
                    updateEndpoint(plan.endpoint, true);
                    finishOperation(op, ok, error, ok ? ErrorKind::None : ErrorKind::Failed);
                });
        };
        if (movedRuntime) {
            ContainerRuntime *old = oldRuntime == RuntimeKind::Docker
                                        ? static_cast<ContainerRuntime *>(d->docker)
                                        : d->process;
            old->removeDeployment(scope, plan.endpoint, plan.deployment,
                                  [run](Result<bool>) { run(); });
        } else {
            run();
        }
    });
    return op;
}

DeploymentManager::OperationId DeploymentManager::setTraffic(const QString &endpoint,
                                                             const QMap<QString, int> &traffic)
{
    const OperationId op = beginOperation(QStringLiteral("endpoint:") + endpoint);
    auto it = d->endpoints.find(endpoint);
    if (it == d->endpoints.end()) {
        finishLater(op, false, QStringLiteral("Local endpoint (%1) does not exist.").arg(endpoint),
                    ErrorKind::NotFound);
        return op;
    }
    int total = 0;
    for (auto t = traffic.cbegin(); t != traffic.cend(); ++t) {
        if (!d->deployments.contains(keyOf(endpoint, t.key()))) {
            finishLater(op, false,
                        QStringLiteral("Local deployment (%1 / %2) does not exist; traffic can "
                                       "only go to deployments of the endpoint.")
                            .arg(endpoint, t.key()),
                        ErrorKind::NotFound);
            return op;
        }
        if (t.value() < 0 || t.value() > 100) {
            finishLater(op, false,
                        QStringLiteral("traffic for %1 is %2; it must be 0 to 100")
                            .arg(t.key())
                            .arg(t.value()),
                        ErrorKind::InvalidSpec);
            return op;
        }
        total += t.value();
    }
    if (total != 0 && total != 100) {
        finishLater(
            op, false,
            QStringLiteral("traffic adds up to %1; it must add up to 100 (or 0)").arg(total),
            ErrorKind::InvalidSpec);
        return op;
    }
    it->traffic = traffic;
    QString error;
    d->store->saveEndpoint(*it, &error);
    updateEndpoint(endpoint, true);
    finishLater(op, error.isEmpty(), error, ErrorKind::Failed);
    return op;
}

void DeploymentManager::removeDeployment(QObject *scope, const QString &key,
                                         std::function<void(QString error)> done)
{
    // An operation still running on it (a deploy) is stopped first.
    for (auto it = d->running.cbegin(); it != d->running.cend(); ++it)
        if (it->key == key && it->scope != scope) {
            cancel(it.key());
            break;
        }
    DeploymentInfo info = d->deployments.value(key);
    info.state = ProvisioningState::Deleting;
    d->deployments.insert(key, info);
    emit stateChanged(info);
    ContainerRuntime *runtime = info.runtime == RuntimeKind::Docker
                                    ? static_cast<ContainerRuntime *>(d->docker)
                                    : d->process;
    runtime->removeDeployment(
        scope, info.endpoint, info.deployment, [this, key, info, done](Result<bool> removed) {
            if (!removed) {
                DeploymentInfo failed = info;
                failed.state = ProvisioningState::Failed;
                failed.failureReason = QStringLiteral("delete failed: ") + removed.error().message;
                d->deployments.insert(key, failed);
                emit stateChanged(failed);
                done(failed.failureReason);
                return;
            }
            d->store->removeDeployment(info.endpoint, info.deployment);
            d->deployments.remove(key);
            auto e = d->endpoints.find(info.endpoint);
            if (e != d->endpoints.end() && e->traffic.remove(info.deployment))
                d->store->saveEndpoint(*e);
            emit deploymentRemoved(info.endpoint, info.deployment);
            updateEndpoint(info.endpoint, true);
            done({});
        });
}

DeploymentManager::OperationId DeploymentManager::deleteDeployment(const QString &endpoint,
                                                                   const QString &deployment)
{
    const QString key = keyOf(endpoint, deployment);
    const OperationId op = beginOperation(QStringLiteral("delete:") + key);
    if (!d->deployments.contains(key)) {
        finishLater(
            op, false,
            QStringLiteral("Local deployment (%1 / %2) does not exist.").arg(endpoint, deployment),
            ErrorKind::NotFound);
        return op;
    }
    emit progress(op, endpoint, deployment, QStringLiteral("delete"),
                  QStringLiteral("removing %1.%2").arg(endpoint, deployment), 0);
    removeDeployment(scopeOf(op), key, [this, op, endpoint, deployment](const QString &error) {
        if (error.isEmpty())
            emit progress(op, endpoint, deployment, QStringLiteral("delete"),
                          QStringLiteral("removed %1.%2").arg(endpoint, deployment), 100);
        finishOperation(op, error.isEmpty(), error, ErrorKind::Failed);
    });
    return op;
}

DeploymentManager::OperationId DeploymentManager::deleteEndpoint(const QString &endpoint)
{
    const OperationId op = beginOperation(QStringLiteral("delete-endpoint:") + endpoint);
    if (!d->endpoints.contains(endpoint)) {
        finishLater(op, false, QStringLiteral("Local endpoint (%1) does not exist.").arg(endpoint),
                    ErrorKind::NotFound);
        return op;
    }
    QStringList keys;
    for (const DeploymentInfo &i : std::as_const(d->deployments))
        if (i.endpoint == endpoint)
            keys << i.key();
    auto remaining = std::make_shared<QStringList>(keys);
    auto errors = std::make_shared<QStringList>();
    auto next = std::make_shared<std::function<void()>>();
    QObject *scope = scopeOf(op);
    *next = [this, op, endpoint, remaining, errors, scope, next]() {
        if (remaining->isEmpty()) {
            if (errors->isEmpty()) {
                d->store->removeEndpoint(endpoint);
                d->endpoints.remove(endpoint);
                emit endpointRemoved(endpoint);
            }
            emit progress(op, endpoint, {}, QStringLiteral("delete"),
                          errors->isEmpty() ? QStringLiteral("removed endpoint %1").arg(endpoint)
                                            : errors->join(u'\n'),
                          100);
            finishOperation(op, errors->isEmpty(), errors->join(u'\n'), ErrorKind::Failed);
            *next = nullptr; // breaks the self-reference
            return;
        }
        const QString key = remaining->takeFirst();
        emit progress(op, endpoint, key.mid(key.indexOf(u'/') + 1), QStringLiteral("delete"),
                      QStringLiteral("removing %1").arg(key), -1);
        removeDeployment(scope, key, [errors, next](const QString &error) {
            if (!error.isEmpty())
                *errors << error;
            (*next)();
        });
    };
    (*next)();
    return op;
}

bool DeploymentManager::cancel(OperationId op)
{
    const auto it = d->running.find(op);
    if (it == d->running.end())
        return false;
    const QString key = it->key;
    // Deleting the scope kills every process of the operation and drops its callbacks.
    delete it->scope;
    auto dep = d->deployments.find(key);
    if (dep != d->deployments.end() && isTransitional(dep->state)) {
        dep->state = ProvisioningState::Canceled;
        dep->failureReason = QStringLiteral("canceled by the user");
        d->store->saveDeployment(*dep);
        emit stateChanged(*dep);
    }
    d->running.erase(d->running.find(op));
    d->errors.insert(op, ErrorKind::Canceled);
    emit finished(op, false, QStringLiteral("canceled"));
    return true;
}

QList<EndpointInfo> DeploymentManager::endpoints() const
{
    return d->endpoints.values();
}

std::optional<EndpointInfo> DeploymentManager::endpoint(const QString &name) const
{
    const auto it = d->endpoints.constFind(name);
    if (it == d->endpoints.cend())
        return std::nullopt;
    return *it;
}

QList<DeploymentInfo> DeploymentManager::deployments(const QString &endpoint) const
{
    QList<DeploymentInfo> result;
    for (const DeploymentInfo &i : std::as_const(d->deployments))
        if (endpoint.isEmpty() || i.endpoint == endpoint)
            result.append(i);
    return result;
}

std::optional<DeploymentInfo> DeploymentManager::deployment(const QString &endpoint,
                                                            const QString &deployment) const
{
    const auto it = d->deployments.constFind(keyOf(endpoint, deployment));
    if (it == d->deployments.cend())
        return std::nullopt;
    return *it;
}

bool DeploymentManager::isRunning(OperationId op) const
{
    return d->running.contains(op);
}

DeploymentManager::ErrorKind DeploymentManager::errorKind(OperationId op) const
{
    return d->errors.value(op, ErrorKind::None);
}

QString DeploymentManager::errorMessage(OperationId op) const
{
    return d->errorMessages.value(op);
}

ContainerRuntime *DeploymentManager::runtimeFor(RuntimeKind kind) const
{
    return kind == RuntimeKind::Docker ? static_cast<ContainerRuntime *>(d->docker) : d->process;
}

void DeploymentManager::syncLiveness(const QString &key)
{
    const auto it = d->deployments.constFind(key);
    const ContainerInfo *server =
        it == d->deployments.cend() ? nullptr : it->container(inferenceServerRole());
    const bool watch = d->options.watchLiveness && server && server->status == u"running" &&
                       it->state == ProvisioningState::Succeeded && !it->createdByAzureMl &&
                       !it->livenessUri.isEmpty() && !busy(key) && !d->restarting.contains(key);
    // deleteLater: this may run inside the monitor's own signal.
    auto drop = [](LivenessMonitor *m) {
        if (m) {
            m->disconnect();
            m->deleteLater();
        }
    };
    if (!watch) {
        drop(d->monitors.take(key));
        return;
    }
    QPointer<LivenessMonitor> &monitor = d->monitors[key];
    if (monitor && monitor->property("uri").toString() == it->livenessUri)
        return;
    drop(monitor);
    monitor = new LivenessMonitor(QUrl(it->livenessUri), it->settings.liveness, this);
    monitor->setProperty("uri", it->livenessUri);
    connect(monitor, &LivenessMonitor::failed, this,
            [this, key](const QString &reason) { restartAfterLiveness(key, reason); });
    monitor->start();
}

// As Azure's platform does with a container that fails its liveness probe: restart it.
void DeploymentManager::restartAfterLiveness(const QString &key, const QString &reason)
{
    auto it = d->deployments.find(key);
    if (it == d->deployments.end() || busy(key))
        return;
    if (LivenessMonitor *m = d->monitors.take(key)) {
        m->disconnect();
        m->deleteLater();
    }
    d->restarting.insert(key);
    it->restartCount += 1;
    it->lastRestartReason = reason;
    it->lastRestartAt = QDateTime::currentDateTimeUtc();
    d->store->saveDeployment(*it);
    emit stateChanged(*it);
    auto *scope = new QObject(this);
    runtimeFor(it->runtime)
        ->restartServer(scope, *it, [this, key, scope](Result<ContainerRuntime::StartedServer> r) {
            scope->deleteLater();
            d->restarting.remove(key);
            auto dep = d->deployments.find(key);
            if (dep == d->deployments.end())
                return;
            if (!r) {
                dep->state = ProvisioningState::Failed;
                dep->failureReason = dep->lastRestartReason +
                                     QStringLiteral("; the restart failed: ") + r.error().message;
            } else {
                for (ContainerInfo &c : dep->containers)
                    if (c.role == inferenceServerRole()) {
                        c.id = r.value().container.id;
                        c.status = QStringLiteral("running");
                        c.exitCode = -1;
                    }
                if (!r.value().environment.isEmpty())
                    dep->environment = r.value().environment;
            }
            dep->updatedAt = QDateTime::currentDateTimeUtc();
            d->store->saveDeployment(*dep);
            emit stateChanged(*dep);
        });
}
