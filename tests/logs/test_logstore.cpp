#include "app/logs/logmerge.h"
#include "app/logs/logstore.h"
#include "tests/common/testsupport.h"

#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

class TestLogStore : public QObject
{
    Q_OBJECT
private slots:
    void ingestSplitsAtAnyByteBoundary();
    void scoringServerFormatGivesTimeAndLevel();
    void commonLevelForms_data();
    void commonLevelForms();
    void tracebackIsGroupedWithItsErrorLine();
    void bareAndChainedTracebacks();
    void ansiRunsBecomeSpans();
    void invalidUtf8IsShownNotFatal();
    void fiveMegabyteLine();
    void carriageReturnKeepsLastUpdate();
    void dockerTimestampPrefix();
    void capDropsOldestAndSaveKeepsAll();
    void clearForgetsLines();
    void saveSourceIsAPointInTime();
    void inactiveMergeRebuildsToTheSameOrder();
};

void TestLogStore::ingestSplitsAtAnyByteBoundary()
{
    QByteArray all;
    for (int i = 0; i < 5000; ++i)
        all += "2026-11-28 10:00:00,000 I [7] azmlinfsrv - line " + QByteArray::number(i) + '\n';
    LogStore store;
    QSignalSpy appended(&store, &LogStore::linesAppended);
    // Odd piece sizes split lines and multi-byte characters alike.
    for (qsizetype pos = 0; pos < all.size(); pos += 777)
        store.appendData(QByteArrayView(all).sliced(pos, qMin<qsizetype>(777, all.size() - pos)));
    store.flushNotifications();
    QCOMPARE(store.lineCount(), 5000);
    QCOMPARE(store.lineText(0),
             QStringLiteral("2026-11-28 10:00:00,000 I [7] azmlinfsrv - line 0"));
    QCOMPARE(store.lineText(4321),
             QStringLiteral("2026-11-28 10:00:00,000 I [7] azmlinfsrv - line 4321"));
    QCOMPARE(appended.size(), 1);
    QCOMPARE(appended.at(0).at(0).toLongLong(), 0);
    QCOMPARE(appended.at(0).at(1).toLongLong(), 5000);

    store.appendData("no newline yet");
    QCOMPARE(store.lineCount(), 5000);
    store.flushPartialLine();
    QCOMPARE(store.lineCount(), 5001);
    QCOMPARE(store.lineText(5000), QStringLiteral("no newline yet"));
}

void TestLogStore::scoringServerFormatGivesTimeAndLevel()
{
    LogStore store;
    store.appendData("2026-11-28 10:15:30,250 I [7] azmlinfsrv - Starting up\n"
                     "2026-11-28 10:15:31,001 W [7] azmlinfsrv.user_script - slow init\n"
                     "2026-11-28 10:15:32,002 E [7] azmlinfsrv - [abc-123] run() failed\n"
                     "2026-11-28 10:15:33,003 C [7] azmlinfsrv - dying\n"
                     "2026-11-28 10:15:34,004 D [7] azmlinfsrv - detail\n"
                     "2026-11-28 10:15:35,005 I [9] storage-initializer - staged 3 files\n");
    const qint64 expected =
        QDateTime(QDate(2026, 11, 28), QTime(10, 15, 30, 250), Qt::UTC).toMSecsSinceEpoch();
    QCOMPARE(store.timestampMs(0), expected);
    QCOMPARE(store.timestampMs(5), expected + 5000 - 250 + 5);
    QCOMPARE(store.level(0), LogLevel::Info);
    QCOMPARE(store.level(1), LogLevel::Warning);
    QCOMPARE(store.level(2), LogLevel::Error);
    QCOMPARE(store.level(3), LogLevel::Critical);
    QCOMPARE(store.level(4), LogLevel::Debug);
    QCOMPARE(store.level(5), LogLevel::Info);
}

