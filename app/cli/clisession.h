#pragma once

#include "app/cli/cliarguments.h"
#include "app/cli/jsonquery.h"
#include "app/cli/outputformatter.h"
#include "app/runtime/deploymentmanager.h"

#include <QJsonValue>
#include <QObject>
#include <QString>

#include <optional>

// What every az-style command shares: the common options (--local, -o, --query, --runtime,
// -g/-w …), the DeploymentManager driven in this process's event loop, progress lines on
// stderr, results on stdout, and the mapping of failures to exit codes.
class CliSession : public QObject
{
    Q_OBJECT
public:
    // group "online-endpoint", command "create"; synopsis like "-n NAME [-f FILE]".
    CliSession(const QString &group, const QString &command, const QString &summary);
    ~CliSession() override;

    static QList<CliOption> commonOptions();

    // Parses args against `options` + the common options. Returns an exit code to stop with
    // (help printed: 0; usage error printed: 2), or std::nullopt to go on.
    std::optional<int> parse(const QStringList &args, const QList<CliOption> &options);
    const CliArguments &args() const { return m_args; }
    QStringList rawArgs() const { return m_rawArgs; }

    // Creates the manager and rebuilds the local state. Exit code on failure (4 when the
    // engine the user asked for is unreachable), std::nullopt when ready.
    std::optional<int> start();
    DeploymentManager &manager() { return *m_manager; }

    // Runs the event loop until `op` finishes, printing its progress. 0 or the exit code for
    // the failure (the error already printed).
    int wait(DeploymentManager::OperationId op);

    // --query and -o applied to a result, written to stdout: 0, or 1 when the query fails on
    // it (an argument of the wrong type for a function; the error printed).
    int print(const QJsonValue &result);
    // "ERROR: message" on stderr; returns code.
    int fail(int code, const QString &message);
    int usageError(const QString &message);

    // The option's value as a positive integer, or a usage error.
    std::optional<int> positiveInt(const QString &option, int fallback, int *exitCode);

    // Asks "Are you sure …? (y/n)" unless --yes. 0 to go on, else the exit code.
    int confirm(const QString &what);
    // --no-wait: the same command without --no-wait, detached, its output in a log file.
    int runDetached(const QString &what);

    // An Azure-style not-found message, exit code 3.
    int endpointNotFound(const QString &endpoint);
    int deploymentNotFound(const QString &endpoint, const QString &deployment);

    static bool stderrIsTerminal();

private:
    void onProgress(quint64 op, const QString &endpoint, const QString &deployment,
                    const QString &phase, const QString &message, int percent);
    void endProgressLine();
    QString usageText(const QList<CliOption> &options) const;

    QString m_group;
    QString m_command;
    QString m_summary;
    QStringList m_rawArgs;
    CliArguments m_args;
    OutputFormatter::Format m_format = OutputFormatter::Format::Json;
    std::optional<JsonQuery> m_query;
    DeploymentManager::RuntimeChoice m_runtime = DeploymentManager::RuntimeChoice::Automatic;
    DeploymentManager *m_manager = nullptr;
    quint64 m_waitingFor = 0;
    bool m_progressLineOpen = false;
    QString m_lastPhase;
};
