#include "app/runtime/deploymentmanager.h"
#include "tests/common/testsupport.h"
#include "ui/editordocument.h"
#include "ui/mainwindow.h"

#include <Qsci/qsciscintilla.h>

#include <QApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFile>
#include <QProcess>
#include <QSettings>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

#include <algorithm>
#include <cstdio>

// Prints: start to first shown window (a fresh endpoint-studio process), its idle RSS with an
// example open, and the longest UI-thread stall while typing steadily into a 2,000-line YAML.
namespace {

struct StartRun
{
    qint64 wallMs = -1;   // QProcess::start → the window reported itself shown
    qint64 insideMs = -1; // main() → shown, as the process measured it
    qint64 rssKb = -1;    // VmRSS after idling with the example open
};

qint64 rssKb(qint64 pid)
{
    QFile status(QStringLiteral("/proc/%1/status").arg(pid));
    if (!status.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray &line : status.readAll().split('\n')) {
        if (line.startsWith("VmRSS:"))
            return line.mid(6).trimmed().split(' ').value(0).toLongLong();
    }
    return -1;
}

StartRun startOnce(const QString &folder, int idleMs, const QString &configHome)
{
    StartRun run;
    QProcess process;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
    env.insert(QStringLiteral("XDG_CONFIG_HOME"), configHome);
    process.setProcessEnvironment(env);
    QElapsedTimer timer;
    timer.start();
    process.start(TestSupport::binDir() + QStringLiteral("/endpoint-studio"),
                  {QStringLiteral("--startup-timing"), QStringLiteral("--quit-after"),
                   QString::number(idleMs + 500), folder});
    QByteArray out;
    while (process.state() != QProcess::NotRunning && !out.contains('\n')) {
        process.waitForReadyRead(50);
        out += process.readAllStandardOutput();
    }
    run.wallMs = timer.elapsed();
    const QByteArray line = out.left(out.indexOf('\n'));
    if (line.startsWith("first-window-ms "))
        run.insideMs = line.mid(16).toLongLong();
    QTest::qWait(idleMs);
    run.rssKb = rssKb(process.processId());
    process.waitForFinished(10000);
    return run;
}

QByteArray bigDeploymentYaml(int lines)
{
    QByteArray text = "$schema: "
                      "https://azuremlschemas.azureedge.net/latest/"
                      "managedOnlineDeployment.schema.json\n"
                      "name: blue\nendpoint_name: bench\n"
                      "model:\n  path: model\n"
                      "code_configuration:\n  code: code\n  scoring_script: score.py\n"
                      "environment:\n  image: endpoint-studio/python:3.11-bookworm\n"
                      "instance_type: Standard_DS3_v2\ninstance_count: 1\n"
                      "environment_variables:\n";
    int line = 13;
    while (line < lines) {
        text += "  # setting " + QByteArray::number(line) + "\n";
        text +=
            "  VAR_" + QByteArray::number(line) + ": \"value " + QByteArray::number(line) + "\"\n";
        line += 2;
    }
    return text;
}

double percentile(QList<qint64> values, double p)
{
    if (values.isEmpty())
        return 0;
    std::sort(values.begin(), values.end());
    return values.at(qMin(values.size() - 1, qsizetype(p * double(values.size()))));
}

} // namespace

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    QTemporaryDir dir;
    // The benchmark's window must not touch the user's settings or recent folders.
    QSettings::setDefaultFormat(QSettings::IniFormat);
    QSettings::setPath(QSettings::IniFormat, QSettings::UserScope,
                       dir.filePath(QStringLiteral("settings")));
    const QString example = TestSupport::examplesDir() + QStringLiteral("/linear-python");

    // 1 + 2: a fresh process per run; the first run warms the file cache and is not counted.
    QList<qint64> wall, inside, rss;
    for (int i = 0; i < 6; ++i) {
        const StartRun run = startOnce(example, 2500, dir.filePath(QStringLiteral("config")));
        if (run.insideMs < 0) {
            std::printf("endpoint-studio did not report its window\n");
            return 1;
        }
        if (i == 0)
            continue;
        wall << run.wallMs;
        inside << run.insideMs;
        rss << run.rssKb;
    }
    std::printf("start to first shown window: median %.0f ms (process start to shown), "
                "%.0f ms inside main(), best %lld ms, %lld runs\n",
                percentile(wall, 0.5), percentile(inside, 0.5),
                static_cast<long long>(*std::min_element(wall.begin(), wall.end())),
                static_cast<long long>(wall.size()));
    std::printf("idle RSS with examples/linear-python open: median %.1f MB, max %.1f MB\n",
                percentile(rss, 0.5) / 1024.0,
                double(*std::max_element(rss.begin(), rss.end())) / 1024.0);

    // 3: type into a 2,000-line YAML at a steady 20 keys/s while a 1 ms timer measures how
    // late the event loop gets to it (the UI-thread stall).
    const QString path = dir.filePath(QStringLiteral("big-deployment.yml"));
    {
        QFile file(path);
        if (!file.open(QIODevice::WriteOnly))
            return 1;
        file.write(bigDeploymentYaml(2000));
    }
    DeploymentManager::Options options;
    options.runtime = DeploymentManager::RuntimeChoice::Process;
    options.dataDir = dir.filePath(QStringLiteral("data"));
    auto *manager = new DeploymentManager(options);
    MainWindow window(nullptr, manager);
    manager->setParent(&window);
    window.openFolder(dir.path());
    window.show();
    if (!QTest::qWaitForWindowExposed(&window))
        return 1;
    EditorDocument *document = window.openFile(path);
    if (!document)
        return 1;
    QsciScintilla *editor = document->editor();
    std::printf("typing into %d lines\n", editor->lines());
    editor->setFocus();
    editor->setCursorPosition(1000, 2);
    QTest::qWait(1000);

    QList<qint64> gaps;
    QElapsedTimer clock;
    clock.start();
    qint64 last = clock.nsecsElapsed();
    QTimer probe;
    probe.setTimerType(Qt::PreciseTimer);
    probe.setInterval(1);
    QObject::connect(&probe, &QTimer::timeout, &app, [&] {
        const qint64 now = clock.nsecsElapsed();
        gaps << (now - last) / 1000; // µs
        last = now;
    });
    const QString typed = QStringLiteral("  NEW_SETTING: \"typed steadily at twenty keys\"\n");
    int next = 0;
    int keys = 0;
    QTimer typist;
    typist.setInterval(50);
    QObject::connect(&typist, &QTimer::timeout, &app, [&] {
        const QChar c = typed.at(next++ % typed.size());
        if (c == u'\n')
            QTest::keyClick(editor, Qt::Key_Return);
        else
            QTest::keyClicks(editor, QString(c));
        ++keys;
    });
    // A real event loop: QTest::qWait sleeps 10 ms between event batches and would hide stalls.
    auto spin = [&app](int ms) {
        QEventLoop loop;
        QTimer::singleShot(ms, &app, [&loop] { loop.quit(); });
        loop.exec();
    };
    probe.start();
    typist.start();
    spin(10000);
    typist.stop();
    spin(1000); // the last validation runs out
    probe.stop();
    const qint64 worst = *std::max_element(gaps.begin(), gaps.end());
    std::printf("typing %d keys into a 2,000-line YAML (validation on): longest UI-thread stall "
                "%.1f ms, p99 %.1f ms, p50 %.2f ms (1 ms probe, %lld samples)\n",
                keys, double(worst) / 1000.0, percentile(gaps, 0.99) / 1000.0,
                percentile(gaps, 0.5) / 1000.0, static_cast<long long>(gaps.size()));
    std::printf("problems shown: %lld\n", static_cast<long long>(document->diagnostics().size()));
    document->editor()->setModified(false);
    return 0;
}
