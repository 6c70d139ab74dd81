#include "app/invoke/loadreport.h"

#include <QJsonArray>
#include <QSet>
#include <QTextStream>

namespace {

QString ms(double v)
{
    if (v < 0)
        return QStringLiteral("–");
    return QString::number(v, 'f', v < 10 ? 3 : (v < 1000 ? 2 : 0));
}

QString percentileLabel(double p)
{
    if (p >= 100)
        return QStringLiteral("max");
    return u'p' + QString::number(p, 'g', 6);
}

template<typename Key>
QJsonObject countsToJson(const QMap<Key, qint64> &map)
{
    QJsonObject o;
    for (auto it = map.begin(); it != map.end(); ++it) {
        if constexpr (std::is_same_v<Key, int>)
            o.insert(QString::number(it.key()), it.value());
        else
            o.insert(it.key(), it.value());
    }
    return o;
}

QMap<int, qint64> statusesFromJson(const QJsonObject &o)
{
    QMap<int, qint64> out;
    for (auto it = o.begin(); it != o.end(); ++it) {
        bool ok = false;
        const int code = it.key().toInt(&ok);
        if (ok)
            out.insert(code, it.value().toInteger());
    }
    return out;
}

QMap<QString, qint64> namesFromJson(const QJsonObject &o)
{
    QMap<QString, qint64> out;
    for (auto it = o.begin(); it != o.end(); ++it)
        out.insert(it.key(), it.value().toInteger());
    return out;
}

} // namespace

double LoadInterval::requestsPerSec() const
{
    return lengthSec > 0 ? double(answered + transportErrors) / lengthSec : 0;
}

QJsonObject LoadInterval::toJson() const
{
    return QJsonObject{
        {QStringLiteral("startSec"), startSec},
        {QStringLiteral("lengthSec"), lengthSec},
        {QStringLiteral("answered"), answered},
        {QStringLiteral("transportErrors"), transportErrors},
        {QStringLiteral("statuses"), countsToJson(statuses)},
        {QStringLiteral("p50Ms"), p50Ms},
        {QStringLiteral("p99Ms"), p99Ms},
        {QStringLiteral("maxMs"), maxMs},
        {QStringLiteral("serverP50Ms"), serverP50Ms},
    };
}

LoadInterval LoadInterval::fromJson(const QJsonObject &o)
{
    LoadInterval i;
    i.startSec = o.value(u"startSec").toDouble();
    i.lengthSec = o.value(u"lengthSec").toDouble();
    i.answered = o.value(u"answered").toInteger();
    i.transportErrors = o.value(u"transportErrors").toInteger();
    i.statuses = statusesFromJson(o.value(u"statuses").toObject());
    i.p50Ms = o.value(u"p50Ms").toDouble();
    i.p99Ms = o.value(u"p99Ms").toDouble();
    i.maxMs = o.value(u"maxMs").toDouble();
    i.serverP50Ms = o.value(u"serverP50Ms").toDouble(-1);
    return i;
}

double LoadReport::requestsPerSec() const
{
    return elapsedSec > 0 ? double(answered + transportErrors) / elapsedSec : 0;
}

double LoadReport::errorPercent() const
{
    const qint64 total = answered + transportErrors;
    return total > 0 ? 100.0 * double(failures()) / double(total) : 0;
}

double LoadReport::serverMs(double percentile) const
{
    return serverTime.isEmpty() ? -1 : serverTime.percentileMs(percentile);
}

QList<double> LoadReport::standardPercentiles()
{
    return {50, 75, 90, 95, 99, 99.9, 99.99, 100};
}

QString LoadReport::statusLine() const
{
    QStringList parts;
    for (auto it = statusCounts.begin(); it != statusCounts.end(); ++it)
        parts << QStringLiteral("%1×%2").arg(it.value()).arg(it.key());
    for (auto it = errorsByKind.begin(); it != errorsByKind.end(); ++it)
        parts << QStringLiteral("%1 %2").arg(it.value()).arg(it.key());
    return parts.join(QStringLiteral(", "));
}

QString LoadReport::summary() const
{
    if (!fatalError.isEmpty() && answered + transportErrors == 0)
        return QStringLiteral("Run failed: ") + fatalError;
    const qint64 total = answered + transportErrors;
    QString text = QStringLiteral("%1 requests in %2 s: %3 req/s")
                       .arg(total)
                       .arg(elapsedSec, 0, 'f', 2)
                       .arg(requestsPerSec(), 0, 'f', 1);
    if (!latency.isEmpty()) {
        text += QStringLiteral(", p50 %1 ms, p90 %2 ms, p99 %3 ms, p99.9 %4 ms, max %5 ms")
                    .arg(ms(latencyMs(50)), ms(latencyMs(90)), ms(latencyMs(99)),
                         ms(latencyMs(99.9)), ms(latencyMs(100)));
    }
    if (!serverTime.isEmpty())
        text += QStringLiteral(", server p50 %1 ms").arg(ms(serverMs(50)));
    text += QStringLiteral(", %1 errors").arg(failures());
    if (notSent > 0)
        text += QStringLiteral(", %1 due but not sent").arg(notSent);
    if (canceled)
        text += QStringLiteral(" (stopped)");
    return text;
}

