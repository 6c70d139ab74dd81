#include "tests/common/testsupport.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

namespace {

TestSupport::ProcessResult validate(const QStringList &args)
{
    return TestSupport::run(TestSupport::binDir() + QStringLiteral("/endpointctl"),
                            QStringList{QStringLiteral("validate")} + args);
}

QString fixtures()
{
    return TestSupport::sourceDir() + QStringLiteral("/tests/models/fixtures/validator");
}

} // namespace

class TestValidateCommand : public QObject
{
    Q_OBJECT

private slots:
    void examplesAreClean()
    {
        const auto r = validate({TestSupport::examplesDir()});
        QVERIFY(r.finished);
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(r.out.endsWith(" checked: 0 errors, 0 warnings, 0 infos\n"), r.out.constData());
    }

    void errorsPrintFileLineColumnAndHint()
    {
        const auto r = validate({fixtures() + QStringLiteral("/bad/blue.yml")});
        QCOMPARE(r.exitCode, 1);
        const QString out = QString::fromUtf8(r.out);
        QVERIFY2(out.contains(fixtures() +
                              QStringLiteral("/bad/blue.yml:22:1: error: unknown key "
                                             "'enviroment_variables' at the top level; did you "
                                             "mean 'environment_variables'? [unknown-key]\n"
                                             "    hint: Rename it to 'environment_variables'.\n")),
                 qPrintable(out));
        // Only Azure's cloud checks names: a warning for a local deploy.
        QVERIFY2(out.contains(fixtures() +
                              QStringLiteral("/bad/blue.yml:1:7: warning: deployment name 'bl' is "
                                             "2 character(s) long; Azure needs 3 to 32 (az ml "
                                             "rejects this for Azure; a local deploy goes ahead) "
                                             "[name-length]\n")),
                 qPrintable(out));
        QVERIFY2(out.endsWith(QStringLiteral("1 file checked: 4 errors, 6 warnings, 1 info\n")),
                 qPrintable(out));
    }

    void jsonOutput()
    {
        const auto r = validate(
            {QStringLiteral("-o"), QStringLiteral("json"), fixtures() + QStringLiteral("/k8s")});
        QCOMPARE(r.exitCode, 1);
        const QJsonObject o = QJsonDocument::fromJson(r.out).object();
        QCOMPARE(o.value(QStringLiteral("files")).toInt(), 2);
        const QJsonArray list = o.value(QStringLiteral("diagnostics")).toArray();
        QCOMPARE(list.size(), o.value(QStringLiteral("errors")).toInt() +
                                  o.value(QStringLiteral("warnings")).toInt() +
                                  o.value(QStringLiteral("infos")).toInt());
        const QJsonObject first = list.first().toObject();
        QVERIFY(first.value(QStringLiteral("file")).toString().endsWith(u"k8s/dep.yml"));
        QCOMPARE(first.value(QStringLiteral("line")).toInt(), 1);
        QCOMPARE(first.value(QStringLiteral("column")).toInt(), 7);
        QCOMPARE(first.value(QStringLiteral("code")).toString(), QStringLiteral("name-length"));
        QVERIFY(!first.value(QStringLiteral("hint")).toString().isEmpty());
        // The rule's Azure source: the SDK file and the function that checks names.
        QVERIFY2(first.value(QStringLiteral("azure_source"))
                     .toString()
                     .startsWith(QStringLiteral("entities/_endpoint/_endpoint_helpers.py "
                                                "validate_endpoint_or_deployment_name")),
                 qPrintable(first.value(QStringLiteral("azure_source")).toString()));
        QCOMPARE(o.value(QStringLiteral("rules")).toString(), QStringLiteral("azure-ai-ml 1.26.5"));
        QCOMPARE(o.value(QStringLiteral("target")).toString(), QStringLiteral("local"));
    }

    // --target azure: what only Azure's cloud refuses (a name, a value range) fails the run, so a
    // CI job stops before a cloud deploy does.
    void targetAzureMakesCloudRulesErrors()
    {
        const QString file = fixtures() + QStringLiteral("/target/short-name.yml");
        const auto local = validate({file});
        QCOMPARE(local.exitCode, 0);
        QVERIFY2(local.out.contains(": warning: deployment name 'bg' is 2 character(s) long"),
                 local.out.constData());
        const auto azure = validate({QStringLiteral("--target"), QStringLiteral("azure"), file});
        QCOMPARE(azure.exitCode, 1);
        QVERIFY2(azure.out.contains(": error: deployment name 'bg' is 2 character(s) long"),
                 azure.out.constData());
        QVERIFY2(azure.out.contains(": error: request_settings.request_timeout_ms is 200000"),
                 azure.out.constData());
        const auto json = validate(
            {QStringLiteral("--target=azure"), QStringLiteral("-o"), QStringLiteral("json"), file});
        const QJsonObject o = QJsonDocument::fromJson(json.out).object();
        QCOMPARE(o.value(QStringLiteral("target")).toString(), QStringLiteral("azure"));
        QCOMPARE(o.value(QStringLiteral("errors")).toInt(), 2);
        QCOMPARE(validate({QStringLiteral("--target"), QStringLiteral("cloud"), file}).exitCode, 2);
    }

    // Azure's sample scripts pass --endpoint-name; the deployment YAML then needs none.
    void endpointNameFromTheCommandLine()
    {
        const QString file = fixtures() + QStringLiteral("/target/no-endpoint-name.yml");
        const auto alone = validate({file});
        QCOMPARE(alone.exitCode, 0);
        QVERIFY2(alone.out.contains(
                     ": warning: no endpoint_name, and no endpoint to deploy under is known "
                     "[endpoint-name-missing]"),
                 alone.out.constData());
        const auto named =
            validate({QStringLiteral("--endpoint-name"), QStringLiteral("my-endpoint"), file});
        QCOMPARE(named.exitCode, 0);
        QVERIFY2(named.out.endsWith(" checked: 0 errors, 0 warnings, 0 infos\n"),
                 named.out.constData());
        QCOMPARE(validate({QStringLiteral("--endpoint-name"), file}).exitCode, 2);
    }

    void usageErrors()
    {
        QCOMPARE(validate({}).exitCode, 2);
        QCOMPARE(validate({QStringLiteral("--bogus"), fixtures()}).exitCode, 2);
        QCOMPARE(validate({QStringLiteral("-o"), QStringLiteral("xml"), fixtures()}).exitCode, 2);
        const auto missing = validate({QStringLiteral("/nonexistent/endpoint.yml")});
        QCOMPARE(missing.exitCode, 2);
        QVERIFY(missing.err.contains("/nonexistent/endpoint.yml: no such file or folder"));
        QCOMPARE(validate({QStringLiteral("--help")}).exitCode, 0);
    }
};

QTEST_GUILESS_MAIN(TestValidateCommand)
#include "test_validatecommand.moc"
