#include "app/invoke/loadrunner.h"

#include "app/invoke/loadengine.h"

#include <QDateTime>
#include <QPointer>
#include <QRandomGenerator>

LoadRunner::LoadRunner(QObject *parent)
    : QObject(parent)
{}

LoadRunner::~LoadRunner()
{
    stopThread();
}

QString LoadRunner::newRunId(const QDateTime &startedAtUtc)
{
    return startedAtUtc.toUTC().toString(u"yyyyMMdd'T'HHmmsszzz") + u'-' +
           QString::number(QRandomGenerator::global()->generate() & 0xffffff, 16)
               .rightJustified(6, u'0');
}

void LoadRunner::stopThread()
{
    if (m_engine)
        m_engine->cancel();
    if (m_thread.joinable())
        m_thread.join();
    m_engine.reset();
}

bool LoadRunner::start(const LoadPlan &plan, const QString &endpoint)
{
    if (m_running)
        return false;
    stopThread(); // the previous run's thread has ended; join it
    m_running = true;
    const QDateTime startedAt = QDateTime::currentDateTimeUtc();
    const QString id = newRunId(startedAt);
    auto engine = std::make_shared<LoadEngine>(plan);
    m_engine = engine;
    const int interval = m_progressMs;
    // Reports travel as queued calls to this object: Qt drops them if it is gone by then, and
    // the destructor waits for the thread, so the engine never outlives what it reports to.
    m_thread = std::thread([this, engine, interval, id, startedAt, endpoint] {
        auto stamp = [&](LoadReport r) {
            r.id = id;
            r.endpoint = endpoint;
            r.startedAt = startedAt;
            return r;
        };
        LoadReport report = engine->run(
            [&](const LoadReport &partial) {
                QMetaObject::invokeMethod(
                    this,
                    [this, r = stamp(partial)] {
                        if (m_running)
                            emit progress(r);
                    },
                    Qt::QueuedConnection);
            },
            interval);
        QMetaObject::invokeMethod(
            this,
            [this, r = stamp(std::move(report))] {
                stopThread();
                m_running = false;
                emit finished(r);
            },
            Qt::QueuedConnection);
    });
    return true;
}

void LoadRunner::cancel()
{
    if (m_running && m_engine)
        m_engine->cancel();
}
