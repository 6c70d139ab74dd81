#include "app/cli/outputformatter.h"
#include "models/yamldocument.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

namespace {

QJsonValue json(const char *text)
{
    const QJsonDocument doc = QJsonDocument::fromJson(QByteArray("[") + text + "]");
    return doc.array().at(0);
}

// The docs' sample of `az ml online-endpoint show --local`.
const char *const localShow =
    "{\"auth_mode\": \"key\", \"location\": \"local\", \"name\": \"endpt-1\", \"properties\": {}, "
    "\"provisioning_state\": \"Succeeded\", \"scoring_uri\": \"http://localhost:49158/score\", "
    "\"tags\": {}, \"traffic\": {\"blue\": 100}}";

} // namespace

class TestCliOutput : public QObject
{
    Q_OBJECT
private slots:
    void formatNames()
    {
        QCOMPARE(OutputFormatter::formatFromName("TSV"), OutputFormatter::Format::Tsv);
        QCOMPARE(OutputFormatter::formatFromName("yaml"), OutputFormatter::Format::Yaml);
        QVERIFY(!OutputFormatter::formatFromName("xml").has_value());
    }

    void numbersPrintAsPythonPrintsThem_data()
    {
        QTest::addColumn<QJsonValue>("value");
        QTest::addColumn<QString>("expected");
        QTest::newRow("int") << json("5") << "5";
        QTest::newRow("negative int") << json("-42") << "-42";
        QTest::newRow("fraction") << json("141.5") << "141.5";
        // QJsonValue keeps whole doubles as integers, so 253.0 prints as 253 (Python: 253.0).
        QTest::newRow("whole float") << json("253.0") << "253";
        QTest::newRow("tenth") << json("0.1") << "0.1";
        QTest::newRow("float error") << json("389.9999999999999") << "389.9999999999999";
        QTest::newRow("small") << json("0.0001") << "0.0001";
        QTest::newRow("smaller") << json("0.00001") << "1e-05";
        QTest::newRow("big") << QJsonValue(1e16) << "1e+16";
        QTest::newRow("big fraction") << QJsonValue(1.5e20) << "1.5e+20";
        QTest::newRow("below 1e16") << QJsonValue(123456789012345.5) << "123456789012345.5";
        QTest::newRow("negative float") << json("-0.5") << "-0.5";
        QTest::newRow("programmatic int") << QJsonValue(90) << "90";
    }
    void numbersPrintAsPythonPrintsThem()
    {
        QFETCH(QJsonValue, value);
        QFETCH(QString, expected);
        QCOMPARE(OutputFormatter::number(value), expected);
    }

    void jsonIsIndentedByTwoWithSortedKeys()
    {
        const QString expected =
            QStringLiteral("{\n"
                           "  \"auth_mode\": \"key\",\n"
                           "  \"location\": \"local\",\n"
                           "  \"name\": \"endpt-1\",\n"
                           "  \"properties\": {},\n"
                           "  \"provisioning_state\": \"Succeeded\",\n"
                           "  \"scoring_uri\": \"http://localhost:49158/score\",\n"
                           "  \"tags\": {},\n"
                           "  \"traffic\": {\n"
                           "    \"blue\": 100\n"
                           "  }\n"
                           "}\n");
        QCOMPARE(OutputFormatter::toJson(json(localShow)), expected);
        QCOMPARE(OutputFormatter::toJson(json("[\"a\\\"b\\n\", [], true, null, 1.5]")),
                 QStringLiteral("[\n  \"a\\\"b\\n\",\n  [],\n  true,\n  null,\n  1.5\n]\n"));
        QCOMPARE(OutputFormatter::toJson(QJsonValue(QStringLiteral("[141.5, 220.5]"))),
                 QStringLiteral("\"[141.5, 220.5]\"\n"));
    }

    void tsvIsOneRowPerItem()
    {
        QCOMPARE(OutputFormatter::toTsv(QJsonValue(QStringLiteral("Succeeded"))),
                 QStringLiteral("Succeeded\n"));
        QCOMPARE(OutputFormatter::toTsv(json("[\"a\", \"b\"]")), QStringLiteral("a\nb\n"));
        QCOMPARE(OutputFormatter::toTsv(json("[{\"n\": \"x\", \"v\": 1.5, \"ok\": true}]")),
                 QStringLiteral("x\tTrue\t1.5\n"));
        // knack prints a nested list as its length and a nested dict as nothing.
        QCOMPARE(OutputFormatter::toTsv(json(localShow)),
                 QStringLiteral("key\tlocal\tendpt-1\t\tSucceeded\thttp://localhost:49158/score"
                                "\t\t\n"));
        QCOMPARE(OutputFormatter::format(json("null"), OutputFormatter::Format::Tsv), QString());
    }

    void tableIsTabulateSimple()
    {
        QCOMPARE(OutputFormatter::toTable(json("[{\"Name\": \"endpt-1\"}, {\"Name\": \"e2\"}]")),
                 QStringLiteral("Name\n-------\nendpt-1\ne2\n"));
        const QString show = OutputFormatter::toTable(json(localShow));
        QCOMPARE(show,
                 QStringLiteral("Auth_mode  Location  Name     Provisioning_state  Scoring_uri\n"
                                "---------  --------  -------  ------------------  "
                                "----------------------------\n"
                                "key        local     endpt-1  Succeeded           "
                                "http://localhost:49158/score\n"));
        QCOMPARE(OutputFormatter::toTable(json("[\"a\", 1]")),
                 QStringLiteral("Result\n------\na\n1\n"));
    }

    void yamlIsBlockStyleAndReadsBack()
    {
        const QJsonValue value =
            json("{\"name\": \"blue\", \"instance_count\": 1,\n"
                 "            \"environment_variables\": {\"A\": \"true\", \"B\": \"012\", \"C\": "
                 "\"x: y\", \"D\": \"\"},\n"
                 "            \"list\": [\"one\", {\"k\": 1.5, \"m\": [1, 2]}], \"empty\": {}, "
                 "\"none\": null,\n"
                 "            \"uri\": \"http://localhost:5001/score\", \"multi\": \"a\\nb\"}");
        const QString yaml = OutputFormatter::toYaml(value);
        QCOMPARE(yaml, QStringLiteral("empty: {}\n"
                                      "environment_variables:\n"
                                      "  A: 'true'\n"
                                      "  B: '012'\n"
                                      "  C: 'x: y'\n"
                                      "  D: ''\n"
                                      "instance_count: 1\n"
                                      "list:\n"
                                      "- one\n"
                                      "- k: 1.5\n"
                                      "  m:\n"
                                      "  - 1\n"
                                      "  - 2\n"
                                      "multi: \"a\\nb\"\n"
                                      "name: blue\n"
                                      "none: null\n"
                                      "uri: http://localhost:5001/score\n"));
        // Read back the way the studio reads YAML (the validator's typing of scalars).
        const YamlDocument back = YamlDocument::parse({}, yaml.toUtf8());
        QVERIFY(!back.hasErrors());
        QCOMPARE(QJsonValue::fromVariant(back.root().toVariant()), value);
        QCOMPARE(OutputFormatter::toYaml(QJsonValue(QStringLiteral("Succeeded"))),
                 QStringLiteral("Succeeded\n...\n"));
    }
};

QTEST_GUILESS_MAIN(TestCliOutput)
#include "test_cli_output.moc"
