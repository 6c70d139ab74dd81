#include "app/cli/commands.h"

#include "app/cli/onlinedeploymentcommand.h"
#include "app/cli/onlineendpointcommand.h"

#include <QTextStream>

namespace Cli {

int dispatch(const char *group, const QStringList &args, const std::vector<Subcommand> &table)
{
    const QString command = args.value(0);
    QStringList names;
    for (const auto &[name, run] : table) {
        if (command == QLatin1StringView(name))
            return run(args.mid(1));
        names << QString::fromLatin1(name);
    }
    if (command.isEmpty() || command == u"-h" || command == u"--help") {
        QTextStream(command.isEmpty() ? stderr : stdout)
            << "usage: endpointctl " << group << ' ' << names.join(u'|') << " [options]\n"
            << "Run 'endpointctl " << group << " <command> --help' for a command's options.\n";
        return command.isEmpty() ? Usage : Ok;
    }
    QTextStream(stderr) << "ERROR: '" << group << ' ' << command
                        << "' is not a command. Commands: " << names.join(QStringLiteral(", "))
                        << ".\n";
    return Usage;
}

int runOnlineEndpoint(const QStringList &args)
{
    return OnlineEndpointCommand::run(args);
}

int runOnlineDeployment(const QStringList &args)
{
    return OnlineDeploymentCommand::run(args);
}

} // namespace Cli
