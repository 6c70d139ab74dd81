#include "app/cli/commands.h"

#include <QTextStream>

namespace Cli {

int runValidate(const QStringList &args)
{
    Q_UNUSED(args)
    QTextStream(stderr) << "endpointctl validate: not available in this build\n";
    return Usage;
}

} // namespace Cli
