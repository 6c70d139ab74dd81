#include "app/runtime/deploymentinfo.h"

#include <QJsonArray>

QString runtimeKindName(RuntimeKind kind)
{
    return kind == RuntimeKind::Docker ? QStringLiteral("docker") : QStringLiteral("process");
}

std::optional<RuntimeKind> runtimeKindFromName(const QString &name)
{
    if (name == u"docker")
        return RuntimeKind::Docker;
    if (name == u"process")
        return RuntimeKind::Process;
    return std::nullopt;
}

const ContainerInfo *DeploymentInfo::container(const QString &role) const
{
    for (const ContainerInfo &c : containers)
        if (c.role == role)
            return &c;
    return nullptr;
}

QStringList DeploymentInfo::logsArguments(const QString &role, int tail, bool follow,
                                          bool timestamps) const
{
    const ContainerInfo *c = container(role);
    if (runtime != RuntimeKind::Docker || !c)
        return {};
    QStringList args{QStringLiteral("logs")};
    if (timestamps)
        args << QStringLiteral("--timestamps");
    if (tail >= 0)
        args << QStringLiteral("--tail") << QString::number(tail);
    if (follow)
        args << QStringLiteral("--follow");
    args << c->name;
    return args;
}

QString DeploymentInfo::logFile(const QString &role) const
{
    const ContainerInfo *c = container(role);
    return c ? c->logFile : QString();
}

QJsonObject DeploymentInfo::toJson() const
{
    QJsonObject o = deploymentData;
    o.insert(QStringLiteral("name"), deployment);
    o.insert(QStringLiteral("endpoint_name"), endpoint);
    o.insert(QStringLiteral("instance_type"), QStringLiteral("local"));
    o.insert(QStringLiteral("provisioning_state"), provisioningStateName(state));
    if (!o.contains(QStringLiteral("type")))
        o.insert(QStringLiteral("type"), QStringLiteral("managed"));
    if (!scoringUri.isEmpty())
        o.insert(QStringLiteral("scoring_uri"), scoringUri);

    QJsonObject studio;
    studio.insert(QStringLiteral("runtime"), runtimeKindName(runtime));
    if (!containerProgram.isEmpty())
        studio.insert(QStringLiteral("container_program"), containerProgram);
    studio.insert(QStringLiteral("image"), image);
    if (!failureReason.isEmpty())
        studio.insert(QStringLiteral("failure_reason"), failureReason);
    if (hostPort > 0)
        studio.insert(QStringLiteral("host_port"), hostPort);
    studio.insert(QStringLiteral("container_port"), containerPort);
    studio.insert(QStringLiteral("traffic"), traffic);
    if (!sourceYaml.isEmpty())
        studio.insert(QStringLiteral("source_yaml"), sourceYaml);
    if (createdByAzureMl)
        studio.insert(QStringLiteral("created_by"), QStringLiteral("az ml --local"));
    QJsonArray list;
    for (const ContainerInfo &c : containers) {
        QJsonObject co{{QStringLiteral("role"), c.role},
                       {QStringLiteral("name"), c.name},
                       {QStringLiteral("status"), c.status}};
        if (!c.id.isEmpty())
            co.insert(QStringLiteral("id"), c.id);
        if (c.exitCode >= 0)
            co.insert(QStringLiteral("exit_code"), c.exitCode);
        if (!c.logFile.isEmpty())
            co.insert(QStringLiteral("log_file"), c.logFile);
        if (c.oomKilled)
            co.insert(QStringLiteral("oom_killed"), true);
        list.append(co);
    }
    studio.insert(QStringLiteral("containers"), list);
    QJsonArray phases;
    for (const PhaseTiming &p : timeline)
        phases.append(
            QJsonObject{{QStringLiteral("phase"), p.phase},
                        {QStringLiteral("started"), p.started.toString(Qt::ISODateWithMs)},
                        {QStringLiteral("duration_ms"), p.durationMs},
                        {QStringLiteral("message"), p.message}});
    studio.insert(QStringLiteral("timeline"), phases);
    if (!createdByAzureMl) {
        studio.insert(QStringLiteral("server"), serverKindName(settings.server));
        studio.insert(QStringLiteral("settings"), settings.toJson());
    }
    QJsonObject restarts{{QStringLiteral("count"), restartCount}};
    if (!lastRestartReason.isEmpty()) {
        restarts.insert(QStringLiteral("last_reason"), lastRestartReason);
        restarts.insert(QStringLiteral("last_at"), lastRestartAt.toString(Qt::ISODateWithMs));
    }
    studio.insert(QStringLiteral("restarts"), restarts);
    o.insert(QStringLiteral("studio"), studio);
    return o;
}
