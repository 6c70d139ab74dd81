#include "app/logs/logsearch.h"
#include "app/logs/logstore.h"
#include "tests/common/testsupport.h"

#include <QRegularExpression>
#include <QSignalSpy>
#include <QTest>

#include <random>

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

// 15 entries; every 4th an error with a traceback of 3 lines, the last one mentioning a needle.
void fillTracebacks(LogStore &store)
{
    QByteArray data;
    for (int i = 0; i < 15; ++i) {
        const QByteArray ts = "2026-11-28 10:00:" + QByteArray::number(i).rightJustified(2, '0');
        const QByteArray id = "req-" + QByteArray::number(i);
        if (i % 4 == 1)
            data += ts + ",000 E [7] azmlinfsrv - [" + id +
                    "] Encountered Exception Traceback (most recent call last):\n"
                    "  File \"score.py\", line 9, in run\n"
                    "    raise ValueError(\"Needle \" + " +
                    QByteArray::number(i) +
                    ")\n"
                    "ValueError: Needle in the stack " +
                    id + "\n";
        else
            data += ts + ",000 I [7] azmlinfsrv.access - [" + id + "] POST /score 200 0.52ms 12\n";
    }
    store.appendData(data);
}

bool sameResult(const LogSearchResult &a, const LogSearchResult &b)
{
    return a.fromLine == b.fromLine && a.toLine == b.toLine && a.visible == b.visible &&
           a.matches == b.matches && a.cancelled == b.cancelled && a.error == b.error;
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
    void chunksGiveTheSameResult();
    void nonAsciiAndInvalidUtf8();
    void cancelledChunkedSearch();
    void matcherAgreesWithQRegularExpression();
    void whateverAContainerPrintsIsStoredAndSearched();
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

void TestLogSearch::chunksGiveTheSameResult()
{
    // Split points fall everywhere, also inside tracebacks and between a traceback and the
    // error line it continues: the result must not change.
    LogStore store;
    fillTracebacks(store);
    const qint64 lines = store.lineCount();
    QCOMPARE(lines, 4 * 4 + 11);
    const std::atomic_bool no{false};
    struct Case
    {
        const char *name;
        LogQuery query;
        qint64 fromLine = 0;
    };
    std::vector<Case> cases;
    auto add = [&](const char *name, auto edit, qint64 fromLine = 0) {
        LogQuery q;
        q.onlyMatching = true;
        edit(q);
        cases.push_back({name, q, fromLine});
    };
    add("error line matches: its traceback shown", [](LogQuery &q) { q.pattern = "req-5]"; });
    add("only a traceback line matches", [](LogQuery &q) { q.pattern = "in the stack req-9"; });
    add("regex, case-insensitive", [](LogQuery &q) {
        q.regex = true;
        q.pattern = R"(REQ-\d*[159]\]|needle \" \+ 13)";
    });
    add("whole word, case-sensitive", [](LogQuery &q) {
        q.wholeWord = true;
        q.caseSensitive = true;
        q.pattern = "Needle";
    });
    add("plain, case-sensitive", [](LogQuery &q) {
        q.caseSensitive = true;
        q.pattern = "ValueError";
    });
    add("inverted", [](LogQuery &q) {
        q.inverted = true;
        q.pattern = "POST";
    });
    add("inverted regex", [](LogQuery &q) {
        q.inverted = true;
        q.regex = true;
        q.pattern = R"(req-\d+\] Enc)";
    });
    add("errors with text", [](LogQuery &q) {
        q.levelMask = logLevelBit(LogLevel::Error);
        q.pattern = "req-1";
    });
    add("highlight mode", [](LogQuery &q) {
        q.onlyMatching = false;
        q.regex = true;
        q.pattern = "^ValueError";
    });
    add(
        "from a line inside a traceback", [](LogQuery &q) { q.pattern = "req-9]"; }, 7);
    add(
        "from a line inside a traceback, inverted",
        [](LogQuery &q) {
            q.inverted = true;
            q.pattern = "req-9]";
        },
        6);

    for (const Case &c : cases) {
        const LogSearchResult serial =
            LogSearch::run(store.snapshot(), c.query, c.fromLine, no, {}, 1);
        QVERIFY2(!serial.matches.empty() && serial.error.isEmpty(), c.name);
        for (int chunks = 2; chunks <= lines + 1; ++chunks) {
            const LogSearchResult split =
                LogSearch::run(store.snapshot(), c.query, c.fromLine, no, {}, chunks);
            QVERIFY2(sameResult(serial, split),
                     qPrintable(QStringLiteral("%1, %2 chunks").arg(c.name).arg(chunks)));
        }
    }

    // The traceback of a matching error line is kept when each line is a chunk of its own.
    LogQuery q;
    q.onlyMatching = true;
    q.pattern = QStringLiteral("req-5]");
    const LogSearchResult r = LogSearch::run(store.snapshot(), q, 0, no, {}, int(lines));
    QCOMPARE(r.visible.size(), size_t(4));
    QVERIFY(store.lineText(r.visible.back()).startsWith(QStringLiteral("ValueError")));
}

void TestLogSearch::nonAsciiAndInvalidUtf8()
{
    // The search decodes each block itself; a line matches as its lineText() does.
    LogStore store;
    store.appendData("\xEF\xBB\xBF"
                     "bom first\n"
                     "bad \xFF\xC3 x\n"
                     "cut \xE2\x82\n"
                     "\xC3\xA4rger \xE2\x82\xAC 5\n"
                     "emoji \xF0\x9F\x98\x80 x\n"
                     "plain ascii x\n");
    const std::atomic_bool no{false};
    const QStringList patterns = {
        QStringLiteral("\\x{FFFD}"),   QStringLiteral("^bom"), QStringLiteral("€ \\d"),
        QStringLiteral("ÄRGER"),       QStringLiteral("x$"),   QStringLiteral("\\x{1F600} x"),
        QStringLiteral("^\\S+ \\S x"),
    };
    for (const QString &pattern : patterns) {
        LogQuery q;
        q.regex = true;
        q.pattern = pattern;
        const LogMatcher matcher(q);
        std::vector<qint64> expected;
        for (qint64 line = store.firstLine(); line < store.endLine(); ++line)
            if (matcher.matches(store.lineText(line)))
                expected.push_back(line);
        QVERIFY2(!expected.empty(), qPrintable(pattern));
        for (int chunks : {1, 3, 6}) {
            const LogSearchResult r = LogSearch::run(store.snapshot(), q, 0, no, {}, chunks);
            QVERIFY2(r.matches == expected, qPrintable(pattern));
        }
    }
}

void TestLogSearch::cancelledChunkedSearch()
{
    LogStore store;
    fillServerLog(store, 1000);
    const std::atomic_bool yes{true};
    LogQuery q;
    q.pattern = QStringLiteral("POST");
    const LogSearchResult r = LogSearch::run(store.snapshot(), q, 0, yes, {}, 3);
    QVERIFY(r.cancelled);
    QVERIFY(r.matches.empty());
}

void TestLogSearch::matcherAgreesWithQRegularExpression()
{
    // LogMatcher runs PCRE2 itself; its matches are QRegularExpression's (same options), also
    // for non-ASCII text, surrogate pairs, empty matches and line anchors.
    const QStringList lines = {
        QStringLiteral("Ärger über Straße: STRASSE, ärger"),
        QStringLiteral("emoji \U0001F600 then x\U0001F600y and 42.5ms"),
        QStringLiteral(""),
        QStringLiteral("needle needles Needle_x needle."),
        QStringLiteral("a1.5ms b22.75MS c3.ms"),
    };
    struct Pattern
    {
        QString text;
        bool regex;
        bool caseSensitive;
        bool wholeWord;
    };
    const std::vector<Pattern> patterns = {
        {QStringLiteral("ärger"), false, false, false},
        {QStringLiteral("ÄRGER"), false, false, true},
        {QStringLiteral("\\d+\\.\\d+ms"), true, false, false},
        {QStringLiteral("\\d+\\.\\d+ms"), true, true, false},
        {QStringLiteral("x.y"), true, true, false},
        {QStringLiteral("^$"), true, true, false},
        {QStringLiteral("e*"), true, false, false},
        {QStringLiteral("\\bneedle\\b|^a|s$"), true, false, false},
        {QStringLiteral("needle"), false, false, true},
        {QStringLiteral("\\w+"), true, false, true},
    };
    for (const Pattern &p : patterns) {
        LogQuery q;
        q.pattern = p.text;
        q.regex = p.regex;
        q.caseSensitive = p.caseSensitive;
        q.wholeWord = p.wholeWord;
        const LogMatcher matcher(q);
        QVERIFY2(matcher.isValid() && matcher.usesRegex(), qPrintable(p.text));
        QString source = p.regex ? p.text : QRegularExpression::escape(p.text);
        if (p.wholeWord)
            source = QStringLiteral("\\b(?:") + source + QStringLiteral(")\\b");
        QRegularExpression::PatternOptions options = QRegularExpression::MultilineOption;
        if (!p.caseSensitive)
            options |= QRegularExpression::CaseInsensitiveOption;
        const QRegularExpression re(source, options);
        for (const QString &line : lines) {
            // What LogMatcher did with QRegularExpression::match.
            QList<std::pair<qsizetype, qsizetype>> expected;
            for (qsizetype from = 0; from <= line.size();) {
                const QRegularExpressionMatch m = re.match(line, from);
                if (!m.hasMatch())
                    break;
                if (m.capturedLength() > 0)
                    expected.append({m.capturedStart(), m.capturedLength()});
                from = m.capturedStart() + qMax<qsizetype>(m.capturedLength(), 1);
            }
            QCOMPARE(matcher.ranges(line), expected);
            QCOMPARE(matcher.matches(line), re.match(line).hasMatch());
        }
    }

    // A lone surrogate (never produced by fromUtf8) fails the UTF-16 check: no match, as with
    // QRegularExpression.
    LogQuery any;
    any.regex = true;
    any.pattern = QStringLiteral("x");
    const QString broken = QStringLiteral("x") + QChar(0xD800) + QStringLiteral("x");
    QCOMPARE(LogMatcher(any).matches(broken),
             QRegularExpression(QStringLiteral("x")).match(broken).hasMatch());

    // Syntax errors read as QRegularExpression words them.
    LogQuery bad;
    bad.regex = true;
    bad.pattern = QStringLiteral("ab(c[d");
    const QRegularExpression qtBad(bad.pattern, QRegularExpression::MultilineOption |
                                                    QRegularExpression::CaseInsensitiveOption);
    QCOMPARE(
        LogMatcher(bad).errorString(),
        QStringLiteral("%1 at offset %2").arg(qtBad.errorString()).arg(qtBad.patternErrorOffset()));
}

void TestLogSearch::whateverAContainerPrintsIsStoredAndSearched()
{
    // Seeded garbage in the shapes containers print: escape sequences cut anywhere, NUL, \r
    // progress lines, invalid and truncated UTF-8, JSON, tracebacks, very long lines, fed in
    // random pieces. Nothing may crash; every line is counted, spans stay inside their line,
    // and every search mode runs over the result.
    std::mt19937 rng(7);
    const QList<QByteArray> pieces = {"\x1b[",
                                      "31m",
                                      "\x1b[0m",
                                      "\x1b[38;5;",
                                      "\x1b[1;4;7m",
                                      "\x1b]0;title\x07",
                                      "\x1b[2K",
                                      "\x1b[999999999999m",
                                      ";",
                                      "m",
                                      "\r",
                                      "\t",
                                      QByteArray(1, '\0'),
                                      "\xff",
                                      "\xc3",
                                      "\xe2\x82",
                                      "\xf0\x9f\x98\x80",
                                      "\xef\xbb\xbf",
                                      "{\"level\": \"error\", \"msg\": ",
                                      "Traceback (most "
                                      "recent call last):\n",
                                      "  File \"x.py\", line 1\n",
                                      "ValueError: x\n",
                                      "2026-11-28T10:00:00.000000000Z ",
                                      "2026-11-28 10:00:00,000 E [7] azmlinfsrv - ",
                                      "[",
                                      "] ",
                                      "ERROR ",
                                      "level=warn ",
                                      "text ",
                                      "\n",
                                      "\n",
                                      "\n"};
    QByteArray all;
    for (int i = 0; i < 60000; ++i) {
        all += pieces[int(rng() % unsigned(pieces.size()))];
        if (rng() % 5000 == 0)
            all += QByteArray(200000 + int(rng() % 100000), 'x'); // a long line
    }
    LogStore store;
    store.setMaxLines(0);
    for (qsizetype pos = 0; pos < all.size();) {
        const qsizetype n = qMin<qsizetype>(1 + rng() % 4096, all.size() - pos);
        store.appendData(QByteArrayView(all).sliced(pos, n));
        pos += n;
    }
    store.flushPartialLine();
    store.flushNotifications();
    const qint64 newlines = all.count('\n');
    QVERIFY2(store.lineCount() == newlines || store.lineCount() == newlines + 1,
             qPrintable(QStringLiteral("%1 lines stored for %2 newlines")
                            .arg(store.lineCount())
                            .arg(newlines)));
    for (qint64 line = store.firstLine(); line < store.endLine(); ++line) {
        const qsizetype size = store.lineBytes(line).size();
        for (const AnsiSpan &span : store.spans(line))
            QVERIFY2(qsizetype(span.start) + qsizetype(span.length) <= size,
                     qPrintable(QStringLiteral("line %1: span %2+%3 beyond %4 bytes")
                                    .arg(line)
                                    .arg(span.start)
                                    .arg(span.length)
                                    .arg(size)));
        (void)store.lineText(line);
    }
    qInfo("%lld lines from %lld bytes of garbage", store.lineCount(), qint64(all.size()));
    const std::atomic_bool no{false};
    const QStringList patterns = {QStringLiteral("error"), QStringLiteral("\\x"),
                                  QStringLiteral("(a|\\d+)+$"), QStringLiteral("€"),
                                  QStringLiteral("[")};
    for (const QString &pattern : patterns) {
        for (int mode = 0; mode < 8; ++mode) {
            LogQuery q;
            q.pattern = pattern;
            q.regex = mode & 1;
            q.caseSensitive = mode & 2;
            q.inverted = mode & 4;
            q.onlyMatching = true;
            const LogSearchResult r = LogSearch::run(store.snapshot(), q, 0, no);
            if (q.regex && pattern == u"[")
                QVERIFY(!r.error.isEmpty()); // an unfinished class is reported, not a crash
            else
                QVERIFY2(r.error.isEmpty(), qPrintable(r.error));
        }
    }
}

QTEST_GUILESS_MAIN(TestLogSearch)
#include "test_logsearch.moc"
