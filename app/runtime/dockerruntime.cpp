#include "app/runtime/dockerruntime.h"

#include "app/runtime/asyncprocess.h"
#include "app/runtime/datafolder.h"
#include "app/runtime/localport.h"

#include <QCryptographicHash>
#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QSaveFile>
#include <QSet>
#include <QTimer>

#include <memory>

namespace {

const QString appRoot = QStringLiteral("/var/azureml-app");
const QString srcRoot = QStringLiteral("/var/studio-src");
const QString studioRole = QStringLiteral("endpoint-studio.role");
const QString studioEndpoint = QStringLiteral("endpoint-studio.endpoint");
const QString studioDeployment = QStringLiteral("endpoint-studio.deployment");
// Images that need their own python for the initializer when the deployment's image is a
// custom container (it may have none).
const QString helperImage = QStringLiteral("endpoint-studio/python:3.11-bookworm");
// Label of the containers' configuration hash: same hash, same container.
const QString configHashLabel = QStringLiteral("endpoint-studio.config-hash=");

// The main process of a studio server container (under the engine's --init): once the staging
// that began at the time in /var/studio-run/staging-started is complete, it runs the server —
// the environment's own azmlinfsrv when it has one, started as the runit script of Azure's
// inference images starts it (from ${AML_APP_ROOT:-/var/azureml-app}: `azmlinfsrv
// --entry_script ${AZUREML_ENTRY_SCRIPT:-main.py}`, on the container's port), else the studio's
// built-in server — and runs it again after each SIGHUP (an update that changed only code or
// model), so the container, its port and its log live on. Its first line names the server.
const char *const supervisorScript = R"PY(
import os, shutil, signal, subprocess, sys, time
MANIFEST = "/var/azureml-app/.studio-staged.json"
STARTED = "/var/studio-run/staging-started"
PORT, BUILTIN = sys.argv[1], sys.argv[2]
child = None
reload = False
stopping = False
def on_hup(*_):
    global reload
    reload = True
    if child is not None and child.poll() is None:
        child.terminate()
def on_term(*_):
    global stopping
    stopping = True
    if child is None:
        sys.exit(0)
    if child.poll() is None:
        child.terminate()
signal.signal(signal.SIGHUP, on_hup)
signal.signal(signal.SIGTERM, on_term)
signal.signal(signal.SIGINT, on_term)
def wait_staged():
    deadline = time.time() + 600
    while True:
        try:
            with open(STARTED) as f:
                t0 = float(f.read().strip() or 0)
            if os.stat(MANIFEST).st_mtime >= t0:
                return
        except (OSError, ValueError):
            pass
        if time.time() > deadline:
            print("studio supervisor: the storage initializer did not finish staging in 600 s", flush=True)
            sys.exit(1)
        time.sleep(0.005)
def server():
    root = os.environ.get("AML_APP_ROOT") or "/var/azureml-app"
    if not os.path.isdir(root):
        root = "/var/azureml-app"
    program = shutil.which("azmlinfsrv")
    if program:
        print("studio-supervisor: server=azmlinfsrv program=%s: the environment's "
              "azureml-inference-server-http, started as Azure's inference images start it" % program, flush=True)
        return [program, "--entry_script", os.environ.get("AZUREML_ENTRY_SCRIPT") or "main.py",
                "--port", PORT], root
    print("studio-supervisor: server=built-in program=%s: azureml-inference-server-http is not in "
          "the environment (no azmlinfsrv on PATH), so Azure would not start it; the studio's "
          "built-in scoring server stands in" % sys.executable, flush=True)
    return [sys.executable, BUILTIN, "--port", PORT], root
while True:
    wait_staged()
    reload = False
    argv, cwd = server()
    child = subprocess.Popen(argv, cwd=cwd)
    code = child.wait()
    if stopping:
        sys.exit(0)
    if not reload:
        sys.exit(code if code >= 0 else 128 - code)
    child = None
)PY";

QString configHash(const QStringList &args)
{
    return QString::fromLatin1(
        QCryptographicHash::hash(args.join(QChar(0)).toUtf8(), QCryptographicHash::Sha256)
            .toHex()
            .left(16));
}

QStringList readMemo(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return QString::fromUtf8(f.readAll()).split(u'\n', Qt::SkipEmptyParts);
}

// The error, or empty.
QString writeMemo(const QString &path, const QStringList &lines)
{
    return DataFolder::writePrivate(path, lines.join(u'\n').toUtf8());
}

// The running server container of `plan`, kept and reloaded (code or model changed only).
ContainerRuntime::StartedServer reloadedServer(const DeploymentPlan &plan, const QString &id,
                                               int hostPort)
{
    ContainerRuntime::StartedServer s;
    s.container = ContainerInfo{
        inferenceServerRole(), plan.serverContainer(), id, QStringLiteral("running"), -1, {}};
    s.hostPort = hostPort;
    s.environment = plan.environmentFor(appRoot);
    s.reloaded = true;
    return s;
}

// A container's `docker run` arguments (its environment too), kept as a JSON array, 0600. The
// error, or empty.
QString writeArgs(const QString &path, const QStringList &args)
{
    return DataFolder::writePrivate(
        path, QJsonDocument(QJsonArray::fromStringList(args)).toJson(QJsonDocument::Compact));
}

QStringList readArgs(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    QStringList args;
    for (const QJsonValue &v : QJsonDocument::fromJson(f.readAll()).array())
        args << v.toString();
    return args;
}

QStringList lastLines(const QString &text, int n)
{
    QStringList lines = text.split(u'\n');
    while (!lines.isEmpty() && lines.last().trimmed().isEmpty())
        lines.removeLast();
    return lines.mid(qMax(0, lines.size() - n));
}

QString compactJson(const QJsonObject &o)
{
    return QString::fromUtf8(QJsonDocument(o).toJson(QJsonDocument::Compact));
}

bool noSuchObject(const AsyncProcess::Outcome &o)
{
    const QString m = o.message();
    return m.contains(QStringLiteral("No such"), Qt::CaseInsensitive) ||
           m.contains(QStringLiteral("no container with name"), Qt::CaseInsensitive) ||
           m.contains(QStringLiteral("no such volume"), Qt::CaseInsensitive);
}

