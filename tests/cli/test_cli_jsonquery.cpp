#include "app/cli/jsonquery.h"

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

const char *const endpoints = R"([
  {"name": "ep-one", "location": "local", "provisioning_state": "Succeeded",
   "traffic": {"blue": 90, "green": 10, "my-dep": 0}, "tags": {}},
  {"name": "ep-two", "location": "local", "provisioning_state": "Failed",
   "traffic": {}, "tags": {"team": "ml"}}
])";

} // namespace

class TestCliJsonQuery : public QObject
{
    Q_OBJECT
private:
    static QJsonValue query(const QString &expression, const QJsonValue &document)
    {
        const auto compiled = JsonQuery::compile(expression);
        if (!compiled.ok())
            qWarning("%s: %s", qPrintable(expression), qPrintable(compiled.error().message));
        return compiled.ok() ? compiled.value().evaluate(document)
                             : QJsonValue(QJsonValue::Undefined);
    }

private slots:
    void fieldsAndDottedPaths_data()
    {
        QTest::addColumn<QString>("expression");
        QTest::addColumn<QJsonValue>("expected");
        QTest::newRow("field") << "provisioning_state" << json(R"("Succeeded")");
        QTest::newRow("dotted") << "traffic.blue" << json("90");
        QTest::newRow("dash in a name") << "traffic.my-dep" << json("0");
        QTest::newRow("quoted name") << R"(traffic."my-dep")" << json("0");
        QTest::newRow("missing field") << "scoring_uri" << json("null");
        QTest::newRow("field of a scalar") << "name.first" << json("null");
        QTest::newRow("object") << "traffic" << json(R"({"blue": 90, "green": 10, "my-dep": 0})");
        QTest::newRow("current") << "@.name" << json(R"("ep-one")");
    }
    void fieldsAndDottedPaths()
    {
        QFETCH(QString, expression);
        QFETCH(QJsonValue, expected);
        const QJsonValue one = json(endpoints).toArray().at(0);
        QCOMPARE(query(expression, one), expected);
    }

    void projectionsFiltersAndMultiselect_data()
    {
        QTest::addColumn<QString>("expression");
        QTest::addColumn<QJsonValue>("expected");
        QTest::newRow("index") << "[1].name" << json(R"("ep-two")");
        QTest::newRow("negative index") << "[-1].provisioning_state" << json(R"("Failed")");
        QTest::newRow("index out of range") << "[5]" << json("null");
        QTest::newRow("flatten projection") << "[].name" << json(R"(["ep-one", "ep-two"])");
        QTest::newRow("wildcard projection") << "[*].tags.team" << json(R"(["ml"])");
        QTest::newRow("az list table")
            << "[].{Name:name}" << json(R"([{"Name": "ep-one"}, {"Name": "ep-two"}])");
        QTest::newRow("filter") << "[?provisioning_state=='Failed'].name" << json(R"(["ep-two"])");
        QTest::newRow("filter not equal")
            << "[?name!='ep-two'] | [0].location" << json(R"("local")");
        QTest::newRow("filter and")
            << "[?location=='local' && provisioning_state=='Succeeded'].name"
            << json(R"(["ep-one"])");
        QTest::newRow("numeric literal compare")
            << "[?traffic.blue > `50`].name" << json(R"(["ep-one"])");
        QTest::newRow("object values") << "[0].traffic.*" << json("[90, 10, 0]");
        QTest::newRow("multiselect list")
            << "[0].[name, location]" << json(R"(["ep-one", "local"])");
        QTest::newRow("pipe stops projection") << "[].name | [1]" << json(R"("ep-two")");
        QTest::newRow("not") << "[?!tags.team].name" << json(R"(["ep-one"])");
    }
    void projectionsFiltersAndMultiselect()
    {
        QFETCH(QString, expression);
        QFETCH(QJsonValue, expected);
        QCOMPARE(query(expression, json(endpoints)), expected);
    }

    void badExpressionsSayWhere_data()
    {
        QTest::addColumn<QString>("expression");
        QTest::addColumn<QString>("message");
        QTest::newRow("empty") << "  "
                               << "the query is empty";
        QTest::newRow("dangling dot") << "traffic."
                                      << "unexpected end of expression at position 8";
        QTest::newRow("unclosed bracket") << "[0"
                                          << "expected ']' at position 2";
        QTest::newRow("unclosed hash") << "{Name:name"
                                       << "expected '}' at position 10";
        QTest::newRow("stray") << "name)"
                               << "unexpected ')' at position 4";
    }
    void badExpressionsSayWhere()
    {
        QFETCH(QString, expression);
        QFETCH(QString, message);
        const auto compiled = JsonQuery::compile(expression);
        QVERIFY(!compiled.ok());
        QCOMPARE(compiled.error().message, message);
    }
};

QTEST_GUILESS_MAIN(TestCliJsonQuery)
#include "test_cli_jsonquery.moc"
