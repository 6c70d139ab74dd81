#include "models/workspace.h"

#include <QDir>
#include <QFileInfo>
#include <QSet>

#include <algorithm>

namespace {
constexpr int MaxScanDepth = 32;
}

Workspace::Workspace(const QString &rootPath)
{
    setRootPath(rootPath);
}

void Workspace::setRootPath(const QString &rootPath)
{
    m_root = rootPath.isEmpty() ? QString() : QFileInfo(rootPath).absoluteFilePath();
    m_files.clear();
}

bool Workspace::isYamlFile(const QString &path)
{
    return path.endsWith(QLatin1String(".yml"), Qt::CaseInsensitive) ||
           path.endsWith(QLatin1String(".yaml"), Qt::CaseInsensitive);
}

bool Workspace::isSkippedDirectory(const QString &name)
{
    static const QStringList skipped = {QStringLiteral("node_modules"),
                                        QStringLiteral("__pycache__"), QStringLiteral("venv"),
                                        QStringLiteral("CMakeFiles"), QStringLiteral("build")};
    return name.startsWith(u'.') || name.startsWith(QLatin1String("build-")) ||
           skipped.contains(name);
}

void Workspace::scan()
{
    m_files.clear();
    m_scannedFiles = 0;
    if (m_root.isEmpty())
        return;
    QSet<QString> visited;
    if (QFileInfo(m_root).isFile()) {
        readFile(m_root);
        return;
    }
    scanDirectory(m_root, visited, 0);
}

void Workspace::scanDirectory(const QString &dir, QSet<QString> &visited, int depth)
{
    // Canonical paths stop symlink loops; the depth cap stops pathological trees.
    const QString canonical = QFileInfo(dir).canonicalFilePath();
    if (canonical.isEmpty() || visited.contains(canonical) || depth > MaxScanDepth)
        return;
    visited.insert(canonical);
    const QFileInfoList entries = QDir(dir).entryInfoList(
        QDir::Files | QDir::Dirs | QDir::NoDotAndDotDot | QDir::Hidden, QDir::Name);
    for (const QFileInfo &entry : entries) {
        if (entry.isDir()) {
            if (!isSkippedDirectory(entry.fileName()))
                scanDirectory(entry.absoluteFilePath(), visited, depth + 1);
            continue;
        }
        ++m_scannedFiles;
        if (isYamlFile(entry.fileName()))
            readFile(entry.absoluteFilePath());
    }
}

void Workspace::readFile(const QString &path)
{
    WorkspaceFile f;
    const QFileInfo info(path);
    f.path = info.absoluteFilePath();
    f.modified = info.lastModified();
    f.size = info.size();
    f.document = YamlDocument::load(f.path);
    f.kind = detectSpecKind(f.document);
    m_files.insert(f.path, f);
}

bool Workspace::rescanFile(const QString &path)
{
    const QFileInfo info(path);
    const QString absolute = info.absoluteFilePath();
    const auto it = m_files.constFind(absolute);
    if (!info.exists()) {
        return m_files.remove(absolute) > 0;
    }
    if (!isYamlFile(absolute) || !info.isFile())
        return false;
    if (it != m_files.constEnd() && it->modified == info.lastModified() && it->size == info.size())
        return false;
    const QByteArray before = it != m_files.constEnd() ? it->document.text() : QByteArray();
    readFile(absolute);
    return it == m_files.constEnd() || m_files.value(absolute).document.text() != before;
}

const WorkspaceFile *Workspace::file(const QString &path) const
{
    const auto it = m_files.constFind(QFileInfo(path).absoluteFilePath());
    return it == m_files.constEnd() ? nullptr : &*it;
}

