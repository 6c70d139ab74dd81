#pragma once

#include "app/invoke/scoringrequest.h"
#include "app/invoke/scoringresponse.h"

#include <QElapsedTimer>
#include <QHash>
#include <QObject>

class QNetworkAccessManager;
class QNetworkReply;
class QTimer;

// Sends scoring requests asynchronously with QNetworkAccessManager; works in GUI and CLI
// event loops. Any number of requests may be in flight; each ends in exactly one finished().
class ScoringClient : public QObject
{
    Q_OBJECT
public:
    explicit ScoringClient(QObject *parent = nullptr);
    ~ScoringClient() override;

    // Starts the request and returns its serial (also in the response). Never blocks.
    quint64 send(const ScoringRequest &request);
    void cancel(quint64 serial);
    void cancelAll();
    int inFlight() const { return int(m_pending.size()); }

signals:
    void finished(const ScoringResponse &response);

private:
    struct Pending
    {
        quint64 serial = 0;
        QNetworkReply *reply = nullptr;
        QTimer *timer = nullptr;
        QElapsedTimer clock;
        ScoringResponse response;
        bool connecting = false;
        double sentMs = -1;
        double headersMs = -1;
    };
    void complete(QNetworkReply *reply);

    QNetworkAccessManager *m_nam;
    QHash<QNetworkReply *, Pending> m_pending;
    quint64 m_nextSerial = 1;
};
