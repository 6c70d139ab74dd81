#include "app/invoke/invokehistory.h"
#include "app/invoke/scoringclient.h"
#include "scoringserverprocess.h"
#include "tests/common/testsupport.h"

#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

// InvokeHistory on disk: what one instance writes, a fresh instance (a restarted studio) reads.
class TestInvokeHistory : public QObject
{
    Q_OBJECT

private:
    ScoringServerProcess m_server;
    QTemporaryDir m_data;

    ScoringResponse send(const ScoringRequest &r)
    {
        ScoringClient client;
        QSignalSpy spy(&client, &ScoringClient::finished);
        client.send(r);
        if (!spy.wait(20000))
            return {};
        return spy.at(0).at(0).value<ScoringResponse>();
    }

    ScoringRequest request(const QByteArray &body) const
    {
        ScoringRequest r;
        r.url = m_server.scoreUrl();
        r.body = body;
        r.deployment = QStringLiteral("blue");
        r.auth = ScoringAuth::Key;
        r.authToken = QStringLiteral("do-not-store-me");
        r.headers.append({QStringLiteral("x-ms-client-request-id"), QStringLiteral("hist-1")});
        return r;
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_data.isValid());
        qputenv("XDG_DATA_HOME", m_data.path().toUtf8());
        const QString error = m_server.start();
        QVERIFY2(error.isEmpty(), qPrintable(error));
    }
    void cleanupTestCase() { m_server.stop(); }

    void defaultRootFollowsXdgDataHome()
    {
        QCOMPARE(InvokeHistory::defaultRoot(), m_data.path() + u"/endpoint-studio/history");
        InvokeHistory h(QStringLiteral("my-endpoint"));
        QCOMPARE(h.directory(), m_data.path() + u"/endpoint-studio/history/my-endpoint");
    }

    void persistedAcrossInstances()
    {
        const ScoringRequest r1 = request(R"({"data": [[1, 2]]})");
        const ScoringRequest r2 = request(R"({"fail": true})");
        const ScoringResponse ok = send(r1);
        const ScoringResponse failed = send(r2);
        QCOMPARE(ok.status, 200);
        QCOMPARE(failed.status, 500);
        {
            InvokeHistory h(QStringLiteral("persist-ep"));
            QVERIFY(h.entries().isEmpty());
            QVERIFY(h.add(r1, ok).ok());
            QTest::qWait(2); // distinct millisecond ids keep the order obvious
            QVERIFY(h.add(r2, failed).ok());
            QCOMPARE(h.entries().size(), 2);
        }
        InvokeHistory fresh(QStringLiteral("persist-ep"));
        QCOMPARE(fresh.entries().size(), 2);
        const InvokeHistoryEntry &newest = fresh.entries().at(0);
        const InvokeHistoryEntry &oldest = fresh.entries().at(1);
        // Request and response both survive.
        QCOMPARE(newest.request.body, r2.body);
        QCOMPARE(newest.request.url, r2.url);
        QCOMPARE(newest.request.deployment, QStringLiteral("blue"));
        QCOMPARE(newest.request.auth, ScoringAuth::Key);
        QCOMPARE(newest.request.header(QStringLiteral("x-ms-client-request-id")),
                 QStringLiteral("hist-1"));
        QCOMPARE(newest.response.status, 500);
        QCOMPARE(newest.response.runFunctionFailed, std::optional<bool>(true));
        QCOMPARE(newest.response.requestId, failed.requestId);
        QCOMPARE(newest.response.body, failed.body);
        QCOMPARE(oldest.response.status, 200);
        QCOMPARE(oldest.response.body, ok.body);
        QCOMPARE(oldest.response.header("content-type"), ok.header("content-type"));
        QCOMPARE(oldest.response.timings.totalMs, ok.timings.totalMs);
        QVERIFY(oldest.title().contains(u"POST 200"));
        // The secret never reaches the disk.
        for (const QString &name : QDir(fresh.directory()).entryList(QDir::Files)) {
            QFile f(fresh.directory() + u'/' + name);
            QVERIFY(f.open(QIODevice::ReadOnly));
            QVERIFY(!f.readAll().contains("do-not-store-me"));
        }
        QVERIFY(fresh.entry(newest.id).has_value());
        // Another endpoint has its own list.
        QVERIFY(InvokeHistory(QStringLiteral("other-ep")).entries().isEmpty());
    }

    void deleteRemovesTheFile()
    {
        InvokeHistory h(QStringLiteral("delete-ep"));
        const ScoringRequest r = request(R"({"data": [[3]]})");
        const auto added = h.add(r, send(r));
        QVERIFY(added.ok());
        QVERIFY(QFile::exists(h.directory() + u'/' + added->id + u".json"));
        QVERIFY(h.remove(added->id));
        QVERIFY(!QFile::exists(h.directory() + u'/' + added->id + u".json"));
        QVERIFY(InvokeHistory(QStringLiteral("delete-ep")).entries().isEmpty());
        QVERIFY(!h.remove(added->id));
    }

    void oldestDroppedBeyondTheCap()
    {
        InvokeHistory h(QStringLiteral("cap-ep"));
        h.setMaxEntries(3);
        const ScoringRequest r = request(R"({"data": [[1]]})");
        const ScoringResponse resp = send(r);
        QStringList ids;
        for (int i = 0; i < 5; ++i) {
            ids.append(h.add(r, resp)->id);
            QTest::qWait(2);
        }
        QCOMPARE(h.entries().size(), 3);
        QCOMPARE(QDir(h.directory()).entryList(QDir::Files).size(), 3);
        QCOMPARE(h.entries().at(0).id, ids.at(4));
        QVERIFY(!h.entry(ids.at(0)));
    }

    void bigBodiesAreCutButKeepTheirSize()
    {
        const ScoringRequest r = request(R"({"big": 3000000})");
        const ScoringResponse resp = send(r);
        QCOMPARE(resp.status, 200);
        InvokeHistory h(QStringLiteral("big-ep"));
        QVERIFY(h.add(r, resp).ok());
        InvokeHistory fresh(QStringLiteral("big-ep"));
        QCOMPARE(fresh.entries().size(), 1);
        QVERIFY(fresh.entries().at(0).responseBodyTruncated);
        QCOMPARE(fresh.entries().at(0).responseBodySize, resp.size());
        QCOMPARE(fresh.entries().at(0).response.body.size(), InvokeHistory::MaxStoredBody);
    }

    void brokenFilesAreSkipped()
    {
        InvokeHistory h(QStringLiteral("broken-ep"));
        QVERIFY(QDir().mkpath(h.directory()));
        QFile f(h.directory() + u"/20990101T000000000-000000.json");
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("{ not json");
        f.close();
        h.reload();
        QVERIFY(h.entries().isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestInvokeHistory)
#include "test_invokehistory.moc"
