// Prints how long the UI thread stalls while a user types steadily into a 2,000-line deployment
// YAML in the window's editor (a YamlEditor with the add-ons EditorFactory attaches) with live
// validation and an attached InspectorForm (DESIGN.md target: no stall over 16 ms). Run:
// QT_QPA_PLATFORM=offscreen build-xx/tests/bench_yamleditor_typing
#include "models/editormodel.h"
#include "ui/editorfactory.h"
#include "widgets/editor/inspectorform.h"
#include "widgets/editor/yamleditor.h"
#include "widgets/editor/yamlvalidation.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QHBoxLayout>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

#include <algorithm>
#include <cstdio>

namespace {

QByteArray bigDeployment(int lines)
{
    QByteArray text = "$schema: https://azuremlschemas.azureedge.net/latest/"
                      "managedOnlineDeployment.schema.json\n"
                      "name: blue\n"
                      "endpoint_name: bench\n"
                      "model:\n  path: model\n"
                      "code_configuration:\n  code: onlinescoring\n  scoring_script: score.py\n"
                      "environment:\n  image: endpoint-studio/python:3.11-bookworm\n"
                      "instance_type: Standard_DS3_v2\n"
                      "instance_count: 1\n"
                      "environment_variables:\n";
    for (int i = 0; text.count('\n') < lines; ++i)
        text += "  VAR_" + QByteArray::number(i) + ": value-" + QByteArray::number(i) +
                " # a comment\n";
    return text;
}

double percentile(QList<double> values, double p)
{
    if (values.isEmpty())
        return 0;
    std::sort(values.begin(), values.end());
    return values.at(qMin(qsizetype(values.size() - 1), qsizetype(p * double(values.size()))));
}

template<typename F>
double medianMs(int runs, F &&f)
{
    QList<double> times;
    for (int i = 0; i < runs; ++i) {
        QElapsedTimer timer;
        timer.start();
        f();
        times << double(timer.nsecsElapsed()) / 1e6;
    }
    return percentile(times, 0.5);
}

} // namespace

int main(int argc, char **argv)
{
    QApplication app(argc, argv);
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("blue-deployment.yml"));
    const QByteArray text = bigDeployment(2000);

    QWidget window;
    auto *layout = new QHBoxLayout(&window);
    const EditorFactory::YamlEditorParts parts = EditorFactory::createYamlEditor(&window);
    YamlEditor *editor = parts.editor;
    auto *form = new InspectorForm(&window);
    layout->addWidget(editor, 3);
    layout->addWidget(form, 2);
    window.resize(1200, 800);
    editor->setFilePath(path);
    editor->setText(QString::fromUtf8(text));
    parts.validation->setValidationEnabled(true);
    form->setEditor(editor);
    window.show();
    if (!QTest::qWaitForWindowExposed(&window))
        return 1;
    QTest::qWait(500);

    // Type into a value in the middle of the file, one key every 40 ms (~25 keys/s).
    const int line = 1000;
    editor->setCursorPosition(line, int(editor->text(line).trimmed().size()) + 2);
    editor->setFocus();
    const QString keys = QStringLiteral("abcdefghij klmnopqrst uvwxyz0123 456789ABCD ");
    const int total = 240;
    int typed = 0;
    QList<double> keyMs;
    QList<double> gaps;
    QElapsedTimer clock;
    clock.start();
    qint64 last = clock.nsecsElapsed();
    QTimer monitor;
    monitor.setTimerType(Qt::PreciseTimer);
    monitor.setInterval(1);
    QObject::connect(&monitor, &QTimer::timeout, &app, [&] {
        const qint64 now = clock.nsecsElapsed();
        gaps << double(now - last) / 1e6;
        last = now;
    });
    QTimer typist;
    typist.setInterval(40);
    QObject::connect(&typist, &QTimer::timeout, &app, [&] {
        if (typed == total) {
            typist.stop();
            QTimer::singleShot(1500, &app, &QApplication::quit); // let debounced work finish
            return;
        }
        const QChar c = keys.at(typed % keys.size());
        QElapsedTimer one;
        one.start();
        QTest::keyClick(editor, c.toLatin1());
        keyMs << double(one.nsecsElapsed()) / 1e6;
        ++typed;
    });
    monitor.start();
    typist.start();
    app.exec();

    const QByteArray finalText = editor->utf8Text();
    const double validateMs =
        medianMs(11, [&] { return EditorModel::validate(path, finalText).size(); });
    const double refreshMs = medianMs(11, [&] { form->refresh(); });
    const Diagnostics diagnostics = EditorModel::validate(path, finalText);
    const double markMs = medianMs(11, [&] { parts.validation->setDiagnostics(diagnostics); });

    std::printf("document: %lld lines, %lld bytes; typed %d keys at 25 keys/s\n",
                static_cast<long long>(finalText.count('\n')),
                static_cast<long long>(finalText.size()), typed);
    std::printf("key handling on the UI thread: median %.2f ms, p99 %.2f ms, max %.2f ms\n",
                percentile(keyMs, 0.5), percentile(keyMs, 0.99), percentile(keyMs, 1.0));
    int over16 = 0;
    for (double gap : std::as_const(gaps))
        over16 += gap > 16 ? 1 : 0;
    std::printf("UI-thread stall (gap between 1 ms ticks): p99 %.2f ms, max %.2f ms, %d over 16 "
                "ms\n",
                percentile(gaps, 0.99), percentile(gaps, 1.0), over16);
    std::printf("worker-thread validation of the whole file: median %.2f ms\n", validateMs);
    std::printf("inspector refresh from text (UI thread, after 200 ms debounce): median %.2f ms\n",
                refreshMs);
    std::printf("painting %lld diagnostics (UI thread): median %.2f ms\n",
                static_cast<long long>(diagnostics.size()), markMs);
    return 0;
}
