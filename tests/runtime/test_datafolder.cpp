#include "app/runtime/datafolder.h"
#include "app/runtime/deploymentplan.h"
#include "app/runtime/deploymentstore.h"
#include "app/runtime/sourcecheck.h"
#include "tests/runtime/runtimetesthelpers.h"

#include <QTemporaryDir>
#include <QTest>

using namespace RuntimeTest;

// The data folder's rules without a runtime: names as path components, private writes, the
// sensitive places, the store with names that used to climb out of it.
class TestDataFolder : public QObject
{
    Q_OBJECT

private slots:
    void componentKeepsAzureNamesAndEncodesTheRest_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QString>("folder");
        QTest::newRow("azure name") << "my-endpoint-01"
                                    << "my-endpoint-01";
        QTest::newRow("model name") << "sklearn_model.v2"
                                    << "sklearn_model.v2";
        QTest::newRow("dot dot") << ".."
                                 << "%2E.";
        QTest::newRow("dot") << "."
                             << "%2E";
        QTest::newRow("empty") << ""
                               << "%";
        // One component: only a leading '.' is encoded, so "." and ".." cannot come out.
        QTest::newRow("climb") << "../../x"
                               << "%2E.%2F..%2Fx";
        QTest::newRow("slash") << "a/b"
                               << "a%2Fb";
        QTest::newRow("percent") << "50%"
                                 << "50%25";
        QTest::newRow("unicode") << "é"
                                 << "%C3%A9";
        QTest::newRow("newline") << "a\nb"
                                 << "a%0Ab";
    }

    void componentKeepsAzureNamesAndEncodesTheRest()
    {
        QFETCH(QString, name);
        QFETCH(QString, folder);
        QCOMPARE(DataFolder::component(name), folder);
        QVERIFY(!folder.contains(u'/'));
        QCOMPARE(DataFolder::fromComponent(folder), name);
    }

    void deploymentDirStaysInside()
    {
        const QString dir = DataFolder::deploymentDir(
            QStringLiteral("/data"), QStringLiteral("../../../victim"), QStringLiteral(".."));
        QCOMPARE(QDir::cleanPath(dir), dir);
        QVERIFY(dir.startsWith(QStringLiteral("/data/deployments/")));
    }

    void writePrivateIsAtomicAnd0600()
    {
        QTemporaryDir tmp;
        const QString path = tmp.path() + QStringLiteral("/a/b/record.json");
        QCOMPARE(DataFolder::writePrivate(path, "one"), QString());
        QCOMPARE(readAll(path), QStringLiteral("one"));
        QCOMPARE(mode(path), 0600);
        QCOMPARE(mode(tmp.path() + QStringLiteral("/a/b")), 0700);
        QCOMPARE(DataFolder::writePrivate(path, "two"), QString());
        QCOMPARE(readAll(path), QStringLiteral("two"));
        // No temporary file is left next to it.
        QCOMPARE(QDir(tmp.path() + QStringLiteral("/a/b")).entryList(QDir::Files),
                 QStringList{QStringLiteral("record.json")});
    }

    void writeFailuresSayWhy()
    {
        if (::geteuid() == 0)
            QSKIP("root writes into read-only folders; the full-disk case is in test_faults");
        QTemporaryDir tmp;
        QVERIFY(QFile::setPermissions(tmp.path(), QFile::ReadOwner | QFile::ExeOwner));
        const QString error = DataFolder::writePrivate(tmp.path() + QStringLiteral("/x"), "x");
        QVERIFY2(error.contains(QStringLiteral("cannot write")) &&
                     error.contains(QStringLiteral("ermission")),
                 qPrintable(error));
        QFile::setPermissions(tmp.path(), QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
    }

    void containsResolvesLinks()
    {
        QTemporaryDir tmp;
        QDir().mkpath(tmp.path() + QStringLiteral("/root/in"));
        QDir().mkpath(tmp.path() + QStringLiteral("/out"));
        QVERIFY(QFile::link(tmp.path() + QStringLiteral("/out"),
                            tmp.path() + QStringLiteral("/root/link")));
        const QString root = tmp.path() + QStringLiteral("/root");
        QVERIFY(DataFolder::contains(root, root + QStringLiteral("/in")));
        QVERIFY(DataFolder::contains(root, root + QStringLiteral("/in/not-yet")));
        QVERIFY(!DataFolder::contains(root, root + QStringLiteral("/link/x")));
        QVERIFY(!DataFolder::contains(root, root + QStringLiteral("/../out")));
        QVERIFY(!DataFolder::contains(root, root + QStringLiteral("-sibling")));
    }

    // A record of a deployment named ".." (az ml --local makes the container "ep.." and its
    // labels say so) lived at deployments/ep/.. = deployments/: deleting it removed them all.
    void storeKeepsHostileNamesInTheirFolder()
    {
        QTemporaryDir tmp;
        DeploymentStore store(tmp.path());
        DeploymentInfo keep;
        keep.endpoint = QStringLiteral("ep");
        keep.deployment = QStringLiteral("blue");
        QVERIFY(store.saveDeployment(keep));
        DeploymentInfo hostile;
        hostile.endpoint = QStringLiteral("ep");
        hostile.deployment = QStringLiteral("..");
        QVERIFY(store.saveDeployment(hostile));
        QCOMPARE(store.loadDeployments().size(), 2);
        store.removeDeployment(QStringLiteral("ep"), QStringLiteral(".."));
        const QList<DeploymentInfo> left = store.loadDeployments();
        QCOMPARE(left.size(), 1);
        QCOMPARE(left.first().deployment, QStringLiteral("blue"));
        QCOMPARE(mode(tmp.path() + QStringLiteral("/deployments/ep/blue/deployment.json")), 0600);
    }

    void namesFollowTheContainerRule_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<bool>("usable");
        QTest::newRow("azure") << "blue" << true;
        QTest::newRow("digits first") << "1st" << true;
        QTest::newRow("dots inside") << "v1.2" << true;
        QTest::newRow("underscore") << "a_b" << true;
        QTest::newRow("climb") << "../x" << false;
        QTest::newRow("dot dot") << ".." << false;
        QTest::newRow("leading dash") << "-x" << false;
        QTest::newRow("space") << "a b" << false;
        QTest::newRow("empty") << "" << false;
    }

    void namesFollowTheContainerRule()
    {
        QFETCH(QString, name);
        QFETCH(bool, usable);
        QCOMPARE(DeploymentPlan::nameProblem(QStringLiteral("endpoint"), name).isEmpty(), usable);
    }

    void sensitivePlaces()
    {
        QTemporaryDir tmp;
        const QString home = tmp.path() + QStringLiteral("/home");
        QDir().mkpath(home + QStringLiteral("/.ssh"));
        QDir().mkpath(home + QStringLiteral("/work/model"));
        const QString data = tmp.path() + QStringLiteral("/data");
        auto concerns = [&](const QString &modelPath) {
            DeploymentPlan plan;
            plan.modelPath = modelPath;
            QStringList out;
            for (const SourceCheck::Concern &c : SourceCheck::inspect(plan, data, home))
                out << c.reason;
            return out.join(u'|');
        };
        QCOMPARE(concerns(home + QStringLiteral("/work/model")), QString());
        QVERIFY(concerns(home + QStringLiteral("/.ssh")).contains(QStringLiteral("~/.ssh")));
        QVERIFY(concerns(home + QStringLiteral("/.ssh/id")).contains(QStringLiteral("inside")));
        QVERIFY(concerns(home).contains(QStringLiteral("contains ~/.ssh")));
        QVERIFY(concerns(QStringLiteral("/etc/hostname")).contains(QStringLiteral("/etc")));
        QVERIFY(concerns(QStringLiteral("/")).contains(QStringLiteral("/")));
        const QString inData = concerns(data + QStringLiteral("/x"));
        QVERIFY2(inData.contains(QStringLiteral("data folder")), qPrintable(inData));
        // ~/.config through a link in the workspace.
        QDir().mkpath(home + QStringLiteral("/.config/gh"));
        QVERIFY(QFile::link(home + QStringLiteral("/.config"), home + QStringLiteral("/work/cfg")));
        QVERIFY(concerns(home + QStringLiteral("/work/cfg")).contains(QStringLiteral("~/.config")));
    }
};

QTEST_MAIN(TestDataFolder)
#include "test_datafolder.moc"
