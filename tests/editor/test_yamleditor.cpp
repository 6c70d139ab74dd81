#include "models/yamldocument.h"
#include "tests/common/testsupport.h"
#include "widgets/editor/hovertips.h"
#include "widgets/editor/yamlcompletion.h"
#include "widgets/editor/yamleditor.h"
#include "widgets/editor/yamlfilelinks.h"
#include "widgets/editor/yamlvalidation.h"

#include <QApplication>
#include <QDir>
#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

class TestYamlEditor : public QObject
{
    Q_OBJECT

private slots:
    void diagnosticsPaintExactSpans();
    void diagnosticsWithoutOffsetUseLineAndColumn();
    void validationAsYouTypeMarksTheBadName();
    void completionOffersKeysValidAtThePath();
    void completionOffersEnumValues();
    void completionInsertsTheChosenKey();
    void hoverShowsKeyHelp();
    void entriesAndTypingContextOnHalfTypedText();
    void fileLinksResolveAndCtrlClickOpens();
    void applyTextIsOneMinimalUndoStep();
    void addOnsAttachIndependently();
    void screenshot();
};

namespace {

const QByteArray deploymentText = "$schema: "
                                  "https://azuremlschemas.azureedge.net/latest/"
                                  "managedOnlineDeployment.schema.json\n"
                                  "name: blue\n"
                                  "endpoint_name: my-endpoint\n"
                                  "description: \"Grüße, ünïcode before the error\"\n"
                                  "model:\n"
                                  "  path: model\n"
                                  "code_configuration:\n"
                                  "  code: onlinescoring # the folder\n"
                                  "  scoring_script: score.py\n"
                                  "environment:\n"
                                  "  image: endpoint-studio/python:3.11-bookworm\n"
                                  "instance_type: Standard_DS3_v2\n"
                                  "instance_count: 1\n";

int byteOffset(const QByteArray &text, const QByteArray &needle)
{
    const qsizetype at = text.indexOf(needle);
    Q_ASSERT(at >= 0);
    return int(at);
}

} // namespace

void TestYamlEditor::diagnosticsPaintExactSpans()
{
    YamlEditor editor;
    auto *validation = new YamlValidation(&editor);
    auto *hover = new HoverTips(&editor);
    QByteArray text = deploymentText;
    text.replace("instance_count: 1", "instance_count: many");
    editor.setText(QString::fromUtf8(text));
    QCOMPARE(editor.utf8Text(), text);

    // Offsets are bytes: the umlauts on line 4 shift the byte offset of later lines.
    const int valueOffset = byteOffset(text, "many");
    const int keyOffset = byteOffset(text, "instance_type");
    Diagnostic error{QStringLiteral("type-mismatch"),
                     Severity::Error,
                     QStringLiteral("instance_count must be a whole number"),
                     SourceLocation{QString(), 13, 17, valueOffset, 4},
                     QString(),
                     QString()};
    Diagnostic warning{QStringLiteral("small-sku"),
                       Severity::Warning,
                       QStringLiteral("Minimum recommended SKU is Standard_DS3_v2"),
                       SourceLocation{QString(), 12, 1, keyOffset, 13},
                       QString(),
                       QString()};
    validation->setDiagnostics({error, warning});

    const QList<QPair<int, int>> errors = editor.indicatorRanges(YamlValidation::ErrorIndicator);
    QCOMPARE(errors.size(), 1);
    QCOMPARE(errors.first().first, valueOffset);
    QCOMPARE(errors.first().second, 4);
    QCOMPARE(editor.indicatorRanges(YamlValidation::WarningIndicator),
             (QList<QPair<int, int>>{{keyOffset, 13}}));
    QCOMPARE(validation->markedLines(Severity::Error), QList<int>{13});
    QCOMPARE(validation->markedLines(Severity::Warning), QList<int>{12});
    QVERIFY(hover->textAt(valueOffset + 2).contains(u"instance_count must be a whole number"));
    QVERIFY(!hover->textAt(byteOffset(text, "endpoint_name")).contains(u"whole number"));
    // Over the margin beside line 13: that line's problem only.
    QCOMPARE(hover->marginTextAt(12),
             QStringLiteral("error: instance_count must be a whole number"));

    validation->setDiagnostics({});
    QVERIFY(editor.indicatorRanges(YamlValidation::ErrorIndicator).isEmpty());
    QVERIFY(validation->markedLines().isEmpty());
}

