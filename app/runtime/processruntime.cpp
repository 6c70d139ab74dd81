#include "app/runtime/processruntime.h"

#include "app/runtime/asyncprocess.h"
#include "app/runtime/datafolder.h"
#include "app/runtime/localport.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QStandardPaths>
#include <QTimer>

#include <memory>
#include <signal.h>

namespace {

QString serverName(const QString &endpoint, const QString &deployment)
{
    return endpoint + u'.' + deployment;
}

// Starts a program with its data segment limited (RLIMIT_DATA, which covers the heap and
// anonymous mappings): what the process runtime can do of instance_type's memory.
const char *const limitLauncher = R"PY(
import os, resource, sys
limit = int(sys.argv[1])
if limit > 0:
    resource.setrlimit(resource.RLIMIT_DATA, (limit, limit))
os.execvp(sys.argv[2], sys.argv[2:])
)PY";

// What a server or initializer on the host gets of the studio's environment: enough to find
// programs, the home folder, the locale and time zone; not the tokens, keys and DOCKER_HOSTs
// the user's shell may hold. The deployment's own variables are added on top.
QProcessEnvironment minimalEnvironment()
{
    const QProcessEnvironment host = QProcessEnvironment::systemEnvironment();
    QProcessEnvironment env;
    for (const QString &name : host.keys()) {
        static const QStringList kept{
            QStringLiteral("PATH"),    QStringLiteral("HOME"),   QStringLiteral("USER"),
            QStringLiteral("LOGNAME"), QStringLiteral("LANG"),   QStringLiteral("LANGUAGE"),
            QStringLiteral("TZ"),      QStringLiteral("TMPDIR"), QStringLiteral("SYSTEMROOT")};
        if (kept.contains(name) || name.startsWith(QStringLiteral("LC_")))
            env.insert(name, host.value(name));
    }
    if (!env.contains(QStringLiteral("PATH")))
        env.insert(QStringLiteral("PATH"), QStringLiteral("/usr/local/bin:/usr/bin:/bin"));
    env.insert(QStringLiteral("PYTHONDONTWRITEBYTECODE"), QStringLiteral("1"));
    return env;
}

} // namespace

ProcessRuntime::ProcessRuntime(const QString &python, const QString &dataDir, QObject *parent)
    : ContainerRuntime(parent)
    , m_python(python.isEmpty() ? defaultPython() : python)
    , m_dataDir(dataDir)
{}

QString ProcessRuntime::defaultPython()
{
    return QFileInfo::exists(QStringLiteral("/usr/bin/python3"))
               ? QStringLiteral("/usr/bin/python3")
               : QStringLiteral("python3");
}

QString ProcessRuntime::deploymentDir(const QString &endpoint, const QString &deployment) const
{
    return DataFolder::deploymentDir(m_dataDir, endpoint, deployment);
}

QString ProcessRuntime::logFile(const QString &endpoint, const QString &deployment,
                                const QString &containerName) const
{
    return deploymentDir(endpoint, deployment) + QStringLiteral("/logs/") +
           DataFolder::component(containerName) + QStringLiteral(".log");
}

QString ProcessRuntime::pidFilePath(const QString &endpoint, const QString &deployment) const
{
    return deploymentDir(endpoint, deployment) + u'/' +
           DataFolder::component(serverName(endpoint, deployment)) + QStringLiteral(".pid");
}

ProcessRuntime::PidFile ProcessRuntime::readPidFile(const QString &endpoint,
                                                    const QString &deployment) const
{
    PidFile pf;
    QFile f(pidFilePath(endpoint, deployment));
    if (!f.open(QIODevice::ReadOnly))
        return pf;
    const QList<QByteArray> parts = f.readAll().split('\n');
    pf.pid = parts.value(0).trimmed().toLongLong();
    pf.port = parts.value(1).trimmed().toInt();
    return pf;
}

