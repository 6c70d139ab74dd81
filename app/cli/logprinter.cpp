#include "app/cli/logprinter.h"

#include "app/cli/clisession.h"
#include "app/cli/commands.h"
#include "app/runtime/processruntime.h"

#include <QEventLoop>
#include <QFile>
#include <QProcess>
#include <QTimer>

#include <cstdio>

namespace {

void writeOut(const QByteArray &bytes)
{
    std::fwrite(bytes.constData(), 1, size_t(bytes.size()), stdout);
    std::fflush(stdout);
}

} // namespace

QList<CliOption> LogPrinter::options()
{
    return {CliOption::value(QStringLiteral("lines"), {QStringLiteral("-l")},
                             QStringLiteral("how many of the last lines (default 5000)"),
                             QStringLiteral("N")),
            CliOption::value(QStringLiteral("container"), {QStringLiteral("-c")},
                             QStringLiteral("inference-server (default) or storage-initializer"),
                             QStringLiteral("CONTAINER")),
            CliOption::flag(QStringLiteral("follow"), {},
                            QStringLiteral("keep printing new lines until interrupted")),
            CliOption::flag(QStringLiteral("timestamps"), {},
                            QStringLiteral("Docker's timestamp on each line"))};
}

int LogPrinter::run(CliSession &session, const DeploymentInfo &deployment)
{
    const CliArguments &args = session.args();
    const QString role = args.value(QStringLiteral("container"), inferenceServerRole());
    if (role != inferenceServerRole() && role != storageInitializerRole())
        return session.usageError(QStringLiteral("Invalid container type '%1'. Supported "
                                                 "container types are inference-server and "
                                                 "storage-initializer")
                                      .arg(role));
    int code = Cli::Ok;
    const auto lines = session.positiveInt(QStringLiteral("lines"), 5000, &code);
    if (!lines)
        return code;
    const bool follow = args.isSet(QStringLiteral("follow"));
    if (deployment.runtime == RuntimeKind::Docker)
        return printDocker(session, deployment, role, *lines, follow,
                           args.isSet(QStringLiteral("timestamps")));
    return printFile(session, deployment, role, *lines, follow);
}

int LogPrinter::printDocker(CliSession &session, const DeploymentInfo &deployment,
                            const QString &role, int lines, bool follow, bool timestamps)
{
    const QStringList arguments = deployment.logsArguments(role, lines, follow, timestamps);
    if (arguments.isEmpty())
        return session.fail(Cli::Failed, QStringLiteral("Local deployment (%1 / %2) has no %3 "
                                                        "container (state: %4). %5")
                                             .arg(deployment.endpoint, deployment.deployment, role,
                                                  provisioningStateName(deployment.state),
                                                  deployment.failureReason));
    const QString program = deployment.containerProgram.isEmpty()
                                ? session.manager().containerProgram()
                                : deployment.containerProgram;
    QProcess process;
    QEventLoop loop;
    // The container's stdout and stderr are both its log.
    process.setProcessChannelMode(QProcess::MergedChannels);
    QObject::connect(&process, &QProcess::readyReadStandardOutput, &loop,
                     [&process] { writeOut(process.readAllStandardOutput()); });
    QObject::connect(&process, &QProcess::finished, &loop, [&loop] { loop.quit(); });
    QObject::connect(&process, &QProcess::errorOccurred, &loop,
                     [&loop](QProcess::ProcessError error) {
                         if (error == QProcess::FailedToStart)
                             loop.quit();
                     });
    process.start(program, arguments);
    loop.exec();
    writeOut(process.readAllStandardOutput());
    if (process.error() == QProcess::FailedToStart)
        return session.fail(
            Cli::EngineUnreachable,
            QStringLiteral("could not run %1: %2").arg(program, process.errorString()));
    if (process.exitStatus() != QProcess::NormalExit || process.exitCode() != 0)
        return session.fail(Cli::Failed, QStringLiteral("'%1 %2' exited with code %3")
                                             .arg(program, arguments.join(QLatin1Char(' ')))
                                             .arg(process.exitCode()));
    return Cli::Ok;
}

int LogPrinter::printFile(CliSession &session, const DeploymentInfo &deployment,
                          const QString &role, int lines, bool follow)
{
    const QString path = deployment.logFile(role);
    if (path.isEmpty() || !QFile::exists(path))
        return session.fail(
            Cli::Failed, QStringLiteral("Local deployment (%1 / %2) has no %3 log%4")
                             .arg(deployment.endpoint, deployment.deployment, role,
                                  path.isEmpty() ? QString() : QStringLiteral(" (%1)").arg(path)));
    QFile file(path);
    qint64 offset = file.size();
    if (lines > 0)
        writeOut(ProcessRuntime::tailFile(path, lines).toUtf8());
    if (!follow)
        return Cli::Ok;
    // Appended lines are polled: inotify does not report writes from another session reliably.
    QEventLoop loop;
    QTimer timer;
    QObject::connect(&timer, &QTimer::timeout, &loop, [&file, &offset] {
        if (!file.isOpen() && !file.open(QIODevice::ReadOnly))
            return;
        const qint64 size = file.size();
        if (size < offset)
            offset = 0; // truncated or replaced by a redeploy
        if (size == offset)
            return;
        file.seek(offset);
        const QByteArray chunk = file.read(size - offset);
        offset += chunk.size();
        writeOut(chunk);
    });
    timer.start(200);
    loop.exec();
    return Cli::Ok;
}