QString LoadReport::title() const
{
    QString when = startedAt.toLocalTime().toString(u"MM-dd HH:mm:ss");
    QString who = plan.target.isEmpty() ? plan.request.url.toString() : plan.target;
    QString mode = plan.mode == LoadMode::OpenLoop
                       ? QStringLiteral("open %1/s").arg(plan.ratePerSec, 0, 'g', 6)
                       : QStringLiteral("closed");
    return QStringLiteral("%1  %2  %3 ×%4  %5 req/s  p50 %6  p99 %7 ms%8")
        .arg(when, who, mode)
        .arg(plan.concurrency)
        .arg(requestsPerSec(), 0, 'f', 0)
        .arg(ms(latencyMs(50)), ms(latencyMs(99)))
        .arg(failures() ? QStringLiteral("  %1 errors").arg(failures()) : QString());
}

QString LoadReport::answeredBy() const
{
    QStringList who;
    for (auto it = servers.begin(); it != servers.end(); ++it) {
        const QString &v = it.key();
        if (v.startsWith(u"azmlinfsrv/") && v.contains(u"-studio"))
            who << QStringLiteral("the studio's built-in scoring server (%1)").arg(v);
        else if (v.startsWith(u"azmlinfsrv/"))
            who << QStringLiteral("the environment's own azmlinfsrv (%1)").arg(v);
        else
            who << v;
    }
    QString text =
        who.isEmpty()
            ? (answered ? QStringLiteral("a server that sends no x-ms-server-version (azmlinfsrv "
                                         "sends it only when HTTP_X_MS_SERVER_VERSION is set)")
                        : QStringLiteral("no server (no answer)"))
            : who.join(QStringLiteral(" and "));
    if (!deployments.isEmpty()) {
        QStringList shares;
        for (auto it = deployments.begin(); it != deployments.end(); ++it)
            shares << QStringLiteral("%1 %2 %").arg(it.key()).arg(
                answered ? 100.0 * double(it.value()) / double(answered) : 0, 0, 'f', 1);
        text += QStringLiteral("; deployments: ") + shares.join(QStringLiteral(", "));
    }
    return text;
}

QJsonObject LoadReport::toJson() const
{
    QJsonArray slices;
    for (const LoadInterval &i : timeline)
        slices.append(i.toJson());
    QJsonObject percentiles;
    for (double p : standardPercentiles()) {
        QJsonObject row{{QStringLiteral("clientMs"), latencyMs(p)}};
        if (!serverTime.isEmpty())
            row.insert(QStringLiteral("serverMs"), serverMs(p));
        percentiles.insert(percentileLabel(p), row);
    }
    QJsonObject o{
        {QStringLiteral("format"), QStringLiteral("endpoint-studio-load-run/1")},
        {QStringLiteral("id"), id},
        {QStringLiteral("endpoint"), endpoint},
        {QStringLiteral("startedAt"), startedAt.toString(Qt::ISODateWithMs)},
        {QStringLiteral("plan"), plan.toJson()},
        {QStringLiteral("finished"), finished},
        {QStringLiteral("canceled"), canceled},
        {QStringLiteral("elapsedSec"), elapsedSec},
        {QStringLiteral("warmupSent"), warmupSent},
        {QStringLiteral("sent"), sent},
        {QStringLiteral("answered"), answered},
        {QStringLiteral("succeeded"), succeeded},
        {QStringLiteral("transportErrors"), transportErrors},
        {QStringLiteral("notSent"), notSent},
        {QStringLiteral("bytesReceived"), bytesReceived},
        {QStringLiteral("requestsPerSec"), requestsPerSec()},
        {QStringLiteral("errorPercent"), errorPercent()},
        {QStringLiteral("meanMs"), latency.meanNs() / 1e6},
        {QStringLiteral("percentiles"), percentiles},
        {QStringLiteral("statusCounts"), countsToJson(statusCounts)},
        {QStringLiteral("errorsByKind"), countsToJson(errorsByKind)},
        {QStringLiteral("servers"), countsToJson(servers)},
        {QStringLiteral("deployments"), countsToJson(deployments)},
        {QStringLiteral("answeredBy"), answeredBy()},
        {QStringLiteral("latency"), latency.toJson()},
        {QStringLiteral("serverTime"), serverTime.toJson()},
        {QStringLiteral("timeline"), slices},
    };
    if (plan.mode == LoadMode::OpenLoop)
        o.insert(QStringLiteral("serviceTime"), serviceTime.toJson());
    if (!firstError.isEmpty())
        o.insert(QStringLiteral("firstError"), firstError);
    if (!fatalError.isEmpty())
        o.insert(QStringLiteral("fatalError"), fatalError);
    return o;
}

