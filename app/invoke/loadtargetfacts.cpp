#include "app/invoke/loadtargetfacts.h"

#include "models/deploymentspec.h"
#include "models/yamldocument.h"

#include <QFileInfo>
#include <QThread>

LoadTargetFacts LoadTargetFacts::fromDeploymentYaml(const QString &path, const QString &deployment)
{
    LoadTargetFacts facts;
    facts.deployment = deployment;
    if (path.isEmpty() || !QFileInfo(path).isFile())
        return facts;
    const YamlDocument document = YamlDocument::load(path);
    const DeploymentSpec spec = DeploymentSpec::fromDocument(document);
    if (facts.deployment.isEmpty())
        facts.deployment = spec.name;
    facts.instanceType = spec.instanceType;
    facts.instanceCount = std::max(1, spec.instanceCount);
    facts.maxConcurrentRequestsPerInstance =
        std::max(1, spec.requestSettings.maxConcurrentRequestsPerInstance);
    facts.requestTimeoutMs = spec.requestSettings.requestTimeoutMs;
    facts.fromYaml = true;
    return facts;
}

int LoadTargetFacts::tooManyRequestsAbove() const
{
    return 2 * maxConcurrentRequestsPerInstance * instanceCount;
}

QStringList LoadTargetFacts::explain(const LoadReport &report) const
{
    QStringList lines;
    lines << QStringLiteral("Answered by %1.").arg(report.answeredBy());

    const int limit = tooManyRequestsAbove();
    const int inFlight = report.plan.concurrency;
    QString limits =
        QStringLiteral("Azure limits%1: max_concurrent_requests_per_instance %2 × instance_count "
                       "%3, so Azure answers 429 beyond %4 requests in flight (2 × %2 × %3) and "
                       "408 after request_timeout_ms %5 ms%6.")
            .arg(deployment.isEmpty() ? QString() : QStringLiteral(" of ") + deployment)
            .arg(maxConcurrentRequestsPerInstance)
            .arg(instanceCount)
            .arg(limit)
            .arg(requestTimeoutMs)
            .arg(fromYaml ? QString()
                          : QStringLiteral(" (Azure's defaults; the YAML was not read)"));
    if (inFlight > limit)
        limits += QStringLiteral(" This run kept up to %1 in flight: on Azure, requests beyond %2 "
                                 "would be turned away with 429.")
                      .arg(inFlight)
                      .arg(limit);
    else
        limits +=
            QStringLiteral(" This run kept at most %1 in flight, within that limit.").arg(inFlight);
    if (const qint64 n = report.statusCounts.value(429))
        limits += QStringLiteral(" The endpoint answered 429 %1 times.").arg(n);
    else
        limits += QStringLiteral(" A deployment's own port does not enforce them; the endpoint "
                                 "does.");
    lines << limits;

    if (report.serverTime.isEmpty()) {
        lines << QStringLiteral("The server sent no x-ms-run-fn-exec-ms, so its own time per "
                                "request is not known.");
    } else {
        const double gap = report.latencyMs(50) - report.serverMs(50);
        lines << QStringLiteral("Server time is run() alone (x-ms-run-fn-exec-ms, p50 %1 ms); the "
                                "other %2 ms of the client's p50 are HTTP, the server's own work "
                                "and waiting for a worker.")
                     .arg(report.serverMs(50), 0, 'f', 3)
                     .arg(std::max(0.0, gap), 0, 'f', 3);
    }
    if (report.plan.mode == LoadMode::OpenLoop) {
        QString open = QStringLiteral("Open loop at %1 req/s: latency counts from when each "
                                      "request was due, so time spent queueing behind a slow "
                                      "server shows (service time from the actual send: p50 %2 "
                                      "ms).")
                           .arg(report.plan.ratePerSec, 0, 'g', 6)
                           .arg(report.serviceTime.percentileMs(50), 0, 'f', 3);
        if (report.notSent > 0)
            open += QStringLiteral(" The server could not keep up: %1 requests were still "
                                   "waiting to be sent when the run ended.")
                        .arg(report.notSent);
        lines << open;
    }
    lines << QStringLiteral("Measured on this machine (%1 CPUs, loopback network): not what "
                            "instance_type %2 gives on Azure, where a request also crosses "
                            "Azure's front end.")
                 .arg(QThread::idealThreadCount())
                 .arg(instanceType.isEmpty() ? QStringLiteral("(not set)") : instanceType);
    return lines;
}
