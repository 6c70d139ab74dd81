#include "app/version.h"
#include "ui/mainwindow.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QDir>

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("endpoint-studio"));
    QApplication::setOrganizationName(QStringLiteral("endpoint-studio"));
    QApplication::setApplicationDisplayName(StudioVersion::applicationName());
    QApplication::setApplicationVersion(StudioVersion::version());

    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Build, deploy and test machine-learning online endpoints locally."));
    parser.addHelpOption();
    parser.addVersionOption();
    parser.addPositionalArgument(QStringLiteral("folder"),
                                 QStringLiteral("Workspace folder to open."),
                                 QStringLiteral("[folder]"));
    parser.process(app);

    MainWindow window;
    if (!parser.positionalArguments().isEmpty())
        window.openFolder(parser.positionalArguments().constFirst());
    window.show();
    return QApplication::exec();
}
