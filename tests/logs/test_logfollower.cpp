#include "app/logs/logfollower.h"
#include "app/logs/logstore.h"
#include "tests/common/testsupport.h"

#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

namespace {

QStringList linesOf(const LogStore &store)
{
    QStringList lines;
    for (qint64 i = store.firstLine(); i < store.endLine(); ++i)
        lines << store.lineText(i);
    return lines;
}

} // namespace

class TestLogFollower : public QObject
{
    Q_OBJECT
private slots:
    void followsAProcessInBatches();
    void tailsAFileAndNoticesARestart();
};

void TestLogFollower::followsAProcessInBatches()
{
    LogStore store;
    LogFollower follower(&store);
    QSignalSpy appended(&store, &LogStore::linesAppended);
    // 20,000 lines written as fast as Python can, with a traceback on stderr at the end.
    follower.followProcess(
        QStringLiteral("/usr/bin/python3"),
        {QStringLiteral("-c"), QStringLiteral("import sys\n"
                                              "for i in range(20000): print(f'INFO line {i}')\n"
                                              "sys.stdout.flush()\n"
                                              "raise RuntimeError('boom')\n")});
    QTRY_COMPARE_WITH_TIMEOUT(follower.state(), LogFollower::State::Failed, 30000);
    QCOMPARE(follower.statusText(), QStringLiteral("/usr/bin/python3 exited with code 1"));
    const QStringList lines = linesOf(store);
    QCOMPARE(lines.size(), 20000 + 3);
    QCOMPARE(lines.at(0), QStringLiteral("INFO line 0"));
    QCOMPARE(lines.at(19999), QStringLiteral("INFO line 19999"));
    QCOMPARE(store.level(0), LogLevel::Info);
    QCOMPARE(lines.last(), QStringLiteral("RuntimeError: boom"));
    QCOMPARE(store.level(store.endLine() - 1), LogLevel::Error);
    QVERIFY(store.flags(store.endLine() - 1) & LogLineFlag::Continuation);
    // Batched: far fewer notifications than lines.
    QVERIFY2(appended.size() < 200, qPrintable(QString::number(appended.size())));
}

void TestLogFollower::tailsAFileAndNoticesARestart()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("inference-server.log"));
    LogStore store;
    LogFollower follower(&store);
    follower.setPollInterval(50);
    QSignalSpy restarted(&follower, &LogFollower::restarted);
    follower.followFile(path);
    QCOMPARE(follower.state(), LogFollower::State::Waiting); // the process has not started yet

    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("2026-11-28 10:00:00,000 I [7] azmlinfsrv - first\n");
    file.flush();
    QTRY_COMPARE_WITH_TIMEOUT(store.lineCount(), 1, 5000);
    QCOMPARE(follower.state(), LogFollower::State::Following);
    file.write("2026-11-28 10:00:01,000 I [7] azmlinfsrv - sec");
    file.flush();
    QTest::qWait(300);
    QCOMPARE(store.lineCount(), 1); // half a line waits for its end
    file.write("ond\n");
    file.flush();
    QTRY_COMPARE_WITH_TIMEOUT(store.lineCount(), 2, 5000);
    QCOMPARE(store.lineText(1),
             QStringLiteral("2026-11-28 10:00:01,000 I [7] azmlinfsrv - second"));
    file.close();

    // The process runtime starts a new process: a new file under the same name.
    QVERIFY(QFile::remove(path));
    QFile again(path);
    QVERIFY(again.open(QIODevice::WriteOnly));
    again.write("2026-11-28 10:05:00,000 I [8] azmlinfsrv - after restart\n");
    again.close();
    QTRY_COMPARE_WITH_TIMEOUT(restarted.size(), 1, 5000);
    QTRY_COMPARE_WITH_TIMEOUT(store.lineCount(), 4, 5000);
    QVERIFY(store.flags(2) & LogLineFlag::Marker);
    QVERIFY(store.lineText(2).contains(QStringLiteral("restarted")));
    QCOMPARE(store.lineText(3),
             QStringLiteral("2026-11-28 10:05:00,000 I [8] azmlinfsrv - after restart"));
}

QTEST_GUILESS_MAIN(TestLogFollower)
#include "test_logfollower.moc"