QStringList studioLabels(const QString &role, const QString &endpoint, const QString &deployment)
{
    return {QStringLiteral("--label"), studioRole + u'=' + role,
            QStringLiteral("--label"), studioEndpoint + u'=' + endpoint,
            QStringLiteral("--label"), studioDeployment + u'=' + deployment};
}

QStringList hardening()
{
    return {QStringLiteral("--cap-drop"), QStringLiteral("ALL"), QStringLiteral("--security-opt"),
            QStringLiteral("no-new-privileges")};
}

// instance_type's limits (memory without swap, as a VM has none), a process cap, an init
// process that reaps what the server leaves behind, and the host's GPUs when asked for.
QStringList limits(const ServerSettings &s)
{
    QStringList args{QStringLiteral("--init")};
    if (s.memoryBytes > 0)
        args << QStringLiteral("--memory") << QString::number(s.memoryBytes)
             << QStringLiteral("--memory-swap") << QString::number(s.memoryBytes);
    if (s.cpus > 0)
        args << QStringLiteral("--cpus") << QString::number(s.cpus, 'g', 6);
    if (s.pidsLimit > 0)
        args << QStringLiteral("--pids-limit") << QString::number(s.pidsLimit);
    if (s.gpu)
        args << QStringLiteral("--gpus") << QStringLiteral("all");
    return args;
}

// What `docker run --gpus all` says when the engine cannot hand GPUs to containers.
QString explainRunFailure(const QString &why)
{
    if (why.contains(QStringLiteral("could not select device driver")) ||
        why.contains(QStringLiteral("nvidia-container-cli")) ||
        why.contains(QStringLiteral("unknown flag: --gpus")))
        return QStringLiteral("--local-enable-gpu: the container engine cannot pass GPUs to "
                              "containers (%1). Install the NVIDIA Container Toolkit "
                              "(nvidia-container-toolkit) and restart the engine, or deploy "
                              "without --local-enable-gpu.")
            .arg(why.trimmed());
    return QStringLiteral("the inference-server container could not start: %1").arg(why);
}

} // namespace

DockerRuntime::DockerRuntime(const QString &program, const QString &dataDir, QObject *parent)
    : ContainerRuntime(parent)
    , m_program(program)
    , m_dataDir(dataDir)
{}

QString DockerRuntime::unreachableMessage(const QString &program, bool programMissing,
                                          const QString &detail)
{
    if (programMissing)
        return QStringLiteral("The container engine is not installed: the '%1' program was not "
                              "found on PATH. Install Docker with 'sudo apt-get install "
                              "docker.io' (or set the container program to podman), or use the "
                              "process runtime (--runtime process), which runs deployments "
                              "with the host's python3.")
            .arg(program);
    const QString host = qEnvironmentVariable("DOCKER_HOST");
    return QStringLiteral("The Docker daemon is not answering at %1 ('%2' says: %3). Start it "
                          "with 'sudo systemctl start docker' (or 'sudo dockerd &')%4, or use "
                          "the process runtime (--runtime process), which runs deployments "
                          "with the host's python3.")
        .arg(host.isEmpty() ? QStringLiteral("unix:///var/run/docker.sock") : host, program,
             detail.isEmpty() ? QStringLiteral("no answer") : detail,
             host.isEmpty() ? QString()
                            : QStringLiteral(", or unset DOCKER_HOST to use the local engine"));
}

void DockerRuntime::checkAvailable(QObject *scope, Callback<bool> done)
{
    auto *p = AsyncProcess::run(
        scope, m_program,
        {QStringLiteral("version"), QStringLiteral("--format"),
         QStringLiteral("{{.Server.Version}}")},
        [this, done](const AsyncProcess::Outcome &o) {
            if (o.ok() && !o.out.trimmed().isEmpty()) {
                done(true);
                return;
            }
            const QStringList lines = lastLines(o.message(), 1);
            done(Result<bool>::failure(unreachableMessage(
                m_program, !o.started, lines.isEmpty() ? QString() : lines.first().trimmed())));
        });
    // A TCP DOCKER_HOST that never answers would otherwise keep us waiting.
    QTimer::singleShot(15000, p, [p] { p->kill(); });
}

void DockerRuntime::prepareImage(QObject *scope, const DeploymentPlan &plan, Progress progress,
                                 Callback<QString> done)
{
    if (plan.imageSource == DeploymentPlan::ImageSource::Image) {
        ensureImage(scope, plan.imageTag, progress, done);
        return;
    }
    AsyncProcess::run(
        scope, m_program,
        {QStringLiteral("image"), QStringLiteral("inspect"), QStringLiteral("--format"),
         QStringLiteral("{{.Id}}"), plan.imageTag},
        [this, scope, plan, progress, done](const AsyncProcess::Outcome &o) {
            if (o.ok()) {
                progress(QStringLiteral("build"),
                         QStringLiteral("environment unchanged (hash %1): using %2, not rebuilt")
                             .arg(plan.environmentHash, plan.imageTag),
                         100);
                done(plan.imageTag);
                return;
            }
            build(scope, plan, progress, done);
        });
}

void DockerRuntime::ensureImage(QObject *scope, const QString &image, Progress progress,
                                Callback<QString> done)
{
    AsyncProcess::run(
        scope, m_program,
        {QStringLiteral("image"), QStringLiteral("inspect"), QStringLiteral("--format"),
         QStringLiteral("{{.Id}}"), image},
        [this, scope, image, progress, done](const AsyncProcess::Outcome &o) {
            if (o.ok()) {
                progress(QStringLiteral("resolve-image"),
                         QStringLiteral("image %1 present locally").arg(image), 100);
                done(image);
                return;
            }
            if (!o.started) {
                done(Result<QString>::failure(unreachableMessage(m_program, true, {})));
                return;
            }
            progress(QStringLiteral("resolve-image"),
                     QStringLiteral("image %1 not found locally; pulling it").arg(image), -1);
            AsyncProcess::run(
                scope, m_program, {QStringLiteral("pull"), image},
                [image, done](const AsyncProcess::Outcome &pulled) {
                    if (pulled.ok()) {
                        done(image);
                        return;
                    }
                    const QStringList why = lastLines(pulled.message(), 1);
                    done(Result<QString>::failure(
                        QStringLiteral("image not found locally and could not be pulled: %1 "
                                       "(%2). Build or load it first (docker build / docker "
                                       "load), or fix environment.image.")
                            .arg(image, why.isEmpty() ? QStringLiteral("no detail")
                                                      : why.first().trimmed())));
                },
                [progress](const QString &line) {
                    if (!line.trimmed().isEmpty())
                        progress(QStringLiteral("resolve-image"), line.trimmed(), -1);
                });
        });
}

