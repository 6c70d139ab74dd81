#include "models/endpointspec.h"
#include "models/yamldocument.h"
#include "tests/common/testsupport.h"
#include "widgets/editor/inspectorform.h"
#include "widgets/editor/trafficsliders.h"
#include "widgets/editor/yamleditor.h"
#include "widgets/editor/yamlfilelinks.h"

#include <QComboBox>
#include <QDir>
#include <QFile>
#include <QHBoxLayout>
#include <QLineEdit>
#include <QSignalSpy>
#include <QSlider>
#include <QSpinBox>
#include <QSplitter>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>

class TestInspectorForm : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void formShowsTheDeployment();
    void instanceCountEditsTextKeepingComments();
    void typingInTheTextUpdatesTheForm();
    void environmentVariablesTableEditsTheMap();
    void trafficSlidersWriteTrafficSummingTo100();
    void rebalanceKeepsTheSum();
    void imageComboListsLocalImages();
    void screenshot();

private:
    QByteArray read(const QString &name) const;
    QString path(const QString &name) const { return m_dir->filePath(name); }
    void open(YamlEditor &editor, InspectorForm &form, const QString &name);

    std::unique_ptr<QTemporaryDir> m_dir;
};

namespace {

QStringList lines(const QByteArray &text)
{
    return QString::fromUtf8(text).split(u'\n');
}

template<typename T>
T *field(InspectorForm &form, const char *page, const QString &name)
{
    QWidget *container = form.findChild<QWidget *>(QString::fromLatin1(page));
    return container ? container->findChild<T *>(name) : nullptr;
}

} // namespace

void TestInspectorForm::init()
{
    // A copy of the example workspace, so edits and discovery use real files.
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    const QDir example(TestSupport::examplesDir() + QStringLiteral("/linear-python"));
    for (const QString &name : example.entryList({QStringLiteral("*.yml")}, QDir::Files))
        QVERIFY(QFile::copy(example.filePath(name), path(name)));
}

