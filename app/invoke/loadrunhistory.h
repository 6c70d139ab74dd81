#pragma once

#include "app/invoke/loadreport.h"
#include "models/result.h"

#include <QList>
#include <QString>

#include <optional>

// The load runs of one endpoint, one JSON file per run (its plan, figures, histograms and
// timeline) under $XDG_DATA_HOME/endpoint-studio/load-runs/<endpoint>/, newest first, so that
// two runs can be compared later — blue against green, before against after an update.
class LoadRunHistory
{
public:
    static constexpr int DefaultMaxRuns = 50;

    explicit LoadRunHistory(QString endpoint, QString rootDir = defaultRoot());

    static QString defaultRoot(); // $XDG_DATA_HOME/endpoint-studio/load-runs
    QString endpoint() const { return m_endpoint; }
    QString directory() const;

    const QList<LoadReport> &runs() const { return m_runs; }
    std::optional<LoadReport> run(const QString &id) const;
    void reload();

    // Writes the run (atomically; a run without an id gets none kept) and drops the oldest
    // beyond maxRuns().
    Result<QString> add(const LoadReport &report);
    bool remove(const QString &id);
    void setMaxRuns(int count);

    // Saves one run for other tools: JSON (LoadReport::toJson) or CSV (percentiles or timeline).
    enum class ExportFormat { Json, PercentilesCsv, TimelineCsv };
    static Result<QString> exportRun(const LoadReport &report, const QString &path,
                                     ExportFormat format);

private:
    QString filePath(const QString &id) const;
    void trim();

    QString m_endpoint;
    QString m_root;
    QList<LoadReport> m_runs;
    int m_maxRuns = DefaultMaxRuns;
};