void DockerRuntime::build(QObject *scope, const DeploymentPlan &plan, Progress progress,
                          Callback<QString> done)
{
    if (plan.imageSource == DeploymentPlan::ImageSource::Build) {
        progress(QStringLiteral("build"),
                 QStringLiteral("building %1 from %2").arg(plan.imageTag, plan.dockerfilePath), 0);
        buildFrom(scope, plan.imageTag, plan.dockerfilePath, plan.buildContext, plan, progress,
                  done);
        return;
    }
    // image + conda_file: Azure's recipe on top of the image, which therefore needs conda.
    ensureImage(
        scope, plan.baseImage, progress, [this, scope, plan, progress, done](Result<QString> base) {
            if (!base) {
                done(base);
                return;
            }
            AsyncProcess::run(
                scope, m_program,
                {QStringLiteral("run"), QStringLiteral("--rm"), QStringLiteral("--network"),
                 QStringLiteral("none"), QStringLiteral("--entrypoint"), QStringLiteral("sh"),
                 plan.baseImage, QStringLiteral("-c"), QStringLiteral("command -v conda")},
                [this, scope, plan, progress, done](const AsyncProcess::Outcome &o) {
                    if (!o.ok()) {
                        done(Result<QString>::failure(
                            QStringLiteral("image %1 has no conda, so environment.conda_file "
                                           "cannot be installed into it (Azure's recipe runs "
                                           "'conda env create'). Use an image with conda, or "
                                           "install the packages in a Dockerfile "
                                           "(environment.build) and drop conda_file.")
                                .arg(plan.baseImage)));
                        return;
                    }
                    const QString dir =
                        m_dataDir + QStringLiteral("/builds/") + plan.environmentHash;
                    QDir().mkpath(dir);
                    QFile::remove(dir + QStringLiteral("/conda.yml"));
                    const QString dockerfile = dir + QStringLiteral("/Dockerfile");
                    QSaveFile f(dockerfile);
                    const QByteArray text =
                        "FROM " + plan.baseImage.toUtf8() +
                        "\nRUN mkdir -p /var/azureml-app/\nWORKDIR /var/azureml-app/\n"
                        "COPY conda.yml /var/azureml-app/\n"
                        "RUN conda env create -n inf-conda-env --file conda.yml\n";
                    if (!QFile::copy(plan.condaFile, dir + QStringLiteral("/conda.yml")) ||
                        !f.open(QIODevice::WriteOnly) || f.write(text) < 0 || !f.commit()) {
                        done(Result<QString>::failure(
                            QStringLiteral("cannot write the build folder %1").arg(dir)));
                        return;
                    }
                    progress(QStringLiteral("build"),
                             QStringLiteral("building %1: conda env create from %2 on %3")
                                 .arg(plan.imageTag, plan.condaFile, plan.baseImage),
                             0);
                    buildFrom(scope, plan.imageTag, dockerfile, dir, plan, progress, done);
                });
        });
}

void DockerRuntime::buildFrom(QObject *scope, const QString &tag, const QString &dockerfile,
                              const QString &context, const DeploymentPlan &plan, Progress progress,
                              Callback<QString> done)
{
    auto step = std::make_shared<QString>();
    static const QRegularExpression stepLine(
        QStringLiteral(R"(^(Step \d+/\d+ : .*|#\d+ \[[^\]]+\] .*)$)"));
    AsyncProcess::run(
        scope, m_program,
        {QStringLiteral("build"), QStringLiteral("--force-rm"), QStringLiteral("--tag"), tag,
         QStringLiteral("--file"), dockerfile, QStringLiteral("--label"),
         QStringLiteral("endpoint-studio.env-hash=") + plan.environmentHash, context},
        [tag, step, done](const AsyncProcess::Outcome &o) {
            if (o.ok()) {
                done(tag);
                return;
            }
            // From the first build step on: the builder's banners say nothing about the failure.
            QString output = QString::fromUtf8(o.out).remove(u'\r');
            const qsizetype firstStep = output.indexOf(QStringLiteral("Step 1/"));
            if (firstStep > 0)
                output = output.mid(firstStep);
            done(Result<QString>::failure(
                QStringLiteral("image build failed%1:\n%2")
                    .arg(step->isEmpty() ? QString() : QStringLiteral(" at '%1'").arg(*step),
                         lastLines(output, 20).join(u'\n'))));
        },
        [step, progress](const QString &line) {
            const QRegularExpressionMatch m = stepLine.match(line.trimmed());
            if (m.hasMatch())
                *step = m.captured(1);
            progress(QStringLiteral("build"), line, -1);
        },
        std::nullopt, true);
}

QString DockerRuntime::runDir(const DeploymentPlan &plan) const
{
    return DataFolder::deploymentDir(m_dataDir, plan.endpoint, plan.deployment) +
           QStringLiteral("/run");
}

QString DockerRuntime::markStagingStarted(const DeploymentPlan &plan) const
{
    // The folder is mounted into the server container, whose root has no CAP_DAC_OVERRIDE:
    // it and the stamp stay readable (0755/0644); the folders above it are 0700 and the
    // arguments and memos in it 0600, so other users of the host still read nothing.
    const QString dir = runDir(plan);
    if (const QString error = DataFolder::makePrivateDir(QFileInfo(dir).absolutePath());
        !error.isEmpty())
        return error;
    QDir().mkpath(dir);
    QSaveFile stamp(dir + QStringLiteral("/staging-started"));
    const double t0 = QDateTime::currentMSecsSinceEpoch() / 1000.0 - 0.05;
    if (!stamp.open(QIODevice::WriteOnly) || stamp.write(QByteArray::number(t0, 'f', 3)) < 0 ||
        !stamp.commit())
        return QStringLiteral("cannot write %1: %2").arg(stamp.fileName(), stamp.errorString());
    return {};
}

