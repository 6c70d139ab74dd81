#pragma once

#include "app/invoke/loadplan.h"
#include "app/invoke/loadreport.h"

#include <functional>
#include <memory>

// The load generator: a few threads (as wrk: 2 by default, LoadPlan::threads), each with its
// share of the connections on its own epoll; one kept-alive HTTP/1.1 connection per concurrency
// slot, non-blocking sockets, the request's bytes built once. Closed loop: each connection
// sends again as soon as its answer is read; open loop: requests fall due at a fixed rate and
// go out on the first free connection, their latency counted from when they were due.
// Latency is measured on the monotonic clock from the first byte written (open loop: the due
// time) to the last byte read. Warm-up requests go first and count nowhere. Linux only (epoll).
//
// run() blocks the calling thread until the plan is done or cancel() is called (from any
// thread); it must not be the UI thread — LoadRunner puts it on its own.
class LoadEngine
{
public:
    using Progress = std::function<void(const LoadReport &partial)>;

    explicit LoadEngine(LoadPlan plan);
    ~LoadEngine();
    LoadEngine(const LoadEngine &) = delete;
    LoadEngine &operator=(const LoadEngine &) = delete;

    // `progress` is called on the running thread about every progressIntervalMs with the figures
    // so far (never once per request). The report's id, endpoint and startedAt are left to the
    // caller.
    LoadReport run(const Progress &progress = {}, int progressIntervalMs = 250);
    void cancel();

    struct Impl; // the run's shared state; its worker threads live in loadengine.cpp

private:
    std::unique_ptr<Impl> d;
};
