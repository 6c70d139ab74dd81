#include "app/runtime/deploymentmanager.h"
#include "tests/common/testsupport.h"

#include <QDir>
#include <QEventLoop>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkProxy>
#include <QNetworkReply>
#include <QProcess>
#include <QSet>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>
#include <QTimer>

#include <algorithm>
#include <signal.h>
#include <unistd.h>

// The same scenarios on both runtimes: this file is built twice, with STUDIO_TEST_RUNTIME
// "docker" or "process". Real containers (or host processes), real HTTP, real files.
namespace {

const QString runtimeName = QStringLiteral(STUDIO_TEST_RUNTIME);
const bool onDocker = runtimeName == u"docker";

struct OpResult
{
    bool done = false;
    bool ok = false;
    QString error;
};

// Records every finished operation and progress message of one manager.
// In the test function itself: QSKIP/QFAIL only end the function they are written in.
#define REQUIRE_RUNTIME()                                                                          \
    do {                                                                                           \
        if (onDocker)                                                                              \
            STUDIO_REQUIRE_DOCKER_ENGINE();                                                        \
    } while (false)

class Recorder : public QObject
{
public:
    explicit Recorder(DeploymentManager *m)
        : manager(m)
    {
        connect(m, &DeploymentManager::finished, this,
                [this](quint64 op, bool ok, const QString &error) {
                    results.insert(op, {true, ok, error});
                });
        connect(m, &DeploymentManager::progress, this,
                [this](quint64 op, const QString &, const QString &, const QString &phase,
                       const QString &message, int percent) {
                    progress << phase + u' ' + message;
                    if (percent >= 0)
                        percents[op] << percent;
                });
        connect(m, &DeploymentManager::stateChanged, this, [this](const DeploymentInfo &info) {
            states << info.deployment + u' ' + provisioningStateName(info.state);
        });
    }

    OpResult wait(quint64 op, int timeoutMs = 240000)
    {
        QElapsedTimer clock;
        clock.start();
        while (!results.value(op).done && clock.elapsed() < timeoutMs)
            QTest::qWait(20);
        return results.value(op);
    }

    DeploymentManager *manager;
    QHash<quint64, OpResult> results;
    QStringList progress;
    QHash<quint64, QList<int>> percents;
    QStringList states;
};

struct HttpAnswer
{
    int status = 0;
    QByteArray body;
    QString error;
};

HttpAnswer post(const QString &url, const QByteArray &body)
{
    QNetworkAccessManager network;
    network.setProxy(QNetworkProxy::NoProxy);
    QNetworkRequest request{QUrl(url)};
    request.setHeader(QNetworkRequest::ContentTypeHeader, QStringLiteral("application/json"));
    request.setTransferTimeout(20000);
    QNetworkReply *reply = network.post(request, body);
    QEventLoop loop;
    QObject::connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
    loop.exec();
    HttpAnswer a;
    a.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    a.body = reply->readAll();
    if (reply->error() != QNetworkReply::NoError)
        a.error = reply->errorString();
    reply->deleteLater();
    return a;
}

bool copyTree(const QString &from, const QString &to)
{
    QDir().mkpath(to);
    const QDir src(from);
    for (const QFileInfo &fi : src.entryInfoList(QDir::AllEntries | QDir::NoDotAndDotDot)) {
        const QString target = to + u'/' + fi.fileName();
        if (fi.isDir() ? !copyTree(fi.absoluteFilePath(), target)
                       : !QFile::copy(fi.absoluteFilePath(), target))
            return false;
    }
    return true;
}

QString readAll(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? QString::fromUtf8(f.readAll()) : QString();
}

// `count` POSTs in flight at once; the answers' bodies as JSON objects (empty on failure).
QList<QJsonObject> postConcurrently(const QString &url, const QByteArray &body, int count)
{
    QNetworkAccessManager network;
    network.setProxy(QNetworkProxy::NoProxy);
    QList<QNetworkReply *> replies;
    for (int i = 0; i < count; ++i) {
        QNetworkRequest request{QUrl(url)};
        request.setHeader(QNetworkRequest::ContentTypeHeader, QStringLiteral("application/json"));
        request.setTransferTimeout(30000);
        // One connection each (Qt would queue them on 6 otherwise).
        request.setAttribute(QNetworkRequest::Http2AllowedAttribute, false);
        request.setRawHeader("Connection", "close");
        replies << network.post(request, body);
    }
    QList<QJsonObject> answers;
    for (QNetworkReply *reply : replies) {
        if (!reply->isFinished()) {
            QEventLoop loop;
            QObject::connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
            loop.exec();
        }
        answers << QJsonDocument::fromJson(reply->readAll()).object();
        reply->deleteLater();
    }
    return answers;
}

} // namespace

