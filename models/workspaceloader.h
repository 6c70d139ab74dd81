#pragma once

#include "models/workspacesnapshot.h"

#include <QFutureWatcher>
#include <QObject>

// Scans a folder on a worker thread; a newer request supersedes a running one.
class WorkspaceLoader : public QObject
{
    Q_OBJECT
public:
    explicit WorkspaceLoader(QObject *parent = nullptr);
    ~WorkspaceLoader() override;

    void load(const QString &folder);
    bool isLoading() const { return m_loading; }

    // The scan itself: blocking, thread-safe.
    static WorkspaceSnapshot scan(const QString &folder);

signals:
    void loaded(const WorkspaceSnapshot &snapshot);

private:
    QFutureWatcher<WorkspaceSnapshot> m_watcher;
    QString m_pending;
    bool m_loading = false; // until `loaded` was delivered, not just until the scan ended
};