LoadReport LoadReport::fromJson(const QJsonObject &o)
{
    LoadReport r;
    r.id = o.value(u"id").toString();
    r.endpoint = o.value(u"endpoint").toString();
    r.startedAt = QDateTime::fromString(o.value(u"startedAt").toString(), Qt::ISODateWithMs);
    r.plan = LoadPlan::fromJson(o.value(u"plan").toObject());
    r.finished = o.value(u"finished").toBool();
    r.canceled = o.value(u"canceled").toBool();
    r.fatalError = o.value(u"fatalError").toString();
    r.elapsedSec = o.value(u"elapsedSec").toDouble();
    r.warmupSent = o.value(u"warmupSent").toInteger();
    r.sent = o.value(u"sent").toInteger();
    r.answered = o.value(u"answered").toInteger();
    r.succeeded = o.value(u"succeeded").toInteger();
    r.transportErrors = o.value(u"transportErrors").toInteger();
    r.notSent = o.value(u"notSent").toInteger();
    r.bytesReceived = o.value(u"bytesReceived").toInteger();
    r.statusCounts = statusesFromJson(o.value(u"statusCounts").toObject());
    r.errorsByKind = namesFromJson(o.value(u"errorsByKind").toObject());
    r.servers = namesFromJson(o.value(u"servers").toObject());
    r.deployments = namesFromJson(o.value(u"deployments").toObject());
    r.firstError = o.value(u"firstError").toString();
    r.latency = LatencyHistogram::fromJson(o.value(u"latency").toObject());
    r.serverTime = LatencyHistogram::fromJson(o.value(u"serverTime").toObject());
    r.serviceTime = LatencyHistogram::fromJson(o.value(u"serviceTime").toObject());
    for (const QJsonValue &v : o.value(u"timeline").toArray())
        r.timeline.append(LoadInterval::fromJson(v.toObject()));
    return r;
}

QString LoadReport::percentilesCsv() const
{
    QString out;
    QTextStream ts(&out);
    ts << "percentile,client_ms,server_ms\n";
    for (double p : standardPercentiles()) {
        ts << QString::number(p, 'g', 6) << ',' << QString::number(latencyMs(p), 'f', 4) << ',';
        if (!serverTime.isEmpty())
            ts << QString::number(serverMs(p), 'f', 4);
        ts << '\n';
    }
    ts << "mean," << QString::number(latency.meanNs() / 1e6, 'f', 4) << ',';
    if (!serverTime.isEmpty())
        ts << QString::number(serverTime.meanNs() / 1e6, 'f', 4);
    ts << '\n';
    ts.flush();
    return out;
}

QString LoadReport::timelineCsv() const
{
    QList<int> codes;
    for (const LoadInterval &i : timeline) {
        for (auto it = i.statuses.begin(); it != i.statuses.end(); ++it) {
            if (!codes.contains(it.key()))
                codes.append(it.key());
        }
    }
    std::sort(codes.begin(), codes.end());
    QString out;
    QTextStream ts(&out);
    ts << "start_s,length_s,req_per_s,answers,transport_errors,p50_ms,p99_ms,max_ms,server_p50_ms";
    for (int code : codes)
        ts << ",status_" << code;
    ts << '\n';
    for (const LoadInterval &i : timeline) {
        ts << QString::number(i.startSec, 'f', 3) << ',' << QString::number(i.lengthSec, 'f', 3)
           << ',' << QString::number(i.requestsPerSec(), 'f', 1) << ',' << i.answered << ','
           << i.transportErrors << ',' << QString::number(i.p50Ms, 'f', 4) << ','
           << QString::number(i.p99Ms, 'f', 4) << ',' << QString::number(i.maxMs, 'f', 4) << ',';
        if (i.serverP50Ms >= 0)
            ts << QString::number(i.serverP50Ms, 'f', 4);
        for (int code : codes)
            ts << ',' << i.statuses.value(code);
        ts << '\n';
    }
    ts.flush();
    return out;
}

QList<LoadComparisonRow> compareLoadReports(const LoadReport &a, const LoadReport &b)
{
    QList<LoadComparisonRow> rows;
    rows.append(
        {QStringLiteral("req/s"), QStringLiteral("req/s"), a.requestsPerSec(), b.requestsPerSec()});
    for (double p : LoadReport::standardPercentiles())
        rows.append({percentileLabel(p), QStringLiteral("ms"), a.latencyMs(p), b.latencyMs(p)});
    rows.append({QStringLiteral("mean"), QStringLiteral("ms"), a.latency.meanNs() / 1e6,
                 b.latency.meanNs() / 1e6});
    if (!a.serverTime.isEmpty() && !b.serverTime.isEmpty()) {
        for (double p : {50.0, 99.0})
            rows.append({QStringLiteral("server ") + percentileLabel(p), QStringLiteral("ms"),
                         a.serverMs(p), b.serverMs(p)});
    }
    rows.append(
        {QStringLiteral("errors"), QStringLiteral("%"), a.errorPercent(), b.errorPercent()});
    return rows;
}
