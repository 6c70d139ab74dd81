#include "app/runtime/deploymentmanager.h"
#include "tests/window/windowtesthelpers.h"
#include "ui/deploymentstatuspage.h"
#include "ui/editordocument.h"
#include "ui/mainwindow.h"
#include "ui/problemspanel.h"
#include "ui/workspacetreemodel.h"
#include "widgets/invoke/invokepanel.h"
#include "widgets/usagechart.h"

#include <QDockWidget>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>
#include <QSignalSpy>
#include <QStatusBar>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QTreeView>
#include <QTreeWidget>

// Deploying from the window on a real Docker engine: the badge in the tree goes through
// Creating to Succeeded and the Status tab shows the scoring URI; a scoring script whose init()
// raises ends Failed with the reason shown; deleting asks first and removes the deployment.
class TestWindowDeploy : public QObject
{
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    QString m_endpoint;

    std::unique_ptr<MainWindow> makeWindow(const QString &folder)
    {
        DeploymentManager::Options options;
        options.runtime = DeploymentManager::RuntimeChoice::Docker;
        options.containerProgram = TestSupport::dockerProgram();
        options.dataDir = m_dir.filePath(QStringLiteral("data"));
        auto *manager = new DeploymentManager(options);
        auto window = std::make_unique<MainWindow>(nullptr, manager);
        manager->setParent(window.get());
        window->openFolder(folder);
        window->show();
        if (!QTest::qWaitForWindowExposed(window.get()))
            return nullptr;
        if (!QTest::qWaitFor([&] { return !window->isWorkspaceLoading(); }, 10000))
            return nullptr;
        return window;
    }

    // Every state the tree showed for one deployment, in order, without repeats.
    struct StateRecorder
    {
        QStringList states;
        void record(WorkspaceTreeModel *model, const QString &endpoint, const QString &deployment)
        {
            const QModelIndex index = model->deploymentIndex(endpoint, deployment);
            if (!index.isValid() || !index.data(WorkspaceTreeModel::DeployedRole).toBool())
                return;
            const QString state = provisioningStateName(
                ProvisioningState(index.data(WorkspaceTreeModel::StateRole).toInt()));
            if (states.isEmpty() || states.constLast() != state)
                states << state;
        }
    };

    void recordStates(MainWindow &window, const QString &deployment, StateRecorder *recorder)
    {
        WorkspaceTreeModel *model = window.workspaceModel();
        auto record = [=, this] {
            recorder->record(model, m_endpoint, deployment);
        };
        connect(model, &QAbstractItemModel::dataChanged, this, record);
        connect(model, &QAbstractItemModel::modelReset, this, record);
    }

    bool deleteFromTheWindow(MainWindow &window, const QString &deployment, QString *question)
    {
        if (!window.selectDeployment(m_endpoint, deployment))
            return false;
        WindowTest::answerDialog(QStringLiteral("confirmDeleteDialog"), QMessageBox::Yes, question,
                                 this);
        if (!window.deleteSelected())
            return false;
        return QTest::qWaitFor(
            [&] {
                return !window.workspaceModel()
                            ->deploymentIndex(m_endpoint, deployment)
                            .data(WorkspaceTreeModel::DeployedRole)
                            .toBool() &&
                       !window.deploymentManager()->deployment(m_endpoint, deployment);
            },
            120000);
    }

private slots:
    void initTestCase()
    {
        STUDIO_REQUIRE_DOCKER_ENGINE();
        QVERIFY(m_dir.isValid());
        WindowTest::isolateSettings(m_dir.filePath(QStringLiteral("settings")));
        m_endpoint = QStringLiteral("windeploy-%1").arg(QCoreApplication::applicationPid());
    }

    void cleanupTestCase()
    {
        if (!TestSupport::dockerUnavailableReason().isEmpty())
            return;
        const QString docker = TestSupport::dockerProgram();
        const auto containers = TestSupport::run(
            docker, {QStringLiteral("ps"), QStringLiteral("-aq"), QStringLiteral("--filter"),
                     QStringLiteral("name=") + m_endpoint});
        const QStringList ids = QString::fromUtf8(containers.out).split(u'\n', Qt::SkipEmptyParts);
        if (!ids.isEmpty())
            TestSupport::run(docker, QStringList{QStringLiteral("rm"), QStringLiteral("-f")} + ids);
        const auto volumes = TestSupport::run(
            docker, {QStringLiteral("volume"), QStringLiteral("ls"), QStringLiteral("-q"),
                     QStringLiteral("--filter"), QStringLiteral("name=") + m_endpoint});
        const QStringList names = QString::fromUtf8(volumes.out).split(u'\n', Qt::SkipEmptyParts);
        if (!names.isEmpty())
            TestSupport::run(docker,
                             QStringList{QStringLiteral("volume"), QStringLiteral("rm")} + names);
    }

