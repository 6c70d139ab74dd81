#include "app/runtime/readinessprobe.h"

#include <QNetworkProxy>
#include <QNetworkReply>
#include <QNetworkRequest>

ReadinessProbe::ReadinessProbe(const QUrl &url, const ProbeSettings &settings, QObject *parent)
    : QObject(parent)
    , m_url(url)
    , m_settings(settings)
{
    // Local servers only: an http_proxy from the environment must not intercept them.
    m_network.setProxy(QNetworkProxy::NoProxy);
    m_timer.setSingleShot(true);
    connect(&m_timer, &QTimer::timeout, this, &ReadinessProbe::attempt);
}

qint64 ReadinessProbe::budgetMs(const ProbeSettings &s)
{
    return 1000LL * (qMax(1, s.initialDelay) + qMax(1, s.period) * qMax(1, s.failureThreshold));
}

void ReadinessProbe::start(Done done)
{
    m_done = std::move(done);
    m_clock.start();
    attempt();
}

void ReadinessProbe::attempt()
{
    if (m_finished)
        return;
    ++m_outcome.attempts;
    QNetworkRequest request(m_url);
    request.setTransferTimeout(qMax(1, m_settings.timeout) * 1000);
    request.setAttribute(QNetworkRequest::Http2AllowedAttribute, false);
    QNetworkReply *reply = m_network.get(request);
    connect(reply, &QNetworkReply::finished, this, [this, reply] {
        reply->deleteLater();
        if (m_finished)
            return;
        const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        if (reply->error() == QNetworkReply::NoError && status == 200) {
            if (++m_successes >= qMax(1, m_settings.successThreshold)) {
                finish(true);
                return;
            }
        } else {
            m_successes = 0;
            m_outcome.lastError =
                status > 0 ? QStringLiteral("HTTP %1").arg(status) : reply->errorString();
        }
        if (m_clock.elapsed() >= budgetMs(m_settings)) {
            finish(false);
            return;
        }
        m_timer.start(m_interval);
        if (m_clock.elapsed() > 2000)
            m_interval = qMin(1000, m_interval * 2);
    });
}

void ReadinessProbe::finish(bool ready)
{
    m_finished = true;
    m_timer.stop();
    m_outcome.ready = ready;
    m_outcome.elapsedMs = m_clock.elapsed();
    Done done = std::move(m_done);
    if (done)
        done(m_outcome);
}
