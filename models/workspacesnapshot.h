#pragma once

#include "models/validator.h"

#include <QList>
#include <QMap>
#include <QString>
#include <QStringList>

// What the workspace tree shows of a folder: endpoints with their deployments (grouped by
// endpoint_name) and the YAML files that are neither. Plain data so a scan can run on a worker
// thread and hand the result to the UI.
struct WorkspaceSnapshot
{
    struct Deployment
    {
        QString name;
        QString filePath;
    };
    struct Endpoint
    {
        QString name;
        QString filePath; // empty when deployments name an endpoint whose file is not here
        QMap<QString, int> traffic;
        QList<Deployment> deployments;
    };

    QString folder;
    QList<Endpoint> endpoints;
    QStringList looseFiles;
    QStringList yamlFiles; // every YAML file scanned, for validation
    // The cross-file facts the validator checks against (Workspace::validationContext).
    ValidationContext validation;
};