void TestYamlEditor::diagnosticsWithoutOffsetUseLineAndColumn()
{
    YamlEditor editor;
    auto *validation = new YamlValidation(&editor);
    editor.setText(QString::fromUtf8(deploymentText));
    Diagnostic diagnostic{QStringLiteral("x"),
                          Severity::Error,
                          QStringLiteral("bad endpoint"),
                          SourceLocation{QString(), 3, 16, -1, 0},
                          QString(),
                          QString()};
    validation->setDiagnostics({diagnostic});
    const int start = byteOffset(deploymentText, "my-endpoint");
    QCOMPARE(editor.indicatorRanges(YamlValidation::ErrorIndicator),
             (QList<QPair<int, int>>{{start, 11}}));
    QCOMPARE(validation->markedLines(), QList<int>{3});
}

void TestYamlEditor::validationAsYouTypeMarksTheBadName()
{
    // The files the YAML names exist, so the name is the only problem.
    QTemporaryDir dir;
    QVERIFY(QDir(dir.path()).mkpath(QStringLiteral("model")));
    QVERIFY(QDir(dir.path()).mkpath(QStringLiteral("onlinescoring")));
    QFile script(dir.filePath(QStringLiteral("onlinescoring/score.py")));
    QVERIFY(script.open(QIODevice::WriteOnly));
    script.write("def init():\n    pass\n\n\ndef run(raw_data):\n    return raw_data\n");
    script.close();
    YamlEditor editor;
    auto *validation = new YamlValidation(&editor);
    editor.setFilePath(dir.filePath(QStringLiteral("blue-deployment.yml")));
    editor.setText(QString::fromUtf8(deploymentText));
    QSignalSpy spy(validation, &YamlValidation::diagnosticsChanged);
    validation->setValidationEnabled(true);
    // A user types an invalid name: "1-blue" starts with a digit.
    const int at = byteOffset(deploymentText, "blue\n");
    editor.SendScintilla(QsciScintilla::SCI_GOTOPOS, at);
    QTest::keyClicks(&editor, QStringLiteral("1-"));
    QTRY_VERIFY_WITH_TIMEOUT(!spy.isEmpty() && !validation->isValidating(), 5000);
    const QByteArray typed = editor.utf8Text();
    QVERIFY(typed.contains("name: 1-blue\n"));
    // Only Azure's service checks the name pattern (validate_endpoint_or_deployment_name in
    // azure-ai-ml's entities/_endpoint/_endpoint_helpers.py runs on the way to the cloud, not for
    // --local): a warning, squiggled as one.
    const Diagnostics diagnostics = validation->diagnostics();
    const auto nameProblem =
        std::find_if(diagnostics.begin(), diagnostics.end(), [](const auto &d) {
            return d.severity == Severity::Warning && d.location.line == 2 &&
                   d.code == u"name-pattern";
        });
    QVERIFY2(nameProblem != diagnostics.end(), "no warning on the name line");
    QVERIFY2(validation->markedLines(Severity::Warning) == QList<int>{2},
             qPrintable(diagnostics.isEmpty() ? QString() : diagnostics.first().toString()));
    QVERIFY(validation->markedLines(Severity::Error).isEmpty());
    const QList<QPair<int, int>> ranges = editor.indicatorRanges(YamlValidation::WarningIndicator);
    QCOMPARE(ranges.size(), 1);
    QCOMPARE(ranges.first().first, byteOffset(typed, "1-blue"));
    QCOMPARE(ranges.first().second, 6);

    // Fixing it clears the squiggle.
    spy.clear();
    editor.SendScintilla(QsciScintilla::SCI_GOTOPOS, at + 2);
    QTest::keyClick(&editor, Qt::Key_Backspace);
    QTest::keyClick(&editor, Qt::Key_Backspace);
    QTRY_VERIFY_WITH_TIMEOUT(!spy.isEmpty() && !validation->isValidating(), 5000);
    QVERIFY(editor.indicatorRanges(YamlValidation::WarningIndicator).isEmpty());
    QVERIFY(validation->markedLines(Severity::Warning).isEmpty());
}

