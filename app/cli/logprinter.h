#pragma once

#include "app/cli/cliarguments.h"
#include "app/runtime/deploymentinfo.h"

#include <QString>

class CliSession;
class LogFileTail;

// `get-logs`: the last lines of a deployment's inference-server or storage-initializer output
// on stdout — `docker logs` on Docker, the log file on the process runtime — and with follow,
// new lines as they arrive until the command is interrupted.
class LogPrinter
{
public:
    // --lines, --container, --follow and --timestamps, as both `get-logs` commands take them.
    static QList<CliOption> options();
    // Validates --container / --lines / --follow of the session's arguments.
    static int run(CliSession &session, const DeploymentInfo &deployment);

    static int printDocker(CliSession &session, const DeploymentInfo &deployment,
                           const QString &role, int lines, bool follow, bool timestamps);
    static int printFile(CliSession &session, const DeploymentInfo &deployment, const QString &role,
                         int lines, bool follow);

private:
    static void followFile(LogFileTail &tail); // until the command is interrupted
};