    // A deployment Azure would refuse: Deploy checks it, creates no container, shows the
    // located problems with the first selected and the file open there, and says why.
    void invalidDeploymentIsRefusedWithProblems()
    {
        const QString endpoint = m_endpoint + QStringLiteral("-refused");
        const QString folder = WindowTest::copyExample(
            QStringLiteral("linear-python"), m_dir.filePath(QStringLiteral("refused")), endpoint);
        QVERIFY(!folder.isEmpty());
        const QString yaml = folder + QStringLiteral("/blue-deployment.yml");
        QByteArray text = WindowTest::readFile(yaml);
        text.replace("instance_type: Standard_DS3_v2\n", "");
        text.replace("environment_variables:", "enviroment_variables:");
        QVERIFY(WindowTest::writeFile(yaml, text));
        auto window = makeWindow(folder);
        QVERIFY(window);
        QVERIFY(window->selectDeployment(endpoint, QStringLiteral("blue")));
        QVERIFY(window->deploySelected());
        QTRY_VERIFY_WITH_TIMEOUT(!window->isCheckingDeployment(), 10000);

        const QString message = window->statusBar()->currentMessage();
        QVERIFY2(message.contains(QStringLiteral("not deployed: 2 errors in blue-deployment.yml")),
                 qPrintable(message));
        QVERIFY2(window->statusPage()
                     ->findChild<QLabel *>(QStringLiteral("statusProgress"))
                     ->text()
                     .contains(QStringLiteral("not deployed")),
                 "the Status tab says why");
        QTreeWidget *problems = window->problemsPanel()->view();
        QTreeWidgetItem *first = problems->currentItem();
        QVERIFY(first);
        QVERIFY2(first->text(0).startsWith(QStringLiteral("no instance_type; Azure's schema "
                                                          "requires it")),
                 qPrintable(first->text(0)));
        QCOMPARE(first->text(2), QStringLiteral("1:1"));
        QStringList rows;
        for (int i = 0; i < problems->topLevelItemCount(); ++i)
            rows << problems->topLevelItem(i)->text(2) + u' ' + problems->topLevelItem(i)->text(0);
        QVERIFY2(rows.join(u'\n').contains(QStringLiteral("unknown key 'enviroment_variables' at "
                                                          "the top level")),
                 qPrintable(rows.join(u'\n')));
        QVERIFY(window->currentDocument());
        QCOMPARE(window->currentDocument()->filePath(), yaml);
        QVERIFY(window->findChild<QDockWidget *>(QStringLiteral("problemsDock"))->isVisible());
        QVERIFY(window->grab().save(
            TestSupport::screenshotPath(QStringLiteral("window-deploy-refused"))));

        // Nothing ran and nothing was written.
        QVERIFY(!window->deploymentManager()->deployment(endpoint, QStringLiteral("blue")));
        const auto containers = TestSupport::run(TestSupport::dockerProgram(),
                                                 {QStringLiteral("ps"), QStringLiteral("-aq"),
                                                  QStringLiteral("--filter"),
                                                  QStringLiteral("label=endpoint=") + endpoint});
        QCOMPARE(containers.out.trimmed(), QByteArray());
        QCOMPARE(WindowTest::readFile(yaml), text);
        QVERIFY(!window->progressBar()->isVisible());
    }

