#include "tests/common/testsupport.h"

#include <QTest>

class TestEndpointctl : public QObject
{
    Q_OBJECT
private:
    static QString ctl() { return TestSupport::binDir() + QStringLiteral("/endpointctl"); }

private slots:
    void versionPrintsTheVersion()
    {
        const auto result = TestSupport::run(ctl(), {QStringLiteral("--version")});
        QCOMPARE(result.exitCode, 0);
        QCOMPARE(result.out.trimmed(), QByteArray("endpointctl " STUDIO_VERSION));
    }

    void helpListsTheCommands()
    {
        const auto result = TestSupport::run(ctl(), {QStringLiteral("--help")});
        QCOMPARE(result.exitCode, 0);
        QVERIFY(result.out.contains("online-endpoint"));
        QVERIFY(result.out.contains("online-deployment"));
        QVERIFY(result.out.contains("validate"));
    }

    void unknownCommandIsAUsageError()
    {
        const auto result = TestSupport::run(ctl(), {QStringLiteral("frobnicate")});
        QCOMPARE(result.exitCode, 2);
        QVERIFY(result.err.contains("unknown command 'frobnicate'"));
    }
};

QTEST_GUILESS_MAIN(TestEndpointctl)
#include "test_endpointctl.moc"
