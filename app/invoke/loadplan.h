#pragma once

#include "app/invoke/scoringrequest.h"

#include <QJsonObject>
#include <QMetaType>
#include <QString>

#include <optional>

// How a load run sends: as wrk does (each connection sends its next request as soon as the
// previous one is answered) or as wrk2 does (requests are due at a fixed rate whatever the
// server does; latency counts from when a request was due, so a stall shows as the queueing it
// causes instead of as fewer, faster requests — no coordinated omission).
enum class LoadMode { ClosedLoop, OpenLoop };

QString loadModeName(LoadMode mode); // "closed" | "open"
std::optional<LoadMode> loadModeFromName(const QString &name);

// One load run: what to send and how. Either `requests` (> 0) or `durationSec` (> 0) ends it.
struct LoadPlan
{
    static constexpr int MaxConcurrency = 1024;

    ScoringRequest request;
    LoadMode mode = LoadMode::ClosedLoop;
    int concurrency = 1;     // kept-alive connections, each with at most one request in flight
    double ratePerSec = 0;   // open loop: requests per second over all connections
    qint64 requests = 100;   // measured requests; 0: run for durationSec
    double durationSec = 0;  // used when requests is 0
    int warmupRequests = -1; // sent first and not counted; -1: one per connection
    int threads = 0;         // load generator threads; 0: as wrk, 2 (1 for one connection)
    QString target;          // what the user aimed at: "endpoint", a deployment name, a URI

    int effectiveWarmup() const { return warmupRequests < 0 ? concurrency : warmupRequests; }
    int effectiveThreads() const;
    // Empty when the plan can run; otherwise what to change ("concurrency must be 1…1024").
    QString problem() const;
    // "closed loop, 4 connections, 2000 requests" / "open loop at 500 req/s, 8 connections, 10 s"
    QString describe() const;

    QJsonObject toJson() const;
    static LoadPlan fromJson(const QJsonObject &object);
};

Q_DECLARE_METATYPE(LoadPlan)
