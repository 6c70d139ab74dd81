#include "app/runtime/deployer.h"

#include "app/runtime/readinessprobe.h"

#include <QUrl>

namespace {

int phaseBase(const QString &phase)
{
    if (phase == u"build")
        return 10;
    if (phase == u"stage")
        return 40;
    if (phase == u"start")
        return 60;
    if (phase == u"wait-ready")
        return 70;
    if (phase == u"rollback")
        return 90;
    return 0;
}

int phaseEnd(const QString &phase)
{
    if (phase == u"resolve-image")
        return 10;
    if (phase == u"build")
        return 40;
    if (phase == u"stage")
        return 60;
    if (phase == u"start")
        return 70;
    return 100;
}

} // namespace

Deployer::Deployer(ContainerRuntime *runtime, const DeploymentPlan &plan,
                   const DeploymentInfo &info, QObject *parent)
    : QObject(parent)
    , m_runtime(runtime)
    , m_plan(plan)
    , m_info(info)
{
    m_watch.setInterval(250);
    connect(&m_watch, &QTimer::timeout, this, &Deployer::watchServer);
}

void Deployer::start(Progress progress, InfoChanged changed, Done done)
{
    m_progress = std::move(progress);
    m_changed = std::move(changed);
    m_done = std::move(done);
    m_info.timeline.clear();
    m_info.failureReason.clear();
    m_runtime->adjustSettings(m_plan.settings);
    const ServerSettings previous = m_info.settings;
    m_info.settings = m_plan.settings;
    // A server reloaded in place is the one that ran before.
    m_info.settings.server = previous.server;
    m_info.settings.serverProgram = previous.serverProgram;
    if (m_plan.customContainer)
        m_info.settings.server = ServerKind::CustomContainer;
    beginPhase(
        QStringLiteral("resolve-image"),
        m_plan.imageSource == DeploymentPlan::ImageSource::Image
            ? QStringLiteral("resolving image %1").arg(m_plan.imageTag)
            : QStringLiteral("resolving the environment (hash %1)").arg(m_plan.environmentHash));
    m_runtime->prepareImage(
        this, m_plan,
        [this](const QString &phase, const QString &message, int percent) {
            if (phase != m_phase)
                beginPhase(phase, message);
            report(phase, message, percent);
        },
        [this](Result<QString> image) {
            if (!image) {
                fail(image.error().message);
                return;
            }
            m_image = image.value();
            m_info.image = m_image;
            m_info.imageHash = m_plan.environmentHash;
            const ServerSettings &s = m_info.settings;
            say(QStringLiteral("settings: WORKER_COUNT %1, WORKER_TIMEOUT %2 s, "
                               "SCORING_TIMEOUT_MS %3; limits%4: %5")
                    .arg(s.workerCount)
                    .arg(s.workerTimeoutS)
                    .arg(s.scoringTimeoutMs)
                    .arg(s.sku ? QStringLiteral(" from ") + s.sku->name : QString(),
                         s.limitsText()));
            for (const QString &note : s.notes)
                say(QStringLiteral("note: ") + note);
            stage(m_image);
        });
}

void Deployer::beginPhase(const QString &phase, const QString &message)
{
    endPhase();
    m_phase = phase;
    m_phaseClock.start();
    m_info.timeline.append(PhaseTiming{phase, QDateTime::currentDateTimeUtc(), -1, message});
    report(phase, message, 0);
}

void Deployer::endPhase()
{
    if (m_info.timeline.isEmpty() || m_info.timeline.last().durationMs >= 0)
        return;
    m_info.timeline.last().durationMs = m_phaseClock.elapsed();
}

void Deployer::report(const QString &phase, const QString &message, int percent)
{
    if (!m_info.timeline.isEmpty() && m_info.timeline.last().phase == phase)
        m_info.timeline.last().message = message;
    // Runtimes report within-phase percentages; map them onto the whole operation.
    int overall = -1;
    if (percent >= 0) {
        const int base = phaseBase(phase);
        overall = base + (phaseEnd(phase) - base) * qBound(0, percent, 100) / 100;
    }
    if (m_progress)
        m_progress(phase, message, overall);
}