void TestLogStore::commonLevelForms_data()
{
    QTest::addColumn<QByteArray>("line");
    QTest::addColumn<int>("level");
    auto row = [](const char *name, const char *line, LogLevel level) {
        QTest::newRow(name) << QByteArray(line) << int(level);
    };
    row("python default", "ERROR:root:something broke", LogLevel::Error);
    row("uvicorn", "INFO:     Started server process [1]", LogLevel::Info);
    row("gunicorn", "[2026-11-28 10:00:00 +0000] [7] [WARNING] Worker timeout", LogLevel::Warning);
    row("bracket lower", "[debug] cache miss", LogLevel::Debug);
    row("logfmt", "ts=1 level=error msg=\"disk full\"", LogLevel::Error);
    row("json", "{\"time\":\"x\",\"level\":\"warn\",\"msg\":\"hot\"}", LogLevel::Warning);
    row("json severity", "{\"severity\": \"CRITICAL\", \"message\": \"x\"}", LogLevel::Critical);
    row("json number", "{\"level\":50,\"msg\":\"pino error\"}", LogLevel::Error);
    row("fatal", "FATAL: could not open socket", LogLevel::Critical);
    row("plain", "Azure ML Inferencing HTTP server v1.5.1", LogLevel::None);
    row("word in prose", "this error is only prose, no level", LogLevel::None);
    row("identifier", "ERROR_COUNT=3 INFO2 x", LogLevel::None);
    row("path", "GET /api/info 200", LogLevel::None);
}

void TestLogStore::commonLevelForms()
{
    QFETCH(QByteArray, line);
    QFETCH(int, level);
    LogStore store;
    store.appendLine(line);
    QCOMPARE(int(store.level(0)), level);
}

void TestLogStore::tracebackIsGroupedWithItsErrorLine()
{
    LogStore store;
    // The scoring server logs the traceback as raw lines after its E line.
    store.appendData("2026-11-28 10:00:00,000 I [7] azmlinfsrv.access - [r1] POST /score 200\n"
                     "2026-11-28 10:00:01,000 E [7] azmlinfsrv - [r2] Encountered Exception "
                     "Traceback (most recent call last):\n"
                     "  File \"/var/azureml-app/score.py\", line 12, in run\n"
                     "    raise ValueError(\"INFO: bad input\")\n"
                     "ValueError: INFO: bad input\n"
                     "2026-11-28 10:00:02,000 I [7] azmlinfsrv.access - [r2] POST /score 500\n");
    QCOMPARE(store.lineCount(), 6);
    QCOMPARE(store.level(1), LogLevel::Error);
    QVERIFY(!(store.flags(1) & LogLineFlag::Continuation));
    for (qint64 line = 2; line <= 4; ++line) {
        QVERIFY2(store.flags(line) & LogLineFlag::Continuation, qPrintable(store.lineText(line)));
        QCOMPARE(store.level(line), LogLevel::Error);
        QCOMPARE(store.timestampMs(line), store.timestampMs(1));
    }
    QVERIFY(!(store.flags(store.endLine() - 1) & LogLineFlag::Continuation));
    QCOMPARE(store.level(store.endLine() - 1), LogLevel::Info);
}

void TestLogStore::bareAndChainedTracebacks()
{
    LogStore store;
    store.appendData("starting\n"
                     "Traceback (most recent call last):\n"
                     "  File \"<string>\", line 1, in <module>\n"
                     "KeyError: 'x'\n"
                     "\n"
                     "During handling of the above exception, another exception occurred:\n"
                     "\n"
                     "Traceback (most recent call last):\n"
                     "  File \"<string>\", line 3, in <module>\n"
                     "mymodule.CustomError: wrapped\n"
                     "next plain line\n");
    QCOMPARE(store.level(0), LogLevel::None);
    QCOMPARE(store.level(1), LogLevel::Error);
    QVERIFY(!(store.flags(1) & LogLineFlag::Continuation));
    for (qint64 line = 2; line <= 9; ++line) {
        QVERIFY2(store.flags(line) & LogLineFlag::Continuation, qPrintable(store.lineText(line)));
        QCOMPARE(store.level(line), LogLevel::Error);
    }
    QVERIFY(!(store.flags(10) & LogLineFlag::Continuation));
    QCOMPARE(store.level(10), LogLevel::None);
}

