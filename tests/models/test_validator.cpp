#include "models/schema.h"
#include "models/validator.h"
#include "models/workspace.h"

#include "tests/common/testsupport.h"

#include <QTest>

namespace {

QString fixtures()
{
    return TestSupport::sourceDir() + QStringLiteral("/tests/models/fixtures/validator");
}

QString describe(const Diagnostics &diagnostics)
{
    QStringList lines;
    for (const Diagnostic &d : diagnostics)
        lines.append(d.toString());
    return lines.join(u'\n');
}

} // namespace

class TestValidator : public QObject
{
    Q_OBJECT

private slots:
    // Fixtures with several problems each: every one is reported at its place. (Every rule's
    // own triggering and clean fixture are rows of resources/validation/rules.yml, run by
    // test_validationrules.)
    void rules_data()
    {
        QTest::addColumn<QString>("folder");
        QTest::addColumn<QString>("file");
        QTest::addColumn<QString>("code");
        QTest::addColumn<int>("line");
        QTest::addColumn<int>("column");
        QTest::addColumn<QString>("message");

        auto row = [](const char *folder, const char *file, const char *code, int line, int col,
                      const char *message) {
            QTest::addRow("%s/%s:%d:%d %s", folder, file, line, col, code)
                << QString::fromLatin1(folder) << QString::fromLatin1(file)
                << QString::fromLatin1(code) << line << col << QString::fromUtf8(message);
        };
        row("bad", "blue.yml", "name-length", 1, 7,
            "deployment name 'bl' is 2 character(s) long; Azure needs 3 to 32");
        row("bad", "blue.yml", "model-path-not-found", 4, 9,
            "model.path 'missing-model' does not exist");
        row("bad", "blue.yml", "scoring-script-functions", 7, 19,
            "score.py does not define run() at the top level (checked with python3 ast)");
        row("bad", "blue.yml", "environment-image-and-build", 10, 3,
            "environment has both 'image' (line 9) and 'build'; a local deploy uses the image");
        row("bad", "blue.yml", "environment-conda-inline", 12, 3,
            "'channels' belongs in a conda file, not directly under environment");
        row("bad", "blue.yml", "int-range", 14, 17,
            "instance_count is 0; it must be between 1 and 50");
        row("bad", "blue.yml", "request-timeout", 16, 23,
            "request_settings.request_timeout_ms is 180001; it must be between 1 and 180000");
        row("bad", "blue.yml", "probe-value", 18, 11,
            "readiness_probe.period is 0; it must be at least 1");
        row("bad", "blue.yml", "scale-type", 20, 9,
            "ManagedOnlineEndpoint supports DefaultScaleSettings only, not 'target_utilization'");
        row("bad", "blue.yml", "coerced-value", 21, 23,
            "'app_insights_enabled' is text 'true'; Azure reads it as true");
        row("bad", "blue.yml", "unknown-key", 22, 1,
            "unknown key 'enviroment_variables' at the top level; did you mean "
            "'environment_variables'?");
        row("bad", "endpoint.yml", "enum-value", 2, 12,
            "'token' is not a valid auth_mode; use one of: key, aml_token, aad_token");
        row("bad", "endpoint.yml", "traffic-over-100", 4, 1,
            "traffic adds up to 220%; Traffic rule percentages must sum to less than or equal to "
            "100%");
        row("bad", "endpoint.yml", "traffic-range", 7, 11,
            "traffic for 'purple' is 110; it must be 0 to 100");
        row("bad", "endpoint.yml", "traffic-unknown-deployment", 7, 3,
            "traffic names deployment 'purple', but no deployment YAML in the workspace deploys "
            "to endpoint 'my-endpoint' as 'purple'");
        row("bad", "endpoint.yml", "mirror-traffic-live", 9, 3,
            "'blue' receives live traffic and cannot also receive mirrored traffic");
        row("bad", "endpoint.yml", "mirror-traffic-count", 10, 3,
            "mirror_traffic names 2 deployments; only one may receive mirrored traffic");
        row("bad", "endpoint.yml", "mirror-traffic-max", 10, 10,
            "mirror_traffic for 'green' is 60%; it must be 0 to 50");
        row("bad", "endpoint.yml", "unknown-key", 11, 1,
            "unknown key 'descripton' at the top level; did you mean 'description'?");
        row("bad", "green.yml", "name-pattern", 1, 7,
            "deployment name 'green-' is invalid for Azure: it must not end with '-'");
        row("bad", "green.yml", "endpoint-not-found", 2, 16,
            "no endpoint YAML in the workspace is named 'other-endpoint'");
        row("bad", "green.yml", "azureml-reference", 3, 8,
            "model 'azureml:my-model:1' is a cloud asset: valid for Azure, but a local "
            "deployment needs local files");
        row("bad", "green.yml", "environment-no-image", 4, 1,
            "environment has neither 'image' nor 'build'; a local deployment needs one of them");
        row("bad", "green.yml", "required-key", 5, 3,
            "'environment.inference_config' needs 'scoring_route'");
        row("bad", "green.yml", "inference-config-route", 7, 29,
            "readiness_route.port 70000 is not a TCP port");
        row("bad", "green.yml", "inference-config-route", 7, 42,
            "readiness_route.path 'ready' must start with '/'");
        row("bad", "green.yml", "kubernetes-only", 10, 1,
            "'resources' is part of Azure's schema for Kubernetes deployments only");
        row("bad", "red.yml", "scoring-script-syntax", 5, 19,
            "score.py line 5: expected ':' (checked with python3 ast)");
        row("bad", "red.yml", "conda-file-not-found", 8, 15,
            "environment.conda_file 'conda-missing.yml' does not exist");
        row("more", "orange.yml", "scoring-script-not-found", 5, 19,
            "scoring_script 'scoring.py' is not in the code folder '../bad/code'");
        row("k8s", "dep.yml", "k8s-name-length", 2, 16,
            "endpoint and deployment names together are 3 characters; Kubernetes needs 6 to 62");
        row("k8s", "dep.yml", "azureml-reference", 4, 14,
            "environment 'azureml://registries/azureml/environments/sklearn-1.5/labels/latest' "
            "is a cloud asset");
        row("k8s", "dep.yml", "request-timeout", 6, 23,
            "request_settings.request_timeout_ms is 300001; it must be between 1 and 300000");
        row("k8s", "dep.yml", "managed-only", 7, 1,
            "'egress_public_network_access' is not part of Azure's schema for Kubernetes "
            "deployments");
        row("k8s", "dep.yml", "code-not-found", 8, 28,
            "code_configuration.code 'nowhere' does not exist");
        row("k8s", "dep.yml", "reference-invalid", 9, 8,
            "model 'my-model' is neither an inline model nor an azureml: reference");
        row("k8s", "endpoint.yml", "auth-mode-kubernetes", 3, 12,
            "auth_mode aad_token is not supported for Kubernetes endpoints");
        row("more", "dep.yml", "missing-value", 1, 1, "'name' has no value");
        row("more", "dep.yml", "instance-type-missing", 1, 1,
            "no instance_type; Azure's schema requires it for managed deployments");
        row("more", "dep.yml", "missing-instance-count", 1, 1,
            "no instance_count; Azure's documentation requires it for managed deployments");
        row("more", "dep.yml", "model-path-missing", 3, 1, "the inline model has no 'path'");
        row("more", "dep.yml", "build-path-not-found", 7, 11,
            "environment.build.path 'no-such-folder' does not exist");
        row("more", "dep.yml", "number-range", 9, 18,
            "data_collector.sampling_rate is 2; Sampling rate must be an number in range");
        row("more", "endpoint.yml", "compute-managed", 3, 1,
            "'compute' makes this a Kubernetes endpoint, but $schema says managed");
        row("more", "endpoint.yml", "identity-user-assigned", 5, 9,
            "identity type user_assigned needs user_assigned_identities");
        row("more", "endpoint.yml", "read-only-key", 6, 1,
            "'scoring_uri' is set by Azure and ignored when the file is read");
        row("more", "list.yml", "not-a-map", 1, 1,
            "this file is a list, not a map of keys; it is not an Azure ML endpoint or "
            "deployment");
        row("k8s", "endpoint.yml", "mirror-traffic-kubernetes", 4, 1,
            "mirror_traffic is not supported for Kubernetes endpoints");
    }