bool ProcessRuntime::serverAlive(qint64 pid)
{
    if (pid <= 0 || ::kill(static_cast<pid_t>(pid), 0) != 0)
        return false;
    // A recycled pid belongs to some other program; ours runs scoring_server.py.
    QFile cmdline(QStringLiteral("/proc/%1/cmdline").arg(pid));
    if (!cmdline.open(QIODevice::ReadOnly))
        return false;
    QFile stat(QStringLiteral("/proc/%1/stat").arg(pid));
    if (stat.open(QIODevice::ReadOnly)) {
        const QByteArray s = stat.readAll();
        const qsizetype close = s.lastIndexOf(')');
        if (close > 0 && s.mid(close + 2, 1) == "Z")
            return false; // a zombie waiting for its parent has exited
    }
    const QByteArray command = cmdline.readAll();
    return command.contains("scoring_server.py") || command.contains("azmlinfsrv");
}

QString ProcessRuntime::azureServer() const
{
    const QFileInfo python(m_python.contains(u'/') ? m_python
                                                   : QStandardPaths::findExecutable(m_python));
    QStringList dirs{python.absolutePath()};
    if (python.absolutePath() == u"/usr/bin")
        dirs << QStringLiteral("/usr/local/bin"); // pip's scripts for the system python
    for (const QString &dir : dirs) {
        const QFileInfo program(dir + QStringLiteral("/azmlinfsrv"));
        if (program.isFile() && program.isExecutable())
            return program.absoluteFilePath();
    }
    return {};
}

void ProcessRuntime::adjustSettings(ServerSettings &settings) const
{
    QStringList unapplied;
    if (settings.cpus > 0)
        unapplied << QStringLiteral("CPUs (%1)").arg(settings.cpus);
    if (settings.pidsLimit > 0)
        unapplied << QStringLiteral("process count (%1)").arg(settings.pidsLimit);
    settings.cpus = 0;
    settings.pidsLimit = 0;
    if (!unapplied.isEmpty())
        settings.notes << QStringLiteral("the process runtime cannot limit %1: that needs a "
                                         "container's cgroup (use the Docker runtime)")
                              .arg(unapplied.join(QStringLiteral(" or ")));
    if (settings.memoryBytes > 0)
        settings.notes << QStringLiteral("memory is limited per server process (RLIMIT_DATA), "
                                         "not for all its workers together");
    if (settings.gpu)
        settings.notes << QStringLiteral("the process runtime runs on this machine: its GPUs "
                                         "are there as they are");
}

void ProcessRuntime::stopProcess(QObject *scope, qint64 pid, std::function<void()> done)
{
    if (!serverAlive(pid)) {
        done();
        return;
    }
    ::kill(static_cast<pid_t>(pid), SIGTERM);
    auto *timer = new QTimer(scope);
    auto clock = std::make_shared<QElapsedTimer>();
    clock->start();
    timer->setInterval(20);
    QObject::connect(timer, &QTimer::timeout, timer, [timer, clock, pid, done] {
        if (serverAlive(pid)) {
            // In-flight requests get a moment; then it goes regardless.
            if (clock->elapsed() > 3000)
                ::kill(static_cast<pid_t>(pid), SIGKILL);
            return;
        }
        timer->deleteLater();
        done();
    });
    timer->start();
}

void ProcessRuntime::checkAvailable(QObject *scope, Callback<bool> done)
{
    AsyncProcess::run(scope, m_python, {QStringLiteral("--version")},
                      [this, done](const AsyncProcess::Outcome &o) {
                          if (o.ok())
                              done(true);
                          else
                              done(Result<bool>::failure(
                                  QStringLiteral("the process runtime needs python3 (3.8 or "
                                                 "newer): '%1' did not run (%2). Install it "
                                                 "with 'sudo apt-get install python3'.")
                                      .arg(m_python, o.message())));
                      });
}

