#pragma once

#include <QStringList>

#include <functional>
#include <utility>
#include <vector>

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

// A group's sub-command, run with the arguments after its name.
using Subcommand = std::pair<const char *, std::function<int(const QStringList &)>>;
// Runs args[0] of `group` from the table. No command: usage on stderr, exit 2; -h/--help:
// usage on stdout, exit 0; an unknown one: an error listing the commands, exit 2.
int dispatch(const char *group, const QStringList &args, const std::vector<Subcommand> &table);

int runValidate(const QStringList &args);
int runOnlineEndpoint(const QStringList &args);
int runOnlineDeployment(const QStringList &args);

} // namespace Cli