    void rules()
    {
        QFETCH(QString, folder);
        QFETCH(QString, file);
        QFETCH(QString, code);
        QFETCH(int, line);
        QFETCH(int, column);
        QFETCH(QString, message);
        Workspace workspace(fixtures() + u'/' + folder);
        workspace.scan();
        const QString path = fixtures() + u'/' + folder + u'/' + file;
        const Diagnostics diagnostics = workspace.validate(path);
        const Diagnostic *found = nullptr;
        for (const Diagnostic &d : diagnostics) {
            if (d.code == code && d.location.line == line && d.location.column == column)
                found = &d;
        }
        QVERIFY2(found, qPrintable(describe(diagnostics)));
        QVERIFY2(found->message.startsWith(message), qPrintable(found->message));
        QCOMPARE(found->location.file, path);
        QVERIFY(!found->hint.isEmpty());
        QVERIFY(found->location.length > 0 || code == u"required-key" ||
                code == u"traffic-over-100" || found->location.offset >= 0);
    }

    void passingFixturesAndExamplesHaveNoErrors_data()
    {
        QTest::addColumn<QString>("folder");
        QTest::newRow("good") << fixtures() + QStringLiteral("/good");
        QTest::newRow("examples/linear-python")
            << TestSupport::examplesDir() + QStringLiteral("/linear-python");
        QTest::newRow("examples/sklearn-regression")
            << TestSupport::examplesDir() + QStringLiteral("/sklearn-regression");
    }