void ProcessRuntime::prepareImage(QObject *scope, const DeploymentPlan &plan, Progress progress,
                                  Callback<QString> done)
{
    if (plan.customContainer) {
        done(Result<QString>::failure(
            QStringLiteral("deployment %1 is a custom container (inference_config); it needs a "
                           "container engine: use the Docker runtime")
                .arg(plan.deployment)));
        return;
    }
    if (const QString problem = plan.settings.gpuProblem(); !problem.isEmpty()) {
        done(Result<QString>::failure(problem));
        return;
    }
    if (plan.imageSource != DeploymentPlan::ImageSource::Image)
        progress(QStringLiteral("resolve-image"),
                 QStringLiteral("the process runtime builds no images: environment.%1 is not "
                                "applied; the host's python3 must have the packages the script "
                                "imports")
                     .arg(plan.imageSource == DeploymentPlan::ImageSource::Build
                              ? QStringLiteral("build")
                              : QStringLiteral("conda_file")),
                 -1);
    AsyncProcess::run(
        scope, m_python,
        {QStringLiteral("-c"), QStringLiteral("import sys; print(sys.version.split()[0])")},
        [this, progress, done](const AsyncProcess::Outcome &o) {
            if (!o.ok()) {
                done(Result<QString>::failure(
                    QStringLiteral("'%1' did not run: %2").arg(m_python, o.message())));
                return;
            }
            const QString image = QStringLiteral("host %1 (Python %2)")
                                      .arg(m_python, QString::fromUtf8(o.out.trimmed()));
            progress(QStringLiteral("resolve-image"), image, 100);
            done(image);
        });
}

namespace {

// The environment a server ran with (the previous one is kept, for a failed update to go
// back to): JSON objects next to the pid file.
// The error, or empty.
QString writeEnvironment(const QString &path, const QMap<QString, QString> &vars)
{
    QJsonObject o;
    for (auto it = vars.cbegin(); it != vars.cend(); ++it)
        o.insert(it.key(), it.value());
    return DataFolder::writePrivate(path, QJsonDocument(o).toJson());
}

QMap<QString, QString> readEnvironment(const QString &path)
{
    QFile f(path);
    QMap<QString, QString> vars;
    if (!f.open(QIODevice::ReadOnly))
        return vars;
    const QJsonObject o = QJsonDocument::fromJson(f.readAll()).object();
    for (auto it = o.constBegin(); it != o.constEnd(); ++it)
        vars.insert(it.key(), it.value().toString());
    return vars;
}

} // namespace

void ProcessRuntime::restorePrevious(QObject *scope, const DeploymentPlan &plan, const QString &,
                                     int hostPort, bool, Callback<StartedServer> done)
{
    const QString dir = deploymentDir(plan.endpoint, plan.deployment);
    const QString log = logFile(plan.endpoint, plan.deployment, plan.initializerContainer());
    auto file = std::make_shared<QFile>(log);
    if (!file->open(QIODevice::WriteOnly | QIODevice::Append)) {
        done(Result<StartedServer>::failure(
            QStringLiteral("cannot write %1: %2").arg(log, file->errorString())));
        return;
    }
    const QProcessEnvironment env = minimalEnvironment();
    AsyncProcess::run(
        scope, m_python,
        {m_scoringDir + QStringLiteral("/storage_initializer.py"), QStringLiteral("--dest"),
         dir + QStringLiteral("/app"), QStringLiteral("--restore-previous")},
        [this, scope, plan, hostPort, log, file, done](const AsyncProcess::Outcome &o) {
            file->close();
            if (!o.ok()) {
                done(Result<StartedServer>::failure(
                    QStringLiteral("the previous version could not be restored: %1")
                        .arg(tailFile(log, 1).trimmed())));
                return;
            }
            // The previous server's environment (its code folder may have had another name).
            launchServer(scope, plan, hostPort,
                         "--- endpoint-studio: the update failed; the previous version, "
                         "restored, starts again ---\n",
                         readEnvironment(deploymentDir(plan.endpoint, plan.deployment) +
                                         QStringLiteral("/server.env.json.previous")),
                         done);
        },
        [file](const QString &line) {
            file->write(line.toUtf8() + '\n');
            file->flush();
        },
        env, true);
}

