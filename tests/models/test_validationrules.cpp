#include "models/validationrules.h"
#include "models/validator.h"
#include "models/workspace.h"
#include "models/yamldocument.h"

#include "tests/common/testsupport.h"

#include <QDirIterator>
#include <QFile>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

// Runs every row of resources/validation/rules.yml: each triggering fixture raises the row's code
// at the stated place with the table's severity and Azure source; each clean fixture raises
// neither that code nor any error.
namespace {

QString tablePath()
{
    return TestSupport::sourceDir() + QStringLiteral("/resources/validation/rules.yml");
}

QString baseFolder()
{
    return TestSupport::sourceDir() + QStringLiteral("/tests/models/fixtures/rules");
}

QString describe(const Diagnostics &diagnostics)
{
    QStringList lines;
    for (const Diagnostic &d : diagnostics)
        lines.append(d.toString());
    return lines.join(u'\n');
}

bool copyTree(const QString &from, const QString &to)
{
    QDirIterator it(from, QDir::Files | QDir::NoDotAndDotDot, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString file = it.next();
        const QString target = to + u'/' + QDir(from).relativeFilePath(file);
        QDir().mkpath(QFileInfo(target).absolutePath());
        if (!QFile::copy(file, target))
            return false;
    }
    return true;
}

QByteArray generated(const QString &kind)
{
    if (kind == u"invalid-utf8")
        return QByteArray("name: green-\xff-deployment\n");
    if (kind == u"large")
        return QByteArray("name: green\ndescription: ") + QByteArray(11 * 1024 * 1024, 'x') + '\n';
    if (kind == u"deep")
        return QByteArray("name: ") + QByteArray(70, '[') + QByteArray(70, ']') + '\n';
    return {};
}

struct Fixture
{
    QString file;
    QByteArray text;
    QString endpointName;
    Validator::Target target = Validator::Target::Local;
    Validator::Purpose purpose = Validator::Purpose::Validate;
    bool workspace = true;
    int line = 0;
    int column = 0;
    QString message;
    QString generate;
    int tableLine = 0;
};

Fixture fixtureOf(const YamlNode &node)
{
    Fixture f;
    f.tableLine = node.location.line;
    if (const YamlNode *n = node.child(QStringLiteral("file")))
        f.file = n->text();
    if (const YamlNode *n = node.child(QStringLiteral("yaml")))
        f.text = n->text().toUtf8();
    if (const YamlNode *n = node.child(QStringLiteral("generate"))) {
        f.generate = n->text();
        f.text = generated(f.generate);
    }
    if (const YamlNode *at = node.child(QStringLiteral("at")); at && at->isSequence()) {
        f.line = int(at->item(0) ? at->item(0)->toInt().value_or(0) : 0);
        f.column = int(at->item(1) ? at->item(1)->toInt().value_or(0) : 0);
    }
    if (const YamlNode *n = node.child(QStringLiteral("message")))
        f.message = n->text();
    if (const YamlNode *context = node.child(QStringLiteral("context"))) {
        if (const YamlNode *n = context->child(QStringLiteral("endpoint_name")))
            f.endpointName = n->text();
        if (const YamlNode *n = context->child(QStringLiteral("target")))
            f.target = Validator::targetFromName(n->text()).value_or(Validator::Target::Local);
        if (const YamlNode *n = context->child(QStringLiteral("purpose")))
            f.purpose = n->text() == u"deploy" ? Validator::Purpose::LocalDeploy
                                               : Validator::Purpose::Validate;
        if (const YamlNode *n = context->child(QStringLiteral("workspace")))
            f.workspace = n->toBool().value_or(true);
    }
    return f;
}

// Writes the fixture into the copy of the base folder (putting the base file back afterwards)
// and validates it as `endpointctl validate` (or the deploy gate) would.
Diagnostics run(const QString &folder, const Fixture &f)
{
    const QString path = folder + u'/' + f.file;
    if (f.generate == u"missing")
        return Validator::validate(YamlDocument::load(path));
    QByteArray original;
    bool existed = false;
    if (QFile in(path); in.open(QIODevice::ReadOnly)) {
        original = in.readAll();
        existed = true;
    }
    auto write = [&path](const QByteArray &text) {
        QFile out(path);
        return out.open(QIODevice::WriteOnly | QIODevice::Truncate) &&
               out.write(text) == text.size();
    };
    if (!write(f.text))
        return {};
    Workspace workspace(folder);
    workspace.scan();
    ValidationContext context = f.workspace ? workspace.validationContext() : ValidationContext{};
    context.endpointName = f.endpointName;
    Validator::Options options;
    options.target = f.target;
    options.purpose = f.purpose;
    Diagnostics d = Validator::validate(YamlDocument::load(path), context, options);
    if (existed)
        write(original);
    else
        QFile::remove(path);
    // Report paths relative to the folder.
    for (Diagnostic &diagnostic : d)
        diagnostic.location.file = QFileInfo(diagnostic.location.file).fileName();
    return d;
}

const YamlNode *rulesOf(const YamlDocument &table)
{
    return table.root().child(QStringLiteral("rules"));
}

} // namespace

