#include "app/logs/logfollower.h"
#include "app/logs/logstore.h"
#include "tests/common/testsupport.h"

#include <QScopeGuard>
#include <QSignalSpy>
#include <QTest>
#include <QUuid>

namespace {

QStringList linesOf(const LogStore &store)
{
    QStringList lines;
    for (qint64 i = store.firstLine(); i < store.endLine(); ++i)
        lines << store.lineText(i);
    return lines;
}

} // namespace

// Follows a real container on the Docker engine (label: docker).
class TestLogFollowerDocker : public QObject
{
    Q_OBJECT
private slots:
    void followsAContainerAcrossARestart();
};

void TestLogFollowerDocker::followsAContainerAcrossARestart()
{
    STUDIO_REQUIRE_DOCKER_ENGINE();
    const QString docker = TestSupport::dockerProgram();
    const QString name = QStringLiteral("studio-logtest-") +
                         QUuid::createUuid().toString(QUuid::WithoutBraces).left(8);
    const auto cleanup = qScopeGuard([&] {
        TestSupport::run(docker, {QStringLiteral("rm"), QStringLiteral("-f"), name}, 30000);
    });
    // Counts from 0 on every start; stops itself via `docker restart` from the test.
    const TestSupport::ProcessResult started =
        TestSupport::run(docker,
                         {QStringLiteral("run"), QStringLiteral("-d"), QStringLiteral("--name"),
                          name, QStringLiteral("endpoint-studio/python:3.11-bookworm"),
                          QStringLiteral("python3"), QStringLiteral("-u"), QStringLiteral("-c"),
                          QStringLiteral("import time\n"
                                         "for i in range(100000):\n"
                                         "    print(f'INFO tick {i}')\n"
                                         "    time.sleep(0.05)\n")},
                         60000);
    QVERIFY2(started.exitCode == 0, started.err.constData());

    LogStore store;
    LogFollower follower(&store);
    follower.setPollInterval(200);
    QSignalSpy restarted(&follower, &LogFollower::restarted);
    follower.followContainer(docker, name);
    QTRY_VERIFY_WITH_TIMEOUT(store.lineCount() >= 5, 20000);
    QCOMPARE(follower.state(), LogFollower::State::Following);
    QCOMPARE(store.lineText(store.firstLine()), QStringLiteral("INFO tick 0"));
    QVERIFY(store.timestampMs(store.firstLine()) > 0);

    const TestSupport::ProcessResult restart = TestSupport::run(
        docker, {QStringLiteral("restart"), QStringLiteral("-t"), QStringLiteral("1"), name},
        60000);
    QVERIFY2(restart.exitCode == 0, restart.err.constData());
    QTRY_COMPARE_WITH_TIMEOUT(restarted.size(), 1, 30000);
    QTRY_VERIFY_WITH_TIMEOUT(linesOf(store).count(QStringLiteral("INFO tick 2")) == 2, 20000);

    const QStringList lines = linesOf(store);
    const qsizetype marker = lines.indexOf(QStringLiteral("── %1 restarted ──").arg(name));
    QVERIFY2(marker > 0, qPrintable(lines.join(u'\n')));
    QVERIFY(store.flags(store.firstLine() + marker) & LogLineFlag::Marker);
    // Before the marker: the first run, counting up without repeats; after it: from 0 again.
    for (qsizetype i = 0; i < marker; ++i) {
        if (lines.at(i).startsWith(u'─'))
            continue; // "exited with code" marker
        QCOMPARE(lines.at(i), QStringLiteral("INFO tick %1").arg(i));
    }
    QCOMPARE(lines.at(marker + 1), QStringLiteral("INFO tick 0"));
    QCOMPARE(follower.restartCount(), 1);
}

QTEST_GUILESS_MAIN(TestLogFollowerDocker)
#include "test_logfollower_docker.moc"
