#include "app/runtime/asyncprocess.h"

QString AsyncProcess::Outcome::message() const
{
    if (!started)
        return errorString;
    QString text = QString::fromUtf8(err).trimmed();
    if (text.isEmpty())
        text = QString::fromUtf8(out).trimmed();
    if (text.isEmpty() && crashed)
        text = errorString;
    return text;
}

AsyncProcess::AsyncProcess(QObject *scope, Done done, LineHandler onLine)
    : QObject(scope)
    , m_done(std::move(done))
    , m_onLine(std::move(onLine))
{}

AsyncProcess *AsyncProcess::run(QObject *scope, const QString &program, const QStringList &args,
                                Done done, LineHandler onLine,
                                const std::optional<QProcessEnvironment> &environment,
                                bool mergeChannels)
{
    auto *self = new AsyncProcess(scope, std::move(done), std::move(onLine));
    QProcess &p = self->m_process;
    if (environment)
        p.setProcessEnvironment(*environment);
    if (mergeChannels)
        p.setProcessChannelMode(QProcess::MergedChannels);
    connect(&p, &QProcess::readyReadStandardOutput, self, [self] {
        self->readLines(self->m_outPartial, self->m_outcome.out,
                        self->m_process.readAllStandardOutput());
    });
    connect(&p, &QProcess::readyReadStandardError, self, [self] {
        self->readLines(self->m_errPartial, self->m_outcome.err,
                        self->m_process.readAllStandardError());
    });
    connect(&p, &QProcess::finished, self, [self](int code, QProcess::ExitStatus status) {
        self->m_outcome.started = true;
        self->m_outcome.exitCode = code;
        self->m_outcome.crashed = status == QProcess::CrashExit;
        if (self->m_outcome.crashed)
            self->m_outcome.errorString = self->m_process.errorString();
        self->complete();
    });
    connect(&p, &QProcess::errorOccurred, self, [self](QProcess::ProcessError error) {
        if (error != QProcess::FailedToStart)
            return;
        self->m_outcome.started = false;
        self->m_outcome.errorString = self->m_process.errorString();
        self->complete();
    });
    p.start(program, args);
    p.closeWriteChannel();
    return self;
}

AsyncProcess::~AsyncProcess()
{
    // Deleting the scope kills the program; its finished signal must not reach a callback
    // whose captures died with the scope.
    m_process.disconnect(this);
    m_done = nullptr;
    // Killed and reaped here rather than by QProcess's destructor, which warns about it.
    if (m_process.state() != QProcess::NotRunning) {
        m_process.kill();
        m_process.waitForFinished(2000);
    }
}

void AsyncProcess::kill()
{
    m_process.kill();
}

void AsyncProcess::readLines(QByteArray &buffer, QByteArray &sink, QByteArray chunk)
{
    sink += chunk;
    if (!m_onLine)
        return;
    buffer += chunk;
    qsizetype start = 0;
    for (qsizetype nl = buffer.indexOf('\n'); nl >= 0; nl = buffer.indexOf('\n', start)) {
        QString line = QString::fromUtf8(buffer.constData() + start, nl - start);
        if (line.endsWith(u'\r'))
            line.chop(1);
        start = nl + 1;
        m_onLine(line);
    }
    buffer.remove(0, start);
}

void AsyncProcess::complete()
{
    if (m_completed)
        return;
    m_completed = true;
    readLines(m_outPartial, m_outcome.out, m_process.readAllStandardOutput());
    if (m_process.processChannelMode() != QProcess::MergedChannels)
        readLines(m_errPartial, m_outcome.err, m_process.readAllStandardError());
    if (m_onLine) {
        for (QByteArray *rest : {&m_outPartial, &m_errPartial})
            if (!rest->isEmpty())
                m_onLine(QString::fromUtf8(*rest));
    }
    Done done = std::move(m_done);
    const Outcome outcome = m_outcome;
    deleteLater();
    if (done)
        done(outcome);
}