void ProcessRuntime::stage(QObject *scope, const DeploymentPlan &plan, const QString &,
                           Progress progress, Callback<ContainerInfo> done)
{
    const QString name = plan.initializerContainer();
    const QString dir = deploymentDir(plan.endpoint, plan.deployment);
    const QString log = logFile(plan.endpoint, plan.deployment, name);
    QDir().mkpath(dir + QStringLiteral("/app"));
    QDir().mkpath(QFileInfo(log).absolutePath());
    auto file = std::make_shared<QFile>(log);
    if (!file->open(QIODevice::WriteOnly | QIODevice::Truncate)) {
        done(Result<ContainerInfo>::failure(
            QStringLiteral("cannot write %1: %2").arg(log, file->errorString())));
        return;
    }
    QStringList args{m_scoringDir + QStringLiteral("/storage_initializer.py"),
                     QStringLiteral("--dest"), dir + QStringLiteral("/app"),
                     QStringLiteral("--server"), m_scoringDir};
    if (!plan.modelPath.isEmpty())
        args << QStringLiteral("--model") << plan.modelPath << QStringLiteral("--model-name")
             << plan.modelNameFolder() << QStringLiteral("--model-version")
             << plan.modelVersionFolder();
    if (!plan.codePath.isEmpty())
        args << QStringLiteral("--code") << plan.codePath;
    if (plan.followLinksOut)
        args << QStringLiteral("--follow-links-out");
    const QProcessEnvironment env = minimalEnvironment();
    AsyncProcess::run(
        scope, m_python, args,
        [name, log, file, done](const AsyncProcess::Outcome &o) {
            file->close();
            ContainerInfo c{storageInitializerRole(), name,       {},
                            QStringLiteral("exited"), o.exitCode, log};
            if (o.ok()) {
                done(c);
                return;
            }
            done(Result<ContainerInfo>::failure(
                QStringLiteral("storage initializer failed (%1):\n%2")
                    .arg(o.started ? QStringLiteral("exit code %1").arg(o.exitCode) : o.errorString,
                         tailFile(log, 20).trimmed())));
        },
        [file, progress](const QString &line) {
            file->write(line.toUtf8() + '\n');
            file->flush();
            if (!line.trimmed().isEmpty())
                progress(QStringLiteral("stage"), line.trimmed(), -1);
        },
        env, true);
}

void ProcessRuntime::startServer(QObject *scope, const DeploymentPlan &plan, const QString &,
                                 int hostPort, Callback<StartedServer> done)
{
    launchServer(scope, plan, hostPort, {}, {}, done);
}

