#include "app/cli/commands.h"

#include "app/cli/onlinedeploymentcommand.h"
#include "app/cli/onlineendpointcommand.h"

namespace Cli {

int runOnlineEndpoint(const QStringList &args)
{
    return OnlineEndpointCommand::run(args);
}

int runOnlineDeployment(const QStringList &args)
{
    return OnlineDeploymentCommand::run(args);
}

} // namespace Cli
