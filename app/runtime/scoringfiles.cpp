#include "app/runtime/scoringfiles.h"

#include <QCryptographicHash>
#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QSaveFile>

#include <algorithm>

// The qrc lives in the static studio_core library: its initializer must be referenced.
static void initScoringResources()
{
    Q_INIT_RESOURCE(scoring);
}

Result<QString> ScoringFiles::ensureExtracted(const QString &dataDir)
{
    initScoringResources();
    QStringList files;
    QDirIterator it(QStringLiteral(":/scoring"), QDir::Files, QDirIterator::Subdirectories);
    while (it.hasNext())
        files << it.next();
    std::sort(files.begin(), files.end());
    if (!files.contains(QStringLiteral(":/scoring/scoring_server.py")))
        return Result<QString>::failure(
            QStringLiteral("the scoring server is missing from this build (:/scoring)"));
    QCryptographicHash hash(QCryptographicHash::Sha256);
    for (const QString &f : files) {
        QFile in(f);
        if (!in.open(QIODevice::ReadOnly))
            continue;
        hash.addData(f.toUtf8());
        hash.addData(in.readAll());
    }
    const QString target =
        dataDir + QStringLiteral("/scoring-") + QString::fromLatin1(hash.result().toHex().left(12));
    // Next to the folder, not in it: the folder is staged into every deployment as is.
    const QString marker = target + QStringLiteral(".complete");
    if (QFileInfo::exists(marker))
        return target;
    for (const QString &f : files) {
        const QString rel = f.mid(QStringLiteral(":/scoring/").size());
        const QString dest = target + u'/' + rel;
        if (!QDir().mkpath(QFileInfo(dest).absolutePath()))
            return Result<QString>::failure(
                QStringLiteral("cannot create %1; check that the data directory is writable")
                    .arg(QFileInfo(dest).absolutePath()));
        QFile in(f);
        QSaveFile out(dest);
        if (!in.open(QIODevice::ReadOnly) || !out.open(QIODevice::WriteOnly) ||
            out.write(in.readAll()) < 0 || !out.commit())
            return Result<QString>::failure(
                QStringLiteral("cannot write %1: %2").arg(dest, out.errorString()));
        // Readable by a container user that is not the owner.
        QFile::setPermissions(dest, QFile::ReadOwner | QFile::WriteOwner | QFile::ReadGroup |
                                        QFile::ReadOther);
    }
    QFile done(marker);
    if (!done.open(QIODevice::WriteOnly))
        return Result<QString>::failure(QStringLiteral("cannot write %1").arg(marker));
    return target;
}