void TestYamlEditor::completionOffersKeysValidAtThePath()
{
    YamlEditor editor;
    auto *completion = new YamlCompletion(&editor);
    QByteArray text = deploymentText;
    text.replace("model:\n  path: model\n", "model:\n  path: model\n  \n");
    editor.setText(QString::fromUtf8(text));
    // Inside `model:` on the empty, indented line.
    const int inModel = byteOffset(text, "  \ncode_configuration") + 2;
    const QStringList modelKeys = completion->candidates(inModel);
    QVERIFY2(modelKeys.contains(u"version"), qPrintable(modelKeys.join(u',')));
    QVERIFY(modelKeys.contains(u"type"));
    QVERIFY(!modelKeys.contains(u"path")); // already there
    QVERIFY(!modelKeys.contains(u"instance_count"));

    // At the top level after typing "ins": instance keys only, not those already present.
    text = deploymentText;
    text.replace("instance_type: Standard_DS3_v2\ninstance_count: 1\n", "ins");
    editor.setText(QString::fromUtf8(text));
    QStringList top = completion->candidates(int(text.size()));
    QCOMPARE(top, (QStringList{QStringLiteral("instance_count"), QStringLiteral("instance_type")}));

    // Under code_configuration.
    text = deploymentText;
    text.replace("  scoring_script: score.py\n", "  s\n");
    editor.setText(QString::fromUtf8(text));
    QCOMPARE(completion->candidates(byteOffset(text, "  s\n") + 3),
             QStringList{QStringLiteral("scoring_script")});
}

void TestYamlEditor::completionOffersEnumValues()
{
    YamlEditor editor;
    auto *completion = new YamlCompletion(&editor);
    const QByteArray text = "$schema: https://azuremlschemas.azureedge.net/latest/"
                            "managedOnlineEndpoint.schema.json\nname: my-endpoint\nauth_mode: ";
    editor.setText(QString::fromUtf8(text));
    const QStringList values = completion->candidates(int(text.size()));
    QVERIFY2(values.contains(u"key") && values.contains(u"aml_token") &&
                 values.contains(u"aad_token"),
             qPrintable(values.join(u',')));
}

void TestYamlEditor::completionInsertsTheChosenKey()
{
    YamlEditor editor;
    new YamlCompletion(&editor);
    editor.show();
    QByteArray text = deploymentText;
    text.replace("instance_count: 1\n", "instance_c");
    editor.setText(QString::fromUtf8(text));
    editor.SendScintilla(QsciScintilla::SCI_GOTOPOS, static_cast<unsigned long>(text.size()));
    // Ctrl+Space opens the list; the key does not reach the text.
    QTest::keyClick(&editor, Qt::Key_Space, Qt::ControlModifier);
    QVERIFY(editor.isListActive());
    QCOMPARE(editor.utf8Text(), text);
    QTest::keyClick(editor.viewport(), Qt::Key_Return);
    QTRY_VERIFY(editor.utf8Text().endsWith("instance_count: "));
}

void TestYamlEditor::hoverShowsKeyHelp()
{
    YamlEditor editor;
    auto *completion = new YamlCompletion(&editor);
    auto *hover = new HoverTips(&editor);
    editor.setText(QString::fromUtf8(deploymentText));
    const QString help = hover->textAt(byteOffset(deploymentText, "instance_count") + 3);
    QVERIFY2(help.startsWith(u"instance_count"), qPrintable(help));
    QVERIFY(help.size() > int(qstrlen("instance_count — ")) + 5);
    // The help comes from the models' schema, the one the validator checks against: type and
    // Azure's default included.
    QVERIFY2(help.contains(u"Type: a whole number"), qPrintable(help));
    QVERIFY2(help.contains(u"Default: 1"), qPrintable(help));

    // A boolean key offers true/false, as the validator accepts them.
    QByteArray text = deploymentText;
    text += "app_insights_enabled: ";
    editor.setText(QString::fromUtf8(text));
    QCOMPARE(completion->candidates(int(text.size())),
             (QStringList{QStringLiteral("false"), QStringLiteral("true")}));
}