void ProcessRuntime::launchServer(QObject *scope, const DeploymentPlan &plan, int hostPort,
                                  const QByteArray &logMarker,
                                  const QMap<QString, QString> &environment,
                                  Callback<StartedServer> done)
{
    const PidFile previous = readPidFile(plan.endpoint, plan.deployment);
    stopProcess(scope, previous.pid, [this, plan, hostPort, logMarker, environment, done] {
        const QString name = plan.serverContainer();
        const QString dir = deploymentDir(plan.endpoint, plan.deployment);
        const QString appRoot = dir + QStringLiteral("/app");
        const QString log = logFile(plan.endpoint, plan.deployment, name);
        if (const QString error = DataFolder::makePrivateDir(QFileInfo(log).absolutePath());
            !error.isEmpty()) {
            done(Result<StartedServer>::failure(error));
            return;
        }
        // A new server starts a new log; a restored one goes on after a marker, so the failed
        // version's lines stay readable.
        QFile start(log);
        if (!start.open(logMarker.isEmpty() ? QIODevice::WriteOnly | QIODevice::Truncate
                                            : QIODevice::WriteOnly | QIODevice::Append) ||
            start.write(logMarker) < 0) {
            done(Result<StartedServer>::failure(
                QStringLiteral("cannot write %1: %2").arg(log, start.errorString())));
            return;
        }
        start.close();
        DataFolder::makePrivateFile(log);
        const int port = hostPort > 0 ? hostPort : LocalPort::pickFree();
        const QMap<QString, QString> vars =
            environment.isEmpty() ? plan.environmentFor(appRoot) : environment;
        QProcessEnvironment env = minimalEnvironment();
        for (auto it = vars.cbegin(); it != vars.cend(); ++it)
            env.insert(it.key(), it.value());
        env.insert(QStringLiteral("PYTHONUNBUFFERED"), QStringLiteral("1"));

        // The environment's own azmlinfsrv when it has one, started as Azure's images start it
        // (from AML_APP_ROOT, --entry_script ${AZUREML_ENTRY_SCRIPT:-main.py}); else the
        // built-in server.
        const QString azure = azureServer();
        QString cwd = vars.value(QStringLiteral("AML_APP_ROOT"));
        if (cwd.isEmpty() || !QFileInfo(cwd).isDir())
            cwd = appRoot;
        QStringList command;
        if (!azure.isEmpty())
            command << azure << QStringLiteral("--entry_script")
                    << vars.value(QStringLiteral("AZUREML_ENTRY_SCRIPT"), QStringLiteral("main.py"))
                    << QStringLiteral("--port") << QString::number(port);
        else
            command << m_python << appRoot + QStringLiteral("/.studio-server/scoring_server.py")
                    << QStringLiteral("--host") << QStringLiteral("127.0.0.1")
                    << QStringLiteral("--port") << QString::number(port);
        if (plan.settings.memoryBytes > 0)
            command = QStringList{m_python, QStringLiteral("-c"), QString::fromUtf8(limitLauncher),
                                  QString::number(plan.settings.memoryBytes)} +
                      command;
        {
            QFile marker(log);
            if (marker.open(QIODevice::WriteOnly | QIODevice::Append))
                marker.write(
                    (azure.isEmpty()
                         ? QStringLiteral("studio-supervisor: server=built-in program=%1: "
                                          "azureml-inference-server-http is not in the "
                                          "environment (no azmlinfsrv next to %1), so Azure "
                                          "would not start it; the studio's built-in scoring "
                                          "server stands in\n")
                               .arg(m_python)
                         : QStringLiteral("studio-supervisor: server=azmlinfsrv program=%1: the "
                                          "environment's azureml-inference-server-http, started "
                                          "as Azure's inference images start it\n")
                               .arg(azure))
                        .toUtf8());
        }
        QProcess process;
        // setsid: its own session, so closing the studio or its terminal leaves it running.
        if (QFileInfo::exists(QStringLiteral("/usr/bin/setsid"))) {
            process.setProgram(QStringLiteral("/usr/bin/setsid"));
            process.setArguments(command);
        } else {
            process.setProgram(command.first());
            process.setArguments(command.mid(1));
        }
        process.setProcessEnvironment(env);
        process.setWorkingDirectory(cwd);
        process.setStandardInputFile(QProcess::nullDevice());
        process.setStandardOutputFile(log, QIODevice::Append);
        process.setStandardErrorFile(log, QIODevice::Append);
        qint64 pid = 0;
        if (!process.startDetached(&pid)) {
            done(Result<StartedServer>::failure(
                QStringLiteral("the scoring server did not start: %1").arg(process.errorString())));
            return;
        }
        const QString pidPath = pidFilePath(plan.endpoint, plan.deployment);
        if (const QString error = DataFolder::writePrivate(
                pidPath, QByteArray::number(pid) + '\n' + QByteArray::number(port) + '\n');
            !error.isEmpty()) {
            ::kill(static_cast<pid_t>(pid), SIGKILL);
            done(Result<StartedServer>::failure(error));
            return;
        }
        const QString envFile = dir + QStringLiteral("/server.env.json");
        QFile::remove(envFile + QStringLiteral(".previous"));
        QFile::rename(envFile, envFile + QStringLiteral(".previous"));
        // Without it a failed later update could not go back to this version.
        if (const QString error = writeEnvironment(envFile, vars); !error.isEmpty()) {
            ::kill(static_cast<pid_t>(pid), SIGKILL);
            done(Result<StartedServer>::failure(error));
            return;
        }
        StartedServer s;
        s.container = ContainerInfo{inferenceServerRole(),     name, QString::number(pid),
                                    QStringLiteral("running"), -1,   log};
        s.hostPort = port;
        s.environment = vars;
        // Every start runs the same server on the staged app: only code and model differ.
        s.reloaded = true;
        s.server = azure.isEmpty() ? ServerKind::BuiltIn : ServerKind::AzureServer;
        s.serverProgram = azure.isEmpty() ? m_python : azure;
        done(s);
    });
}

