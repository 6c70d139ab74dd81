#include "app/invoke/loadengine.h"
#include "scoringserverprocess.h"
#include "tests/common/testsupport.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QFile>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QThread>

#include <sys/resource.h>

#include <algorithm>
#include <cstdio>

// The load engine against wrk on the same scoring server in the same run (issue 18's bar:
// throughput ≥ 0.8 × wrk at concurrency 4 and 8, p50 within +0.2 ms of wrk's). By default the
// scoring server runs examples/linear-python's score.py with blue's model, one worker, as the
// blue deployment does; --url points both tools at a running deployment instead.
//   <release build>/tests/bench_load [--duration 5] [--rounds 3] [--concurrency 4,8]
namespace {

struct Figures
{
    double rps = 0;
    double p50 = 0;
    double p90 = 0;
    double p99 = 0;
    qint64 errors = 0;
    double cpuUsPerRequest = 0; // the load generator's own CPU time (user + system)
    QString note;
};

double cpuSeconds(int who)
{
    rusage u{};
    getrusage(who, &u);
    return double(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
           double(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

double toMs(const QString &text)
{
    static const QRegularExpression re(QStringLiteral("^([\\d.]+)(us|ms|s)$"));
    const auto m = re.match(text);
    if (!m.hasMatch())
        return -1;
    const double v = m.captured(1).toDouble();
    return m.captured(2) == u"us" ? v / 1000 : (m.captured(2) == u"s" ? v * 1000 : v);
}

Figures runWrk(const QString &wrk, const QString &lua, const QUrl &url, int concurrency,
               int threads, int seconds)
{
    const double cpuBefore = cpuSeconds(RUSAGE_CHILDREN); // wrk is waited for: it counts here
    const auto result = TestSupport::run(
        wrk,
        {QStringLiteral("-t%1").arg(std::min(threads, concurrency)),
         QStringLiteral("-c%1").arg(concurrency), QStringLiteral("-d%1s").arg(seconds),
         QStringLiteral("--latency"), QStringLiteral("-s"), lua, url.toString()},
        (seconds + 30) * 1000);
    Figures f;
    const QString out = QString::fromUtf8(result.out);
    auto grab = [&](const QString &pattern) {
        const auto m = QRegularExpression(pattern, QRegularExpression::MultilineOption).match(out);
        return m.hasMatch() ? m.captured(1) : QString();
    };
    f.rps = grab(QStringLiteral("Requests/sec:\\s+([\\d.]+)")).toDouble();
    f.p50 = toMs(grab(QStringLiteral("^\\s+50%\\s+(\\S+)")));
    f.p90 = toMs(grab(QStringLiteral("^\\s+90%\\s+(\\S+)")));
    f.p99 = toMs(grab(QStringLiteral("^\\s+99%\\s+(\\S+)")));
    f.errors = grab(QStringLiteral("Non-2xx or 3xx responses: (\\d+)")).toLongLong();
    const double requests = grab(QStringLiteral("(\\d+) requests in")).toDouble();
    if (requests > 0)
        f.cpuUsPerRequest = (cpuSeconds(RUSAGE_CHILDREN) - cpuBefore) * 1e6 / requests;
    const QString socketErrors = grab(QStringLiteral("Socket errors: (.*)$"));
    if (!socketErrors.isEmpty())
        f.note = QStringLiteral("socket errors: ") + socketErrors;
    if (f.rps <= 0)
        f.note = QStringLiteral("wrk failed: ") + out + QString::fromUtf8(result.err);
    return f;
}

Figures runEngine(const LoadPlan &plan)
{
    LoadEngine engine(plan);
    const double cpuBefore = cpuSeconds(RUSAGE_THREAD); // the engine runs on this thread
    const LoadReport r = engine.run();
    const double cpu = cpuSeconds(RUSAGE_THREAD) - cpuBefore;
    Figures f;
    f.rps = r.requestsPerSec();
    f.p50 = r.latencyMs(50);
    f.p90 = r.latencyMs(90);
    f.p99 = r.latencyMs(99);
    f.errors = r.failures();
    f.note = r.fatalError;
    const double requests = double(r.answered + r.transportErrors + r.warmupSent);
    if (requests > 0)
        f.cpuUsPerRequest = cpu * 1e6 / requests;
    return f;
}

Figures median(QList<Figures> runs)
{
    auto pick = [&](auto member) {
        QList<double> v;
        for (const Figures &f : runs)
            v.append(f.*member);
        std::sort(v.begin(), v.end());
        return v.at(v.size() / 2);
    };
    Figures m;
    m.rps = pick(&Figures::rps);
    m.p50 = pick(&Figures::p50);
    m.p90 = pick(&Figures::p90);
    m.p99 = pick(&Figures::p99);
    m.cpuUsPerRequest = pick(&Figures::cpuUsPerRequest);
    for (const Figures &f : runs) {
        m.errors += f.errors;
        if (!f.note.isEmpty())
            m.note = f.note;
    }
    return m;
}

void printRow(int c, const QString &tool, const Figures &f)
{
    std::printf("%4d  %-34s %10.0f %9.3f %9.3f %9.3f %9.1f %7lld  %s\n", c, qPrintable(tool), f.rps,
                f.p50, f.p90, f.p99, f.cpuUsPerRequest, static_cast<long long>(f.errors),
                qPrintable(f.note));
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCommandLineParser cli;
    cli.setApplicationDescription(QStringLiteral("Load engine vs wrk on the same scoring server"));
    cli.addHelpOption();
    cli.addOptions({
        {QStringLiteral("duration"), QStringLiteral("seconds per run (default 5)"),
         QStringLiteral("S"), QStringLiteral("5")},
        {QStringLiteral("rounds"), QStringLiteral("alternating runs per tool (default 3)"),
         QStringLiteral("N"), QStringLiteral("3")},
        {QStringLiteral("concurrency"), QStringLiteral("comma list (default 4,8)"),
         QStringLiteral("LIST"), QStringLiteral("4,8")},
        {QStringLiteral("wrk-threads"), QStringLiteral("wrk -t (default 2, wrk's own default)"),
         QStringLiteral("T"), QStringLiteral("2")},
        {QStringLiteral("workers"), QStringLiteral("scoring server workers (default 1)"),
         QStringLiteral("W"), QStringLiteral("1")},
        {QStringLiteral("url"), QStringLiteral("a running deployment's scoring URI"),
         QStringLiteral("URL")},
        {QStringLiteral("body"),
         QStringLiteral("request body file (default: the example's "
                        "sample-request.json)"),
         QStringLiteral("FILE")},
    });
    cli.process(app);
    const int seconds = std::max(1, cli.value(QStringLiteral("duration")).toInt());
    const int rounds = std::max(1, cli.value(QStringLiteral("rounds")).toInt());
    const int wrkThreads = std::max(1, cli.value(QStringLiteral("wrk-threads")).toInt());
    QList<int> concurrencies;
    for (const QString &c : cli.value(QStringLiteral("concurrency")).split(u','))
        concurrencies.append(std::max(1, c.toInt()));

    const QString wrk = QStandardPaths::findExecutable(QStringLiteral("wrk"));
    if (wrk.isEmpty()) {
        std::fprintf(stderr, "wrk not found (apt-get install wrk)\n");
        return 1;
    }
    const QString example = TestSupport::examplesDir() + QStringLiteral("/linear-python");
    QFile bodyFile(cli.isSet(QStringLiteral("body")) ? cli.value(QStringLiteral("body"))
                                                     : example + u"/sample-request.json");
    if (!bodyFile.open(QIODevice::ReadOnly)) {
        std::fprintf(stderr, "cannot read %s\n", qPrintable(bodyFile.fileName()));
        return 1;
    }
    const QByteArray body = bodyFile.readAll();

    ScoringServerProcess server;
    QUrl url(cli.value(QStringLiteral("url")));
    QString what = QStringLiteral("a running deployment");
    if (!cli.isSet(QStringLiteral("url"))) {
        qputenv("AZUREML_MODEL_DIR", (example + u"/model-1").toUtf8());
        const int workers = std::max(1, cli.value(QStringLiteral("workers")).toInt());
        if (const QString error =
                server.start(workers, example + QStringLiteral("/onlinescoring/score.py"));
            !error.isEmpty()) {
            std::fprintf(stderr, "%s\n", qPrintable(error));
            return 1;
        }
        url = server.scoreUrl();
        what = QStringLiteral("built-in scoring server, linear-python blue's score.py, %1 worker")
                   .arg(workers);
    }

    QTemporaryDir dir;
    const QString lua = dir.filePath(QStringLiteral("post.lua"));
    {
        QFile f(lua);
        f.open(QIODevice::WriteOnly);
        f.write("wrk.method = \"POST\"\nwrk.headers[\"Content-Type\"] = \"application/json\"\n"
                "wrk.body = [==[" +
                body + "]==]\n");
    }

    LoadPlan plan;
    plan.request.url = url;
    plan.request.body = body;
    plan.requests = 0;
    plan.durationSec = seconds;

    std::printf("load benchmark: POST %s (%s), %lld-byte body, %d s per run, %d rounds "
                "alternating, medians shown, %d CPUs\n",
                qPrintable(url.toString()), qPrintable(what), static_cast<long long>(body.size()),
                seconds, rounds, QThread::idealThreadCount());
    std::printf("%4s  %-34s %10s %9s %9s %9s %9s %7s\n", "conc", "tool", "req/s", "p50 ms",
                "p90 ms", "p99 ms", "cpu us/rq", "errors");
    // Both tools warm the server up once.
    runWrk(wrk, lua, url, 2, 1, 1);
    bool allMet = true;
    for (int c : concurrencies) {
        QList<Figures> wrkRuns, engineRuns;
        plan.concurrency = c;
        for (int round = 0; round < rounds; ++round) {
            // Alternate which goes first, so neither always meets a warmer or cooler machine.
            if (round % 2 == 0) {
                wrkRuns.append(runWrk(wrk, lua, url, c, wrkThreads, seconds));
                engineRuns.append(runEngine(plan));
            } else {
                engineRuns.append(runEngine(plan));
                wrkRuns.append(runWrk(wrk, lua, url, c, wrkThreads, seconds));
            }
        }
        const Figures w = median(wrkRuns);
        const Figures e = median(engineRuns);
        printRow(c,
                 QStringLiteral("wrk -t%1 -c%2 -d%3s --latency")
                     .arg(std::min(wrkThreads, c))
                     .arg(c)
                     .arg(seconds),
                 w);
        printRow(c, QStringLiteral("LoadEngine closed loop, %1 conns").arg(c), e);
        const double ratio = w.rps > 0 ? e.rps / w.rps : 0;
        const double p50Delta = e.p50 - w.p50;
        const bool met = ratio >= 0.8 && p50Delta <= 0.2;
        allMet = allMet && met;
        std::printf("      throughput %.2f × wrk (target ≥ 0.80), p50 %+.3f ms vs wrk (target ≤ "
                    "+0.200): %s\n",
                    ratio, p50Delta, met ? "met" : "MISSED");
        for (int round = 0; round < rounds; ++round)
            std::printf("      round %d: wrk %.0f req/s p50 %.3f ms | engine %.0f req/s p50 %.3f "
                        "ms\n",
                        round + 1, wrkRuns.at(round).rps, wrkRuns.at(round).p50,
                        engineRuns.at(round).rps, engineRuns.at(round).p50);
    }
    std::printf("%s\n", allMet ? "all targets met" : "some targets MISSED");
    return 0;
}
