#include "app/runtime/datafolder.h"
#include "app/runtime/deploymentmanager.h"
#include "tests/common/testsupport.h"
#include "tests/runtime/runtimetesthelpers.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

#include <unistd.h>

using namespace RuntimeTest;

// Hostile files on both runtimes (built twice, STUDIO_TEST_RUNTIME "docker" or "process"):
// names that would climb out of the data folder, sources in places that hold secrets, links
// leading out of a source folder, the privacy of the data folder, and the environment a host
// process gets. Each case failed before issue 14's changes.
namespace {

const QString runtimeName = QStringLiteral(STUDIO_TEST_RUNTIME);
const bool onDocker = runtimeName == u"docker";

#define REQUIRE_RUNTIME()                                                                          \
    do {                                                                                           \
        if (onDocker)                                                                              \
            STUDIO_REQUIRE_DOCKER_ENGINE();                                                        \
    } while (false)

// Echoes what a server sees: its environment, the model folder and a file of the code folder.
const char *const echoScript = R"PY(
import json, os

def init():
    pass

def run(raw):
    here = os.path.dirname(os.path.abspath(__file__))
    linked = os.path.join(here, "linked.txt")
    return {"env": dict(os.environ),
            "model_dir": os.environ.get("AZUREML_MODEL_DIR", ""),
            "model_files": sorted(os.listdir(os.environ["AZUREML_MODEL_DIR"]))
                           if os.path.isdir(os.environ.get("AZUREML_MODEL_DIR", "")) else [],
            "linked": open(linked).read() if os.path.exists(linked) else None}
)PY";

} // namespace

