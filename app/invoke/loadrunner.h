#pragma once

#include "app/invoke/scoringrequest.h"
#include "app/invoke/scoringresponse.h"

#include <QElapsedTimer>
#include <QList>
#include <QMap>
#include <QMetaType>
#include <QObject>

class ScoringClient;

struct LoadRunOptions
{
    int iterations = 100;   // used when durationSec is 0
    double durationSec = 0; // > 0: keep sending until this much time has passed
    int concurrency = 1;    // requests in flight at once (1…256)
};

struct LatencyBucket
{
    double fromMs = 0;
    double toMs = 0;
    int count = 0;
};

// What a repeat run measured. Latencies are the client's total time of every request that got
// an HTTP answer; errors are requests without one plus answers outside 2xx.
struct LoadRunResult
{
    QList<double> latenciesMs; // in completion order
    int sent = 0;
    int completed = 0; // got an HTTP status
    int transportErrors = 0;
    int httpErrors = 0; // non-2xx
    QMap<int, int> statusCounts;
    QString firstError;
    double wallMs = 0;
    bool canceled = false;

    int errors() const { return transportErrors + httpErrors; }
    double requestsPerSecond() const;
    double percentile(double p) const; // nearest rank over latenciesMs, p in [0, 100]
    double mean() const;
    double minimum() const;
    double maximum() const;
    QList<LatencyBucket> histogram(int buckets = 20) const; // equal widths, min…max
    QString summary() const; // "200 requests, 0 errors, 812.3 req/s, p50 1.1 ms, …"
};

// Sends one request repeatedly at a fixed concurrency without blocking the event loop.
class LoadRunner : public QObject
{
    Q_OBJECT
public:
    explicit LoadRunner(QObject *parent = nullptr);
    ~LoadRunner() override;

    void start(const ScoringRequest &request, const LoadRunOptions &options);
    void cancel();
    bool isRunning() const { return m_running; }
    const LoadRunResult &result() const { return m_result; }

signals:
    void progress(int done, int errors, double latestMs);
    void finished(const LoadRunResult &result);

private:
    void onResponse(const ScoringResponse &response);
    bool wantsMore() const;
    void sendOne();
    void finish();

    QList<ScoringClient *> m_clients;
    ScoringRequest m_request;
    LoadRunOptions m_options;
    LoadRunResult m_result;
    QElapsedTimer m_clock;
    int m_inFlight = 0;
    int m_nextClient = 0;
    bool m_running = false;
    bool m_stopping = false;
};
Q_DECLARE_METATYPE(LoadRunResult)
