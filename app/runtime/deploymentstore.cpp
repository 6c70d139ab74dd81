#include "app/runtime/deploymentstore.h"

#include "app/runtime/datafolder.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>

namespace {

// Records hold environment variables: mode 0600 in 0700 folders.
bool writeJson(const QString &path, const QJsonObject &o, QString *error)
{
    const QString why = DataFolder::writePrivate(path, QJsonDocument(o).toJson());
    if (!why.isEmpty() && error)
        *error = why;
    return why.isEmpty();
}

QJsonObject readJson(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return QJsonDocument::fromJson(f.readAll()).object();
}

QJsonObject stringMap(const QMap<QString, QString> &m)
{
    QJsonObject o;
    for (auto it = m.cbegin(); it != m.cend(); ++it)
        o.insert(it.key(), it.value());
    return o;
}

QMap<QString, QString> stringMap(const QJsonObject &o)
{
    QMap<QString, QString> m;
    for (auto it = o.begin(); it != o.end(); ++it)
        m.insert(it.key(), it.value().toString());
    return m;
}

QString s(const QJsonObject &o, const char *key)
{
    return o.value(QLatin1StringView(key)).toString();
}

QDateTime time(const QJsonObject &o, const char *key)
{
    return QDateTime::fromString(s(o, key), Qt::ISODateWithMs);
}

} // namespace

DeploymentStore::DeploymentStore(const QString &dataDir)
    : m_dataDir(dataDir)
{}

QString DeploymentStore::deploymentDir(const QString &endpoint, const QString &deployment) const
{
    return DataFolder::deploymentDir(m_dataDir, endpoint, deployment);
}

QString DeploymentStore::endpointDir(const QString &endpoint) const
{
    return DataFolder::endpointDir(m_dataDir, endpoint);
}

QJsonObject DeploymentStore::toRecord(const DeploymentInfo &info)
{
    QJsonArray containers;
    for (const ContainerInfo &c : info.containers)
        containers.append(QJsonObject{{QStringLiteral("role"), c.role},
                                      {QStringLiteral("name"), c.name},
                                      {QStringLiteral("id"), c.id},
                                      {QStringLiteral("status"), c.status},
                                      {QStringLiteral("exit_code"), c.exitCode},
                                      {QStringLiteral("log_file"), c.logFile},
                                      {QStringLiteral("oom_killed"), c.oomKilled}});
    QJsonArray timeline;
    for (const PhaseTiming &p : info.timeline)
        timeline.append(
            QJsonObject{{QStringLiteral("phase"), p.phase},
                        {QStringLiteral("started"), p.started.toString(Qt::ISODateWithMs)},
                        {QStringLiteral("duration_ms"), p.durationMs},
                        {QStringLiteral("message"), p.message}});
    return {{QStringLiteral("endpoint"), info.endpoint},
            {QStringLiteral("deployment"), info.deployment},
            {QStringLiteral("state"), provisioningStateName(info.state)},
            {QStringLiteral("failure_reason"), info.failureReason},
            {QStringLiteral("scoring_uri"), info.scoringUri},
            {QStringLiteral("readiness_uri"), info.readinessUri},
            {QStringLiteral("liveness_uri"), info.livenessUri},
            {QStringLiteral("image"), info.image},
            {QStringLiteral("runtime"), runtimeKindName(info.runtime)},
            {QStringLiteral("container_program"), info.containerProgram},
            {QStringLiteral("containers"), containers},
            {QStringLiteral("host_port"), info.hostPort},
            {QStringLiteral("container_port"), info.containerPort},
            {QStringLiteral("environment"), stringMap(info.environment)},
            {QStringLiteral("timeline"), timeline},
            {QStringLiteral("source_yaml"), info.sourceYaml},
            {QStringLiteral("endpoint_yaml"), info.endpointYaml},
            {QStringLiteral("spec_hash"), info.specHash},
            {QStringLiteral("image_hash"), info.imageHash},
            {QStringLiteral("created_at"), info.createdAt.toString(Qt::ISODateWithMs)},
            {QStringLiteral("updated_at"), info.updatedAt.toString(Qt::ISODateWithMs)},
            {QStringLiteral("deployment_data"), info.deploymentData},
            {QStringLiteral("settings"), info.settings.toJson()},
            {QStringLiteral("restart_count"), info.restartCount},
            {QStringLiteral("last_restart_reason"), info.lastRestartReason},
            {QStringLiteral("last_restart_at"), info.lastRestartAt.toString(Qt::ISODateWithMs)},
            {QStringLiteral("deployed_yaml"), QString::fromUtf8(info.deployedYaml)}};
}

