#include "app/runtime/livenessmonitor.h"

#include <QNetworkProxy>
#include <QNetworkReply>
#include <QNetworkRequest>

LivenessMonitor::LivenessMonitor(const QUrl &url, const ProbeSettings &settings, QObject *parent)
    : QObject(parent)
    , m_url(url)
    , m_settings(settings)
{
    m_network.setProxy(QNetworkProxy::NoProxy);
    m_timer.setSingleShot(true);
    connect(&m_timer, &QTimer::timeout, this, &LivenessMonitor::probe);
}

void LivenessMonitor::start()
{
    m_timer.start(qMax(1, m_settings.initialDelay) * 1000);
}

void LivenessMonitor::probe()
{
    if (m_done)
        return;
    QNetworkRequest request(m_url);
    request.setTransferTimeout(qMax(1, m_settings.timeout) * 1000);
    request.setAttribute(QNetworkRequest::Http2AllowedAttribute, false);
    m_reply = m_network.get(request);
    QNetworkReply *reply = m_reply;
    connect(reply, &QNetworkReply::finished, this, [this, reply] {
        reply->deleteLater();
        if (m_done)
            return;
        const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        if (reply->error() == QNetworkReply::NoError && status == 200) {
            m_failures = 0;
        } else {
            ++m_failures;
            if (status > 0)
                m_lastError = QStringLiteral("HTTP %1").arg(status);
            else if (reply->error() == QNetworkReply::OperationCanceledError ||
                     reply->error() == QNetworkReply::TimeoutError)
                m_lastError =
                    QStringLiteral("no answer within %1 s").arg(qMax(1, m_settings.timeout));
            else
                m_lastError = reply->errorString();
            if (m_failures >= qMax(1, m_settings.failureThreshold)) {
                m_done = true;
                emit failed(QStringLiteral("liveness probe failed %1 times in a row (GET %2: %3)")
                                .arg(m_failures)
                                .arg(m_url.toString(), m_lastError));
                return;
            }
        }
        m_timer.start(qMax(1, m_settings.period) * 1000);
    });
}
