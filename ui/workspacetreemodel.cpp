#include "ui/workspacetreemodel.h"

#include <QDir>
#include <QFileInfo>

WorkspaceTreeModel::WorkspaceTreeModel(QObject *parent)
    : QStandardItemModel(parent)
{
    setColumnCount(1);
}

QString WorkspaceTreeModel::key(const QString &endpoint, const QString &deployment)
{
    return endpoint + u'/' + deployment;
}

void WorkspaceTreeModel::setSnapshot(const WorkspaceSnapshot &snapshot)
{
    m_snapshot = snapshot;
    rebuild();
}

bool WorkspaceTreeModel::isInFolder(const RuntimeRow &row) const
{
    for (const auto &endpoint : m_snapshot.endpoints) {
        if (endpoint.name != row.endpoint)
            continue;
        for (const auto &deployment : endpoint.deployments) {
            if (deployment.name == row.deployment)
                return true;
        }
    }
    return false;
}

void WorkspaceTreeModel::rebuild()
{
    clear();
    setColumnCount(1);
    QStandardItem *root = invisibleRootItem();
    const QDir folder(m_snapshot.folder);

    for (const auto &endpoint : m_snapshot.endpoints) {
        auto *endpointItem = new QStandardItem(endpoint.name);
        endpointItem->setEditable(false);
        endpointItem->setData(EndpointItem, KindRole);
        endpointItem->setData(endpoint.filePath, FilePathRole);
        endpointItem->setData(endpoint.name, EndpointRole);
        endpointItem->setData(-1, TrafficRole);
        endpointItem->setData(-1, ProgressRole);
        endpointItem->setToolTip(
            endpoint.filePath.isEmpty()
                ? tr("No endpoint YAML for '%1' in this folder").arg(endpoint.name)
                : QDir::toNativeSeparators(endpoint.filePath));
        for (const auto &deployment : endpoint.deployments) {
            auto *item = new QStandardItem(deployment.name);
            item->setEditable(false);
            item->setData(DeploymentItem, KindRole);
            item->setData(deployment.filePath, FilePathRole);
            item->setData(endpoint.name, EndpointRole);
            item->setData(deployment.name, DeploymentRole);
            item->setData(endpoint.traffic.value(deployment.name, -1), YamlTrafficRole);
            applyRuntime(item, key(endpoint.name, deployment.name));
            endpointItem->appendRow(item);
        }
        root->appendRow(endpointItem);
    }

    if (!m_snapshot.looseFiles.isEmpty()) {
        auto *group = new QStandardItem(tr("Other YAML files"));
        group->setEditable(false);
        group->setData(GroupItem, KindRole);
        group->setData(-1, TrafficRole);
        group->setData(-1, ProgressRole);
        for (const QString &path : m_snapshot.looseFiles) {
            auto *item = new QStandardItem(folder.relativeFilePath(path));
            item->setEditable(false);
            item->setData(FileItem, KindRole);
            item->setData(path, FilePathRole);
            item->setData(-1, TrafficRole);
            item->setData(-1, ProgressRole);
            item->setToolTip(QDir::toNativeSeparators(path));
            group->appendRow(item);
        }
        root->appendRow(group);
    }

    QList<RuntimeRow> elsewhere;
    for (const RuntimeRow &row : std::as_const(m_runtime)) {
        if (!isInFolder(row))
            elsewhere << row;
    }
    if (!elsewhere.isEmpty()) {
        std::sort(elsewhere.begin(), elsewhere.end(), [](const auto &a, const auto &b) {
            return key(a.endpoint, a.deployment) < key(b.endpoint, b.deployment);
        });
        auto *group = new QStandardItem(tr("Running elsewhere"));
        group->setEditable(false);
        group->setData(GroupItem, KindRole);
        group->setData(-1, TrafficRole);
        group->setData(-1, ProgressRole);
        group->setToolTip(tr("Deployments the runtime knows whose files are not in this folder"));
        for (const RuntimeRow &row : std::as_const(elsewhere)) {
            auto *item = new QStandardItem(row.endpoint + QStringLiteral(" / ") + row.deployment);
            item->setEditable(false);
            item->setData(DeploymentItem, KindRole);
            item->setData(row.sourcePath, FilePathRole);
            item->setData(row.endpoint, EndpointRole);
            item->setData(row.deployment, DeploymentRole);
            item->setData(-1, YamlTrafficRole);
            applyRuntime(item, key(row.endpoint, row.deployment));
            group->appendRow(item);
        }
        root->appendRow(group);
    }
    emit rebuilt();
}

