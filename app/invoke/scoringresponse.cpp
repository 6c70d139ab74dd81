#include "app/invoke/scoringresponse.h"

#include <QJsonArray>
#include <QStringDecoder>

QByteArray ScoringResponse::header(const QByteArray &name) const
{
    for (const auto &[key, value] : headers) {
        if (key.compare(name, Qt::CaseInsensitive) == 0)
            return value;
    }
    return {};
}

QString ScoringResponse::contentType() const
{
    return QString::fromLatin1(header("content-type"));
}

bool ScoringResponse::looksLikeJson() const
{
    if (contentType().contains(u"json", Qt::CaseInsensitive))
        return true;
    for (char c : body) {
        if (c == ' ' || c == '\n' || c == '\r' || c == '\t')
            continue;
        return c == '{' || c == '[';
    }
    return false;
}

QString ScoringResponse::statusText() const
{
    if (completed())
        return reason.isEmpty() ? QString::number(status) : QString::number(status) + u' ' + reason;
    if (canceled)
        return QStringLiteral("Cancelled");
    return error.isEmpty() ? QStringLiteral("No response") : error;
}

QJsonObject ScoringResponse::toJson() const
{
    QJsonArray hs;
    for (const auto &[key, value] : headers)
        hs.append(QJsonArray{QString::fromLatin1(key), QString::fromLatin1(value)});
    QJsonObject o{
        {QStringLiteral("status"), status},
        {QStringLiteral("reason"), reason},
        {QStringLiteral("headers"), hs},
        {QStringLiteral("connectMs"), timings.connectMs},
        {QStringLiteral("firstByteMs"), timings.firstByteMs},
        {QStringLiteral("totalMs"), timings.totalMs},
        {QStringLiteral("reusedConnection"), timings.reusedConnection},
        {QStringLiteral("error"), error},
        {QStringLiteral("timedOut"), timedOut},
        {QStringLiteral("canceled"), canceled},
        {QStringLiteral("requestId"), requestId},
        {QStringLiteral("clientRequestId"), clientRequestId},
        {QStringLiteral("sentAt"), sentAt.toString(Qt::ISODateWithMs)},
    };
    // Bodies that are not UTF-8 text survive the JSON file as base64.
    QStringDecoder decoder(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless);
    const QString text = decoder.decode(body);
    if (decoder.hasError())
        o.insert(QStringLiteral("bodyBase64"), QString::fromLatin1(body.toBase64()));
    else
        o.insert(QStringLiteral("body"), text);
    if (runFunctionFailed)
        o.insert(QStringLiteral("runFunctionFailed"), *runFunctionFailed);
    return o;
}

ScoringResponse ScoringResponse::fromJson(const QJsonObject &o)
{
    ScoringResponse r;
    r.status = o.value(u"status").toInt();
    r.reason = o.value(u"reason").toString();
    for (const QJsonValue &h : o.value(u"headers").toArray()) {
        const QJsonArray pair = h.toArray();
        if (pair.size() == 2)
            r.headers.append({pair.at(0).toString().toLatin1(), pair.at(1).toString().toLatin1()});
    }
    if (o.contains(u"bodyBase64"))
        r.body = QByteArray::fromBase64(o.value(u"bodyBase64").toString().toLatin1());
    else
        r.body = o.value(u"body").toString().toUtf8();
    r.timings.connectMs = o.value(u"connectMs").toDouble();
    r.timings.firstByteMs = o.value(u"firstByteMs").toDouble();
    r.timings.totalMs = o.value(u"totalMs").toDouble();
    r.timings.reusedConnection = o.value(u"reusedConnection").toBool();
    r.error = o.value(u"error").toString();
    r.timedOut = o.value(u"timedOut").toBool();
    r.canceled = o.value(u"canceled").toBool();
    r.requestId = o.value(u"requestId").toString();
    r.clientRequestId = o.value(u"clientRequestId").toString();
    r.sentAt = QDateTime::fromString(o.value(u"sentAt").toString(), Qt::ISODateWithMs);
    if (o.contains(u"runFunctionFailed"))
        r.runFunctionFailed = o.value(u"runFunctionFailed").toBool();
    return r;
}