void TestLogStore::ansiRunsBecomeSpans()
{
    LogStore store;
    store.appendLine("\x1b[31mred\x1b[0m plain \x1b[1;38;5;82mbold green\x1b[0m\x1b[2K");
    store.appendLine("no colour");
    QCOMPARE(store.lineText(0), QStringLiteral("red plain bold green"));
    QVERIFY(store.flags(0) & LogLineFlag::Ansi);
    const QList<AnsiSpan> spans = store.spans(0);
    QCOMPARE(spans.size(), 2);
    QCOMPARE(spans[0].start, 0u);
    QCOMPARE(spans[0].length, 3u);
    QCOMPARE(spans[0].foreground, AnsiSpan::Indexed | 1u);
    QCOMPARE(spans[1].start, 10u);
    QCOMPARE(spans[1].length, 10u);
    QCOMPARE(spans[1].foreground, AnsiSpan::Indexed | 82u);
    QVERIFY(spans[1].attributes & AnsiSpan::Bold);
    QVERIFY(store.spans(1).isEmpty());
    QVERIFY(!(store.flags(1) & LogLineFlag::Ansi));

    // A sequence cut short by the next ESC is dropped and the next one still parsed, as a
    // terminal does; OSC hyperlinks and titles leave only their text.
    store.appendLine("a\x1b[3\x1b]8;;http://x\x07link\x1b]8;;\x1b\\ b\x1b[\x1b[32mgreen");
    QCOMPARE(store.lineText(2), QStringLiteral("alink bgreen"));
    QCOMPARE(store.spans(2).size(), 1);
    QCOMPARE(store.spans(2).first().foreground, AnsiSpan::Indexed | 2u);
}

void TestLogStore::invalidUtf8IsShownNotFatal()
{
    LogStore store;
    store.appendData("ok \xc3\xa9t\xc3\xa9\n"
                     "bad \xff\xfe bytes \xc3\n"
                     "\xe2\x82\n"
                     "after\n");
    QCOMPARE(store.lineCount(), 4);
    QCOMPARE(store.lineText(0), QStringLiteral("ok été"));
    const QString bad = store.lineText(1);
    QVERIFY(bad.startsWith(QStringLiteral("bad ")));
    QVERIFY(bad.contains(QChar(QChar::ReplacementCharacter)));
    QVERIFY(bad.contains(QStringLiteral(" bytes ")));
    QVERIFY(store.lineText(2).contains(QChar(QChar::ReplacementCharacter)));
    QCOMPARE(store.lineText(3), QStringLiteral("after"));
}

void TestLogStore::fiveMegabyteLine()
{
    LogStore store;
    store.appendLine("before");
    QByteArray big(5 * 1024 * 1024, 'x');
    big.replace(0, 5, "BEGIN");
    big.replace(big.size() - 3, 3, "END");
    for (qsizetype pos = 0; pos < big.size(); pos += 65536)
        store.appendData(QByteArrayView(big).sliced(pos, qMin<qsizetype>(65536, big.size() - pos)));
    store.appendData("\nafter\n");
    QCOMPARE(store.lineCount(), 3);
    QCOMPARE(store.lineBytes(1).size(), big.size());
    QVERIFY(store.lineBytes(1).startsWith("BEGIN"));
    QVERIFY(store.lineBytes(1).endsWith("END"));
    QCOMPARE(store.lineText(0), QStringLiteral("before"));
    QCOMPARE(store.lineText(2), QStringLiteral("after"));
}

