#pragma once

#include "app/invoke/latencyhistogram.h"
#include "app/invoke/loadplan.h"

#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QMap>
#include <QMetaType>
#include <QString>

// One slice of a run's timeline (its width grows with the run so a timeline keeps ≤ 400 slices).
struct LoadInterval
{
    double startSec = 0; // from the end of the warm-up
    double lengthSec = 0;
    qint64 answered = 0;        // HTTP answers, any status
    qint64 transportErrors = 0; // no HTTP answer: refused, reset, timed out, …
    QMap<int, qint64> statuses;
    double p50Ms = 0; // client latency of the answers in this slice
    double p99Ms = 0;
    double maxMs = 0;
    double serverP50Ms = -1; // x-ms-run-fn-exec-ms; -1 when the server sent none

    double requestsPerSec() const;
    QJsonObject toJson() const;
    static LoadInterval fromJson(const QJsonObject &object);
};

// What a load run measured: its plan, counts, the client latency histogram (from the first byte
// written, or in an open loop from when the request was due, to the last byte read), the
// server's own time per request, status codes and errors over time, and who answered. The
// engine sends partial reports while it runs and a final one (finished) at the end.
struct LoadReport
{
    QString id; // sortable: yyyyMMddTHHmmsszzz-<random>, also the history file's name
    QString endpoint;
    QDateTime startedAt; // UTC
    LoadPlan plan;

    bool finished = false;
    bool canceled = false;
    QString fatalError; // the run could not start or went on: the target, not a request, failed

    double elapsedSec = 0; // the measured part: from the end of the warm-up to the last answer
    qint64 warmupSent = 0; // not part of any figure below
    qint64 sent = 0;       // measured requests that went out
    qint64 answered = 0;   // got an HTTP answer (any status)
    qint64 succeeded = 0;  // 2xx
    qint64 transportErrors = 0;
    qint64 notSent = 0; // open loop: due but never sent when the run ended (server too slow)
    qint64 bytesReceived = 0;
    QMap<int, qint64> statusCounts;
    QMap<QString, qint64> errorsByKind; // "timed out", "connection refused", …
    QString firstError;                 // "500 Internal Server Error: {"message": …}", …

    LatencyHistogram latency;          // client latency of every HTTP answer
    LatencyHistogram serviceTime;      // open loop: from the first byte actually written
    LatencyHistogram serverTime;       // x-ms-run-fn-exec-ms of the answers that carried it
    QMap<QString, qint64> servers;     // x-ms-server-version → answers
    QMap<QString, qint64> deployments; // azureml-model-deployment (response) → answers
    QList<LoadInterval> timeline;

    qint64 failures() const { return transportErrors + (answered - succeeded); }
    double requestsPerSec() const; // answers and errors per second of the measured part
    double errorPercent() const;
    double latencyMs(double percentile) const { return latency.percentileMs(percentile); }
    // -1 when no answer carried x-ms-run-fn-exec-ms.
    double serverMs(double percentile) const;

    // "2000 requests in 0.16 s: 12,480 req/s, p50 0.61 ms, p90 …, 0 errors"
    QString summary() const;
    QString statusLine() const; // "2000×200, 3×500, 12 timed out"
    QString title() const;      // one line for a history list
    // Who answered: "the built-in scoring server (azmlinfsrv/1.5.1-studio)", …
    QString answeredBy() const;

    static QList<double> standardPercentiles(); // 50, 75, 90, 95, 99, 99.9, 99.99, 100

    QJsonObject toJson() const;
    static LoadReport fromJson(const QJsonObject &object);
    // "percentile,client_ms,server_ms" for the standard percentiles, then the mean.
    QString percentilesCsv() const;
    // One row per timeline slice: start, length, req/s, answers, errors, p50, p99, max, server
    // p50 and one column per status code seen.
    QString timelineCsv() const;
};

// Two runs side by side: each figure of A and B and the difference B − A.
struct LoadComparisonRow
{
    QString label; // "p99", "req/s", …
    QString unit;  // "ms", "req/s", "%"
    double a = 0;
    double b = 0;
    double difference() const { return b - a; }
    double relativePercent() const { return a != 0 ? (b - a) / a * 100.0 : 0; }
};
QList<LoadComparisonRow> compareLoadReports(const LoadReport &a, const LoadReport &b);

Q_DECLARE_METATYPE(LoadReport)
