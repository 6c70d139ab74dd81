#include "app/invoke/loadrunhistory.h"

#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QSaveFile>
#include <QStandardPaths>

namespace {

QString safeName(const QString &name)
{
    QString out;
    for (QChar c : name)
        out += (c.isLetterOrNumber() || c == u'-' || c == u'_' || c == u'.') ? c : QChar(u'_');
    if (out.isEmpty() || out.startsWith(u'.'))
        out.prepend(u'_');
    return out;
}

Result<QString> writeFile(const QString &path, const QByteArray &bytes)
{
    QSaveFile f(path);
    if (!f.open(QIODevice::WriteOnly))
        return Result<QString>::failure(QStringLiteral("Cannot write %1: %2")
                                            .arg(QDir::toNativeSeparators(path), f.errorString()));
    f.write(bytes);
    if (!f.commit())
        return Result<QString>::failure(QStringLiteral("Cannot write %1: %2")
                                            .arg(QDir::toNativeSeparators(path), f.errorString()));
    return path;
}

} // namespace

LoadRunHistory::LoadRunHistory(QString endpoint, QString rootDir)
    : m_endpoint(std::move(endpoint))
    , m_root(std::move(rootDir))
{
    reload();
}

QString LoadRunHistory::defaultRoot()
{
    return QStandardPaths::writableLocation(QStandardPaths::GenericDataLocation) +
           u"/endpoint-studio/load-runs";
}

QString LoadRunHistory::directory() const
{
    return m_root + u'/' + safeName(m_endpoint);
}

QString LoadRunHistory::filePath(const QString &id) const
{
    return directory() + u'/' + safeName(id) + u".json";
}

void LoadRunHistory::reload()
{
    m_runs.clear();
    const QDir dir(directory());
    const QStringList files =
        dir.entryList({QStringLiteral("*.json")}, QDir::Files, QDir::Name | QDir::Reversed);
    for (const QString &name : files) {
        QFile f(dir.filePath(name));
        if (!f.open(QIODevice::ReadOnly))
            continue;
        const QJsonDocument doc = QJsonDocument::fromJson(f.readAll());
        if (!doc.isObject())
            continue; // a half-written or foreign file is not a run
        LoadReport r = LoadReport::fromJson(doc.object());
        r.id = name.chopped(5);
        m_runs.append(std::move(r));
    }
}

std::optional<LoadReport> LoadRunHistory::run(const QString &id) const
{
    for (const LoadReport &r : m_runs) {
        if (r.id == id)
            return r;
    }
    return std::nullopt;
}

Result<QString> LoadRunHistory::add(const LoadReport &report)
{
    if (report.id.isEmpty())
        return Result<QString>::failure(QStringLiteral("a run without an id is not kept"));
    if (!QDir().mkpath(directory()))
        return Result<QString>::failure(QStringLiteral("Cannot create ") + directory());
    const QString path = filePath(report.id);
    auto written = writeFile(path, QJsonDocument(report.toJson()).toJson(QJsonDocument::Compact));
    if (!written.ok())
        return written;
    LoadReport kept = report;
    kept.endpoint = kept.endpoint.isEmpty() ? m_endpoint : kept.endpoint;
    m_runs.prepend(std::move(kept));
    std::sort(m_runs.begin(), m_runs.end(),
              [](const LoadReport &a, const LoadReport &b) { return a.id > b.id; });
    trim();
    return path;
}

bool LoadRunHistory::remove(const QString &id)
{
    for (qsizetype i = 0; i < m_runs.size(); ++i) {
        if (m_runs.at(i).id == id) {
            m_runs.removeAt(i);
            return QFile::remove(filePath(id));
        }
    }
    return false;
}

void LoadRunHistory::setMaxRuns(int count)
{
    m_maxRuns = qMax(1, count);
    trim();
}

void LoadRunHistory::trim()
{
    while (m_runs.size() > m_maxRuns)
        QFile::remove(filePath(m_runs.takeLast().id));
}

Result<QString> LoadRunHistory::exportRun(const LoadReport &report, const QString &path,
                                          ExportFormat format)
{
    switch (format) {
    case ExportFormat::Json:
        return writeFile(path, QJsonDocument(report.toJson()).toJson(QJsonDocument::Indented));
    case ExportFormat::PercentilesCsv:
        return writeFile(path, report.percentilesCsv().toUtf8());
    case ExportFormat::TimelineCsv:
        return writeFile(path, report.timelineCsv().toUtf8());
    }
    return Result<QString>::failure(QStringLiteral("unknown export format"));
}
