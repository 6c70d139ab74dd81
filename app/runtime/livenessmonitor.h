#pragma once

#include "models/deploymentspec.h"

#include <QElapsedTimer>
#include <QNetworkAccessManager>
#include <QObject>
#include <QPointer>
#include <QTimer>
#include <QUrl>

class QNetworkReply;

// A deployment's liveness_probe once it is ready, as Kubernetes probes Azure's containers:
// first after initial_delay seconds, then every `period`, a GET that must answer 200 within
// `timeout`; `failure_threshold` failures in a row and failed() says why. It stops there; the
// owner restarts the server and starts a new monitor.
class LivenessMonitor : public QObject
{
    Q_OBJECT
public:
    LivenessMonitor(const QUrl &url, const ProbeSettings &settings, QObject *parent = nullptr);
    void start();
    int failures() const { return m_failures; }

signals:
    void failed(const QString &reason);

private:
    void probe();

    QUrl m_url;
    ProbeSettings m_settings;
    QNetworkAccessManager m_network;
    QTimer m_timer;
    QPointer<QNetworkReply> m_reply;
    int m_failures = 0;
    QString m_lastError;
    bool m_done = false;
};
