#include "app/invoke/loadplan.h"

#include <QJsonArray>

#include <algorithm>
#include <cmath>

namespace {

// Bodies beyond this are kept in a run's record as their size only.
constexpr qsizetype MaxStoredBody = 64 * 1024;

QString number(double v)
{
    return v == std::floor(v) ? QString::number(qint64(v)) : QString::number(v, 'g', 4);
}

} // namespace

QString loadModeName(LoadMode mode)
{
    return mode == LoadMode::OpenLoop ? QStringLiteral("open") : QStringLiteral("closed");
}

std::optional<LoadMode> loadModeFromName(const QString &name)
{
    if (name.compare(u"open", Qt::CaseInsensitive) == 0)
        return LoadMode::OpenLoop;
    if (name.compare(u"closed", Qt::CaseInsensitive) == 0)
        return LoadMode::ClosedLoop;
    return std::nullopt;
}

int LoadPlan::effectiveThreads() const
{
    return std::clamp(threads > 0 ? threads : 2, 1, std::max(1, concurrency));
}

QString LoadPlan::problem() const
{
    const QString scheme = request.url.scheme().toLower();
    if (!request.url.isValid() || request.url.host().isEmpty())
        return QStringLiteral("enter a scoring URI such as http://localhost:5001/score");
    if (scheme == u"https")
        return QStringLiteral("load runs speak plain HTTP, as local endpoints do; %1 is HTTPS")
            .arg(request.url.toString());
    if (scheme != u"http")
        return QStringLiteral("the scoring URI must start with http:// (got %1)")
            .arg(request.url.toString());
    if (concurrency < 1 || concurrency > MaxConcurrency)
        return QStringLiteral("concurrency must be 1…%1 (got %2)")
            .arg(MaxConcurrency)
            .arg(concurrency);
    if (requests < 0)
        return QStringLiteral("the request count must not be negative (got %1)").arg(requests);
    if (requests == 0 && !(durationSec > 0))
        return QStringLiteral("give a request count or a duration");
    if (durationSec < 0 || durationSec > 24 * 3600)
        return QStringLiteral("the duration must be 0…86400 s (got %1)").arg(durationSec);
    if (mode == LoadMode::OpenLoop && !(ratePerSec > 0 && ratePerSec <= 1e6))
        return QStringLiteral("an open-loop run needs a rate of 0 < rate ≤ 1000000 req/s");
    if (threads < 0 || threads > 64)
        return QStringLiteral("threads must be 0 (automatic) to 64 (got %1)").arg(threads);
    if (warmupRequests > 1000000)
        return QStringLiteral("at most 1000000 warm-up requests");
    return {};
}

QString LoadPlan::describe() const
{
    QString text = mode == LoadMode::OpenLoop
                       ? QStringLiteral("open loop at %1 req/s, ").arg(number(ratePerSec))
                       : QStringLiteral("closed loop, ");
    text += concurrency == 1 ? QStringLiteral("1 connection")
                             : QStringLiteral("%1 connections").arg(concurrency);
    text += requests > 0 ? QStringLiteral(", %1 requests").arg(requests)
                         : QStringLiteral(", %1 s").arg(number(durationSec));
    return text;
}

QJsonObject LoadPlan::toJson() const
{
    QJsonObject r = request.toJson();
    QJsonArray headers;
    for (const auto &[name, value] : request.headers) {
        // Secrets stay out of run records, as the token does in ScoringRequest::toJson.
        const bool secret = name.compare(u"authorization", Qt::CaseInsensitive) == 0;
        headers.append(QJsonArray{name, secret ? QStringLiteral("(hidden)") : value});
    }
    r.insert(QStringLiteral("headers"), headers);
    r.insert(QStringLiteral("bodyBytes"), qint64(request.body.size()));
    if (request.body.size() > MaxStoredBody)
        r.insert(QStringLiteral("body"), QString());
    return QJsonObject{
        {QStringLiteral("request"), r},
        {QStringLiteral("mode"), loadModeName(mode)},
        {QStringLiteral("concurrency"), concurrency},
        {QStringLiteral("ratePerSec"), ratePerSec},
        {QStringLiteral("requests"), requests},
        {QStringLiteral("durationSec"), durationSec},
        {QStringLiteral("warmupRequests"), effectiveWarmup()},
        {QStringLiteral("threads"), effectiveThreads()},
        {QStringLiteral("target"), target},
    };
}

LoadPlan LoadPlan::fromJson(const QJsonObject &o)
{
    LoadPlan p;
    p.request = ScoringRequest::fromJson(o.value(u"request").toObject());
    p.mode = loadModeFromName(o.value(u"mode").toString()).value_or(LoadMode::ClosedLoop);
    p.concurrency = o.value(u"concurrency").toInt(1);
    p.ratePerSec = o.value(u"ratePerSec").toDouble();
    p.requests = o.value(u"requests").toInteger();
    p.durationSec = o.value(u"durationSec").toDouble();
    p.warmupRequests = o.value(u"warmupRequests").toInt(-1);
    p.threads = o.value(u"threads").toInt(0);
    p.target = o.value(u"target").toString();
    return p;
}
