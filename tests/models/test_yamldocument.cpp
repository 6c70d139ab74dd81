#include "models/deploymentspec.h"
#include "models/endpointspec.h"
#include "models/speckind.h"
#include "models/validator.h"
#include "models/yamldocument.h"

#include "tests/common/testsupport.h"

#include <QDirIterator>
#include <QTest>

#include <yaml-cpp/yaml.h>

namespace {

QString fixture(const QString &name)
{
    return TestSupport::sourceDir() + QStringLiteral("/tests/models/fixtures/yaml/") + name;
}

QString firstDiagnostic(const YamlDocument &doc)
{
    return doc.diagnostics().isEmpty() ? QString() : doc.diagnostics().first().toString();
}

// Compares our tree with yaml-cpp's reading of the same text; returns the first difference.
QString differs(const YamlNode &ours, const YAML::Node &theirs, const QString &path)
{
    if (ours.isNullValue())
        return theirs.IsNull() ? QString() : path + QStringLiteral(": null vs non-null");
    if (ours.isScalar()) {
        if (!theirs.IsScalar())
            return path + QStringLiteral(": scalar vs other");
        const QString text = QString::fromStdString(theirs.Scalar());
        return text == ours.scalar ? QString()
                                   : path + QStringLiteral(": '%1' vs '%2'").arg(ours.scalar, text);
    }
    if (ours.isSequence()) {
        if (!theirs.IsSequence() || theirs.size() != size_t(ours.children.size()))
            return path + QStringLiteral(": list size");
        for (qsizetype i = 0; i < ours.children.size(); ++i) {
            const QString d =
                differs(ours.children[i], theirs[size_t(i)], path + u'.' + QString::number(i));
            if (!d.isEmpty())
                return d;
        }
        return {};
    }
    if (!theirs.IsMap() || theirs.size() != size_t(ours.children.size()))
        return path + QStringLiteral(": map size");
    for (const YamlNode &c : ours.children) {
        const YAML::Node value = theirs[c.key.toStdString()];
        const QString d = differs(c, value, path + u'.' + c.key);
        if (!d.isEmpty())
            return d;
    }
    return {};
}

} // namespace

class TestYamlDocument : public QObject
{
    Q_OBJECT

private slots:
    void positionsOfKeysAndValues()
    {
        const YamlDocument doc = YamlDocument::load(fixture(QStringLiteral("commented.yml")));
        QVERIFY2(doc.diagnostics().isEmpty(), qPrintable(firstDiagnostic(doc)));
        const YamlNode *name = doc.find(QStringLiteral("name"));
        QVERIFY(name);
        QCOMPARE(name->scalar, QStringLiteral("blue"));
        QCOMPARE(name->keyLocation.line, 3);
        QCOMPARE(name->keyLocation.column, 1);
        QCOMPARE(name->location.line, 3);
        QCOMPARE(name->location.column, 7);
        QCOMPARE(name->location.length, 4);
        const YamlNode *ep = doc.find(QStringLiteral("endpoint_name"));
        QCOMPARE(ep->scalar, QStringLiteral("my-endpoint"));
        QCOMPARE(ep->style, YamlNode::Style::DoubleQuoted);
        QCOMPARE(ep->location.column, 16);
        QCOMPARE(ep->location.length, 13);
        const YamlNode *code = doc.find(QStringLiteral("code_configuration.code"));
        QCOMPARE(code->scalar, QStringLiteral("onlinescoring"));
        QCOMPARE(code->location.line, 8);
        QCOMPARE(code->location.column, 9);
        QCOMPARE(doc.value(QStringLiteral("environment.image")),
                 QStringLiteral("mcr.microsoft.com/azureml/openmpi4.1.0-ubuntu22.04:latest"));
        QCOMPARE(doc.value(QStringLiteral("environment.conda_file")), QStringLiteral("conda.yaml"));
        QCOMPARE(doc.value(QStringLiteral("tags.cost center")), QStringLiteral("42"));
        const YamlNode *cost =
            doc.find(QStringList{QStringLiteral("tags"), QStringLiteral("cost center")});
        QCOMPARE(cost->toInt(), std::optional<qint64>(42));
        QCOMPARE(doc.value(QStringLiteral("routes.1")), QStringLiteral("b"));
        QCOMPARE(doc.value(QStringLiteral("list.0")), QStringLiteral("one"));
        QCOMPARE(doc.value(QStringLiteral("list.1.three")), QStringLiteral("3"));
        QCOMPARE(doc.find(QStringLiteral("list.1.three"))->keyLocation.column, 3);
        QCOMPARE(doc.value(QStringLiteral("notes")), QStringLiteral("line one\nline two\n"));
        QCOMPARE(doc.find(QStringLiteral("instance_count"))->toInt(), std::optional<qint64>(1));
        QCOMPARE(doc.find(QStringLiteral("instance_count"))->location.line, 22);
        QCOMPARE(detectSpecKind(doc), SpecKind::ManagedDeployment);
    }

