#pragma once

#include "models/provisioningstate.h"

#include <QDateTime>
#include <QJsonObject>
#include <QMap>
#include <QMetaType>
#include <QString>
#include <QStringList>

// One local endpoint: its metadata (from endpoint.yml or created implicitly by a deployment)
// and the deployments under it.
struct EndpointInfo
{
    QString name;
    QString authMode = QStringLiteral("key");
    QString description;
    QMap<QString, QString> tags;
    QMap<QString, int> traffic; // deployment -> percent, as set
    ProvisioningState state = ProvisioningState::Unknown;
    QString scoringUri;      // the deployment with the most traffic, or the only one
    QStringList deployments; // names, sorted
    QString sourceYaml;      // endpoint.yml when known
    bool implicit = false;   // created by a deployment without an endpoint.yml
    bool createdByAzureMl = false;
    QDateTime createdAt; // UTC

    // The shape of `az ml online-endpoint show --local`: auth_mode, location "local", name,
    // properties, provisioning_state, scoring_uri, tags, traffic.
    QJsonObject toJson() const;

    // The deployment `scoring_uri` points at: the one with the most traffic, or the only one.
    // Empty when neither exists (several deployments and no traffic).
    QString primaryDeployment() const;
};

Q_DECLARE_METATYPE(EndpointInfo)
