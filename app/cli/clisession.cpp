#include "app/cli/clisession.h"

#include "app/cli/commands.h"
#include "models/specedits.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QDir>
#include <QEventLoop>
#include <QFile>
#include <QProcess>
#include <QTextStream>

#include <cstdio>
#include <unistd.h>

namespace {

void writeErr(const QString &text)
{
    const QByteArray bytes = text.toUtf8();
    std::fwrite(bytes.constData(), 1, size_t(bytes.size()), stderr);
    std::fflush(stderr);
}

void writeOut(const QString &text)
{
    const QByteArray bytes = text.toUtf8();
    std::fwrite(bytes.constData(), 1, size_t(bytes.size()), stdout);
    std::fflush(stdout);
}

int exitCodeFor(DeploymentManager::ErrorKind kind)
{
    switch (kind) {
    case DeploymentManager::ErrorKind::None:
        return Cli::Ok;
    case DeploymentManager::ErrorKind::NotFound:
        return Cli::NotFound;
    case DeploymentManager::ErrorKind::EngineUnreachable:
        return Cli::EngineUnreachable;
    case DeploymentManager::ErrorKind::Failed:
    case DeploymentManager::ErrorKind::InvalidSpec:
    case DeploymentManager::ErrorKind::Canceled:
    case DeploymentManager::ErrorKind::Busy:
    case DeploymentManager::ErrorKind::NeedsConfirmation:
        return Cli::Failed;
    }
    return Cli::Failed;
}

} // namespace

CliSession::CliSession(const QString &group, const QString &command, const QString &summary)
    : m_group(group)
    , m_command(command)
    , m_summary(summary)
{}

CliSession::~CliSession() = default;

QList<CliOption> CliSession::commonOptions()
{
    return {
        CliOption::flag(QStringLiteral("local"), {},
                        QStringLiteral("accepted for az compatibility; local is the only mode")),
        CliOption::value(QStringLiteral("output"), {QStringLiteral("-o")},
                         QStringLiteral("json (default), jsonc, tsv, table, yaml, yamlc, none"),
                         QStringLiteral("FORMAT")),
        CliOption::value(QStringLiteral("query"), {},
                         QStringLiteral("a field, dotted path or JMESPath expression applied to "
                                        "the result, e.g. provisioning_state"),
                         QStringLiteral("QUERY")),
        CliOption::value(QStringLiteral("runtime"), {},
                         QStringLiteral("automatic (default: Docker when it answers, else local "
                                        "processes), docker or process"),
                         QStringLiteral("RUNTIME")),
        CliOption::value(QStringLiteral("resource-group"), {QStringLiteral("-g")},
                         QStringLiteral("accepted and ignored (cloud only)"),
                         QStringLiteral("GROUP")),
        CliOption::value(QStringLiteral("workspace-name"), {QStringLiteral("-w")},
                         QStringLiteral("accepted and ignored (cloud only)"),
                         QStringLiteral("WORKSPACE")),
        CliOption::value(QStringLiteral("subscription"), {},
                         QStringLiteral("accepted and ignored (cloud only)"), QStringLiteral("ID")),
        CliOption::flag(QStringLiteral("debug"), {}, QStringLiteral("accepted")),
        CliOption::flag(QStringLiteral("verbose"), {}, QStringLiteral("accepted")),
        CliOption::flag(QStringLiteral("only-show-errors"), {},
                        QStringLiteral("no progress lines on stderr")),
        CliOption::flag(QStringLiteral("help"), {QStringLiteral("-h")},
                        QStringLiteral("show this help")),
    };
}

QString CliSession::usageText(const QList<CliOption> &options) const
{
    auto describe = [](const QList<CliOption> &list) {
        QStringList lines;
        for (const CliOption &option : list) {
            QString head = QStringLiteral("--") + option.name;
            for (const QString &alias : option.aliases)
                head += QStringLiteral(", ") + alias;
            if (option.takesValue)
                head += QLatin1Char(' ') + option.valueName +
                        (option.multiValue ? QStringLiteral(" [...]") : QString());
            lines << QStringLiteral("  %1  %2").arg(head.leftJustified(34), option.help);
        }
        return lines.join(QLatin1Char('\n'));
    };
    return QStringLiteral("usage: endpointctl %1 %2 [options]\n\n%3\n\noptions:\n%4\n\n"
                          "common options:\n%5\n\n"
                          "exit codes: 0 ok, 1 operation failed, 2 usage, 3 not found, "
                          "4 container engine unreachable\n")
        .arg(m_group, m_command, m_summary, describe(options), describe(commonOptions()));
}

