#include "app/logsearch.h"
#include "app/logstore.h"
#include "tests/common/testsupport.h"

#include <QSignalSpy>
#include <QTest>

namespace {

// 10,000 lines of scoring-server output; every 100th request fails with a traceback.
void fillServerLog(LogStore &store, int requests)
{
    QByteArray data;
    for (int i = 0; i < requests; ++i) {
        const QByteArray ts =
            "2026-11-28 10:" + QByteArray::number(10 + i / 6000).rightJustified(2, '0') + ":" +
            QByteArray::number((i / 100) % 60).rightJustified(2, '0') + ",000";
        const QByteArray id = "req-" + QByteArray::number(i);
        if (i % 100 == 42) {
            data += ts + " E [7] azmlinfsrv - [" + id +
                    "] Encountered Exception Traceback (most recent call last):\n"
                    "  File \"score.py\", line 9, in run\n"
                    "ValueError: needle in the stack\n";
            data += ts + " I [7] azmlinfsrv.access - [" + id + "] POST /score 500 1.20ms 21\n";
        } else {
            data += ts + " I [7] azmlinfsrv.access - [" + id + "] POST /score 200 0.52ms 12\n";
        }
    }
    store.appendData(data);
}

} // namespace

class TestLogSearch : public QObject
{
    Q_OBJECT
private slots:
    void plainCaseAndWholeWord();
    void regexAndInverted();
    void onlyMatchingAndLevelFilter();
    void timeRange();
    void matchesDoNotCrossLines();
    void invalidRegexIsReported();
    void asyncProgressAndResult();
    void cancelStopsAndNewSearchWins();
    void incrementalFromLine();
};

void TestLogSearch::plainCaseAndWholeWord()
{
    LogStore store;
    store.appendData("Needle here\nneedle there\nneedles plural\nno match\nNEEDLE\n");
    const std::atomic_bool no{false};
    LogQuery q;
    q.pattern = QStringLiteral("needle");
    QCOMPARE(LogSearch::run(store.snapshot(), q, 0, no).matches, (std::vector<qint64>{0, 1, 2, 4}));
    q.caseSensitive = true;
    QCOMPARE(LogSearch::run(store.snapshot(), q, 0, no).matches, (std::vector<qint64>{1, 2}));
    q.caseSensitive = false;
    q.wholeWord = true;
    QCOMPARE(LogSearch::run(store.snapshot(), q, 0, no).matches, (std::vector<qint64>{0, 1, 4}));
    // Highlight mode shows all lines: no visible list is computed.
    QVERIFY(LogSearch::run(store.snapshot(), q, 0, no).visible.empty());
}

void TestLogSearch::regexAndInverted()
{
    LogStore store;
    fillServerLog(store, 1000);
    const std::atomic_bool no{false};
    LogQuery q;
    q.regex = true;
    q.pattern = QStringLiteral("\\[req-\\d*7\\] POST /score 200");
    const LogSearchResult r = LogSearch::run(store.snapshot(), q, 0, no);
    QCOMPARE(r.matches.size(), size_t(100)); // ids ending in 7, none of them failed
    QVERIFY(store.lineText(r.matches.front()).contains(QStringLiteral("[req-7]")));
    q.inverted = true;
    const LogSearchResult inv = LogSearch::run(store.snapshot(), q, 0, no);
    QCOMPARE(inv.matches.size(), size_t(store.lineCount() - 100));
}

void TestLogSearch::onlyMatchingAndLevelFilter()
{
    LogStore store;
    fillServerLog(store, 1000);
    const std::atomic_bool no{false};
    LogQuery q;
    q.levelMask = logLevelBit(LogLevel::Error) | logLevelBit(LogLevel::Critical);
    LogSearchResult r = LogSearch::run(store.snapshot(), q, 0, no);
    // 10 failures × (error line + 2 traceback lines), the tracebacks kept with their error.
    QCOMPARE(r.visible.size(), size_t(30));
    QVERIFY(store.lineText(r.visible[2]).startsWith(QStringLiteral("ValueError")));

    q.levelMask = AllLogLevels;
    q.pattern = QStringLiteral("POST /score 500");
    q.onlyMatching = true;
    r = LogSearch::run(store.snapshot(), q, 0, no);
    QCOMPARE(r.visible.size(), size_t(10));
    QCOMPARE(r.visible, r.matches);
    for (qint64 line : r.visible)
        QVERIFY(store.lineText(line).contains(QStringLiteral("500 1.20ms")));
}