    void passingFixturesAndExamplesHaveNoErrors()
    {
        QFETCH(QString, folder);
        Workspace workspace(folder);
        workspace.scan();
        QVERIFY(workspace.files().size() >= 3);
        const Diagnostics diagnostics = workspace.validateAll();
        QVERIFY2(diagnostics.isEmpty(), qPrintable(describe(diagnostics)));
    }

    void textScanWhenPythonIsMissing()
    {
        Workspace workspace(fixtures() + QStringLiteral("/bad"));
        workspace.scan();
        Validator::Options options;
        options.python = QStringLiteral("/nonexistent/python3");
        const Diagnostics diagnostics =
            workspace.validate(fixtures() + QStringLiteral("/bad/blue.yml"), options);
        QVERIFY2(describe(diagnostics)
                     .contains(QStringLiteral("blue.yml:7:19: error: score.py does not define "
                                              "run() at the top level (checked with text scan) "
                                              "[scoring-script-functions]")),
                 qPrintable(describe(diagnostics)));
        const Validator::ScriptCheck async = Validator::checkScoringScript(
            fixtures() + QStringLiteral("/good/onlinescoring/score.py"), options.python);
        QVERIFY(async.hasInit && async.hasRun);
        QCOMPARE(async.method, QStringLiteral("text scan"));
    }

    void parseErrorsComeFirstAndStopTheRules()
    {
        const YamlDocument doc = YamlDocument::parse(
            QStringLiteral("x.yml"), "name: blue\nendpoint_name: ep\nmodel:\n  path: a\n   b: c\n");
        const Diagnostics d = Validator::validate(doc);
        QVERIFY(!d.isEmpty());
        QCOMPARE(d.first().code, QStringLiteral("yaml-syntax"));
        QCOMPARE(d.first().location.line, 5);
    }

    void authModeSpellingsAzureAccepts()
    {
        for (const char *mode : {"key", "Key", "AMLToken", "aml_token", "AADToken"}) {
            const YamlDocument doc = YamlDocument::parse(
                QStringLiteral("endpoint.yml"), QByteArray("name: abc\nauth_mode: ") + mode + '\n');
            QVERIFY2(Validator::validate(doc).isEmpty(), mode);
        }
    }

    void didYouMean()
    {
        QCOMPARE(Validator::didYouMean(QStringLiteral("instnce_type"),
                                       {QStringLiteral("instance_type"), QStringLiteral("name")}),
                 QStringLiteral("instance_type"));
        QCOMPARE(Validator::didYouMean(QStringLiteral("zzzzzz"), {QStringLiteral("name")}),
                 QString());
    }

    void schemaForCompletionAndHover()
    {
        const Schema &schema = Schema::instance();
        QStringList top;
        for (const SchemaKey &k : schema.keysAt(SpecKind::ManagedDeployment, {}))
            top.append(k.name);
        QVERIFY(top.contains(QStringLiteral("instance_type")));
        QVERIFY(top.contains(QStringLiteral("liveness_probe")));
        QStringList probe;
        for (const SchemaKey &k :
             schema.keysAt(SpecKind::ManagedDeployment, {QStringLiteral("liveness_probe")}))
            probe.append(k.name);
        QCOMPARE(probe, QStringList({QStringLiteral("initial_delay"), QStringLiteral("period"),
                                     QStringLiteral("timeout"), QStringLiteral("success_threshold"),
                                     QStringLiteral("failure_threshold")}));
        QCOMPARE(schema.enumValues(SpecKind::Endpoint, {QStringLiteral("auth_mode")}),
                 QStringList({QStringLiteral("key"), QStringLiteral("aml_token"),
                              QStringLiteral("aad_token")}));
        QCOMPARE(schema.enumValues(SpecKind::ManagedDeployment,
                                   {QStringLiteral("app_insights_enabled")}),
                 QStringList({QStringLiteral("true"), QStringLiteral("false")}));
        const QString hover =
            schema.hoverDoc(SpecKind::ManagedDeployment, {QStringLiteral("request_settings"),
                                                          QStringLiteral("request_timeout_ms")});
        QVERIFY2(hover.contains(QStringLiteral("Default: 5000")), qPrintable(hover));
        QVERIFY(schema.keysAt(SpecKind::ManagedDeployment, {QStringLiteral("tags")}).isEmpty());
        QVERIFY(schema.key(SpecKind::Endpoint,
                           {QStringLiteral("identity"), QStringLiteral("user_assigned_identities"),
                            QStringLiteral("0"), QStringLiteral("resource_id")}));
    }
};

QTEST_GUILESS_MAIN(TestValidator)
#include "test_validator.moc"