void TestLogStore::carriageReturnKeepsLastUpdate()
{
    LogStore store;
    store.appendData("Downloading  10%\rDownloading  55%\rDownloading 100%\r\n"
                     "windows line\r\n");
    QCOMPARE(store.lineText(0), QStringLiteral("Downloading 100%"));
    QVERIFY(store.flags(0) & LogLineFlag::Progress);
    QCOMPARE(store.lineText(1), QStringLiteral("windows line"));
    QVERIFY(!(store.flags(1) & LogLineFlag::Progress));
}

void TestLogStore::dockerTimestampPrefix()
{
    LogStore store;
    store.appendData("2026-11-28T10:15:30.123456789Z 2026-11-28 10:15:30,120 W [1] azmlinfsrv - "
                     "hot\n"
                     "2026-11-28T10:15:31.5Z plain output\n"
                     "2026-11-28T12:15:32+02:00 offset form\n");
    const qint64 base =
        QDateTime(QDate(2026, 11, 28), QTime(10, 15, 30), Qt::UTC).toMSecsSinceEpoch();
    QCOMPARE(store.timestampMs(0), base + 123);
    QCOMPARE(store.lineText(0), QStringLiteral("2026-11-28 10:15:30,120 W [1] azmlinfsrv - hot"));
    QCOMPARE(store.level(0), LogLevel::Warning);
    QCOMPARE(store.timestampMs(1), base + 1500);
    QCOMPARE(store.lineText(1), QStringLiteral("plain output"));
    QCOMPARE(store.timestampMs(2), base + 2000);
    qsizetype consumed = 0;
    QCOMPARE(LogLineParser::parseDockerTimestamp("2026-11-28T10:15:30.000000001Z x", &consumed),
             base * 1000000 + 1);
    QCOMPARE(consumed, 31);
}

void TestLogStore::capDropsOldestAndSaveKeepsAll()
{
    LogStore store;
    store.setMaxLines(1000);
    QSignalSpy dropped(&store, &LogStore::linesDropped);
    QByteArray expected;
    for (int i = 0; i < 100000; ++i) {
        const QByteArray line = "line " + QByteArray::number(i) + " " + QByteArray(40, 'p');
        store.appendLine(line);
        expected += line + '\n';
    }
    store.flushNotifications();
    QCOMPARE(store.lineCount(), 1000);
    QCOMPARE(store.droppedCount(), 99000);
    QCOMPARE(store.firstLine(), 99000);
    QVERIFY(store.lineText(99000).startsWith(QStringLiteral("line 99000 ")));
    QVERIFY(store.lineText(98999).isEmpty()); // dropped
    QCOMPARE(dropped.size(), 1);
    QCOMPARE(dropped.at(0).at(1).toLongLong(), 99000);
    // Memory stays bounded by the cap, not by what went through.
    QVERIFY2(store.memoryBytes() < 4 * 1024 * 1024,
             qPrintable(QString::number(store.memoryBytes())));

    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("full.log"));
    const Result<qint64> saved = store.saveTo(path);
    QVERIFY2(saved.ok(), saved.ok() ? "" : qPrintable(saved.error().message));
    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QByteArray content = file.readAll();
    QCOMPARE(content.size(), expected.size());
    QVERIFY(content == expected);
}

void TestLogStore::clearForgetsLines()
{
    LogStore store;
    QSignalSpy cleared(&store, &LogStore::cleared);
    store.appendData("a\nb\n");
    store.clear();
    QCOMPARE(cleared.size(), 1);
    QCOMPARE(store.lineCount(), 0);
    QCOMPARE(store.firstLine(), 2);
    store.appendData("c\n");
    QCOMPARE(store.lineCount(), 1);
    QCOMPARE(store.lineText(2), QStringLiteral("c"));
}

