#include "app/runtime/sourcecheck.h"

#include "app/runtime/datafolder.h"

#include <QDir>
#include <QDirIterator>
#include <QFileInfo>

namespace {

struct Place
{
    QString path;  // resolved
    QString shown; // as the message names it (~/.ssh)
};

QList<Place> places(const QString &dataDir, const QString &homeIn)
{
    const QString home = homeIn.isEmpty() ? QDir::homePath() : homeIn;
    QList<Place> list;
    for (const char *sub : {".ssh", ".azure", ".config"})
        list.append({DataFolder::resolved(home + u'/' + QLatin1String(sub)),
                     QStringLiteral("~/") + QLatin1String(sub)});
    list.append({QStringLiteral("/etc"), QStringLiteral("/etc")});
    list.append({QStringLiteral("/"), QStringLiteral("/")});
    list.append({DataFolder::resolved(dataDir),
                 QStringLiteral("the studio's data folder (%1)").arg(QDir::cleanPath(dataDir))});
    return list;
}

bool inside(const QString &path, const QString &root)
{
    return root == u"/" ? true : path == root || path.startsWith(root + u'/');
}

// Symbolic links under `root` whose targets resolve outside it (dangling ones are the storage
// initializer's to report).
void scanLinks(const QString &field, const QString &root, QList<SourceCheck::Concern> &out)
{
    if (!QFileInfo(root).isDir())
        return;
    const QString realRoot = DataFolder::resolved(root);
    QDirIterator it(root, QDir::AllEntries | QDir::Hidden | QDir::System | QDir::NoDotAndDotDot,
                    QDirIterator::Subdirectories);
    int seen = 0;
    while (it.hasNext() && seen < 200000) {
        ++seen;
        const QString entry = it.next();
        const QFileInfo info = it.fileInfo();
        if (!info.isSymLink())
            continue;
        const QString target = info.canonicalFilePath();
        if (target.isEmpty() || inside(target, realRoot))
            continue;
        out.append(
            {field, entry,
             QStringLiteral("a symbolic link leading out of the folder, to %1").arg(target)});
    }
}

} // namespace

QStringList SourceCheck::sensitivePlaces(const QString &dataDir, const QString &home)
{
    QStringList list;
    for (const Place &p : places(dataDir, home))
        list << p.path;
    return list;
}

QList<SourceCheck::Concern> SourceCheck::inspect(const DeploymentPlan &plan, const QString &dataDir,
                                                 const QString &home)
{
    const QList<Place> sensitive = places(dataDir, home);
    QList<Concern> concerns;
    const QList<QPair<QString, QString>> sources{
        {QStringLiteral("model.path"), plan.modelPath},
        {QStringLiteral("code_configuration.code"), plan.codePath},
        {QStringLiteral("environment.build.path"), plan.buildContext},
        {QStringLiteral("environment.conda_file"), plan.condaFile}};
    for (const auto &[field, path] : sources) {
        if (path.isEmpty())
            continue;
        const QString real = DataFolder::resolved(path);
        for (const Place &place : sensitive) {
            // "/" itself is sensitive only as a whole (everything is inside it).
            const bool in = place.path != u"/" && inside(real, place.path);
            const bool around =
                real != place.path && inside(place.path, real) && QFileInfo::exists(place.path);
            if (real == place.path || in) {
                concerns.append(
                    {field, path,
                     QStringLiteral("is %1 %2")
                         .arg(real == place.path ? QStringLiteral("") : QStringLiteral("inside"),
                              place.shown)
                         .simplified()});
                break;
            }
            if (around) {
                concerns.append(
                    {field, path, QStringLiteral("contains %1 (%2)").arg(place.shown, place.path)});
                break;
            }
        }
        if (field != u"environment.conda_file")
            scanLinks(field, path, concerns);
    }
    return concerns;
}

QString SourceCheck::message(const DeploymentPlan &plan, const QList<Concern> &concerns,
                             const QString &confirmHint)
{
    QStringList lines;
    const int shown = qMin<int>(int(concerns.size()), 12);
    for (int i = 0; i < shown; ++i) {
        const Concern &c = concerns[i];
        lines << QStringLiteral("  %1: %2 %3").arg(c.field, c.path, c.reason);
    }
    if (concerns.size() > shown)
        lines << QStringLiteral("  … and %1 more").arg(concerns.size() - shown);
    return QStringLiteral("deployment %1 / %2 would copy files from places that may hold secrets "
                          "into the deployment (a container or process that has network "
                          "access):\n%3\nCheck the paths in %4. %5")
        .arg(plan.endpoint, plan.deployment, lines.join(u'\n'),
             plan.sourceYaml.isEmpty() ? QStringLiteral("the YAML") : plan.sourceYaml, confirmHint);
}
