#include "app/cli/commands.h"

#include <QTextStream>

namespace Cli {

int runOnlineEndpoint(const QStringList &args)
{
    Q_UNUSED(args)
    QTextStream(stderr) << "endpointctl online-endpoint: not available in this build\n";
    return Usage;
}

int runOnlineDeployment(const QStringList &args)
{
    Q_UNUSED(args)
    QTextStream(stderr) << "endpointctl online-deployment: not available in this build\n";
    return Usage;
}

} // namespace Cli