QStringList DockerRuntime::initializerArguments(const DeploymentPlan &plan,
                                                const QString &image) const
{
    const QString initImage = plan.customContainer ? helperImage : image;
    QStringList args{QStringLiteral("--name"), plan.initializerContainer()};
    args << studioLabels(storageInitializerRole(), plan.endpoint, plan.deployment) << hardening()
         << QStringLiteral("--network") << QStringLiteral("none") << QStringLiteral("--mount")
         << QStringLiteral("type=volume,src=%1,dst=%2,volume-label=%3=app-volume,"
                           "volume-label=%4=%5,volume-label=%6=%7")
                .arg(plan.volumeName(), appRoot, studioRole, studioEndpoint, plan.endpoint,
                     studioDeployment, plan.deployment)
         << QStringLiteral("-v") << m_scoringDir + u':' + srcRoot + QStringLiteral("/server:ro");
    QStringList initArgs{srcRoot + QStringLiteral("/server/storage_initializer.py"),
                         QStringLiteral("--dest"), appRoot, QStringLiteral("--server"),
                         srcRoot + QStringLiteral("/server")};
    if (!plan.modelPath.isEmpty()) {
        const QString in =
            srcRoot + QStringLiteral("/model/") + QFileInfo(plan.modelPath).fileName();
        args << QStringLiteral("-v") << plan.modelPath + u':' + in + QStringLiteral(":ro");
        initArgs << QStringLiteral("--model") << in << QStringLiteral("--model-name")
                 << plan.modelNameFolder() << QStringLiteral("--model-version")
                 << plan.modelVersionFolder();
    }
    if (!plan.codePath.isEmpty()) {
        const QString in = srcRoot + QStringLiteral("/code/") + QFileInfo(plan.codePath).fileName();
        args << QStringLiteral("-v") << plan.codePath + u':' + in + QStringLiteral(":ro");
        initArgs << QStringLiteral("--code") << in;
    }
    if (plan.followLinksOut)
        initArgs << QStringLiteral("--follow-links-out");
    args << QStringLiteral("--entrypoint") << QStringLiteral("python3") << initImage << initArgs;
    return args;
}

void DockerRuntime::runInitializer(QObject *scope, const DeploymentPlan &plan,
                                   const QStringList &args, bool reuse, Progress progress,
                                   Callback<ContainerInfo> done)
{
    const QString name = plan.initializerContainer();
    const QString program = m_program;
    const QString image = args.value(args.indexOf(QStringLiteral("--entrypoint")) + 2);
    auto finished = [name, image, done](const AsyncProcess::Outcome &o) {
        ContainerInfo c{storageInitializerRole(), name,       {},
                        QStringLiteral("exited"), o.exitCode, {}};
        if (o.ok()) {
            done(c);
            return;
        }
        const QString tailText = lastLines(QString::fromUtf8(o.out), 20).join(u'\n');
        QString why;
        if (!o.started)
            why = o.errorString;
        else if (o.exitCode == 125)
            why = QStringLiteral("the container could not be created");
        else if (o.exitCode == 126 || o.exitCode == 127)
            why = QStringLiteral("image %1 has no python3 to run it").arg(image);
        else
            why = QStringLiteral("exit code %1").arg(o.exitCode);
        done(Result<ContainerInfo>::failure(
            QStringLiteral("storage initializer failed (%1):\n%2").arg(why, tailText)));
    };
    auto onLine = [progress](const QString &line) {
        if (!line.trimmed().isEmpty())
            progress(QStringLiteral("stage"), line.trimmed(), -1);
    };
    if (reuse) {
        // Same mounts and arguments as last time: start the existing container again (or, if
        // it was removed meanwhile, create it).
        AsyncProcess::run(
            scope, m_program, {QStringLiteral("start"), QStringLiteral("--attach"), name},
            [this, scope, plan, args, progress, done, finished](const AsyncProcess::Outcome &o) {
                if (!o.ok() && o.started && o.exitCode != 0 &&
                    QString::fromUtf8(o.out).contains(QStringLiteral("No such container"))) {
                    runInitializer(scope, plan, args, false, progress, done);
                    return;
                }
                finished(o);
            },
            onLine, std::nullopt, true);
        return;
    }
    // The previous initializer (kept so its log stays readable) goes first.
    AsyncProcess::run(scope, m_program, {QStringLiteral("rm"), QStringLiteral("-f"), name},
                      [scope, program, args, finished, onLine](const AsyncProcess::Outcome &) {
                          AsyncProcess::run(scope, program,
                                            QStringList{QStringLiteral("run")} + args, finished,
                                            onLine, std::nullopt, true);
                      });
}

