#include "app/cli/jsonquery.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

// --query through JsonQuery, the way endpointctl applies it to a command's JSON result. The
// whole language is held against python3-jmespath by jmespath_differential.py; these cases are
// what az scripts write against endpoint results, and what a user reads when a query is wrong.
namespace {

QJsonValue json(const char *text)
{
    const QJsonDocument doc = QJsonDocument::fromJson(QByteArray("[") + text + "]");
    return doc.array().at(0);
}

const char *const endpoints = R"([
  {"name": "ep-one", "location": "local", "provisioning_state": "Succeeded",
   "traffic": {"blue": 90, "green": 10, "my-dep": 0}, "tags": {}, "created": "2024-03-01"},
  {"name": "ep-two", "location": "local", "provisioning_state": "Failed",
   "traffic": {}, "tags": {"team": "ml"}, "created": "2023-11-20"},
  {"name": "blue-ep", "location": "local", "provisioning_state": "Succeeded",
   "traffic": {"blue": 100}, "tags": {"team": "web"}, "created": "2024-06-12"}
])";

} // namespace

class TestCliJsonQuery : public QObject
{
    Q_OBJECT
private:
    static QJsonValue query(const QString &expression, const QJsonValue &document)
    {
        const auto compiled = JsonQuery::compile(expression);
        if (!compiled.ok()) {
            qWarning("%s: %s", qPrintable(expression), qPrintable(compiled.error().message));
            return QJsonValue(QJsonValue::Undefined);
        }
        const auto result = compiled.value().evaluate(document);
        if (!result.ok()) {
            qWarning("%s: %s", qPrintable(expression), qPrintable(result.error().message));
            return QJsonValue(QJsonValue::Undefined);
        }
        return result.value();
    }

private slots:
    void fieldsAndDottedPaths_data()
    {
        QTest::addColumn<QString>("expression");
        QTest::addColumn<QJsonValue>("expected");
        QTest::newRow("field") << "provisioning_state" << json(R"("Succeeded")");
        QTest::newRow("dotted") << "traffic.blue" << json("90");
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
        QTest::newRow("negative index") << "[-1].provisioning_state" << json(R"("Succeeded")");
        QTest::newRow("index out of range") << "[5]" << json("null");
        QTest::newRow("slice") << "[0:2].name" << json(R"(["ep-one", "ep-two"])");
        QTest::newRow("slice backwards")
            << "[::-1].name" << json(R"(["blue-ep", "ep-two", "ep-one"])");
        QTest::newRow("slice with step") << "[::2].name" << json(R"(["ep-one", "blue-ep"])");
        QTest::newRow("flatten projection")
            << "[].name" << json(R"(["ep-one", "ep-two", "blue-ep"])");
        QTest::newRow("wildcard projection") << "[*].tags.team" << json(R"(["ml", "web"])");
        QTest::newRow("az list table") << "[].{Name:name, State:provisioning_state}"
                                       << json(R"([{"Name": "ep-one", "State": "Succeeded"},
                        {"Name": "ep-two", "State": "Failed"},
                        {"Name": "blue-ep", "State": "Succeeded"}])");
        QTest::newRow("filter") << "[?provisioning_state=='Failed'].name" << json(R"(["ep-two"])");
        QTest::newRow("filter then pipe")
            << "[?name!='ep-two'] | [0].location" << json(R"("local")");
        QTest::newRow("filter and")
            << "[?location=='local' && provisioning_state=='Succeeded'].name"
            << json(R"(["ep-one", "blue-ep"])");
        QTest::newRow("number literal")
            << "[?traffic.blue > `50`].name" << json(R"(["ep-one", "blue-ep"])");
        // Python's jmespath, which az runs, orders strings too: date filters work in az.
        QTest::newRow("string ordering")
            << "[?created >= '2024-01-01'].name" << json(R"(["ep-one", "blue-ep"])");
        QTest::newRow("object values") << "[0].traffic.*" << json("[90, 10, 0]");
        QTest::newRow("multiselect list")
            << "[0].[name, location]" << json(R"(["ep-one", "local"])");
        QTest::newRow("pipe stops projection") << "[].name | [1]" << json(R"("ep-two")");
        QTest::newRow("projection goes on") << "[].name[1]" << json("[]");
        // '!' binds tighter than '.': !tags.team is (!tags).team, as in az.
        QTest::newRow("not binds tightly") << "[?!tags.team].name" << json("[]");
        QTest::newRow("not") << "[?!(tags.team)].name" << json(R"(["ep-one"])");
        QTest::newRow("or default") << "[1].traffic.blue || `0`" << json("0");
    }
    void projectionsFiltersAndMultiselect()
    {
        QFETCH(QString, expression);
        QFETCH(QJsonValue, expected);
        QCOMPARE(query(expression, json(endpoints)), expected);
    }

    void functions_data()
    {
        QTest::addColumn<QString>("expression");
        QTest::addColumn<QJsonValue>("expected");
        QTest::newRow("length") << "length(@)" << json("3");
        QTest::newRow("contains in a filter")
            << "[?contains(name, 'blue')].name" << json(R"(["blue-ep"])");
        QTest::newRow("starts_with") << "[?starts_with(name, 'ep-')] | length(@)" << json("2");
        QTest::newRow("sort_by") << "sort_by(@, &created)[].name"
                                 << json(R"(["ep-two", "ep-one", "blue-ep"])");
        QTest::newRow("max_by") << "max_by(@, &traffic.blue || `0`).name" << json(R"("blue-ep")");
        QTest::newRow("sum of a projection") << "sum([].traffic.blue)" << json("190");
        QTest::newRow("avg") << "avg([0].traffic.*)" << json("33.333333333333336");
        QTest::newRow("join") << "join(', ', [].name)" << json(R"("ep-one, ep-two, blue-ep")");
        QTest::newRow("keys") << "keys([0].traffic)" << json(R"(["blue", "green", "my-dep"])");
        QTest::newRow("to_string of an integer")
            << "to_string([0].traffic.blue)" << json(R"("90")");
        QTest::newRow("to_string of an object")
            << "to_string([2].traffic)" << QJsonValue(QStringLiteral("{\"blue\":100}"));
        QTest::newRow("to_number") << "to_number('1.5')" << json("1.5");
        QTest::newRow("not_null") << "not_null([1].traffic.blue, 'none')" << json(R"("none")");
        QTest::newRow("map keeps nulls") << "map(&tags.team, @)" << json(R"([null, "ml", "web"])");
        QTest::newRow("merge") << "merge([0].traffic, `{\"green\": 0}`)"
                               << json(R"({"blue": 90, "green": 0, "my-dep": 0})");
        QTest::newRow("type") << "[0].[type(name), type(traffic.blue), type(tags)]"
                              << json(R"(["string", "number", "object"])");
        QTest::newRow("ceil gives an integer") << "ceil(`1.5`)" << json("2");
    }
    void functions()
    {
        QFETCH(QString, expression);
        QFETCH(QJsonValue, expected);
        QCOMPARE(query(expression, json(endpoints)), expected);
    }

    void badExpressionsSayWhere_data()
    {
        QTest::addColumn<QString>("expression");
        QTest::addColumn<QString>("message");
        QTest::addColumn<int>("column");
        QTest::newRow("empty") << ""
                               << "syntax error at column 1: the query is empty" << 1;
        QTest::newRow("dangling dot")
            << "traffic."
            << "syntax error at column 9: after '.', expected a name, '*', '[' or '{', found the "
               "end of the query"
            << 9;
        QTest::newRow("unclosed bracket")
            << "[0"
            << "syntax error at column 3: the query ends too early: expected ']'" << 3;
        QTest::newRow("unclosed hash")
            << "{Name:name"
            << "syntax error at column 11: the query ends too early: expected a key name" << 11;
        QTest::newRow("stray") << "name)"
                               << "syntax error at column 5: unexpected ')'; the query should end "
                                  "here, or join it to what comes before with '.', '|', '||' or "
                                  "'&&'"
                               << 5;
        QTest::newRow("dash in a name")
            << "traffic.my-dep"
            << "syntax error at column 11: '-' must be followed by digits (a negative index); a "
               "name with '-' goes in double quotes: \"my-dep\""
            << 11;
        QTest::newRow("single equals")
            << "[?name='x']"
            << "syntax error at column 7: '=' is not an operator; compare with '=='" << 7;
        QTest::newRow("bare number")
            << "[?traffic.blue > 50]"
            << "syntax error at column 18: a number can only be an index or slice inside [ ]; "
               "for the value, write `50`"
            << 18;
        QTest::newRow("unknown function")
            << "lenght(@)"
            << "unknown-function at column 1: lenght() is not a JMESPath function; did you mean "
               "length()?"
            << 1;
        QTest::newRow("wrong argument count")
            << "[].contains(name)"
            << "invalid-arity at column 4: contains() takes 2 arguments, got 1" << 4;
        QTest::newRow("slice step 0") << "[::0]"
                                      << "invalid-value at column 1: a slice step cannot be 0" << 1;
    }
    void badExpressionsSayWhere()
    {
        QFETCH(QString, expression);
        QFETCH(QString, message);
        QFETCH(int, column);
        const auto compiled = JsonQuery::compile(expression);
        QVERIFY(!compiled.ok());
        QCOMPARE(compiled.error().message, message);
        QCOMPARE(compiled.error().location.column, column);
    }

    void wrongTypesFailWhenEvaluated_data()
    {
        QTest::addColumn<QString>("expression");
        QTest::addColumn<QString>("message");
        QTest::newRow("abs of a string")
            << "abs([0].name)"
            << "invalid-type: abs(): the first argument must be a number, got a string "
               "(\"ep-one\")";
        QTest::newRow("sum of strings")
            << "sum([].name)"
            << "invalid-type: sum(): the first argument must be an array of numbers; element 0 "
               "is a string (\"ep-one\")";
        QTest::newRow("sort_by with mixed keys")
            << "sort_by(@, &traffic.blue)"
            << "invalid-type: sort_by(): the expression must give numbers for every element; for "
               "element 1 it gave null";
        QTest::newRow("an expression as the result")
            << "&name"
            << "invalid-type: the result holds an expression (&...), which is only meaningful as "
               "a function argument";
    }
    void wrongTypesFailWhenEvaluated()
    {
        QFETCH(QString, expression);
        QFETCH(QString, message);
        const auto compiled = JsonQuery::compile(expression);
        QVERIFY2(compiled.ok(), qPrintable(compiled.ok() ? QString() : compiled.error().message));
        const auto result = compiled.value().evaluate(json(endpoints));
        QVERIFY(!result.ok());
        QCOMPARE(result.error().message, message);
    }

    void deepQueriesAreRefusedNotCrashed()
    {
        // Evaluation recurses once per level; a pathological query must be an error.
        const QString chain = QStringLiteral("a") + QStringLiteral(".a").repeated(5000);
        const auto compiled = JsonQuery::compile(chain);
        QVERIFY(!compiled.ok());
        QVERIFY(compiled.error().message.contains(QStringLiteral("nests more than 400 levels")));
        const QString parens = QString(3000, u'(') + u'a' + QString(3000, u')');
        QVERIFY(!JsonQuery::compile(parens).ok());
        QVERIFY(JsonQuery::compile(QStringLiteral("a") + QStringLiteral(".a").repeated(300)).ok());
    }
};

QTEST_GUILESS_MAIN(TestCliJsonQuery)
#include "test_cli_jsonquery.moc"
