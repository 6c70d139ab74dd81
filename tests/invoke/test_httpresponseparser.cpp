#include "app/invoke/httpresponseparser.h"

#include <QTest>

#include <string>

// The load engine's HTTP/1.1 response reader: every framing a scoring server or a proxy in
// front of it uses, fed whole and split at every byte, plus the answers it must refuse.
class TestHttpResponseParser : public QObject
{
    Q_OBJECT

    // Feeds `wire` in pieces of `step` bytes; returns the bytes used by the first response.
    static std::size_t feedInSteps(HttpResponseParser &p, const std::string &wire, std::size_t step)
    {
        std::size_t used = 0;
        while (used < wire.size() && !p.done() && !p.failed()) {
            const std::size_t n = std::min(step, wire.size() - used);
            used += p.feed(wire.data() + used, n);
        }
        return used;
    }

private slots:
    void contentLengthAtEverySplit()
    {
        const std::string wire = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                                 "Content-Length: 11\r\nx-ms-run-fn-exec-ms: 0.125\r\n"
                                 "x-ms-server-version: azmlinfsrv/1.5.1-studio\r\n"
                                 "azureml-model-deployment: blue\r\n\r\n[1.5, 2.25]";
        for (std::size_t step = 1; step <= wire.size(); ++step) {
            HttpResponseParser p;
            p.reset(true, 100);
            QCOMPARE(feedInSteps(p, wire, step), wire.size());
            QVERIFY2(p.done(), p.error().c_str());
            QCOMPARE(p.status(), 200);
            QCOMPARE(p.reason(), std::string("OK"));
            QCOMPARE(p.contentLength(), std::int64_t(11));
            QCOMPARE(p.bodyBytes(), std::int64_t(11));
            QCOMPARE(p.body(), std::string("[1.5, 2.25]"));
            QCOMPARE(p.serverMs(), 0.125);
            QCOMPARE(p.serverVersion(), std::string("azmlinfsrv/1.5.1-studio"));
            QCOMPARE(p.deployment(), std::string("blue"));
            QVERIFY(p.keepAlive());
        }
    }

    void chunkedWithExtensionsAndTrailersAtEverySplit()
    {
        // As nginx or a streaming server sends it: sizes in hex, an extension, a trailer.
        const std::string wire = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n"
                                 "Connection: keep-alive\r\n\r\n"
                                 "5\r\nhello\r\n"
                                 "1A;name=value\r\nabcdefghijklmnopqrstuvwxyz\r\n"
                                 "0\r\nx-checksum: 1\r\n\r\n";
        for (std::size_t step = 1; step <= wire.size(); ++step) {
            HttpResponseParser p;
            p.reset(true, 1000);
            QCOMPARE(feedInSteps(p, wire, step), wire.size());
            QVERIFY2(p.done(), p.error().c_str());
            QVERIFY(p.chunked());
            QCOMPARE(p.bodyBytes(), std::int64_t(31));
            QCOMPARE(p.body(), std::string("helloabcdefghijklmnopqrstuvwxyz"));
            QVERIFY(p.keepAlive());
        }
    }

    void secondResponseIsLeftForTheNext()
    {
        const std::string first = "HTTP/1.1 204 No Content\r\nx-ms-run-fn-exec-ms: 3\r\n\r\n";
        const std::string second =
            "HTTP/1.1 500 Internal Server Error\r\nContent-Length: 2\r\n\r\n{}";
        const std::string wire = first + second;
        HttpResponseParser p;
        p.reset();
        QCOMPARE(p.feed(wire.data(), wire.size()), first.size());
        QVERIFY(p.done());
        QCOMPARE(p.status(), 204);
        QCOMPARE(p.serverMs(), 3.0);
        p.reset(true, 1);
        QCOMPARE(p.feed(wire.data() + first.size(), second.size()), second.size());
        QCOMPARE(p.status(), 500);
        QCOMPARE(p.reason(), std::string("Internal Server Error"));
        QCOMPARE(p.serverMs(), -1.0); // not carried over from the previous answer
        QCOMPARE(p.body(), std::string("{"));
    }

    void interimContinueIsSkipped()
    {
        const std::string wire = "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 201 Created\r\n"
                                 "Content-Length: 0\r\n\r\n";
        HttpResponseParser p;
        p.reset();
        QCOMPARE(feedInSteps(p, wire, 3), wire.size());
        QVERIFY(p.done());
        QCOMPARE(p.status(), 201);
    }

