#include "models/workspace.h"

#include "tests/common/testsupport.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

namespace {

void write(const QString &path, const QByteArray &text)
{
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
    f.write(text);
}

} // namespace

class TestWorkspace : public QObject
{
    Q_OBJECT

private slots:
    void scanGroupsDeploymentsUnderTheirEndpoint()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString root = dir.path();
        write(root + QStringLiteral("/ep/endpoint.yml"), "name: shop\nauth_mode: key\n");
        write(root + QStringLiteral("/ep/blue.yml"),
              "name: blue\nendpoint_name: shop\nenvironment: {image: python:3}\n");
        write(root + QStringLiteral("/ep/deeper/green.yaml"),
              "name: green\nendpoint_name: shop\nenvironment: {image: python:3}\n");
        write(root + QStringLiteral("/orphan.yml"),
              "name: red\nendpoint_name: elsewhere\nenvironment: {image: python:3}\n");
        write(root + QStringLiteral("/conda.yaml"), "name: env\ndependencies: [python]\n");
        write(root + QStringLiteral("/notes.txt"), "not yaml");
        write(root + QStringLiteral("/.git/config.yml"), "name: hidden\nauth_mode: key\n");
        write(root + QStringLiteral("/build-e1/x.yml"), "name: built\nauth_mode: key\n");
        write(root + QStringLiteral("/node_modules/y.yml"), "name: mod\nauth_mode: key\n");
        QVERIFY(QFile::link(root, root + QStringLiteral("/ep/loop")));

        Workspace workspace(root);
        workspace.scan();
        QCOMPARE(workspace.files().size(), 5);
        const QList<WorkspaceEndpoint> endpoints = workspace.endpoints();
        QCOMPARE(endpoints.size(), 2);
        QCOMPARE(endpoints[0].spec.name, QStringLiteral("elsewhere"));
        QVERIFY(endpoints[0].file.isEmpty());
        QCOMPARE(endpoints[0].deployments.size(), 1);
        QCOMPARE(endpoints[1].spec.name, QStringLiteral("shop"));
        QCOMPARE(endpoints[1].file, root + QStringLiteral("/ep/endpoint.yml"));
        QCOMPARE(endpoints[1].deployments.size(), 2);
        QCOMPARE(endpoints[1].deployments[0].spec.name, QStringLiteral("blue"));
        QCOMPARE(endpoints[1].deployments[1].file, root + QStringLiteral("/ep/deeper/green.yaml"));
        QCOMPARE(workspace.looseYamlFiles(), QStringList{root + QStringLiteral("/conda.yaml")});

        const Diagnostics orphan = workspace.validate(root + QStringLiteral("/orphan.yml"));
        QVERIFY(std::any_of(orphan.begin(), orphan.end(), [](const Diagnostic &d) {
            return d.code == u"endpoint-not-found" && d.severity == Severity::Info &&
                   d.location.line == 2 && d.location.column == 16;
        }));
    }

    void rescanOneFile()
    {
        QTemporaryDir dir;
        const QString root = dir.path();
        const QString endpoint = root + QStringLiteral("/endpoint.yml");
        write(endpoint, "name: shop\ntraffic:\n  blue: 100\n");
        Workspace workspace(root);
        workspace.scan();
        QCOMPARE(workspace.validate(endpoint).size(), 1); // blue is not in the workspace yet
        QCOMPARE(workspace.validate(endpoint).first().code,
                 QStringLiteral("traffic-unknown-deployment"));

        const QString blue = root + QStringLiteral("/blue.yml");
        write(blue, "name: blue\nendpoint_name: shop\nenvironment: {image: python:3}\n"
                    "instance_type: Standard_DS3_v2\ninstance_count: 1\n");
        QVERIFY(workspace.rescanFile(blue));
        QVERIFY(!workspace.rescanFile(blue)); // unchanged
        QVERIFY(workspace.validate(endpoint).isEmpty());
        QCOMPARE(workspace.endpoints().first().deployments.size(), 1);

        write(endpoint, "name: shop\ntraffic:\n  blue: 100\n  green: 0\n");
        QFile f(endpoint);
        QVERIFY(f.open(QIODevice::ReadWrite));
        QVERIFY(f.setFileTime(QDateTime::currentDateTime().addSecs(5),
                              QFileDevice::FileModificationTime));
        f.close();
        QVERIFY(workspace.rescanFile(endpoint));
        QCOMPARE(workspace.validate(endpoint).size(), 1);
        QCOMPARE(workspace.validate(endpoint).first().location.line, 4);

        QVERIFY(QFile::remove(blue));
        QVERIFY(workspace.rescanFile(blue));
        QVERIFY(!workspace.file(blue));
        QCOMPARE(workspace.files().size(), 1);
    }
};

QTEST_GUILESS_MAIN(TestWorkspace)
#include "test_workspace.moc"
