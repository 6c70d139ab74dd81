#include "app/invoke/scoringclient.h"

#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QTimer>

namespace {

double elapsedMs(const QElapsedTimer &clock)
{
    return double(clock.nsecsElapsed()) / 1e6;
}

} // namespace

ScoringClient::ScoringClient(QObject *parent)
    : QObject(parent)
    , m_nam(new QNetworkAccessManager(this))
{
    // A scoring answer is shown as the server sent it: a 30x is a result, not a hop.
    m_nam->setRedirectPolicy(QNetworkRequest::ManualRedirectPolicy);
}

ScoringClient::~ScoringClient()
{
    // Replies die with the manager; nobody is left to hear their finished().
    for (auto it = m_pending.begin(); it != m_pending.end(); ++it)
        it.key()->disconnect(this);
    m_pending.clear();
}

quint64 ScoringClient::send(const ScoringRequest &request)
{
    QNetworkRequest nr(request.url);
    nr.setAttribute(QNetworkRequest::Http2AllowedAttribute, false);
    nr.setHeader(QNetworkRequest::UserAgentHeader,
                 QStringLiteral("EndpointStudio/" STUDIO_VERSION));
    for (const auto &[name, value] : request.effectiveHeaders())
        nr.setRawHeader(name.toLatin1(), value.toUtf8());

    Pending p;
    p.serial = m_nextSerial++;
    p.response.serial = p.serial;
    p.response.sentAt = QDateTime::currentDateTimeUtc();
    p.clock.start();

    QNetworkReply *reply =
        request.method == ScoringMethod::Get ? m_nam->get(nr) : m_nam->post(nr, request.body);
    p.reply = reply;
    connect(reply, &QNetworkReply::socketStartedConnecting, this, [this, reply] {
        if (auto it = m_pending.find(reply); it != m_pending.end())
            it->connecting = true;
    });
    connect(reply, &QNetworkReply::requestSent, this, [this, reply] {
        if (auto it = m_pending.find(reply); it != m_pending.end() && it->sentMs < 0)
            it->sentMs = elapsedMs(it->clock);
    });
    connect(reply, &QNetworkReply::metaDataChanged, this, [this, reply] {
        if (auto it = m_pending.find(reply); it != m_pending.end() && it->headersMs < 0)
            it->headersMs = elapsedMs(it->clock);
    });
    connect(reply, &QNetworkReply::finished, this, [this, reply] { complete(reply); });

    if (request.timeoutMs > 0) {
        p.timer = new QTimer(reply);
        p.timer->setSingleShot(true);
        p.timer->setTimerType(Qt::PreciseTimer); // a coarse timer may fire 5% early
        connect(p.timer, &QTimer::timeout, this, [this, reply, ms = request.timeoutMs] {
            if (auto it = m_pending.find(reply); it != m_pending.end()) {
                it->response.timedOut = true;
                it->response.error = QStringLiteral("Timed out after %1 ms").arg(ms);
                reply->abort();
            }
        });
        p.timer->start(request.timeoutMs);
    }
    const quint64 serial = p.serial;
    m_pending.insert(reply, std::move(p));
    return serial;
}

void ScoringClient::cancel(quint64 serial)
{
    for (auto it = m_pending.begin(); it != m_pending.end(); ++it) {
        if (it->serial == serial) {
            it->response.canceled = true;
            it->response.error = QStringLiteral("Cancelled");
            it.key()->abort(); // finished() arrives synchronously and completes it
            return;
        }
    }
}

void ScoringClient::cancelAll()
{
    QList<quint64> serials;
    for (const Pending &p : std::as_const(m_pending))
        serials.append(p.serial);
    for (quint64 s : serials)
        cancel(s);
}

void ScoringClient::complete(QNetworkReply *reply)
{
    auto it = m_pending.find(reply);
    if (it == m_pending.end())
        return;
    Pending p = std::move(*it);
    m_pending.erase(it);
    if (p.timer)
        p.timer->stop();

    ScoringResponse &r = p.response;
    r.timings.totalMs = elapsedMs(p.clock);
    r.timings.reusedConnection = !p.connecting;
    r.timings.connectMs = p.connecting && p.sentMs >= 0 ? p.sentMs : 0;
    r.timings.firstByteMs = p.headersMs >= 0 ? p.headersMs : r.timings.totalMs;

    const QVariant status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute);
    if (status.isValid() && !r.timedOut && !r.canceled) {
        r.status = status.toInt();
        r.reason = reply->attribute(QNetworkRequest::HttpReasonPhraseAttribute).toString();
        r.headers = reply->rawHeaderPairs();
        r.body = reply->readAll();
        r.requestId = QString::fromLatin1(r.header("x-request-id"));
        if (r.requestId.isEmpty())
            r.requestId = QString::fromLatin1(r.header("x-ms-request-id"));
        r.clientRequestId = QString::fromLatin1(r.header("x-ms-client-request-id"));
        const QByteArray failed = r.header("x-ms-run-function-failed");
        if (!failed.isEmpty())
            r.runFunctionFailed = failed.compare("true", Qt::CaseInsensitive) == 0;
    } else if (r.error.isEmpty()) {
        r.error = reply->errorString();
    }
    reply->disconnect(this);
    reply->deleteLater();
    emit finished(r);
}
