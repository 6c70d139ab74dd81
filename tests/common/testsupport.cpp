#include "tests/common/testsupport.h"

#include <QDir>
#include <QProcess>
#include <QStandardPaths>

namespace TestSupport {

QString sourceDir()
{
    return QStringLiteral(STUDIO_SOURCE_DIR);
}

QString binDir()
{
    return QStringLiteral(STUDIO_BIN_DIR);
}

QString examplesDir()
{
    return sourceDir() + QStringLiteral("/examples");
}

QString screenshotPath(const QString &name)
{
    QDir().mkpath(QStringLiteral(STUDIO_SCREENSHOT_DIR));
    return QStringLiteral(STUDIO_SCREENSHOT_DIR) + u'/' + name + QStringLiteral(".png");
}

bool dockerRequired()
{
    return qEnvironmentVariable("STUDIO_REQUIRE_DOCKER") == u"1";
}

QString dockerProgram()
{
    const QString configured = qEnvironmentVariable("STUDIO_DOCKER");
    return configured.isEmpty() ? QStringLiteral("docker") : configured;
}

QString dockerUnavailableReason()
{
    static const QString reason = [] {
        const QString program = dockerProgram();
        if (QStandardPaths::findExecutable(program).isEmpty() && !QFile::exists(program))
            return QStringLiteral("no Docker engine: the '%1' program is not installed "
                                  "(apt-get install docker.io)")
                .arg(program);
        const ProcessResult result = run(program,
                                         {QStringLiteral("version"), QStringLiteral("--format"),
                                          QStringLiteral("{{.Server.Version}}")},
                                         15000);
        if (!result.finished || result.exitCode != 0)
            return QStringLiteral("no Docker engine: the daemon is not answering (%1); start "
                                  "it with 'dockerd &' or 'make test'")
                .arg(QString::fromUtf8(result.err.trimmed()));
        return QString();
    }();
    return reason;
}

ProcessResult run(const QString &program, const QStringList &args, int timeoutMs,
                  const QByteArray &input)
{
    ProcessResult result;
    QProcess process;
    process.start(program, args);
    if (!process.waitForStarted(10000)) {
        result.err = process.errorString().toUtf8();
        return result;
    }
    if (!input.isEmpty())
        process.write(input);
    process.closeWriteChannel();
    result.finished = process.waitForFinished(timeoutMs);
    if (!result.finished) {
        process.kill();
        process.waitForFinished(5000);
    }
    result.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
    result.out = process.readAllStandardOutput();
    result.err = process.readAllStandardError();
    return result;
}

} // namespace TestSupport
