#include "app/cli/cliarguments.h"

#include <QTest>

class TestCliArguments : public QObject
{
    Q_OBJECT
private:
    static QList<CliOption> options()
    {
        return {
            CliOption::value("name", {"-n"}, "the name"),
            CliOption::value("endpoint-name", {"-e", "--endpoint"}, "the endpoint"),
            CliOption::multi("set", {}, "edits"),
            CliOption::multi("traffic", {"-r"}, "split"),
            CliOption::flag("yes", {"-y"}, "no prompt"),
            CliOption::value("lines", {"-l"}, "how many"),
        };
    }

private slots:
    void longShortAndAliasSpellings()
    {
        const auto parsed = CliArguments::parse(
            {"-n", "blue", "--endpoint", "ep1", "--yes", "--lines=20"}, options());
        QVERIFY2(parsed.ok(), qPrintable(parsed.ok() ? QString() : parsed.error().message));
        QCOMPARE(parsed->value("name"), QStringLiteral("blue"));
        QCOMPARE(parsed->value("endpoint-name"), QStringLiteral("ep1"));
        QVERIFY(parsed->isSet("yes"));
        QVERIFY(!parsed->isSet("set"));
        QCOMPARE(parsed->value("lines"), QStringLiteral("20"));
        QCOMPARE(parsed->value("set", QStringLiteral("fallback")), QStringLiteral("fallback"));
    }

    void multiValueOptionsTakeEveryFollowingValue()
    {
        const auto parsed =
            CliArguments::parse({"--set", "instance_count=2", "tags.a=b", "-n", "x", "--set",
                                 "description=null", "-r", "blue=90 green=10"},
                                options());
        QVERIFY(parsed.ok());
        QCOMPARE(parsed->values("set"),
                 QStringList({"instance_count=2", "tags.a=b", "description=null"}));
        QCOMPARE(parsed->values("traffic"), QStringList({"blue=90 green=10"}));
        QCOMPARE(parsed->value("name"), QStringLiteral("x"));
    }

    void negativeNumbersAreValues()
    {
        const auto parsed = CliArguments::parse({"--lines", "-5"}, options());
        QVERIFY(parsed.ok());
        QCOMPARE(parsed->value("lines"), QStringLiteral("-5"));
    }

    void errorsReadLikeArgparse_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("message");
        QTest::newRow("unknown option")
            << QStringList{"-n", "x", "--frob", "y"} << "unrecognized arguments: --frob y";
        QTest::newRow("stray positional") << QStringList{"blue"} << "unrecognized arguments: blue";
        QTest::newRow("missing value")
            << QStringList{"-n"} << "argument --name/-n: expected one argument";
        QTest::newRow("value is an option")
            << QStringList{"-e", "--yes"}
            << "argument --endpoint-name/-e/--endpoint: expected one argument";
        QTest::newRow("multi without value")
            << QStringList{"--set"} << "argument --set: expected at least one argument";
        QTest::newRow("flag with value")
            << QStringList{"--yes=1"} << "argument --yes/-y: ignored explicit argument '1'";
        QTest::newRow("conflicting repeat") << QStringList{"-n", "a", "--name", "b"}
                                            << "argument --name/-n: given twice ('a' and 'b')";
    }
    void errorsReadLikeArgparse()
    {
        QFETCH(QStringList, args);
        QFETCH(QString, message);
        const auto parsed = CliArguments::parse(args, options());
        QVERIFY(!parsed.ok());
        QCOMPARE(parsed.error().message, message);
    }
};

QTEST_GUILESS_MAIN(TestCliArguments)
#include "test_cli_arguments.moc"
