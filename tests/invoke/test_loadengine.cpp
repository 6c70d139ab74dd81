#include "app/invoke/kneesearch.h"
#include "app/invoke/loadengine.h"
#include "app/invoke/loadrunner.h"
#include "scoringserverprocess.h"

#include <QElapsedTimer>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>

// The load engine against the real scoring server (tests/invoke/fixtures/score.py), and against
// a small in-process HTTP server for the framings the scoring server never uses (chunked,
// Connection: close, closing without an answer).
namespace {

// Answers every request on its socket; counts the connections it accepted.
class FramingServer : public QObject
{
public:
    enum class Mode { Chunked, CloseEach, HangUp };

    explicit FramingServer(Mode mode)
        : m_mode(mode)
    {
        m_server.listen(QHostAddress::LocalHost, 0);
        connect(&m_server, &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket *s = m_server.nextPendingConnection()) {
                ++connections;
                connect(s, &QTcpSocket::readyRead, this, [this, s] { serve(s); });
                connect(s, &QTcpSocket::disconnected, s, &QObject::deleteLater);
            }
        });
    }
    QUrl url() const
    {
        return QUrl(QStringLiteral("http://127.0.0.1:%1/score").arg(m_server.serverPort()));
    }
    int connections = 0;
    int requests = 0;

private:
    void serve(QTcpSocket *s)
    {
        QByteArray &buffer = m_buffers[s];
        buffer += s->readAll();
        for (;;) {
            const qsizetype end = buffer.indexOf("\r\n\r\n");
            if (end < 0)
                return;
            qsizetype length = 0;
            for (const QByteArray &line : buffer.left(end).split('\n')) {
                if (line.toLower().startsWith("content-length:"))
                    length = line.mid(15).trimmed().toLongLong();
            }
            if (buffer.size() < end + 4 + length)
                return;
            buffer.remove(0, end + 4 + length);
            ++requests;
            switch (m_mode) {
            case Mode::Chunked:
                s->write(
                    "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n"
                    "x-ms-run-fn-exec-ms: 0.250\r\n\r\n4\r\n{\"a\"\r\n3;x=1\r\n: 1\r\n1\r\n}\r\n"
                    "0\r\n\r\n");
                break;
            case Mode::CloseEach:
                s->write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}");
                s->disconnectFromHost();
                return;
            case Mode::HangUp:
                if (requests % 2 == 0) {
                    s->abort(); // every second request: the connection goes away unanswered
                    return;
                }
                s->write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}");
                break;
            }
        }
    }

    Mode m_mode;
    QTcpServer m_server;
    QHash<QTcpSocket *, QByteArray> m_buffers;
};

// Runs the plan on a LoadRunner while this thread's event loop serves in-process servers.
LoadReport runAndWait(const LoadPlan &plan, int timeoutMs = 60000, int *progressCount = nullptr)
{
    LoadRunner runner;
    QSignalSpy done(&runner, &LoadRunner::finished);
    QSignalSpy progress(&runner, &LoadRunner::progress);
    if (!runner.start(plan))
        return {};
    if (!done.wait(timeoutMs))
        return {};
    if (progressCount)
        *progressCount = int(progress.size());
    return done.at(0).at(0).value<LoadReport>();
}

qint64 timelineAnswers(const LoadReport &r)
{
    qint64 n = 0;
    for (const LoadInterval &i : r.timeline)
        n += i.answered;
    return n;
}

} // namespace

class TestLoadEngine : public QObject
{
    Q_OBJECT

    ScoringServerProcess m_server;     // 4 worker threads
    ScoringServerProcess m_slowServer; // 1 worker: capacity is 1 / run() time

    LoadPlan plan(const QByteArray &body, int concurrency = 4, qint64 requests = 200) const
    {
        LoadPlan p;
        p.request.url = m_server.scoreUrl();
        p.request.body = body;
        p.concurrency = concurrency;
        p.requests = requests;
        return p;
    }

private slots:
    void initTestCase()
    {
        QString error = m_server.start(4);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        error = m_slowServer.start(1);
        QVERIFY2(error.isEmpty(), qPrintable(error));
    }

