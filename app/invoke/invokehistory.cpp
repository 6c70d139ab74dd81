#include "app/invoke/invokehistory.h"

#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QRandomGenerator>
#include <QSaveFile>
#include <QStandardPaths>

namespace {

QString safeName(const QString &endpoint)
{
    QString out;
    for (QChar c : endpoint)
        out += (c.isLetterOrNumber() || c == u'-' || c == u'_' || c == u'.') ? c : QChar(u'_');
    if (out.isEmpty() || out.startsWith(u'.'))
        out.prepend(u'_');
    return out;
}

} // namespace

QString InvokeHistoryEntry::title() const
{
    QString status = response.completed() ? QString::number(response.status)
                     : response.timedOut  ? QStringLiteral("timeout")
                     : response.canceled  ? QStringLiteral("cancelled")
                                          : QStringLiteral("error");
    QString body = QString::fromUtf8(request.body.left(80)).simplified();
    if (body.size() > 40)
        body = body.left(40) + u'…';
    return time.toLocalTime().toString(u"HH:mm:ss") + u"  " + scoringMethodName(request.method) +
           u' ' + status + u"  " + QString::number(response.timings.totalMs, 'f', 1) + u" ms  " +
           body;
}

QJsonObject InvokeHistoryEntry::toJson() const
{
    return QJsonObject{
        {QStringLiteral("id"), id},
        {QStringLiteral("endpoint"), endpoint},
        {QStringLiteral("time"), time.toString(Qt::ISODateWithMs)},
        {QStringLiteral("request"), request.toJson()},
        {QStringLiteral("response"), response.toJson()},
        {QStringLiteral("responseBodySize"), responseBodySize},
        {QStringLiteral("responseBodyTruncated"), responseBodyTruncated},
    };
}

InvokeHistoryEntry InvokeHistoryEntry::fromJson(const QJsonObject &o)
{
    InvokeHistoryEntry e;
    e.id = o.value(u"id").toString();
    e.endpoint = o.value(u"endpoint").toString();
    e.time = QDateTime::fromString(o.value(u"time").toString(), Qt::ISODateWithMs);
    e.request = ScoringRequest::fromJson(o.value(u"request").toObject());
    e.response = ScoringResponse::fromJson(o.value(u"response").toObject());
    e.responseBodySize = o.value(u"responseBodySize").toInteger(e.response.body.size());
    e.responseBodyTruncated = o.value(u"responseBodyTruncated").toBool();
    return e;
}

InvokeHistory::InvokeHistory(QString endpoint, QString rootDir)
    : m_endpoint(std::move(endpoint))
    , m_root(std::move(rootDir))
{
    reload();
}

QString InvokeHistory::defaultRoot()
{
    return QStandardPaths::writableLocation(QStandardPaths::GenericDataLocation) +
           u"/endpoint-studio/history";
}

QString InvokeHistory::directory() const
{
    return m_root + u'/' + safeName(m_endpoint);
}

QString InvokeHistory::filePath(const QString &id) const
{
    return directory() + u'/' + id + u".json";
}

void InvokeHistory::reload()
{
    m_entries.clear();
    const QDir dir(directory());
    const QStringList files =
        dir.entryList({QStringLiteral("*.json")}, QDir::Files, QDir::Name | QDir::Reversed);
    for (const QString &name : files) {
        QFile f(dir.filePath(name));
        if (!f.open(QIODevice::ReadOnly))
            continue;
        const QJsonDocument doc = QJsonDocument::fromJson(f.readAll());
        if (!doc.isObject())
            continue; // a half-written or foreign file is not history
        InvokeHistoryEntry e = InvokeHistoryEntry::fromJson(doc.object());
        e.id = name.chopped(5);
        m_entries.append(std::move(e));
    }
}

std::optional<InvokeHistoryEntry> InvokeHistory::entry(const QString &id) const
{
    for (const InvokeHistoryEntry &e : m_entries) {
        if (e.id == id)
            return e;
    }
    return std::nullopt;
}

Result<InvokeHistoryEntry> InvokeHistory::add(const ScoringRequest &request,
                                              const ScoringResponse &response)
{
    InvokeHistoryEntry e;
    e.endpoint = m_endpoint;
    e.time = response.sentAt.isValid() ? response.sentAt : QDateTime::currentDateTimeUtc();
    e.id = e.time.toUTC().toString(u"yyyyMMdd'T'HHmmsszzz") + u'-' +
           QString::number(QRandomGenerator::global()->generate() & 0xffffff, 16)
               .rightJustified(6, u'0');
    e.request = request;
    e.request.authToken.clear();
    if (e.request.body.size() > MaxStoredBody)
        e.request.body.truncate(MaxStoredBody);
    e.response = response;
    e.responseBodySize = response.body.size();
    if (response.body.size() > MaxStoredBody) {
        e.response.body.truncate(MaxStoredBody);
        e.responseBodyTruncated = true;
    }

    if (!QDir().mkpath(directory()))
        return Result<InvokeHistoryEntry>::failure(u"Cannot create " + directory());
    QSaveFile f(filePath(e.id));
    if (!f.open(QIODevice::WriteOnly))
        return Result<InvokeHistoryEntry>::failure(u"Cannot write " + f.fileName() + u": " +
                                                   f.errorString());
    f.write(QJsonDocument(e.toJson()).toJson(QJsonDocument::Indented));
    if (!f.commit())
        return Result<InvokeHistoryEntry>::failure(u"Cannot write " + f.fileName() + u": " +
                                                   f.errorString());
    m_entries.prepend(e);
    trim();
    return e;
}

bool InvokeHistory::remove(const QString &id)
{
    for (qsizetype i = 0; i < m_entries.size(); ++i) {
        if (m_entries.at(i).id == id) {
            m_entries.removeAt(i);
            return QFile::remove(filePath(id));
        }
    }
    return false;
}

void InvokeHistory::clear()
{
    for (const InvokeHistoryEntry &e : std::as_const(m_entries))
        QFile::remove(filePath(e.id));
    m_entries.clear();
}

void InvokeHistory::setMaxEntries(int count)
{
    m_maxEntries = qMax(1, count);
    trim();
}

void InvokeHistory::trim()
{
    while (m_entries.size() > m_maxEntries)
        QFile::remove(filePath(m_entries.takeLast().id));
}
