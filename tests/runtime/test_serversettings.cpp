#include "app/runtime/containerruntime.h"
#include "app/runtime/instancetypes.h"
#include "app/runtime/serversettings.h"
#include "app/runtime/usagesampler.h"

#include <QJsonObject>
#include <QTest>

// What a deployment's server runs with, computed from the YAML: the Azure size table, limits
// capped to the host, the environment variables' defaults, and what the Status tab and `show`
// print. No Docker, no processes.
class TestServerSettings : public QObject
{
    Q_OBJECT
private:
    static constexpr qint64 GiB = 1024LL * 1024 * 1024;

    static DeploymentSpec spec(const QString &instanceType)
    {
        DeploymentSpec s;
        s.instanceType = instanceType;
        return s;
    }

private slots:
    void sizesAsAzureDocumentsThem_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<int>("vcpus");
        QTest::addColumn<double>("memoryGiB");
        QTest::addColumn<int>("gpus");
        // One row per family, from each family's page of Azure's VM size documentation.
        QTest::newRow("DSv2") << "Standard_DS2_v2" << 2 << 7.0 << 0;
        QTest::newRow("DSv2 smallest") << "Standard_DS1_v2" << 1 << 3.5 << 0;
        QTest::newRow("Dv3") << "Standard_D4_v3" << 4 << 16.0 << 0;
        QTest::newRow("Dsv3") << "Standard_D8s_v3" << 8 << 32.0 << 0;
        QTest::newRow("Fsv2") << "Standard_F4s_v2" << 4 << 8.0 << 0;
        QTest::newRow("Ev3") << "Standard_E64_v3" << 64 << 432.0 << 0;
        QTest::newRow("Esv3") << "Standard_E2s_v3" << 2 << 16.0 << 0;
        QTest::newRow("NCv3") << "Standard_NC6s_v3" << 6 << 112.0 << 1;
        QTest::newRow("NCasT4_v3") << "Standard_NC64as_T4_v3" << 64 << 440.0 << 4;
        QTest::newRow("any case") << "standard_ds3_v2" << 4 << 14.0 << 0;
    }
    void sizesAsAzureDocumentsThem()
    {
        QFETCH(QString, name);
        QFETCH(int, vcpus);
        QFETCH(double, memoryGiB);
        QFETCH(int, gpus);
        const auto t = InstanceTypes::find(name);
        QVERIFY(t);
        QCOMPARE(t->vcpus, vcpus);
        QCOMPARE(t->memoryGiB, memoryGiB);
        QCOMPARE(t->gpus, gpus);
        QVERIFY(t->source.startsWith(
            QStringLiteral("https://learn.microsoft.com/azure/virtual-machines/sizes/")));
    }

    void everySizeHasASource()
    {
        QVERIFY(InstanceTypes::all().size() >= 50);
        for (const InstanceType &t : InstanceTypes::all()) {
            QVERIFY2(!t.source.isEmpty() && t.vcpus > 0 && t.memoryGiB > 0, qPrintable(t.name));
            QCOMPARE(InstanceTypes::find(t.name)->name, t.name); // names are unique
        }
        QVERIFY(!InstanceTypes::find(QStringLiteral("Standard_Nonsense_v9")));
    }

    void limitsFromTheSize()
    {
        const ServerSettings s = ServerSettings::fromSpec(spec(QStringLiteral("Standard_DS2_v2")),
                                                          false, {64, 256 * GiB});
        QCOMPARE(s.cpus, 2.0);
        QCOMPARE(s.memoryBytes, 7 * GiB);
        QCOMPARE(s.pidsLimit, ServerSettings::defaultPidsLimit);
        QVERIFY(s.notes.isEmpty());
        QCOMPARE(s.limitsText(), QStringLiteral("2 CPUs, 7 GiB memory, 4096 processes"));
        QCOMPARE(s.oomReason(),
                 QStringLiteral("OOMKilled: the scoring server used more than Standard_DS2_v2's "
                                "7 GiB"));
        QCOMPARE(s.oomReason(QStringLiteral("MemoryError")),
                 QStringLiteral("MemoryError: the scoring server used more than "
                                "Standard_DS2_v2's 7 GiB"));
    }

    void cappedToTheHostWithANote()
    {
        const ServerSettings s =
            ServerSettings::fromSpec(spec(QStringLiteral("Standard_E16_v3")), false, {2, 8 * GiB});
        QCOMPARE(s.cpus, 2.0);
        QCOMPARE(s.memoryBytes, 8 * GiB);
        QCOMPARE(s.notes, QStringList({QStringLiteral("Standard_E16_v3 has 16 vCPUs in Azure; this "
                                                      "machine has 2: limited to 2"),
                                       QStringLiteral("Standard_E16_v3 has 128 GiB in Azure; this "
                                                      "machine has 8 GiB: limited to 8 GiB")}));
        // Capped, the limit is no longer the size's: the reason names the limit itself.
        QCOMPARE(s.oomReason(), QStringLiteral("OOMKilled: the scoring server used more than its "
                                               "8 GiB memory limit"));
    }

    void unknownOrMissingSizeHasNoLimits()
    {
        ServerSettings s =
            ServerSettings::fromSpec(spec(QStringLiteral("Standard_B2s")), false, {2, 8 * GiB});
        QCOMPARE(s.memoryBytes, 0);
        QCOMPARE(s.cpus, 0.0);
        QVERIFY2(s.notes.value(0).contains(QStringLiteral("Standard_B2s is not in the studio's "
                                                          "table of Azure sizes")),
                 qPrintable(s.notes.join(u'\n')));
        s = ServerSettings::fromSpec(spec({}), false, {2, 8 * GiB});
        QCOMPARE(s.notes, QStringList({QStringLiteral("no instance_type: no memory or CPU "
                                                      "limit")}));
    }

    void gpuSizes()
    {
        ServerSettings s = ServerSettings::fromSpec(spec(QStringLiteral("Standard_NC4as_T4_v3")),
                                                    false, {8, 64 * GiB});
        QVERIFY(s.notes.contains(QStringLiteral("Standard_NC4as_T4_v3 has 1 GPU in Azure; "
                                                "deployed without --local-enable-gpu, the model "
                                                "runs on CPU here")));
        s = ServerSettings::fromSpec(spec(QStringLiteral("Standard_NC4as_T4_v3")), true,
                                     {8, 64 * GiB});
        QVERIFY(s.gpu);
        QVERIFY(s.notes.filter(QStringLiteral("GPU")).isEmpty());
        QVERIFY(s.limitsText().endsWith(QStringLiteral("all GPUs")));
    }

    // azmlinfsrv's defaults (WORKER_COUNT 1, WORKER_TIMEOUT 300, SCORING_TIMEOUT_MS 3600000),
    // overridden by environment_variables; a value that is not a number is said.
    void workerSettingsFromTheEnvironment()
    {
        DeploymentSpec d = spec({});
        ServerSettings s = ServerSettings::fromSpec(d, false, {2, 8 * GiB});
        QCOMPARE(s.workerCount, 1);
        QCOMPARE(s.workerTimeoutS, 300);
        QCOMPARE(s.scoringTimeoutMs, 3600000);
        d.environmentVariables.insert(QStringLiteral("WORKER_COUNT"), QStringLiteral("4"));
        d.environmentVariables.insert(QStringLiteral("WORKER_TIMEOUT"), QStringLiteral("soon"));
        d.environmentVariables.insert(QStringLiteral("SCORING_TIMEOUT_MS"), QStringLiteral("900"));
        d.livenessProbe.failureThreshold = 3;
        s = ServerSettings::fromSpec(d, false, {2, 8 * GiB});
        QCOMPARE(s.workerCount, 4);
        QCOMPARE(s.workerTimeoutS, 300);
        QCOMPARE(s.scoringTimeoutMs, 900);
        QCOMPARE(s.liveness.failureThreshold, 3);
        QVERIFY(s.notes.contains(QStringLiteral("environment_variables.WORKER_TIMEOUT 'soon' is "
                                                "not a whole number; the default 300 applies")));
    }

    void jsonRoundTrip()
    {
        ServerSettings s =
            ServerSettings::fromSpec(spec(QStringLiteral("Standard_F2s_v2")), false, {1, 64 * GiB});
        s.server = ServerKind::BuiltIn;
        s.serverProgram = QStringLiteral("/usr/bin/python3");
        const QJsonObject o = s.toJson();
        QCOMPARE(o.value(QStringLiteral("server")).toString(), QStringLiteral("built-in"));
        QVERIFY(o.value(QStringLiteral("server_note"))
                    .toString()
                    .startsWith(QStringLiteral("azureml-inference-server-http is not in the "
                                               "environment")));
        QCOMPARE(o.value(QStringLiteral("instance_type_in_azure"))
                     .toObject()
                     .value(QStringLiteral("memory_gib"))
                     .toDouble(),
                 4.0);
        const ServerSettings back = ServerSettings::fromJson(o);
        QCOMPARE(back.toJson(), o);
        QCOMPARE(back.server, ServerKind::BuiltIn);
        QCOMPARE(back.cpus, 1.0);
        QCOMPARE(back.sku->name, QStringLiteral("Standard_F2s_v2"));
    }

    void serverFromTheSupervisorsLine()
    {
        ServerKind kind = ServerKind::Unknown;
        QString program;
        QVERIFY(
            !ContainerRuntime::serverFromLog(QStringLiteral("no such line\n"), &kind, &program));
        const QString log = QStringLiteral(
            "studio-supervisor: server=built-in program=/usr/bin/python3: not there\n"
            "... a reload ...\n"
            "studio-supervisor: server=azmlinfsrv program=/opt/env/bin/azmlinfsrv: the "
            "environment's\n");
        QVERIFY(ContainerRuntime::serverFromLog(log, &kind, &program));
        QCOMPARE(kind, ServerKind::AzureServer); // the last one counts
        QCOMPARE(program, QStringLiteral("/opt/env/bin/azmlinfsrv"));
    }

    void dockerStatsFigures()
    {
        QCOMPARE(UsageSampler::parsePercent(QStringLiteral("12.5%")), 12.5);
        QCOMPARE(UsageSampler::parseBytes(QStringLiteral("772KiB ")), 772LL * 1024);
        QCOMPARE(UsageSampler::parseBytes(QStringLiteral(" 7GiB")), 7 * GiB);
        QCOMPARE(UsageSampler::parseBytes(QStringLiteral("25.5MiB")), qint64(25.5 * 1024 * 1024));
        QCOMPARE(UsageSampler::parseBytes(QStringLiteral("1.5kB")), 1500);
        QCOMPARE(UsageSampler::parseBytes(QStringLiteral("0B")), 0);
        QCOMPARE(UsageSampler::parseBytes(QStringLiteral("--")), 0);
    }
};

QTEST_GUILESS_MAIN(TestServerSettings)
#include "test_serversettings.moc"
