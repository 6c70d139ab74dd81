#include "app/cli/logprinter.h"

#include "app/cli/clisession.h"
#include "app/cli/commands.h"
#include "app/logs/logfiletail.h"
#include "app/logs/loglinesplitter.h"
#include "app/logs/logstore.h"
#include "app/runtime/processruntime.h"

#include <QEventLoop>
#include <QFile>
#include <QProcess>
#include <QTimer>

#include <cstdio>

namespace {

constexpr int PollMs = 200;
constexpr qint64 FileReadBytes = 4 * 1024 * 1024;

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
    LogFileTail tail(path);
    tail.skipToEnd();
    if (lines > 0)
        writeOut(ProcessRuntime::tailFile(path, lines).toUtf8());
    if (follow)
        followFile(tail);
    return Cli::Ok;
}

void LogPrinter::followFile(LogFileTail &tail)
{
    // Polled, as the studio's log view follows the file: inotify does not report writes from
    // another session reliably. Whole lines only; a truncated or replaced file (a redeploy, a
    // rotation) starts over with a marker on stderr, so stdout stays the log.
    LogLineSplitter splitter(LogStore::maxLineBytes());
    QEventLoop loop;
    QTimer timer;
    timer.setSingleShot(true);
    QObject::connect(&timer, &QTimer::timeout, &loop, [&] {
        const LogFileTail::Chunk chunk = tail.read(FileReadBytes);
        if (chunk.restarted) {
            splitter.clear();
            std::fprintf(stderr, "%s\n", qPrintable(LogFileTail::restartMarker(tail.path())));
            std::fflush(stderr);
        }
        QByteArray out;
        splitter.feed(chunk.data, [&out](QByteArrayView line) {
            out.append(line);
            out.append('\n');
        });
        if (!out.isEmpty())
            writeOut(out);
        timer.start(chunk.more ? 0 : PollMs);
    });
    timer.start(0);
    loop.exec();
}