std::optional<int> CliSession::parse(const QStringList &args, const QList<CliOption> &options)
{
    m_rawArgs = args;
    if (args.contains(QStringLiteral("-h")) || args.contains(QStringLiteral("--help"))) {
        writeOut(usageText(options));
        return Cli::Ok;
    }
    auto parsed = CliArguments::parse(args, options + commonOptions());
    if (!parsed.ok())
        return usageError(parsed.error().message);
    m_args = std::move(parsed).value();

    const QString output = m_args.value(QStringLiteral("output"), QStringLiteral("json"));
    const auto format = OutputFormatter::formatFromName(output);
    if (!format)
        return usageError(QStringLiteral("argument --output/-o: invalid choice: '%1' (choose "
                                         "from 'json', 'jsonc', 'none', 'table', 'tsv', "
                                         "'yaml', 'yamlc')")
                              .arg(output));
    m_format = *format;
    if (m_args.isSet(QStringLiteral("query"))) {
        const QString text = m_args.value(QStringLiteral("query"));
        auto query = JsonQuery::compile(text);
        if (!query.ok()) {
            // The query again with a caret under the column (single-line queries only).
            QString caret;
            const int column = query.error().location.column;
            if (column > 0 && !text.contains(u'\n'))
                caret = QStringLiteral("\n  %1\n  %2^").arg(text, QString(column - 1, u' '));
            return usageError(QStringLiteral("argument --query: invalid jmespath_query value: "
                                             "'%1': %2%3")
                                  .arg(text, query.error().message, caret));
        }
        m_query = std::move(query).value();
    }
    // Checked before any work so that a typo is a usage error, never a half-done command.
    const auto edits = SpecEdits::parseSets(m_args.values(QStringLiteral("set")));
    if (!edits.ok())
        return usageError(edits.error().message);
    if (m_args.isSet(QStringLiteral("lines"))) {
        int code = Cli::Ok;
        if (!positiveInt(QStringLiteral("lines"), 0, &code))
            return code;
    }
    const QString container = m_args.value(QStringLiteral("container"), inferenceServerRole());
    if (container != inferenceServerRole() && container != storageInitializerRole())
        return usageError(QStringLiteral("Invalid container type '%1'. Supported container types "
                                         "are inference-server and storage-initializer")
                              .arg(container));
    if (m_args.isSet(QStringLiteral("runtime"))) {
        const QString name = m_args.value(QStringLiteral("runtime"));
        const auto choice = DeploymentManager::runtimeChoiceFromName(name);
        if (!choice)
            return usageError(QStringLiteral("argument --runtime: invalid choice: '%1' (choose "
                                             "from 'automatic', 'docker', 'process')")
                                  .arg(name));
        m_runtime = *choice;
    }
    return std::nullopt;
}

std::optional<int> CliSession::start()
{
    DeploymentManager::Options options;
    options.watchLiveness = false; // a command ends; the studio watches running servers
    options.runtime = m_runtime;
    m_manager = new DeploymentManager(options, this);
    connect(m_manager, &DeploymentManager::progress, this, &CliSession::onProgress);
    const int code = wait(m_manager->refresh());
    if (code != Cli::Ok)
        return code;
    if (!m_manager->runtimeResolved() && !m_manager->engineProblem().isEmpty())
        return fail(Cli::EngineUnreachable, m_manager->engineProblem());
    return std::nullopt;
}

int CliSession::wait(DeploymentManager::OperationId op)
{
    bool ok = true;
    QString error;
    if (m_manager->isRunning(op)) {
        QEventLoop loop;
        m_waitingFor = op;
        connect(m_manager, &DeploymentManager::finished, &loop,
                [&](quint64 finishedOp, bool success, const QString &message) {
                    if (finishedOp != op)
                        return;
                    ok = success;
                    error = message;
                    loop.quit();
                });
        loop.exec();
        m_waitingFor = 0;
    } else {
        ok = m_manager->errorKind(op) == DeploymentManager::ErrorKind::None;
        error = m_manager->errorMessage(op);
    }
    endProgressLine();
    if (ok)
        return Cli::Ok;
    const int code = exitCodeFor(m_manager->errorKind(op));
    return fail(code == Cli::Ok ? Cli::Failed : code,
                error.isEmpty() ? QStringLiteral("the operation failed") : error);
}

int CliSession::print(const QJsonValue &result)
{
    if (!m_query) {
        writeOut(OutputFormatter::format(result, m_format));
        return Cli::Ok;
    }
    // The command has done its work; only the view of its result failed (as in az).
    const auto shown = m_query->evaluate(result);
    if (!shown.ok())
        return fail(Cli::Failed, QStringLiteral("--query: %1").arg(shown.error().message));
    writeOut(OutputFormatter::format(shown.value(), m_format));
    return Cli::Ok;
}