void TestLogSearch::timeRange()
{
    LogStore store;
    fillServerLog(store, 1000); // minute 10, seconds 0..9 (100 requests per second)
    const std::atomic_bool no{false};
    LogQuery q;
    const qint64 base =
        QDateTime(QDate(2026, 11, 28), QTime(10, 10, 0), Qt::UTC).toMSecsSinceEpoch();
    q.fromMs = base + 3000;
    q.toMs = base + 4999;
    const LogSearchResult r = LogSearch::run(store.snapshot(), q, 0, no);
    QCOMPARE(r.visible.size(), size_t(2 * 100 + 2 * 3)); // 2 failures with 3 extra lines
    QVERIFY(store.lineText(r.visible.front()).contains(QStringLiteral("[req-300]")));
    QVERIFY(store.lineText(r.visible.back()).contains(QStringLiteral("[req-499]")));
}

void TestLogSearch::matchesDoNotCrossLines()
{
    LogStore store;
    store.appendData("alpha\nbeta\nalpha beta\n");
    const std::atomic_bool no{false};
    LogQuery q;
    q.regex = true;
    q.pattern = QStringLiteral("alpha\\s+beta");
    QCOMPARE(LogSearch::run(store.snapshot(), q, 0, no).matches, (std::vector<qint64>{2}));
    q.pattern = QStringLiteral("^$");
    store.appendData("\nafter\n");
    QCOMPARE(LogSearch::run(store.snapshot(), q, 0, no).matches, (std::vector<qint64>{3}));
}

void TestLogSearch::invalidRegexIsReported()
{
    LogStore store;
    store.appendData("x\n");
    LogSearch search;
    QSignalSpy finished(&search, &LogSearch::finished);
    LogQuery q;
    q.regex = true;
    q.pattern = QStringLiteral("(unclosed");
    search.start(store.snapshot(), q);
    QVERIFY(finished.wait(5000));
    const auto result = finished.at(0).at(0).value<LogSearchResult>();
    QVERIFY(result.error.contains(QStringLiteral("offset")));
    QVERIFY(result.matches.empty());
}

void TestLogSearch::asyncProgressAndResult()
{
    LogStore store;
    fillServerLog(store, 200000);
    LogSearch search;
    QSignalSpy progress(&search, &LogSearch::progress);
    QSignalSpy finished(&search, &LogSearch::finished);
    LogQuery q;
    q.pattern = QStringLiteral("needle");
    q.onlyMatching = true;
    search.start(store.snapshot(), q);
    QVERIFY(search.isRunning());
    QVERIFY(finished.wait(60000));
    QVERIFY(!search.isRunning());
    const auto result = finished.at(0).at(0).value<LogSearchResult>();
    QCOMPARE(result.visible.size(), size_t(2000));
    QVERIFY(!progress.isEmpty());
    QCOMPARE(progress.last().at(0).toInt(), 100);
}

void TestLogSearch::cancelStopsAndNewSearchWins()
{
    LogStore store;
    fillServerLog(store, 200000);
    LogSearch search;
    QSignalSpy finished(&search, &LogSearch::finished);
    LogQuery slow;
    slow.regex = true;
    slow.pattern = QStringLiteral("(a|b|c|d)*z{2,}"); // scans every line
    search.start(store.snapshot(), slow);
    search.cancel();
    QVERIFY(!search.isRunning());
    QTest::qWait(300);
    QCOMPARE(finished.size(), 0); // a cancelled search reports nothing

    search.start(store.snapshot(), slow);
    LogQuery fast;
    fast.pattern = QStringLiteral("[req-4242]");
    fast.onlyMatching = true;
    const quint64 generation = search.start(store.snapshot(), fast);
    QVERIFY(finished.wait(60000));
    QTest::qWait(200);
    QCOMPARE(finished.size(), 1); // only the latest search answers
    const auto result = finished.at(0).at(0).value<LogSearchResult>();
    QCOMPARE(result.generation, generation);
    QCOMPARE(result.visible.size(), size_t(4)); // error line, 2 traceback lines, access line
}

void TestLogSearch::incrementalFromLine()
{
    LogStore store;
    store.appendData("match 1\nother\n");
    const std::atomic_bool no{false};
    LogQuery q;
    q.pattern = QStringLiteral("match");
    const qint64 searched = LogSearch::run(store.snapshot(), q, 0, no).toLine;
    QCOMPARE(searched, 2);
    store.appendData("match 2\nmatch 3\n");
    const LogSearchResult more = LogSearch::run(store.snapshot(), q, searched, no);
    QCOMPARE(more.matches, (std::vector<qint64>{2, 3}));
}

QTEST_GUILESS_MAIN(TestLogSearch)
#include "test_logsearch.moc"
