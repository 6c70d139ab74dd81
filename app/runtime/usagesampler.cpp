#include "app/runtime/usagesampler.h"

#include "app/runtime/asyncprocess.h"

#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>

#include <unistd.h>

namespace {

// utime + stime of one process, in clock ticks; -1 when it is gone.
qint64 cpuTicks(qint64 pid)
{
    QFile f(QStringLiteral("/proc/%1/stat").arg(pid));
    if (!f.open(QIODevice::ReadOnly))
        return -1;
    const QByteArray s = f.readAll();
    const qsizetype close = s.lastIndexOf(')');
    const QList<QByteArray> fields = s.mid(close + 2).split(' ');
    // After "pid (comm) ": state is field 3, utime 14, stime 15.
    return fields.value(11).toLongLong() + fields.value(12).toLongLong();
}

qint64 parentOf(qint64 pid)
{
    QFile f(QStringLiteral("/proc/%1/stat").arg(pid));
    if (!f.open(QIODevice::ReadOnly))
        return -1;
    const QByteArray s = f.readAll();
    return s.mid(s.lastIndexOf(')') + 2).split(' ').value(1).toLongLong();
}

qint64 residentBytes(qint64 pid)
{
    QFile f(QStringLiteral("/proc/%1/statm").arg(pid));
    if (!f.open(QIODevice::ReadOnly))
        return 0;
    return f.readAll().split(' ').value(1).toLongLong() * ::sysconf(_SC_PAGESIZE);
}

// The server and every process below it (its workers).
QList<qint64> processTree(qint64 root)
{
    QHash<qint64, QList<qint64>> children;
    for (const QString &entry : QDir(QStringLiteral("/proc")).entryList(QDir::Dirs)) {
        bool ok = false;
        const qint64 pid = entry.toLongLong(&ok);
        if (ok)
            children[parentOf(pid)].append(pid);
    }
    QList<qint64> tree{root};
    for (qsizetype i = 0; i < tree.size(); ++i)
        tree << children.value(tree[i]);
    return tree;
}

} // namespace

UsageSampler::UsageSampler(QObject *parent)
    : QObject(parent)
{
    qRegisterMetaType<UsageSampler::Sample>();
    m_timer.setInterval(1000);
    connect(&m_timer, &QTimer::timeout, this, &UsageSampler::sampleProcesses);
}

UsageSampler::~UsageSampler()
{
    stop();
}

void UsageSampler::stop()
{
    m_running = false;
    m_timer.stop();
    delete m_scope.data(); // kills docker stats
    m_key.clear();
}

void UsageSampler::start(const DeploymentInfo &info)
{
    stop();
    const ContainerInfo *server = info.container(inferenceServerRole());
    if (!server || server->status != u"running") {
        emit unavailable(tr("the inference server is not running"));
        return;
    }
    m_info = info;
    m_key = info.key();
    m_running = true;
    if (info.runtime == RuntimeKind::Process) {
        m_pid = server->id.toLongLong();
        m_lastTicks = -1;
        m_timer.start();
        sampleProcesses();
        return;
    }
    m_scope = new QObject(this);
    const QString program =
        info.containerProgram.isEmpty() ? QStringLiteral("docker") : info.containerProgram;
    AsyncProcess::run(
        m_scope, program,
        {QStringLiteral("stats"), QStringLiteral("--format"), QStringLiteral("{{json .}}"),
         server->name},
        [this](const AsyncProcess::Outcome &o) {
            if (m_running && !o.ok())
                emit unavailable(o.message());
        },
        [this](const QString &line) { onStatsLine(line); });
}

void UsageSampler::onStatsLine(const QString &line)
{
    // Each line starts with a cursor-home escape; the JSON object follows.
    const qsizetype brace = line.indexOf(u'{');
    if (brace < 0)
        return;
    const QJsonObject o = QJsonDocument::fromJson(line.mid(brace).toUtf8()).object();
    if (o.isEmpty())
        return;
    Sample s;
    s.at = QDateTime::currentDateTimeUtc();
    s.cpuPercent = parsePercent(o.value(QStringLiteral("CPUPerc")).toString());
    const QStringList mem = o.value(QStringLiteral("MemUsage")).toString().split(u'/');
    s.memoryBytes = parseBytes(mem.value(0));
    s.limitBytes = parseBytes(mem.value(1));
    emit sampled(s);
}

void UsageSampler::sampleProcesses()
{
    if (!m_running)
        return;
    qint64 ticks = 0;
    qint64 memory = 0;
    bool alive = false;
    for (qint64 pid : processTree(m_pid)) {
        const qint64 t = cpuTicks(pid);
        if (t < 0)
            continue;
        alive = true;
        ticks += t;
        memory += residentBytes(pid);
    }
    if (!alive) {
        m_timer.stop();
        emit unavailable(tr("the scoring server process (pid %1) is gone").arg(m_pid));
        return;
    }
    const qint64 elapsedMs = m_clock.isValid() ? m_clock.restart() : (m_clock.start(), 0);
    const qint64 previous = std::exchange(m_lastTicks, ticks);
    if (previous < 0 || elapsedMs <= 0)
        return;
    Sample s;
    s.at = QDateTime::currentDateTimeUtc();
    s.cpuPercent = 100.0 * double(ticks - previous) / double(::sysconf(_SC_CLK_TCK)) /
                   (double(elapsedMs) / 1000.0);
    s.memoryBytes = memory;
    s.limitBytes = m_info.settings.memoryBytes > 0 ? m_info.settings.memoryBytes
                                                   : HostResources::local().memoryBytes;
    emit sampled(s);
}

double UsageSampler::parsePercent(const QString &text)
{
    QString t = text.trimmed();
    if (t.endsWith(u'%'))
        t.chop(1);
    return t.toDouble();
}

qint64 UsageSampler::parseBytes(const QString &text)
{
    static const QRegularExpression re(QStringLiteral(R"(^\s*([\d.]+)\s*([KMGTP]?i?B)?\s*$)"),
                                       QRegularExpression::CaseInsensitiveOption);
    const QRegularExpressionMatch m = re.match(text);
    if (!m.hasMatch())
        return 0;
    const double v = m.captured(1).toDouble();
    const QString unit = m.captured(2).toUpper();
    const bool binary = unit.contains(u'I');
    const double base = binary ? 1024.0 : 1000.0;
    int power = 0;
    if (!unit.isEmpty()) {
        const QChar p = unit.at(0);
        power = QStringLiteral("BKMGTP").indexOf(p);
        if (power < 0)
            power = 0;
    }
    double bytes = v;
    for (int i = 0; i < power; ++i)
        bytes *= base;
    return qint64(bytes);
}