void DockerRuntime::restorePrevious(QObject *scope, const DeploymentPlan &plan,
                                    const QString &image, int hostPort, bool reloaded,
                                    Callback<StartedServer> done)
{
    // The update made a new container: the previous one is made again from its arguments.
    QStringList previousArgs;
    if (!reloaded) {
        previousArgs = readArgs(runDir(plan) + QStringLiteral("/server.args.previous"));
        if (previousArgs.isEmpty()) {
            done(Result<StartedServer>::failure(
                QStringLiteral("the previous container's settings are not known, so the "
                               "previous version cannot be restored")));
            return;
        }
    } else if (plan.customContainer) {
        done(Result<StartedServer>::failure(
            QStringLiteral("a custom container runs its own command; the previous version "
                           "cannot be restored inside it")));
        return;
    }
    // The supervisor in the server container runs the server once a manifest newer than this
    // stamp exists: the restored one.
    const QString dir = runDir(plan);
    if (const QString error = markStagingStarted(plan); !error.isEmpty()) {
        done(Result<StartedServer>::failure(error));
        return;
    }
    // Same container, same mounts, another command: the next update must not "start" it again.
    QFile::remove(dir + QStringLiteral("/initializer.config"));
    QStringList args = initializerArguments(plan, image);
    args = args.mid(0, args.indexOf(QStringLiteral("--entrypoint")) + 3);
    args << srcRoot + QStringLiteral("/server/storage_initializer.py") << QStringLiteral("--dest")
         << appRoot << QStringLiteral("--restore-previous");
    const QString serverName = plan.serverContainer();
    const QString id = readMemo(dir + QStringLiteral("/server.config")).value(1);
    runInitializer(
        scope, plan, args, false, [](const QString &, const QString &, int) {},
        [this, scope, plan, hostPort, serverName, id, previousArgs,
         done](Result<ContainerInfo> restored) {
            if (!restored) {
                done(Result<StartedServer>::failure(
                    QStringLiteral("the previous version could not be restored: %1")
                        .arg(restored.error().message)));
                return;
            }
            if (!previousArgs.isEmpty()) {
                rerunPrevious(scope, plan, previousArgs, done);
                return;
            }
            auto answer = [plan, hostPort, serverName, id, done](bool ok, const QString &why) {
                if (!ok) {
                    done(Result<StartedServer>::failure(
                        QStringLiteral("the previous version was restored but %1 did not start: "
                                       "%2")
                            .arg(serverName, why)));
                    return;
                }
                done(reloadedServer(plan, id, hostPort));
            };
            // Still running (a readiness timeout): reload it; exited (init() failed): start it.
            AsyncProcess::run(scope, m_program,
                              {QStringLiteral("kill"), QStringLiteral("--signal"),
                               QStringLiteral("HUP"), serverName},
                              [this, scope, serverName, answer](const AsyncProcess::Outcome &hup) {
                                  if (hup.ok()) {
                                      answer(true, {});
                                      return;
                                  }
                                  AsyncProcess::run(
                                      scope, m_program, {QStringLiteral("start"), serverName},
                                      [answer](const AsyncProcess::Outcome &o) {
                                          answer(o.ok(), QString::fromUtf8(o.out).trimmed());
                                      });
                              });
        });
}

void DockerRuntime::rerunPrevious(QObject *scope, const DeploymentPlan &plan,
                                  const QStringList &args, Callback<StartedServer> done)
{
    const QString name = plan.serverContainer();
    const QString dir = runDir(plan);
    AsyncProcess::run(
        scope, m_program, {QStringLiteral("rm"), QStringLiteral("-f"), name},
        [this, scope, args, name, dir, done](const AsyncProcess::Outcome &) {
            AsyncProcess::run(
                scope, m_program, args, [args, name, dir, done](const AsyncProcess::Outcome &o) {
                    if (!o.ok()) {
                        done(Result<StartedServer>::failure(
                            QStringLiteral("the previous version was restored but its "
                                           "container could not be made again: %1")
                                .arg(o.message())));
                        return;
                    }
                    const QString id = QString::fromUtf8(o.out.trimmed());
                    // It is the current server again.
                    QString error = writeArgs(dir + QStringLiteral("/server.args"), args);
                    QFile::remove(dir + QStringLiteral("/server.args.previous"));
                    for (const QString &a : args)
                        if (a.startsWith(configHashLabel) && error.isEmpty())
                            error = writeMemo(dir + QStringLiteral("/server.config"),
                                              {a.mid(configHashLabel.size()), id});
                    if (!error.isEmpty()) {
                        done(Result<StartedServer>::failure(error));
                        return;
                    }
                    StartedServer s;
                    s.container = ContainerInfo{inferenceServerRole(),     name, id,
                                                QStringLiteral("running"), -1,   {}};
                    for (qsizetype i = 0; i + 1 < args.size(); ++i) {
                        if (args[i] == u"--env")
                            s.environment.insert(args[i + 1].section(u'=', 0, 0),
                                                 args[i + 1].section(u'=', 1));
                        if (args[i] == u"--publish")
                            s.hostPort = args[i + 1].section(u':', 1, 1).toInt();
                    }
                    s.reloaded = false;
                    done(s);
                });
        });
}

void DockerRuntime::stage(QObject *scope, const DeploymentPlan &plan, const QString &image,
                          Progress progress, Callback<ContainerInfo> done)
{
    runInitializer(scope, plan, initializerArguments(plan, image), false, progress, done);
}

void DockerRuntime::stageAndStart(QObject *scope, const DeploymentPlan &plan, const QString &image,
                                  int hostPort, Progress progress, Callback<ContainerInfo> staged,
                                  Callback<StartedServer> started)
{
    if (plan.customContainer) {
        // A custom image runs its own command: nothing in it can wait for the staging.
        ContainerRuntime::stageAndStart(scope, plan, image, hostPort, progress, staged, started);
        return;
    }
    if (const QString problem = plan.settings.gpuProblem(); !problem.isEmpty()) {
        staged(Result<ContainerInfo>::failure(problem));
        return;
    }
    // The supervisor waits for a manifest written after this moment.
    const QString dir = runDir(plan);
    if (const QString error = markStagingStarted(plan); !error.isEmpty()) {
        staged(Result<ContainerInfo>::failure(error));
        return;
    }
    const int port = hostPort > 0 ? hostPort : LocalPort::pickFree();
    QStringList initArgs = initializerArguments(plan, image);
    const QString initHash = configHash(initArgs);
    initArgs.prepend(configHashLabel + initHash);
    initArgs.prepend(QStringLiteral("--label"));
    const QString serverHash = configHash(serverArguments(plan, image, port));
    const QString initName = plan.initializerContainer();
    const QString serverName = plan.serverContainer();

    // What the containers were created with is remembered next to the stamp, so an update needs
    // no engine round trip to decide between reusing and recreating them.
    const QString initMemo = dir + QStringLiteral("/initializer.config");
    const QString serverMemo = dir + QStringLiteral("/server.config");
    const QStringList knownServer = readMemo(serverMemo); // hash, container id
    auto failed = std::make_shared<bool>(false);
    // Initializer and server go in parallel; a staging failure stops the waiting server.
    runInitializer(
        scope, plan, initArgs, readMemo(initMemo).value(0) == initHash, progress,
        [this, failed, staged, serverName, initMemo, initHash](Result<ContainerInfo> init) {
            if (*failed)
                return;
            if (!init) {
                *failed = true;
                QFile::remove(initMemo);
                AsyncProcess::run(this, m_program,
                                  {QStringLiteral("stop"), QStringLiteral("--time"),
                                   QStringLiteral("1"), serverName},
                                  {});
            } else if (const QString error = writeMemo(initMemo, {initHash}); !error.isEmpty()) {
                *failed = true;
                staged(Result<ContainerInfo>::failure(error));
                return;
            }
            staged(std::move(init));
        });
    auto recreate = [this, scope, plan, image, port, failed, started, serverMemo, serverHash] {
        startServer(scope, plan, image, port,
                    [failed, started, serverMemo, serverHash](Result<StartedServer> r) {
                        if (*failed)
                            return;
                        if (r) {
                            const QString error =
                                writeMemo(serverMemo, {serverHash, r.value().container.id});
                            if (!error.isEmpty())
                                r = Result<StartedServer>::failure(error);
                        }
                        if (!r)
                            *failed = true;
                        started(std::move(r));
                    });
    };
    if (knownServer.value(0) != serverHash) {
        recreate();
        return;
    }
    // Unchanged configuration: the running server reloads (fails if it is not running).
    AsyncProcess::run(
        scope, m_program,
        {QStringLiteral("kill"), QStringLiteral("--signal"), QStringLiteral("HUP"), serverName},
        [plan, port, failed, started, recreate,
         id = knownServer.value(1)](const AsyncProcess::Outcome &hup) {
            if (*failed)
                return;
            if (!hup.ok()) {
                recreate();
                return;
            }
            started(reloadedServer(plan, id, port));
        });
}