class TestValidationRules : public QObject
{
    Q_OBJECT

    YamlDocument m_table;
    QTemporaryDir m_folder;

private slots:
    void initTestCase()
    {
        m_table = YamlDocument::load(tablePath());
        Diagnostics errors;
        for (const Diagnostic &d : m_table.diagnostics()) {
            if (d.severity == Severity::Error)
                errors << d;
        }
        QVERIFY2(errors.isEmpty(), qPrintable(describe(errors)));
        QVERIFY(rulesOf(m_table) && rulesOf(m_table)->isSequence());
        QVERIFY(m_folder.isValid());
        QVERIFY(copyTree(baseFolder(), m_folder.path()));
        qInfo("rule table: %lld rows, mirrors %s", qlonglong(rulesOf(m_table)->children.size()),
              qPrintable(ValidationRules::instance().azureVersion()));
    }

    // The validator ships the same table it is tested against.
    void shippedTableIsTheSourceFile()
    {
        const ValidationRules fromSource = ValidationRules::fromDocument(m_table);
        QVERIFY2(fromSource.error().isEmpty(), qPrintable(fromSource.error()));
        const ValidationRules &shipped = ValidationRules::instance();
        QVERIFY2(shipped.error().isEmpty(), qPrintable(shipped.error()));
        QCOMPARE(shipped.rules().size(), fromSource.rules().size());
        for (const ValidationRule &rule : fromSource.rules()) {
            const ValidationRule *s = shipped.rule(rule.code);
            QVERIFY2(s, qPrintable(rule.code));
            QCOMPARE(s->severity, rule.severity);
            QCOMPARE(s->azureSeverity, rule.azureSeverity);
            QCOMPARE(s->source, rule.source);
        }
        QCOMPARE(shipped.azureVersion(), QStringLiteral("azure-ai-ml 1.26.5"));
    }

    // Every code the validator can emit has a row (and so a source and fixtures).
    void everyCodeOfTheValidatorIsInTheTable()
    {
        // The diagnostic codes written in the models library's sources (the validator, the
        // YAML reader); other literals of that shape (e.g. "text scan") have spaces.
        QStringList codes;
        const QDir models(TestSupport::sourceDir() + QStringLiteral("/models"));
        for (const QString &name : models.entryList({QStringLiteral("*.cpp")}, QDir::Files)) {
            QFile file(models.filePath(name));
            QVERIFY(file.open(QIODevice::ReadOnly));
            const QString text = QString::fromUtf8(file.readAll());
            static const QRegularExpression code(
                QStringLiteral("(?:code = |add\\(|addDiag\\(Severity::\\w+, "
                               "|error\\(|range\\([^;]*?, |checkPath\\([^;]*?, )"
                               "QStringLiteral\\(\"([a-z0-9]+(-[a-z0-9]+)+)\"\\)"));
            for (auto it = code.globalMatch(text); it.hasNext();)
                codes << it.next().captured(1);
        }
        codes.removeDuplicates();
        QVERIFY(codes.size() > 40);
        QStringList missing;
        for (const QString &code : codes) {
            if (!ValidationRules::instance().rule(code))
                missing << code;
        }
        QVERIFY2(missing.isEmpty(), qPrintable(missing.join(QStringLiteral(", "))));
    }