    // Every YAML shipped in examples/ and in the fixtures reads the same as with yaml-cpp.
    void treeMatchesYamlCpp()
    {
        int checked = 0;
        for (const QString &dir :
             QStringList{TestSupport::examplesDir(),
                         TestSupport::sourceDir() + QStringLiteral("/tests/models")}) {
            QDirIterator it(dir, {QStringLiteral("*.yml"), QStringLiteral("*.yaml")}, QDir::Files,
                            QDirIterator::Subdirectories);
            while (it.hasNext()) {
                const QString path = it.next();
                const YamlDocument doc = YamlDocument::load(path);
                if (doc.hasErrors())
                    continue; // the broken fixtures
                YAML::Node theirs;
                try {
                    theirs = YAML::Load(doc.text().toStdString());
                } catch (const YAML::Exception &) {
                    QFAIL(qPrintable(path + QStringLiteral(": yaml-cpp rejects a file we accept")));
                }
                const QString d = differs(doc.root(), theirs, QStringLiteral("<root>"));
                QVERIFY2(d.isEmpty(), qPrintable(path + QStringLiteral(": ") + d));
                ++checked;
            }
        }
        QVERIFY(checked >= 20);
    }

    void specsFromDocument()
    {
        const YamlDocument doc = YamlDocument::load(fixture(QStringLiteral("commented.yml")));
        const DeploymentSpec spec = DeploymentSpec::fromDocument(doc);
        QCOMPARE(spec.name, QStringLiteral("blue"));
        QCOMPARE(spec.endpointName, QStringLiteral("my-endpoint"));
        QVERIFY(spec.model && !spec.model->isReference());
        QCOMPARE(spec.resolvePath(spec.model->path),
                 QDir::cleanPath(fixture(QStringLiteral("../model-1/model"))));
        QCOMPARE(spec.environment->condaFile, QStringLiteral("conda.yaml"));
        QCOMPARE(spec.requestSettings.requestTimeoutMs, 5000);
        QCOMPARE(spec.livenessProbe.failureThreshold, 30);
        QCOMPARE(spec.scaleSettings.type, QStringLiteral("default"));
        QCOMPARE(spec.tags.value(QStringLiteral("team")), QStringLiteral("ml"));

        const YamlDocument ep = YamlDocument::parse(
            QStringLiteral("endpoint.yml"),
            "name: k8s-ep\ncompute: azureml:inferencecompute\nauth_mode: AMLToken\n"
            "traffic:\n  blue: 90\n  green: 10\n");
        QCOMPARE(detectSpecKind(ep), SpecKind::Endpoint);
        const EndpointSpec e = EndpointSpec::fromDocument(ep);
        QVERIFY(e.isKubernetes());
        QCOMPARE(e.authMode, QStringLiteral("aml_token"));
        QCOMPARE(e.trafficTotal(), 100);
        QCOMPARE(e.publicNetworkAccess, QStringLiteral("enabled"));
    }

