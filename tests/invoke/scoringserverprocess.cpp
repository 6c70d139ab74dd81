#include "scoringserverprocess.h"

#include "tests/common/testsupport.h"

#include <QCoreApplication>
#include <QDeadlineTimer>
#include <QEventLoop>
#include <QFile>
#include <QHostAddress>
#include <QTcpServer>
#include <QTcpSocket>
#include <QThread>

ScoringServerProcess::~ScoringServerProcess()
{
    stop();
}

int ScoringServerProcess::freePort()
{
    QTcpServer server;
    if (!server.listen(QHostAddress::LocalHost, 0))
        return 0;
    return server.serverPort();
}

QString ScoringServerProcess::fixtureScript()
{
    return TestSupport::sourceDir() + QStringLiteral("/tests/invoke/fixtures/score.py");
}

QUrl ScoringServerProcess::scoreUrl() const
{
    return QUrl(QStringLiteral("http://127.0.0.1:%1/score").arg(m_port));
}

QString ScoringServerProcess::output() const
{
    QFile f(m_dir.filePath(QStringLiteral("server.log")));
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return QString::fromUtf8(f.readAll());
}

QString ScoringServerProcess::start(int workers, const QString &entryScript)
{
    m_port = freePort();
    m_process.setProcessChannelMode(QProcess::MergedChannels);
    m_process.setStandardOutputFile(m_dir.filePath(QStringLiteral("server.log")));
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("PYTHONDONTWRITEBYTECODE"), QStringLiteral("1"));
    m_process.setProcessEnvironment(env);
    m_process.start(
        QStringLiteral("/usr/bin/python3"),
        {TestSupport::sourceDir() + QStringLiteral("/resources/scoring/scoring_server.py"),
         QStringLiteral("--entry_script"), entryScript.isEmpty() ? fixtureScript() : entryScript,
         QStringLiteral("--port"), QString::number(m_port), QStringLiteral("--host"),
         QStringLiteral("127.0.0.1"), QStringLiteral("--worker_count"), QString::number(workers)});
    if (!m_process.waitForStarted(10000))
        return QStringLiteral("cannot start python3: ") + m_process.errorString();

    // Ready when the port accepts a connection (the server opens it after init()).
    QDeadlineTimer deadline(20000);
    while (!deadline.hasExpired()) {
        if (m_process.state() != QProcess::Running)
            return QStringLiteral("scoring server exited: ") + output();
        QTcpSocket probe;
        probe.connectToHost(QHostAddress::LocalHost, quint16(m_port));
        if (probe.waitForConnected(200))
            return {};
        QCoreApplication::processEvents(QEventLoop::AllEvents, 50);
        QThread::msleep(50);
    }
    return QStringLiteral("scoring server did not open its port: ") + output();
}

void ScoringServerProcess::stop()
{
    if (m_process.state() == QProcess::NotRunning)
        return;
    m_process.terminate();
    if (!m_process.waitForFinished(5000)) {
        m_process.kill();
        m_process.waitForFinished(2000);
    }
}