void DockerRuntime::startServer(QObject *scope, const DeploymentPlan &plan, const QString &image,
                                int hostPort, Callback<StartedServer> done)
{
    if (const QString problem = plan.settings.gpuProblem(); !problem.isEmpty()) {
        done(Result<StartedServer>::failure(problem));
        return;
    }
    AsyncProcess::run(scope, m_program,
                      {QStringLiteral("rm"), QStringLiteral("-f"), plan.serverContainer()},
                      [this, scope, plan, image, hostPort, done](const AsyncProcess::Outcome &) {
                          runServer(scope, plan, image,
                                    hostPort > 0 ? hostPort : LocalPort::pickFree(), true, done);
                      });
}

QStringList DockerRuntime::serverArguments(const DeploymentPlan &plan, const QString &image,
                                           int hostPort) const
{
    const QMap<QString, QString> env = plan.environmentFor(appRoot);
    QStringList args{QStringLiteral("--detach"), QStringLiteral("--name"), plan.serverContainer()};
    const QStringList labels{
        QStringLiteral("azureml-local-endpoint="),
        QStringLiteral("endpoint=") + plan.endpoint,
        QStringLiteral("deployment=") + plan.deployment,
        QStringLiteral("endpoint-data=") + compactJson(plan.endpointData),
        QStringLiteral("deployment-data=") + compactJson(plan.deploymentData),
        QStringLiteral("azureml-port=") + QString::number(plan.containerPort),
        studioRole + u'=' + inferenceServerRole(),
        studioEndpoint + u'=' + plan.endpoint,
        studioDeployment + u'=' + plan.deployment,
        QStringLiteral("endpoint-studio.spec-hash=") + plan.specHash,
        QStringLiteral("endpoint-studio.env-hash=") + plan.environmentHash,
        QStringLiteral("endpoint-studio.source=") + plan.sourceYaml,
        QStringLiteral("endpoint-studio.scoring-path=") + plan.scoringPath,
        QStringLiteral("endpoint-studio.readiness-path=") + plan.readinessPath,
    };
    for (const QString &l : labels)
        args << QStringLiteral("--label") << l;
    args << hardening() << limits(plan.settings) << QStringLiteral("--publish")
         << QStringLiteral("127.0.0.1:%1:%2").arg(hostPort).arg(plan.containerPort)
         << QStringLiteral("--mount")
         << QStringLiteral("type=volume,src=%1,dst=%2,readonly,volume-label=%3=app-volume,"
                           "volume-label=%4=%5,volume-label=%6=%7")
                .arg(plan.volumeName(), appRoot, studioRole, studioEndpoint, plan.endpoint,
                     studioDeployment, plan.deployment);
    for (auto it = env.cbegin(); it != env.cend(); ++it)
        args << QStringLiteral("--env") << it.key() + u'=' + it.value();
    if (plan.customContainer) {
        args << image;
        return args;
    }
    args << QStringLiteral("-v") << runDir(plan) + QStringLiteral(":/var/studio-run:ro");
    const bool conda = plan.imageSource == DeploymentPlan::ImageSource::CondaRecipe;
    args << QStringLiteral("--entrypoint")
         << (conda ? QStringLiteral("conda") : QStringLiteral("python3")) << image;
    if (conda)
        args << QStringLiteral("run") << QStringLiteral("--no-capture-output")
             << QStringLiteral("-n") << QStringLiteral("inf-conda-env") << QStringLiteral("python");
    args << QStringLiteral("-c") << QString::fromUtf8(supervisorScript)
         << QString::number(plan.containerPort)
         << appRoot + QStringLiteral("/.studio-server/scoring_server.py");
    return args;
}

