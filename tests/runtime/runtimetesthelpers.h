#pragma once

// Shared by the hardening and fault tests: a recorder of one manager's operations, HTTP, files.
#include "app/runtime/deploymentmanager.h"
#include "tests/common/testsupport.h"

#include <QDir>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFile>
#include <QFileInfo>
#include <QHash>
#include <QNetworkAccessManager>
#include <QNetworkProxy>
#include <QNetworkReply>
#include <QTest>

namespace RuntimeTest {

struct OpResult
{
    bool done = false;
    bool ok = false;
    QString error;
    DeploymentManager::ErrorKind kind = DeploymentManager::ErrorKind::None;
};

class Recorder : public QObject
{
public:
    explicit Recorder(DeploymentManager *m)
        : manager(m)
    {
        connect(m, &DeploymentManager::finished, this,
                [this](quint64 op, bool ok, const QString &error) {
                    results.insert(op, {true, ok, error, manager->errorKind(op)});
                });
        connect(m, &DeploymentManager::progress, this,
                [this](quint64, const QString &, const QString &, const QString &phase,
                       const QString &message, int) { progress << phase + u' ' + message; });
        connect(m, &DeploymentManager::stateChanged, this, [this](const DeploymentInfo &info) {
            states << info.deployment + u' ' + provisioningStateName(info.state);
        });
    }

    OpResult wait(quint64 op, int timeoutMs = 240000)
    {
        QElapsedTimer clock;
        clock.start();
        while (!results.value(op).done && clock.elapsed() < timeoutMs)
            QTest::qWait(20);
        return results.value(op);
    }

    DeploymentManager *manager;
    QHash<quint64, OpResult> results;
    QStringList progress;
    QStringList states;
};

struct HttpAnswer
{
    int status = 0;
    QByteArray body;
    QString error;
};

inline HttpAnswer post(const QString &url, const QByteArray &body, int timeoutMs = 20000)
{
    QNetworkAccessManager network;
    network.setProxy(QNetworkProxy::NoProxy);
    QNetworkRequest request{QUrl(url)};
    request.setHeader(QNetworkRequest::ContentTypeHeader, QStringLiteral("application/json"));
    request.setTransferTimeout(timeoutMs);
    QNetworkReply *reply = network.post(request, body);
    QEventLoop loop;
    QObject::connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
    loop.exec();
    HttpAnswer a;
    a.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    a.body = reply->readAll();
    if (reply->error() != QNetworkReply::NoError)
        a.error = reply->errorString();
    reply->deleteLater();
    return a;
}

inline bool copyTree(const QString &from, const QString &to)
{
    QDir().mkpath(to);
    const QDir src(from);
    for (const QFileInfo &fi : src.entryInfoList(QDir::AllEntries | QDir::NoDotAndDotDot)) {
        const QString target = to + u'/' + fi.fileName();
        if (fi.isDir() ? !copyTree(fi.absoluteFilePath(), target)
                       : !QFile::copy(fi.absoluteFilePath(), target))
            return false;
    }
    return true;
}

inline bool writeFile(const QString &path, const QByteArray &text)
{
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile f(path);
    return f.open(QIODevice::WriteOnly | QIODevice::Truncate) && f.write(text) == text.size();
}

inline QString readAll(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? QString::fromUtf8(f.readAll()) : QString();
}

// The permission bits of a file or folder (0700, 0600, …).
inline int mode(const QString &path)
{
    const QFileDevice::Permissions p = QFileInfo(path).permissions();
    int m = 0;
    const QList<QPair<QFileDevice::Permission, int>> bits{
        {QFileDevice::ReadOwner, 0400}, {QFileDevice::WriteOwner, 0200},
        {QFileDevice::ExeOwner, 0100},  {QFileDevice::ReadGroup, 040},
        {QFileDevice::WriteGroup, 020}, {QFileDevice::ExeGroup, 010},
        {QFileDevice::ReadOther, 04},   {QFileDevice::WriteOther, 02},
        {QFileDevice::ExeOther, 01}};
    for (const auto &[flag, bit] : bits)
        if (p & flag)
            m |= bit;
    return m;
}

// Containers or volumes carrying the studio's endpoint label.
inline QStringList labelled(const QString &what, const QString &endpoint)
{
    const QStringList args =
        what == u"volume"
            ? QStringList{QStringLiteral("volume"), QStringLiteral("ls"), QStringLiteral("-q"),
                          QStringLiteral("--filter"),
                          QStringLiteral("label=endpoint-studio.endpoint=") + endpoint}
            : QStringList{QStringLiteral("ps"), QStringLiteral("-aq"), QStringLiteral("--filter"),
                          QStringLiteral("label=endpoint-studio.endpoint=") + endpoint};
    const auto r = TestSupport::run(TestSupport::dockerProgram(), args);
    return QString::fromUtf8(r.out).split(u'\n', Qt::SkipEmptyParts);
}

} // namespace RuntimeTest