    void closedLoopCountsEveryAnswer()
    {
        LoadEngine engine(plan(R"({"data": [[1, 2, 3]]})", 4, 500));
        const LoadReport r = engine.run();
        QVERIFY2(r.fatalError.isEmpty(), qPrintable(r.fatalError));
        QVERIFY(r.finished);
        QCOMPARE(r.warmupSent, qint64(4)); // one per connection, not counted below
        QCOMPARE(r.sent, qint64(500));
        QCOMPARE(r.answered, qint64(500));
        QCOMPARE(r.succeeded, qint64(500));
        QCOMPARE(r.statusCounts, (QMap<int, qint64>{{200, 500}}));
        QCOMPARE(r.failures(), qint64(0));
        QCOMPARE(r.latency.count(), std::int64_t(500));
        QCOMPARE(timelineAnswers(r), qint64(500));
        // The scoring server times run() itself, as azmlinfsrv does, on every answer.
        QCOMPARE(r.serverTime.count(), std::int64_t(500));
        QVERIFY(r.serverMs(50) < r.latencyMs(50));
        QCOMPARE(r.servers.size(), 1);
        QVERIFY2(r.servers.firstKey().startsWith(u"azmlinfsrv/"), qPrintable(r.servers.firstKey()));
        QVERIFY(r.answeredBy().contains(u"built-in scoring server"));
        QVERIFY(r.latencyMs(50) > 0);
        QVERIFY(r.latencyMs(50) <= r.latencyMs(99));
        QVERIFY(r.latencyMs(99) <= r.latencyMs(100));
        QVERIFY(r.elapsedSec > 0);
        QVERIFY(r.requestsPerSec() > 50);
        QVERIFY(r.bytesReceived > 500 * 100);
        QVERIFY(r.summary().startsWith(u"500 requests in "));
    }

    void durationEndsTheRun()
    {
        LoadPlan p = plan(R"({"data": [[1]]})", 2, 0);
        p.durationSec = 0.6;
        QElapsedTimer wall;
        wall.start();
        int progressCount = 0;
        const LoadReport r = runAndWait(p, 20000, &progressCount);
        QVERIFY2(r.fatalError.isEmpty(), qPrintable(r.fatalError));
        QVERIFY(r.elapsedSec >= 0.6 && r.elapsedSec < 3.0);
        QVERIFY(wall.elapsed() < 5000);
        QVERIFY(r.answered > 20);
        QCOMPARE(r.answered, r.sent);
        // Summaries a few times per second, never one per request.
        QVERIFY2(progressCount >= 1 && progressCount <= 8,
                 qPrintable(QString::number(progressCount)));
        QVERIFY(r.answered > 10 * progressCount);
    }

    void httpErrorsAndTimeoutsByKind()
    {
        LoadEngine failing(plan(R"({"fail": true})", 2, 20));
        LoadReport r = failing.run();
        QCOMPARE(r.statusCounts.value(500), qint64(20));
        QCOMPARE(r.succeeded, qint64(0));
        QCOMPARE(r.failures(), qint64(20));
        QVERIFY2(
            r.firstError.startsWith(u"500 Internal Server Error: {\"message\": \"An unexpected "
                                    u"error occurred in scoring script"),
            qPrintable(r.firstError));
        // No x-ms-run-fn-exec-ms when run() raised (azmlinfsrv's ErrorResponse has none).
        QVERIFY(r.serverTime.isEmpty());
        QCOMPARE(r.errorPercent(), 100.0);

        LoadPlan slow = plan(R"({"sleep": 1.0})", 2, 2);
        slow.request.timeoutMs = 250;
        slow.warmupRequests = 0;
        LoadEngine timing(slow);
        r = timing.run();
        QCOMPARE(r.errorsByKind.value(QStringLiteral("timed out")), qint64(2));
        QCOMPARE(r.transportErrors, qint64(2));
        QCOMPARE(r.firstError, QStringLiteral("no answer within 250 ms"));
        QTest::qWait(1000); // let the sleeping run()s end before the next case
    }

    void nothingListeningIsAClearError()
    {
        LoadPlan p = plan("{}", 2, 10);
        p.request.url =
            QUrl(QStringLiteral("http://127.0.0.1:%1/score").arg(ScoringServerProcess::freePort()));
        LoadEngine engine(p);
        const LoadReport r = engine.run();
        QVERIFY2(r.fatalError.startsWith(u"cannot connect to 127.0.0.1:") &&
                     r.fatalError.endsWith(u": connection refused"),
                 qPrintable(r.fatalError));
        QCOMPARE(r.sent, qint64(0));
        QVERIFY(r.summary().startsWith(u"Run failed: cannot connect"));

        p.request.url = QUrl(QStringLiteral("https://127.0.0.1:1/score"));
        QVERIFY(LoadEngine(p).run().fatalError.contains(u"HTTPS"));
        p.request.url = m_server.scoreUrl();
        p.concurrency = 0;
        QCOMPARE(LoadEngine(p).run().fatalError,
                 QStringLiteral("concurrency must be 1…1024 (got 0)"));
    }

