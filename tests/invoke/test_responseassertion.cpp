#include "app/invoke/responseassertion.h"
#include "app/invoke/scoringclient.h"
#include "scoringserverprocess.h"
#include "tests/common/testsupport.h"

#include <QSignalSpy>
#include <QTest>

// Assertions evaluated against real answers of the scoring server.
class TestResponseAssertion : public QObject
{
    Q_OBJECT

private:
    ScoringServerProcess m_server;
    ScoringResponse m_ok;
    ScoringResponse m_failed;

    ScoringResponse send(const QByteArray &body)
    {
        ScoringRequest r;
        r.url = m_server.scoreUrl();
        r.body = body;
        ScoringClient client;
        QSignalSpy spy(&client, &ScoringClient::finished);
        client.send(r);
        if (!spy.wait(20000))
            return {};
        return spy.at(0).at(0).value<ScoringResponse>();
    }

    static ResponseAssertion::Outcome check(const ScoringResponse &r, const QString &target,
                                            const QString &op, const QString &expected = {})
    {
        return ResponseAssertion{target, op, expected, true}.evaluate(r);
    }

private slots:
    void initTestCase()
    {
        const QString error = m_server.start();
        QVERIFY2(error.isEmpty(), qPrintable(error));
        m_ok = send(R"({"data": [[1, 2, 3], [4, 5, 6]]})");
        m_failed = send(R"({"fail": true})");
        QCOMPARE(m_ok.status, 200);
        QCOMPARE(m_failed.status, 500);
    }
    void cleanupTestCase() { m_server.stop(); }

    void statusPassesAndFails()
    {
        QVERIFY(check(m_ok, QStringLiteral("status"), QStringLiteral("eq"), QStringLiteral("200"))
                    .passed);
        const auto failed =
            check(m_failed, QStringLiteral("status"), QStringLiteral("eq"), QStringLiteral("200"));
        QVERIFY(!failed.passed);
        QCOMPARE(failed.actual, QStringLiteral("500"));
        QCOMPARE(failed.message, QStringLiteral("expected 200, got 500"));
        QVERIFY(
            check(m_failed, QStringLiteral("status"), QStringLiteral("gte"), QStringLiteral("500"))
                .passed);
    }

    void jsonPaths()
    {
        QVERIFY(check(m_ok, QStringLiteral("$.sums[1]"), QStringLiteral("eq"), QStringLiteral("15"))
                    .passed);
        QVERIFY(
            check(m_ok, QStringLiteral("$.sums"), QStringLiteral("eq"), QStringLiteral("[6, 15]"))
                .passed);
        QVERIFY(
            check(m_ok, QStringLiteral("$.sums[-1]"), QStringLiteral("gt"), QStringLiteral("10"))
                .passed);
        QVERIFY(check(m_ok, QStringLiteral("label"), QStringLiteral("eq"), QStringLiteral("\"ok\""))
                    .passed);
        QVERIFY(
            check(m_ok, QStringLiteral("$['label']"), QStringLiteral("eq"), QStringLiteral("ok"))
                .passed);
        QVERIFY(
            check(m_ok, QStringLiteral("$.sums"), QStringLiteral("contains"), QStringLiteral("6"))
                .passed);
        QVERIFY(check(m_ok, QStringLiteral("$.count"), QStringLiteral("exists")).passed);
        QVERIFY(check(m_ok, QStringLiteral("$.nothing"), QStringLiteral("notExists")).passed);

        const auto wrong =
            check(m_ok, QStringLiteral("$.sums[0]"), QStringLiteral("eq"), QStringLiteral("7"));
        QVERIFY(!wrong.passed);
        QCOMPARE(wrong.actual, QStringLiteral("6"));
        QCOMPARE(wrong.message, QStringLiteral("expected 7, got 6"));

        const auto missing =
            check(m_ok, QStringLiteral("$.data[0]"), QStringLiteral("eq"), QStringLiteral("1"));
        QVERIFY(!missing.passed);
        QCOMPARE(missing.message, QStringLiteral("no key 'data' at $"));

        const auto range =
            check(m_ok, QStringLiteral("$.sums[5]"), QStringLiteral("eq"), QStringLiteral("1"));
        QVERIFY(!range.passed);
        QCOMPARE(range.message, QStringLiteral("index 5 out of range at $.sums (size 2)"));
        QVERIFY(check(m_failed, QStringLiteral("$.message"), QStringLiteral("contains"),
                      QStringLiteral("scoring script"))
                    .passed);
    }

    void headers()
    {
        QVERIFY(check(m_failed, QStringLiteral("header x-ms-run-function-failed"),
                      QStringLiteral("eq"), QStringLiteral("True"))
                    .passed);
        QVERIFY(!check(m_ok, QStringLiteral("header x-ms-run-function-failed"),
                       QStringLiteral("eq"), QStringLiteral("True"))
                     .passed);
        QVERIFY(!check(m_ok, QStringLiteral("header x-nope"), QStringLiteral("exists")).passed);
    }

    void noResponseFailsEverything()
    {
        ScoringResponse none;
        none.error = QStringLiteral("Connection refused");
        const auto o =
            check(none, QStringLiteral("status"), QStringLiteral("eq"), QStringLiteral("200"));
        QVERIFY(!o.passed);
        QCOMPARE(o.message, QStringLiteral("no response: Connection refused"));
        QVERIFY(!check(none, QStringLiteral("$.x"), QStringLiteral("exists")).passed);
    }

    void evaluateAllKeepsOrder()
    {
        const QList<ResponseAssertion> list{
            {QStringLiteral("status"), QStringLiteral("eq"), QStringLiteral("200"), true},
            {QStringLiteral("$.count"), QStringLiteral("eq"), QStringLiteral("3"), true}};
        const auto outcomes = ResponseAssertion::evaluateAll(list, m_ok);
        QCOMPARE(outcomes.size(), 2);
        QVERIFY(outcomes.at(0).passed);
        QVERIFY(!outcomes.at(1).passed);
        QCOMPARE(ResponseAssertion::fromJson(list.at(1).toJson()).expected, QStringLiteral("3"));
    }
};

QTEST_GUILESS_MAIN(TestResponseAssertion)
#include "test_responseassertion.moc"