void TestYamlEditor::entriesAndTypingContextOnHalfTypedText()
{
    const QByteArray text = "identity:\n"
                            "  type: user_assigned\n"
                            "  user_assigned_identities:\n"
                            "    - resource_id: one\n"
                            "    - resource_id: two # comment\n"
                            "description: |\n"
                            "  not: a key\n"
                            "tags:\n"
                            "  \"quoted key\": 'v'\n";
    auto paths = [](const YamlDocument &document) {
        QStringList out;
        for (const YamlEntry &entry : document.entries())
            out << entry.path.join(u'.') + u'=' + entry.scalar;
        return out;
    };
    const QStringList expected = {
        QStringLiteral("identity="),
        QStringLiteral("identity.type=user_assigned"),
        QStringLiteral("identity.user_assigned_identities="),
        QStringLiteral("identity.user_assigned_identities.0.resource_id=one"),
        QStringLiteral("identity.user_assigned_identities.1.resource_id=two"),
        QStringLiteral("description=not: a key\n"),
        QStringLiteral("tags="),
        QStringLiteral("tags.quoted key=v"),
    };
    QCOMPARE(paths(YamlDocument::parseTolerant({}, text)), expected);

    // Half-typed: a key without its colon (the strict reading stops at the key under it) and
    // an unclosed quote. The tolerant reading leaves out those two lines and reads every other.
    QByteArray broken = text;
    broken.replace("  type: user_assigned\n", "  ty\n");
    broken.replace("  \"quoted key\": 'v'\n", "  \"quoted key: 'v'\n");
    const YamlDocument strict = YamlDocument::parse({}, broken);
    QVERIFY(strict.hasErrors());
    QVERIFY(!strict.find(QStringLiteral("description")));
    const YamlDocument tolerant = YamlDocument::parseTolerant({}, broken);
    QCOMPARE(tolerant.diagnostics().size(), strict.diagnostics().size()); // the strict reading's
    QCOMPARE(tolerant.text(), broken);
    QStringList readable = expected;
    readable.removeOne(QStringLiteral("identity.type=user_assigned"));
    readable.removeOne(QStringLiteral("tags.quoted key=v"));
    QCOMPARE(paths(tolerant), readable);
    // Positions are those of the text as typed.
    const std::optional<YamlEntry> two = tolerant.entryAt(int(broken.indexOf("two")) + 1);
    QVERIFY(two);
    QCOMPARE(two->path.join(u'.'),
             QStringLiteral("identity.user_assigned_identities.1.resource_id"));
    QCOMPARE(two->value.line, 5);
    QCOMPARE(two->value.offset, int(broken.indexOf("two")));

    // The cursor in a key of `identity`: the keys already there, its own line left out.
    YamlTypingContext context =
        YamlDocument::parseTolerant({}, text, int(text.indexOf("type:")) + 2)
            .typingContext(int(text.indexOf("type:")) + 2);
    QCOMPARE(context.kind, YamlTypingContext::Kind::Key);
    QCOMPARE(context.parentPath, QStringList{QStringLiteral("identity")});
    QCOMPARE(context.prefix, QStringLiteral("ty"));
    QCOMPARE(context.prefixStart, int(text.indexOf("type:")));
    QCOMPARE(context.siblingKeys, QStringList{QStringLiteral("user_assigned_identities")});

    // The same on the broken text, where that line reads "  ty".
    const int typed = int(broken.indexOf("  ty\n")) + 4;
    context = YamlDocument::parseTolerant({}, broken, typed).typingContext(typed);
    QCOMPARE(context.kind, YamlTypingContext::Kind::Key);
    QCOMPARE(context.parentPath, QStringList{QStringLiteral("identity")});
    QCOMPARE(context.siblingKeys, QStringList{QStringLiteral("user_assigned_identities")});

    // A new item of the list, and the value of a key inside an item.
    QByteArray list = text;
    list.insert(text.indexOf("description:"), "    - reso\n");
    int at = int(list.indexOf("- reso\n")) + 6;
    context = YamlDocument::parseTolerant({}, list, at).typingContext(at);
    QCOMPARE(context.kind, YamlTypingContext::Kind::Key);
    QCOMPARE(context.parentPath.join(u'.'), QStringLiteral("identity.user_assigned_identities.2"));
    QCOMPARE(context.prefix, QStringLiteral("reso"));
    at = int(text.indexOf("two")) + 2;
    context = YamlDocument::parseTolerant({}, text, at).typingContext(at);
    QCOMPARE(context.kind, YamlTypingContext::Kind::Value);
    QCOMPARE(context.parentPath.join(u'.'), QStringLiteral("identity.user_assigned_identities.1"));
    QCOMPARE(context.key, QStringLiteral("resource_id"));
    QCOMPARE(context.prefix, QStringLiteral("tw"));

    // In the middle of a block, the keys below the cursor count too.
    QByteArray middle = "model:\n  pa\n  version: 1\n";
    at = int(middle.indexOf("pa")) + 2;
    context = YamlDocument::parseTolerant({}, middle, at).typingContext(at);
    QCOMPARE(context.parentPath, QStringList{QStringLiteral("model")});
    QCOMPARE(context.siblingKeys, QStringList{QStringLiteral("version")});
}

