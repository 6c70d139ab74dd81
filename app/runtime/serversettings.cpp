#include "app/runtime/serversettings.h"

#include <QFile>
#include <QJsonArray>
#include <QLocale>
#include <QStandardPaths>
#include <QThread>

#include <cmath>

QString serverKindName(ServerKind kind)
{
    switch (kind) {
    case ServerKind::AzureServer:
        return QStringLiteral("azmlinfsrv");
    case ServerKind::BuiltIn:
        return QStringLiteral("built-in");
    case ServerKind::CustomContainer:
        return QStringLiteral("custom-container");
    case ServerKind::Unknown:
        break;
    }
    return QStringLiteral("unknown");
}

ServerKind serverKindFromName(const QString &name)
{
    if (name == u"azmlinfsrv")
        return ServerKind::AzureServer;
    if (name == u"built-in")
        return ServerKind::BuiltIn;
    if (name == u"custom-container")
        return ServerKind::CustomContainer;
    return ServerKind::Unknown;
}

HostResources HostResources::local()
{
    HostResources h;
    h.cpus = qMax(1, QThread::idealThreadCount());
    QFile meminfo(QStringLiteral("/proc/meminfo"));
    if (meminfo.open(QIODevice::ReadOnly)) {
        for (const QByteArray &line : meminfo.readAll().split('\n'))
            if (line.startsWith("MemTotal:")) {
                h.memoryBytes = line.mid(9).trimmed().split(' ').value(0).toLongLong() * 1024;
                break;
            }
    }
    return h;
}

QString ServerSettings::notInEnvironmentNote()
{
    return QStringLiteral("azureml-inference-server-http is not in the environment: Azure "
                          "would not start it (its images run the environment's azmlinfsrv). "
                          "The studio's built-in server stands in; add "
                          "azureml-inference-server-http to the environment to run Azure's.");
}

namespace {

int intVariable(const DeploymentSpec &spec, const char *name, int fallback, QStringList *notes)
{
    const QString key = QLatin1String(name);
    if (!spec.environmentVariables.contains(key))
        return fallback;
    bool ok = false;
    const int v = spec.environmentVariables.value(key).trimmed().toInt(&ok);
    if (!ok || v < 0) {
        notes->append(QStringLiteral("environment_variables.%1 '%2' is not a whole number; the "
                                     "default %3 applies")
                          .arg(key, spec.environmentVariables.value(key))
                          .arg(fallback));
        return fallback;
    }
    return v;
}

QString cpusText(double cpus)
{
    return QLocale::c().toString(cpus, 'g', 4) +
           (cpus == 1 ? QStringLiteral(" CPU") : QStringLiteral(" CPUs"));
}

} // namespace

QString ServerSettings::bytesText(qint64 bytes)
{
    if (bytes <= 0)
        return {};
    const double gib = double(bytes) / (1024.0 * 1024.0 * 1024.0);
    if (gib >= 1)
        return QLocale::c().toString(std::round(gib * 100) / 100, 'g', 6) + QStringLiteral(" GiB");
    return QLocale::c().toString(std::round(double(bytes) / (1024.0 * 1024.0)), 'f', 0) +
           QStringLiteral(" MiB");
}

ServerSettings ServerSettings::fromSpec(const DeploymentSpec &spec, bool enableGpu,
                                        const HostResources &host)
{
    ServerSettings s;
    s.workerCount = qMax(1, intVariable(spec, "WORKER_COUNT", 1, &s.notes));
    s.workerTimeoutS = intVariable(spec, "WORKER_TIMEOUT", 300, &s.notes);
    s.scoringTimeoutMs = intVariable(spec, "SCORING_TIMEOUT_MS", 3600000, &s.notes);
    s.liveness = spec.livenessProbe;
    s.instanceType = spec.instanceType;
    s.gpu = enableGpu;
    s.pidsLimit = defaultPidsLimit;
    if (spec.instanceType.isEmpty()) {
        s.notes << QStringLiteral("no instance_type: no memory or CPU limit");
        return s;
    }
    s.sku = InstanceTypes::find(spec.instanceType);
    if (!s.sku) {
        s.notes << QStringLiteral("instance_type %1 is not in the studio's table of Azure sizes "
                                  "(DSv2, Dv2, Dv3, Dsv3, Fsv2, Ev3, Esv3, NCv3, NCasT4_v3): no "
                                  "memory or CPU limit")
                       .arg(spec.instanceType);
        return s;
    }
    const InstanceType &t = *s.sku;
    s.cpus = t.vcpus;
    s.memoryBytes = t.memoryBytes();
    if (host.cpus > 0 && s.cpus > host.cpus) {
        s.notes << QStringLiteral("%1 has %2 vCPUs in Azure; this machine has %3: limited to %3")
                       .arg(t.name)
                       .arg(t.vcpus)
                       .arg(host.cpus);
        s.cpus = host.cpus;
    }
    if (host.memoryBytes > 0 && s.memoryBytes > host.memoryBytes) {
        s.notes << QStringLiteral("%1 has %2 in Azure; this machine has %3: limited to %3")
                       .arg(t.name, t.memoryText(), bytesText(host.memoryBytes));
        s.memoryBytes = host.memoryBytes;
    }
    if (t.gpus > 0 && !enableGpu)
        s.notes << QStringLiteral("%1 has %2 GPU%3 in Azure; deployed without "
                                  "--local-enable-gpu, the model runs on CPU here")
                       .arg(t.name)
                       .arg(t.gpus)
                       .arg(t.gpus == 1 ? QString() : QStringLiteral("s"));
    return s;
}