QHash<QString, QString> Workspace::endpointOfFiles() const
{
    QHash<QString, QStringList> endpointsByFolder;
    for (const WorkspaceFile &f : m_files) {
        if (f.kind != SpecKind::Endpoint)
            continue;
        const QString name = f.document.value(QStringLiteral("name"));
        if (!name.isEmpty())
            endpointsByFolder[QFileInfo(f.path).absolutePath()].append(name);
    }
    QHash<QString, QString> out;
    for (const WorkspaceFile &f : m_files) {
        if (!isDeployment(f.kind) || f.document.root().child(QStringLiteral("endpoint_name")))
            continue;
        const QStringList names = endpointsByFolder.value(QFileInfo(f.path).absolutePath());
        if (names.size() == 1)
            out.insert(f.path, names.first());
    }
    return out;
}

QList<WorkspaceEndpoint> Workspace::endpoints() const
{
    const QHash<QString, QString> endpointOf = endpointOfFiles();
    QMap<QString, WorkspaceEndpoint> byName;
    for (const WorkspaceFile &f : m_files) {
        if (f.kind != SpecKind::Endpoint)
            continue;
        EndpointSpec spec = EndpointSpec::fromDocument(f.document);
        WorkspaceEndpoint &e = byName[spec.name];
        if (e.file.isEmpty()) {
            e.file = f.path;
            e.spec = spec;
        }
    }
    for (const WorkspaceFile &f : m_files) {
        if (!isDeployment(f.kind))
            continue;
        DeploymentSpec spec = DeploymentSpec::fromDocument(f.document);
        if (spec.endpointName.isEmpty())
            spec.endpointName = endpointOf.value(f.path);
        WorkspaceEndpoint &e = byName[spec.endpointName];
        if (e.file.isEmpty() && e.spec.name.isEmpty())
            e.spec.name = spec.endpointName;
        e.deployments.append({f.path, spec});
    }
    QList<WorkspaceEndpoint> out = byName.values();
    for (WorkspaceEndpoint &e : out)
        std::sort(e.deployments.begin(), e.deployments.end(),
                  [](const WorkspaceDeployment &a, const WorkspaceDeployment &b) {
                      return a.spec.name < b.spec.name;
                  });
    return out;
}

QStringList Workspace::looseYamlFiles() const
{
    QStringList out;
    for (const WorkspaceFile &f : m_files) {
        if (f.kind == SpecKind::NotAzureMl)
            out.append(f.path);
    }
    return out;
}

ValidationContext Workspace::validationContext() const
{
    ValidationContext context;
    context.hasWorkspace = true;
    context.endpointOfFile = endpointOfFiles();
    for (const WorkspaceFile &f : m_files) {
        const YamlNode *name = f.document.root().child(QStringLiteral("name"));
        if (!name || !name->isScalar())
            continue;
        if (f.kind == SpecKind::Endpoint) {
            context.endpointNames.insert(name->scalar);
        } else if (isDeployment(f.kind)) {
            const QString endpoint = f.document.value(QStringLiteral("endpoint_name"),
                                                      context.endpointOfFile.value(f.path));
            context.deploymentsByEndpoint[endpoint].insert(name->scalar);
        }
    }
    return context;
}

Diagnostics Workspace::validate(const QString &path, const Validator::Options &options) const
{
    const WorkspaceFile *f = file(path);
    if (!f)
        return {};
    return Validator::validate(f->document, validationContext(), options);
}

Diagnostics Workspace::validateAll(const Validator::Options &options,
                                   const QString &endpointName) const
{
    ValidationContext context = validationContext();
    context.endpointName = endpointName;
    if (options.checkFiles && options.checkScoringScript) {
        QStringList scripts;
        for (const WorkspaceFile &f : m_files) {
            if (!isDeployment(f.kind))
                continue;
            const DeploymentSpec spec = DeploymentSpec::fromDocument(f.document);
            if (spec.codeConfiguration && !spec.codeConfiguration->code.isEmpty() &&
                !spec.codeConfiguration->scoringScript.isEmpty())
                scripts.append(QDir::cleanPath(spec.resolvePath(spec.codeConfiguration->code) +
                                               u'/' + spec.codeConfiguration->scoringScript));
        }
        Validator::prefetchScoringScripts(scripts, options.python);
    }
    Diagnostics out;
    for (const WorkspaceFile &f : m_files)
        out += Validator::validate(f.document, context, options);
    return out;
}