class TestRuntime : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_data;
    QTemporaryDir m_workspace;
    QStringList m_endpoints; // every endpoint a test made, removed in cleanupTestCase
    int m_counter = 0;

    QString uniqueEndpoint(const QString &what)
    {
        const QString name = QStringLiteral("rt%1-%2-%3-%4")
                                 .arg(runtimeName.left(1))
                                 .arg(QCoreApplication::applicationPid())
                                 .arg(++m_counter)
                                 .arg(what);
        m_endpoints << name;
        return name;
    }

    DeploymentManager::Options options() const
    {
        DeploymentManager::Options o;
        o.runtime = onDocker ? DeploymentManager::RuntimeChoice::Docker
                             : DeploymentManager::RuntimeChoice::Process;
        o.dataDir = m_data.path();
        o.containerProgram = TestSupport::dockerProgram();
        return o;
    }

    // Each test gets its own copy of the fixture workspace, so it may edit code freely.
    QString workspace(const QString &name)
    {
        const QString dir = m_workspace.path() + u'/' + name;
        copyTree(TestSupport::sourceDir() + QStringLiteral("/tests/runtime/fixtures/workspace"),
                 dir);
        return dir;
    }

    DeploymentSpec spec(const QString &ws, const QString &endpoint, const QString &name,
                        const QString &code = QStringLiteral("code"))
    {
        DeploymentSpec s;
        s.filePath = ws + QStringLiteral("/blue-deployment.yml");
        s.name = name;
        s.endpointName = endpoint;
        ModelSpec model;
        model.name = QStringLiteral("fixture-model");
        model.version = QStringLiteral("1");
        model.path = QStringLiteral("model/model.json");
        s.model = model;
        s.codeConfiguration = CodeConfiguration{code, QStringLiteral("score.py")};
        EnvironmentSpec env;
        if (onDocker) {
            env.buildPath = QStringLiteral("env");
            env.dockerfilePath = QStringLiteral("Dockerfile");
        } else {
            env.image = QStringLiteral("endpoint-studio/python:3.11-bookworm");
        }
        s.environment = env;
        s.environmentVariables.insert(QStringLiteral("FIXTURE_LABEL"), name);
        s.readinessProbe.initialDelay = 1;
        s.readinessProbe.period = 1;
        return s;
    }

    QString logOf(const DeploymentInfo &info, const QString &role)
    {
        if (info.runtime == RuntimeKind::Process)
            return readAll(info.logFile(role));
        const auto r = TestSupport::run(info.containerProgram, info.logsArguments(role, 200));
        return QString::fromUtf8(r.out + r.err);
    }

    QStringList labelled(const QString &what, const QString &endpoint)
    {
        const QStringList args =
            what == u"volume"
                ? QStringList{QStringLiteral("volume"), QStringLiteral("ls"), QStringLiteral("-q"),
                              QStringLiteral("--filter"),
                              QStringLiteral("label=endpoint-studio.endpoint=") + endpoint}
                : QStringList{QStringLiteral("ps"), QStringLiteral("-aq"),
                              QStringLiteral("--filter"),
                              QStringLiteral("label=endpoint-studio.endpoint=") + endpoint};
        const auto r = TestSupport::run(TestSupport::dockerProgram(), args);
        return QString::fromUtf8(r.out).split(u'\n', Qt::SkipEmptyParts);
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_data.isValid());
        QVERIFY(m_workspace.isValid());
    }

    void cleanupTestCase()
    {
        DeploymentManager m(options());
        Recorder rec(&m);
        rec.wait(m.refresh());
        for (const QString &ep : std::as_const(m_endpoints))
            if (m.endpoint(ep))
                rec.wait(m.deleteEndpoint(ep));
    }

    // Deploy blue and green side by side, score both, read both logs, move traffic, rebuild
    // state in a fresh manager, change code and update, then delete: nothing labelled stays.
    void deployScoreUpdateDelete()
    {
        REQUIRE_RUNTIME();
        const QString ws = workspace(QStringLiteral("main"));
        const QString ep = uniqueEndpoint(QStringLiteral("main"));
        DeploymentManager m(options());
        Recorder rec(&m);
        QVERIFY(rec.wait(m.refresh()).ok);
        QCOMPARE(m.runtimeKind(), onDocker ? RuntimeKind::Docker : RuntimeKind::Process);

        EndpointSpec endpointSpec;
        endpointSpec.name = ep;
        endpointSpec.filePath = ws + QStringLiteral("/endpoint.yml");
        const quint64 blueOp = m.deploy(spec(ws, ep, QStringLiteral("blue")), endpointSpec);
        const quint64 greenOp = m.deploy(spec(ws, ep, QStringLiteral("green")));
        const OpResult blue = rec.wait(blueOp);
        QVERIFY2(blue.ok, qPrintable(blue.error));
        const OpResult green = rec.wait(greenOp);
        QVERIFY2(green.ok, qPrintable(green.error));

        for (const QString &phase : {QStringLiteral("resolve-image"), QStringLiteral("stage"),
                                     QStringLiteral("start"), QStringLiteral("wait-ready")})
            QVERIFY2(!rec.progress.filter(QRegularExpression(u'^' + phase + u' ')).isEmpty(),
                     qPrintable(phase + QStringLiteral(" never reported")));

        const auto bOpt = m.deployment(ep, QStringLiteral("blue"));
        QVERIFY(bOpt);
        const DeploymentInfo b = *bOpt;
        const auto gOpt = m.deployment(ep, QStringLiteral("green"));
        QVERIFY(gOpt);
        const DeploymentInfo g = *gOpt;
        // Percentages only grow, and a deploy ends at 100.
        const QList<int> percents = rec.percents.value(blueOp);
        QVERIFY(!percents.isEmpty());
        QCOMPARE(percents.last(), 100);
        QVERIFY(std::is_sorted(percents.cbegin(), percents.cend()));
        QCOMPARE(b.state, ProvisioningState::Succeeded);
        QCOMPARE(g.state, ProvisioningState::Succeeded);
        QVERIFY(b.scoringUri.startsWith(QStringLiteral("http://localhost:")));
        QVERIFY(b.scoringUri.endsWith(QStringLiteral("/score")));
        QVERIFY(b.scoringUri != g.scoringUri);
        QCOMPARE(b.runtime, onDocker ? RuntimeKind::Docker : RuntimeKind::Process);
        QCOMPARE(b.containers.size(), 2);
        QCOMPARE(b.container(inferenceServerRole())->name, ep + QStringLiteral(".blue"));
        QCOMPARE(b.container(storageInitializerRole())->name,
                 ep + QStringLiteral(".blue.storage-initializer"));
        QCOMPARE(b.environment.value(QStringLiteral("AZUREML_ENTRY_SCRIPT")),
                 QStringLiteral("score.py"));
        QCOMPARE(b.environment.value(QStringLiteral("FIXTURE_LABEL")), QStringLiteral("blue"));
        QVERIFY(b.timeline.size() >= 4);
        const QString imageBefore = b.image;

        const HttpAnswer a = post(b.scoringUri, R"({"data": [1, 2, 3]})");
        QVERIFY2(a.status == 200, qPrintable(a.error + QString::fromUtf8(a.body)));
        QCOMPARE(QJsonDocument::fromJson(a.body).object().value(QStringLiteral("result")).toArray(),
                 QJsonArray({3, 6, 9}));
        QCOMPARE(post(g.scoringUri, R"({"data": [10]})").body.trimmed(),
                 QByteArray(R"({"result": [30]})"));

        const QString initLog = logOf(b, storageInitializerRole());
        QVERIFY2(initLog.contains(QStringLiteral("staged ")) &&
                     initLog.contains(QStringLiteral("score.py")) &&
                     initLog.contains(QStringLiteral("model.json")),
                 qPrintable(initLog));
        const QString serverLog = logOf(b, inferenceServerRole());
        QVERIFY2(serverLog.contains(QStringLiteral("fixture init: factor 3, offset 0, label blue")),
                 qPrintable(serverLog));
        QVERIFY2(serverLog.contains(QStringLiteral("POST /score 200")), qPrintable(serverLog));

        // Traffic: the endpoint's scoring URI follows the larger share.
        QVERIFY(rec.wait(m.setTraffic(
                             ep, {{QStringLiteral("blue"), 10}, {QStringLiteral("green"), 90}}))
                    .ok);
        QCOMPARE(m.endpoint(ep)->scoringUri, g.scoringUri);
        QCOMPARE(m.deployment(ep, QStringLiteral("green"))->traffic, 90);
        const OpResult badTraffic = rec.wait(m.setTraffic(ep, {{QStringLiteral("blue"), 50}}));
        QVERIFY(!badTraffic.ok);
        QVERIFY2(badTraffic.error.contains(QStringLiteral("add up to 100")),
                 qPrintable(badTraffic.error));

        // A fresh manager (a new studio or endpointctl process) sees the same state.
        {
            DeploymentManager fresh(options());
            Recorder freshRec(&fresh);
            QVERIFY(freshRec.wait(fresh.refresh()).ok);
            for (const DeploymentInfo &before : {b, g}) {
                const auto after = fresh.deployment(ep, before.deployment);
                QVERIFY(after);
                QCOMPARE(after->state, ProvisioningState::Succeeded);
                QCOMPARE(after->scoringUri, before.scoringUri);
                QCOMPARE(after->image, before.image);
                QCOMPARE(after->hostPort, before.hostPort);
                QCOMPARE(after->container(inferenceServerRole())->name,
                         before.container(inferenceServerRole())->name);
                QCOMPARE(after->environment, before.environment);
            }
            QCOMPARE(fresh.endpoint(ep)->traffic.value(QStringLiteral("green")), 90);
            QCOMPARE(fresh.endpoint(ep)->scoringUri, g.scoringUri);
        }

        // Code change: restaged and restarted, the image untouched.
        QFile score(ws + QStringLiteral("/code/score.py"));
        QVERIFY(score.open(QIODevice::ReadOnly));
        QByteArray text = score.readAll();
        score.close();
        text.replace("OFFSET = 0", "OFFSET = 100");
        QVERIFY(score.open(QIODevice::WriteOnly | QIODevice::Truncate));
        score.write(text);
        score.close();
        rec.progress.clear();
        const OpResult updated = rec.wait(m.deploy(spec(ws, ep, QStringLiteral("blue"))));
        QVERIFY2(updated.ok, qPrintable(updated.error));
        QVERIFY(rec.states.contains(QStringLiteral("blue Updating")));
        const auto b2Opt = m.deployment(ep, QStringLiteral("blue"));
        QVERIFY(b2Opt);
        const DeploymentInfo b2 = *b2Opt;
        QCOMPARE(b2.state, ProvisioningState::Succeeded);
        QCOMPARE(b2.image, imageBefore);
        QCOMPARE(b2.scoringUri, b.scoringUri); // the port survives an update
        if (onDocker) {
            // Code-only change: the same container, its server process reloaded.
            QCOMPARE(b2.container(inferenceServerRole())->id,
                     b.container(inferenceServerRole())->id);
            const QString log = logOf(b2, inferenceServerRole());
            QVERIFY2(log.contains(QStringLiteral("offset 0, label blue")) &&
                         log.contains(QStringLiteral("offset 100, label blue")),
                     qPrintable(log));
        }
        if (onDocker)
            QVERIFY2(!rec.progress.filter(QStringLiteral("not rebuilt")).isEmpty(),
                     qPrintable(rec.progress.join(u'\n')));
        QVERIFY(rec.progress.filter(QRegularExpression(QStringLiteral("^build .*Step"))).isEmpty());
        QCOMPARE(post(b2.scoringUri, R"({"data": [1, 2, 3]})").body.trimmed(),
                 QByteArray(R"({"result": [103, 106, 109]})"));
        QCOMPARE(post(g.scoringUri, R"({"data": [1]})").body.trimmed(),
                 QByteArray(R"({"result": [3]})"));

        // Delete the endpoint: no container, volume or process is left.
        const auto blueServer = *b2.container(inferenceServerRole());
        const OpResult deleted = rec.wait(m.deleteEndpoint(ep));
        QVERIFY2(deleted.ok, qPrintable(deleted.error));
        QVERIFY(!m.endpoint(ep));
        QVERIFY(m.deployments(ep).isEmpty());
        QVERIFY(!QFileInfo::exists(m_data.path() + QStringLiteral("/deployments/") + ep));
        QVERIFY(!QFileInfo::exists(m_data.path() + QStringLiteral("/endpoints/") + ep));
        if (onDocker) {
            QCOMPARE(labelled(QStringLiteral("container"), ep), QStringList());
            QCOMPARE(labelled(QStringLiteral("volume"), ep), QStringList());
        } else {
            QTRY_VERIFY_WITH_TIMEOUT(::kill(blueServer.id.toInt(), 0) != 0, 5000);
        }
        QVERIFY(post(b2.scoringUri, "{}").status == 0);
    }

    // The linear-python example, read from its YAML files, blue and green side by side.
    void deploysExampleFromYaml()
    {
        REQUIRE_RUNTIME();
        const QString ep = uniqueEndpoint(QStringLiteral("lin"));
        const QString ws = m_workspace.path() + QStringLiteral("/example");
        QVERIFY(copyTree(TestSupport::examplesDir() + QStringLiteral("/linear-python"), ws));
        // Unique names, so parallel runs and the examples' own users never collide.
        for (const QString &file :
             {QStringLiteral("endpoint.yml"), QStringLiteral("blue-deployment.yml"),
              QStringLiteral("green-deployment.yml")}) {
            QFile f(ws + u'/' + file);
            QVERIFY(f.open(QIODevice::ReadOnly));
            QByteArray text = f.readAll();
            f.close();
            text.replace("name: linear-python", QByteArray("name: " + ep.toUtf8()));
            QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
            f.write(text);
        }
        DeploymentManager m(options());
        Recorder rec(&m);
        rec.wait(m.refresh());
        const quint64 blueOp = m.deploy(ws + QStringLiteral("/blue-deployment.yml"),
                                        ws + QStringLiteral("/endpoint.yml"));
        const OpResult blue = rec.wait(blueOp);
        if (!blue.ok && blue.error.contains(QStringLiteral("cannot read YAML files yet")))
            QSKIP(qPrintable(blue.error));
        QVERIFY2(blue.ok, qPrintable(blue.error));
        const OpResult green = rec.wait(m.deploy(ws + QStringLiteral("/green-deployment.yml")));
        QVERIFY2(green.ok, qPrintable(green.error));
        const QByteArray request = readAll(ws + QStringLiteral("/sample-request.json")).toUtf8();
        const auto b = m.deployment(ep, QStringLiteral("blue"));
        const auto g = m.deployment(ep, QStringLiteral("green"));
        QVERIFY(b && g);
        QCOMPARE(b->sourceYaml, ws + QStringLiteral("/blue-deployment.yml"));
        QCOMPARE(b->environment.value(QStringLiteral("SERVICE_NAME")),
                 QStringLiteral("linear-python"));
        QCOMPARE(QJsonDocument::fromJson(post(b->scoringUri, request).body).object(),
                 QJsonObject({{QStringLiteral("model"), QStringLiteral("linear-blue")},
                              {QStringLiteral("predictions"), QJsonArray({141.5, 220.5})}}));
        QCOMPARE(QJsonDocument::fromJson(post(g->scoringUri, request).body).object(),
                 QJsonObject({{QStringLiteral("model"), QStringLiteral("linear-green")},
                              {QStringLiteral("predictions"), QJsonArray({127.5, 253.0})}}));
        const auto e = m.endpoint(ep);
        QVERIFY(e);
        QCOMPARE(e->description,
                 QStringLiteral(
                     "House prices from a linear model stored as JSON, scored in pure Python."));
        QCOMPARE(e->deployments, QStringList({QStringLiteral("blue"), QStringLiteral("green")}));
        QVERIFY(rec.wait(m.deleteEndpoint(ep)).ok);
    }

    // The scikit-learn example in its image: blue and green answer differently.
    void deploysSklearnExample()
    {
        if (!onDocker)
            QSKIP("the host's python3 has no scikit-learn; this example needs its image");
        REQUIRE_RUNTIME();
        const QString ep = uniqueEndpoint(QStringLiteral("skl"));
        const QString ws = m_workspace.path() + QStringLiteral("/sklearn");
        QVERIFY(copyTree(TestSupport::examplesDir() + QStringLiteral("/sklearn-regression"), ws));
        for (const QString &file :
             {QStringLiteral("endpoint.yml"), QStringLiteral("blue-deployment.yml"),
              QStringLiteral("green-deployment.yml")}) {
            QFile f(ws + u'/' + file);
            QVERIFY(f.open(QIODevice::ReadOnly));
            QByteArray text = f.readAll();
            f.close();
            text.replace("name: sklearn-regression", QByteArray("name: " + ep.toUtf8()));
            QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
            f.write(text);
        }
        DeploymentManager m(options());
        Recorder rec(&m);
        rec.wait(m.refresh());
        const quint64 blueOp = m.deploy(ws + QStringLiteral("/blue-deployment.yml"),
                                        ws + QStringLiteral("/endpoint.yml"));
        const quint64 greenOp = m.deploy(ws + QStringLiteral("/green-deployment.yml"));
        const OpResult blue = rec.wait(blueOp);
        if (!blue.ok && blue.error.contains(QStringLiteral("cannot read YAML files yet")))
            QSKIP(qPrintable(blue.error));
        QVERIFY2(blue.ok, qPrintable(blue.error));
        const OpResult green = rec.wait(greenOp);
        QVERIFY2(green.ok, qPrintable(green.error));
        const QByteArray request = readAll(ws + QStringLiteral("/sample-request.json")).toUtf8();
        QCOMPARE(QJsonDocument::fromJson(
                     post(m.deployment(ep, QStringLiteral("blue"))->scoringUri, request).body)
                     .array(),
                 QJsonArray({390.0, 225.0}));
        QCOMPARE(QJsonDocument::fromJson(
                     post(m.deployment(ep, QStringLiteral("green"))->scoringUri, request).body)
                     .array(),
                 QJsonArray({107.0, 189.5}));
        QVERIFY(rec.wait(m.deleteEndpoint(ep)).ok);
    }

    // A server removed (or killed) behind the studio's back shows as Failed, with the reason.
    void removedExternallyIsFailed()
    {
        REQUIRE_RUNTIME();
        const QString ws = workspace(QStringLiteral("external"));
        const QString ep = uniqueEndpoint(QStringLiteral("ext"));
        DeploymentManager m(options());
        Recorder rec(&m);
        rec.wait(m.refresh());
        const OpResult r = rec.wait(m.deploy(spec(ws, ep, QStringLiteral("blue"))));
        QVERIFY2(r.ok, qPrintable(r.error));
        const auto infoOpt = m.deployment(ep, QStringLiteral("blue"));
        QVERIFY(infoOpt);
        const DeploymentInfo info = *infoOpt;
        if (onDocker) {
            const auto rm = TestSupport::run(TestSupport::dockerProgram(),
                                             {QStringLiteral("rm"), QStringLiteral("-f"),
                                              info.container(inferenceServerRole())->name});
            QCOMPARE(rm.exitCode, 0);
        } else {
            const pid_t pid = info.container(inferenceServerRole())->id.toInt();
            // Its own session: it would outlive the studio.
            QVERIFY(pid > 0);
            QVERIFY(::getsid(pid) != ::getsid(0));
            QCOMPARE(::kill(pid, SIGKILL), 0);
            QTRY_VERIFY_WITH_TIMEOUT(
                !QFile::exists(QStringLiteral("/proc/%1/cmdline").arg(pid)) ||
                    readAll(QStringLiteral("/proc/%1/cmdline").arg(pid)).isEmpty(),
                5000);
        }
        DeploymentManager fresh(options());
        Recorder freshRec(&fresh);
        QVERIFY(freshRec.wait(fresh.refresh()).ok);
        const auto afterOpt = fresh.deployment(ep, QStringLiteral("blue"));
        QVERIFY(afterOpt);
        const DeploymentInfo after = *afterOpt;
        QCOMPARE(after.state, ProvisioningState::Failed);
        QVERIFY2(after.failureReason.contains(onDocker
                                                  ? QStringLiteral("removed outside the studio")
                                                  : QStringLiteral("outside the studio")),
                 qPrintable(after.failureReason));
        // Deploying again recreates what was removed.
        const OpResult again = freshRec.wait(fresh.deploy(spec(ws, ep, QStringLiteral("blue"))));
        QVERIFY2(again.ok, qPrintable(again.error));
        QCOMPARE(fresh.deployment(ep, QStringLiteral("blue"))->state, ProvisioningState::Succeeded);
        QCOMPARE(post(fresh.deployment(ep, QStringLiteral("blue"))->scoringUri, R"({"data": [2]})")
                     .body.trimmed(),
                 QByteArray(R"({"result": [6]})"));
        QVERIFY(freshRec.wait(fresh.deleteDeployment(ep, QStringLiteral("blue"))).ok);
        QVERIFY(!fresh.deployment(ep, QStringLiteral("blue")));
    }

    // Process runtime: a server whose pid lives but which no longer answers is Failed too.
    void hungProcessIsFailed()
    {
        if (onDocker)
            QSKIP("health checks by HTTP are the process runtime's; Docker reports status");
        const QString ws = workspace(QStringLiteral("hung"));
        const QString ep = uniqueEndpoint(QStringLiteral("hung"));
        DeploymentManager m(options());
        Recorder rec(&m);
        rec.wait(m.refresh());
        const OpResult r = rec.wait(m.deploy(spec(ws, ep, QStringLiteral("blue"))));
        QVERIFY2(r.ok, qPrintable(r.error));
        const pid_t pid =
            m.deployment(ep, QStringLiteral("blue"))->container(inferenceServerRole())->id.toInt();
        QVERIFY(pid > 0);
        // The server is its session's process group: the master and its workers.
        QCOMPARE(::getpgid(pid), pid);
        QCOMPARE(::kill(-pid, SIGSTOP), 0);
        DeploymentManager fresh(options());
        Recorder freshRec(&fresh);
        const OpResult refreshed = freshRec.wait(fresh.refresh());
        ::kill(-pid, SIGCONT);
        QVERIFY(refreshed.ok);
        const auto info = fresh.deployment(ep, QStringLiteral("blue"));
        QVERIFY(info);
        QCOMPARE(info->state, ProvisioningState::Failed);
        QVERIFY2(info->failureReason.contains(QStringLiteral("does not answer")),
                 qPrintable(info->failureReason));
        QVERIFY(freshRec.wait(fresh.deleteEndpoint(ep)).ok);
    }

    // init() raising: Failed, and the reason carries the exit code and the traceback.
    void initRaisingFailsWithTraceback()
    {
        REQUIRE_RUNTIME();
        const QString ws = workspace(QStringLiteral("raises"));
        const QString ep = uniqueEndpoint(QStringLiteral("raise"));
        DeploymentManager m(options());
        Recorder rec(&m);
        rec.wait(m.refresh());
        const quint64 op =
            m.deploy(spec(ws, ep, QStringLiteral("blue"), QStringLiteral("code-init-raises")));
        const OpResult r = rec.wait(op);
        QVERIFY(!r.ok);
        QCOMPARE(m.errorKind(op), DeploymentManager::ErrorKind::Failed);
        const auto infoOpt = m.deployment(ep, QStringLiteral("blue"));
        QVERIFY(infoOpt);
        const DeploymentInfo info = *infoOpt;
        QCOMPARE(info.state, ProvisioningState::Failed);
        QVERIFY2(info.failureReason.contains(onDocker ? QStringLiteral("exited with code 3")
                                                      : QStringLiteral("exited")),
                 qPrintable(info.failureReason));
        QVERIFY2(info.failureReason.contains(QStringLiteral("Traceback")),
                 qPrintable(info.failureReason));
        QVERIFY2(info.failureReason.contains(
                     QStringLiteral("ValueError: fixture model file is corrupt")),
                 qPrintable(info.failureReason));
        QCOMPARE(r.error, info.failureReason);
        QVERIFY(!info.failureReason.contains(QStringLiteral("previous version"))); // none
        // The log stays readable after the server exited.
        QVERIFY(logOf(info, inferenceServerRole())
                    .contains(QStringLiteral("fixture model file is corrupt")));
        QVERIFY(rec.wait(m.deleteEndpoint(ep)).ok);
    }

    // An update whose init() raises: Failed, as Azure reports it, but the previous version is
    // put back and serves again; fixing the code and updating brings the new one.
    void failedUpdateRestoresThePreviousVersion()
    {
        REQUIRE_RUNTIME();
        const QString ws = workspace(QStringLiteral("rollback"));
        const QString ep = uniqueEndpoint(QStringLiteral("back"));
        DeploymentManager m(options());
        Recorder rec(&m);
        rec.wait(m.refresh());
        const OpResult first = rec.wait(m.deploy(spec(ws, ep, QStringLiteral("blue"))));
        QVERIFY2(first.ok, qPrintable(first.error));
        const DeploymentInfo good = *m.deployment(ep, QStringLiteral("blue"));
        QCOMPARE(post(good.scoringUri, R"({"data": [1, 2, 3]})").body.trimmed(),
                 QByteArray(R"({"result": [3, 6, 9]})"));

        const QString score = ws + QStringLiteral("/code/score.py");
        const QByteArray working = readAll(score).toUtf8();
        auto writeScore = [&](const QByteArray &text) {
            QFile f(score);
            QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
            f.write(text);
        };
        writeScore(readAll(ws + QStringLiteral("/code-init-raises/score.py")).toUtf8());
        const quint64 op = m.deploy(spec(ws, ep, QStringLiteral("blue")));
        const OpResult broken = rec.wait(op);
        QVERIFY(!broken.ok);
        QCOMPARE(m.errorKind(op), DeploymentManager::ErrorKind::Failed);
        const DeploymentInfo after = *m.deployment(ep, QStringLiteral("blue"));
        QCOMPARE(after.state, ProvisioningState::Failed);
        QVERIFY2(after.failureReason.startsWith(
                     QStringLiteral("The update failed; the previous version was restored and "
                                    "answers at %1 again.")
                         .arg(good.scoringUri)),
                 qPrintable(after.failureReason));
        QVERIFY2(after.failureReason.contains(QStringLiteral("fixture model file is corrupt")),
                 qPrintable(after.failureReason));
        QVERIFY(!after.timeline.isEmpty());
        QCOMPARE(after.timeline.last().phase, QStringLiteral("rollback"));
        // The previous version answers, on the same URI.
        QCOMPARE(after.scoringUri, good.scoringUri);
        const HttpAnswer still = post(good.scoringUri, R"({"data": [1, 2, 3]})");
        QVERIFY2(still.status == 200, qPrintable(still.error + QString::fromUtf8(still.body)));
        QCOMPARE(still.body.trimmed(), QByteArray(R"({"result": [3, 6, 9]})"));
        {
            // A new studio or endpointctl process sees the same: Failed, the reason, the URI.
            DeploymentManager fresh(options());
            Recorder freshRec(&fresh);
            QVERIFY(freshRec.wait(fresh.refresh()).ok);
            const auto seen = fresh.deployment(ep, QStringLiteral("blue"));
            QVERIFY(seen);
            QCOMPARE(seen->state, ProvisioningState::Failed);
            QCOMPARE(seen->failureReason, after.failureReason);
            QCOMPARE(seen->scoringUri, good.scoringUri);
        }
        QVERIFY2(logOf(after, storageInitializerRole())
                     .contains(QStringLiteral("restored the previous staging")),
                 qPrintable(logOf(after, storageInitializerRole())));
        const QString serverLog = logOf(after, inferenceServerRole());
        QVERIFY2(serverLog.contains(QStringLiteral("fixture model file is corrupt")) &&
                     serverLog.lastIndexOf(QStringLiteral("fixture init: factor 3")) >
                         serverLog.indexOf(QStringLiteral("fixture model file is corrupt")),
                 qPrintable(serverLog));

        // Fixed and updated: the new version serves (nothing of the restore is left behind).
        QByteArray fixed = working;
        fixed.replace("OFFSET = 0", "OFFSET = 1000");
        writeScore(fixed);
        const OpResult again = rec.wait(m.deploy(spec(ws, ep, QStringLiteral("blue"))));
        QVERIFY2(again.ok, qPrintable(again.error));
        QCOMPARE(m.deployment(ep, QStringLiteral("blue"))->state, ProvisioningState::Succeeded);
        QCOMPARE(post(good.scoringUri, R"({"data": [1]})").body.trimmed(),
                 QByteArray(R"({"result": [1003]})"));
        QVERIFY(rec.wait(m.deleteEndpoint(ep)).ok);
    }

    // The same when the update also changes the container's settings (a new environment
    // variable): the new container goes, the previous one is made again as it was.
    void failedRecreateRestoresThePreviousServer()
    {
        REQUIRE_RUNTIME();
        const QString ws = workspace(QStringLiteral("recreate"));
        const QString ep = uniqueEndpoint(QStringLiteral("recr"));
        DeploymentManager m(options());
        Recorder rec(&m);
        rec.wait(m.refresh());
        const OpResult first = rec.wait(m.deploy(spec(ws, ep, QStringLiteral("blue"))));
        QVERIFY2(first.ok, qPrintable(first.error));
        const DeploymentInfo good = *m.deployment(ep, QStringLiteral("blue"));

        DeploymentSpec broken =
            spec(ws, ep, QStringLiteral("blue"), QStringLiteral("code-init-raises"));
        broken.environmentVariables.insert(QStringLiteral("FIXTURE_LABEL"), QStringLiteral("v2"));
        const OpResult r = rec.wait(m.deploy(broken));
        QVERIFY(!r.ok);
        const DeploymentInfo after = *m.deployment(ep, QStringLiteral("blue"));
        QCOMPARE(after.state, ProvisioningState::Failed);
        QVERIFY2(after.failureReason.startsWith(
                     QStringLiteral("The update failed; the previous version was restored")),
                 qPrintable(after.failureReason));
        QVERIFY2(after.failureReason.contains(QStringLiteral("fixture model file is corrupt")),
                 qPrintable(after.failureReason));
        // The previous settings came back with the previous code.
        QCOMPARE(after.environment.value(QStringLiteral("FIXTURE_LABEL")), QStringLiteral("blue"));
        QCOMPARE(after.scoringUri, good.scoringUri);
        const HttpAnswer still = post(good.scoringUri, R"({"data": [2]})");
        QVERIFY2(still.status == 200, qPrintable(still.error + QString::fromUtf8(still.body)));
        QCOMPARE(still.body.trimmed(), QByteArray(R"({"result": [6]})"));
        QVERIFY2(logOf(after, inferenceServerRole()).contains(QStringLiteral("label blue")),
                 qPrintable(logOf(after, inferenceServerRole())));

        // A good update with the new setting then goes through.
        DeploymentSpec fixed = spec(ws, ep, QStringLiteral("blue"));
        fixed.environmentVariables.insert(QStringLiteral("FIXTURE_LABEL"), QStringLiteral("v3"));
        const OpResult again = rec.wait(m.deploy(fixed));
        QVERIFY2(again.ok, qPrintable(again.error));
        QVERIFY2(logOf(*m.deployment(ep, QStringLiteral("blue")), inferenceServerRole())
                     .contains(QStringLiteral("label v3")),
                 "the new setting is not in use");
        QVERIFY(rec.wait(m.deleteEndpoint(ep)).ok);
        if (onDocker) {
            QCOMPARE(labelled(QStringLiteral("container"), ep), QStringList());
            QCOMPARE(labelled(QStringLiteral("volume"), ep), QStringList());
        }
    }

    // A server that never answers: Failed once the readiness budget is spent.
    void readinessTimeout()
    {
        REQUIRE_RUNTIME();
        const QString ws = workspace(QStringLiteral("slow"));
        const QString ep = uniqueEndpoint(QStringLiteral("slow"));
        DeploymentManager m(options());
        Recorder rec(&m);
        rec.wait(m.refresh());
        DeploymentSpec s = spec(ws, ep, QStringLiteral("blue"), QStringLiteral("code-slow-init"));
        s.readinessProbe.failureThreshold = 2; // 1 + 1 × 2 = 3 s
        const OpResult r = rec.wait(m.deploy(s));
        QVERIFY(!r.ok);
        QVERIFY2(r.error.contains(QStringLiteral("readiness probe timed out")),
                 qPrintable(r.error));
        QVERIFY(m.deployment(ep, QStringLiteral("blue")));
        QCOMPARE(m.deployment(ep, QStringLiteral("blue"))->state, ProvisioningState::Failed);
        QVERIFY(rec.wait(m.deleteEndpoint(ep)).ok);
    }

    // Cancel stops the operation's work and says so in the state.
    void cancelStopsADeploy()
    {
        REQUIRE_RUNTIME();
        const QString ws = workspace(QStringLiteral("cancel"));
        const QString ep = uniqueEndpoint(QStringLiteral("cancel"));
        DeploymentManager m(options());
        Recorder rec(&m);
        rec.wait(m.refresh());
        const quint64 op =
            m.deploy(spec(ws, ep, QStringLiteral("blue"), QStringLiteral("code-slow-init")));
        QTRY_VERIFY_WITH_TIMEOUT(
            rec.progress.filter(QRegularExpression(QStringLiteral("^wait-ready "))).size() > 0,
            60000);
        QVERIFY(m.isRunning(op));
        QVERIFY(m.cancel(op));
        QVERIFY(!m.isRunning(op));
        const OpResult r = rec.wait(op, 1000);
        QVERIFY(r.done && !r.ok);
        QCOMPARE(m.errorKind(op), DeploymentManager::ErrorKind::Canceled);
        QCOMPARE(m.deployment(ep, QStringLiteral("blue"))->state, ProvisioningState::Canceled);
        QVERIFY(!m.cancel(op));
        QVERIFY(rec.wait(m.deleteEndpoint(ep)).ok);
        if (onDocker)
            QCOMPARE(labelled(QStringLiteral("container"), ep), QStringList());
    }

    // Docker builds: a failing step is named; conda_file on an image without conda is refused
    // before building.
    void buildErrorsAreExplained()
    {
        if (!onDocker)
            QSKIP("the process runtime builds no images");
        REQUIRE_RUNTIME();
        const QString ws = workspace(QStringLiteral("build"));
        const QString ep = uniqueEndpoint(QStringLiteral("build"));
        DeploymentManager m(options());
        Recorder rec(&m);
        rec.wait(m.refresh());

        QDir().mkpath(ws + QStringLiteral("/broken-env"));
        QFile dockerfile(ws + QStringLiteral("/broken-env/Dockerfile"));
        QVERIFY(dockerfile.open(QIODevice::WriteOnly));
        dockerfile.write("FROM endpoint-studio/python:3.11-bookworm\nRUN echo fixture-" +
                         ep.toUtf8() + " && exit 7\n");
        dockerfile.close();
        DeploymentSpec s = spec(ws, ep, QStringLiteral("blue"));
        s.environment->buildPath = QStringLiteral("broken-env");
        const OpResult broken = rec.wait(m.deploy(s));
        QVERIFY(!broken.ok);
        qInfo("build failure as the user sees it: %s", qPrintable(broken.error));
        QVERIFY2(broken.error.contains(QStringLiteral("image build failed")) &&
                     broken.error.contains(QStringLiteral("exit 7")),
                 qPrintable(broken.error));

        QFile conda(ws + QStringLiteral("/conda.yml"));
        QVERIFY(conda.open(QIODevice::WriteOnly));
        conda.write("name: fixture\ndependencies:\n  - python=3.11\n");
        conda.close();
        DeploymentSpec c = spec(ws, ep, QStringLiteral("green"));
        c.environment->buildPath.clear();
        c.environment->image = QStringLiteral("endpoint-studio/python:3.11-bookworm");
        c.environment->condaFile = QStringLiteral("conda.yml");
        const OpResult noConda = rec.wait(m.deploy(c));
        QVERIFY(!noConda.ok);
        QVERIFY2(noConda.error.contains(QStringLiteral("has no conda")), qPrintable(noConda.error));
        QVERIFY(rec.wait(m.deleteEndpoint(ep)).ok);
    }

    // A YAML that points at things that do not exist fails before anything runs.
    void missingArtifactsAreNamed()
    {
        const QString ws = workspace(QStringLiteral("missing"));
        DeploymentManager m(options());
        Recorder rec(&m);
        DeploymentSpec s = spec(ws, uniqueEndpoint(QStringLiteral("miss")), QStringLiteral("blue"),
                                QStringLiteral("no-such-code"));
        const quint64 op = m.deploy(s);
        const OpResult r = rec.wait(op);
        QVERIFY(!r.ok);
        QCOMPARE(m.errorKind(op), DeploymentManager::ErrorKind::InvalidSpec);
        QVERIFY2(r.error.contains(QStringLiteral("code_configuration.code")), qPrintable(r.error));
    }

    void missingImageIsAClearError()
    {
        if (!onDocker)
            QSKIP("images exist only on the Docker runtime");
        REQUIRE_RUNTIME();
        const QString ws = workspace(QStringLiteral("noimage"));
        const QString ep = uniqueEndpoint(QStringLiteral("noimg"));
        DeploymentManager m(options());
        Recorder rec(&m);
        rec.wait(m.refresh());
        DeploymentSpec s = spec(ws, ep, QStringLiteral("blue"));
        s.environment->buildPath.clear();
        s.environment->image = QStringLiteral("endpoint-studio/no-such-image:%1").arg(ep);
        const OpResult r = rec.wait(m.deploy(s));
        QVERIFY(!r.ok);
        QVERIFY2(
            r.error.contains(QStringLiteral("image not found locally and could not be pulled")),
            qPrintable(r.error));
        QVERIFY(r.error.contains(s.environment->image));
        QVERIFY(m.deployment(ep, QStringLiteral("blue")));
        QCOMPARE(m.deployment(ep, QStringLiteral("blue"))->state, ProvisioningState::Failed);
        QVERIFY(rec.wait(m.deleteEndpoint(ep)).ok);
    }

    void unreachableEngineSaysWhy()
    {
        if (!onDocker)
            QSKIP("the process runtime needs no engine");
        const QString ws = workspace(QStringLiteral("noengine"));
        {
            DeploymentManager::Options o = options();
            o.containerProgram = QStringLiteral("/nonexistent/docker");
            DeploymentManager m(o);
            Recorder rec(&m);
            const quint64 op =
                m.deploy(spec(ws, QStringLiteral("noengine"), QStringLiteral("blue")));
            const OpResult r = rec.wait(op);
            QVERIFY(!r.ok);
            QCOMPARE(m.errorKind(op), DeploymentManager::ErrorKind::EngineUnreachable);
            QVERIFY2(r.error.contains(QStringLiteral("not installed")) &&
                         r.error.contains(QStringLiteral("apt-get install docker.io")) &&
                         r.error.contains(QStringLiteral("--runtime process")),
                     qPrintable(r.error));
        }
        REQUIRE_RUNTIME();
        const QByteArray saved = qgetenv("DOCKER_HOST");
        qputenv("DOCKER_HOST", "unix:///nonexistent/dead.sock");
        DeploymentManager::Options o = options();
        o.runtime = DeploymentManager::RuntimeChoice::Automatic;
        DeploymentManager m(o);
        Recorder rec(&m);
        const quint64 op = m.deploy(spec(ws, QStringLiteral("noengine"), QStringLiteral("blue")));
        const OpResult r = rec.wait(op);
        if (saved.isNull())
            qunsetenv("DOCKER_HOST");
        else
            qputenv("DOCKER_HOST", saved);
        QVERIFY(!r.ok);
        QCOMPARE(m.errorKind(op), DeploymentManager::ErrorKind::EngineUnreachable);
        QVERIFY2(
            r.error.contains(QStringLiteral("not answering at unix:///nonexistent/dead.sock")) &&
                r.error.contains(QStringLiteral("unset DOCKER_HOST")),
            qPrintable(r.error));
        QVERIFY(!m.engineProblem().isEmpty());
    }

    // No engine and no DOCKER_HOST: the automatic choice falls back to the process runtime and
    // says why, and deployments still work.
    void automaticFallsBackToProcess()
    {
        if (onDocker)
            QSKIP("exercised once, with the process runtime");
        const QByteArray saved = qgetenv("DOCKER_HOST");
        qunsetenv("DOCKER_HOST");
        DeploymentManager::Options o = options();
        o.runtime = DeploymentManager::RuntimeChoice::Automatic;
        o.containerProgram = QStringLiteral("/nonexistent/docker");
        DeploymentManager m(o);
        Recorder rec(&m);
        QSignalSpy changed(&m, &DeploymentManager::runtimeChanged);
        const OpResult refreshed = rec.wait(m.refresh());
        if (!saved.isNull())
            qputenv("DOCKER_HOST", saved);
        QVERIFY(refreshed.ok);
        QVERIFY(m.runtimeResolved());
        QCOMPARE(m.runtimeKind(), RuntimeKind::Process);
        QVERIFY2(m.engineProblem().contains(QStringLiteral("not installed")),
                 qPrintable(m.engineProblem()));
        QCOMPARE(changed.size(), 1);
        QCOMPARE(changed.first().at(0).value<RuntimeKind>(), RuntimeKind::Process);
        const QString ep = uniqueEndpoint(QStringLiteral("auto"));
        const OpResult r =
            rec.wait(m.deploy(spec(workspace(QStringLiteral("auto")), ep, QStringLiteral("blue"))));
        QVERIFY2(r.ok, qPrintable(r.error));
        QCOMPARE(m.deployment(ep, QStringLiteral("blue"))->runtime, RuntimeKind::Process);
        QVERIFY(rec.wait(m.deleteEndpoint(ep)).ok);
    }

    // A custom container (inference_config) runs its own command; the scoring URI follows its
    // scoring route, and readiness polls its readiness route.
    void customContainerUsesItsRoutes()
    {
        if (!onDocker)
            QSKIP("custom containers need a container engine");
        REQUIRE_RUNTIME();
        const QString ws = workspace(QStringLiteral("custom"));
        const QString ep = uniqueEndpoint(QStringLiteral("byoc"));
        QDir().mkpath(ws + QStringLiteral("/custom-env"));
        QFile dockerfile(ws + QStringLiteral("/custom-env/Dockerfile"));
        QVERIFY(dockerfile.open(QIODevice::WriteOnly));
        dockerfile.write("FROM endpoint-studio/python:3.11-bookworm\n"
                         "WORKDIR /var/azureml-app\n"
                         "CMD [\"python3\", \"-m\", \"http.server\", \"8080\"]\n");
        dockerfile.close();
        DeploymentSpec s = spec(ws, ep, QStringLiteral("blue"));
        s.environment->buildPath = QStringLiteral("custom-env");
        InferenceConfig routes;
        routes.liveness = Route{8080, QStringLiteral("/")};
        routes.readiness = Route{8080, QStringLiteral("/")};
        routes.scoring = Route{8080, QStringLiteral("/azureml-models/fixture-model/1/model.json")};
        s.environment->inferenceConfig = routes;
        DeploymentManager m(options());
        Recorder rec(&m);
        rec.wait(m.refresh());
        const OpResult r = rec.wait(m.deploy(s));
        QVERIFY2(r.ok, qPrintable(r.error));
        const auto info = m.deployment(ep, QStringLiteral("blue"));
        QVERIFY(info);
        QCOMPARE(info->containerPort, 8080);
        QVERIFY2(
            info->scoringUri.endsWith(QStringLiteral("/azureml-models/fixture-model/1/model.json")),
            qPrintable(info->scoringUri));
        // The staged model, served by the image's own server from the volume.
        QNetworkAccessManager network;
        network.setProxy(QNetworkProxy::NoProxy);
        QNetworkReply *reply = network.get(QNetworkRequest(QUrl(info->scoringUri)));
        QEventLoop loop;
        connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
        loop.exec();
        QCOMPARE(reply->readAll().trimmed(), QByteArray(R"({"factor": 3})"));
        reply->deleteLater();
        QVERIFY(rec.wait(m.deleteEndpoint(ep)).ok);
    }

    // WORKER_COUNT worker processes, each with its own init(), as azmlinfsrv's gunicorn sync
    // workers; the image has no azmlinfsrv, so the built-in server stands in, marked as such.
    void twoWorkersEachRunInit()
    {
        REQUIRE_RUNTIME();
        const QString ws = workspace(QStringLiteral("workers"));
        const QString ep = uniqueEndpoint(QStringLiteral("wrk"));
        DeploymentManager m(options());
        Recorder rec(&m);
        rec.wait(m.refresh());
        DeploymentSpec s = spec(ws, ep, QStringLiteral("blue"), QStringLiteral("code-pids"));
        s.environmentVariables.insert(QStringLiteral("WORKER_COUNT"), QStringLiteral("2"));
        s.instanceType = QStringLiteral("Standard_DS2_v2");
        const OpResult r = rec.wait(m.deploy(s));
        QVERIFY2(r.ok, qPrintable(r.error));
        const DeploymentInfo info = *m.deployment(ep, QStringLiteral("blue"));
        // Both workers are up once each logged it (the first answers readiness alone).
        QTRY_VERIFY_WITH_TIMEOUT(
            logOf(info, inferenceServerRole()).count(QStringLiteral("ready for serving traffic")) >=
                2,
            30000);
        const QList<QJsonObject> answers =
            postConcurrently(info.scoringUri, R"({"sleep": 0.5})", 8);
        QSet<int> pids;
        for (const QJsonObject &a : answers) {
            QVERIFY2(a.contains(QStringLiteral("pid")), "a request got no answer");
            QCOMPARE(a.value(QStringLiteral("pid")).toInt(),
                     a.value(QStringLiteral("init_pid")).toInt()); // each its own init()
            pids << a.value(QStringLiteral("pid")).toInt();
        }
        QCOMPARE(pids.size(), 2);
        const QString log = logOf(info, inferenceServerRole());
        for (int pid : pids)
            QVERIFY2(log.contains(QStringLiteral("fixture init in pid %1").arg(pid)),
                     qPrintable(log));
        QVERIFY2(log.contains(QStringLiteral("Worker Count: 2")), qPrintable(log));

        // No azmlinfsrv in the image: said in the deploy output, the info and `show`.
        QCOMPARE(info.settings.server, ServerKind::BuiltIn);
        QVERIFY2(!rec.progress
                      .filter(QStringLiteral("azureml-inference-server-http is not in "
                                             "the environment"))
                      .isEmpty(),
                 qPrintable(rec.progress.join(u'\n')));
        const QJsonObject studio = info.toJson().value(QStringLiteral("studio")).toObject();
        QCOMPARE(studio.value(QStringLiteral("server")).toString(), QStringLiteral("built-in"));
        QVERIFY(studio.value(QStringLiteral("settings"))
                    .toObject()
                    .value(QStringLiteral("server_note"))
                    .toString()
                    .contains(QStringLiteral("is not in the environment")));
        QCOMPARE(info.settings.workerCount, 2);
        QCOMPARE(info.settings.sku->name, QStringLiteral("Standard_DS2_v2"));
        if (onDocker) {
            // instance_type's limits on the container.
            const auto inspect = TestSupport::run(
                TestSupport::dockerProgram(),
                {QStringLiteral("inspect"), QStringLiteral("--format"),
                 QStringLiteral("{{.HostConfig.Memory}} {{.HostConfig.MemorySwap}} "
                                "{{.HostConfig.NanoCpus}} {{.HostConfig.PidsLimit}} "
                                "{{.HostConfig.Init}}"),
                 info.container(inferenceServerRole())->name});
            const QStringList hc = QString::fromUtf8(inspect.out).trimmed().split(u' ');
            const qint64 sevenGiB = 7LL * 1024 * 1024 * 1024;
            QCOMPARE(hc.value(0).toLongLong(), sevenGiB);
            QCOMPARE(hc.value(1).toLongLong(), sevenGiB);
            QCOMPARE(hc.value(2).toLongLong(),
                     qint64(qMin(2, QThread::idealThreadCount())) * 1000000000LL);
            QCOMPARE(hc.value(3), QStringLiteral("4096"));
            QCOMPARE(hc.value(4), QStringLiteral("true"));
        } else {
            QCOMPARE(info.settings.memoryBytes, 7LL * 1024 * 1024 * 1024);
            QCOMPARE(info.settings.cpus, 0.0);
            QVERIFY2(info.settings.notes.join(u'\n').contains(QStringLiteral("cannot limit")),
                     qPrintable(info.settings.notes.join(u'\n')));
        }
        QVERIFY(rec.wait(m.deleteEndpoint(ep)).ok);
    }

    // WORKER_TIMEOUT: the worker whose run() runs past it is killed and the log says why. As
    // gunicorn's arbiter does under azmlinfsrv (azmlinfsrv passes --timeout WORKER_TIMEOUT;
    // gunicorn/arbiter.py murder_workers() kills, reap_workers()/manage_workers() boot a new
    // worker), the server lives on: a new worker runs init() again and answers. The issue
    // asked for the server to exit; gunicorn's source, which Azure runs, does not.
    void workerTimeoutKillsTheWorker()
    {
        REQUIRE_RUNTIME();
        const QString ws = workspace(QStringLiteral("wtimeout"));
        const QString ep = uniqueEndpoint(QStringLiteral("wto"));
        DeploymentManager m(options());
        Recorder rec(&m);
        rec.wait(m.refresh());
        DeploymentSpec s = spec(ws, ep, QStringLiteral("blue"), QStringLiteral("code-pids"));
        s.environmentVariables.insert(QStringLiteral("WORKER_TIMEOUT"), QStringLiteral("2"));
        const OpResult r = rec.wait(m.deploy(s));
        QVERIFY2(r.ok, qPrintable(r.error));
        const DeploymentInfo info = *m.deployment(ep, QStringLiteral("blue"));
        QCOMPARE(info.settings.workerTimeoutS, 2);
        const int first = QJsonDocument::fromJson(post(info.scoringUri, "{}").body)
                              .object()
                              .value(QStringLiteral("pid"))
                              .toInt();
        QElapsedTimer clock;
        clock.start();
        const HttpAnswer stuck = post(info.scoringUri, R"({"sleep": 60})");
        QVERIFY2(stuck.status == 0 && !stuck.error.isEmpty(), stuck.body.constData());
        QVERIFY2(clock.elapsed() < 15000, "the stuck worker was not stopped");
        QTRY_VERIFY_WITH_TIMEOUT(
            logOf(info, inferenceServerRole()).count(QStringLiteral("fixture init in pid")) >= 2,
            30000);
        const QString log = logOf(info, inferenceServerRole());
        QVERIFY2(log.contains(QStringLiteral("WORKER TIMEOUT (pid:%1): run() ran past "
                                             "WORKER_TIMEOUT (2 s)")
                                  .arg(first)),
                 qPrintable(log));
        QVERIFY2(log.contains(QStringLiteral("was stopped by WORKER TIMEOUT")) &&
                     log.contains(QStringLiteral("score.py\", line")),
                 qPrintable(log));
        const HttpAnswer after = post(info.scoringUri, "{}");
        QCOMPARE(after.status, 200);
        const QJsonObject again = QJsonDocument::fromJson(after.body).object();
        QVERIFY(again.value(QStringLiteral("pid")).toInt() != first);
        QCOMPARE(again.value(QStringLiteral("pid")).toInt(),
                 again.value(QStringLiteral("init_pid")).toInt());
        QCOMPARE(m.deployment(ep, QStringLiteral("blue"))->state, ProvisioningState::Succeeded);
        QVERIFY(rec.wait(m.deleteEndpoint(ep)).ok);
    }

    // liveness_probe, checked once ready: a server that stops answering it failure_threshold
    // times in a row is restarted, and the count and the reason are kept (and shown).
    void failingLivenessProbeRestarts()
    {
        REQUIRE_RUNTIME();
        const QString ws = workspace(QStringLiteral("liveness"));
        const QString ep = uniqueEndpoint(QStringLiteral("live"));
        DeploymentManager m(options());
        Recorder rec(&m);
        rec.wait(m.refresh());
        DeploymentSpec s = spec(ws, ep, QStringLiteral("blue"), QStringLiteral("code-pids"));
        // A restarted server must answer within initial_delay + period × failure_threshold, or
        // it is restarted again (as Kubernetes does); 8 s leave room for a busy machine.
        s.livenessProbe.initialDelay = 5;
        s.livenessProbe.period = 1;
        s.livenessProbe.timeout = 1;
        s.livenessProbe.failureThreshold = 3;
        const OpResult r = rec.wait(m.deploy(s));
        QVERIFY2(r.ok, qPrintable(r.error));
        const DeploymentInfo before = *m.deployment(ep, QStringLiteral("blue"));
        QCOMPARE(before.restartCount, 0);
        QCOMPARE(before.settings.liveness.failureThreshold, 3);
        // The only worker is stuck in run(): a sync worker answers no probe meanwhile.
        QNetworkAccessManager network;
        network.setProxy(QNetworkProxy::NoProxy);
        QNetworkRequest request{QUrl(before.scoringUri)};
        request.setHeader(QNetworkRequest::ContentTypeHeader, QStringLiteral("application/json"));
        request.setTransferTimeout(120000);
        QNetworkReply *stuck = network.post(request, QByteArray(R"({"sleep": 120})"));
        QTRY_VERIFY_WITH_TIMEOUT(m.deployment(ep, QStringLiteral("blue"))->restartCount >= 1,
                                 60000);
        const DeploymentInfo restarted = *m.deployment(ep, QStringLiteral("blue"));
        QVERIFY2(restarted.lastRestartReason.contains(
                     QStringLiteral("liveness probe failed 3 times in a row")),
                 qPrintable(restarted.lastRestartReason));
        QVERIFY(restarted.lastRestartAt.isValid());
        // Restarted, it answers again (the stuck request went with the old server).
        QTRY_COMPARE_WITH_TIMEOUT(post(restarted.scoringUri, "{}").status, 200, 60000);
        QTRY_VERIFY_WITH_TIMEOUT(stuck->isFinished(), 30000);
        stuck->deleteLater();
        QCOMPARE(m.deployment(ep, QStringLiteral("blue"))->state, ProvisioningState::Succeeded);
        // A fresh process (`show`) reads the same count and reason.
        {
            const int count = m.deployment(ep, QStringLiteral("blue"))->restartCount;
            DeploymentManager fresh(options());
            Recorder freshRec(&fresh);
            QVERIFY(freshRec.wait(fresh.refresh()).ok);
            const QJsonObject restarts = fresh.deployment(ep, QStringLiteral("blue"))
                                             ->toJson()
                                             .value(QStringLiteral("studio"))
                                             .toObject()
                                             .value(QStringLiteral("restarts"))
                                             .toObject();
            QCOMPARE(restarts.value(QStringLiteral("count")).toInt(), count);
            QVERIFY(restarts.value(QStringLiteral("last_reason"))
                        .toString()
                        .contains(QStringLiteral("liveness probe failed")));
        }
        QVERIFY(rec.wait(m.deleteEndpoint(ep)).ok);
    }

    // An init() that needs more memory than the instance type has ends Failed, naming the
    // size and its memory: the kernel's OOM kill in a container, a MemoryError under the
    // process runtime's RLIMIT_DATA.
    void memoryHogUnderASmallSizeFails()
    {
        REQUIRE_RUNTIME();
        if (HostResources::local().memoryBytes < 6LL * 1024 * 1024 * 1024)
            QSKIP("the test allocates up to 3.5 GiB; this machine has less than 6 GiB");
        const QString ws = workspace(QStringLiteral("hog"));
        const QString ep = uniqueEndpoint(QStringLiteral("hog"));
        DeploymentManager m(options());
        Recorder rec(&m);
        rec.wait(m.refresh());
        DeploymentSpec s = spec(ws, ep, QStringLiteral("blue"), QStringLiteral("code-memory-hog"));
        s.instanceType = QStringLiteral("Standard_DS1_v2");
        s.readinessProbe.failureThreshold = 400; // filling 3.5 GiB is slow on a busy machine
        const OpResult r = rec.wait(m.deploy(s));
        QVERIFY(!r.ok);
        const DeploymentInfo info = *m.deployment(ep, QStringLiteral("blue"));
        QCOMPARE(info.state, ProvisioningState::Failed);
        qInfo("out of memory as the user sees it: %s", qPrintable(info.failureReason.left(300)));
        QVERIFY2(info.failureReason.startsWith(
                     (onDocker ? QStringLiteral("OOMKilled") : QStringLiteral("MemoryError")) +
                     QStringLiteral(": the scoring server used more than Standard_DS1_v2's "
                                    "3.5 GiB")),
                 qPrintable(info.failureReason));
        if (onDocker)
            QVERIFY(info.container(inferenceServerRole())->oomKilled);
        // A fresh process sees the same reason.
        if (onDocker) {
            DeploymentManager fresh(options());
            Recorder freshRec(&fresh);
            QVERIFY(freshRec.wait(fresh.refresh()).ok);
            QVERIFY2(fresh.deployment(ep, QStringLiteral("blue"))
                         ->failureReason.startsWith(QStringLiteral("OOMKilled: ")),
                     qPrintable(fresh.deployment(ep, QStringLiteral("blue"))->failureReason));
        }
        QVERIFY(rec.wait(m.deleteEndpoint(ep)).ok);
    }

    // An environment with azmlinfsrv gets it, started as Azure's inference images start it
    // (their runit gunicorn/run script: `cd ${AML_APP_ROOT:-/var/azureml-app}` then
    // `azmlinfsrv --entry_script "${AZUREML_ENTRY_SCRIPT:-main.py}"`), on the container's
    // port. A stand-in azmlinfsrv (the real package cannot be installed offline) records how.
    void environmentsOwnAzureServer()
    {
        REQUIRE_RUNTIME();
        const QString ws = workspace(QStringLiteral("azmlinfsrv"));
        const QString ep = uniqueEndpoint(QStringLiteral("azsrv"));
        DeploymentManager::Options o = options();
        DeploymentSpec s = spec(ws, ep, QStringLiteral("blue"));
        s.environmentVariables.insert(QStringLiteral("WORKER_COUNT"), QStringLiteral("3"));
        s.environmentVariables.insert(QStringLiteral("WORKER_TIMEOUT"), QStringLiteral("120"));
        s.environmentVariables.insert(QStringLiteral("SCORING_TIMEOUT_MS"), QStringLiteral("9000"));
        QString venv;
        if (onDocker) {
            s.environment->buildPath = QStringLiteral("azmlinfsrv-standin");
        } else {
            // A virtual environment's bin folder: its python and its azmlinfsrv.
            venv = ws + QStringLiteral("/venv/bin");
            QVERIFY(QDir().mkpath(venv));
            QVERIFY(
                QFile::link(QStringLiteral("/usr/bin/python3"), venv + QStringLiteral("/python3")));
            QVERIFY(QFile::copy(ws + QStringLiteral("/azmlinfsrv-standin/azmlinfsrv"),
                                venv + QStringLiteral("/azmlinfsrv")));
            o.python = venv + QStringLiteral("/python3");
        }
        DeploymentManager m(o);
        Recorder rec(&m);
        rec.wait(m.refresh());
        const OpResult r = rec.wait(m.deploy(s));
        QVERIFY2(r.ok, qPrintable(r.error));
        const DeploymentInfo info = *m.deployment(ep, QStringLiteral("blue"));
        QCOMPARE(info.settings.server, ServerKind::AzureServer);
        QCOMPARE(info.settings.serverProgram, onDocker ? QStringLiteral("/usr/local/bin/azmlinfsrv")
                                                       : venv + QStringLiteral("/azmlinfsrv"));
        QCOMPARE(info.toJson()
                     .value(QStringLiteral("studio"))
                     .toObject()
                     .value(QStringLiteral("server"))
                     .toString(),
                 QStringLiteral("azmlinfsrv"));
        QVERIFY(!rec.progress.filter(QStringLiteral("server: azmlinfsrv")).isEmpty());
        QCOMPARE(post(info.scoringUri, R"({"data": [1, 2]})").body.trimmed(),
                 QByteArray(R"({"result": [3, 6]})"));

        const QString log = logOf(info, inferenceServerRole());
        const qsizetype at = log.indexOf(QStringLiteral("standin-azmlinfsrv "));
        QVERIFY2(at >= 0, qPrintable(log));
        const QString line = log.mid(at + 19).section(u'\n', 0, 0);
        const QJsonObject how = QJsonDocument::fromJson(line.toUtf8()).object();
        const QString appRoot = info.environment.value(QStringLiteral("AML_APP_ROOT"));
        const int port = onDocker ? 5001 : info.hostPort;
        QCOMPARE(how.value(QStringLiteral("argv")).toArray(),
                 QJsonArray({QStringLiteral("--entry_script"), QStringLiteral("score.py"),
                             QStringLiteral("--port"), QString::number(port)}));
        const QString cwd = how.value(QStringLiteral("cwd")).toString();
        if (onDocker)
            QCOMPARE(cwd, appRoot);
        else
            QCOMPARE(QFileInfo(cwd).canonicalFilePath(), QFileInfo(appRoot).canonicalFilePath());
        const QJsonObject env = how.value(QStringLiteral("env")).toObject();
        QCOMPARE(env.value(QStringLiteral("AZUREML_ENTRY_SCRIPT")).toString(),
                 QStringLiteral("score.py"));
        QCOMPARE(env.value(QStringLiteral("AML_APP_ROOT")).toString(), appRoot);
        QVERIFY(env.value(QStringLiteral("AZUREML_MODEL_DIR"))
                    .toString()
                    .endsWith(QStringLiteral("/azureml-models/fixture-model/1")));
        QCOMPARE(env.value(QStringLiteral("WORKER_COUNT")).toString(), QStringLiteral("3"));
        QCOMPARE(env.value(QStringLiteral("WORKER_TIMEOUT")).toString(), QStringLiteral("120"));
        QCOMPARE(env.value(QStringLiteral("SCORING_TIMEOUT_MS")).toString(),
                 QStringLiteral("9000"));
        if (onDocker)
            QCOMPARE(appRoot, QStringLiteral("/var/azureml-app/code"));
        QVERIFY(rec.wait(m.deleteEndpoint(ep)).ok);
        if (onDocker && !info.image.isEmpty())
            TestSupport::run(
                TestSupport::dockerProgram(),
                {QStringLiteral("image"), QStringLiteral("rm"), QStringLiteral("-f"), info.image});
    }

    // --local-enable-gpu without a GPU is a clear error; a GPU size without it says the model
    // runs on CPU here.
    void gpuRequestsAreExplained()
    {
        DeploymentSpec s = spec(workspace(QStringLiteral("gpu")), QStringLiteral("gpu-ep"),
                                QStringLiteral("blue"));
        s.instanceType = QStringLiteral("Standard_NC6s_v3");
        const auto plain = DeploymentPlan::fromSpec(s, std::nullopt);
        QVERIFY(plain);
        QVERIFY2(plain->settings.notes.join(u'\n').contains(
                     QStringLiteral("Standard_NC6s_v3 has 1 GPU in Azure; deployed without "
                                    "--local-enable-gpu, the model runs on CPU here")),
                 qPrintable(plain->settings.notes.join(u'\n')));
        QVERIFY(!plain->settings.gpu);
        if (!QStandardPaths::findExecutable(QStringLiteral("nvidia-smi")).isEmpty())
            QSKIP("this machine has nvidia-smi: the no-GPU message cannot be exercised");
        REQUIRE_RUNTIME();
        const QString ep = uniqueEndpoint(QStringLiteral("gpu"));
        s.endpointName = ep;
        DeploymentManager m(options());
        Recorder rec(&m);
        rec.wait(m.refresh());
        DeployOptions gpu;
        gpu.enableGpu = true;
        const OpResult r = rec.wait(m.deploy(s, std::nullopt, gpu));
        QVERIFY(!r.ok);
        QVERIFY2(r.error.contains(QStringLiteral("--local-enable-gpu: this machine has no NVIDIA "
                                                 "GPU (nvidia-smi is not on PATH)")),
                 qPrintable(r.error));
        if (m.endpoint(ep))
            QVERIFY(rec.wait(m.deleteEndpoint(ep)).ok);
    }

    // Containers made by `az ml … --local` are listed (read from their labels).
    void azureMlLocalContainersAreListed()
    {
        if (!onDocker)
            QSKIP("az ml --local makes Docker containers");
        REQUIRE_RUNTIME();
        const QString ep = uniqueEndpoint(QStringLiteral("az"));
        const QString name = ep + QStringLiteral(".blue");
        const auto started = TestSupport::run(
            TestSupport::dockerProgram(),
            {QStringLiteral("run"), QStringLiteral("-d"), QStringLiteral("--name"), name,
             QStringLiteral("--label"), QStringLiteral("azureml-local-endpoint="),
             QStringLiteral("--label"), QStringLiteral("endpoint=") + ep, QStringLiteral("--label"),
             QStringLiteral("deployment=blue"), QStringLiteral("--label"),
             QStringLiteral(R"(deployment-data={"name": "blue", "instance_count": 1})"),
             QStringLiteral("--label"), QStringLiteral("azureml-port=5001"), QStringLiteral("-p"),
             QStringLiteral("127.0.0.1::5001"),
             QStringLiteral("endpoint-studio/python:3.11-bookworm"), QStringLiteral("sleep"),
             QStringLiteral("120")});
        QVERIFY2(started.exitCode == 0, started.err.constData());
        DeploymentManager m(options());
        Recorder rec(&m);
        QVERIFY(rec.wait(m.refresh()).ok);
        const auto info = m.deployment(ep, QStringLiteral("blue"));
        TestSupport::run(TestSupport::dockerProgram(),
                         {QStringLiteral("rm"), QStringLiteral("-f"), name});
        QVERIFY(info);
        QVERIFY(info->createdByAzureMl);
        QCOMPARE(info->state, ProvisioningState::Succeeded);
        QVERIFY(info->scoringUri.startsWith(QStringLiteral("http://localhost:")));
        QCOMPARE(info->deploymentData.value(QStringLiteral("instance_count")).toInt(), 1);
        QVERIFY(m.endpoint(ep));
        QVERIFY(m.endpoint(ep)->createdByAzureMl);
    }
};

QTEST_GUILESS_MAIN(TestRuntime)
#include "test_runtime.moc"
