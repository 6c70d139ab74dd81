#include "app/cli/trafficsplit.h"
#include "models/specedits.h"

#include <QTest>

// --set edits applied to a YAML document in memory, and --traffic splits.
class TestCliSpecEdits : public QObject
{
    Q_OBJECT
private:
    static QByteArray applied(const QByteArray &yaml, const QStringList &sets)
    {
        const auto edits = SpecEdits::parseSets(sets);
        if (!edits.ok())
            return "parse error: " + edits.error().message.toUtf8();
        const auto document =
            SpecEdits::apply(SpecEdits::fromText(QStringLiteral("d.yml"), yaml), edits.value());
        return document.ok() ? document->text() : "error: " + document.error().message.toUtf8();
    }

private slots:
    void setChangesScalarsAndKeepsComments()
    {
        const QByteArray yaml = "name: blue # the first\ninstance_count: 1\n";
        QCOMPARE(applied(yaml, {"instance_count=2"}),
                 QByteArray("name: blue # the first\ninstance_count: 2\n"));
    }

    void setCreatesMissingMaps()
    {
        const QByteArray out = applied("name: blue\n", {"environment_variables.MODE=fast"});
        QVERIFY2(out.contains("environment_variables:\n  MODE: fast"), out.constData());
    }

    void nullRemovesAKey()
    {
        QCOMPARE(applied("name: blue\ndescription: old\n", {"description=null"}),
                 QByteArray("name: blue\n"));
        // Removing what is not there is not an error.
        QCOMPARE(applied("name: blue\n", {"tags.x=null"}), QByteArray("name: blue\n"));
    }

    void jsonObjectsReplaceTheMap()
    {
        const QByteArray out =
            applied("name: blue\ntags:\n  old: x\n", {R"(tags={"a": "b", "n": 2})"});
        QCOMPARE(out, QByteArray("name: blue\ntags:\n  a: b\n  n: 2\n"));
    }

    void listIndexesUseBrackets()
    {
        const auto edit = SpecEdits::parseSet(QStringLiteral("routes[1].path=/score"));
        QVERIFY(edit.ok());
        QCOMPARE(edit->path, QStringList({"routes", "1", "path"}));
        QCOMPARE(edit->value, QStringLiteral("/score"));
        QVERIFY(!edit->remove);
    }

    void badSetArgumentsAreRejected()
    {
        QVERIFY(applied("a: 1\n", {"novalue"})
                    .startsWith("parse error: usage error: --set "
                                "expects KEY=VALUE"));
        QVERIFY(applied("a: 1\n", {"=1"}).startsWith("parse error:"));
    }

    void trafficSplits()
    {
        auto split = TrafficSplit::parse({"blue=90 green=10"});
        QVERIFY(split.ok());
        QCOMPARE(split.value(), (QMap<QString, int>{{"blue", 90}, {"green", 10}}));
        split = TrafficSplit::parse({"blue=0", "green=100"});
        QVERIFY(split.ok());
        QCOMPARE(split.value(), (QMap<QString, int>{{"blue", 0}, {"green", 100}}));
        QVERIFY(!TrafficSplit::parse({"blue=101"}).ok());
        QVERIFY(!TrafficSplit::parse({"blue"}).ok());
        QVERIFY(!TrafficSplit::parse({"blue=1 blue=2"}).ok());
        QVERIFY(!TrafficSplit::parse({" "}).ok());
    }
};

QTEST_GUILESS_MAIN(TestCliSpecEdits)
#include "test_cli_specedits.moc"
