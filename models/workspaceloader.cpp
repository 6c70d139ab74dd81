#include "models/workspaceloader.h"

#include "models/workspace.h"

#include <QDir>
#include <QtConcurrent>

WorkspaceLoader::WorkspaceLoader(QObject *parent)
    : QObject(parent)
{
    connect(&m_watcher, &QFutureWatcher<WorkspaceSnapshot>::finished, this, [this] {
        if (!m_pending.isEmpty()) {
            const QString next = std::exchange(m_pending, QString());
            m_watcher.setFuture(QtConcurrent::run(&WorkspaceLoader::scan, next));
            return;
        }
        m_loading = false;
        emit loaded(m_watcher.result());
    });
}

WorkspaceLoader::~WorkspaceLoader()
{
    m_watcher.waitForFinished();
}

void WorkspaceLoader::load(const QString &folder)
{
    m_loading = true;
    if (m_watcher.isRunning()) {
        m_pending = folder;
        return;
    }
    m_watcher.setFuture(QtConcurrent::run(&WorkspaceLoader::scan, folder));
}

WorkspaceSnapshot WorkspaceLoader::scan(const QString &folder)
{
    WorkspaceSnapshot snapshot;
    snapshot.folder = QDir(folder).absolutePath();
    // The models' Workspace classifies and groups; the snapshot keeps what the tree shows.
    Workspace workspace(snapshot.folder);
    workspace.scan();
    snapshot.yamlFiles = workspace.files().keys();
    snapshot.looseFiles = workspace.looseYamlFiles();
    snapshot.validation = workspace.validationContext();
    for (const WorkspaceEndpoint &endpoint : workspace.endpoints()) {
        WorkspaceSnapshot::Endpoint entry;
        entry.name = endpoint.spec.name;
        if (entry.name.isEmpty() && !endpoint.deployments.isEmpty())
            entry.name = endpoint.deployments.constFirst().spec.endpointName;
        entry.filePath = endpoint.file;
        entry.traffic = endpoint.spec.traffic;
        for (const WorkspaceDeployment &deployment : endpoint.deployments)
            entry.deployments.append({deployment.spec.name, deployment.file});
        snapshot.endpoints << entry;
    }
    return snapshot;
}
