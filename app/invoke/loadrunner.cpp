#include "app/invoke/loadrunner.h"

#include "app/invoke/scoringclient.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace {

// Qt keeps at most six HTTP/1.1 connections per host and manager: one client per six slots.
constexpr int ConnectionsPerClient = 6;

} // namespace

double LoadRunResult::requestsPerSecond() const
{
    return wallMs > 0 ? sent * 1000.0 / wallMs : 0;
}

double LoadRunResult::percentile(double p) const
{
    if (latenciesMs.isEmpty())
        return 0;
    QList<double> sorted = latenciesMs;
    std::sort(sorted.begin(), sorted.end());
    const auto rank = qsizetype(std::ceil(p / 100.0 * double(sorted.size())));
    return sorted.at(std::clamp<qsizetype>(rank - 1, 0, sorted.size() - 1));
}

double LoadRunResult::mean() const
{
    if (latenciesMs.isEmpty())
        return 0;
    return std::accumulate(latenciesMs.begin(), latenciesMs.end(), 0.0) /
           double(latenciesMs.size());
}

double LoadRunResult::minimum() const
{
    return latenciesMs.isEmpty() ? 0 : *std::min_element(latenciesMs.begin(), latenciesMs.end());
}

double LoadRunResult::maximum() const
{
    return latenciesMs.isEmpty() ? 0 : *std::max_element(latenciesMs.begin(), latenciesMs.end());
}

QList<LatencyBucket> LoadRunResult::histogram(int buckets) const
{
    QList<LatencyBucket> out;
    if (latenciesMs.isEmpty() || buckets < 1)
        return out;
    const double lo = minimum();
    const double hi = maximum();
    const double width = hi > lo ? (hi - lo) / buckets : 1.0;
    for (int i = 0; i < buckets; ++i)
        out.append({lo + i * width, lo + (i + 1) * width, 0});
    for (double v : latenciesMs) {
        const int i = std::clamp(int((v - lo) / width), 0, buckets - 1);
        ++out[i].count;
    }
    return out;
}

QString LoadRunResult::summary() const
{
    return QStringLiteral("%1 requests, %2 errors, %3 req/s, p50 %4 ms, p95 %5 ms, p99 %6 ms")
        .arg(sent)
        .arg(errors())
        .arg(requestsPerSecond(), 0, 'f', 1)
        .arg(percentile(50), 0, 'f', 2)
        .arg(percentile(95), 0, 'f', 2)
        .arg(percentile(99), 0, 'f', 2);
}

LoadRunner::LoadRunner(QObject *parent)
    : QObject(parent)
{}

LoadRunner::~LoadRunner()
{
    m_running = false;
    for (ScoringClient *c : std::as_const(m_clients))
        c->disconnect(this);
}

void LoadRunner::start(const ScoringRequest &request, const LoadRunOptions &options)
{
    if (m_running)
        return;
    m_request = request;
    m_options = options;
    m_options.concurrency = std::clamp(options.concurrency, 1, 256);
    m_result = {};
    m_inFlight = 0;
    m_stopping = false;
    m_running = true;

    const int needed = (m_options.concurrency + ConnectionsPerClient - 1) / ConnectionsPerClient;
    while (m_clients.size() < needed) {
        auto *client = new ScoringClient(this);
        connect(client, &ScoringClient::finished, this, &LoadRunner::onResponse);
        m_clients.append(client);
    }
    m_clock.start();
    for (int i = 0; i < m_options.concurrency && wantsMore(); ++i)
        sendOne();
    if (m_inFlight == 0)
        finish();
}

void LoadRunner::cancel()
{
    if (!m_running)
        return;
    m_stopping = true;
    m_result.canceled = true;
    for (ScoringClient *c : std::as_const(m_clients))
        c->cancelAll();
}

bool LoadRunner::wantsMore() const
{
    if (m_stopping)
        return false;
    if (m_options.durationSec > 0)
        return double(m_clock.elapsed()) < m_options.durationSec * 1000.0;
    return m_result.sent < m_options.iterations;
}

void LoadRunner::sendOne()
{
    ScoringClient *client = m_clients.at(m_nextClient++ % qsizetype(m_clients.size()));
    ++m_result.sent;
    ++m_inFlight;
    client->send(m_request);
}

void LoadRunner::onResponse(const ScoringResponse &response)
{
    if (!m_running)
        return;
    --m_inFlight;
    if (response.canceled) {
        --m_result.sent; // never answered: not part of the figures
    } else if (!response.completed()) {
        ++m_result.transportErrors;
        if (m_result.firstError.isEmpty())
            m_result.firstError = response.statusText();
    } else {
        ++m_result.completed;
        ++m_result.statusCounts[response.status];
        m_result.latenciesMs.append(response.timings.totalMs);
        if (!response.isSuccess()) {
            ++m_result.httpErrors;
            if (m_result.firstError.isEmpty())
                m_result.firstError = response.statusText();
        }
    }
    emit progress(m_result.completed + m_result.transportErrors, m_result.errors(),
                  response.timings.totalMs);
    if (wantsMore())
        sendOne();
    else if (m_inFlight == 0)
        finish();
}

void LoadRunner::finish()
{
    m_result.wallMs = double(m_clock.nsecsElapsed()) / 1e6;
    m_running = false;
    emit finished(m_result);
}
