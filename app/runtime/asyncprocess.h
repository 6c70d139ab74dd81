#pragma once

#include <QByteArray>
#include <QObject>
#include <QProcess>
#include <QProcessEnvironment>
#include <QString>
#include <QStringList>

#include <functional>
#include <optional>

// Runs one program without blocking the event loop and hands its exit code and output to a
// callback. Owned by `scope`: deleting the scope kills the program and drops the callback,
// which is how operations are canceled.
class AsyncProcess : public QObject
{
    Q_OBJECT
public:
    struct Outcome
    {
        bool started = false;
        bool crashed = false;
        int exitCode = -1;
        QString errorString; // when it did not start or crashed
        QByteArray out;
        QByteArray err;

        bool ok() const { return started && !crashed && exitCode == 0; }
        // stderr, else stdout, trimmed; else the start error.
        QString message() const;
    };
    using Done = std::function<void(const Outcome &)>;
    using LineHandler = std::function<void(const QString &line)>;

    static AsyncProcess *run(QObject *scope, const QString &program, const QStringList &args,
                             Done done, LineHandler onLine = {},
                             const std::optional<QProcessEnvironment> &environment = std::nullopt,
                             bool mergeChannels = false);

    ~AsyncProcess() override;

    void kill();

private:
    AsyncProcess(QObject *scope, Done done, LineHandler onLine);
    void readLines(QByteArray &buffer, QByteArray &sink, QByteArray chunk);
    void complete();

    QProcess m_process;
    Done m_done;
    LineHandler m_onLine;
    Outcome m_outcome;
    QByteArray m_outPartial;
    QByteArray m_errPartial;
    bool m_completed = false;
};
