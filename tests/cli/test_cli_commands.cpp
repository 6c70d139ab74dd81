#include "tests/common/testsupport.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRandomGenerator>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

// endpointctl's az commands, run as a user runs them: the real binary, real files, a real
// Docker engine or the process runtime, each test with its own state folder.
class TestCliCommands : public QObject
{
    Q_OBJECT
private:
    struct Run
    {
        int exitCode = -1;
        QByteArray out;
        QByteArray err;
    };

    QTemporaryDir m_data;
    QStringList m_endpoints; // created by a test; deleted in cleanup()

    Run ctl(const QStringList &args, const QMap<QString, QString> &env = {}, int timeoutMs = 180000)
    {
        QProcess process;
        QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
        environment.insert(QStringLiteral("XDG_DATA_HOME"), m_data.path());
        for (auto it = env.cbegin(); it != env.cend(); ++it)
            environment.insert(it.key(), it.value());
        process.setProcessEnvironment(environment);
        process.setStandardInputFile(QProcess::nullDevice());
        process.start(TestSupport::binDir() + QStringLiteral("/endpointctl"), args);
        if (!process.waitForFinished(timeoutMs)) {
            process.kill();
            process.waitForFinished();
            return {-1, process.readAllStandardOutput(), process.readAllStandardError()};
        }
        return {process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1,
                process.readAllStandardOutput(), process.readAllStandardError()};
    }

    static QString uniqueName(const QString &prefix)
    {
        return QStringLiteral("%1-%2").arg(prefix).arg(
            QRandomGenerator::global()->bounded(100000, 999999));
    }

    static QList<double> numbers(const QJsonValue &value)
    {
        QList<double> list;
        for (const QJsonValue &v : value.toArray())
            list << v.toDouble();
        return list;
    }

    static QByteArray sha256(const QString &path)
    {
        QFile file(path);
        if (!file.open(QIODevice::ReadOnly))
            return {};
        return QCryptographicHash::hash(file.readAll(), QCryptographicHash::Sha256);
    }

private slots:
    void initTestCase() { QVERIFY(m_data.isValid()); }

    void cleanup()
    {
        for (const QString &endpoint : std::as_const(m_endpoints))
            ctl({"online-endpoint", "delete", "-n", endpoint, "--yes"});
        m_endpoints.clear();
    }