QByteArray TestInspectorForm::read(const QString &name) const
{
    QFile file(m_dir->filePath(name));
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

void TestInspectorForm::open(YamlEditor &editor, InspectorForm &form, const QString &name)
{
    editor.setFilePath(path(name));
    editor.setText(QString::fromUtf8(read(name)));
    editor.SendScintilla(QsciScintilla::SCI_EMPTYUNDOBUFFER);
    form.setEditor(&editor);
}

void TestInspectorForm::formShowsTheDeployment()
{
    YamlEditor editor;
    InspectorForm form;
    open(editor, form, QStringLiteral("blue-deployment.yml"));
    QCOMPARE(form.kind(), InspectorForm::Kind::Deployment);
    QCOMPARE(field<QLineEdit>(form, "deploymentPage", QStringLiteral("name"))->text(),
             QStringLiteral("blue"));
    QCOMPARE(field<QLineEdit>(form, "deploymentPage", QStringLiteral("modelPath"))->text(),
             QStringLiteral("model-1/model"));
    QCOMPARE(field<QLineEdit>(form, "deploymentPage", QStringLiteral("scoringScript"))->text(),
             QStringLiteral("score.py"));
    QCOMPARE(field<QComboBox>(form, "deploymentPage", QStringLiteral("image"))->currentText(),
             QStringLiteral("endpoint-studio/python:3.11-bookworm"));
    QCOMPARE(
        field<QSpinBox>(form, "deploymentPage", QStringLiteral("readinessProbe.period"))->value(),
        1);
    // Not in the file: Azure's default.
    QCOMPARE(
        field<QSpinBox>(form, "deploymentPage", QStringLiteral("livenessProbe.period"))->value(),
        10);
    auto *table =
        field<QTableWidget>(form, "deploymentPage", QStringLiteral("environmentVariables"));
    QCOMPARE(table->rowCount(), 1);
    QCOMPARE(table->item(0, 0)->text(), QStringLiteral("SERVICE_NAME"));
    QCOMPARE(table->item(0, 1)->text(), QStringLiteral("linear-python"));
}

void TestInspectorForm::instanceCountEditsTextKeepingComments()
{
    YamlEditor editor;
    InspectorForm form;
    open(editor, form, QStringLiteral("blue-deployment.yml"));
    const QByteArray before = editor.utf8Text();
    auto *count = field<QSpinBox>(form, "deploymentPage", QStringLiteral("instanceCount"));
    QCOMPARE(count->value(), 1);
    QSignalSpy edited(&form, &InspectorForm::edited);
    count->setFocus();
    count->selectAll();
    QTest::keyClicks(count, QStringLiteral("3"));
    QTest::keyClick(count, Qt::Key_Return);
    QCOMPARE(edited.size(), 1);

    const QByteArray after = editor.utf8Text();
    const QStringList oldLines = lines(before);
    const QStringList newLines = lines(after);
    QCOMPARE(newLines.size(), oldLines.size());
    for (int i = 0; i < oldLines.size(); ++i) {
        if (oldLines.at(i) == u"instance_count: 1")
            QCOMPARE(newLines.at(i), QStringLiteral("instance_count: 3"));
        else
            QCOMPARE(newLines.at(i), oldLines.at(i)); // comments and everything else stay
    }
    QVERIFY(after.contains("# Probe the server every second"));

    // One undo restores the text, and the form follows.
    editor.undo();
    QCOMPARE(editor.utf8Text(), before);
    QTRY_COMPARE(count->value(), 1);
    QVERIFY(!editor.isUndoAvailable());
    editor.redo();
    QCOMPARE(editor.utf8Text(), after);
    QTRY_COMPARE(count->value(), 3);
}

void TestInspectorForm::typingInTheTextUpdatesTheForm()
{
    YamlEditor editor;
    InspectorForm form;
    open(editor, form, QStringLiteral("blue-deployment.yml"));
    auto *count = field<QSpinBox>(form, "deploymentPage", QStringLiteral("instanceCount"));
    auto *name = field<QLineEdit>(form, "deploymentPage", QStringLiteral("name"));
    QSignalSpy edited(&form, &InspectorForm::edited);
    const QByteArray original = editor.utf8Text();
    const int at = int(original.indexOf("instance_count: 1")) + 16;
    editor.SendScintilla(QsciScintilla::SCI_SETSEL, at, at + 1);
    QTest::keyClicks(&editor, QStringLiteral("4"));
    const int nameAt = int(original.indexOf("name: blue")) + 10;
    editor.SendScintilla(QsciScintilla::SCI_GOTOPOS, nameAt);
    QTest::keyClicks(&editor, QStringLiteral("-two"));
    QTRY_COMPARE(count->value(), 4);
    QTRY_COMPARE(name->text(), QStringLiteral("blue-two"));
    // Filling the form from the text never writes back into the text.
    QTest::qWait(InspectorForm::textDebounceMs * 2);
    QCOMPARE(edited.size(), 0);
    QByteArray expected = original;
    expected.replace("instance_count: 1", "instance_count: 4");
    expected.replace("name: blue\n", "name: blue-two\n");
    QCOMPARE(editor.utf8Text(), expected);
}

void TestInspectorForm::environmentVariablesTableEditsTheMap()
{
    YamlEditor editor;
    InspectorForm form;
    open(editor, form, QStringLiteral("blue-deployment.yml"));
    auto *table =
        field<QTableWidget>(form, "deploymentPage", QStringLiteral("environmentVariables"));
    table->item(0, 1)->setText(QStringLiteral("renamed"));
    QVERIFY(editor.utf8Text().contains("  SERVICE_NAME: renamed\n"));
    table->insertRow(1);
    table->setItem(1, 1, new QTableWidgetItem(QStringLiteral("4")));
    table->setItem(1, 0, new QTableWidgetItem(QStringLiteral("WORKER_COUNT")));
    const YamlDocument document =
        YamlDocument::parse(path(QStringLiteral("x.yml")), editor.utf8Text());
    QCOMPARE(document.value(QStringLiteral("environment_variables.WORKER_COUNT")),
             QStringLiteral("4"));
    QCOMPARE(document.value(QStringLiteral("environment_variables.SERVICE_NAME")),
             QStringLiteral("renamed"));
    QVERIFY(editor.utf8Text().contains("# Probe the server every second"));
}

void TestInspectorForm::trafficSlidersWriteTrafficSummingTo100()
{
    YamlEditor editor;
    InspectorForm form;
    form.resize(420, 700);
    form.show();
    open(editor, form, QStringLiteral("endpoint.yml"));
    QCOMPARE(form.kind(), InspectorForm::Kind::Endpoint);
    TrafficSliders *sliders = form.trafficSliders();
    // The deployments are found next to endpoint.yml (blue and green name this endpoint).
    QTRY_COMPARE(sliders->deployments(),
                 (QStringList{QStringLiteral("blue"), QStringLiteral("green")}));
    QCOMPARE(sliders->total(), 0);

    // Drag blue's slider handle to the right end with the mouse.
    QSlider *blue = sliders->slider(QStringLiteral("blue"));
    QVERIFY(QTest::qWaitForWindowExposed(&form));
    const QPoint start(6, blue->height() / 2);
    QTest::mousePress(blue, Qt::LeftButton, {}, start);
    QMouseEvent move(QEvent::MouseMove, QPointF(blue->width() * 0.7, blue->height() / 2.0),
                     blue->mapToGlobal(QPointF(blue->width() * 0.7, blue->height() / 2.0)),
                     Qt::NoButton, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(blue, &move);
    QTest::mouseRelease(blue, Qt::LeftButton, {},
                        QPoint(int(blue->width() * 0.7), blue->height() / 2));
    const int dragged = blue->value();
    QVERIFY2(dragged > 40 && dragged < 100, qPrintable(QString::number(dragged)));

    auto trafficInText = [&editor, this] {
        return EndpointSpec::fromDocument(
                   YamlDocument::parse(path(QStringLiteral("endpoint.yml")), editor.utf8Text()))
            .traffic;
    };
    QMap<QString, int> traffic = trafficInText();
    QCOMPARE(traffic.value(QStringLiteral("blue")), dragged);
    QCOMPARE(traffic.value(QStringLiteral("green")), 100 - dragged);
    QVERIFY(editor.utf8Text().contains("tags:\n  example: linear-python\n"));

    // Typing a share in the spin box rebalances the other one.
    sliders->setShare(QStringLiteral("green"), 90);
    traffic = trafficInText();
    QCOMPARE(traffic,
             (QMap<QString, int>{{QStringLiteral("blue"), 10}, {QStringLiteral("green"), 90}}));
    QCOMPARE(sliders->total(), 100);

    // Editing the text moves the sliders.
    QByteArray text = editor.utf8Text();
    text.replace("blue: 10", "blue: 25").replace("green: 90", "green: 75");
    editor.applyText(text);
    QTRY_COMPARE(sliders->slider(QStringLiteral("green"))->value(), 75);
    QCOMPARE(sliders->spinBox(QStringLiteral("blue"))->value(), 25);
}

void TestInspectorForm::rebalanceKeepsTheSum()
{
    const QStringList names{QStringLiteral("a"), QStringLiteral("b"), QStringLiteral("c")};
    const QMap<QString, int> current{
        {QStringLiteral("a"), 50}, {QStringLiteral("b"), 30}, {QStringLiteral("c"), 20}};
    QMap<QString, int> result = TrafficSliders::rebalance(names, current, QStringLiteral("a"), 0);
    QCOMPARE(result,
             (QMap<QString, int>{
                 {QStringLiteral("a"), 0}, {QStringLiteral("b"), 60}, {QStringLiteral("c"), 40}}));
    result = TrafficSliders::rebalance(names, {}, QStringLiteral("b"), 33);
    QCOMPARE(result.value(QStringLiteral("a")) + result.value(QStringLiteral("c")), 67);
    for (int v = 0; v <= 100; v += 7) {
        result = TrafficSliders::rebalance(names, current, QStringLiteral("c"), v);
        int sum = 0;
        for (int share : result)
            sum += share;
        QCOMPARE(sum, 100);
        QCOMPARE(result.value(QStringLiteral("c")), v);
    }
}

void TestInspectorForm::imageComboListsLocalImages()
{
    STUDIO_REQUIRE_DOCKER_ENGINE();
    YamlEditor editor;
    InspectorForm form;
    QSignalSpy loaded(&form, &InspectorForm::localImagesLoaded);
    open(editor, form, QStringLiteral("blue-deployment.yml"));
    QVERIFY(loaded.wait(30000));
    QVERIFY2(form.localImages().contains(u"endpoint-studio/python:3.11-bookworm"),
             qPrintable(form.localImages().join(u',')));
    auto *image = field<QComboBox>(form, "deploymentPage", QStringLiteral("image"));
    QVERIFY(image->findText(QStringLiteral("endpoint-studio/python-sklearn:3.11-bookworm")) >= 0);
    // The current value survives filling the list.
    QCOMPARE(image->currentText(), QStringLiteral("endpoint-studio/python:3.11-bookworm"));
}

void TestInspectorForm::screenshot()
{
    QWidget window;
    auto *layout = new QHBoxLayout(&window);
    auto *editor = new YamlEditor(&window);
    new YamlFileLinks(editor); // the links underlined, as in the window
    auto *form = new InspectorForm(&window);
    layout->addWidget(editor, 3);
    layout->addWidget(form, 2);
    window.resize(1200, 760);
    open(*editor, *form, QStringLiteral("blue-deployment.yml"));
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QTRY_VERIFY(!editor->indicatorRanges(YamlFileLinks::Indicator).isEmpty());
    QVERIFY(window.grab().save(TestSupport::screenshotPath(QStringLiteral("inspector"))));

    open(*editor, *form, QStringLiteral("endpoint.yml"));
    QTRY_COMPARE(form->trafficSliders()->deployments().size(), 2);
    form->trafficSliders()->setShare(QStringLiteral("blue"), 80);
    QTest::qWait(50);
    QVERIFY(window.grab().save(TestSupport::screenshotPath(QStringLiteral("inspector-endpoint"))));
}

QTEST_MAIN(TestInspectorForm)
#include "test_inspectorform.moc"