void TestLogStore::saveSourceIsAPointInTime()
{
    // The log panel saves on a worker from a source taken on the UI thread; appends, drops
    // and even a clear() after that moment change nothing in the file.
    LogStore store;
    store.setMaxLines(1000);
    QByteArray expected;
    for (int i = 0; i < 50000; ++i) {
        const QByteArray line = "line " + QByteArray::number(i) + " " + QByteArray(40, 'x');
        store.appendLine(line);
        expected += line + '\n';
    }
    QVERIFY(store.droppedCount() > 0); // part of it is only in the spill file
    const LogStore::SaveSource source = store.saveSource();
    QVERIFY(source.spill);
    for (int i = 0; i < 20000; ++i)
        store.appendLine(QByteArray("later " + QByteArray::number(i) + " " + QByteArray(40, 'y')));
    store.clear(); // deletes the spill file
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("then.log"));
    const Result<qint64> saved = LogStore::save(source, path);
    QVERIFY2(saved.ok(), saved.ok() ? "" : qPrintable(saved.error().message));
    QCOMPARE(saved.value(), qint64(expected.size()));
    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    QVERIFY(file.readAll() == expected);

    // An unwritable target: a message naming the file, nothing half-written.
    const QString bad = dir.filePath(QStringLiteral("no-such-folder/x.log"));
    const Result<qint64> failed = LogStore::save(source, bad);
    QVERIFY(!failed.ok());
    QVERIFY2(failed.error().message.contains(bad), qPrintable(failed.error().message));
    QVERIFY(!QFile::exists(bad));
}

void TestLogStore::inactiveMergeRebuildsToTheSameOrder()
{
    // The merged tab's LogMerge does no work while hidden; shown again, it must hold exactly
    // what a merge that followed every batch holds: time order across both stores, arrival
    // order for equal times, late lines in their place, dropped and cleared lines gone.
    LogStore server;
    LogStore init;
    server.setMaxLines(3000);
    init.setMaxLines(3000);
    LogMerge live;
    live.setStores({&server, &init});
    LogMerge lazy;
    lazy.setActive(false);
    lazy.setStores({&server, &init});
    QSignalSpy lazyChanged(&lazy, &LogMerge::changed);
    const QDateTime base(QDate(2026, 11, 28), QTime(10, 0), Qt::UTC);
    auto stamp = [&](qint64 ms) {
        return base.addMSecs(ms).toString(Qt::ISODateWithMs).toLatin1();
    };
    auto compare = [&] {
        QCOMPARE(lazyChanged.size(), 0); // nothing while hidden
        QVERIFY(lazy.refs().empty());
        lazy.setActive(true);
        QCOMPARE(lazyChanged.size(), 1);
        QVERIFY(!live.refs().empty());
        QVERIFY(lazy.refs() == live.refs());
        for (size_t i = 1; i < live.refs().size(); ++i)
            QVERIFY(live.timestampMs(live.refs()[i - 1]) <= live.timestampMs(live.refs()[i]));
        lazy.setActive(false);
        lazyChanged.clear();
    };
    qint64 t = 0;
    for (int batch = 0; batch < 12; ++batch) {
        for (int i = 0; i < 400; ++i, t += 3) {
            server.appendData(QByteArray(stamp(t) + " server " + QByteArray::number(t) + '\n'));
            if (i % 3 == 0) // same time as a server line
                init.appendData(QByteArray(stamp(t) + " init " + QByteArray::number(t) + '\n'));
            if (i % 97 == 0) // a line that arrives late
                init.appendData(
                    QByteArray(stamp(t - 500) + " late " + QByteArray::number(t) + '\n'));
        }
        server.flushNotifications();
        init.flushNotifications();
    }
    QVERIFY(server.droppedCount() > 0); // the cap dropped lines from the front
    compare();
    init.clear();
    for (int i = 0; i < 50; ++i, t += 7)
        init.appendData(QByteArray(stamp(t) + " init again " + QByteArray::number(t) + '\n'));
    init.flushNotifications();
    compare();
}

QTEST_GUILESS_MAIN(TestLogStore)
#include "test_logstore.moc"