    void closeFramingAndHttp10()
    {
        HttpResponseParser p;
        p.reset();
        const std::string closing =
            "HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 2\r\n\r\nok";
        p.feed(closing.data(), closing.size());
        QVERIFY(p.done());
        QVERIFY(!p.keepAlive());

        // No length, no chunking: the body runs until the server closes.
        p.reset();
        const std::string http10 = "HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\nsome body";
        QCOMPARE(p.feed(http10.data(), http10.size()), http10.size());
        QVERIFY(!p.done());
        QCOMPARE(p.state(), HttpResponseParser::State::UntilClose);
        p.closed();
        QVERIFY(p.done());
        QCOMPARE(p.bodyBytes(), std::int64_t(9));
        QVERIFY(!p.keepAlive());

        p.reset();
        const std::string kept =
            "HTTP/1.0 200 OK\r\nConnection: Keep-Alive\r\nContent-Length: 0\r\n\r\n";
        p.feed(kept.data(), kept.size());
        QVERIFY(p.done());
        QVERIFY(p.keepAlive());

        // HEAD: a Content-Length, but no body follows.
        p.reset(false);
        const std::string head = "HTTP/1.1 200 OK\r\nContent-Length: 500\r\n\r\n";
        p.feed(head.data(), head.size());
        QVERIFY(p.done());
    }

    void bareLineFeedsAndLeadingBlankLine()
    {
        const std::string wire = "\r\nHTTP/1.1 200 OK\nContent-Length: 3\n\nabc";
        HttpResponseParser p;
        p.reset();
        QCOMPARE(feedInSteps(p, wire, 1), wire.size());
        QVERIFY(p.done());
        QCOMPARE(p.bodyBytes(), std::int64_t(3));
    }

    void refusesBrokenAnswers_data()
    {
        QTest::addColumn<QByteArray>("wire");
        QTest::addColumn<QString>("error");
        QTest::newRow("not http") << QByteArray("SSH-2.0-OpenSSH_9.2\r\n\r\n")
                                  << "does not start with an HTTP/1.x status line";
        QTest::newRow("status") << QByteArray("HTTP/1.1 2x0 OK\r\n\r\n") << "bad status code";
        QTest::newRow("length") << QByteArray("HTTP/1.1 200 OK\r\nContent-Length: -4\r\n\r\n")
                                << "bad Content-Length";
        QTest::newRow("two lengths")
            << QByteArray("HTTP/1.1 200 OK\r\nContent-Length: 4\r\nContent-Length: 5\r\n\r\n")
            << "bad Content-Length";
        QTest::newRow("chunk size") << QByteArray("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked"
                                                  "\r\n\r\nzz\r\n")
                                    << "bad chunk size line";
        QTest::newRow("chunk overrun") << QByteArray("HTTP/1.1 200 OK\r\nTransfer-Encoding: "
                                                     "chunked\r\n\r\n2\r\nabc\r\n")
                                       << "longer than its size line";
        QTest::newRow("huge head")
            << ("HTTP/1.1 200 OK\r\nX: " + QByteArray(70000, 'a')) << "over 64 KB";
    }
    void refusesBrokenAnswers()
    {
        QFETCH(QByteArray, wire);
        QFETCH(QString, error);
        HttpResponseParser p;
        p.reset();
        p.feed(wire.constData(), std::size_t(wire.size()));
        QVERIFY(p.failed());
        QVERIFY2(QString::fromStdString(p.error()).contains(error), p.error().c_str());
        QVERIFY(!p.keepAlive());
    }

    void closedEarly()
    {
        HttpResponseParser p;
        p.reset();
        p.closed();
        QVERIFY(p.failed());
        QCOMPARE(p.error(), std::string("the server closed the connection without answering"));
        QVERIFY(!p.receivedAnything());
        p.reset();
        const std::string part = "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc";
        p.feed(part.data(), part.size());
        QVERIFY(p.receivedAnything());
        p.closed();
        QVERIFY(p.failed());
        QCOMPARE(p.error(),
                 std::string("the server closed the connection in the middle of the answer"));
    }
};

QTEST_GUILESS_MAIN(TestHttpResponseParser)
#include "test_httpresponseparser.moc"
