#include "ui/workspaceloader.h"

#ifdef STUDIO_HAVE_WORKSPACE
#include "models/workspace.h"
#endif

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QtConcurrent>

#include <yaml-cpp/yaml.h>

namespace {

QString scalar(const YAML::Node &node, const char *key)
{
    const YAML::Node value = node[key];
    if (!value || !value.IsScalar())
        return {};
    return QString::fromStdString(value.Scalar());
}

} // namespace

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
#ifdef STUDIO_HAVE_WORKSPACE
    // The models' Workspace classifies and groups; the snapshot keeps what the tree shows.
    Workspace workspace(snapshot.folder);
    workspace.scan();
    snapshot.yamlFiles = workspace.files().keys();
    snapshot.looseFiles = workspace.looseYamlFiles();
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
#endif
    QDirIterator it(snapshot.folder, {QStringLiteral("*.yml"), QStringLiteral("*.yaml")},
                    QDir::Files, QDirIterator::Subdirectories);
    QStringList files;
    while (it.hasNext()) {
        const QString path = it.next();
        // Hidden folders and build output are not part of the workspace.
        if (QDir(snapshot.folder).relativeFilePath(path).split(u'/').first().startsWith(u'.'))
            continue;
        files << path;
    }
    files.sort();
    snapshot.yamlFiles = files;

    QList<WorkspaceSnapshot::Deployment> deployments;
    QStringList deploymentEndpoints;
    for (const QString &path : std::as_const(files)) {
        QFile file(path);
        if (!file.open(QIODevice::ReadOnly)) {
            snapshot.looseFiles << path;
            continue;
        }
        YAML::Node root;
        try {
            root = YAML::Load(file.readAll().toStdString());
        } catch (const YAML::Exception &) {
            snapshot.looseFiles << path;
            continue;
        }
        if (!root.IsMap()) {
            snapshot.looseFiles << path;
            continue;
        }
        const QString schema = scalar(root, "$schema");
        const QString name = scalar(root, "name");
        const QString endpointName = scalar(root, "endpoint_name");
        if (!endpointName.isEmpty()) {
            deployments.append({name, path});
            deploymentEndpoints << endpointName;
        } else if (!name.isEmpty() &&
                   (schema.contains(QLatin1String("OnlineEndpoint"), Qt::CaseInsensitive) ||
                    root["auth_mode"] || root["traffic"])) {
            WorkspaceSnapshot::Endpoint endpoint{name, path, {}, {}};
            const YAML::Node traffic = root["traffic"];
            if (traffic && traffic.IsMap()) {
                for (const auto &entry : traffic) {
                    bool ok = false;
                    const int percent =
                        QString::fromStdString(entry.second.as<std::string>("")).toInt(&ok);
                    if (ok)
                        endpoint.traffic.insert(
                            QString::fromStdString(entry.first.as<std::string>("")), percent);
                }
            }
            snapshot.endpoints << endpoint;
        } else {
            snapshot.looseFiles << path;
        }
    }
    for (qsizetype i = 0; i < deployments.size(); ++i) {
        auto it = std::find_if(snapshot.endpoints.begin(), snapshot.endpoints.end(),
                               [&](const auto &e) { return e.name == deploymentEndpoints[i]; });
        if (it == snapshot.endpoints.end())
            it = snapshot.endpoints.insert(snapshot.endpoints.end(),
                                           {deploymentEndpoints[i], QString(), {}, {}});
        it->deployments << deployments[i];
    }
    return snapshot;
}
