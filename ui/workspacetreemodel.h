#pragma once

#include "models/provisioningstate.h"
#include "models/workspacesnapshot.h"

#include <QHash>
#include <QStandardItemModel>

// The workspace tree: endpoints → deployments (with their runtime state, traffic and deploy
// progress), loose YAML files, and a "Running elsewhere" node for deployments the runtime knows
// whose files are not in the open folder.
class WorkspaceTreeModel : public QStandardItemModel
{
    Q_OBJECT
public:
    enum Kind { EndpointItem, DeploymentItem, FileItem, GroupItem };
    enum Role {
        KindRole = Qt::UserRole + 1,
        FilePathRole,
        EndpointRole,
        DeploymentRole,
        StateRole,       // int(ProvisioningState); only meaningful when DeployedRole is true
        DeployedRole,    // the runtime knows this deployment
        TrafficRole,     // percent shown: the YAML's split, else the running endpoint's; -1: none
        YamlTrafficRole, // the endpoint YAML's percent for this deployment, -1 when it sets none
        ProgressRole,    // 0..100 while an operation runs, else -1
        ScoringUriRole,
        MessageRole,  // last progress message or failure reason
        RestartsRole, // restarts after failed liveness probes
        BuiltInRole,  // the studio's server stands in (the environment has no azmlinfsrv)
    };

    explicit WorkspaceTreeModel(QObject *parent = nullptr);

    void setSnapshot(const WorkspaceSnapshot &snapshot);
    const WorkspaceSnapshot &snapshot() const { return m_snapshot; }

    // Runtime facts about one deployment. sourcePath is the YAML it was deployed from (empty when
    // unknown); deployments not in the folder are listed under "Running elsewhere".
    struct RuntimeRow
    {
        QString endpoint;
        QString deployment;
        ProvisioningState state = ProvisioningState::Unknown;
        QString scoringUri;
        QString sourcePath;
        QString message;
        int traffic = -1; // the running endpoint's share for this deployment
        int restarts = 0;
        QString restartReason;
        bool builtInServer = false;
    };
    void setRuntimeRow(const RuntimeRow &row);
    void removeRuntimeRow(const QString &endpoint, const QString &deployment);
    void setProgress(const QString &endpoint, const QString &deployment, int percent,
                     const QString &message);

    QModelIndex deploymentIndex(const QString &endpoint, const QString &deployment) const;
    QModelIndex endpointIndex(const QString &endpoint) const;
    QModelIndex fileIndex(const QString &filePath) const;
    bool hasTransitionalRows() const;

signals:
    // The tree was rebuilt from scratch (new snapshot, or a deployment appeared elsewhere):
    // views restore expansion and selection.
    void rebuilt();

private:
    static QString key(const QString &endpoint, const QString &deployment);
    void rebuild();
    void applyRuntime(QStandardItem *item, const QString &key);
    QStandardItem *findDeploymentItem(const QString &endpoint, const QString &deployment) const;
    bool isInFolder(const RuntimeRow &row) const;

    WorkspaceSnapshot m_snapshot;
    QHash<QString, RuntimeRow> m_runtime;
    QHash<QString, std::pair<int, QString>> m_progress;
};