void Deployer::stage(const QString &image)
{
    beginPhase(QStringLiteral("stage"), QStringLiteral("staging model and code into %1")
                                            .arg(m_runtime->kind() == RuntimeKind::Docker
                                                     ? m_plan.volumeName()
                                                     : QStringLiteral("the app folder")));
    m_runtime->stageAndStart(
        this, m_plan, image, m_info.hostPort,
        [this](const QString &phase, const QString &message, int percent) {
            report(phase, message, percent);
        },
        [this](Result<ContainerInfo> init) {
            if (m_finished)
                return;
            // The process runtime's log file stays known even when staging failed.
            const QString logFile = m_info.logFile(storageInitializerRole());
            m_info.containers.removeIf(
                [](const ContainerInfo &x) { return x.role == storageInitializerRole(); });
            if (!init) {
                ContainerInfo c;
                c.role = storageInitializerRole();
                c.name = m_plan.initializerContainer();
                c.status = QStringLiteral("exited");
                c.logFile = logFile;
                m_info.containers.prepend(c);
                fail(init.error().message);
                return;
            }
            m_info.containers.prepend(init.value());
            m_staged = true;
            beginPhase(
                QStringLiteral("start"),
                m_started
                    ? QStringLiteral("%1 started while staging").arg(m_plan.serverContainer())
                    : QStringLiteral("starting %1 from %2").arg(m_plan.serverContainer(), m_image));
            if (m_started)
                waitReady();
        },
        [this](Result<ContainerRuntime::StartedServer> started) {
            if (m_finished)
                return;
            if (!started) {
                fail(started.error().message);
                return;
            }
            const auto &s = started.value();
            m_reloaded = s.reloaded;
            m_info.containers.removeIf(
                [](const ContainerInfo &x) { return x.role == inferenceServerRole(); });
            m_info.containers.append(s.container);
            m_info.hostPort = s.hostPort;
            m_info.containerPort = m_plan.containerPort;
            m_info.environment = s.environment;
            m_info.scoringUri =
                QStringLiteral("http://localhost:%1%2").arg(s.hostPort).arg(m_plan.scoringPath);
            m_info.readinessUri =
                QStringLiteral("http://127.0.0.1:%1%2").arg(s.hostPort).arg(m_plan.readinessPath);
            m_info.livenessUri =
                QStringLiteral("http://127.0.0.1:%1%2").arg(s.hostPort).arg(m_plan.livenessPath);
            if (s.server != ServerKind::Unknown) {
                m_info.settings.server = s.server;
                m_info.settings.serverProgram = s.serverProgram;
            } else if (!s.reloaded && !m_plan.customContainer) {
                m_info.settings.server = ServerKind::Unknown; // a new container chooses anew
            }
            m_started = true;
            if (m_changed)
                m_changed(m_info);
            if (m_staged)
                waitReady();
        });
}

void Deployer::waitReady()
{
    const ProbeSettings &p = m_plan.readinessProbe;
    beginPhase(QStringLiteral("wait-ready"),
               QStringLiteral("waiting for %1 to answer 200 (up to %2 s)")
                   .arg(m_info.readinessUri)
                   .arg(ReadinessProbe::budgetMs(p) / 1000));
    m_probe = new ReadinessProbe(QUrl(m_info.readinessUri), p, this);
    m_probe->start([this](const ReadinessProbe::Outcome &o) {
        m_watch.stop();
        if (m_finished)
            return;
        if (!o.ready) {
            failWithLog(QStringLiteral("readiness probe timed out: %1 did not answer 200 within "
                                       "%2 s (readiness_probe initial_delay + period × "
                                       "failure_threshold; last answer: %3)")
                            .arg(m_info.readinessUri)
                            .arg(o.elapsedMs / 1000)
                            .arg(o.lastError.isEmpty() ? QStringLiteral("none") : o.lastError));
            return;
        }
        learnServer([this, o] { succeed(o.elapsedMs); });
    });
    m_watch.start();
}

void Deployer::learnServer(std::function<void()> then)
{
    const ContainerInfo *server = m_info.container(inferenceServerRole());
    if (m_info.settings.server != ServerKind::Unknown || !server) {
        reportServer();
        then();
        return;
    }
    // Chosen inside the container: its supervisor's line says which.
    m_runtime->tail(this, *server, 2000, [this, then](Result<QString> text) {
        if (text)
            ContainerRuntime::serverFromLog(text.value(), &m_info.settings.server,
                                            &m_info.settings.serverProgram);
        reportServer();
        then();
    });
}

void Deployer::reportServer()
{
    const ServerSettings &s = m_info.settings;
    if (s.server == ServerKind::AzureServer)
        say(QStringLiteral("server: azmlinfsrv (%1), the environment's "
                           "azureml-inference-server-http, started as Azure's images start it")
                .arg(s.serverProgram));
    else if (s.server == ServerKind::BuiltIn)
        say(QStringLiteral("server: built-in. ") + ServerSettings::notInEnvironmentNote());
}

void Deployer::say(const QString &message)
{
    // Not the phase's own message: the timeline keeps what the phase did.
    if (m_progress)
        m_progress(m_phase, message, -1);
}

void Deployer::succeed(qint64 elapsedMs)
{
    if (m_finished)
        return;
    endPhase();
    m_finished = true;
    m_info.state = ProvisioningState::Succeeded;
    m_info.updatedAt = QDateTime::currentDateTimeUtc();
    for (ContainerInfo &c : m_info.containers)
        if (c.role == inferenceServerRole())
            c.status = QStringLiteral("running");
    report(QStringLiteral("wait-ready"),
           QStringLiteral("ready: %1 answers 200 (%2 ms)").arg(m_info.readinessUri).arg(elapsedMs),
           100);
    if (m_changed)
        m_changed(m_info);
    if (m_done)
        m_done(true, QString());
}

