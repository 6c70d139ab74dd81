#include "models/deploymentspec.h"
#include "models/editormodel.h"
#include "models/endpointspec.h"
#include "models/yamldocument.h"
#include "tests/common/testsupport.h"
#include "widgets/editor/newdeploymentwizard.h"
#include "widgets/editor/newendpointwizard.h"
#include "widgets/editor/resourcename.h"

#include <QAbstractButton>
#include <QComboBox>
#include <QDir>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QSpinBox>
#include <QTemporaryDir>
#include <QTest>

class TestEditorWizards : public QObject
{
    Q_OBJECT

private slots:
    void nameRulesSayWhatIsWrong_data();
    void nameRulesSayWhatIsWrong();
    void endpointWizardRejectsBadNamesAsTyped();
    void endpointWizardWritesAValidFile();
    void endpointWizardAsksBeforeReplacing();
    void deploymentWizardWritesValidFiles();
    void screenshot();
};

namespace {

QByteArray readFile(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

QString errorsOf(const QString &path)
{
    QStringList errors;
    for (const Diagnostic &diagnostic : EditorModel::validate(path, readFile(path))) {
        if (diagnostic.severity == Severity::Error)
            errors << diagnostic.toString();
    }
    return errors.join(u'\n');
}

void typeName(QWizard &wizard, const QString &text)
{
    auto *name = wizard.currentPage()->findChild<QLineEdit *>(QStringLiteral("name"));
    name->clear();
    QTest::keyClicks(name, text);
}

QString nameMessage(QWizard &wizard)
{
    return wizard.currentPage()->findChild<QLabel *>(QStringLiteral("nameMessage"))->text();
}

} // namespace

void TestEditorWizards::nameRulesSayWhatIsWrong_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<QString>("problem"); // a fragment of the message, empty when valid
    QTest::newRow("valid") << QStringLiteral("my-endpoint-1") << QString();
    QTest::newRow("shortest") << QStringLiteral("abc") << QString();
    QTest::newRow("longest") << QString(32, u'a') << QString();
    QTest::newRow("empty") << QString() << QStringLiteral("Enter a name");
    QTest::newRow("short") << QStringLiteral("ab") << QStringLiteral("Too short: 2 characters");
    QTest::newRow("long") << QString(33, u'a') << QStringLiteral("Too long: 33 characters");
    QTest::newRow("digit first") << QStringLiteral("1blue")
                                 << QStringLiteral("start with a letter");
    QTest::newRow("dash first") << QStringLiteral("-blue") << QStringLiteral("start with a letter");
    QTest::newRow("dash last") << QStringLiteral("blue-") << QStringLiteral("end with a dash");
    QTest::newRow("underscore") << QStringLiteral("my_endpoint")
                                << QStringLiteral("'_' is not allowed");
    QTest::newRow("space") << QStringLiteral("my endpoint")
                           << QStringLiteral("'space' is not allowed");
    QTest::newRow("non-ascii") << QStringLiteral("blü") << QStringLiteral("'ü' is not allowed");
}

void TestEditorWizards::nameRulesSayWhatIsWrong()
{
    QFETCH(QString, name);
    QFETCH(QString, problem);
    const QString message = ResourceName::problem(name);
    if (problem.isEmpty())
        QVERIFY2(message.isEmpty(), qPrintable(message));
    else
        QVERIFY2(message.contains(problem), qPrintable(message));
}

void TestEditorWizards::endpointWizardRejectsBadNamesAsTyped()
{
    QTemporaryDir dir;
    NewEndpointWizard wizard(dir.path());
    wizard.show();
    QAbstractButton *finish = wizard.button(QWizard::FinishButton);
    typeName(wizard, QStringLiteral("9lives"));
    QVERIFY2(nameMessage(wizard).contains(u"start with a letter"), qPrintable(nameMessage(wizard)));
    QVERIFY(!finish->isEnabled());
    typeName(wizard, QStringLiteral("ab"));
    QVERIFY(nameMessage(wizard).contains(u"Too short"));
    QVERIFY(!finish->isEnabled());
    typeName(wizard, QStringLiteral("scoring-"));
    QVERIFY(nameMessage(wizard).contains(u"end with a dash"));
    QVERIFY(!finish->isEnabled());
    typeName(wizard, QStringLiteral("scoring-api"));
    QVERIFY(nameMessage(wizard).contains(u"Valid"));
    QVERIFY(finish->isEnabled());
}

void TestEditorWizards::endpointWizardWritesAValidFile()
{
    QTemporaryDir dir;
    NewEndpointWizard wizard(dir.path());
    wizard.show();
    typeName(wizard, QStringLiteral("house-prices"));
    auto *auth = wizard.currentPage()->findChild<QComboBox *>(QStringLiteral("authMode"));
    auth->setCurrentIndex(auth->findData(QStringLiteral("aml_token")));
    QTest::keyClicks(wizard.currentPage()->findChild<QLineEdit *>(QStringLiteral("description")),
                     QStringLiteral("Prices: from a model"));
    wizard.button(QWizard::FinishButton)->click();
    QCOMPARE(wizard.result(), int(QDialog::Accepted));
    const QString path = dir.filePath(QStringLiteral("endpoint.yml"));
    QCOMPARE(wizard.writtenFiles(), QStringList{path});
    QVERIFY2(errorsOf(path).isEmpty(), qPrintable(errorsOf(path)));
    const EndpointSpec spec = EndpointSpec::fromDocument(YamlDocument::load(path));
    QCOMPARE(spec.name, QStringLiteral("house-prices"));
    QCOMPARE(spec.authMode, QStringLiteral("aml_token"));
    QCOMPARE(spec.description, QStringLiteral("Prices: from a model"));
}