    void deployBlueGoesCreatingToSucceeded()
    {
        const QString folder = WindowTest::copyExample(
            QStringLiteral("linear-python"), m_dir.filePath(QStringLiteral("ok")), m_endpoint);
        QVERIFY(!folder.isEmpty());
        auto window = makeWindow(folder);
        QVERIFY(window);
        StateRecorder recorder;
        recordStates(*window, QStringLiteral("blue"), &recorder);

        QVERIFY(window->selectDeployment(m_endpoint, QStringLiteral("blue")));
        QVERIFY(window->deploySelected());
        QTRY_VERIFY(window->progressBar()->isVisible());
        QTRY_VERIFY_WITH_TIMEOUT(recorder.states.contains(QStringLiteral("Creating")), 30000);
        QTest::qWait(300);
        QVERIFY(window->grab().save(
            TestSupport::screenshotPath(QStringLiteral("window-deploy-creating"))));
        QTRY_VERIFY_WITH_TIMEOUT(recorder.states.contains(QStringLiteral("Succeeded")) ||
                                     recorder.states.contains(QStringLiteral("Failed")),
                                 240000);
        QTRY_VERIFY_WITH_TIMEOUT(!window->progressBar()->isVisible(), 30000);
        QVERIFY2(recorder.states.constLast() == QStringLiteral("Succeeded"),
                 qPrintable(recorder.states.join(u',')));
        QVERIFY2(recorder.states.indexOf(QStringLiteral("Creating")) <
                     recorder.states.indexOf(QStringLiteral("Succeeded")),
                 qPrintable(recorder.states.join(u',')));

        DeploymentStatusPage *status = window->statusPage();
        QCOMPARE(status->stateText(), QStringLiteral("Succeeded"));
        // endpoint.yml sets no traffic: the only deployment takes all of it, as in Azure, and
        // the tree shows that share.
        WorkspaceTreeModel *tree = window->workspaceModel();
        QTRY_COMPARE_WITH_TIMEOUT(tree->deploymentIndex(m_endpoint, QStringLiteral("blue"))
                                      .data(WorkspaceTreeModel::TrafficRole)
                                      .toInt(),
                                  100, 5000);
        QVERIFY2(status->scoringUriText().startsWith(QStringLiteral("http://localhost:")),
                 qPrintable(status->scoringUriText()));
        QVERIFY(status->scoringUriText().endsWith(QStringLiteral("/score")));
        QVERIFY(status->failureText().isEmpty());
        QCOMPARE(window->workspaceModel()
                     ->deploymentIndex(m_endpoint, QStringLiteral("blue"))
                     .data(WorkspaceTreeModel::ScoringUriRole)
                     .toString(),
                 status->scoringUriText());
        QVERIFY(window->findChild<QAction *>(QStringLiteral("deleteAction"))->isEnabled());
        QCOMPARE(window->findChild<QAction *>(QStringLiteral("deployAction"))->text().remove(u'&'),
                 QStringLiteral("Update"));

        // The example's python image has no azmlinfsrv: the studio's server stands in, marked
        // in the Status tab and the tree; its settings and limits (Standard_DS3_v2, capped to
        // this machine) are shown, and its usage is charted live.
        QCOMPARE(status->serverText(), QStringLiteral("built-in"));
        const QString settings = status->settingsText();
        QVERIFY2(settings.contains(QStringLiteral("azureml-inference-server-http is not in the "
                                                  "environment")) &&
                     settings.contains(QStringLiteral("1 worker process, with its own init()")) &&
                     settings.contains(QStringLiteral("WORKER_TIMEOUT 300 s")) &&
                     settings.contains(QStringLiteral("Standard_DS3_v2: 4 vCPUs, 14 GiB")) &&
                     settings.contains(QStringLiteral("14 GiB memory, 4096 processes")),
                 qPrintable(settings));
        QVERIFY(tree->deploymentIndex(m_endpoint, QStringLiteral("blue"))
                    .data(WorkspaceTreeModel::BuiltInRole)
                    .toBool());
        QTabWidget *tabs = window->deploymentTabs();
        tabs->setCurrentIndex(0);
        QTRY_VERIFY_WITH_TIMEOUT(status->usageChart()->sampleCount() >= 3, 30000);
        QVERIFY2(status->usageChart()->summary().contains(QStringLiteral("of 14 GiB")),
                 qPrintable(status->usageChart()->summary()));
        QTest::qWait(200);
        QVERIFY(window->grab().save(
            TestSupport::screenshotPath(QStringLiteral("window-deployment-status"))));
        // The Status tab of the same deployment on its own, tall enough to show the server
        // block and the live usage chart whole.
        {
            DeploymentStatusPage page;
            page.resize(1200, 900);
            page.setDeployment(
                *window->deploymentManager()->deployment(m_endpoint, QStringLiteral("blue")));
            page.show();
            QVERIFY(QTest::qWaitForWindowExposed(&page));
            QTRY_VERIFY_WITH_TIMEOUT(page.usageChart()->sampleCount() >= 4, 30000);
            QVERIFY(page.grab().save(
                TestSupport::screenshotPath(QStringLiteral("status-server-settings"))));
        }
        tabs->setCurrentIndex(1);
        QTest::qWait(1500);
        QVERIFY(
            window->grab().save(TestSupport::screenshotPath(QStringLiteral("window-logs-tab"))));
        tabs->setCurrentIndex(2);
        // One request from the Invoke tab: the sample request, loaded by itself, gets blue's
        // answer from the real container.
        auto *invoke = window->findChild<InvokePanel *>();
        QVERIFY(invoke);
        QSignalSpy answered(invoke, &InvokePanel::responseReceived);
        QPushButton *send = nullptr;
        for (auto *button : invoke->findChildren<QPushButton *>()) {
            if (button->text().remove(u'&') == QStringLiteral("Send"))
                send = button;
        }
        QVERIFY(send && send->isVisible() && send->isEnabled());
        send->click();
        QVERIFY(answered.wait(30000));
        const auto response = answered.at(0).at(0).value<ScoringResponse>();
        QCOMPARE(response.status, 200);
        QVERIFY2(response.body.contains("\"predictions\": [141.5, 220.5]"),
                 response.body.constData());
        QCOMPARE(response.runFunctionFailed, std::optional<bool>(false));
        QTest::qWait(300);
        QVERIFY(
            window->grab().save(TestSupport::screenshotPath(QStringLiteral("window-invoke-tab"))));
        tabs->setCurrentIndex(0);

        // Update with a score.py whose init() raises: Failed, and the Status tab says the
        // previous version answers again, which the Invoke tab confirms.
        QVERIFY(WindowTest::writeFile(folder + QStringLiteral("/onlinescoring/score.py"),
                                      "def init():\n"
                                      "    raise RuntimeError(\"the new model is broken\")\n\n\n"
                                      "def run(data):\n"
                                      "    return data\n"));
        recorder.states.clear();
        QVERIFY(window->deploySelected());
        QTRY_VERIFY_WITH_TIMEOUT(recorder.states.contains(QStringLiteral("Failed")) ||
                                     recorder.states.contains(QStringLiteral("Succeeded")),
                                 120000);
        QCOMPARE(recorder.states.constLast(), QStringLiteral("Failed"));
        QTRY_VERIFY_WITH_TIMEOUT(!window->progressBar()->isVisible(), 30000);
        QCOMPARE(status->stateText(), QStringLiteral("Failed"));
        QVERIFY2(status->failureText().startsWith(
                     QStringLiteral("The update failed; the previous version was restored and "
                                    "answers at %1 again.")
                         .arg(status->scoringUriText())),
                 qPrintable(status->failureText()));
        QVERIFY2(status->failureText().contains(QStringLiteral("the new model is broken")),
                 qPrintable(status->failureText()));
        QTest::qWait(200);
        QVERIFY(window->grab().save(
            TestSupport::screenshotPath(QStringLiteral("window-update-restored"))));
        tabs->setCurrentIndex(2);
        answered.clear();
        send->click();
        QVERIFY(answered.wait(30000));
        const auto again = answered.at(0).at(0).value<ScoringResponse>();
        QCOMPARE(again.status, 200);
        QVERIFY2(again.body.contains("\"predictions\": [141.5, 220.5]"), again.body.constData());
        tabs->setCurrentIndex(0);

        QString question;
        QVERIFY(deleteFromTheWindow(*window, QStringLiteral("blue"), &question));
        QVERIFY2(question.contains(QStringLiteral("blue")), qPrintable(question));
        QCOMPARE(status->stateText(), provisioningStateName(ProvisioningState::Unknown));
    }