void TestYamlEditor::fileLinksResolveAndCtrlClickOpens()
{
    QTemporaryDir dir;
    QVERIFY(QDir(dir.path()).mkpath(QStringLiteral("onlinescoring")));
    QVERIFY(QDir(dir.path()).mkpath(QStringLiteral("model")));
    QFile script(dir.filePath(QStringLiteral("onlinescoring/score.py")));
    QVERIFY(script.open(QIODevice::WriteOnly));
    script.write("def init():\n    pass\n");
    script.close();

    YamlEditor editor;
    auto *links = new YamlFileLinks(&editor);
    auto *hover = new HoverTips(&editor);
    editor.resize(800, 400);
    editor.show();
    QVERIFY(QTest::qWaitForWindowExposed(&editor));
    editor.setText(QString::fromUtf8(deploymentText));
    editor.setFilePath(dir.filePath(QStringLiteral("blue-deployment.yml")));
    const int scriptAt = byteOffset(deploymentText, "score.py");
    const QString expected =
        QDir::cleanPath(dir.filePath(QStringLiteral("onlinescoring/score.py")));
    QCOMPARE(links->linkAt(scriptAt + 1), expected);
    QCOMPARE(links->linkAt(byteOffset(deploymentText, "onlinescoring #") + 1),
             QDir::cleanPath(dir.filePath(QStringLiteral("onlinescoring"))));
    QCOMPARE(links->linkAt(byteOffset(deploymentText, "  path: model") + 9),
             QDir::cleanPath(dir.filePath(QStringLiteral("model"))));
    QVERIFY(links->linkAt(byteOffset(deploymentText, "endpoint-studio/python")).isEmpty());
    QVERIFY(hover->textAt(scriptAt + 1).contains(u"Ctrl+click to open"));
    QCOMPARE(editor.indicatorRanges(YamlFileLinks::Indicator).size(), 3);

    QSignalSpy spy(links, &YamlFileLinks::activated);
    const int x =
        int(editor.SendScintilla(QsciScintilla::SCI_POINTXFROMPOSITION, 0UL, long(scriptAt + 2)));
    const int y =
        int(editor.SendScintilla(QsciScintilla::SCI_POINTYFROMPOSITION, 0UL, long(scriptAt + 2)));
    const int lineHeight = int(editor.SendScintilla(QsciScintilla::SCI_TEXTHEIGHT, 0UL));
    const QPoint point(x, y + lineHeight / 2);
    QTest::mouseClick(editor.viewport(), Qt::LeftButton, Qt::NoModifier, point);
    QVERIFY(spy.isEmpty());                                 // a plain click only places the cursor
    QTest::qWait(QApplication::doubleClickInterval() + 50); // not a double click
    QTest::mouseClick(editor.viewport(), Qt::LeftButton, Qt::ControlModifier, point);
    QTRY_COMPARE(spy.size(), 1);
    QCOMPARE(spy.first().first().toString(), expected);
}

void TestYamlEditor::applyTextIsOneMinimalUndoStep()
{
    YamlEditor editor;
    editor.setText(QString::fromUtf8(deploymentText));
    editor.SendScintilla(QsciScintilla::SCI_EMPTYUNDOBUFFER);
    // The caret sits at the end; a change above it keeps it on the same text.
    const int caretBefore = byteOffset(deploymentText, "instance_type");
    editor.SendScintilla(QsciScintilla::SCI_GOTOPOS, caretBefore);
    QByteArray changed = deploymentText;
    changed.replace("Grüße", "Grüezi");
    QVERIFY(editor.applyText(changed));
    QCOMPARE(editor.utf8Text(), changed);
    QCOMPARE(int(editor.SendScintilla(QsciScintilla::SCI_GETCURRENTPOS)),
             byteOffset(changed, "instance_type"));
    QVERIFY(!editor.applyText(changed));
    editor.undo();
    QCOMPARE(editor.utf8Text(), deploymentText);
    QVERIFY(!editor.isUndoAvailable());
    editor.redo();
    QCOMPARE(editor.utf8Text(), changed);
}

