#include "app/cli/commands.h"
#include "models/version.h"

#include <QCoreApplication>
#include <QTextStream>

namespace {

const char *const usageText = R"(usage: endpointctl <command> [options]

Build, deploy and test Azure ML online endpoints on this machine. The commands of
`az ml online-endpoint ... --local` and `az ml online-deployment ... --local` work with
`endpointctl` in place of `az ml`.

commands:
  validate PATH...           check endpoint and deployment YAML files or folders
  online-endpoint  create|show|list|update|delete|invoke|get-logs|get-credentials
  online-deployment create|update|show|list|get-logs|delete

options:
  -h, --help                 show this help (also after a command)
  --version                  print the version

exit codes: 0 ok, 1 operation failed, 2 usage, 3 not found, 4 container engine unreachable
)";

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("endpoint-studio"));
    QCoreApplication::setApplicationVersion(StudioVersion::version());

    QStringList args = QCoreApplication::arguments().mid(1);
    QTextStream out(stdout);
    if (args.isEmpty()) {
        QTextStream(stderr) << usageText;
        return Cli::Usage;
    }
    const QString command = args.takeFirst();
    if (command == u"-h" || command == u"--help" || command == u"help") {
        out << usageText;
        return Cli::Ok;
    }
    if (command == u"--version" || command == u"version") {
        out << "endpointctl " << StudioVersion::version() << '\n';
        return Cli::Ok;
    }
    if (command == u"validate")
        return Cli::runValidate(args);
    if (command == u"online-endpoint")
        return Cli::runOnlineEndpoint(args);
    if (command == u"online-deployment")
        return Cli::runOnlineDeployment(args);

    QTextStream(stderr) << "endpointctl: unknown command '" << command
                        << "'. Run 'endpointctl --help' for the list.\n";
    return Cli::Usage;
}
