#pragma once

#include <QByteArray>
#include <QString>
#include <QStringList>

// The studio's persisted preferences (QSettings under the application's organisation).
class StudioSettings
{
public:
    static constexpr int maxRecentFolders = 8;

    QString runtime() const; // "auto" | "docker" | "process"
    void setRuntime(const QString &runtime);
    QString containerCli() const; // program name or path, "docker" by default
    void setContainerCli(const QString &program);
    int defaultLogLines() const;
    void setDefaultLogLines(int lines);

    QStringList recentFolders() const;
    void addRecentFolder(const QString &folder);
    void clearRecentFolders();

    QByteArray windowGeometry() const;
    QByteArray windowState() const;
    void saveWindow(const QByteArray &geometry, const QByteArray &state);
};