class TestHardening : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_data;
    QTemporaryDir m_root; // workspaces, a fake home, outside folders
    QStringList m_endpoints;
    int m_counter = 0;

    QString uniqueEndpoint(const QString &what)
    {
        const QString name = QStringLiteral("hd%1-%2-%3-%4")
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
        o.dataDir = m_data.path() + QStringLiteral("/data");
        o.containerProgram = TestSupport::dockerProgram();
        return o;
    }

    // A workspace with an echo score.py and a model folder.
    QString workspace(const QString &name)
    {
        const QString ws = m_root.path() + QStringLiteral("/ws-") + name;
        writeFile(ws + QStringLiteral("/code/score.py"), echoScript);
        writeFile(ws + QStringLiteral("/model/weights.txt"), "42\n");
        return ws;
    }

    DeploymentSpec spec(const QString &ws, const QString &endpoint, const QString &name)
    {
        DeploymentSpec s;
        s.filePath = ws + QStringLiteral("/deployment.yml");
        s.name = name;
        s.endpointName = endpoint;
        ModelSpec model;
        model.name = QStringLiteral("m");
        model.version = QStringLiteral("1");
        model.path = QStringLiteral("model");
        s.model = model;
        s.codeConfiguration = CodeConfiguration{QStringLiteral("code"), QStringLiteral("score.py")};
        EnvironmentSpec env;
        env.image = QStringLiteral("endpoint-studio/python:3.11-bookworm");
        s.environment = env;
        s.environmentVariables.insert(QStringLiteral("FIXTURE_LABEL"), name);
        s.readinessProbe.initialDelay = 1;
        s.readinessProbe.period = 1;
        return s;
    }

    QJsonObject score(const DeploymentInfo &info)
    {
        const HttpAnswer a = post(info.scoringUri, "{}");
        return QJsonDocument::fromJson(a.body).object();
    }

    // Every path under `dir` (names only), to show that nothing appeared elsewhere.
    static QStringList entries(const QString &dir)
    {
        return QDir(dir).entryList(QDir::AllEntries | QDir::Hidden | QDir::NoDotAndDotDot,
                                   QDir::Name);
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_data.isValid());
        QVERIFY(m_root.isValid());
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

    // endpoint_name: "../../../victim" wrote victim/x/deployment.json outside the data folder
    // (deploy does not validate). Now the plan refuses it, with or without validation.
    void hostileEndpointNameIsRefused()
    {
        const QString ws = workspace(QStringLiteral("name"));
        DeploymentManager m(options());
        Recorder rec(&m);
        rec.wait(m.refresh());
        const QStringList before = entries(m_data.path());
        for (const QString &bad :
             {QStringLiteral("../../../victim"), QStringLiteral(".."), QStringLiteral("a/b"),
              QStringLiteral("-flag"), QStringLiteral("x\ny")}) {
            const OpResult r = rec.wait(m.deploy(spec(ws, bad, QStringLiteral("blue"))));
            QVERIFY(!r.ok);
            QCOMPARE(r.kind, DeploymentManager::ErrorKind::InvalidSpec);
            QVERIFY2(r.error.contains(QStringLiteral("endpoint name")) &&
                         r.error.contains(QStringLiteral("cannot be used")),
                     qPrintable(r.error));
            const OpResult d = rec.wait(m.deploy(spec(ws, QStringLiteral("fine"), bad)));
            QVERIFY(!d.ok);
            QVERIFY2(d.error.contains(QStringLiteral("deployment name")), qPrintable(d.error));
        }
        QCOMPARE(entries(m_data.path()), before);
        QVERIFY(!QFileInfo::exists(m_data.path() + QStringLiteral("/data/deployments")) ||
                entries(m_data.path() + QStringLiteral("/data/deployments")).isEmpty());
    }

    // A model name of ../../…/x with version ".." made the initializer write onto the host.
    // Names become one encoded folder each; the server still finds its model.
    void hostileModelNameStaysInside()
    {
        REQUIRE_RUNTIME();
        const QString ws = workspace(QStringLiteral("model"));
        const QString escape = m_root.path() + QStringLiteral("/escaped");
        const QString ep = uniqueEndpoint(QStringLiteral("model"));
        DeploymentManager m(options());
        Recorder rec(&m);
        rec.wait(m.refresh());
        DeploymentSpec s = spec(ws, ep, QStringLiteral("blue"));
        s.model->name = QStringLiteral("../../../../../../../..") + escape + QStringLiteral("/x");
        s.model->version = QStringLiteral("..");
        const OpResult r = rec.wait(m.deploy(s));
        QVERIFY2(r.ok, qPrintable(r.error));
        const DeploymentInfo info = *m.deployment(ep, QStringLiteral("blue"));
        const QJsonObject seen = score(info);
        const QString modelDir = seen.value(QStringLiteral("model_dir")).toString();
        QVERIFY2(!modelDir.contains(QStringLiteral("/../")) &&
                     !modelDir.endsWith(QStringLiteral("/..")),
                 qPrintable(modelDir));
        QVERIFY2(modelDir.contains(QStringLiteral("/azureml-models/")), qPrintable(modelDir));
        QCOMPARE(seen.value(QStringLiteral("model_files")).toVariant().toStringList(),
                 QStringList{QStringLiteral("model")});
        QVERIFY(!QFileInfo::exists(escape));
        // The record keeps the name as written.
        QCOMPARE(info.deploymentData.value(QStringLiteral("model"))
                     .toObject()
                     .value(QStringLiteral("version"))
                     .toString(),
                 QStringLiteral(".."));
    }

    // model.path: ~/.ssh was copied into a container with network access. Sources in or around
    // a sensitive place stop the deploy until the user confirms; a relative path that only
    // leaves the workspace (Azure's ../../model-1) does not.
    void sensitiveSourcesNeedConfirmation()
    {
        REQUIRE_RUNTIME();
        const QString home = m_root.path() + QStringLiteral("/home");
        writeFile(home + QStringLiteral("/.ssh/id_ed25519"), "PRIVATE KEY\n");
        const QByteArray oldHome = qgetenv("HOME");
        qputenv("HOME", home.toUtf8());
        const QString ws = workspace(QStringLiteral("sensitive"));
        const QString ep = uniqueEndpoint(QStringLiteral("sens"));
        DeploymentManager m(options());
        Recorder rec(&m);
        rec.wait(m.refresh());

        DeploymentSpec s = spec(ws, ep, QStringLiteral("blue"));
        s.model->path = home + QStringLiteral("/.ssh");
        OpResult r = rec.wait(m.deploy(s));
        QVERIFY(!r.ok);
        QCOMPARE(r.kind, DeploymentManager::ErrorKind::NeedsConfirmation);
        QVERIFY2(r.error.contains(QStringLiteral("model.path")) &&
                     r.error.contains(QStringLiteral("~/.ssh")) &&
                     r.error.contains(QStringLiteral("--allow-sensitive-sources")),
                 qPrintable(r.error));
        QVERIFY(!m.deployment(ep, QStringLiteral("blue"))); // nothing ran
        if (onDocker)
            QCOMPARE(labelled(QStringLiteral("container"), ep), QStringList());

        // A folder that contains one (the home folder) is a concern too.
        s.model->path = home;
        r = rec.wait(m.deploy(s));
        QCOMPARE(r.kind, DeploymentManager::ErrorKind::NeedsConfirmation);
        QVERIFY2(r.error.contains(QStringLiteral("contains ~/.ssh")), qPrintable(r.error));

        // The data folder itself.
        s.model->path = options().dataDir;
        r = rec.wait(m.deploy(s));
        QCOMPARE(r.kind, DeploymentManager::ErrorKind::NeedsConfirmation);
        QVERIFY2(r.error.contains(QStringLiteral("data folder")), qPrintable(r.error));

        // Leaving the workspace is normal.
        writeFile(m_root.path() + QStringLiteral("/shared-model/model-1/weights.txt"), "7\n");
        s.model->path = QStringLiteral("../shared-model/model-1");
        r = rec.wait(m.deploy(s));
        QVERIFY2(r.ok, qPrintable(r.error));
        QCOMPARE(score(*m.deployment(ep, QStringLiteral("blue")))
                     .value(QStringLiteral("model_files"))
                     .toVariant()
                     .toStringList(),
                 QStringList{QStringLiteral("model-1")});

        // Confirmed: it deploys.
        s.model->path = home + QStringLiteral("/.ssh");
        DeployOptions confirmed;
        confirmed.allowSensitiveSources = true;
        r = rec.wait(m.deploy(s, std::nullopt, confirmed));
        QVERIFY2(r.ok, qPrintable(r.error));
        qputenv("HOME", oldHome);
    }

    // The process runtime followed symbolic links when copying: a link in the code folder to a
    // file outside it put that file into the deployment. Now it needs confirmation; confirmed,
    // the process runtime copies it (a container sees only the folder, so there the link stays
    // unresolvable and the staging says so).
    void linksLeadingOutNeedConfirmation()
    {
        REQUIRE_RUNTIME();
        const QString ws = workspace(QStringLiteral("links"));
        writeFile(m_root.path() + QStringLiteral("/outside/secret.txt"), "outside text\n");
        QVERIFY(QFile::link(m_root.path() + QStringLiteral("/outside/secret.txt"),
                            ws + QStringLiteral("/code/linked.txt")));
        // A link that stays inside is fine.
        QVERIFY(QFile::link(QStringLiteral("score.py"), ws + QStringLiteral("/code/alias.py")));
        const QString ep = uniqueEndpoint(QStringLiteral("links"));
        DeploymentManager m(options());
        Recorder rec(&m);
        rec.wait(m.refresh());
        const DeploymentSpec s = spec(ws, ep, QStringLiteral("blue"));
        OpResult r = rec.wait(m.deploy(s));
        QCOMPARE(r.kind, DeploymentManager::ErrorKind::NeedsConfirmation);
        QVERIFY2(r.error.contains(QStringLiteral("linked.txt")) &&
                     r.error.contains(QStringLiteral("symbolic link leading out")) &&
                     !r.error.contains(QStringLiteral("alias.py")),
                 qPrintable(r.error));

        DeployOptions confirmed;
        confirmed.allowSensitiveSources = true;
        r = rec.wait(m.deploy(s, std::nullopt, confirmed));
        if (onDocker) {
            QVERIFY(!r.ok);
            QVERIFY2(r.error.contains(QStringLiteral("linked.txt")), qPrintable(r.error));
        } else {
            QVERIFY2(r.ok, qPrintable(r.error));
            QCOMPARE(score(*m.deployment(ep, QStringLiteral("blue")))
                         .value(QStringLiteral("linked"))
                         .toString(),
                     QStringLiteral("outside text\n"));
        }
    }

    // Records hold environment variables and were world-readable: the data folder is 0700,
    // records 0600; the process runtime's server no longer inherits the studio's environment.
    void dataFolderIsPrivateAndEnvironmentMinimal()
    {
        REQUIRE_RUNTIME();
        const QString ws = workspace(QStringLiteral("private"));
        const QString ep = uniqueEndpoint(QStringLiteral("priv"));
        qputenv("STUDIO_TEST_SECRET", "hunter2");
        DeploymentManager m(options());
        Recorder rec(&m);
        rec.wait(m.refresh());
        const OpResult r = rec.wait(m.deploy(spec(ws, ep, QStringLiteral("blue"))));
        qunsetenv("STUDIO_TEST_SECRET");
        QVERIFY2(r.ok, qPrintable(r.error));
        const QString data = options().dataDir;
        QCOMPARE(mode(data), 0700);
        const QString dir = DataFolder::deploymentDir(data, ep, QStringLiteral("blue"));
        QCOMPARE(mode(dir + QStringLiteral("/deployment.json")), 0600);
        QCOMPARE(mode(DataFolder::endpointDir(data, ep) + QStringLiteral("/endpoint.json")), 0600);
        if (onDocker) {
            QCOMPARE(mode(dir + QStringLiteral("/run/server.args")), 0600);
        } else {
            QCOMPARE(mode(dir + QStringLiteral("/server.env.json")), 0600);
            QCOMPARE(mode(dir + QStringLiteral("/logs/") + ep + QStringLiteral(".blue.log")), 0600);
            const QJsonObject env = score(*m.deployment(ep, QStringLiteral("blue")))
                                        .value(QStringLiteral("env"))
                                        .toObject();
            QVERIFY(!env.contains(QStringLiteral("STUDIO_TEST_SECRET")));
            QVERIFY(env.contains(QStringLiteral("PATH")));
            QCOMPARE(env.value(QStringLiteral("FIXTURE_LABEL")).toString(), QStringLiteral("blue"));
            QVERIFY(env.contains(QStringLiteral("AZUREML_MODEL_DIR")));
        }
    }
};

QTEST_MAIN(TestHardening)
#include "test_hardening.moc"