QString ServerSettings::limitsText() const
{
    QStringList parts;
    if (cpus > 0)
        parts << cpusText(cpus);
    if (memoryBytes > 0)
        parts << bytesText(memoryBytes) + QStringLiteral(" memory");
    if (pidsLimit > 0)
        parts << QStringLiteral("%1 processes").arg(pidsLimit);
    if (gpu)
        parts << QStringLiteral("all GPUs");
    return parts.isEmpty() ? QStringLiteral("none") : parts.join(QStringLiteral(", "));
}

QString ServerSettings::oomReason(const QString &what) const
{
    if (sku && memoryBytes == sku->memoryBytes())
        return QStringLiteral("%1: the scoring server used more than %2's %3")
            .arg(what, sku->name, sku->memoryText());
    if (memoryBytes > 0)
        return QStringLiteral("%1: the scoring server used more than its %2 memory limit")
            .arg(what, bytesText(memoryBytes));
    return QStringLiteral("%1: the scoring server ran out of memory").arg(what);
}

QString ServerSettings::gpuProblem() const
{
    if (!gpu || !QStandardPaths::findExecutable(QStringLiteral("nvidia-smi")).isEmpty())
        return {};
    return QStringLiteral("--local-enable-gpu: this machine has no NVIDIA GPU (nvidia-smi is not "
                          "on PATH), so there is none to give the server. Deploy without "
                          "--local-enable-gpu (the model then runs on CPU), or install the "
                          "NVIDIA driver.");
}

QJsonObject ServerSettings::toJson() const
{
    QJsonObject o{{QStringLiteral("server"), serverKindName(server)},
                  {QStringLiteral("worker_count"), workerCount},
                  {QStringLiteral("worker_timeout_s"), workerTimeoutS},
                  {QStringLiteral("scoring_timeout_ms"), scoringTimeoutMs},
                  {QStringLiteral("liveness_probe"),
                   QJsonObject{{QStringLiteral("initial_delay"), liveness.initialDelay},
                               {QStringLiteral("period"), liveness.period},
                               {QStringLiteral("timeout"), liveness.timeout},
                               {QStringLiteral("success_threshold"), liveness.successThreshold},
                               {QStringLiteral("failure_threshold"), liveness.failureThreshold}}},
                  {QStringLiteral("gpu"), gpu}};
    if (!serverProgram.isEmpty())
        o.insert(QStringLiteral("server_program"), serverProgram);
    if (server == ServerKind::BuiltIn)
        o.insert(QStringLiteral("server_note"), notInEnvironmentNote());
    if (!instanceType.isEmpty())
        o.insert(QStringLiteral("instance_type"), instanceType);
    if (sku)
        o.insert(QStringLiteral("instance_type_in_azure"),
                 QJsonObject{{QStringLiteral("name"), sku->name},
                             {QStringLiteral("vcpus"), sku->vcpus},
                             {QStringLiteral("memory_gib"), sku->memoryGiB},
                             {QStringLiteral("gpus"), sku->gpus},
                             {QStringLiteral("source"), sku->source}});
    QJsonObject limits;
    if (cpus > 0)
        limits.insert(QStringLiteral("cpus"), cpus);
    if (memoryBytes > 0)
        limits.insert(QStringLiteral("memory_bytes"), memoryBytes);
    if (pidsLimit > 0)
        limits.insert(QStringLiteral("pids"), pidsLimit);
    o.insert(QStringLiteral("limits"), limits);
    if (!notes.isEmpty())
        o.insert(QStringLiteral("notes"), QJsonArray::fromStringList(notes));
    return o;
}

ServerSettings ServerSettings::fromJson(const QJsonObject &o)
{
    ServerSettings s;
    s.server = serverKindFromName(o.value(QStringLiteral("server")).toString());
    s.serverProgram = o.value(QStringLiteral("server_program")).toString();
    s.workerCount = o.value(QStringLiteral("worker_count")).toInt(1);
    s.workerTimeoutS = o.value(QStringLiteral("worker_timeout_s")).toInt(300);
    s.scoringTimeoutMs = o.value(QStringLiteral("scoring_timeout_ms")).toInteger(3600000);
    const QJsonObject p = o.value(QStringLiteral("liveness_probe")).toObject();
    s.liveness.initialDelay = p.value(QStringLiteral("initial_delay")).toInt(10);
    s.liveness.period = p.value(QStringLiteral("period")).toInt(10);
    s.liveness.timeout = p.value(QStringLiteral("timeout")).toInt(2);
    s.liveness.successThreshold = p.value(QStringLiteral("success_threshold")).toInt(1);
    s.liveness.failureThreshold = p.value(QStringLiteral("failure_threshold")).toInt(30);
    s.gpu = o.value(QStringLiteral("gpu")).toBool();
    s.instanceType = o.value(QStringLiteral("instance_type")).toString();
    if (o.contains(QStringLiteral("instance_type_in_azure")))
        s.sku = InstanceTypes::find(o.value(QStringLiteral("instance_type_in_azure"))
                                        .toObject()
                                        .value(QStringLiteral("name"))
                                        .toString());
    const QJsonObject limits = o.value(QStringLiteral("limits")).toObject();
    s.cpus = limits.value(QStringLiteral("cpus")).toDouble();
    s.memoryBytes = limits.value(QStringLiteral("memory_bytes")).toInteger();
    s.pidsLimit = limits.value(QStringLiteral("pids")).toInt();
    for (const QJsonValue &v : o.value(QStringLiteral("notes")).toArray())
        s.notes << v.toString();
    return s;
}
