#include "app/invoke/scoringrequest.h"

#include <QJsonArray>

QString scoringMethodName(ScoringMethod method)
{
    return method == ScoringMethod::Get ? QStringLiteral("GET") : QStringLiteral("POST");
}

std::optional<ScoringMethod> scoringMethodFromName(const QString &name)
{
    if (name.compare(u"POST", Qt::CaseInsensitive) == 0)
        return ScoringMethod::Post;
    if (name.compare(u"GET", Qt::CaseInsensitive) == 0)
        return ScoringMethod::Get;
    return std::nullopt;
}

QString scoringAuthName(ScoringAuth auth)
{
    switch (auth) {
    case ScoringAuth::Key:
        return QStringLiteral("key");
    case ScoringAuth::Bearer:
        return QStringLiteral("bearer");
    case ScoringAuth::None:
        break;
    }
    return QStringLiteral("none");
}

std::optional<ScoringAuth> scoringAuthFromName(const QString &name)
{
    for (ScoringAuth auth : {ScoringAuth::None, ScoringAuth::Key, ScoringAuth::Bearer}) {
        if (name.compare(scoringAuthName(auth), Qt::CaseInsensitive) == 0)
            return auth;
    }
    return std::nullopt;
}

QString ScoringRequest::header(const QString &name) const
{
    for (const auto &[key, value] : headers) {
        if (key.compare(name, Qt::CaseInsensitive) == 0)
            return value;
    }
    return {};
}

HttpHeaderList ScoringRequest::effectiveHeaders() const
{
    auto has = [this](QStringView name) {
        for (const auto &h : headers) {
            if (h.first.compare(name, Qt::CaseInsensitive) == 0)
                return true;
        }
        return false;
    };
    HttpHeaderList out;
    for (const auto &h : headers) {
        if (!h.first.trimmed().isEmpty())
            out.append({h.first.trimmed(), h.second});
    }
    if (method == ScoringMethod::Post && !has(u"Content-Type"))
        out.prepend({QStringLiteral("Content-Type"), QStringLiteral("application/json")});
    if (auth != ScoringAuth::None && !authToken.isEmpty() && !has(u"Authorization"))
        out.append({QStringLiteral("Authorization"), QStringLiteral("Bearer ") + authToken});
    if (!deployment.isEmpty() && !has(u"azureml-model-deployment"))
        out.append({QStringLiteral("azureml-model-deployment"), deployment});
    return out;
}

QJsonObject ScoringRequest::toJson() const
{
    QJsonArray hs;
    for (const auto &[key, value] : headers)
        hs.append(QJsonArray{key, value});
    return QJsonObject{
        {QStringLiteral("url"), url.toString()},
        {QStringLiteral("method"), scoringMethodName(method)},
        {QStringLiteral("headers"), hs},
        {QStringLiteral("body"), QString::fromUtf8(body)},
        {QStringLiteral("auth"), scoringAuthName(auth)},
        // The token itself is a secret: history files never hold it.
        {QStringLiteral("timeoutMs"), timeoutMs},
        {QStringLiteral("deployment"), deployment},
    };
}

ScoringRequest ScoringRequest::fromJson(const QJsonObject &object)
{
    ScoringRequest r;
    r.url = QUrl(object.value(u"url").toString());
    r.method =
        scoringMethodFromName(object.value(u"method").toString()).value_or(ScoringMethod::Post);
    for (const QJsonValue &h : object.value(u"headers").toArray()) {
        const QJsonArray pair = h.toArray();
        if (pair.size() == 2)
            r.headers.append({pair.at(0).toString(), pair.at(1).toString()});
    }
    r.body = object.value(u"body").toString().toUtf8();
    r.auth = scoringAuthFromName(object.value(u"auth").toString()).value_or(ScoringAuth::None);
    r.timeoutMs = object.value(u"timeoutMs").toInt(60000);
    r.deployment = object.value(u"deployment").toString();
    return r;
}
