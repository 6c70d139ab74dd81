#include "app/invoke/requestsnippets.h"
#include "app/invoke/scoringclient.h"
#include "scoringserverprocess.h"
#include "tests/common/testsupport.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

// Copy as curl / Python: the snippets run for real and must get the answer the client got.
class TestRequestSnippets : public QObject
{
    Q_OBJECT

private:
    ScoringServerProcess m_server;

    ScoringResponse send(const ScoringRequest &r)
    {
        ScoringClient client;
        QSignalSpy spy(&client, &ScoringClient::finished);
        client.send(r);
        if (!spy.wait(20000))
            return {};
        return spy.at(0).at(0).value<ScoringResponse>();
    }

    // Quotes, $, backticks, backslashes, newlines and non-ASCII: everything a shell or a Python
    // literal could mangle.
    ScoringRequest nastyRequest() const
    {
        ScoringRequest r;
        r.url = m_server.scoreUrl();
        r.body = QStringLiteral("{\"msg\": \"it's $HOME `id` \\\\ \\\"q\\\" \\n tab\\t é ✓ 'x'\",\n"
                                " \"n\": [1, 2.5, -3]}")
                     .toUtf8();
        r.headers.append({QStringLiteral("x-ms-client-request-id"), QStringLiteral("snip'1")});
        r.deployment = QStringLiteral("blue");
        r.timeoutMs = 15000;
        return r;
    }

private slots:
    void initTestCase()
    {
        const QString error = m_server.start();
        QVERIFY2(error.isEmpty(), qPrintable(error));
    }
    void cleanupTestCase() { m_server.stop(); }

    void shellQuote()
    {
        QCOMPARE(RequestSnippets::shellQuote(QStringLiteral("a b")), QStringLiteral("'a b'"));
        QCOMPARE(RequestSnippets::shellQuote(QStringLiteral("it's")), QStringLiteral("'it'\\''s'"));
        QCOMPARE(RequestSnippets::shellQuote(QString()), QStringLiteral("''"));
        QCOMPARE(RequestSnippets::pythonString(QStringLiteral("a\"b\\c\nd")),
                 QStringLiteral("\"a\\\"b\\\\c\\nd\""));
    }

    void curlSnippetShape()
    {
        const QString s = RequestSnippets::curl(nastyRequest());
        QVERIFY(s.startsWith(u"curl -sS 'http://127.0.0.1:"));
        QVERIFY(s.contains(u"-H 'Content-Type: application/json'"));
        QVERIFY(s.contains(u"-H 'azureml-model-deployment: blue'"));
        QVERIFY(s.contains(u"-H 'x-ms-client-request-id: snip'\\''1'"));
        QVERIFY(s.contains(u"--max-time 15"));
        QVERIFY(s.contains(u"--data-binary '{\"msg\": \"it'\\''s $HOME"));
    }

    void curlReturnsTheSameBody()
    {
        const QString curl = QStandardPaths::findExecutable(QStringLiteral("curl"));
        if (curl.isEmpty())
            QFAIL("curl is not installed (apt-get install curl)");
        const ScoringRequest r = nastyRequest();
        const ScoringResponse viaClient = send(r);
        QCOMPARE(viaClient.status, 200);
        QCOMPARE(QJsonDocument::fromJson(viaClient.body)
                     .object()
                     .value(u"echo")
                     .toObject()
                     .value(u"msg"),
                 QJsonDocument::fromJson(r.body).object().value(u"msg"));

        const QString snippet = RequestSnippets::curl(r);
        const auto run =
            TestSupport::run(QStringLiteral("/bin/sh"), {QStringLiteral("-c"), snippet});
        QVERIFY2(run.finished && run.exitCode == 0, run.err.constData());
        QCOMPARE(run.out, viaClient.body);
    }

    void curlGetAndAuth()
    {
        ScoringRequest r;
        r.url = m_server.scoreUrl();
        r.url.setQuery(QStringLiteral("data=[[4,5]]"));
        r.method = ScoringMethod::Get;
        r.auth = ScoringAuth::Bearer;
        r.authToken = QStringLiteral("tok en'");
        const QString snippet = RequestSnippets::curl(r);
        QVERIFY(snippet.contains(u"-H 'Authorization: Bearer tok en'\\'''"));
        QVERIFY(!snippet.contains(u"--data-binary"));
        const auto run =
            TestSupport::run(QStringLiteral("/bin/sh"), {QStringLiteral("-c"), snippet});
        QVERIFY2(run.finished && run.exitCode == 0, run.err.constData());
        QCOMPARE(run.out, send(r).body);
        QCOMPARE(QJsonDocument::fromJson(run.out).object().value(u"sums").toArray(), QJsonArray{9});
    }

    void pythonSnippetReturnsTheSameBody()
    {
        const ScoringRequest r = nastyRequest();
        const ScoringResponse viaClient = send(r);
        QCOMPARE(viaClient.status, 200);
        const QString snippet = RequestSnippets::python(r);
        QVERIFY(snippet.startsWith(u"import requests\n"));
        QTemporaryDir dir;
        QFile file(dir.filePath(QStringLiteral("snippet.py")));
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(snippet.toUtf8());
        file.close();
        // python3-requests is not installed here: a urllib shim with the same API stands in.
        const QString shim = TestSupport::sourceDir() + u"/tests/invoke/fixtures/requests_shim";
        const auto run = TestSupport::run(
            QStringLiteral("/usr/bin/env"),
            {u"PYTHONPATH=" + shim, QStringLiteral("/usr/bin/python3"), file.fileName()});
        QVERIFY2(run.finished && run.exitCode == 0, run.err.constData());
        QCOMPARE(run.out, QByteArray("200\n") + viaClient.body + '\n');
    }
};

QTEST_GUILESS_MAIN(TestRequestSnippets)
#include "test_requestsnippets.moc"