void DockerRuntime::runServer(QObject *scope, const DeploymentPlan &plan, const QString &image,
                              int hostPort, bool retryOnPortClash, Callback<StartedServer> done)
{
    const QString name = plan.serverContainer();
    const QMap<QString, QString> env = plan.environmentFor(appRoot);
    QStringList args = serverArguments(plan, image, hostPort);
    // Same hash, same container: the next code-only update reloads it instead of recreating.
    args.prepend(configHashLabel + configHash(args));
    args.prepend(QStringLiteral("--label"));
    args.prepend(QStringLiteral("run"));
    AsyncProcess::run(
        scope, m_program, args,
        [this, scope, plan, image, hostPort, retryOnPortClash, name, env, args,
         done](const AsyncProcess::Outcome &o) {
            if (o.ok()) {
                // What it was made with, so a failed later update can make it again.
                const QString dir = runDir(plan);
                QFile::remove(dir + QStringLiteral("/server.args.previous"));
                QFile::rename(dir + QStringLiteral("/server.args"),
                              dir + QStringLiteral("/server.args.previous"));
                // Without them a failed update could not go back: a write failure fails here.
                if (const QString error = writeArgs(dir + QStringLiteral("/server.args"), args);
                    !error.isEmpty()) {
                    done(Result<StartedServer>::failure(error));
                    return;
                }
                StartedServer s;
                s.container = ContainerInfo{
                    inferenceServerRole(),     name, QString::fromUtf8(o.out.trimmed()),
                    QStringLiteral("running"), -1,   {}};
                s.hostPort = hostPort;
                s.environment = env;
                done(s);
                return;
            }
            const QString why = o.message();
            if (retryOnPortClash && (why.contains(QStringLiteral("port is already allocated")) ||
                                     why.contains(QStringLiteral("address already in use")))) {
                AsyncProcess::run(
                    scope, m_program, {QStringLiteral("rm"), QStringLiteral("-f"), name},
                    [this, scope, plan, image, done](const AsyncProcess::Outcome &) {
                        runServer(scope, plan, image, LocalPort::pickFree(), false, done);
                    });
                return;
            }
            done(Result<StartedServer>::failure(explainRunFailure(why)));
        });
}

void DockerRuntime::inspectServer(QObject *scope, const QString &endpoint,
                                  const QString &deployment, Callback<ContainerInfo> done)
{
    const QString name = endpoint + u'.' + deployment;
    AsyncProcess::run(scope, m_program,
                      {QStringLiteral("inspect"), QStringLiteral("--type"),
                       QStringLiteral("container"), QStringLiteral("--format"),
                       QStringLiteral("{{.Id}} {{.State.Status}} {{.State.ExitCode}} "
                                      "{{.State.OOMKilled}}"),
                       name},
                      [name, done](const AsyncProcess::Outcome &o) {
                          ContainerInfo c{inferenceServerRole(), name, {}, {}, -1, {}};
                          if (!o.ok()) {
                              if (o.started && noSuchObject(o)) {
                                  c.status = QStringLiteral("missing");
                                  done(c);
                              } else {
                                  done(Result<ContainerInfo>::failure(o.message()));
                              }
                              return;
                          }
                          const QStringList parts = QString::fromUtf8(o.out).trimmed().split(u' ');
                          c.id = parts.value(0);
                          c.status = parts.value(1);
                          c.exitCode = parts.value(2).toInt();
                          c.oomKilled = parts.value(3) == u"true";
                          done(c);
                      });
}

void DockerRuntime::tail(QObject *scope, const ContainerInfo &container, int lines,
                         Callback<QString> done)
{
    AsyncProcess::run(
        scope, m_program,
        {QStringLiteral("logs"), QStringLiteral("--tail"), QString::number(lines), container.name},
        [done](const AsyncProcess::Outcome &o) {
            if (!o.started) {
                done(Result<QString>::failure(o.errorString));
                return;
            }
            done(QString::fromUtf8(o.out));
        },
        {}, std::nullopt, true);
}

void DockerRuntime::removeDeployment(QObject *scope, const QString &endpoint,
                                     const QString &deployment, Callback<bool> done)
{
    const QString server = endpoint + u'.' + deployment;
    const QString program = m_program;
    AsyncProcess::run(scope, m_program,
                      {QStringLiteral("rm"), QStringLiteral("-f"), QStringLiteral("-v"), server,
                       server + QStringLiteral(".storage-initializer")},
                      [scope, program, server, done](const AsyncProcess::Outcome &removed) {
                          if (!removed.started) {
                              done(Result<bool>::failure(removed.errorString));
                              return;
                          }
                          if (!removed.ok() && !noSuchObject(removed)) {
                              done(Result<bool>::failure(removed.message()));
                              return;
                          }
                          AsyncProcess::run(scope, program,
                                            {QStringLiteral("volume"), QStringLiteral("rm"),
                                             QStringLiteral("-f"),
                                             server + QStringLiteral(".azureml-app")},
                                            [done](const AsyncProcess::Outcome &o) {
                                                if (!o.ok() && !noSuchObject(o)) {
                                                    done(Result<bool>::failure(o.message()));
                                                    return;
                                                }
                                                done(true);
                                            });
                      });
}

void DockerRuntime::list(QObject *scope, Callback<QList<DeploymentInfo>> done)
{
    struct Collect
    {
        QStringList ids;
        int pending = 2;
        QString error;
    };
    auto collect = std::make_shared<Collect>();
    const QString program = m_program;
    auto finish = [scope, program, collect, done]() {
        if (!collect->error.isEmpty()) {
            done(Result<QList<DeploymentInfo>>::failure(collect->error));
            return;
        }
        collect->ids.removeDuplicates();
        if (collect->ids.isEmpty()) {
            done(QList<DeploymentInfo>());
            return;
        }
        AsyncProcess::run(scope, program,
                          QStringList{QStringLiteral("inspect"), QStringLiteral("--type"),
                                      QStringLiteral("container")}
                              << collect->ids,
                          [program, done](const AsyncProcess::Outcome &o) {
                              // A container removed between ps and inspect fails the whole call
                              // with partial output; what was printed is still valid.
                              const QJsonArray array = QJsonDocument::fromJson(o.out).array();
                              if (!o.started || (!o.ok() && array.isEmpty() && !noSuchObject(o))) {
                                  done(Result<QList<DeploymentInfo>>::failure(o.message()));
                                  return;
                              }
                              done(deploymentsFromInspect(array, program));
                          });
    };
    for (const QString &label : {QStringLiteral("azureml-local-endpoint"), studioRole}) {
        AsyncProcess::run(scope, m_program,
                          {QStringLiteral("ps"), QStringLiteral("--all"), QStringLiteral("--quiet"),
                           QStringLiteral("--no-trunc"), QStringLiteral("--filter"),
                           QStringLiteral("label=") + label},
                          [collect, finish](const AsyncProcess::Outcome &o) {
                              if (!o.ok())
                                  collect->error = o.message();
                              else
                                  collect->ids
                                      << QString::fromUtf8(o.out).split(u'\n', Qt::SkipEmptyParts);
                              if (--collect->pending == 0)
                                  finish();
                          });
    }
}