    void problemsBecomeDiagnostics_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<QString>("expected");
        QTest::newRow("duplicate") << "duplicate.yml"
                                   << "duplicate.yml:2:1: error: duplicate key 'name' (first at "
                                      "line 1); Azure ML keeps only the last one "
                                      "[yaml-duplicate-key]";
        QTest::newRow("tab") << "tab.yml"
                             << "tab.yml:2:1: error: tab character used for indentation; YAML "
                                "allows only spaces [yaml-tab-indent]";
        QTest::newRow("latin1") << "latin1.yml"
                                << "latin1.yml:1:10: error: byte 0xE9 is not valid UTF-8; YAML "
                                   "files must be UTF-8 [yaml-encoding]";
        QTest::newRow("anchor") << "anchors.yml"
                                << "anchors.yml:1:7: warning: anchor '&b': anchors and aliases "
                                   "make the file hard to edit; the studio expands them but "
                                   "edits do not follow [yaml-anchor]";
        QTest::newRow("indent") << "badindent.yml"
                                << "badindent.yml:3:4: error: this key is indented more than the "
                                   "key above it, so it reads as part of that value [yaml-syntax]";
        QTest::newRow("unclosed") << "unclosed.yml"
                                  << "unclosed.yml:1:7: error: '{' is never closed [yaml-syntax]";
        QTest::newRow("deep") << "deep.yml"
                              << "deep.yml:65:129: error: nesting deeper than 64 levels; the file "
                                 "is refused [yaml-too-deep]";
    }

    void problemsBecomeDiagnostics()
    {
        QFETCH(QString, file);
        QFETCH(QString, expected);
        const YamlDocument doc = YamlDocument::load(fixture(file));
        QVERIFY(!doc.diagnostics().isEmpty());
        QCOMPARE(firstDiagnostic(doc), fixture(QString()) + expected);
        QVERIFY(!doc.diagnostics().first().hint.isEmpty());
    }

    void aliasesAreExpanded()
    {
        const YamlDocument doc = YamlDocument::load(fixture(QStringLiteral("anchors.yml")));
        QCOMPARE(doc.value(QStringLiteral("copy.a")), QStringLiteral("1"));
        QVERIFY(!doc.hasErrors());

        // An anchor on an empty value anchors null; it does not slide onto the next value
        // (found by test_yamlfuzz: removing the last key of an anchored map broke the file).
        const YamlDocument empty = YamlDocument::parse(QStringLiteral("e.yml"),
                                                       "a: &x\nb: 1\nc: *x\nd:\n  - &y\n  - *y\n");
        QVERIFY2(!empty.hasErrors(), qPrintable(empty.diagnostics().value(0).message));
        QVERIFY(empty.find(QStringLiteral("c"))->isNullValue());
        QCOMPARE(empty.value(QStringLiteral("b")), QStringLiteral("1"));
        QVERIFY(empty.find(QStringLiteral("d.1"))->isNullValue());
    }

    // One typing of scalars for everything that reads YAML as data (the validator, the specs,
    // `-o yaml` read back): the YAML 1.2 core schema, quoted scalars stay text.
    void scalarsAreTypedByTheCoreSchema()
    {
        const YamlDocument doc = YamlDocument::parse(QStringLiteral("t.yml"),
                                                     "a: 1\nb: '1'\nc: 1.50\nd: true\ne: ~\nf:\n"
                                                     "g: [x, \"y\"]\nh: 0x1F\nj: yes\nk: 0o17\n"
                                                     "l: -2.5e3\nm: \"true\"\n");
        QVERIFY(!doc.hasErrors());
        const QVariantMap map = doc.root().toVariant().toMap();
        QCOMPARE(map.value("a"), QVariant(qint64(1)));
        QCOMPARE(map.value("b"), QVariant(QStringLiteral("1")));
        QCOMPARE(map.value("c"), QVariant(1.5));
        QCOMPARE(map.value("d"), QVariant(true));
        QVERIFY(!map.value("e").isValid());
        QVERIFY(!map.value("f").isValid());
        QCOMPARE(map.value("g"), QVariant(QVariantList{QStringLiteral("x"), QStringLiteral("y")}));
        QCOMPARE(map.value("h"), QVariant(qint64(31)));
        QCOMPARE(map.value("j"), QVariant(QStringLiteral("yes"))); // YAML 1.1's bool, not 1.2's
        QCOMPARE(map.value("k"), QVariant(qint64(15)));
        QCOMPARE(map.value("l"), QVariant(-2500.0));
        QCOMPARE(map.value("m"), QVariant(QStringLiteral("true")));
        // The same typing the validator's number checks use.
        QCOMPARE(doc.find(QStringLiteral("h"))->toInt(), std::optional<qint64>(31));
        QVERIFY(!doc.find(QStringLiteral("b"))->toInt());
    }

    // What the editor reads while the user types: every well-formed line, at its own offsets.
    void tolerantReadingLeavesOutOnlyBrokenLines()
    {
        const QByteArray text = "name: blue\n"
                                "model:\n"
                                "  pa\n" // a key being typed: no ':' yet
                                "  version: 1\n"
                                "environment: [a,\n" // an unclosed list
                                "code_configuration:\n"
                                "  code: src\n"
                                "  \"scoring_script: score.py\n" // an unclosed quote
                                "instance_count: 1\n";
        const YamlDocument strict = YamlDocument::parse(QStringLiteral("t.yml"), text);
        QVERIFY(strict.hasErrors());
        QVERIFY(!strict.find(QStringLiteral("instance_count")));
        const YamlDocument doc = YamlDocument::parseTolerant(QStringLiteral("t.yml"), text);
        QCOMPARE(doc.text(), text);
        QCOMPARE(doc.diagnostics().size(), strict.diagnostics().size());
        QCOMPARE(doc.diagnostics().first().toString(), strict.diagnostics().first().toString());
        QCOMPARE(doc.value(QStringLiteral("name")), QStringLiteral("blue"));
        QCOMPARE(doc.value(QStringLiteral("model.version")), QStringLiteral("1"));
        QVERIFY(!doc.find(QStringLiteral("environment"))); // its line is broken: left out
        QCOMPARE(doc.value(QStringLiteral("code_configuration.code")), QStringLiteral("src"));
        QVERIFY(!doc.find(QStringLiteral("code_configuration.scoring_script")));
        const YamlNode *count = doc.find(QStringLiteral("instance_count"));
        QVERIFY(count);
        QCOMPARE(count->location.line, 9);
        QCOMPARE(count->location.offset, int(text.indexOf("1\n", text.indexOf("instance"))));
        QCOMPARE(detectSpecKind(doc), SpecKind::ManagedDeployment);

        // An edit of a tolerant document keeps reading tolerantly.
        YamlDocument edited = doc;
        QVERIFY(edited.setValue(QStringLiteral("instance_count"), QStringLiteral("2")).ok());
        QCOMPARE(edited.value(QStringLiteral("instance_count")), QStringLiteral("2"));
        QCOMPARE(edited.value(QStringLiteral("model.version")), QStringLiteral("1"));

        // The repairs are bounded: past MaxRepairs broken lines, the rest is left out.
        QByteArray many;
        for (int i = 0; i < YamlDocument::MaxRepairs + 4; ++i)
            many += "k" + QByteArray::number(i) + ": 1\nbroken" + QByteArray::number(i) + "\n";
        const YamlDocument bounded = YamlDocument::parseTolerant(QStringLiteral("m.yml"), many);
        QCOMPARE(bounded.value(QStringLiteral("k0")), QStringLiteral("1"));
        QCOMPARE(bounded.root().children.size(),
                 YamlDocument::MaxRepairs + 1); // one more key a repair
    }

    void indicatorsCannotStartKeys()
    {
        // Found by test_yamlfuzz: ">key: v" read as a key, then removing the line above made
        // the same text a folded scalar.
        const YamlDocument folded =
            YamlDocument::parse(QStringLiteral("k.yml"), "name: blue\n>endpoint_name: ep\n");
        QVERIFY(folded.hasErrors());
        QCOMPARE(folded.diagnostics().value(0).code, QStringLiteral("yaml-syntax"));
        QCOMPARE(folded.diagnostics().value(0).location.line, 2);
        QCOMPARE(folded.diagnostics().value(0).location.column, 1);
        QCOMPARE(folded.diagnostics().value(0).message,
                 QStringLiteral("a key cannot start with '>'"));
        const YamlDocument anchored =
            YamlDocument::parse(QStringLiteral("k.yml"), "name: blue\n&a endpoint_name: ep\n");
        QCOMPARE(anchored.diagnostics().value(0).code, QStringLiteral("yaml-key-properties"));
        // Inside a key, and quoted, they are text.
        const YamlDocument fine =
            YamlDocument::parse(QStringLiteral("k.yml"), "a>b: 1\n'>c': 2\n\"|d\": 3\n");
        QVERIFY(!fine.hasErrors());
        QCOMPARE(fine.value(QStringLiteral("a>b")), QStringLiteral("1"));
        QCOMPARE(fine.root().keys(),
                 (QStringList{QStringLiteral("a>b"), QStringLiteral(">c"), QStringLiteral("|d")}));
    }

    void editsNeverBreakAValidFile()
    {
        // Found by test_yamlfuzz: removing an anchored key left its alias dangling. Such an
        // edit is refused with the reason, and the text stays as it was.
        const QByteArray text = "base: &b\n  a: 1\ncopy: *b\n";
        YamlDocument doc = YamlDocument::parse(QStringLiteral("/x/anchors.yml"), text);
        QVERIFY(!doc.hasErrors());
        const Result<TextEdit> removed = doc.removeKey(QStringLiteral("base"));
        QVERIFY(!removed.ok());
        QVERIFY2(removed.error().message.startsWith(
                     QStringLiteral("anchors.yml: the change was not made because it would "
                                    "break the YAML: alias '*b' refers to no anchor")),
                 qPrintable(removed.error().message));
        QCOMPARE(doc.text(), text);
        QVERIFY(!doc.hasErrors());
        QCOMPARE(doc.value(QStringLiteral("copy.a")), QStringLiteral("1"));
        // Raw YAML that does not parse is refused the same way.
        const Result<TextEdit> raw = doc.setValue(QStringLiteral("base.a"), QStringLiteral("[1, 2"),
                                                  YamlDocument::Quoting::Raw);
        QVERIFY(!raw.ok());
        QCOMPARE(doc.text(), text);
    }

    void refusesHugeFiles()
    {
        QByteArray big = "a: ";
        big += QByteArray(YamlDocument::MaxFileSize + 10, 'x');
        const YamlDocument doc = YamlDocument::parse(QStringLiteral("big.yml"), big);
        QCOMPARE(doc.diagnostics().size(), 1);
        QCOMPARE(doc.diagnostics().first().code, QStringLiteral("yaml-too-large"));
        QVERIFY(doc.root().isNull());
    }

    void garbageNeverCrashes()
    {
        const QList<QByteArray> inputs = {"",
                                          "\n\n",
                                          "- - - -",
                                          "{[}]",
                                          "\"abc",
                                          "a: |\n",
                                          "key: 'x'' y'\n  z: 1",
                                          "? a\n: b",
                                          "a:\n- b\n- c\nd: e",
                                          "*x",
                                          "&a [*a]",
                                          "a: \"\\u12\"",
                                          "---\na: 1\n---\nb: 2",
                                          QByteArray(200, '['),
                                          "a:\t1\n\t- b"};
        for (const QByteArray &in : inputs) {
            const YamlDocument doc = YamlDocument::parse(QStringLiteral("g.yml"), in);
            for (const Diagnostic &d : doc.diagnostics())
                QVERIFY(d.location.line >= 1 || d.location.file == u"g.yml");
        }
        const YamlDocument compact =
            YamlDocument::parse(QStringLiteral("c.yml"), "a:\n- b\n- c\nd: e\n");
        QVERIFY(!compact.hasErrors());
        QCOMPARE(compact.value(QStringLiteral("a.1")), QStringLiteral("c"));
        QCOMPARE(compact.value(QStringLiteral("d")), QStringLiteral("e"));
    }

    // Mutated and truncated real files: parsing, validation and edits must never crash
    // (this runs under ASan/UBSan in CI) and every diagnostic has a position.
    void mutatedFilesNeverCrash()
    {
        QFile f(fixture(QStringLiteral("commented.yml")));
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QByteArray original = f.readAll();
        const QByteArray alphabet = " \t\n\r:-#'\"[]{},&*!|>?%@`\\\xff\xc3";
        quint32 seed = 12345;
        auto next = [&seed] {
            seed = seed * 1103515245u + 12345u;
            return (seed >> 16) & 0x7fff;
        };
        for (int i = 0; i < 1000; ++i) {
            QByteArray text = original;
            const int mutations = 1 + int(next() % 4);
            for (int m = 0; m < mutations; ++m) {
                const int at = int(next() % text.size());
                switch (next() % 3) {
                case 0:
                    text[at] = alphabet.at(int(next() % alphabet.size()));
                    break;
                case 1:
                    text.insert(at, alphabet.at(int(next() % alphabet.size())));
                    break;
                default:
                    text.truncate(std::max(1, at));
                }
            }
            YamlDocument doc = YamlDocument::parse(QStringLiteral("m.yml"), text);
            const Diagnostics diagnostics = Validator::validate(doc);
            for (const Diagnostic &d : diagnostics)
                QVERIFY2(d.location.line >= 1 && d.location.column >= 1, qPrintable(d.toString()));
            if (!doc.hasErrors()) {
                (void)doc.setValue(QStringLiteral("model.name"), QStringLiteral("x: y"));
                (void)doc.removeKey(QStringLiteral("list.1"));
                (void)doc.setMap({QStringLiteral("tags")}, {{QStringLiteral("a"), QString()}});
            }
        }
    }

    void unchangedTextRoundTripsByteForByte()
    {
        for (const QString &name : {QStringLiteral("commented.yml"), QStringLiteral("crlf.yml")}) {
            QFile f(fixture(name));
            QVERIFY(f.open(QIODevice::ReadOnly));
            const QByteArray original = f.readAll();
            YamlDocument doc = YamlDocument::parse(fixture(name), original);
            QCOMPARE(doc.text(), original);
            QVERIFY(doc.setValue(QStringLiteral("name"), QStringLiteral("blue")).ok());
            QCOMPARE(doc.text(), original);
        }
    }

    void editsKeepCommentsAndLayout()
    {
        QFile f(fixture(QStringLiteral("commented.yml")));
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QByteArray original = f.readAll();
        YamlDocument doc = YamlDocument::parse(QStringLiteral("c.yml"), original);

        auto edit = doc.setValue(QStringLiteral("name"), QStringLiteral("green"));
        QVERIFY(edit.ok());
        QCOMPARE(edit.value().offset, original.indexOf("blue   #"));
        QCOMPARE(edit.value().removed, 4);
        QVERIFY(doc.text().contains("name: green   # the first one\n"));

        QVERIFY(doc.setValue(QStringLiteral("endpoint_name"), QStringLiteral("other")).ok());
        QVERIFY(doc.text().contains("endpoint_name: \"other\"\n"));
        QVERIFY(
            doc.setValue(QStringLiteral("environment.conda_file"), QStringLiteral("c.yml")).ok());
        QVERIFY(doc.text().contains("  conda_file: 'c.yml'\n"));

        QVERIFY(doc.setValue(QStringLiteral("request_settings.request_timeout_ms"),
                             QStringLiteral("9000"))
                    .ok());
        QVERIFY2(doc.text().endsWith("instance_count: 1\nrequest_settings:\n  "
                                     "request_timeout_ms: 9000\n"),
                 doc.text().constData());
        QVERIFY(doc.setValue(QStringLiteral("model.name"), QStringLiteral("m")).ok());
        QVERIFY(doc.text().contains("model:\n  path: ../model-1/model/\n  name: m\ncode_"));
        QVERIFY(doc.setValue(QStringLiteral("tags.owner"), QStringLiteral("me")).ok());
        QVERIFY(doc.text().contains("tags: {team: ml, \"cost center\": 42, owner: me}\n"));
        QVERIFY(doc.removeKey(QStringLiteral("tags.team")).ok());
        QVERIFY2(doc.text().contains("tags: {\"cost center\": 42, owner: me}\n"),
                 doc.text().constData());
        QVERIFY(doc.removeKey(QStringLiteral("code_configuration")).ok());
        QVERIFY(!doc.text().contains("code_configuration"));
        QVERIFY(doc.text().contains("  name: m\n# no\n") ||
                doc.text().contains("  name: m\nenvironment:"));
        QVERIFY(doc.removeKey(QStringLiteral("list.1.two")).ok());
        QVERIFY2(doc.text().contains("- one\n- three: 3\n"), doc.text().constData());
        QVERIFY(doc.text().startsWith("# Blue deployment\n$schema:"));
        QVERIFY(!doc.hasErrors());
        QCOMPARE(doc.value(QStringLiteral("model.name")), QStringLiteral("m"));
    }

    void mapAndListEditsOnCrlf()
    {
        QFile f(fixture(QStringLiteral("crlf.yml")));
        QVERIFY(f.open(QIODevice::ReadOnly));
        YamlDocument doc = YamlDocument::parse(QStringLiteral("crlf.yml"), f.readAll());
        QCOMPARE(doc.lineEnding(), QByteArray("\r\n"));
        const QStringList path{QStringLiteral("environment_variables")};
        QVERIFY(doc.setMap(path, {{QStringLiteral("A"), QStringLiteral("2")},
                                  {QStringLiteral("B"), QStringLiteral("x y")}})
                    .ok());
        QCOMPARE(doc.text(), QByteArray("name: blue\r\nendpoint_name: ep\r\n# crlf comment\r\n"
                                        "environment_variables:\r\n  A: \"2\"\r\n  B: x y\r\n"));
        QVERIFY(doc.setMap(path, {{QStringLiteral("B"), QStringLiteral("z")}}).ok());
        QCOMPARE(doc.text(), QByteArray("name: blue\r\nendpoint_name: ep\r\n# crlf comment\r\n"
                                        "environment_variables:\r\n  B: z\r\n"));
        QVERIFY(doc.setSequence({QStringLiteral("items")},
                                {QStringLiteral("a"), QStringLiteral("b: c")})
                    .ok());
        QVERIFY2(doc.text().endsWith("items:\r\n  - a\r\n  - \"b: c\"\r\n"),
                 doc.text().constData());
        QCOMPARE(doc.value(QStringLiteral("items.1")), QStringLiteral("b: c"));
        QVERIFY(doc.setValue(QStringLiteral("traffic.blue"), QStringLiteral("100")).ok());
        QCOMPARE(doc.find(QStringLiteral("traffic.blue"))->toInt(), std::optional<qint64>(100));
        QVERIFY(!doc.hasErrors());
    }

    void addingUnderAnEmptyKey()
    {
        YamlDocument doc = YamlDocument::parse(QStringLiteral("e.yml"),
                                               "name: x\nenvironment:   # fill me\nother: 1\n");
        QVERIFY(doc.setValue(QStringLiteral("environment.image"), QStringLiteral("python:3")).ok());
        QCOMPARE(doc.text(),
                 QByteArray("name: x\nenvironment:   # fill me\n  image: python:3\nother: 1\n"));
        QVERIFY(!doc.addKey({QStringLiteral("name")}, QStringLiteral("y")).ok());
        YamlDocument empty = YamlDocument::parse(QStringLiteral("n.yml"), "");
        QVERIFY(empty.setValue(QStringLiteral("a.b"), QStringLiteral("1")).ok());
        QCOMPARE(empty.text(), QByteArray("a:\n  b: 1\n"));
    }
};

QTEST_GUILESS_MAIN(TestYamlDocument)
#include "test_yamldocument.moc"