    void initRaisingEndsFailedWithTheReason()
    {
        const QString folder = WindowTest::copyExample(
            QStringLiteral("linear-python"), m_dir.filePath(QStringLiteral("bad")), m_endpoint);
        QVERIFY(!folder.isEmpty());
        QVERIFY(WindowTest::writeFile(folder + QStringLiteral("/onlinescoring/score.py"),
                                      "def init():\n"
                                      "    raise RuntimeError(\"model file is missing\")\n\n\n"
                                      "def run(data):\n"
                                      "    return data\n"));
        auto window = makeWindow(folder);
        QVERIFY(window);
        StateRecorder recorder;
        recordStates(*window, QStringLiteral("green"), &recorder);
        QVERIFY(window->selectDeployment(m_endpoint, QStringLiteral("green")));
        QVERIFY(window->deploySelected());
        QTRY_VERIFY_WITH_TIMEOUT(recorder.states.contains(QStringLiteral("Failed")) ||
                                     recorder.states.contains(QStringLiteral("Succeeded")),
                                 240000);
        QCOMPARE(recorder.states.constLast(), QStringLiteral("Failed"));
        QTRY_VERIFY_WITH_TIMEOUT(!window->progressBar()->isVisible(), 30000);

        DeploymentStatusPage *status = window->statusPage();
        QCOMPARE(status->stateText(), QStringLiteral("Failed"));
        QVERIFY2(status->failureText().contains(QStringLiteral("model file is missing")),
                 qPrintable(status->failureText()));
        auto *logButton = status->findChild<QPushButton *>(QStringLiteral("failureLogButton"));
        QVERIFY(logButton && logButton->isVisible());
        QVERIFY(logButton->text().contains(QStringLiteral("inference-server")));
        QVERIFY(window->grab().save(
            TestSupport::screenshotPath(QStringLiteral("window-deployment-failed"))));
        logButton->click();
        QCOMPARE(window->deploymentTabs()->currentIndex(), 1);

        QString question;
        QVERIFY(deleteFromTheWindow(*window, QStringLiteral("green"), &question));
    }
};

QTEST_MAIN(TestWindowDeploy)
#include "test_window_deploy.moc"