    void localhostResolvesToTheListeningAddress()
    {
        // localhost may be ::1 first while the server listens on 127.0.0.1 only.
        LoadPlan p = plan(R"({"data": [[1]]})", 2, 20);
        p.request.url.setHost(QStringLiteral("localhost"));
        const LoadReport r = LoadEngine(p).run();
        QVERIFY2(r.fatalError.isEmpty(), qPrintable(r.fatalError));
        QCOMPARE(r.succeeded, qint64(20));
    }

    void oneKeptAliveConnectionPerSlotAndChunkedAnswers()
    {
        FramingServer server(FramingServer::Mode::Chunked);
        LoadPlan p = plan("{}", 3, 60);
        p.request.url = server.url();
        const LoadReport r = runAndWait(p);
        QVERIFY2(r.fatalError.isEmpty(), qPrintable(r.fatalError));
        QCOMPARE(r.succeeded, qint64(60));
        QCOMPARE(server.requests, 63); // 3 warm-up + 60
        QCOMPARE(server.connections, 3);
        QCOMPARE(r.serverTime.count(), std::int64_t(60));
        QCOMPARE(r.serverTime.valueAtPercentile(50), std::int64_t(250'000));
    }

    void connectionCloseReconnects()
    {
        FramingServer server(FramingServer::Mode::CloseEach);
        LoadPlan p = plan("{}", 2, 30);
        p.request.url = server.url();
        const LoadReport r = runAndWait(p);
        QCOMPARE(r.succeeded, qint64(30));
        QCOMPARE(r.failures(), qint64(0));
        QCOMPARE(server.connections, 32); // one per request, warm-up included
    }

    void hangUpsCountAsErrorsByKind()
    {
        FramingServer server(FramingServer::Mode::HangUp);
        LoadPlan p = plan("{}", 1, 20);
        p.request.url = server.url();
        p.warmupRequests = 0;
        const LoadReport r = runAndWait(p);
        QCOMPARE(r.sent, qint64(20));
        QCOMPARE(r.succeeded + r.transportErrors, qint64(20));
        QVERIFY(r.transportErrors >= 5);
        qint64 byKind = 0;
        for (auto it = r.errorsByKind.begin(); it != r.errorsByKind.end(); ++it) {
            QVERIFY2(it.key() == u"closed without an answer" || it.key() == u"connection reset",
                     qPrintable(it.key()));
            byKind += it.value();
        }
        QCOMPARE(byKind, r.transportErrors);
    }

    void cancelStopsAtOnceAndKeepsTheFigures()
    {
        LoadPlan p = plan(R"({"data": [[1]]})", 4, 0);
        p.durationSec = 60;
        LoadRunner runner;
        QSignalSpy done(&runner, &LoadRunner::finished);
        QVERIFY(runner.start(p, QStringLiteral("ep")));
        QVERIFY(!runner.start(p)); // one at a time
        QTest::qWait(400);
        QElapsedTimer t;
        t.start();
        runner.cancel();
        QVERIFY(done.wait(5000));
        QVERIFY(t.elapsed() < 2000);
        const auto r = done.at(0).at(0).value<LoadReport>();
        QVERIFY(r.canceled);
        QVERIFY(r.answered > 0);
        QCOMPARE(r.endpoint, QStringLiteral("ep"));
        QVERIFY(!r.id.isEmpty());
        QVERIFY(r.summary().endsWith(u"(stopped)"));
        QVERIFY(!runner.isRunning());
    }

    void openLoopBelowCapacityKeepsTheRate()
    {
        LoadPlan p = plan(R"({"data": [[1]]})", 4, 100);
        p.mode = LoadMode::OpenLoop;
        p.ratePerSec = 200;
        const LoadReport r = LoadEngine(p).run();
        QVERIFY2(r.fatalError.isEmpty(), qPrintable(r.fatalError));
        QCOMPARE(r.succeeded, qint64(100));
        // 100 requests due every 5 ms take about 0.5 s, not as fast as the server could go.
        QVERIFY2(r.elapsedSec > 0.45 && r.elapsedSec < 1.5,
                 qPrintable(QString::number(r.elapsedSec)));
        QCOMPARE(r.serviceTime.count(), std::int64_t(100));
        QCOMPARE(r.notSent, qint64(0));
    }

    // wrk2's point: above capacity, requests queue and their latency, counted from when they
    // were due, grows for as long as the overload lasts.
    void openLoopAboveCapacityShowsLatencyGrowing()
    {
        // One worker and run() sleeping 20 ms: at most ~50 answers per second; ask for 150.
        LoadPlan p;
        p.request.url = m_slowServer.scoreUrl();
        p.request.body = R"({"sleep": 0.02})";
        p.mode = LoadMode::OpenLoop;
        p.ratePerSec = 150;
        p.concurrency = 4;
        p.requests = 0;
        p.durationSec = 2.0;
        const LoadReport r = runAndWait(p, 30000);
        QVERIFY2(r.fatalError.isEmpty(), qPrintable(r.fatalError));
        QVERIFY(r.timeline.size() >= 10);
        // The first and the last quarter of the timeline slices with answers.
        QList<LoadInterval> withAnswers;
        for (const LoadInterval &i : r.timeline) {
            if (i.answered > 0)
                withAnswers.append(i);
        }
        QVERIFY(withAnswers.size() >= 8);
        const qsizetype quarter = withAnswers.size() / 4;
        double early = 0, late = 0;
        for (qsizetype i = 0; i < quarter; ++i) {
            early = std::max(early, withAnswers.at(i).p50Ms);
            late = std::max(late, withAnswers.at(withAnswers.size() - 1 - i).p50Ms);
        }
        const QString figures = QStringLiteral("early p50 %1 ms, late p50 %2 ms, %3")
                                    .arg(early)
                                    .arg(late)
                                    .arg(r.summary());
        QVERIFY2(late > 3 * early && late > 300, qPrintable(figures));
        // Service time (from the actual send) stays near run()'s 20 ms × the queue in the
        // server; the latency from the due time is what grew.
        QVERIFY2(r.latencyMs(99) > 2 * r.serviceTime.percentileMs(99), qPrintable(figures));
        QVERIFY(r.notSent > 0); // the backlog left when the two seconds were up
        QTest::qWait(300);
    }

    // One worker and run() sleeping 50 ms: p99 ≈ 50 ms at concurrency 1, ≈ 200 at 4, ≈ 800 at 16
    // (requests queue for the one worker), so with a 400 ms limit the knee is at 4. The steps
    // are far apart so that a stall of a loaded machine cannot move the knee.
    void kneeSearchStopsWhereP99BreaksItsLimit()
    {
        LoadPlan base;
        base.request.url = m_slowServer.scoreUrl();
        base.request.body = R"({"sleep": 0.05})";
        KneeSettings settings;
        settings.concurrencies = {1, 4, 16, 32};
        settings.stepSeconds = 1.0;
        settings.p99LimitMs = 400;
        KneeSearch search;
        QSignalSpy steps(&search, &KneeSearch::stepFinished);
        QSignalSpy done(&search, &KneeSearch::finished);
        QVERIFY(search.start(base, settings, QStringLiteral("ep")));
        QVERIFY(done.wait(30000));
        const auto result = done.at(0).at(0).value<KneeResult>();
        QString figures = result.summary();
        for (const LoadReport &s : result.steps)
            figures +=
                QStringLiteral("\n  concurrency %1: %2").arg(s.plan.concurrency).arg(s.summary());
        QVERIFY2(steps.size() == 3, qPrintable(figures)); // 1, 4 and the step that broke the limit
        QCOMPARE(result.steps.size(), 3);
        QCOMPARE(result.knee, 4);
        QVERIFY2(result.reason.startsWith(u"at concurrency 16 p99 was "),
                 qPrintable(result.reason));
        QVERIFY(result.summary().startsWith(u"Knee at concurrency 4: at concurrency 16 p99 was"));
        for (const LoadReport &s : result.steps) {
            QCOMPARE(s.plan.mode, LoadMode::ClosedLoop);
            QVERIFY(s.elapsedSec >= 1.0);
            QCOMPARE(s.failures(), qint64(0));
        }
        // The server is saturated from concurrency 1 on: more connections add no throughput.
        QVERIFY(result.steps.at(2).requestsPerSec() < 1.3 * result.steps.at(0).requestsPerSec());
    }
};

QTEST_GUILESS_MAIN(TestLoadEngine)
#include "test_loadengine.moc"
