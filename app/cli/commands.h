#pragma once

#include <QStringList>

// endpointctl's command groups. Each takes the arguments after its own name and returns
// the process exit code.
namespace Cli {

enum ExitCode {
    Ok = 0,
    Failed = 1,
    Usage = 2,
    NotFound = 3,
    EngineUnreachable = 4,
};

int runValidate(const QStringList &args);
int runOnlineEndpoint(const QStringList &args);
int runOnlineDeployment(const QStringList &args);

} // namespace Cli
