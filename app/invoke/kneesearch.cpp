#include "app/invoke/kneesearch.h"

#include "app/invoke/loadrunner.h"

QString KneeResult::summary() const
{
    QString text;
    if (steps.isEmpty())
        return canceled ? QStringLiteral("Stopped before the first step.") : reason;
    if (knee == 0)
        text = QStringLiteral("No knee: the first step already broke a limit (%1).").arg(reason);
    else if (reason.isEmpty())
        text = QStringLiteral("No limit broken up to concurrency %1 (p99 limit %2 ms).")
                   .arg(knee)
                   .arg(p99LimitMs, 0, 'f', 2);
    else
        text = QStringLiteral("Knee at concurrency %1: %2.").arg(knee).arg(reason);
    if (bestThroughputAt > 0) {
        double best = 0;
        for (const LoadReport &s : steps) {
            if (s.plan.concurrency == bestThroughputAt)
                best = s.requestsPerSec();
        }
        text += QStringLiteral(" Most throughput: %1 req/s at concurrency %2.")
                    .arg(best, 0, 'f', 0)
                    .arg(bestThroughputAt);
    }
    if (canceled)
        text += QStringLiteral(" (stopped)");
    return text;
}

KneeSearch::KneeSearch(QObject *parent)
    : QObject(parent)
    , m_runner(new LoadRunner(this))
{
    connect(m_runner, &LoadRunner::progress, this, &KneeSearch::progress);
    connect(m_runner, &LoadRunner::finished, this, &KneeSearch::onStep);
}

KneeSearch::~KneeSearch() = default;

bool KneeSearch::start(const LoadPlan &base, const KneeSettings &settings, const QString &endpoint)
{
    if (m_running || settings.concurrencies.isEmpty())
        return false;
    m_base = base;
    m_base.mode = LoadMode::ClosedLoop;
    m_base.requests = 0;
    m_base.durationSec = std::max(0.2, settings.stepSeconds);
    m_settings = settings;
    m_endpoint = endpoint;
    m_result = {};
    m_result.p99LimitMs = settings.p99LimitMs;
    m_next = 0;
    m_running = true;
    runStep();
    return true;
}

void KneeSearch::cancel()
{
    if (!m_running)
        return;
    m_result.canceled = true;
    m_runner->cancel();
}

void KneeSearch::runStep()
{
    LoadPlan plan = m_base;
    plan.concurrency = m_settings.concurrencies.at(m_next);
    emit stepStarted(plan.concurrency);
    m_runner->start(plan, m_endpoint);
}

void KneeSearch::onStep(const LoadReport &report)
{
    if (!m_running)
        return;
    if (!report.fatalError.isEmpty()) {
        finish(report.fatalError);
        return;
    }
    m_result.steps.append(report);
    emit stepFinished(report);
    if (m_result.canceled) {
        finish({});
        return;
    }
    const int c = report.plan.concurrency;
    if (m_result.p99LimitMs <= 0)
        m_result.p99LimitMs = std::max(4 * report.latencyMs(99), 0.1);
    const double p99 = report.latencyMs(99);
    if (report.errorPercent() > m_settings.errorLimitPercent) {
        finish(QStringLiteral("at concurrency %1, %2 % of the requests failed (limit %3 %)")
                   .arg(c)
                   .arg(report.errorPercent(), 0, 'f', 1)
                   .arg(m_settings.errorLimitPercent, 0, 'g', 3));
        return;
    }
    if (p99 > m_result.p99LimitMs) {
        finish(QStringLiteral("at concurrency %1 p99 was %2 ms, over the %3 ms limit")
                   .arg(c)
                   .arg(p99, 0, 'f', 2)
                   .arg(m_result.p99LimitMs, 0, 'f', 2));
        return;
    }
    m_result.knee = c;
    if (++m_next >= m_settings.concurrencies.size()) {
        finish({});
        return;
    }
    runStep();
}

void KneeSearch::finish(const QString &reason)
{
    m_running = false;
    m_result.reason = reason;
    double best = -1;
    for (const LoadReport &s : std::as_const(m_result.steps)) {
        if (s.requestsPerSec() > best) {
            best = s.requestsPerSec();
            m_result.bestThroughputAt = s.plan.concurrency;
        }
    }
    emit finished(m_result);
}