int CliSession::fail(int code, const QString &message)
{
    endProgressLine();
    writeErr(QStringLiteral("ERROR: ") + message + QLatin1Char('\n'));
    return code;
}

int CliSession::usageError(const QString &message)
{
    writeErr(QStringLiteral("ERROR: %1\nRun 'endpointctl %2 %3 --help' for the options.\n")
                 .arg(message, m_group, m_command));
    return Cli::Usage;
}

std::optional<int> CliSession::positiveInt(const QString &option, int fallback, int *exitCode)
{
    if (!m_args.isSet(option))
        return fallback;
    bool ok = false;
    const int value = m_args.value(option).toInt(&ok);
    if (!ok || value < 0) {
        *exitCode = usageError(QStringLiteral("argument --%1: invalid int value: '%2'")
                                   .arg(option, m_args.value(option)));
        return std::nullopt;
    }
    return value;
}

int CliSession::confirm(const QString &what)
{
    if (m_args.isSet(QStringLiteral("yes")))
        return Cli::Ok;
    if (!isatty(STDIN_FILENO))
        return usageError(
            QStringLiteral("Unable to prompt for confirmation as no tty available. Use --yes."));
    writeErr(what + QStringLiteral("\nAre you sure you want to perform this operation? (y/n): "));
    QTextStream in(stdin);
    const QString answer = in.readLine().trimmed().toLower();
    if (answer == u"y" || answer == u"yes")
        return Cli::Ok;
    return fail(Cli::Failed, QStringLiteral("Operation cancelled."));
}

int CliSession::runDetached(const QString &what)
{
    QStringList args = QCoreApplication::arguments();
    const QString program = args.takeFirst();
    args.removeAll(QStringLiteral("--no-wait"));
    const QString dir = m_manager->dataDir() + QStringLiteral("/cli");
    QDir().mkpath(dir);
    const QString log =
        QStringLiteral("%1/%2-%3-%4.log")
            .arg(dir, m_group, m_command,
                 QDateTime::currentDateTimeUtc().toString(QStringLiteral("yyyyMMdd-HHmmss-zzz")));
    QProcess process;
    process.setProgram(program);
    process.setArguments(args);
    process.setStandardInputFile(QProcess::nullDevice());
    process.setStandardOutputFile(log);
    process.setStandardErrorFile(log, QIODevice::Append);
    qint64 pid = 0;
    if (!process.startDetached(&pid))
        return fail(Cli::Failed, QStringLiteral("could not start %1 in the background: %2")
                                     .arg(what, process.errorString()));
    if (!m_args.isSet(QStringLiteral("only-show-errors")))
        writeErr(QStringLiteral("%1 continues in the background (pid %2); its output goes to "
                                "%3\n")
                     .arg(what)
                     .arg(pid)
                     .arg(log));
    return Cli::Ok;
}

int CliSession::endpointNotFound(const QString &endpoint)
{
    return fail(Cli::NotFound, QStringLiteral("Local endpoint (%1) does not exist.").arg(endpoint));
}

int CliSession::deploymentNotFound(const QString &endpoint, const QString &deployment)
{
    return fail(
        Cli::NotFound,
        QStringLiteral("Local deployment (%1 / %2) does not exist.").arg(endpoint, deployment));
}

bool CliSession::stderrIsTerminal()
{
    return isatty(STDERR_FILENO);
}

void CliSession::onProgress(quint64 op, const QString &endpoint, const QString &deployment,
                            const QString &phase, const QString &message, int percent)
{
    Q_UNUSED(op)
    if (phase == u"refresh" || m_args.isSet(QStringLiteral("only-show-errors")))
        return;
    QString where = endpoint;
    if (!deployment.isEmpty())
        where += QStringLiteral(" / ") + deployment;
    QString line = QStringLiteral("[%1] %2").arg(where, phase);
    if (percent >= 0)
        line += QStringLiteral(" %1%").arg(percent);
    if (!message.isEmpty())
        line += QStringLiteral(": ") + message.simplified();
    if (!stderrIsTerminal()) {
        writeErr(line + QLatin1Char('\n'));
        return;
    }
    // On a terminal one line per phase, rewritten in place as messages arrive.
    if (m_progressLineOpen && phase != m_lastPhase)
        writeErr(QStringLiteral("\n"));
    if (line.size() > 150)
        line = line.left(147) + QStringLiteral("...");
    writeErr(QStringLiteral("\r\x1b[K") + line);
    m_progressLineOpen = true;
    m_lastPhase = phase;
}

void CliSession::endProgressLine()
{
    if (m_progressLineOpen)
        writeErr(QStringLiteral("\n"));
    m_progressLineOpen = false;
    m_lastPhase.clear();
}
