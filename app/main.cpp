#include "models/version.h"
#include "ui/mainwindow.h"
#include "ui/studiosettings.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QDir>
#include <QElapsedTimer>
#include <QTimer>

#include <cstdio>

int main(int argc, char *argv[])
{
    QElapsedTimer sinceStart;
    sinceStart.start();
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
                                 QStringLiteral("Workspace folder to open (default: the last "
                                                "one)."),
                                 QStringLiteral("[folder]"));
    const QCommandLineOption timing(QStringLiteral("startup-timing"),
                                    QStringLiteral("Print 'first-window-ms <n>' once the window "
                                                   "is shown (for the benchmark)."));
    const QCommandLineOption quitAfter(QStringLiteral("quit-after"),
                                       QStringLiteral("Quit this many ms after the window is "
                                                      "shown."),
                                       QStringLiteral("ms"));
    parser.addOption(timing);
    parser.addOption(quitAfter);
    parser.process(app);

    MainWindow window;
    QString folder = parser.positionalArguments().value(0);
    if (folder.isEmpty()) {
        const QStringList recent = StudioSettings().recentFolders();
        if (!recent.isEmpty() && QDir(recent.constFirst()).exists())
            folder = recent.constFirst();
    }
    if (!folder.isEmpty())
        window.openFolder(folder);
    window.show();
    if (parser.isSet(timing)) {
        // Posted behind the first expose and paint of the window.
        QTimer::singleShot(0, &window, [&sinceStart] {
            std::printf("first-window-ms %lld\n", static_cast<long long>(sinceStart.elapsed()));
            std::fflush(stdout);
        });
    }
    if (parser.isSet(quitAfter))
        QTimer::singleShot(parser.value(quitAfter).toInt(), &app, &QApplication::quit);
    return QApplication::exec();
}
