#pragma once

#include <QProcess>
#include <QString>
#include <QTemporaryDir>
#include <QUrl>

// The real scoring server (resources/scoring/scoring_server.py) running the invoke fixture
// script on a free local port, for the invoke tests and the benchmark.
class ScoringServerProcess
{
public:
    ScoringServerProcess() = default;
    ~ScoringServerProcess();
    ScoringServerProcess(const ScoringServerProcess &) = delete;
    ScoringServerProcess &operator=(const ScoringServerProcess &) = delete;

    // Starts the server and waits (event loop running) until `/` answers. Empty on success,
    // otherwise what went wrong, with the server's output.
    QString start(int workers = 4, const QString &entryScript = {});
    void stop();

    int port() const { return m_port; }
    QUrl scoreUrl() const;
    // Everything the server printed so far. It goes to a file, never a pipe, so a server
    // logging while the test blocks in another process is never stalled by a full pipe.
    QString output() const;

    static int freePort();
    static QString fixtureScript(); // tests/invoke/fixtures/score.py

private:
    QProcess m_process;
    int m_port = 0;
    QTemporaryDir m_dir;
};