    void rows_data()
    {
        QTest::addColumn<int>("row");
        const YamlNode *rules = rulesOf(m_table);
        for (qsizetype i = 0; i < rules->children.size(); ++i)
            QTest::addRow("%s",
                          qPrintable(rules->children.at(i).child(QStringLiteral("code"))->text()))
                << int(i);
    }

    void rows()
    {
        QFETCH(int, row);
        const YamlNode &node = rulesOf(m_table)->children.at(row);
        const QString code = node.child(QStringLiteral("code"))->text();
        const ValidationRule *rule = ValidationRules::instance().rule(code);
        QVERIFY(rule);
        const YamlNode *triggers = node.child(QStringLiteral("trigger"));
        const YamlNode *cleans = node.child(QStringLiteral("clean"));
        QVERIFY2(triggers && triggers->isSequence() && !triggers->children.isEmpty(),
                 "every row needs a triggering fixture");
        QVERIFY2(cleans && cleans->isSequence() && !cleans->children.isEmpty(),
                 "every row needs a clean fixture");
        QVERIFY2(!rule->summary.isEmpty(), "every row needs a summary");
        if (rule->checkedBy != u"studio")
            QVERIFY2(!rule->source.isEmpty(), "every row Azure checks names its source");

        for (const YamlNode &t : triggers->children) {
            const Fixture f = fixtureOf(t);
            const Diagnostics d = run(m_folder.path(), f);
            const Diagnostic *found = nullptr;
            for (const Diagnostic &x : d) {
                if (x.code == code && x.location.line == f.line && x.location.column == f.column)
                    found = &x;
            }
            const QString where = QStringLiteral("trigger at rules.yml:%1 expects %2:%3:%4\n%5")
                                      .arg(f.tableLine)
                                      .arg(f.file)
                                      .arg(f.line)
                                      .arg(f.column)
                                      .arg(describe(d));
            QVERIFY2(found, qPrintable(where));
            QVERIFY2(found->message.startsWith(f.message),
                     qPrintable(found->message + QStringLiteral("\n  expected: ") + f.message));
            const Severity expected =
                f.target == Validator::Target::Azure ? rule->azureSeverity : rule->severity;
            QVERIFY2(found->severity == expected, qPrintable(found->toString()));
            QVERIFY2(!found->hint.isEmpty(), qPrintable(found->toString()));
            if (!rule->source.isEmpty())
                QVERIFY2(!found->source.isEmpty(), qPrintable(found->toString()));
        }
        for (const YamlNode &c : cleans->children) {
            const Fixture f = fixtureOf(c);
            const Diagnostics d = run(m_folder.path(), f);
            for (const Diagnostic &x : d) {
                QVERIFY2(x.code != code, qPrintable(QStringLiteral("clean at rules.yml:%1:\n%2")
                                                        .arg(f.tableLine)
                                                        .arg(describe(d))));
                QVERIFY2(x.severity != Severity::Error,
                         qPrintable(QStringLiteral("clean at rules.yml:%1 has an error:\n%2")
                                        .arg(f.tableLine)
                                        .arg(describe(d))));
            }
        }
    }
};

QTEST_GUILESS_MAIN(TestValidationRules)
#include "test_validationrules.moc"
