#include "ui/studiosettings.h"

#include <QDir>
#include <QSettings>

QString StudioSettings::runtime() const
{
    return QSettings().value(QStringLiteral("runtime/kind"), QStringLiteral("auto")).toString();
}

void StudioSettings::setRuntime(const QString &runtime)
{
    QSettings().setValue(QStringLiteral("runtime/kind"), runtime);
}

QString StudioSettings::containerCli() const
{
    return QSettings()
        .value(QStringLiteral("runtime/containerCli"), QStringLiteral("docker"))
        .toString();
}

void StudioSettings::setContainerCli(const QString &program)
{
    QSettings().setValue(QStringLiteral("runtime/containerCli"), program.trimmed().isEmpty()
                                                                     ? QStringLiteral("docker")
                                                                     : program.trimmed());
}

int StudioSettings::defaultLogLines() const
{
    return QSettings().value(QStringLiteral("logs/defaultLines"), 1000).toInt();
}

void StudioSettings::setDefaultLogLines(int lines)
{
    QSettings().setValue(QStringLiteral("logs/defaultLines"), lines);
}

QStringList StudioSettings::recentFolders() const
{
    return QSettings().value(QStringLiteral("recent/folders")).toStringList();
}

void StudioSettings::addRecentFolder(const QString &folder)
{
    QStringList folders = recentFolders();
    const QString absolute = QDir(folder).absolutePath();
    folders.removeAll(absolute);
    folders.prepend(absolute);
    while (folders.size() > maxRecentFolders)
        folders.removeLast();
    QSettings().setValue(QStringLiteral("recent/folders"), folders);
}

void StudioSettings::clearRecentFolders()
{
    QSettings().remove(QStringLiteral("recent/folders"));
}

QByteArray StudioSettings::windowGeometry() const
{
    return QSettings().value(QStringLiteral("window/geometry")).toByteArray();
}

QByteArray StudioSettings::windowState() const
{
    return QSettings().value(QStringLiteral("window/state")).toByteArray();
}

void StudioSettings::saveWindow(const QByteArray &geometry, const QByteArray &state)
{
    QSettings settings;
    settings.setValue(QStringLiteral("window/geometry"), geometry);
    settings.setValue(QStringLiteral("window/state"), state);
}