void ProcessRuntime::inspectServer(QObject *, const QString &endpoint, const QString &deployment,
                                   Callback<ContainerInfo> done)
{
    const QString name = serverName(endpoint, deployment);
    ContainerInfo c{inferenceServerRole(), name, {}, {}, -1, logFile(endpoint, deployment, name)};
    const PidFile pf = readPidFile(endpoint, deployment);
    if (pf.pid <= 0) {
        c.status = QStringLiteral("missing");
    } else {
        c.id = QString::number(pf.pid);
        c.status = serverAlive(pf.pid) ? QStringLiteral("running") : QStringLiteral("exited");
    }
    done(c);
}

QString ProcessRuntime::tailFile(const QString &path, int lines)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    // Read only the end of large logs.
    const qint64 window = qMax<qint64>(64 * 1024, qint64(lines) * 512);
    if (f.size() > window)
        f.seek(f.size() - window);
    QStringList all = QString::fromUtf8(f.readAll()).split(u'\n');
    if (!all.isEmpty() && all.last().isEmpty())
        all.removeLast();
    return all.mid(qMax<qsizetype>(0, all.size() - lines)).join(u'\n') + u'\n';
}

void ProcessRuntime::tail(QObject *, const ContainerInfo &container, int lines,
                          Callback<QString> done)
{
    if (container.logFile.isEmpty() || !QFileInfo::exists(container.logFile)) {
        done(Result<QString>::failure(QStringLiteral("no log for %1").arg(container.name)));
        return;
    }
    done(tailFile(container.logFile, lines));
}

void ProcessRuntime::removeDeployment(QObject *scope, const QString &endpoint,
                                      const QString &deployment, Callback<bool> done)
{
    const PidFile pf = readPidFile(endpoint, deployment);
    const QString dir = deploymentDir(endpoint, deployment);
    const QString pidPath = pidFilePath(endpoint, deployment);
    stopProcess(scope, pf.pid, [dir, pidPath, done] {
        QDir(dir + QStringLiteral("/app")).removeRecursively();
        QFile::remove(pidPath);
        done(true);
    });
}

void ProcessRuntime::list(QObject *, Callback<QList<DeploymentInfo>> done)
{
    QList<DeploymentInfo> result;
    const QDir root(m_dataDir + QStringLiteral("/deployments"));
    for (const QString &epFolder : root.entryList(QDir::Dirs | QDir::NoDotAndDotDot)) {
        const QDir epDir(root.filePath(epFolder));
        const QString endpoint = DataFolder::fromComponent(epFolder);
        for (const QString &depFolder : epDir.entryList(QDir::Dirs | QDir::NoDotAndDotDot)) {
            const QString deployment = DataFolder::fromComponent(depFolder);
            const PidFile pf = readPidFile(endpoint, deployment);
            if (pf.pid <= 0)
                continue;
            DeploymentInfo info;
            info.endpoint = endpoint;
            info.deployment = deployment;
            info.runtime = RuntimeKind::Process;
            info.hostPort = pf.port;
            const QString name = serverName(endpoint, deployment);
            const bool alive = serverAlive(pf.pid);
            info.containers.append(
                ContainerInfo{inferenceServerRole(), name, QString::number(pf.pid),
                              alive ? QStringLiteral("running") : QStringLiteral("exited"), -1,
                              logFile(endpoint, deployment, name)});
            const QString init = name + QStringLiteral(".storage-initializer");
            info.containers.prepend(ContainerInfo{storageInitializerRole(),
                                                  init,
                                                  {},
                                                  QStringLiteral("exited"),
                                                  0,
                                                  logFile(endpoint, deployment, init)});
            info.state = alive ? ProvisioningState::Succeeded : ProvisioningState::Failed;
            if (!alive)
                info.failureReason =
                    QStringLiteral("the scoring server process (pid %1) is no longer running")
                        .arg(pf.pid);
            result.append(info);
        }
    }
    done(result);
}

void ProcessRuntime::restartServer(QObject *scope, const DeploymentInfo &info,
                                   Callback<StartedServer> done)
{
    DeploymentPlan plan;
    plan.endpoint = info.endpoint;
    plan.deployment = info.deployment;
    plan.settings = info.settings;
    launchServer(scope, plan, info.hostPort,
                 "--- endpoint-studio: the server is restarted (its liveness probe failed) ---\n",
                 info.environment, done);
}
