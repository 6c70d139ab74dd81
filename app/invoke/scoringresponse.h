#pragma once

#include <QByteArray>
#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QMetaType>
#include <QPair>
#include <QString>

#include <optional>

// Where the time of one request went, in milliseconds from the moment it was handed to the
// network stack. `connectMs` covers connecting and writing the request (0 when a kept-alive
// connection was reused); `firstByteMs` is when the status line and headers arrived.
struct ScoringTimings
{
    double connectMs = 0;
    double firstByteMs = 0;
    double totalMs = 0;
    bool reusedConnection = false;
};

// What came back. A non-2xx status is a normal result (completed() is true); `error` is set
// only when no HTTP answer arrived: refused, timed out, cancelled, reset.
struct ScoringResponse
{
    quint64 serial = 0; // ScoringClient::send's return value
    int status = 0;     // 0 when no HTTP answer arrived
    QString reason;     // "OK", "Internal Server Error", …
    QList<QPair<QByteArray, QByteArray>> headers;
    QByteArray body;
    ScoringTimings timings;
    QString error;
    bool timedOut = false;
    bool canceled = false;
    QString requestId;                     // x-request-id, else x-ms-request-id
    QString clientRequestId;               // x-ms-client-request-id
    std::optional<bool> runFunctionFailed; // x-ms-run-function-failed, when the server sent it
    QDateTime sentAt;                      // UTC

    bool completed() const { return status > 0; }
    bool isSuccess() const { return status >= 200 && status < 300; }
    qint64 size() const { return body.size(); }
    QByteArray header(const QByteArray &name) const; // case-insensitive, first match
    QString contentType() const;
    bool looksLikeJson() const; // JSON content type, or a body that starts like JSON
    QString statusText() const; // "200 OK", "Timed out after 2000 ms", …

    QJsonObject toJson() const;
    static ScoringResponse fromJson(const QJsonObject &object);
};

Q_DECLARE_METATYPE(ScoringResponse)
