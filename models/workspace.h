#pragma once

#include "models/deploymentspec.h"
#include "models/endpointspec.h"
#include "models/speckind.h"
#include "models/validator.h"
#include "models/yamldocument.h"

#include <QDateTime>
#include <QHash>
#include <QList>
#include <QMap>
#include <QString>

// One YAML file of the workspace, parsed and classified.
struct WorkspaceFile
{
    QString path; // absolute
    SpecKind kind = SpecKind::NotAzureMl;
    YamlDocument document;
    QDateTime modified;
    qint64 size = 0;
};

struct WorkspaceDeployment
{
    QString file;
    DeploymentSpec spec;
};

struct WorkspaceEndpoint
{
    QString file; // empty when deployments name an endpoint no YAML defines
    EndpointSpec spec;
    QList<WorkspaceDeployment> deployments; // by endpoint_name, sorted by name
};

// A folder of endpoint and deployment YAML: scanned recursively (skipping .git, build and
// virtual-env folders, following no symlink loops), grouped by endpoint_name, rescanned
// one file at a time when a watcher reports a change. Not thread-safe; copy it to a worker.
class Workspace
{
public:
    explicit Workspace(const QString &rootPath = {});

    QString rootPath() const { return m_root; }
    void setRootPath(const QString &rootPath);

    void scan(); // full rescan
    // Re-reads one file (added, changed or deleted). Returns true when anything changed.
    bool rescanFile(const QString &path);

    const QMap<QString, WorkspaceFile> &files() const { return m_files; }
    const WorkspaceFile *file(const QString &path) const;
    // Endpoints sorted by name. Deployments whose endpoint_name matches no endpoint file are
    // grouped under an entry with an empty `file`.
    QList<WorkspaceEndpoint> endpoints() const;
    QStringList looseYamlFiles() const; // YAML that is not an Azure ML endpoint/deployment
    int scannedFileCount() const { return m_scannedFiles; }

    // Deployment files without endpoint_name, each with the endpoint it deploys under: the
    // endpoint YAML of its own folder when that folder has exactly one (Azure's samples keep
    // endpoint.yml next to blue-deployment.yml and pass --endpoint-name).
    QHash<QString, QString> endpointOfFiles() const;
    ValidationContext validationContext() const;
    Diagnostics validate(const QString &path, const Validator::Options &options = {}) const;
    // Every file, sorted by file then line. endpointName: --endpoint-name for every deployment.
    Diagnostics validateAll(const Validator::Options &options = {},
                            const QString &endpointName = {}) const;

    static bool isYamlFile(const QString &path);
    static bool isSkippedDirectory(const QString &name);

private:
    void scanDirectory(const QString &dir, QSet<QString> &visited, int depth);
    void readFile(const QString &path);

    QString m_root;
    QMap<QString, WorkspaceFile> m_files;
    int m_scannedFiles = 0;
};