void Deployer::watchServer()
{
    if (m_inspecting || m_finished)
        return;
    // A slow init() should not cost four engine calls a second for minutes.
    if (m_phaseClock.elapsed() > 5000 && m_watch.interval() < 1000)
        m_watch.setInterval(1000);
    m_inspecting = true;
    m_runtime->inspectServer(
        this, m_plan.endpoint, m_plan.deployment, [this](Result<ContainerInfo> c) {
            m_inspecting = false;
            if (m_finished || !c || c.value().status == u"running" ||
                c.value().status == u"created")
                return;
            m_watch.stop();
            if (m_probe)
                m_probe->deleteLater();
            const ContainerInfo &s = c.value();
            for (ContainerInfo &x : m_info.containers)
                if (x.role == inferenceServerRole()) {
                    x.status = s.status;
                    x.exitCode = s.exitCode;
                }
            QString how;
            if (s.status == u"missing")
                how = QStringLiteral("was removed");
            else if (s.exitCode >= 0)
                how = QStringLiteral("exited with code %1").arg(s.exitCode);
            else
                how = QStringLiteral("exited");
            QString reason = QStringLiteral("the inference server %1 before it was ready").arg(how);
            if (s.oomKilled) {
                for (ContainerInfo &x : m_info.containers)
                    if (x.role == inferenceServerRole())
                        x.oomKilled = true;
                reason = m_info.settings.oomReason() + QStringLiteral(" (the kernel killed it; ") +
                         reason + u')';
            }
            failWithLog(reason);
        });
}

void Deployer::failWithLog(const QString &reason)
{
    if (m_finished)
        return;
    const ContainerInfo *server = m_info.container(inferenceServerRole());
    if (!server) {
        fail(reason);
        return;
    }
    m_runtime->tail(this, *server, 50, [this, reason](Result<QString> text) {
        QString log = text ? text.value().trimmed() : QString();
        if (m_info.settings.server == ServerKind::Unknown)
            ContainerRuntime::serverFromLog(log, &m_info.settings.server,
                                            &m_info.settings.serverProgram);
        QString why = reason;
        // The process runtime's memory limit (RLIMIT_DATA) ends in a failed allocation
        // (MemoryError, or ENOMEM from mmap), not a kill.
        if (m_runtime->kind() == RuntimeKind::Process && m_info.settings.memoryBytes > 0 &&
            (log.contains(QStringLiteral("MemoryError")) ||
             log.contains(QStringLiteral("Cannot allocate memory"))))
            why = m_info.settings.oomReason(QStringLiteral("MemoryError")) +
                  QStringLiteral(" (the process runtime's per-process limit; ") + reason + u')';
        const QString full =
            log.isEmpty() ? why : why + QStringLiteral("; last 50 log lines:\n") + log;
        if (m_rollbackAllowed && m_staged)
            rollBack(full);
        else
            fail(full);
    });
}

void Deployer::rollBack(const QString &reason)
{
    beginPhase(QStringLiteral("rollback"),
               QStringLiteral("the update failed: restoring the previous version"));
    m_runtime->restorePrevious(
        this, m_plan, m_image, m_info.hostPort, m_reloaded,
        [this, reason](Result<ContainerRuntime::StartedServer> restored) {
            if (m_finished)
                return;
            if (!restored) {
                fail(reason + QStringLiteral("\n\n") + restored.error().message);
                return;
            }
            const ContainerRuntime::StartedServer &s = restored.value();
            m_info.containers.removeIf(
                [](const ContainerInfo &x) { return x.role == inferenceServerRole(); });
            m_info.containers.append(s.container);
            if (!s.environment.isEmpty())
                m_info.environment = s.environment;
            report(QStringLiteral("rollback"),
                   QStringLiteral("previous version restored; waiting for %1 to answer 200")
                       .arg(m_info.readinessUri),
                   50);
            m_probe = new ReadinessProbe(QUrl(m_info.readinessUri), m_plan.readinessProbe, this);
            m_probe->start([this, reason](const ReadinessProbe::Outcome &o) {
                if (m_finished)
                    return;
                if (!o.ready) {
                    fail(reason +
                         QStringLiteral("\n\nThe previous version was restored but did "
                                        "not answer either (last answer: %1).")
                             .arg(o.lastError.isEmpty() ? QStringLiteral("none") : o.lastError));
                    return;
                }
                fail(QStringLiteral("The update failed; the previous version was restored and "
                                    "answers at %1 again.\n")
                         .arg(m_info.scoringUri) +
                     reason);
            });
        });
}

void Deployer::fail(const QString &reason)
{
    if (m_finished)
        return;
    m_finished = true;
    m_watch.stop();
    if (m_probe)
        m_probe->deleteLater();
    endPhase();
    m_info.state = ProvisioningState::Failed;
    m_info.failureReason = reason;
    m_info.updatedAt = QDateTime::currentDateTimeUtc();
    if (m_changed)
        m_changed(m_info);
    if (m_done)
        m_done(false, reason);
}
