#pragma once

#include "app/runtime/deploymentinfo.h"
#include "app/runtime/endpointinfo.h"

#include <QList>
#include <QString>

// The studio's records under the data directory, written atomically (mode 0600, folders 0700;
// names as DataFolder::component() encodes them):
//   endpoints/<endpoint>/endpoint.json               endpoint metadata (traffic, YAML, …)
//   deployments/<endpoint>/<deployment>/deployment.json   last known state of a deployment
// Together with container labels (or pid files) they rebuild the state on every start.
class DeploymentStore
{
public:
    explicit DeploymentStore(const QString &dataDir);

    QString dataDir() const { return m_dataDir; }
    QString deploymentDir(const QString &endpoint, const QString &deployment) const;
    QString endpointDir(const QString &endpoint) const;

    bool saveDeployment(const DeploymentInfo &info, QString *error = nullptr) const;
    QList<DeploymentInfo> loadDeployments() const;
    // Removes the deployment's folder (record, logs, staged files).
    void removeDeployment(const QString &endpoint, const QString &deployment) const;

    bool saveEndpoint(const EndpointInfo &info, QString *error = nullptr) const;
    QList<EndpointInfo> loadEndpoints() const;
    void removeEndpoint(const QString &endpoint) const;

    static QJsonObject toRecord(const DeploymentInfo &info);
    static DeploymentInfo deploymentFromRecord(const QJsonObject &record);
    static QJsonObject toRecord(const EndpointInfo &info);
    static EndpointInfo endpointFromRecord(const QJsonObject &record);

private:
    QString m_dataDir;
};
