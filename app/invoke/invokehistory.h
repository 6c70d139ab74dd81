#pragma once

#include "app/invoke/scoringrequest.h"
#include "app/invoke/scoringresponse.h"
#include "models/result.h"

#include <QDateTime>
#include <QList>
#include <QString>

#include <optional>

// One send: the request exactly as it went out and what came back.
struct InvokeHistoryEntry
{
    QString id; // sortable: yyyyMMddTHHmmsszzz-<random>, also the file's base name
    QString endpoint;
    QDateTime time; // UTC
    ScoringRequest request;
    ScoringResponse response;
    qint64 responseBodySize = 0; // the full size, even when the stored body was cut
    bool responseBodyTruncated = false;

    QString title() const; // "14:02:11  POST 200  12.3 ms  data: [[1, 2 …"
    QJsonObject toJson() const;
    static InvokeHistoryEntry fromJson(const QJsonObject &object);
};

// The invoke history of one endpoint, one JSON file per entry under
// $XDG_DATA_HOME/endpoint-studio/history/<endpoint>/, so that the studio, a second studio and
// a fresh instance all see the same list. Entries keep request and response.
class InvokeHistory
{
public:
    static constexpr qsizetype MaxStoredBody = 2 * 1024 * 1024;
    static constexpr int DefaultMaxEntries = 100;

    explicit InvokeHistory(QString endpoint, QString rootDir = defaultRoot());

    static QString defaultRoot(); // $XDG_DATA_HOME/endpoint-studio/history
    QString endpoint() const { return m_endpoint; }
    QString directory() const;

    // Newest first, as loaded from disk by reload() and kept up to date by add()/remove().
    const QList<InvokeHistoryEntry> &entries() const { return m_entries; }
    std::optional<InvokeHistoryEntry> entry(const QString &id) const;
    void reload();

    // Writes the entry (atomically) and drops the oldest beyond maxEntries().
    Result<InvokeHistoryEntry> add(const ScoringRequest &request, const ScoringResponse &response);
    bool remove(const QString &id);
    void clear();

    int maxEntries() const { return m_maxEntries; }
    void setMaxEntries(int count);

private:
    QString filePath(const QString &id) const;
    void trim();

    QString m_endpoint;
    QString m_root;
    QList<InvokeHistoryEntry> m_entries;
    int m_maxEntries = DefaultMaxEntries;
};