void TestEditorWizards::endpointWizardAsksBeforeReplacing()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("endpoint.yml"));
    QFile existing(path);
    QVERIFY(existing.open(QIODevice::WriteOnly));
    existing.write("# mine\nname: keep-me\n");
    existing.close();

    NewEndpointWizard wizard(dir.path());
    QStringList asked;
    bool answer = false;
    wizard.setOverwriteConfirm([&](const QString &file) {
        asked << file;
        return answer;
    });
    wizard.show();
    typeName(wizard, QStringLiteral("other"));
    wizard.button(QWizard::FinishButton)->click();
    QCOMPARE(asked, QStringList{path});
    QVERIFY(wizard.isVisible()); // declined: the wizard stays open, the file is untouched
    QCOMPARE(readFile(path), QByteArray("# mine\nname: keep-me\n"));
    QVERIFY(wizard.errorString().contains(u"already exists"));

    answer = true;
    wizard.button(QWizard::FinishButton)->click();
    QCOMPARE(wizard.result(), int(QDialog::Accepted));
    QVERIFY(readFile(path).contains("name: other\n"));
}

void TestEditorWizards::deploymentWizardWritesValidFiles()
{
    QTemporaryDir dir;
    QVERIFY(QDir(dir.path()).mkpath(QStringLiteral("model")));
    QFile model(dir.filePath(QStringLiteral("model/weights.json")));
    QVERIFY(model.open(QIODevice::WriteOnly));
    model.write("{}");
    model.close();

    NewDeploymentWizard wizard(dir.path(), {QStringLiteral("house-prices")});
    wizard.show();
    typeName(wizard, QStringLiteral("blue_1"));
    QVERIFY(nameMessage(wizard).contains(u"'_' is not allowed"));
    QVERIFY(!wizard.button(QWizard::NextButton)->isEnabled());
    typeName(wizard, QStringLiteral("blue"));
    auto *fileName = wizard.currentPage()->findChild<QLineEdit *>(QStringLiteral("fileName"));
    QCOMPARE(fileName->text(), QStringLiteral("blue-deployment.yml"));
    QVERIFY(wizard.button(QWizard::NextButton)->isEnabled());
    wizard.next();
    auto *count = wizard.currentPage()->findChild<QSpinBox *>(QStringLiteral("instanceCount"));
    count->setValue(2);
    wizard.button(QWizard::FinishButton)->click();
    QCOMPARE(wizard.result(), int(QDialog::Accepted));

    const QString yaml = dir.filePath(QStringLiteral("blue-deployment.yml"));
    const QString script = dir.filePath(QStringLiteral("onlinescoring/score.py"));
    QCOMPARE(wizard.writtenFiles(), (QStringList{yaml, script}));
    QVERIFY2(errorsOf(yaml).isEmpty(), qPrintable(errorsOf(yaml)));
    const DeploymentSpec spec = DeploymentSpec::fromDocument(YamlDocument::load(yaml));
    QCOMPARE(spec.name, QStringLiteral("blue"));
    QCOMPARE(spec.endpointName, QStringLiteral("house-prices"));
    QCOMPARE(spec.instanceCount, 2);
    QVERIFY(spec.environment.has_value());
    QCOMPARE(spec.environment->image, QStringLiteral("endpoint-studio/python:3.11-bookworm"));
    QVERIFY(readFile(script).contains("def init():"));
    QVERIFY(readFile(script).contains("def run(raw_data):"));

    // The starter script is never overwritten by a second deployment using the same code.
    QFile custom(script);
    QVERIFY(custom.open(QIODevice::WriteOnly));
    custom.write("# my scoring code\n");
    custom.close();
    NewDeploymentWizard second(dir.path(), {QStringLiteral("house-prices")});
    second.show();
    typeName(second, QStringLiteral("green"));
    second.next();
    second.button(QWizard::FinishButton)->click();
    QCOMPARE(second.writtenFiles(),
             QStringList{dir.filePath(QStringLiteral("green-deployment.yml"))});
    QCOMPARE(readFile(script), QByteArray("# my scoring code\n"));
}

void TestEditorWizards::screenshot()
{
    QTemporaryDir dir;
    NewDeploymentWizard wizard(dir.path(), {QStringLiteral("house-prices")});
    wizard.resize(640, 420);
    wizard.show();
    QVERIFY(QTest::qWaitForWindowExposed(&wizard));
    typeName(wizard, QStringLiteral("2nd-try"));
    QVERIFY(wizard.grab().save(TestSupport::screenshotPath(QStringLiteral("wizard"))));
    typeName(wizard, QStringLiteral("green"));
    wizard.next();
    QVERIFY(wizard.grab().save(TestSupport::screenshotPath(QStringLiteral("wizard-contents"))));
}

QTEST_MAIN(TestEditorWizards)
#include "test_editorwizards.moc"