void TestYamlEditor::addOnsAttachIndependently()
{
    QTemporaryDir dir;
    QVERIFY(QDir(dir.path()).mkpath(QStringLiteral("model")));
    YamlEditor editor;
    editor.setFilePath(dir.filePath(QStringLiteral("blue-deployment.yml")));
    editor.setText(QString::fromUtf8(deploymentText));
    // The editor alone: no add-on, no marker in its margin, nothing underlined.
    QVERIFY(EditorDecorator::find<YamlValidation>(&editor) == nullptr);
    QCOMPARE(editor.marginMarkerMask(YamlEditor::MarkerMargin), 0);
    QVERIFY(editor.indicatorRanges(YamlFileLinks::Indicator).isEmpty());

    // File links and hover tips only: the link is underlined and its tip says where it goes;
    // no validation runs, no key help is offered.
    auto *links = new YamlFileLinks(&editor);
    auto *hover = new HoverTips(&editor);
    QCOMPARE(EditorDecorator::find<YamlFileLinks>(&editor), links);
    QVERIFY(EditorDecorator::find<YamlCompletion>(&editor) == nullptr);
    links->refresh();
    const int modelAt = byteOffset(deploymentText, "  path: model") + 9;
    QCOMPARE(editor.indicatorRanges(YamlFileLinks::Indicator).size(), 3);
    QCOMPARE(hover->textAt(modelAt),
             QStringLiteral("Ctrl+click to open %1")
                 .arg(QDir::cleanPath(dir.filePath(QStringLiteral("model")))));
    QVERIFY(hover->textAt(byteOffset(deploymentText, "instance_count") + 3).isEmpty());
    QCOMPARE(editor.marginMarkerMask(YamlEditor::MarkerMargin), 0);

    // Validation attached later marks its own margin markers, leaving the links as they are.
    auto *validation = new YamlValidation(&editor);
    QVERIFY(editor.marginMarkerMask(YamlEditor::MarkerMargin) != 0);
    validation->setDiagnostics(
        {Diagnostic{QStringLiteral("x"), Severity::Warning, QStringLiteral("a warning"),
                    SourceLocation{QString(), 2, 7, -1, 0}, QString(), QString()}});
    QCOMPARE(validation->markedLines(Severity::Warning), QList<int>{2});
    QCOMPARE(editor.indicatorRanges(YamlFileLinks::Indicator).size(), 3);
    // The tip of a place lists what each add-on says, in the order they were attached.
    validation->setDiagnostics(
        {Diagnostic{QStringLiteral("x"), Severity::Warning, QStringLiteral("check the model"),
                    SourceLocation{QString(), 6, 9, -1, 0}, QString(), QString()}});
    const QString tip = hover->textAt(modelAt);
    QVERIFY2(tip.startsWith(u"Ctrl+click to open") &&
                 tip.endsWith(u"\n\nwarning: check the model [x]"),
             qPrintable(tip));
}

void TestYamlEditor::screenshot()
{
    QTemporaryDir dir;
    YamlEditor editor;
    auto *validation = new YamlValidation(&editor);
    new YamlCompletion(&editor);
    new YamlFileLinks(&editor);
    new HoverTips(&editor);
    editor.resize(900, 420);
    editor.setFilePath(dir.filePath(QStringLiteral("blue-deployment.yml")));
    QByteArray text = deploymentText;
    text.replace("name: blue", "name: 1-blue");
    text.replace("instance_count: 1", "instance_count: many");
    editor.setText(QString::fromUtf8(text));
    QSignalSpy spy(validation, &YamlValidation::diagnosticsChanged);
    validation->validateNow();
    QTRY_VERIFY_WITH_TIMEOUT(!spy.isEmpty(), 5000);
    editor.show();
    QVERIFY(QTest::qWaitForWindowExposed(&editor));
    QTRY_VERIFY(!editor.indicatorRanges(YamlFileLinks::Indicator).isEmpty());
    editor.SendScintilla(QsciScintilla::SCI_GOTOPOS,
                         static_cast<unsigned long>(text.indexOf("instance_count")));
    QVERIFY(editor.grab().save(TestSupport::screenshotPath(QStringLiteral("editor"))));
}

QTEST_MAIN(TestYamlEditor)
#include "test_yamleditor.moc"
