// Prints the UI-thread stall while the log panel follows a process printing 50,000 lines/s,
// next to a QPlainTextEdit fed the same stream (the usual baseline).
#include "app/logs/logstore.h"
#include "tests/common/testsupport.h"
#include "widgets/logs/logpanel.h"
#include "widgets/logs/logview.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QPlainTextEdit>
#include <QProcess>
#include <QTimer>

#include <algorithm>
#include <cstdio>
#include <ctime>
#include <vector>

namespace {

const char *const Writer = R"(
import sys, time
rate, seconds = int(sys.argv[1]), float(sys.argv[2])
total = int(rate * seconds)
tpl = "2026-11-28 10:00:%02d,%03d I [7] azmlinfsrv.access - [5f0c%08d-8a1d-4c55] POST /score 200 0.52ms 12\n"
start, n = time.monotonic(), 0
while n < total:
    due = min(total, int((time.monotonic() - start) * rate) + 1)
    if due > n:
        sys.stdout.write("".join(tpl % ((i // 1000) % 60, i % 1000, i) for i in range(n, due)))
        sys.stdout.flush()
        n = due
    time.sleep(0.002)
)";

qint64 threadCpuNs()
{
    timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return qint64(ts.tv_sec) * 1000000000 + ts.tv_nsec;
}

// Times every top-level event the UI thread handles, in wall time and in the thread's own
// CPU time: on a loaded machine the wall time includes waiting for a core.
class TimingApplication : public QApplication
{
public:
    using QApplication::QApplication;
    bool notify(QObject *receiver, QEvent *event) override
    {
        if (depth++ > 0 || !measuring) {
            const bool r = QApplication::notify(receiver, event);
            --depth;
            return r;
        }
        QElapsedTimer wall;
        wall.start();
        const qint64 cpu = threadCpuNs();
        const bool r = QApplication::notify(receiver, event);
        maxWallMs = qMax(maxWallMs, double(wall.nsecsElapsed()) / 1e6);
        maxCpuMs = qMax(maxCpuMs, double(threadCpuNs() - cpu) / 1e6);
        --depth;
        return r;
    }
    void reset()
    {
        maxWallMs = maxCpuMs = 0;
        measuring = true;
    }
    int depth = 0;
    bool measuring = false;
    double maxWallMs = 0;
    double maxCpuMs = 0;
};

// Measures how late a 1 ms timer fires: the longest the event loop was busy.
struct StallMeter
{
    QTimer timer;
    QElapsedTimer clock;
    qint64 last = 0;
    std::vector<double> gaps;

    void start(QObject *context)
    {
        timer.setTimerType(Qt::PreciseTimer);
        timer.setInterval(1);
        QObject::connect(&timer, &QTimer::timeout, context, [this] {
            const qint64 now = clock.nsecsElapsed();
            gaps.push_back(double(now - last) / 1e6);
            last = now;
        });
        clock.start();
        last = clock.nsecsElapsed();
        timer.start();
    }
    void report(const char *what)
    {
        timer.stop();
        std::sort(gaps.begin(), gaps.end());
        auto pct = [&](double p) {
            return gaps.empty() ? 0.0 : gaps[size_t(double(gaps.size() - 1) * p)];
        };
        std::printf("%s: UI-thread stall max %.1f ms, p99 %.1f ms, p50 %.1f ms (%zu ticks; "
                    "target max <= 16 ms)\n",
                    what, gaps.empty() ? 0.0 : gaps.back(), pct(0.99), pct(0.5), gaps.size());
    }
};

void runFor(int ms)
{
    QElapsedTimer t;
    t.start();
    while (t.elapsed() < ms)
        QCoreApplication::processEvents(QEventLoop::AllEvents, 5);
}

} // namespace

int main(int argc, char **argv)
{
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    TimingApplication app(argc, argv);
    const int rate = argc > 1 ? QByteArray(argv[1]).toInt() : 50000;
    const double seconds = argc > 2 ? QByteArray(argv[2]).toDouble() : 5.0;
    const QStringList writerArgs = {QStringLiteral("-c"), QString::fromUtf8(Writer),
                                    QString::number(rate), QString::number(seconds)};
    const qint64 expected = qint64(rate * seconds);

    {
        LogPanel panel;
        panel.resize(1200, 700);
        panel.show();
        StallMeter meter;
        meter.start(&panel);
        app.reset();
        QElapsedTimer t;
        t.start();
        panel.followProcess(LogPanel::Tab::InferenceServer, QStringLiteral("/usr/bin/python3"),
                            writerArgs);
        LogStore *store = panel.store(LogPanel::Tab::InferenceServer);
        while (store->lineCount() < expected && t.elapsed() < qint64(seconds * 1000) + 20000)
            runFor(50);
        const double elapsed = double(t.elapsed()) / 1000.0;
        meter.report("LogPanel following");
        app.measuring = false;
        std::printf("  longest single UI-thread event: %.1f ms wall, %.1f ms thread CPU\n",
                    app.maxWallMs, app.maxCpuMs);
        std::printf("  received %lld of %lld lines in %.2f s (%.0f lines/s); view at row %lld of "
                    "%lld, following=%d\n",
                    store->lineCount(), expected, elapsed, double(store->lineCount()) / elapsed,
                    panel.view()->lastVisibleRow() + 1, panel.view()->rowCount(),
                    int(panel.view()->isFollowing()));
        QElapsedTimer paint;
        double worst = 0;
        double sum = 0;
        for (int i = 0; i < 50; ++i) {
            paint.start();
            panel.view()->viewport()->repaint();
            const double ms = double(paint.nsecsElapsed()) / 1e6;
            worst = qMax(worst, ms);
            sum += ms;
        }
        std::printf("  repaint of the log view (%lld rows on screen): mean %.1f ms, worst of 50 "
                    "%.1f ms\n",
                    panel.view()->lastVisibleRow() - panel.view()->firstVisibleRow() + 1, sum / 50,
                    worst);
    }
    if (argc > 3 && QByteArray(argv[3]) == "--no-baseline")
        return 0;
    {
        // The same stream appended to a QPlainTextEdit per read, as many tools do.
        QPlainTextEdit edit;
        edit.setReadOnly(true);
        edit.resize(1200, 700);
        edit.show();
        QProcess process;
        qint64 lines = 0;
        QObject::connect(&process, &QProcess::readyReadStandardOutput, &edit, [&] {
            const QByteArray data = process.readAllStandardOutput();
            lines += data.count('\n');
            edit.appendPlainText(QString::fromUtf8(data.endsWith('\n') ? data.chopped(1) : data));
        });
        StallMeter meter;
        meter.start(&edit);
        app.reset();
        QElapsedTimer t;
        t.start();
        process.start(QStringLiteral("/usr/bin/python3"), writerArgs);
        while ((process.state() != QProcess::NotRunning || process.bytesAvailable()) &&
               t.elapsed() < qint64(seconds * 1000) + 60000)
            runFor(50);
        const double elapsed = double(t.elapsed()) / 1000.0;
        meter.report("baseline QPlainTextEdit::appendPlainText");
        app.measuring = false;
        std::printf("  longest single UI-thread event: %.1f ms wall, %.1f ms thread CPU\n",
                    app.maxWallMs, app.maxCpuMs);
        std::printf("  received %lld of %lld lines in %.2f s\n", lines, expected, elapsed);
        process.kill();
        process.waitForFinished();
    }
    return 0;
}
