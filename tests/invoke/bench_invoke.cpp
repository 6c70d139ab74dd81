#include "app/invoke/scoringclient.h"
#include "scoringserverprocess.h"
#include "tests/common/testsupport.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTextStream>

#include <algorithm>
#include <cstdio>

// Client overhead per request: ScoringClient vs curl, the same request to the same local
// scoring server in the same run, both on one kept-alive connection (target: ≤ +1 ms).
namespace {

struct Stats
{
    double median = 0;
    double p95 = 0;
    double mean = 0;
};

Stats stats(QList<double> v)
{
    Stats s;
    if (v.isEmpty())
        return s;
    std::sort(v.begin(), v.end());
    s.median = v.at(v.size() / 2);
    s.p95 = v.at(std::min<qsizetype>(v.size() - 1, qsizetype(v.size() * 0.95)));
    double sum = 0;
    for (double x : v)
        sum += x;
    s.mean = sum / double(v.size());
    return s;
}

void print(const char *name, const Stats &s, double wallPerRequest)
{
    std::printf("%-34s median %7.3f ms  p95 %7.3f ms  mean %7.3f ms  wall/request %7.3f ms\n", name,
                s.median, s.p95, s.mean, wallPerRequest);
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const int n = argc > 1 ? QByteArray(argv[1]).toInt() : 1000;
    const QByteArray body = R"({"data": [[1, 2, 3, 4, 5, 6, 7, 8, 9, 10]]})";

    ScoringServerProcess server;
    if (const QString error = server.start(1); !error.isEmpty()) {
        std::fprintf(stderr, "%s\n", qPrintable(error));
        return 1;
    }
    ScoringRequest request;
    request.url = server.scoreUrl();
    request.body = body;

    // ScoringClient: n sequential requests, each sent when the previous one finished.
    ScoringClient client;
    QList<double> clientMs;
    int remaining = n + 50; // the first 50 warm up the connection and the server
    QEventLoop loop;
    QElapsedTimer wall;
    QObject::connect(&client, &ScoringClient::finished, &loop, [&](const ScoringResponse &r) {
        if (r.status != 200) {
            std::fprintf(stderr, "unexpected answer: %s\n", qPrintable(r.statusText()));
            loop.exit(1);
            return;
        }
        if (remaining <= n)
            clientMs.append(r.timings.totalMs);
        if (remaining == n + 1)
            wall.start();
        if (--remaining == 0)
            loop.quit();
        else
            client.send(request);
    });
    client.send(request);
    if (loop.exec() != 0)
        return 1;
    const double clientWall = double(wall.nsecsElapsed()) / 1e6 / n;

    // curl: one process, n transfers on one connection (a config file with `next` blocks), its
    // own per-transfer time_total. A warm-up run first.
    const QString curl = QStandardPaths::findExecutable(QStringLiteral("curl"));
    if (curl.isEmpty()) {
        std::fprintf(stderr, "curl not found\n");
        return 1;
    }
    QTemporaryDir dir;
    const QString bodyFile = dir.filePath(QStringLiteral("body.json"));
    {
        QFile f(bodyFile);
        f.open(QIODevice::WriteOnly);
        f.write(body);
    }
    auto curlRun = [&](int count, QList<double> *times, double *wallMs) {
        QString config;
        QTextStream ts(&config);
        for (int i = 0; i < count; ++i) {
            ts << "url = \"" << request.url.toString() << "\"\n"
               << "header = \"Content-Type: application/json\"\n"
               << "data-binary = \"@" << bodyFile << "\"\n"
               << "output = \"/dev/null\"\n"
               << "write-out = \"%{time_total}\\n\"\n";
            if (i + 1 < count)
                ts << "next\n";
        }
        ts.flush();
        const QString configFile = dir.filePath(QStringLiteral("curl.cfg"));
        QFile f(configFile);
        f.open(QIODevice::WriteOnly);
        f.write(config.toUtf8());
        f.close();
        QElapsedTimer t;
        t.start();
        const auto res = TestSupport::run(
            curl, {QStringLiteral("-sS"), QStringLiteral("-K"), configFile}, 300000);
        if (wallMs)
            *wallMs = double(t.nsecsElapsed()) / 1e6;
        if (times) {
            for (const QByteArray &line : res.out.split('\n')) {
                if (!line.isEmpty())
                    times->append(line.toDouble() * 1000.0);
            }
        }
        return res.exitCode == 0;
    };
    if (!curlRun(50, nullptr, nullptr))
        return 1;
    QList<double> curlMs;
    double curlWallMs = 0;
    if (!curlRun(n, &curlMs, &curlWallMs))
        return 1;

    const Stats c = stats(clientMs);
    const Stats k = stats(curlMs);
    std::printf("invoke benchmark: %d sequential POSTs of %lld bytes to the scoring server "
                "(1 worker, kept-alive connection)\n",
                n, static_cast<long long>(body.size()));
    print("ScoringClient (send→finished)", c, clientWall);
    print("curl (time_total, one process)", k, curlWallMs / n);
    std::printf("client overhead vs curl: median %+.3f ms, mean %+.3f ms, wall/request %+.3f ms "
                "(target <= +1 ms)\n",
                c.median - k.median, c.mean - k.mean, clientWall - curlWallMs / n);
    return 0;
}