    void usageErrorsExitTwo_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("message");
        QTest::newRow("no command") << QStringList{"online-endpoint"} << "usage:";
        QTest::newRow("unknown command") << QStringList{"online-deployment", "frob"}
                                         << "'online-deployment frob' is not a command";
        QTest::newRow("unknown option")
            << QStringList{"online-endpoint", "show", "-n", "x", "--frob"}
            << "unrecognized arguments: --frob";
        QTest::newRow("missing name") << QStringList{"online-endpoint", "show", "--local"}
                                      << "the following arguments are required: --name/-n";
        QTest::newRow("missing endpoint")
            << QStringList{"online-deployment", "show", "-n", "blue"}
            << "the following arguments are required: --endpoint-name/-e";
        QTest::newRow("deployment create without file")
            << QStringList{"online-deployment", "create", "-n", "blue", "-e", "ep1"}
            << "the following arguments are required: --file/-f";
        QTest::newRow("bad output") << QStringList{"online-endpoint", "list", "-o", "xml"}
                                    << "argument --output/-o: invalid choice: 'xml'";
        QTest::newRow("bad query") << QStringList{"online-endpoint", "list", "--query", "[0"}
                                   << "argument --query: invalid jmespath_query value: '[0'";
        QTest::newRow("bad runtime") << QStringList{"online-endpoint", "list", "--runtime", "vm"}
                                     << "argument --runtime: invalid choice: 'vm'";
        QTest::newRow("set without =")
            << QStringList{"online-deployment",
                           "create",
                           "-f",
                           TestSupport::examplesDir() + "/linear-python/blue-deployment.yml",
                           "--set",
                           "instance_count"}
            << "--set expects KEY=VALUE";
        QTest::newRow("all-traffic with no-wait")
            << QStringList{"online-deployment",
                           "create",
                           "-f",
                           TestSupport::examplesDir() + "/linear-python/blue-deployment.yml",
                           "--all-traffic",
                           "--no-wait"}
            << "--all-traffic cannot be used with --no-wait";
        QTest::newRow("bad traffic")
            << QStringList{"online-endpoint", "update", "-n", "ep1", "--traffic", "blue=ninety"}
            << "'blue=ninety' is not DEPLOYMENT=PERCENT";
        QTest::newRow("negative lines")
            << QStringList{"online-deployment", "get-logs", "-n", "b", "-e", "e", "--lines", "-5"}
            << "argument --lines: invalid int value: '-5'";
        QTest::newRow("invoke without request file")
            << QStringList{"online-endpoint", "invoke", "-n", "ep1"}
            << "the following arguments are required: --request-file/-r";
    }
    void usageErrorsExitTwo()
    {
        QFETCH(QStringList, args);
        QFETCH(QString, message);
        const Run run = ctl(args, {{"ENDPOINT_STUDIO_RUNTIME", "process"}});
        QCOMPARE(run.exitCode, 2);
        QVERIFY2(run.err.contains(message.toUtf8()), run.err.constData());
        QVERIFY(run.out.isEmpty());
    }

    // --query is az's JMESPath: functions work, a query that does not compile is a usage error
    // with a caret under the column, and one that fails on the result (a function given the
    // wrong type) exits 1 after the command did its work.
    void queryIsJmesPath()
    {
        const QMap<QString, QString> env{{"ENDPOINT_STUDIO_RUNTIME", "process"}};
        // The list holds whatever endpoints the machine has; the queries do not depend on them.
        Run run =
            ctl({"online-endpoint", "list", "--query", "[type(@), length(@) >= `0`]", "-o", "tsv"},
                env);
        QCOMPARE(run.exitCode, 0);
        QCOMPARE(run.out, QByteArray("array\nTrue\n")); // tsv: one line per item, as az

        run = ctl({"online-endpoint", "list", "--query", "[?name=='x'"}, env);
        QCOMPARE(run.exitCode, 2);
        QVERIFY2(run.err.contains("invalid jmespath_query value: '[?name=='x'': syntax error at "
                                  "column 12: the query ends too early: expected ']'\n"
                                  "  [?name=='x'\n"
                                  "             ^\n"),
                 run.err.constData());

        run = ctl({"online-endpoint", "list", "--query", "abs(@)"}, env);
        QCOMPARE(run.exitCode, 1);
        QVERIFY2(run.err.contains("ERROR: --query: invalid-type: abs(): the first argument must "
                                  "be a number, got an array ("),
                 run.err.constData());
        QVERIFY(run.out.isEmpty());
    }

    void helpExitsZero()
    {
        const Run run = ctl({"online-deployment", "create", "--help"});
        QCOMPARE(run.exitCode, 0);
        QVERIFY(run.out.contains("--all-traffic"));
        QVERIFY(run.out.contains("exit codes: 0 ok"));
    }

    void deadDockerHostExitsFour_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::newRow("list") << QStringList{"online-endpoint", "list"};
        QTest::newRow("deployment create")
            << QStringList{"online-deployment",
                           "create",
                           "--local",
                           "-f",
                           TestSupport::examplesDir() + "/linear-python/blue-deployment.yml",
                           "-e",
                           uniqueName("dead")};
    }
    void deadDockerHostExitsFour()
    {
        QFETCH(QStringList, args);
        const Run run = ctl(args, {{"DOCKER_HOST", "unix:///nonexistent"}});
        QCOMPARE(run.exitCode, 4);
        QVERIFY2(run.err.contains("ERROR: The Docker daemon is not answering at "
                                  "unix:///nonexistent"),
                 run.err.constData());
        QVERIFY2(run.err.contains("--runtime process"), run.err.constData());
        QVERIFY(run.out.isEmpty());
    }

    // --local-enable-gpu is Azure's flag: accepted, and refused with the reason on a machine
    // without a GPU (azure-ai-ml's local mode checks nvidia-smi first, as the studio does).
    void gpuFlagWithoutAGpuIsExplained()
    {
        if (!QStandardPaths::findExecutable(QStringLiteral("nvidia-smi")).isEmpty())
            QSKIP("this machine has nvidia-smi");
        const QString endpoint = uniqueName(QStringLiteral("cli-gpu"));
        m_endpoints << endpoint;
        const Run run =
            ctl({"online-deployment", "create", "--local", "-n", "blue", "-e", endpoint, "-f",
                 TestSupport::examplesDir() + "/linear-python/blue-deployment.yml",
                 "--local-enable-gpu"},
                {{"ENDPOINT_STUDIO_RUNTIME", "process"}});
        QCOMPARE(run.exitCode, 1);
        QVERIFY2(run.err.contains("--local-enable-gpu: this machine has no NVIDIA GPU"),
                 run.err.constData());
    }

    void unknownNamesExitThree()
    {
        const QString name = uniqueName("missing");
        const QMap<QString, QString> env{{"ENDPOINT_STUDIO_RUNTIME", "process"}};
        Run run = ctl({"online-endpoint", "show", "-n", name}, env);
        QCOMPARE(run.exitCode, 3);
        QCOMPARE(run.err.trimmed(),
                 "ERROR: Local endpoint (" + name.toUtf8() + ") does not exist.");
        run = ctl({"online-deployment", "delete", "-n", "blue", "-e", name, "--yes"}, env);
        QCOMPARE(run.exitCode, 3);
        QCOMPARE(run.err.trimmed(),
                 "ERROR: Local deployment (" + name.toUtf8() + " / blue) does not exist.");
    }

    void examplesAnswerTheirSampleRequests_data()
    {
        QTest::addColumn<QString>("example");
        QTest::addColumn<QString>("runtime");
        QTest::addColumn<QList<double>>("blue");
        QTest::addColumn<QList<double>>("green");
        QTest::newRow("linear-python on docker")
            << "linear-python"
            << "docker" << QList<double>{141.5, 220.5} << QList<double>{127.5, 253.0};
        QTest::newRow("linear-python on process")
            << "linear-python"
            << "process" << QList<double>{141.5, 220.5} << QList<double>{127.5, 253.0};
        QTest::newRow("sklearn-regression on docker")
            << "sklearn-regression"
            << "docker" << QList<double>{390.0, 225.0} << QList<double>{107.0, 189.5};
    }
    void examplesAnswerTheirSampleRequests()
    {
        QFETCH(QString, example);
        QFETCH(QString, runtime);
        QFETCH(QList<double>, blue);
        QFETCH(QList<double>, green);
        if (runtime == u"docker")
            STUDIO_REQUIRE_DOCKER_ENGINE();
        const QString dir = TestSupport::examplesDir() + u'/' + example;
        const QString endpoint = uniqueName(QStringLiteral("cli-") + example.left(6));
        const QMap<QString, QString> env{{"ENDPOINT_STUDIO_RUNTIME", runtime}};
        m_endpoints << endpoint;
        const QByteArray greenYamlBefore = sha256(dir + "/green-deployment.yml");

        Run run = ctl(
            {"online-endpoint", "create", "--local", "-n", endpoint, "-f", dir + "/endpoint.yml"},
            env);
        QVERIFY2(run.exitCode == 0, run.err.constData());
        run = ctl({"online-deployment", "create", "--local", "-n", "blue", "-e", endpoint, "-f",
                   dir + "/blue-deployment.yml", "--all-traffic"},
                  env);
        QVERIFY2(run.exitCode == 0, run.err.constData());
        const QJsonObject created = QJsonDocument::fromJson(run.out).object();
        QCOMPARE(created.value("provisioning_state").toString(), QStringLiteral("Succeeded"));
        QCOMPARE(created.value("instance_type").toString(), QStringLiteral("local"));
        QVERIFY(run.err.contains("wait-ready")); // progress on stderr, the result on stdout
        // The examples' images have no azmlinfsrv: the deploy output and `show` say the
        // studio's server stands in.
        QVERIFY2(run.err.contains("WARNING: server: built-in. azureml-inference-server-http is "
                                  "not in the environment"),
                 run.err.constData());
        QCOMPARE(created.value("studio").toObject().value("server").toString(),
                 QStringLiteral("built-in"));
        // A fresh process rebuilds the same state from labels/pid files and the data folder.
        const Run fresh = ctl({"online-deployment", "show", "-n", "blue", "-e", endpoint}, env);
        QCOMPARE(fresh.exitCode, 0);
        QCOMPARE(QJsonDocument::fromJson(fresh.out).object(), created);
        run = ctl({"online-deployment", "create", "-n", "green", "-e", endpoint, "-f",
                   dir + "/green-deployment.yml", "--set", "environment_variables.CLI_SET=yes",
                   "--query", "provisioning_state", "-o", "tsv"},
                  env);
        QVERIFY2(run.exitCode == 0, run.err.constData());
        QCOMPARE(run.out, QByteArray("Succeeded\n"));
        // --set changed the deployment, never the user's file.
        QCOMPARE(sha256(dir + "/green-deployment.yml"), greenYamlBefore);
        run = ctl({"online-deployment", "show", "-n", "green", "-e", endpoint, "--query",
                   "environment_variables.CLI_SET", "-o", "tsv"},
                  env);
        QCOMPARE(run.out, QByteArray("yes\n"));

        // All traffic goes to blue; --deployment-name reaches green.
        const QString request = dir + "/sample-request.json";
        run = ctl(
            {"online-endpoint", "invoke", "-n", endpoint, "--request-file", request, "-o", "tsv"},
            env);
        QVERIFY2(run.exitCode == 0, run.err.constData());
        QJsonValue answer = QJsonDocument::fromJson("[" + run.out + "]").array().at(0);
        if (answer.isObject())
            answer = answer.toObject().value("predictions");
        QCOMPARE(numbers(answer), blue);
        run = ctl({"online-endpoint", "invoke", "-n", endpoint, "-r", request, "-d", "green", "-o",
                   "tsv"},
                  env);
        QVERIFY2(run.exitCode == 0, run.err.constData());
        answer = QJsonDocument::fromJson("[" + run.out + "]").array().at(0);
        if (answer.isObject())
            answer = answer.toObject().value("predictions");
        QCOMPARE(numbers(answer), green);

        // Traffic moves; a fresh process reads the same state twice.
        run = ctl({"online-endpoint", "update", "-n", endpoint, "--traffic", "blue=0 green=100",
                   "--query", "traffic", "-o", "json"},
                  env);
        QVERIFY2(run.exitCode == 0, run.err.constData());
        QCOMPARE(QJsonDocument::fromJson(run.out).object(),
                 QJsonObject({{"blue", 0}, {"green", 100}}));
        // With all traffic on green, an invoke without --deployment-name is routed there.
        run = ctl({"online-endpoint", "invoke", "-n", endpoint, "-r", request, "-o", "tsv"}, env);
        QVERIFY2(run.exitCode == 0, run.err.constData());
        answer = QJsonDocument::fromJson("[" + run.out + "]").array().at(0);
        if (answer.isObject())
            answer = answer.toObject().value("predictions");
        QCOMPARE(numbers(answer), green);
        const Run first = ctl({"online-deployment", "list", "-e", endpoint}, env);
        const Run second = ctl({"online-deployment", "list", "-e", endpoint}, env);
        QCOMPARE(first.exitCode, 0);
        QCOMPARE(first.out, second.out);
        const QJsonArray listed = QJsonDocument::fromJson(first.out).array();
        QCOMPARE(listed.size(), 2);
        const QJsonObject endpointShow =
            QJsonDocument::fromJson(ctl({"online-endpoint", "show", "-n", endpoint}, env).out)
                .object();
        QCOMPARE(endpointShow.value("scoring_uri"), listed.at(1).toObject().value("scoring_uri"));
        QCOMPARE(endpointShow.value("location").toString(), QStringLiteral("local"));

        run = ctl({"online-endpoint", "delete", "-n", endpoint, "--yes"}, env);
        QVERIFY2(run.exitCode == 0, run.err.constData());
        m_endpoints.removeAll(endpoint);
        QCOMPARE(ctl({"online-endpoint", "show", "-n", endpoint}, env).exitCode, 3);
        if (runtime == u"docker") {
            const auto left =
                TestSupport::run(TestSupport::dockerProgram(),
                                 {"ps", "-aq", "--filter", "label=endpoint=" + endpoint});
            QCOMPARE(left.out.trimmed(), QByteArray());
        }
    }

    void updateAfterACodeChangeAnswersAnew_data()
    {
        QTest::addColumn<QString>("runtime");
        QTest::newRow("process") << "process";
        QTest::newRow("docker") << "docker";
    }
    void updateAfterACodeChangeAnswersAnew()
    {
        QFETCH(QString, runtime);
        if (runtime == u"docker")
            STUDIO_REQUIRE_DOCKER_ENGINE();
        // A copy of the example that the test may change.
        QTemporaryDir work;
        const QString source = TestSupport::examplesDir() + QStringLiteral("/linear-python");
        for (const QString &path :
             {QStringLiteral("endpoint.yml"), QStringLiteral("blue-deployment.yml"),
              QStringLiteral("sample-request.json"), QStringLiteral("onlinescoring/score.py"),
              QStringLiteral("model-1/model/linear-model.json")}) {
            QDir().mkpath(QFileInfo(work.filePath(path)).path());
            QVERIFY(QFile::copy(source + u'/' + path, work.filePath(path)));
        }
        const QString endpoint = uniqueName(QStringLiteral("cli-update"));
        const QMap<QString, QString> env{{"ENDPOINT_STUDIO_RUNTIME", runtime}};
        m_endpoints << endpoint;
        // --no-wait returns at once; the deployment finishes in a background endpointctl.
        Run run = ctl({"online-deployment", "create", "-n", "blue", "-e", endpoint, "-f",
                       work.filePath("blue-deployment.yml"), "--no-wait"},
                      env);
        QVERIFY2(run.exitCode == 0, run.err.constData());
        QVERIFY(run.err.contains("continues in the background"));
        QString state;
        for (int i = 0; i < 120 && state != u"Succeeded"; ++i) {
            QTest::qWait(500);
            state = QString::fromUtf8(ctl({"online-deployment", "show", "-n", "blue", "-e",
                                           endpoint, "--query", "provisioning_state", "-o", "tsv"},
                                          env)
                                          .out.trimmed());
        }
        QCOMPARE(state, QStringLiteral("Succeeded"));

        QFile script(work.filePath("onlinescoring/score.py"));
        QVERIFY(script.open(QIODevice::ReadWrite));
        QByteArray code = script.readAll();
        code.replace("return {\"model\": model[\"name\"], \"predictions\": predictions}",
                     "return {\"model\": model[\"name\"] + \"-v2\", \"predictions\": predictions}");
        QVERIFY(code.contains("-v2"));
        script.resize(0);
        script.write(code);
        script.close();
        // Without -f, update redeploys from the YAML the deployment was created from.
        run = ctl({"online-deployment", "update", "-n", "blue", "-e", endpoint, "--query",
                   "provisioning_state", "-o", "tsv"},
                  env);
        QVERIFY2(run.exitCode == 0, run.err.constData());
        QCOMPARE(run.out, QByteArray("Succeeded\n"));
        run = ctl({"online-endpoint", "invoke", "-n", endpoint, "-r",
                   work.filePath("sample-request.json"), "-o", "tsv"},
                  env);
        QVERIFY2(run.exitCode == 0, run.err.constData());
        QCOMPARE(QJsonDocument::fromJson(run.out).object().value("model").toString(),
                 QStringLiteral("linear-blue-v2"));
    }

    // Issue 18: `invoke --repeat N --concurrency C [--rate R] [--duration S]` runs the request
    // on the load engine and prints the Repeat tab's summary, for scripts and CI.
    void invokeRepeatPrintsTheLoadSummary()
    {
        const QString dir = TestSupport::examplesDir() + QStringLiteral("/linear-python");
        const QString endpoint = uniqueName(QStringLiteral("cli-load"));
        const QMap<QString, QString> env{{"ENDPOINT_STUDIO_RUNTIME", "process"}};
        m_endpoints << endpoint;
        Run run = ctl({"online-deployment", "create", "-n", "blue", "-e", endpoint, "-f",
                       dir + "/blue-deployment.yml", "-o", "none"},
                      env);
        QVERIFY2(run.exitCode == 0, run.err.constData());
        const QString request = dir + "/sample-request.json";

        run = ctl({"online-endpoint", "invoke", "-n", endpoint, "-r", request, "-d", "blue",
                   "--repeat", "300", "--concurrency", "4", "-o", "json"},
                  env);
        QVERIFY2(run.exitCode == 0, run.err.constData());
        QJsonObject summary = QJsonDocument::fromJson(run.out).object();
        QCOMPARE(summary.value("requests").toInt(), 300);
        QCOMPARE(summary.value("concurrency").toInt(), 4);
        QCOMPARE(summary.value("mode").toString(), QStringLiteral("closed"));
        QCOMPARE(summary.value("target").toString(), QStringLiteral("blue"));
        QCOMPARE(summary.value("warmup_requests").toInt(), 4);
        QCOMPARE(summary.value("status_counts").toObject(), QJsonObject({{"200", 300}}));
        QCOMPARE(summary.value("errors").toInt(), 0);
        const QJsonObject latency = summary.value("latency_ms").toObject();
        QVERIFY(latency.value("p50").toDouble() > 0);
        QVERIFY(latency.value("p50").toDouble() <= latency.value("p99").toDouble());
        QVERIFY(latency.value("p99").toDouble() <= latency.value("max").toDouble());
        QVERIFY(summary.value("server_ms").toObject().value("p50").toDouble() > 0);
        QVERIFY(summary.value("requests_per_sec").toDouble() > 0);
        QVERIFY2(summary.value("answered_by")
                     .toString()
                     .startsWith(u"the studio's built-in scoring server (azmlinfsrv/"),
                 qPrintable(summary.value("answered_by").toString()));
        // blue-deployment.yml sets no request_settings: Azure's defaults, 1 × 1 instance.
        QCOMPARE(summary.value("azure_429_above_in_flight").toInt(), 2);
        const QString notes = summary.value("notes").toVariant().toStringList().join(u'\n');
        QVERIFY2(notes.contains(u"This run kept up to 4 in flight") &&
                     notes.contains(u"not what instance_type Standard_DS3_v2 gives"),
                 qPrintable(notes));
        QVERIFY(run.err.contains("[load] closed loop, 4 connections, 300 requests"));

        // Open loop for a second at 100 req/s; --query works on the summary as on any result.
        run = ctl({"online-endpoint", "invoke", "-n", endpoint, "-r", request, "--duration", "1",
                   "--rate", "100", "--concurrency", "2", "-o", "json"},
                  env);
        QVERIFY2(run.exitCode == 0, run.err.constData());
        summary = QJsonDocument::fromJson(run.out).object();
        QCOMPARE(summary.value("mode").toString(), QStringLiteral("open"));
        QCOMPARE(summary.value("rate").toDouble(), 100.0);
        const int sent = summary.value("requests").toInt();
        QVERIFY2(sent >= 95 && sent <= 101, run.out.constData());
        QVERIFY(summary.contains("service_ms"));
        run = ctl({"online-endpoint", "invoke", "-n", endpoint, "-r", request, "--repeat", "20",
                   "--query", "requests", "-o", "tsv"},
                  env);
        QVERIFY2(run.exitCode == 0, run.err.constData());
        QCOMPARE(run.out, QByteArray("20\n"));

        run =
            ctl({"online-endpoint", "invoke", "-n", endpoint, "-r", request, "--concurrency", "4"},
                env);
        QCOMPARE(run.exitCode, 2);
        QVERIFY2(run.err.contains("--concurrency belongs to a load run: add --repeat N or "
                                  "--duration S"),
                 run.err.constData());
        run = ctl({"online-endpoint", "invoke", "-n", endpoint, "-r", request, "--repeat", "ten"},
                  env);
        QCOMPARE(run.exitCode, 2);
        QVERIFY2(run.err.contains("argument --repeat: invalid int value: 'ten'"),
                 run.err.constData());
        run = ctl({"online-endpoint", "invoke", "-n", endpoint, "-r", request, "--repeat", "5",
                   "--concurrency", "5000"},
                  env);
        QCOMPARE(run.exitCode, 2);
        QVERIFY2(run.err.contains("concurrency must be 1…1024 (got 5000)"), run.err.constData());
    }

    // The gate: a deployment Azure would refuse is refused here before any container, image or
    // file is touched, with the same located lines as `endpointctl validate`.
    void invalidDeploymentIsRefusedWithLocatedDiagnostics()
    {
        STUDIO_REQUIRE_DOCKER_ENGINE();
        QTemporaryDir work;
        const QString source = TestSupport::examplesDir() + QStringLiteral("/linear-python");
        for (const QString &path : {QStringLiteral("onlinescoring/score.py"),
                                    QStringLiteral("model-1/model/linear-model.json")}) {
            QDir().mkpath(QFileInfo(work.filePath(path)).path());
            QVERIFY(QFile::copy(source + u'/' + path, work.filePath(path)));
        }
        QFile bad(work.filePath("bad-deployment.yml"));
        QVERIFY(bad.open(QIODevice::WriteOnly));
        bad.write("name: blue\n"
                  "model:\n"
                  "  path: model-1/model\n"
                  "code_configuration:\n"
                  "  code: onlinescoring\n"
                  "  scoring_script: score.py\n"
                  "environment:\n"
                  "  image: endpoint-studio/python:3.11-bookworm\n"
                  "instance_count: 1\n"
                  "enviroment_variables:\n"
                  "  MODE: fast\n");
        bad.close();
        const QString endpoint = uniqueName(QStringLiteral("cli-refused"));
        m_endpoints << endpoint;
        const QMap<QString, QString> env{{"ENDPOINT_STUDIO_RUNTIME", "docker"}};
        Run run = ctl({"online-deployment", "create", "--local", "-f",
                       work.filePath("bad-deployment.yml"), "-e", endpoint},
                      env);
        QCOMPARE(run.exitCode, 1);
        const QString err = QString::fromUtf8(run.err);
        QVERIFY2(err.contains(work.filePath("bad-deployment.yml") +
                              QStringLiteral(":10:1: error: unknown key 'enviroment_variables' at "
                                             "the top level; did you mean "
                                             "'environment_variables'? [unknown-key]\n"
                                             "    hint: Rename it to 'environment_variables'.\n")),
                 qPrintable(err));
        QVERIFY2(err.contains(work.filePath("bad-deployment.yml") +
                              QStringLiteral(":1:1: error: no instance_type; Azure's schema "
                                             "requires it for managed deployments")),
                 qPrintable(err));
        QVERIFY2(err.contains(QStringLiteral("ERROR: not deployed: 2 errors in "
                                             "bad-deployment.yml (Azure would refuse it too)")),
                 qPrintable(err));
        QVERIFY(run.out.isEmpty());
        // Nothing ran: no container of the endpoint, no record, no endpoint.
        const auto containers = TestSupport::run(
            TestSupport::dockerProgram(), {"ps", "-aq", "--filter", "label=endpoint=" + endpoint});
        QCOMPARE(containers.out.trimmed(), QByteArray());
        QCOMPARE(ctl({"online-deployment", "show", "-n", "blue", "-e", endpoint}, env).exitCode, 3);
        QCOMPARE(ctl({"online-endpoint", "show", "-n", endpoint}, env).exitCode, 3);
        QVERIFY(!QFileInfo::exists(m_data.path() + "/endpoint-studio/deployments/" + endpoint));

        // --skip-validation goes ahead, and says so on stderr even with --only-show-errors.
        run = ctl({"online-deployment", "create", "-f", work.filePath("bad-deployment.yml"), "-e",
                   endpoint, "--skip-validation", "--only-show-errors", "--query",
                   "provisioning_state", "-o", "tsv"},
                  {{"ENDPOINT_STUDIO_RUNTIME", "process"}});
        QVERIFY2(run.exitCode == 0, run.err.constData());
        QVERIFY2(run.err.contains("WARNING: --skip-validation: deploying despite 2 errors"),
                 run.err.constData());
        QCOMPARE(run.out, QByteArray("Succeeded\n"));
    }

    // Azure's safe-rollout steps: create with --set (an image the file does not name), then
    // update --set instance_count=2 without -f starts from what was deployed (not the file's
    // unreachable image), and show reports the deployed specification.
    void tutorialCreateUpdateShow()
    {
        STUDIO_REQUIRE_DOCKER_ENGINE();
        QTemporaryDir work;
        const QString source = TestSupport::examplesDir() + QStringLiteral("/sklearn-regression");
        for (const QString &path : {QStringLiteral("onlinescoring/score.py"),
                                    QStringLiteral("model-1/model/sklearn_regression_model.pkl"),
                                    QStringLiteral("sample-request.json")}) {
            QDir().mkpath(QFileInfo(work.filePath(path)).path());
            QVERIFY2(QFile::copy(source + u'/' + path, work.filePath(path)), qPrintable(path));
        }
        // As the tutorial's file: Azure's image, no endpoint_name (the script passes -e).
        QFile yaml(work.filePath("blue-deployment.yml"));
        QVERIFY(yaml.open(QIODevice::WriteOnly));
        yaml.write("$schema: https://azuremlschemas.azureedge.net/latest/"
                   "managedOnlineDeployment.schema.json\n"
                   "name: blue\n"
                   "model:\n"
                   "  path: model-1/model\n"
                   "code_configuration:\n"
                   "  code: onlinescoring\n"
                   "  scoring_script: score.py\n"
                   "environment:\n"
                   "  image: mcr.microsoft.com/azureml/openmpi4.1.0-ubuntu22.04:latest\n"
                   "instance_type: Standard_DS3_v2\n"
                   "instance_count: 1\n");
        yaml.close();
        const QByteArray before = sha256(work.filePath("blue-deployment.yml"));
        const QString endpoint = uniqueName(QStringLiteral("cli-tutorial"));
        m_endpoints << endpoint;
        const QMap<QString, QString> env{{"ENDPOINT_STUDIO_RUNTIME", "docker"}};
        Run run = ctl({"online-deployment", "create", "--local", "--name", "blue",
                       "--endpoint-name", endpoint, "-f", work.filePath("blue-deployment.yml"),
                       "--set", "environment.image=endpoint-studio/python-sklearn:3.11-bookworm",
                       "--query", "provisioning_state", "-o", "tsv"},
                      env);
        QVERIFY2(run.exitCode == 0, run.err.constData());
        QCOMPARE(run.out, QByteArray("Succeeded\n"));

        run = ctl({"online-deployment", "update", "--local", "--name", "blue", "--endpoint-name",
                   endpoint, "--set", "instance_count=2", "--query", "provisioning_state", "-o",
                   "tsv"},
                  env);
        QVERIFY2(run.exitCode == 0, run.err.constData());
        QCOMPARE(run.out, QByteArray("Succeeded\n"));
        const QByteArray from = QByteArray("Updating from the deployed specification of ") +
                                endpoint.toUtf8() + " / blue";
        QVERIFY2(run.err.contains(from), run.err.constData());
        QVERIFY2(!run.err.contains("mcr.microsoft.com"), run.err.constData());

        run = ctl({"online-deployment", "show", "--local", "-n", "blue", "-e", endpoint}, env);
        QCOMPARE(run.exitCode, 0);
        const QJsonObject shown = QJsonDocument::fromJson(run.out).object();
        QCOMPARE(shown.value("instance_count").toInt(), 2);
        QCOMPARE(shown.value("environment").toObject().value("image").toString(),
                 QStringLiteral("endpoint-studio/python-sklearn:3.11-bookworm"));
        QCOMPARE(shown.value("provisioning_state").toString(), QStringLiteral("Succeeded"));
        run = ctl({"online-endpoint", "invoke", "-n", endpoint, "-r",
                   work.filePath("sample-request.json"), "-o", "tsv"},
                  env);
        QVERIFY2(run.exitCode == 0, run.err.constData());
        // The user's file was never written.
        QCOMPARE(sha256(work.filePath("blue-deployment.yml")), before);
    }

    void getLogsFollowStreamsNewLines()
    {
        const QString dir = TestSupport::examplesDir() + QStringLiteral("/linear-python");
        const QString endpoint = uniqueName(QStringLiteral("cli-follow"));
        const QMap<QString, QString> env{{"ENDPOINT_STUDIO_RUNTIME", "process"}};
        m_endpoints << endpoint;
        Run run = ctl({"online-deployment", "create", "-n", "blue", "-e", endpoint, "-f",
                       dir + "/blue-deployment.yml", "-o", "none"},
                      env);
        QVERIFY2(run.exitCode == 0, run.err.constData());
        run = ctl({"online-deployment", "get-logs", "-n", "blue", "-e", endpoint, "-c",
                   "storage-initializer", "--lines", "1"},
                  env);
        QCOMPARE(run.exitCode, 0);
        QVERIFY2(run.out.contains("staged") && run.out.count('\n') == 1, run.out.constData());

        QProcess follow;
        QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
        environment.insert(QStringLiteral("XDG_DATA_HOME"), m_data.path());
        environment.insert(QStringLiteral("ENDPOINT_STUDIO_RUNTIME"), QStringLiteral("process"));
        follow.setProcessEnvironment(environment);
        follow.start(TestSupport::binDir() + QStringLiteral("/endpointctl"),
                     {"online-deployment", "get-logs", "-n", "blue", "-e", endpoint, "--lines", "0",
                      "--follow"});
        QVERIFY(follow.waitForStarted());
        QTest::qWait(1500);
        run = ctl({"online-endpoint", "invoke", "-n", endpoint, "-r", dir + "/sample-request.json"},
                  env);
        QCOMPARE(run.exitCode, 0);
        QByteArray streamed;
        for (int i = 0; i < 50 && !streamed.contains("POST /score 200"); ++i) {
            follow.waitForReadyRead(200);
            streamed += follow.readAllStandardOutput();
        }
        QVERIFY2(streamed.contains("linear-blue: request received"), streamed.constData());
        QVERIFY2(streamed.contains("POST /score 200"), streamed.constData());
        QVERIFY2(!streamed.contains("Init complete"), streamed.constData()); // --lines 0: new only

        // The log file is rotated (renamed away, a new one under its name), as the studio's log
        // view follows it: the new file is read from its start, after a marker on stderr, and
        // a line shows only once it is complete.
        const QString log = m_data.path() + QStringLiteral("/endpoint-studio/deployments/") +
                            endpoint + QStringLiteral("/blue/logs/") + endpoint +
                            QStringLiteral(".blue.log");
        QVERIFY2(QFile::exists(log), qPrintable(log));
        QVERIFY(QFile::rename(log, log + QStringLiteral(".1")));
        QFile rotated(log);
        QVERIFY(rotated.open(QIODevice::WriteOnly));
        rotated.write("first line of the new file\nhalf a li");
        rotated.flush();
        streamed.clear();
        QByteArray errors;
        for (int i = 0; i < 50 && !streamed.contains("first line of the new file\n"); ++i) {
            follow.waitForReadyRead(200);
            streamed += follow.readAllStandardOutput();
            errors += follow.readAllStandardError();
        }
        QTest::qWait(600); // several polls: the unfinished line must not show
        streamed += follow.readAllStandardOutput();
        errors += follow.readAllStandardError();
        QCOMPARE(streamed, QByteArray("first line of the new file\n"));
        QVERIFY2(errors.contains("restarted (log file replaced)"), errors.constData());
        rotated.write("ne, finished\n");
        rotated.close();
        for (int i = 0; i < 50 && !streamed.contains("finished"); ++i) {
            follow.waitForReadyRead(200);
            streamed += follow.readAllStandardOutput();
        }
        QCOMPARE(streamed, QByteArray("first line of the new file\nhalf a line, finished\n"));
        follow.kill();
        follow.waitForFinished();
    }
};

QTEST_GUILESS_MAIN(TestCliCommands)
#include "test_cli_commands.moc"