void WorkspaceTreeModel::applyRuntime(QStandardItem *item, const QString &rowKey)
{
    const auto runtime = m_runtime.constFind(rowKey);
    const bool deployed = runtime != m_runtime.cend();
    item->setData(deployed, DeployedRole);
    const ProvisioningState state = deployed ? runtime->state : ProvisioningState::Unknown;
    item->setData(int(state), StateRole);
    item->setData(deployed ? runtime->scoringUri : QString(), ScoringUriRole);
    // The split the YAML asks for (what the sliders edit); without one, what the running
    // endpoint routes (a single deployment gets 100%, as in Azure).
    const QVariant yamlTraffic = item->data(YamlTrafficRole);
    const int wanted = yamlTraffic.isValid() ? yamlTraffic.toInt() : -1;
    item->setData(wanted >= 0 ? wanted : deployed ? runtime->traffic : -1, TrafficRole);
    const auto progress = m_progress.constFind(rowKey);
    item->setData(progress != m_progress.cend() ? progress->first : -1, ProgressRole);
    item->setData(progress != m_progress.cend() ? progress->second
                  : deployed                    ? runtime->message
                                                : QString(),
                  MessageRole);
    item->setData(deployed ? runtime->restarts : 0, RestartsRole);
    item->setData(deployed && runtime->builtInServer, BuiltInRole);
    QStringList tip;
    const QString path = item->data(FilePathRole).toString();
    if (!path.isEmpty())
        tip << QDir::toNativeSeparators(path);
    tip << (deployed ? provisioningStateName(state) : tr("Not deployed"));
    if (deployed && !runtime->scoringUri.isEmpty())
        tip << runtime->scoringUri;
    if (deployed && !runtime->message.isEmpty())
        tip << runtime->message;
    if (deployed && runtime->builtInServer)
        tip << tr("server: built-in — azureml-inference-server-http is not in the environment");
    if (deployed && runtime->restarts > 0)
        tip << tr("restarted %n time(s); last: %1", nullptr, runtime->restarts)
                   .arg(runtime->restartReason);
    item->setToolTip(tip.join(u'\n'));
}

QStandardItem *WorkspaceTreeModel::findDeploymentItem(const QString &endpoint,
                                                      const QString &deployment) const
{
    const QModelIndex index = deploymentIndex(endpoint, deployment);
    return index.isValid() ? itemFromIndex(index) : nullptr;
}

void WorkspaceTreeModel::setRuntimeRow(const RuntimeRow &row)
{
    const QString rowKey = key(row.endpoint, row.deployment);
    const bool known = m_runtime.contains(rowKey);
    m_runtime.insert(rowKey, row);
    QStandardItem *item = findDeploymentItem(row.endpoint, row.deployment);
    if (!item || (!known && !isInFolder(row))) {
        rebuild();
        return;
    }
    applyRuntime(item, rowKey);
}

void WorkspaceTreeModel::removeRuntimeRow(const QString &endpoint, const QString &deployment)
{
    const QString rowKey = key(endpoint, deployment);
    if (!m_runtime.remove(rowKey))
        return;
    m_progress.remove(rowKey);
    rebuild();
}

void WorkspaceTreeModel::setProgress(const QString &endpoint, const QString &deployment,
                                     int percent, const QString &message)
{
    const QString rowKey = key(endpoint, deployment);
    if (percent < 0)
        m_progress.remove(rowKey);
    else
        m_progress.insert(rowKey, {percent, message});
    if (QStandardItem *item = findDeploymentItem(endpoint, deployment))
        applyRuntime(item, rowKey);
}

QModelIndex WorkspaceTreeModel::endpointIndex(const QString &endpoint) const
{
    for (int row = 0; row < rowCount(); ++row) {
        const QModelIndex index = this->index(row, 0);
        if (index.data(KindRole).toInt() == EndpointItem && index.data(EndpointRole) == endpoint)
            return index;
    }
    return {};
}

QModelIndex WorkspaceTreeModel::deploymentIndex(const QString &endpoint,
                                                const QString &deployment) const
{
    for (int row = 0; row < rowCount(); ++row) {
        const QModelIndex parent = index(row, 0);
        for (int child = 0; child < rowCount(parent); ++child) {
            const QModelIndex index = this->index(child, 0, parent);
            if (index.data(KindRole).toInt() == DeploymentItem &&
                index.data(EndpointRole) == endpoint && index.data(DeploymentRole) == deployment)
                return index;
        }
    }
    return {};
}

QModelIndex WorkspaceTreeModel::fileIndex(const QString &filePath) const
{
    const QString wanted = QFileInfo(filePath).absoluteFilePath();
    const QModelIndexList hits =
        match(index(0, 0), FilePathRole, wanted, 1, Qt::MatchExactly | Qt::MatchRecursive);
    return hits.isEmpty() ? QModelIndex() : hits.constFirst();
}

bool WorkspaceTreeModel::hasTransitionalRows() const
{
    for (const RuntimeRow &row : m_runtime) {
        if (isTransitional(row.state))
            return true;
    }
    return !m_progress.isEmpty();
}