DeploymentInfo DeploymentStore::deploymentFromRecord(const QJsonObject &r)
{
    DeploymentInfo info;
    info.endpoint = s(r, "endpoint");
    info.deployment = s(r, "deployment");
    info.state = provisioningStateFromName(s(r, "state"));
    info.failureReason = s(r, "failure_reason");
    info.scoringUri = s(r, "scoring_uri");
    info.readinessUri = s(r, "readiness_uri");
    info.livenessUri = s(r, "liveness_uri");
    info.image = s(r, "image");
    info.runtime = runtimeKindFromName(s(r, "runtime")).value_or(RuntimeKind::Docker);
    info.containerProgram = s(r, "container_program");
    for (const QJsonValue &v : r.value(QStringLiteral("containers")).toArray()) {
        const QJsonObject c = v.toObject();
        info.containers.append(ContainerInfo{s(c, "role"), s(c, "name"), s(c, "id"), s(c, "status"),
                                             c.value(QStringLiteral("exit_code")).toInt(-1),
                                             s(c, "log_file"),
                                             c.value(QStringLiteral("oom_killed")).toBool()});
    }
    info.hostPort = r.value(QStringLiteral("host_port")).toInt();
    info.containerPort = r.value(QStringLiteral("container_port")).toInt(5001);
    info.environment = stringMap(r.value(QStringLiteral("environment")).toObject());
    for (const QJsonValue &v : r.value(QStringLiteral("timeline")).toArray()) {
        const QJsonObject p = v.toObject();
        info.timeline.append(PhaseTiming{s(p, "phase"), time(p, "started"),
                                         p.value(QStringLiteral("duration_ms")).toInteger(-1),
                                         s(p, "message")});
    }
    info.sourceYaml = s(r, "source_yaml");
    info.endpointYaml = s(r, "endpoint_yaml");
    info.specHash = s(r, "spec_hash");
    info.imageHash = s(r, "image_hash");
    info.createdAt = time(r, "created_at");
    info.updatedAt = time(r, "updated_at");
    info.deploymentData = r.value(QStringLiteral("deployment_data")).toObject();
    info.settings = ServerSettings::fromJson(r.value(QStringLiteral("settings")).toObject());
    info.restartCount = r.value(QStringLiteral("restart_count")).toInt();
    info.lastRestartReason = s(r, "last_restart_reason");
    info.lastRestartAt = time(r, "last_restart_at");
    info.deployedYaml = s(r, "deployed_yaml").toUtf8();
    return info;
}

QJsonObject DeploymentStore::toRecord(const EndpointInfo &info)
{
    QJsonObject traffic;
    for (auto it = info.traffic.cbegin(); it != info.traffic.cend(); ++it)
        traffic.insert(it.key(), it.value());
    return {{QStringLiteral("name"), info.name},
            {QStringLiteral("auth_mode"), info.authMode},
            {QStringLiteral("description"), info.description},
            {QStringLiteral("tags"), stringMap(info.tags)},
            {QStringLiteral("traffic"), traffic},
            {QStringLiteral("source_yaml"), info.sourceYaml},
            {QStringLiteral("implicit"), info.implicit},
            {QStringLiteral("created_at"), info.createdAt.toString(Qt::ISODateWithMs)}};
}

EndpointInfo DeploymentStore::endpointFromRecord(const QJsonObject &r)
{
    EndpointInfo info;
    info.name = s(r, "name");
    info.authMode = s(r, "auth_mode");
    if (info.authMode.isEmpty())
        info.authMode = QStringLiteral("key");
    info.description = s(r, "description");
    info.tags = stringMap(r.value(QStringLiteral("tags")).toObject());
    const QJsonObject traffic = r.value(QStringLiteral("traffic")).toObject();
    for (auto it = traffic.begin(); it != traffic.end(); ++it)
        info.traffic.insert(it.key(), it.value().toInt());
    info.sourceYaml = s(r, "source_yaml");
    info.implicit = r.value(QStringLiteral("implicit")).toBool();
    info.createdAt = time(r, "created_at");
    return info;
}

bool DeploymentStore::saveDeployment(const DeploymentInfo &info, QString *error) const
{
    return writeJson(deploymentDir(info.endpoint, info.deployment) +
                         QStringLiteral("/deployment.json"),
                     toRecord(info), error);
}

QList<DeploymentInfo> DeploymentStore::loadDeployments() const
{
    QList<DeploymentInfo> result;
    const QDir root(m_dataDir + QStringLiteral("/deployments"));
    for (const QString &ep : root.entryList(QDir::Dirs | QDir::NoDotAndDotDot, QDir::Name)) {
        const QDir epDir(root.filePath(ep));
        for (const QString &dep : epDir.entryList(QDir::Dirs | QDir::NoDotAndDotDot, QDir::Name)) {
            const QJsonObject r =
                readJson(epDir.filePath(dep) + QStringLiteral("/deployment.json"));
            if (r.isEmpty())
                continue;
            DeploymentInfo info = deploymentFromRecord(r);
            if (DataFolder::component(info.endpoint) == ep &&
                DataFolder::component(info.deployment) == dep)
                result.append(info);
        }
    }
    return result;
}

void DeploymentStore::removeDeployment(const QString &endpoint, const QString &deployment) const
{
    const QString dir = deploymentDir(endpoint, deployment);
    if (!DataFolder::contains(m_dataDir + QStringLiteral("/deployments"), dir))
        return; // never reached through component(); a guard for whatever changes it
    QDir(dir).removeRecursively();
    QDir(m_dataDir + QStringLiteral("/deployments")).rmdir(DataFolder::component(endpoint));
}

bool DeploymentStore::saveEndpoint(const EndpointInfo &info, QString *error) const
{
    return writeJson(endpointDir(info.name) + QStringLiteral("/endpoint.json"), toRecord(info),
                     error);
}

QList<EndpointInfo> DeploymentStore::loadEndpoints() const
{
    QList<EndpointInfo> result;
    const QDir root(m_dataDir + QStringLiteral("/endpoints"));
    for (const QString &ep : root.entryList(QDir::Dirs | QDir::NoDotAndDotDot, QDir::Name)) {
        const QJsonObject r = readJson(root.filePath(ep) + QStringLiteral("/endpoint.json"));
        if (!r.isEmpty() && DataFolder::component(s(r, "name")) == ep)
            result.append(endpointFromRecord(r));
    }
    return result;
}

void DeploymentStore::removeEndpoint(const QString &endpoint) const
{
    const QString dir = endpointDir(endpoint);
    if (!DataFolder::contains(m_dataDir + QStringLiteral("/endpoints"), dir))
        return;
    QDir(dir).removeRecursively();
}