QList<DeploymentInfo> DockerRuntime::deploymentsFromInspect(const QJsonArray &containers,
                                                            const QString &program)
{
    QMap<QString, DeploymentInfo> byKey;
    for (const QJsonValue &v : containers) {
        const QJsonObject c = v.toObject();
        const QJsonObject config = c.value(QStringLiteral("Config")).toObject();
        const QJsonObject labels = config.value(QStringLiteral("Labels")).toObject();
        const QJsonObject state = c.value(QStringLiteral("State")).toObject();
        const QString role = labels.value(studioRole).toString();
        const bool studio = !role.isEmpty();
        const QString endpoint = studio ? labels.value(studioEndpoint).toString()
                                        : labels.value(QStringLiteral("endpoint")).toString();
        const QString deployment = studio ? labels.value(studioDeployment).toString()
                                          : labels.value(QStringLiteral("deployment")).toString();
        if (endpoint.isEmpty() || role == u"app-volume")
            continue;
        DeploymentInfo &info = byKey[endpoint + u'/' + deployment];
        info.endpoint = endpoint;
        info.deployment = deployment;
        info.runtime = RuntimeKind::Docker;
        info.containerProgram = program;
        ContainerInfo container;
        container.role = studio ? role : inferenceServerRole();
        container.name = c.value(QStringLiteral("Name")).toString().mid(1);
        container.id = c.value(QStringLiteral("Id")).toString();
        container.status = state.value(QStringLiteral("Status")).toString();
        container.exitCode = state.value(QStringLiteral("ExitCode")).toInt(-1);
        container.oomKilled = state.value(QStringLiteral("OOMKilled")).toBool();
        info.containers.append(container);
        if (container.role != inferenceServerRole())
            continue;
        info.createdByAzureMl = !studio;
        info.image = config.value(QStringLiteral("Image")).toString();
        info.specHash = labels.value(QStringLiteral("endpoint-studio.spec-hash")).toString();
        info.imageHash = labels.value(QStringLiteral("endpoint-studio.env-hash")).toString();
        info.sourceYaml = labels.value(QStringLiteral("endpoint-studio.source")).toString();
        info.deploymentData =
            QJsonDocument::fromJson(
                labels.value(QStringLiteral("deployment-data")).toString().toUtf8())
                .object();
        info.containerPort = labels.value(QStringLiteral("azureml-port")).toString().toInt();
        if (info.containerPort <= 0)
            info.containerPort = 5001;
        const QString portKey = QString::number(info.containerPort) + QStringLiteral("/tcp");
        // Running containers report the bound port; stopped ones keep the requested binding.
        QJsonArray bindings = c.value(QStringLiteral("NetworkSettings"))
                                  .toObject()
                                  .value(QStringLiteral("Ports"))
                                  .toObject()
                                  .value(portKey)
                                  .toArray();
        if (bindings.isEmpty())
            bindings = c.value(QStringLiteral("HostConfig"))
                           .toObject()
                           .value(QStringLiteral("PortBindings"))
                           .toObject()
                           .value(portKey)
                           .toArray();
        info.hostPort =
            bindings.isEmpty()
                ? 0
                : bindings.first().toObject().value(QStringLiteral("HostPort")).toString().toInt();
        QString scoringPath =
            labels.value(QStringLiteral("endpoint-studio.scoring-path")).toString();
        if (scoringPath.isEmpty())
            scoringPath = QStringLiteral("/score");
        QString readinessPath =
            labels.value(QStringLiteral("endpoint-studio.readiness-path")).toString();
        if (readinessPath.isEmpty())
            readinessPath = QStringLiteral("/");
        if (info.hostPort > 0) {
            info.scoringUri =
                QStringLiteral("http://localhost:%1%2").arg(info.hostPort).arg(scoringPath);
            info.readinessUri =
                QStringLiteral("http://127.0.0.1:%1%2").arg(info.hostPort).arg(readinessPath);
        }
        for (const QJsonValue &e : config.value(QStringLiteral("Env")).toArray()) {
            const QString kv = e.toString();
            const qsizetype eq = kv.indexOf(u'=');
            if (eq > 0 && (kv.startsWith(QStringLiteral("AZUREML")) ||
                           kv.startsWith(QStringLiteral("AML_")) ||
                           info.deploymentData.value(QStringLiteral("environment_variables"))
                               .toObject()
                               .contains(kv.left(eq))))
                info.environment.insert(kv.left(eq), kv.mid(eq + 1));
        }
        info.createdAt =
            QDateTime::fromString(c.value(QStringLiteral("Created")).toString(), Qt::ISODateWithMs);
        if (container.status == u"running") {
            info.state = ProvisioningState::Succeeded;
        } else {
            info.state = ProvisioningState::Failed;
            info.failureReason =
                QStringLiteral("the inference-server container %1 is %2 (exit code %3)")
                    .arg(container.name, container.status)
                    .arg(container.exitCode);
        }
    }
    return byKey.values();
}

void DockerRuntime::restartServer(QObject *scope, const DeploymentInfo &info,
                                  Callback<StartedServer> done)
{
    const ContainerInfo *server = info.container(inferenceServerRole());
    const QString name = server ? server->name : info.endpoint + u'.' + info.deployment;
    const QString id = server ? server->id : QString();
    // The same container: its supervisor runs the server again on the staged app.
    AsyncProcess::run(
        scope, m_program,
        {QStringLiteral("restart"), QStringLiteral("--time"), QStringLiteral("2"), name},
        [info, name, id, done](const AsyncProcess::Outcome &o) {
            if (!o.ok()) {
                done(Result<StartedServer>::failure(
                    QStringLiteral("%1 could not be restarted: %2").arg(name, o.message())));
                return;
            }
            StartedServer s;
            s.container =
                ContainerInfo{inferenceServerRole(), name, id, QStringLiteral("running"), -1, {}};
            s.hostPort = info.hostPort;
            s.environment = info.environment;
            s.server = info.settings.server;
            s.serverProgram = info.settings.serverProgram;
            done(s);
        });
}
