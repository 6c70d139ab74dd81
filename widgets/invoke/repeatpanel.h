#pragma once

#include "app/invoke/kneesearch.h"
#include "app/invoke/loadrunhistory.h"
#include "app/invoke/loadrunner.h"
#include "app/invoke/loadtargetfacts.h"
#include "app/invoke/scoringrequest.h"

#include <QWidget>

#include <functional>
#include <memory>

class LatencyChart;
class TimelineChart;
class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QListWidget;
class QPushButton;
class QSpinBox;
class QTabWidget;
class QTableWidget;

// The Invoke panel's Repeat tab: load runs of the current request on the core's LoadEngine
// (closed or open loop, count or duration, warm-up, stop at any time), their figures as they
// come in, what they mean for the deployment, the runs kept per endpoint with a two-run overlay
// and the difference of each percentile, CSV/JSON export, and "find the knee".
class RepeatPanel : public QWidget
{
    Q_OBJECT
public:
    using RequestSource = std::function<ScoringRequest()>;

    explicit RepeatPanel(QWidget *parent = nullptr);
    ~RepeatPanel() override;

    void setRequestSource(RequestSource source) { m_requestSource = std::move(source); }
    // The runs list belongs to the endpoint; facts come from the selected deployment's YAML.
    void setEndpoint(const QString &endpoint);
    void setFacts(const LoadTargetFacts &facts);

    LoadPlan currentPlan() const;
    void run();
    void findKnee();
    void stop();
    bool isRunning() const;

    LoadRunHistory *history() const { return m_history.get(); }
    // Shows the runs with these ids: one alone, two overlaid and compared.
    void selectRuns(const QStringList &ids);
    QStringList selectedRunIds() const;
    Result<QString> exportRun(const QString &id, LoadRunHistory::ExportFormat format,
                              const QString &path) const;

signals:
    void runFinished(const LoadReport &report);
    void kneeFinished(const KneeResult &result);
    void busyChanged(bool busy);

private:
    QWidget *buildKneePage();
    QWidget *buildRunsBox();
    void onProgress(const LoadReport &partial);
    void onFinished(const LoadReport &report);
    void showRuns(const QList<LoadReport> &runs);
    void refreshRuns(const QString &select = {});
    void updateBusy();
    void updateLimitHint();
    QString runLabel(const LoadReport &report) const;

    RequestSource m_requestSource;
    LoadRunner m_runner;
    KneeSearch m_knee;
    std::unique_ptr<LoadRunHistory> m_history;
    LoadTargetFacts m_facts;
    QString m_endpoint;

    QComboBox *m_mode;
    QSpinBox *m_concurrency;
    QDoubleSpinBox *m_rate;
    QSpinBox *m_count;
    QDoubleSpinBox *m_seconds;
    QSpinBox *m_warmup;
    QPushButton *m_run;
    QLabel *m_limitHint;
    QLabel *m_summary;
    QLabel *m_meaning;
    QTabWidget *m_views;
    LatencyChart *m_latency;
    TimelineChart *m_timeline;
    QSpinBox *m_kneeMax;
    QDoubleSpinBox *m_kneeSeconds;
    QDoubleSpinBox *m_kneeP99;
    QDoubleSpinBox *m_kneeErrors;
    QPushButton *m_kneeRun;
    QTableWidget *m_kneeTable;
    QLabel *m_kneeSummary;
    QListWidget *m_runs;
    QTableWidget *m_compare;
    QPushButton *m_export;
    QPushButton *m_delete;
};
