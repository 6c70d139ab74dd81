#pragma once

#include <QByteArray>
#include <QString>

// The studio's data folder ($XDG_DATA_HOME/endpoint-studio) is private: the folders in it are
// 0700 and the records 0600, because records hold environment variables, keys and the run
// arguments of servers. Every name that becomes a path component under it (endpoint,
// deployment, model name and version) goes through component(), so no name can climb out.
class DataFolder
{
public:
    // `name` as one path component: letters, digits, '-', '_' and (not first) '.' stay; every
    // other byte of its UTF-8 is %XX. Never empty, never "." or "..", never contains '/'.
    // Names Azure accepts come out unchanged.
    static QString component(const QString &name);
    // The name a component() came from (a folder name read back from the data folder).
    static QString fromComponent(const QString &component);

    // <dataDir>/deployments/<endpoint>/<deployment>: records, logs, run files, staged app.
    static QString deploymentDir(const QString &dataDir, const QString &endpoint,
                                 const QString &deployment);
    // <dataDir>/endpoints/<endpoint>: the endpoint's record (and its gateway's files).
    static QString endpointDir(const QString &dataDir, const QString &endpoint);

    // Makes `dir` (and missing parents) with mode 0700, and sets 0700 on `dir` itself if it
    // existed. The error, or empty.
    static QString makePrivateDir(const QString &dir);
    // Writes `data` to `path` atomically (a temporary file renamed over it) with mode 0600;
    // missing folders are made 0700. The error (the path and the system's reason), or empty.
    static QString writePrivate(const QString &path, const QByteArray &data);
    // Sets mode 0600 on an existing file (a log a child process writes). The error, or empty.
    static QString makePrivateFile(const QString &path);

    // True when `path` (resolved through every symbolic link, or as far as it exists) is
    // `root` or inside it (`root` resolved the same way).
    static bool contains(const QString &root, const QString &path);
    // The path with every symbolic link resolved; a part that does not exist yet is appended
    // as written (cleaned).
    static QString resolved(const QString &path);
};
