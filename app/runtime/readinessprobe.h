#pragma once

#include "models/deploymentspec.h"

#include <QElapsedTimer>
#include <QNetworkAccessManager>
#include <QObject>
#include <QString>
#include <QTimer>
#include <QUrl>

#include <functional>

// Polls a readiness route until it answers 200 `successThreshold` times in a row, or the
// probe's budget runs out. Locally a probe costs nothing, so it polls far more often than
// `period` (first every 25 ms, backing off to 1 s) and gives up after
// initial_delay + period × failure_threshold seconds: Azure's budget, reached sooner.
class ReadinessProbe : public QObject
{
    Q_OBJECT
public:
    struct Outcome
    {
        bool ready = false;
        int attempts = 0;
        qint64 elapsedMs = 0;
        QString lastError; // last status or network error
    };
    using Done = std::function<void(const Outcome &)>;

    ReadinessProbe(const QUrl &url, const ProbeSettings &settings, QObject *parent);
    void start(Done done);

    static qint64 budgetMs(const ProbeSettings &settings);

private:
    void attempt();
    void finish(bool ready);

    QUrl m_url;
    ProbeSettings m_settings;
    QNetworkAccessManager m_network;
    QTimer m_timer;
    QElapsedTimer m_clock;
    Done m_done;
    Outcome m_outcome;
    int m_successes = 0;
    int m_interval = 25;
    bool m_finished = false;
};
