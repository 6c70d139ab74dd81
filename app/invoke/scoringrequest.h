#pragma once

#include <QByteArray>
#include <QJsonObject>
#include <QList>
#include <QMetaType>
#include <QPair>
#include <QString>
#include <QUrl>

#include <optional>

enum class ScoringMethod { Post, Get };
// Azure ML sends both an endpoint key and an Entra token as `Authorization: Bearer …`;
// the kind is kept so the UI and the snippets say what the user chose.
enum class ScoringAuth { None, Key, Bearer };

QString scoringMethodName(ScoringMethod method); // "POST" | "GET"
std::optional<ScoringMethod> scoringMethodFromName(const QString &name);
QString scoringAuthName(ScoringAuth auth); // "none" | "key" | "bearer"
std::optional<ScoringAuth> scoringAuthFromName(const QString &name);

using HttpHeaderList = QList<QPair<QString, QString>>;

// One request to a scoring URI, as the invoke panel, the CLI and the history hold it.
struct ScoringRequest
{
    QUrl url;
    ScoringMethod method = ScoringMethod::Post;
    HttpHeaderList headers; // user headers, in order; Content-Type defaults to JSON when absent
    QByteArray body;        // sent with POST only
    ScoringAuth auth = ScoringAuth::None;
    QString authToken;
    int timeoutMs = 60000; // whole request; 0 = no limit
    QString deployment;    // non-empty: `azureml-model-deployment: <deployment>`

    // What goes on the wire besides what Qt adds itself: user headers, the default
    // Content-Type, Authorization and azureml-model-deployment. Shared by the client and
    // the curl/Python snippets so that both send the same request.
    HttpHeaderList effectiveHeaders() const;
    QString header(const QString &name) const; // case-insensitive lookup in `headers`

    QJsonObject toJson() const;
    static ScoringRequest fromJson(const QJsonObject &object);
};

Q_DECLARE_METATYPE(ScoringRequest)
