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
                              QStringLiteral("/bad/blue.yml:1:7: error: deployment name 'bl' is 2 "
                                             "character(s) long; it must be 3 to 32 [name-length]\n"
                                             "    hint: Use a longer name.\n")),
                 qPrintable(out));
        QVERIFY(out.endsWith(QStringLiteral("1 file checked: 11 errors, 1 warning, 0 infos\n")));
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
