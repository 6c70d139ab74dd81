#include "app/cli/invokeload.h"

#include "app/cli/clisession.h"
#include "app/cli/commands.h"
#include "app/invoke/loadengine.h"

#include <QJsonArray>

#include <cstdio>

namespace {

double number(const CliArguments &args, const QString &name, bool *ok)
{
    *ok = true;
    if (!args.isSet(name))
        return 0;
    return args.value(name).toDouble(ok);
}

QJsonObject percentiles(const LatencyHistogram &h)
{
    QJsonObject o;
    for (double p : LoadReport::standardPercentiles()) {
        const QString key = p >= 100 ? QStringLiteral("max") : u'p' + QString::number(p, 'g', 6);
        o.insert(key, h.percentileMs(p));
    }
    o.insert(QStringLiteral("mean"), h.meanNs() / 1e6);
    return o;
}

} // namespace

namespace InvokeLoad {

QList<CliOption> options()
{
    return {
        CliOption::value(QStringLiteral("repeat"), {},
                         QStringLiteral("send the request N times as a load run (warm-up not "
                                        "counted) and print its summary"),
                         QStringLiteral("N")),
        CliOption::value(QStringLiteral("concurrency"), {},
                         QStringLiteral("load run: kept-alive connections, one request in "
                                        "flight on each (default 1)"),
                         QStringLiteral("C")),
        CliOption::value(QStringLiteral("rate"), {},
                         QStringLiteral("load run: an open loop at R requests per second "
                                        "(latency from when each was due); default: closed "
                                        "loop, as fast as answered"),
                         QStringLiteral("R")),
        CliOption::value(QStringLiteral("duration"), {},
                         QStringLiteral("load run: run for S seconds instead of --repeat N"),
                         QStringLiteral("S")),
        CliOption::value(QStringLiteral("warmup"), {},
                         QStringLiteral("load run: requests sent first and not counted "
                                        "(default: one per connection)"),
                         QStringLiteral("N")),
    };
}

bool requested(const CliArguments &args)
{
    return args.isSet(QStringLiteral("repeat")) || args.isSet(QStringLiteral("duration"));
}

QString strayOption(const CliArguments &args)
{
    if (requested(args))
        return {};
    for (const char *name : {"concurrency", "rate", "warmup"}) {
        if (args.isSet(QLatin1String(name)))
            return QStringLiteral("--") + QLatin1String(name);
    }
    return {};
}

std::optional<LoadPlan> plan(CliSession &session, int *code)
{
    const CliArguments &args = session.args();
    LoadPlan p;
    const auto repeat = session.positiveInt(QStringLiteral("repeat"), 0, code);
    const auto concurrency = session.positiveInt(QStringLiteral("concurrency"), 1, code);
    const auto warmup = session.positiveInt(QStringLiteral("warmup"), -1, code);
    if (!repeat || !concurrency || !warmup)
        return std::nullopt;
    bool ok = true;
    p.durationSec = number(args, QStringLiteral("duration"), &ok);
    if (!ok || p.durationSec < 0) {
        *code = session.usageError(QStringLiteral("argument --duration: invalid float value: '%1'")
                                       .arg(args.value(QStringLiteral("duration"))));
        return std::nullopt;
    }
    p.ratePerSec = number(args, QStringLiteral("rate"), &ok);
    if (!ok || p.ratePerSec < 0) {
        *code = session.usageError(QStringLiteral("argument --rate: invalid float value: '%1'")
                                       .arg(args.value(QStringLiteral("rate"))));
        return std::nullopt;
    }
    if (args.isSet(QStringLiteral("repeat")) && *repeat == 0) {
        *code = session.usageError(QStringLiteral("argument --repeat: give at least 1 request"));
        return std::nullopt;
    }
    p.requests = p.durationSec > 0 && !args.isSet(QStringLiteral("repeat")) ? 0 : *repeat;
    p.concurrency = *concurrency;
    p.warmupRequests = *warmup;
    p.mode = args.isSet(QStringLiteral("rate")) ? LoadMode::OpenLoop : LoadMode::ClosedLoop;
    // Everything but the target can be checked now; a placeholder URI stands in for it.
    LoadPlan check = p;
    check.request.url = QUrl(QStringLiteral("http://localhost/score"));
    if (const QString problem = check.problem(); !problem.isEmpty()) {
        *code = session.usageError(problem);
        return std::nullopt;
    }
    return p;
}

QJsonObject summary(const LoadReport &r, const LoadTargetFacts &facts)
{
    QJsonObject statuses;
    for (auto it = r.statusCounts.begin(); it != r.statusCounts.end(); ++it)
        statuses.insert(QString::number(it.key()), it.value());
    QJsonObject kinds;
    for (auto it = r.errorsByKind.begin(); it != r.errorsByKind.end(); ++it)
        kinds.insert(it.key(), it.value());
    QJsonObject o{
        {QStringLiteral("target"), r.plan.target},
        {QStringLiteral("scoring_uri"), r.plan.request.url.toString()},
        {QStringLiteral("mode"), loadModeName(r.plan.mode)},
        {QStringLiteral("concurrency"), r.plan.concurrency},
        {QStringLiteral("warmup_requests"), r.warmupSent},
        {QStringLiteral("requests"), r.answered + r.transportErrors},
        {QStringLiteral("elapsed_s"), r.elapsedSec},
        {QStringLiteral("requests_per_sec"), r.requestsPerSec()},
        {QStringLiteral("latency_ms"), percentiles(r.latency)},
        {QStringLiteral("status_counts"), statuses},
        {QStringLiteral("errors"), r.failures()},
        {QStringLiteral("error_percent"), r.errorPercent()},
        {QStringLiteral("errors_by_kind"), kinds},
        {QStringLiteral("answered_by"), r.answeredBy()},
        {QStringLiteral("azure_429_above_in_flight"), facts.tooManyRequestsAbove()},
        {QStringLiteral("summary"), r.summary()},
        {QStringLiteral("notes"), QJsonArray::fromStringList(facts.explain(r))},
    };
    if (!r.serverTime.isEmpty())
        o.insert(QStringLiteral("server_ms"), percentiles(r.serverTime));
    if (r.plan.mode == LoadMode::OpenLoop) {
        o.insert(QStringLiteral("rate"), r.plan.ratePerSec);
        o.insert(QStringLiteral("service_ms"), percentiles(r.serviceTime));
        o.insert(QStringLiteral("not_sent"), r.notSent);
    }
    if (!r.firstError.isEmpty())
        o.insert(QStringLiteral("first_error"), r.firstError);
    return o;
}

int run(CliSession &session, const LoadPlan &plan, const LoadTargetFacts &facts)
{
    const bool quiet = session.args().isSet(QStringLiteral("only-show-errors"));
    if (!quiet)
        std::fprintf(stderr, "[load] %s to %s\n", qPrintable(plan.describe()),
                     qPrintable(plan.request.url.toString()));
    LoadEngine engine(plan);
    const LoadReport report = engine.run(
        [quiet](const LoadReport &partial) {
            if (!quiet && partial.sent > 0)
                std::fprintf(stderr, "[load] %s\n", qPrintable(partial.summary()));
        },
        1000);
    if (!report.fatalError.isEmpty() && report.answered + report.transportErrors == 0)
        return session.fail(Cli::Failed, report.fatalError);
    session.print(summary(report, facts));
    if (report.failures() > 0)
        return session.fail(Cli::Failed, QStringLiteral("%1 of %2 requests failed (%3); first: %4")
                                             .arg(report.failures())
                                             .arg(report.answered + report.transportErrors)
                                             .arg(report.statusLine(), report.firstError));
    return Cli::Ok;
}

} // namespace InvokeLoad
