#include "tests/common/testsupport.h"

#include <QTest>

// Proves the Docker path is real: a container from the offline base image runs Python.
class TestDockerSmoke : public QObject
{
    Q_OBJECT
private slots:
    void pythonRunsInBaseImage()
    {
        STUDIO_REQUIRE_DOCKER_ENGINE();
        const QString image = QStringLiteral("endpoint-studio/python:3.11-bookworm");
        const auto inspect =
            TestSupport::run(TestSupport::dockerProgram(),
                             {QStringLiteral("image"), QStringLiteral("inspect"),
                              QStringLiteral("--format"), QStringLiteral("{{.Id}}"), image});
        QVERIFY2(inspect.exitCode == 0,
                 qPrintable(QStringLiteral("base image %1 missing; run "
                                           "scripts/build-base-images.sh: %2")
                                .arg(image, QString::fromUtf8(inspect.err))));

        const auto result = TestSupport::run(
            TestSupport::dockerProgram(),
            {QStringLiteral("run"), QStringLiteral("--rm"), QStringLiteral("--network=none"), image,
             QStringLiteral("python3"), QStringLiteral("-c"),
             QStringLiteral("import sys, json; print(json.dumps({'sum': 6 * 7, "
                            "'major': sys.version_info[0]}))")},
            120000);
        QVERIFY2(result.finished, "docker run did not finish in 120 s");
        QCOMPARE(result.exitCode, 0);
        QCOMPARE(result.out.trimmed(), QByteArray(R"({"sum": 42, "major": 3})"));
        qInfo("docker run of %s printed: %s", qPrintable(image), result.out.trimmed().constData());
    }
};

QTEST_GUILESS_MAIN(TestDockerSmoke)
#include "test_docker_smoke.moc"
