#include "app/invoke/scoringclient.h"
#include "scoringserverprocess.h"
#include "tests/common/testsupport.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTest>
#include <QTimer>

// ScoringClient against the real scoring server running tests/invoke/fixtures (load runs:
// test_loadengine).
class TestScoringClient : public QObject
{
    Q_OBJECT

private:
    ScoringServerProcess m_server;

    ScoringRequest request(const QByteArray &body) const
    {
        ScoringRequest r;
        r.url = m_server.scoreUrl();
        r.body = body;
        return r;
    }

    static ScoringResponse sendAndWait(ScoringClient &client, const ScoringRequest &r,
                                       int waitMs = 20000)
    {
        QSignalSpy spy(&client, &ScoringClient::finished);
        const quint64 serial = client.send(r);
        if (!spy.wait(waitMs))
            return {};
        auto response = spy.at(0).at(0).value<ScoringResponse>();
        if (response.serial != serial)
            return {};
        return response;
    }

private slots:
    void initTestCase()
    {
        const QString error = m_server.start();
        QVERIFY2(error.isEmpty(), qPrintable(error));
    }
    void cleanupTestCase() { m_server.stop(); }

    void jsonOk()
    {
        ScoringClient client;
        ScoringRequest r = request(R"({"data": [[1, 2, 3], [10, 20, 30]]})");
        r.headers.append({QStringLiteral("x-ms-client-request-id"), QStringLiteral("client-42")});
        const ScoringResponse resp = sendAndWait(client, r);
        QCOMPARE(resp.status, 200);
        QCOMPARE(resp.reason, QStringLiteral("OK"));
        QVERIFY(resp.error.isEmpty());
        const QJsonObject body = QJsonDocument::fromJson(resp.body).object();
        QCOMPARE(body.value(u"sums").toArray(), (QJsonArray{6, 60}));
        QCOMPARE(body.value(u"label").toString(), QStringLiteral("ok"));
        QVERIFY(resp.contentType().startsWith(u"application/json"));
        QVERIFY(resp.looksLikeJson());
        QCOMPARE(resp.runFunctionFailed, std::optional<bool>(false));
        QCOMPARE(resp.clientRequestId, QStringLiteral("client-42"));
        QVERIFY(!resp.requestId.isEmpty());
        QCOMPARE(resp.size(), qint64(resp.body.size()));
        QVERIFY(resp.timings.totalMs > 0);
        QVERIFY(resp.timings.firstByteMs <= resp.timings.totalMs);
        QVERIFY(resp.timings.connectMs <= resp.timings.firstByteMs);
        QVERIFY(!resp.timings.reusedConnection); // first request of this client connects
        // A second request reuses the kept-alive connection.
        const ScoringResponse again = sendAndWait(client, r);
        QCOMPARE(again.status, 200);
        QVERIFY(again.timings.reusedConnection);
        QCOMPARE(again.timings.connectMs, 0.0);
    }

    void runFunctionFailedIsAResult()
    {
        ScoringClient client;
        const ScoringResponse resp = sendAndWait(client, request(R"({"fail": true})"));
        QCOMPARE(resp.status, 500);
        QVERIFY(resp.completed());
        QVERIFY(!resp.isSuccess());
        QVERIFY(resp.error.isEmpty());
        QCOMPARE(resp.runFunctionFailed, std::optional<bool>(true));
        QVERIFY(!resp.requestId.isEmpty());
        QVERIFY(resp.body.contains("An unexpected error occurred in scoring script"));
        QCOMPARE(resp.statusText(), QStringLiteral("500 Internal Server Error"));
        // The server's log names the same request id on the failure line.
        QTRY_VERIFY_WITH_TIMEOUT(m_server.output().contains(resp.requestId), 5000);
    }

    void deploymentHeaderAndAuthAreSent()
    {
        ScoringRequest r = request("{}");
        r.deployment = QStringLiteral("blue");
        r.auth = ScoringAuth::Key;
        r.authToken = QStringLiteral("sekret");
        const HttpHeaderList h = r.effectiveHeaders();
        QVERIFY(h.contains(
            qMakePair(QStringLiteral("azureml-model-deployment"), QStringLiteral("blue"))));
        QVERIFY(h.contains(
            qMakePair(QStringLiteral("Authorization"), QStringLiteral("Bearer sekret"))));
        QVERIFY(h.contains(
            qMakePair(QStringLiteral("Content-Type"), QStringLiteral("application/json"))));
        r.headers.append({QStringLiteral("content-type"), QStringLiteral("text/plain")});
        int contentTypes = 0;
        for (const auto &p : r.effectiveHeaders())
            contentTypes += p.first.compare(u"content-type", Qt::CaseInsensitive) == 0;
        QCOMPARE(contentTypes, 1); // the user's choice replaces the default
        ScoringClient client;
        QCOMPARE(sendAndWait(client, r).status, 200);
    }

    void getWithQuery()
    {
        ScoringRequest r;
        r.url = m_server.scoreUrl();
        r.url.setQuery(QStringLiteral("data=[[1,1]]"));
        r.method = ScoringMethod::Get;
        ScoringClient client;
        const ScoringResponse resp = sendAndWait(client, r);
        QCOMPARE(resp.status, 200);
        QCOMPARE(QJsonDocument::fromJson(resp.body).object().value(u"sums").toArray(),
                 QJsonArray{2});
    }

    void timeout()
    {
        ScoringClient client;
        ScoringRequest r = request(R"({"sleep": 3})");
        r.timeoutMs = 300;
        const ScoringResponse resp = sendAndWait(client, r);
        QVERIFY(resp.timedOut);
        QVERIFY(!resp.completed());
        QCOMPARE(resp.error, QStringLiteral("Timed out after 300 ms"));
        QVERIFY(resp.timings.totalMs >= 290 && resp.timings.totalMs < 2500);
    }

    void cancel()
    {
        ScoringClient client;
        QSignalSpy spy(&client, &ScoringClient::finished);
        const quint64 serial = client.send(request(R"({"sleep": 3})"));
        QCOMPARE(client.inFlight(), 1);
        QTimer::singleShot(200, &client, [&client, serial] { client.cancel(serial); });
        QVERIFY(spy.wait(2500));
        const auto resp = spy.at(0).at(0).value<ScoringResponse>();
        QVERIFY(resp.canceled);
        QVERIFY(!resp.completed());
        QCOMPARE(resp.statusText(), QStringLiteral("Cancelled"));
        QCOMPARE(client.inFlight(), 0);
    }

    void connectionRefused()
    {
        ScoringClient client;
        ScoringRequest r = request("{}");
        r.url =
            QUrl(QStringLiteral("http://127.0.0.1:%1/score").arg(ScoringServerProcess::freePort()));
        const ScoringResponse resp = sendAndWait(client, r);
        QVERIFY(!resp.completed());
        QVERIFY2(resp.error.contains(u"refused", Qt::CaseInsensitive), qPrintable(resp.error));
    }

    void bigBody()
    {
        ScoringClient client;
        const int n = 6 * 1024 * 1024;
        const ScoringResponse resp =
            sendAndWait(client, request(QByteArray(R"({"big": )") + QByteArray::number(n) + "}"));
        QCOMPARE(resp.status, 200);
        QVERIFY(resp.size() > n);
        const QJsonObject body = QJsonDocument::fromJson(resp.body).object();
        QCOMPARE(body.value(u"size").toInt(), n);
        QCOMPARE(body.value(u"blob").toString().size(), n);
    }
};

QTEST_GUILESS_MAIN(TestScoringClient)
#include "test_scoringclient.moc"
