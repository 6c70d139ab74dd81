#pragma once

#include "models/diagnostic.h"

#include <QMap>
#include <QString>
#include <QStringList>

class YamlDocument;

// An online endpoint as written in endpoint.yml (Azure's managed or Kubernetes schema).
// Defaults are Azure's.
struct EndpointSpec
{
    QString filePath; // absolute path of the YAML, empty when built in memory
    QString schema;   // $schema
    QString name;
    QString description;
    QMap<QString, QString> tags;
    QString authMode = QStringLiteral("key"); // normalised: key | aml_token | aad_token
    QString compute;                          // Kubernetes only, e.g. azureml:inferencecompute
    QString identityType;                     // system_assigned | user_assigned | none
    QStringList userAssignedIdentities;       // resource ids
    QMap<QString, int> traffic;               // deployment -> percent
    QMap<QString, int> mirrorTraffic;         // deployment -> percent (at most one)
    QString publicNetworkAccess = QStringLiteral("enabled");

    bool isKubernetes() const { return !compute.isEmpty(); }
    int trafficTotal() const;

    // Typed view of a parsed document. Values of the wrong type are left at their defaults
    // (the Validator reports them).
    static EndpointSpec fromDocument(const YamlDocument &document);
};

// Azure's accepted spellings of auth_mode (Key, AMLToken, aml_token…) in snake case.
QString normalizeAuthMode(const QString &value);
