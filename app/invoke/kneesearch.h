#pragma once

#include "app/invoke/loadplan.h"
#include "app/invoke/loadreport.h"

#include <QList>
#include <QMetaType>
#include <QObject>

class LoadRunner;

struct KneeSettings
{
    QList<int> concurrencies{1, 2, 4, 8, 16, 32, 64};
    double stepSeconds = 3;
    double p99LimitMs = 0;          // 0: 4 × the first step's p99
    double errorLimitPercent = 1.0; // errors (non-2xx and no answer) of all requests
};

// The outcome: every step's report and the highest concurrency that stayed within the limits.
struct KneeResult
{
    QList<LoadReport> steps;
    int knee = 0;             // 0: even the first step broke a limit
    int bestThroughputAt = 0; // the concurrency with the most req/s
    double p99LimitMs = 0;    // the limit that applied
    bool canceled = false;
    QString reason; // "at concurrency 16 p99 was 41.2 ms, over the 12.0 ms limit"

    QString summary() const;
};

// "Find the knee": closed-loop steps of rising concurrency, each for stepSeconds, until errors
// or p99 break their limit. Each step is a normal load run (warm-up excluded).
class KneeSearch : public QObject
{
    Q_OBJECT
public:
    explicit KneeSearch(QObject *parent = nullptr);
    ~KneeSearch() override;

    bool start(const LoadPlan &base, const KneeSettings &settings, const QString &endpoint = {});
    void cancel();
    bool isRunning() const { return m_running; }

signals:
    void stepStarted(int concurrency);
    void progress(const LoadReport &partial);
    void stepFinished(const LoadReport &step);
    void finished(const KneeResult &result);

private:
    void runStep();
    void onStep(const LoadReport &report);
    void finish(const QString &reason);

    LoadRunner *m_runner;
    LoadPlan m_base;
    KneeSettings m_settings;
    QString m_endpoint;
    KneeResult m_result;
    int m_next = 0;
    bool m_running = false;
};

Q_DECLARE_METATYPE(KneeResult)
