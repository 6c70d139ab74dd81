#include "app/runtime/deploymentmanager.h"
#include "models/provisioningstate.h"
#include "tests/window/windowtesthelpers.h"
#include "ui/deploymentstatuspage.h"
#include "ui/editordocument.h"
#include "ui/editorfactory.h"
#include "ui/mainwindow.h"
#include "ui/problemspanel.h"
#include "ui/settingsdialog.h"
#include "ui/studiosettings.h"
#include "ui/workspacetreemodel.h"
#include "widgets/editor/hovertips.h"
#include "widgets/editor/yamlcompletion.h"
#include "widgets/editor/yamlfilelinks.h"
#include "widgets/editor/yamlvalidation.h"

#include <Qsci/qsciscintilla.h>

#include <QApplication>
#include <QComboBox>
#include <QDockWidget>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QPushButton>
#include <QScopeGuard>
#include <QSignalSpy>
#include <QSpinBox>
#include <QStatusBar>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QTreeView>
#include <QTreeWidget>

// The studio window without deploying: workspace tree, editors with live validation, the
// Problems panel, file watching, the unsaved-changes guard, settings and layout.
class TestWindow : public QObject
{
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    QString m_endpoint;
    int m_copies = 0;

    QString freshCopy()
    {
        return WindowTest::copyExample(QStringLiteral("linear-python"),
                                       m_dir.filePath(QStringLiteral("ws%1").arg(++m_copies)),
                                       m_endpoint);
    }

    // A window that deploys nowhere near the user's data: its own data folder, process runtime.
    std::unique_ptr<MainWindow> makeWindow(const QString &folder)
    {
        DeploymentManager::Options options;
        options.runtime = DeploymentManager::RuntimeChoice::Process;
        options.dataDir = m_dir.filePath(QStringLiteral("data%1").arg(m_copies));
        auto *manager = new DeploymentManager(options);
        QSignalSpy refreshed(manager, &DeploymentManager::refreshed);
        auto window = std::make_unique<MainWindow>(nullptr, manager);
        manager->setParent(window.get());
        // Runtime probes still in flight when a test ends are not what these tests are about.
        if (!refreshed.wait(30000))
            return nullptr;
        window->openFolder(folder);
        window->show();
        if (!QTest::qWaitForWindowExposed(window.get()))
            return nullptr;
        if (!QTest::qWaitFor([&] { return !window->isWorkspaceLoading(); }, 10000))
            return nullptr;
        return window;
    }

    static QTreeWidget *problemsView(MainWindow &window) { return window.problemsPanel()->view(); }

    static QStringList problemRows(MainWindow &window)
    {
        QStringList rows;
        QTreeWidget *view = problemsView(window);
        for (int i = 0; i < view->topLevelItemCount(); ++i) {
            const QTreeWidgetItem *item = view->topLevelItem(i);
            rows << item->text(1) + u':' + item->text(2) + QStringLiteral(": ") + item->text(0);
        }
        return rows;
    }

    // Replaces `from` on the 1-based line by typing, as a user selecting the word would.
    static void typeOver(QsciScintilla *editor, int line, const QString &from, const QString &to)
    {
        const QString text = editor->text(line - 1);
        const int column = int(text.indexOf(from));
        QVERIFY2(column >= 0, qPrintable(text));
        editor->setFocus();
        editor->setSelection(line - 1, column, line - 1, column + int(from.size()));
        QTest::keyClicks(editor, to);
    }

    static int lineOf(QsciScintilla *editor, const QString &prefix)
    {
        for (int line = 0; line < editor->lines(); ++line) {
            if (editor->text(line).startsWith(prefix))
                return line + 1;
        }
        return -1;
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        WindowTest::isolateSettings(m_dir.filePath(QStringLiteral("settings")));
        m_endpoint = QStringLiteral("win-%1").arg(QCoreApplication::applicationPid());
    }

    void treeShowsEndpointWithBlueAndGreen()
    {
        const QString folder = freshCopy();
        QVERIFY(!folder.isEmpty());
        auto window = makeWindow(folder);
        QVERIFY(window);
        WorkspaceTreeModel *model = window->workspaceModel();
        const QModelIndex endpoint = model->endpointIndex(m_endpoint);
        QStringList topLevel;
        for (int row = 0; row < model->rowCount(); ++row)
            topLevel << model->index(row, 0).data().toString();
        QVERIFY2(endpoint.isValid(), qPrintable(topLevel.join(u',')));
        QCOMPARE(endpoint.data().toString(), m_endpoint);
        QStringList deployments;
        for (int row = 0; row < model->rowCount(endpoint); ++row)
            deployments << model->index(row, 0, endpoint).data().toString();
        QCOMPARE(deployments, (QStringList{QStringLiteral("blue"), QStringLiteral("green")}));
        QVERIFY(window->workspaceTree()->isExpanded(endpoint));
        const QModelIndex blue = model->deploymentIndex(m_endpoint, QStringLiteral("blue"));
        QCOMPARE(blue.data(WorkspaceTreeModel::FilePathRole).toString(),
                 folder + QStringLiteral("/blue-deployment.yml"));
        QVERIFY(!blue.data(WorkspaceTreeModel::DeployedRole).toBool());
        QVERIFY(window->windowTitle().startsWith(QStringLiteral("linear-python")));

        // A freshly opened folder shows its first deployment rather than an empty window.
        QTRY_VERIFY(window->currentDocument());
        QCOMPARE(window->currentDocument()->filePath(),
                 folder + QStringLiteral("/blue-deployment.yml"));
        QCOMPARE(window->workspaceTree()->currentIndex(), blue);

        // Clicking a deployment opens its YAML and shows it in the Status tab.
        QVERIFY(window->selectDeployment(m_endpoint, QStringLiteral("green")));
        QTRY_COMPARE(window->currentDocument()->filePath(),
                     folder + QStringLiteral("/green-deployment.yml"));
        QVERIFY(window->selectDeployment(m_endpoint, QStringLiteral("blue")));
        QTRY_VERIFY(window->currentDocument());
        QCOMPARE(window->currentDocument()->filePath(),
                 folder + QStringLiteral("/blue-deployment.yml"));
        QVERIFY(window->statusPage()->isVisible());
        QVERIFY(window->statusPage()
                    ->findChild<QLabel *>(QStringLiteral("statusTitle"))
                    ->text()
                    .endsWith(QStringLiteral("/ blue")));
        QVERIFY(window->findChild<QAction *>(QStringLiteral("deployAction"))->isEnabled());
        QVERIFY(!window->findChild<QAction *>(QStringLiteral("deleteAction"))->isEnabled());

        // The row's context menu offers what the issue lists.
        QStringList menuItems;
        auto *poll = new QTimer(this);
        connect(poll, &QTimer::timeout, this, [&menuItems, poll] {
            auto *menu = qobject_cast<QMenu *>(QApplication::activePopupWidget());
            if (!menu)
                return;
            poll->deleteLater();
            for (QAction *action : menu->actions()) {
                if (!action->isSeparator())
                    menuItems << action->text().remove(u'&');
            }
            menu->close();
        });
        poll->start(20);
        QTreeView *tree = window->workspaceTree();
        emit tree->customContextMenuRequested(tree->visualRect(blue).center());
        QCOMPARE(menuItems, (QStringList{QStringLiteral("Open"), QStringLiteral("Deploy"),
                                         QStringLiteral("Delete Deployment…"),
                                         QStringLiteral("Copy Scoring URI"),
                                         QStringLiteral("Reveal in File Manager")}));
        QTest::qWait(100);
        QVERIFY(window->grab().save(TestSupport::screenshotPath(QStringLiteral("window-main"))));
    }

    void deploymentsOutsideTheFolderAreListedElsewhere()
    {
        WorkspaceTreeModel model;
        WorkspaceSnapshot snapshot;
        snapshot.folder = m_dir.path();
        snapshot.endpoints.append({QStringLiteral("here"),
                                   m_dir.filePath(QStringLiteral("e.yml")),
                                   {{QStringLiteral("blue"), 100}},
                                   {{QStringLiteral("blue"), m_dir.filePath("b.yml")}}});
        model.setSnapshot(snapshot);
        WorkspaceTreeModel::RuntimeRow row;
        row.endpoint = QStringLiteral("there");
        row.deployment = QStringLiteral("red");
        row.state = ProvisioningState::Succeeded;
        row.scoringUri = QStringLiteral("http://localhost:5001/score");
        model.setRuntimeRow(row);
        QCOMPARE(model.rowCount(), 2);
        QCOMPARE(model.index(1, 0).data().toString(), QStringLiteral("Running elsewhere"));
        const QModelIndex red =
            model.deploymentIndex(QStringLiteral("there"), QStringLiteral("red"));
        QVERIFY(red.isValid());
        QCOMPARE(red.parent(), model.index(1, 0));
        QCOMPARE(red.data(WorkspaceTreeModel::ScoringUriRole).toString(), row.scoringUri);
        // No YAML here: the share shown is the running endpoint's.
        QCOMPARE(red.data(WorkspaceTreeModel::TrafficRole).toInt(), -1);
        row.traffic = 100;
        model.setRuntimeRow(row);
        QCOMPARE(model.deploymentIndex(QStringLiteral("there"), QStringLiteral("red"))
                     .data(WorkspaceTreeModel::TrafficRole)
                     .toInt(),
                 100);

        const QModelIndex blue =
            model.deploymentIndex(QStringLiteral("here"), QStringLiteral("blue"));
        QCOMPARE(blue.data(WorkspaceTreeModel::TrafficRole).toInt(), 100);
        row.endpoint = QStringLiteral("here");
        row.deployment = QStringLiteral("blue");
        row.state = ProvisioningState::Creating;
        row.traffic = 0; // not applied yet: the YAML's split is what the tree shows
        model.setRuntimeRow(row);
        QCOMPARE(model.rowCount(), 2); // blue stays under its endpoint
        QCOMPARE(model.deploymentIndex(QStringLiteral("here"), QStringLiteral("blue"))
                     .data(WorkspaceTreeModel::TrafficRole)
                     .toInt(),
                 100);
        QCOMPARE(
            ProvisioningState(model.deploymentIndex(QStringLiteral("here"), QStringLiteral("blue"))
                                  .data(WorkspaceTreeModel::StateRole)
                                  .toInt()),
            ProvisioningState::Creating);
        QVERIFY(model.hasTransitionalRows());
        model.removeRuntimeRow(QStringLiteral("there"), QStringLiteral("red"));
        QCOMPARE(model.rowCount(), 1);
    }

    // The window's editors are put together in one place: every add-on attached to the editor.
    void editorFactoryAttachesTheAddOns()
    {
        QWidget parent;
        const EditorFactory::YamlEditorParts parts = EditorFactory::createYamlEditor(&parent);
        QVERIFY(parts.editor && parts.editor->parentWidget() == &parent);
        QCOMPARE(EditorDecorator::find<YamlValidation>(parts.editor), parts.validation);
        QCOMPARE(EditorDecorator::find<YamlCompletion>(parts.editor), parts.completion);
        QCOMPARE(EditorDecorator::find<YamlFileLinks>(parts.editor), parts.fileLinks);
        QCOMPARE(EditorDecorator::find<HoverTips>(parts.editor), parts.hoverTips);
    }

    void syntaxErrorShowsInEditorAndProblems()
    {
        auto window = makeWindow(freshCopy());
        QVERIFY(window);
        EditorDocument *document =
            window->openFile(window->folder() + QStringLiteral("/green-deployment.yml"));
        QVERIFY(document);
        QsciScintilla *editor = document->editor();
        const int line = lineOf(editor, QStringLiteral("code_configuration:"));
        QVERIFY(line > 0);
        typeOver(editor, line, QStringLiteral("code_configuration:"), QStringLiteral("code: [1"));
        QTRY_VERIFY(document->validation()->markedLines().size() > 0);
        QTRY_VERIFY(!problemRows(*window).isEmpty());
        QVERIFY(
            problemRows(*window).constFirst().startsWith(QStringLiteral("green-deployment.yml:")));
        typeOver(editor, line, QStringLiteral("code: [1"), QStringLiteral("code_configuration:"));
        QTRY_VERIFY(document->validation()->markedLines().isEmpty());
        QTRY_VERIFY(problemRows(*window).isEmpty());
    }

    void invalidNameShowsDiagnosticThenFixClearsIt()
    {
        auto window = makeWindow(freshCopy());
        QVERIFY(window);
        QVERIFY(window->selectDeployment(m_endpoint, QStringLiteral("blue")));
        QTRY_VERIFY(window->currentDocument());
        EditorDocument *document = window->currentDocument();
        QsciScintilla *editor = document->editor();
        const int line = lineOf(editor, QStringLiteral("name: blue"));
        QVERIFY(line > 0);
        QTRY_VERIFY(!document->isValidating());
        QVERIFY2(problemRows(*window).isEmpty(), qPrintable(problemRows(*window).join(u'\n')));

        typeOver(editor, line, QStringLiteral("blue"), QStringLiteral("Blue_Deployment!"));
        QVERIFY(document->isModified());
        QTRY_VERIFY_WITH_TIMEOUT(document->validation()->markedLines().contains(line), 5000);
        QTRY_VERIFY(!problemRows(*window).isEmpty());
        // The tip over the value names the problem; over the key, the key's help.
        const HoverTips *tips = EditorDecorator::find<HoverTips>(editor);
        const QString valueTip = tips->textAt(int(editor->positionFromLineIndex(line - 1, 8)));
        // Only Azure's service checks the name pattern (azure-ai-ml checks it on the way to the
        // cloud, not for --local): a warning that says so.
        QVERIFY2(valueTip.startsWith(u"warning: ") && valueTip.contains(u"[name-pattern]"),
                 qPrintable(valueTip));
        const QString keyTip = tips->textAt(int(editor->positionFromLineIndex(line - 1, 1)));
        QVERIFY2(keyTip.startsWith(u"name — "), qPrintable(keyTip));
        const QStringList rows = problemRows(*window);
        QVERIFY2(rows.constFirst().startsWith(QStringLiteral("blue-deployment.yml:%1:").arg(line)),
                 qPrintable(rows.join(u'\n')));
        QVERIFY2(rows.constFirst().contains(QStringLiteral("name"), Qt::CaseInsensitive),
                 qPrintable(rows.join(u'\n')));
        QVERIFY(window->findChild<QTabWidget *>(QStringLiteral("editorTabs"))
                    ->tabText(0)
                    .endsWith(QStringLiteral("●")));

        // Clicking the problem puts the cursor on its line.
        editor->setCursorPosition(0, 0);
        QTreeWidget *view = problemsView(*window);
        view->scrollToItem(view->topLevelItem(0));
        const QRect rect = view->visualItemRect(view->topLevelItem(0));
        window->findChild<QDockWidget *>(QStringLiteral("problemsDock"))->raise();
        QTest::mouseClick(view->viewport(), Qt::LeftButton, {}, rect.center());
        int cursorLine = -1;
        int cursorIndex = -1;
        editor->getCursorPosition(&cursorLine, &cursorIndex);
        QCOMPARE(cursorLine + 1, line);
        QTest::qWait(50);
        QVERIFY(window->grab().save(
            TestSupport::screenshotPath(QStringLiteral("window-editor-problems"))));

        typeOver(editor, line, QStringLiteral("Blue_Deployment!"), QStringLiteral("blue"));
        QTRY_VERIFY(document->validation()->markedLines().isEmpty());
        QTRY_VERIFY(problemRows(*window).isEmpty());
    }

    // Deploy checks the text first: with an error it deploys nothing and saves nothing, and says
    // why; fixed, it saves, then deploys; Cancel stops a deploy in flight and the deployment can
    // be deployed again (process runtime: no engine needed).
    void deployChecksSavesAndCancels()
    {
        const QString folder = freshCopy();
        auto window = makeWindow(folder);
        QVERIFY(window);
        QVERIFY(window->selectDeployment(m_endpoint, QStringLiteral("blue")));
        QTRY_VERIFY(window->currentDocument());
        EditorDocument *document = window->currentDocument();
        QsciScintilla *editor = document->editor();
        const QString path = folder + QStringLiteral("/blue-deployment.yml");
        auto onDisk = [&path] {
            QFile file(path);
            return file.open(QIODevice::ReadOnly) ? QString::fromUtf8(file.readAll()) : QString();
        };
        const int countLine = lineOf(editor, QStringLiteral("instance_count: 1"));
        QVERIFY(countLine > 0);
        typeOver(editor, countLine, QStringLiteral("1"), QStringLiteral("many"));
        QTRY_VERIFY_WITH_TIMEOUT(document->validation()->markedLines().contains(countLine), 5000);
        QTRY_VERIFY(document->hasErrors());

        // An error: nothing deploys, nothing is saved; the status bar says why and Problems
        // selects the error.
        QVERIFY(window->deploySelected());
        QTRY_VERIFY(!window->isCheckingDeployment());
        QVERIFY(document->isModified());
        QVERIFY(onDisk().contains(QStringLiteral("instance_count: 1\n")));
        QVERIFY(!window->deploymentManager()->deployment(m_endpoint, QStringLiteral("blue")));
        QVERIFY2(window->statusBar()->currentMessage().contains(
                     QStringLiteral("not deployed: 1 error in blue-deployment.yml")),
                 qPrintable(window->statusBar()->currentMessage()));
        QTreeWidgetItem *selected = window->problemsPanel()->view()->currentItem();
        QVERIFY(selected);
        QVERIFY2(selected->text(0).startsWith(
                     QStringLiteral("'instance_count' must be a whole number, found text 'many'")),
                 qPrintable(selected->text(0)));

        // Fixed and edited: Deploy saves the edit without asking, then Cancel stops it.
        typeOver(editor, countLine, QStringLiteral("many"), QStringLiteral("1"));
        const int descriptionLine = lineOf(editor, QStringLiteral("description:"));
        typeOver(editor, descriptionLine, QStringLiteral("the first model"),
                 QStringLiteral("edited before deploying"));
        QTRY_VERIFY(!document->hasErrors());
        QVERIFY(document->isModified());
        QVERIFY(window->deploySelected());
        QTRY_VERIFY(!document->isModified());
        QVERIFY(onDisk().contains(QStringLiteral("edited before deploying")));
        QAction *cancel = window->findChild<QAction *>(QStringLiteral("cancelAction"));
        QTRY_VERIFY(cancel->isEnabled());
        cancel->trigger();
        QTRY_VERIFY(!cancel->isEnabled());
        QTRY_COMPARE(window->statusPage()->stateText(),
                     provisioningStateName(ProvisioningState::Canceled));
        const auto canceled =
            window->deploymentManager()->deployment(m_endpoint, QStringLiteral("blue"));
        QVERIFY(canceled);
        QCOMPARE(canceled->state, ProvisioningState::Canceled);
        QVERIFY2(window->statusBar()->currentMessage().endsWith(QStringLiteral("canceled")),
                 qPrintable(window->statusBar()->currentMessage()));
        QVERIFY(window->grab().save(
            TestSupport::screenshotPath(QStringLiteral("window-deploy-canceled"))));

        // A canceled deployment deploys again, then goes away on Delete.
        QVERIFY(window->deploySelected());
        QTRY_VERIFY_WITH_TIMEOUT(window->statusPage()->stateText() == QStringLiteral("Succeeded") ||
                                     window->statusPage()->stateText() == QStringLiteral("Failed"),
                                 60000);
        QCOMPARE(window->statusPage()->stateText(), QStringLiteral("Succeeded"));
        QTRY_VERIFY(!cancel->isEnabled());
        QString question;
        WindowTest::answerDialog(QStringLiteral("confirmDeleteDialog"), QMessageBox::Yes, &question,
                                 this);
        QVERIFY(window->deleteSelected());
        QTRY_VERIFY_WITH_TIMEOUT(
            !window->deploymentManager()->deployment(m_endpoint, QStringLiteral("blue")), 30000);
    }

    // A no-code MLflow deployment is valid for Azure; Deploy says plainly that it needs an image
    // with mlflow and azureml-inference-server-http here, and offers to choose one.
    void mlflowNoCodeOffersAnImage()
    {
        const QString folder = freshCopy();
        QDir().mkpath(folder + QStringLiteral("/mlflow-model"));
        QVERIFY(WindowTest::writeFile(folder + QStringLiteral("/mlflow-model/MLmodel"),
                                      "flavors:\n  python_function:\n    loader_module: "
                                      "mlflow.sklearn\n"));
        QVERIFY(WindowTest::writeFile(folder + QStringLiteral("/mlflow-deployment.yml"),
                                      "name: mlflow\nendpoint_name: " + m_endpoint.toUtf8() +
                                          "\nmodel:\n  path: mlflow-model\n"
                                          "instance_type: Standard_DS3_v2\ninstance_count: 1\n"));
        auto window = makeWindow(folder);
        QVERIFY(window);
        QVERIFY(window->selectDeployment(m_endpoint, QStringLiteral("mlflow")));
        QString offer;
        WindowTest::answerDialog(QStringLiteral("mlflowImageDialog"), QMessageBox::Cancel, &offer,
                                 this, QStringLiteral("window-mlflow-image-offer"));
        QVERIFY(window->deploySelected());
        QTRY_VERIFY_WITH_TIMEOUT(!offer.isEmpty(), 10000);
        QVERIFY2(offer.contains(QStringLiteral("cannot run here without an environment image that "
                                               "has mlflow and azureml-inference-server-http")),
                 qPrintable(offer));
        QTRY_VERIFY(!window->isCheckingDeployment());
        QVERIFY2(window->statusBar()->currentMessage().contains(QStringLiteral("not deployed")),
                 qPrintable(window->statusBar()->currentMessage()));
        QVERIFY(!window->deploymentManager()->deployment(m_endpoint, QStringLiteral("mlflow")));
        // Valid for Azure: no error in Problems for it.
        for (const Diagnostic &d : window->problemsPanel()->diagnostics())
            QVERIFY2(d.severity != Severity::Error ||
                         !d.location.file.endsWith(u"mlflow-deployment.yml") ||
                         d.code == u"mlflow-no-code-local",
                     qPrintable(d.toString()));
    }

    void externalChangeReloadsOrAsks()
    {
        auto window = makeWindow(freshCopy());
        QVERIFY(window);
        const QString path = window->folder() + QStringLiteral("/endpoint.yml");
        EditorDocument *document = window->openFile(path);
        QVERIFY(document);
        QByteArray text = WindowTest::readFile(path);
        text.replace("auth_mode: key", "auth_mode: aml_token");
        QVERIFY(WindowTest::writeFile(path, text));
        // No local edits: the editor follows the file.
        QTRY_VERIFY_WITH_TIMEOUT(document->editor()->text().contains(QStringLiteral("aml_token")),
                                 5000);
        QVERIFY(!document->isModified());
        QVERIFY(!document->reloadBarVisible());

        document->editor()->append(QStringLiteral("# my note\n"));
        QVERIFY(document->isModified());
        text.replace("auth_mode: aml_token", "auth_mode: key");
        QVERIFY(WindowTest::writeFile(path, text));
        QTRY_VERIFY_WITH_TIMEOUT(document->reloadBarVisible(), 5000);
        QVERIFY(document->editor()->text().contains(QStringLiteral("# my note")));
        auto *reload = document->findChild<QPushButton *>(QStringLiteral("reloadButton"));
        QVERIFY(reload);
        reload->click();
        QVERIFY(!document->reloadBarVisible());
        QVERIFY(!document->editor()->text().contains(QStringLiteral("# my note")));
        QVERIFY(document->editor()->text().contains(QStringLiteral("auth_mode: key")));
    }

    void saveWritesTheFileAndKeepsWatching()
    {
        auto window = makeWindow(freshCopy());
        QVERIFY(window);
        const QString path = window->folder() + QStringLiteral("/green-deployment.yml");
        EditorDocument *document = window->openFile(path);
        QVERIFY(document);
        const int line = lineOf(document->editor(), QStringLiteral("instance_count: 1"));
        typeOver(document->editor(), line, QStringLiteral("1"), QStringLiteral("2"));
        QVERIFY(window->saveAll());
        QVERIFY(!document->isModified());
        QVERIFY(WindowTest::readFile(path).contains("instance_count: 2"));
        // The watch survives the atomic save: a later external edit still reaches the editor.
        QByteArray text = WindowTest::readFile(path);
        text.replace("instance_count: 2", "instance_count: 3");
        QTest::qWait(100);
        QVERIFY(WindowTest::writeFile(path, text));
        QTRY_VERIFY_WITH_TIMEOUT(
            document->editor()->text().contains(QStringLiteral("instance_count: 3")), 5000);
    }

    void failedSaveKeepsTheEdits()
    {
        auto window = makeWindow(freshCopy());
        QVERIFY(window);
        const QString path = window->folder() + QStringLiteral("/green-deployment.yml");
        EditorDocument *document = window->openFile(path);
        QVERIFY(document);
        const int line = lineOf(document->editor(), QStringLiteral("instance_count: 1"));
        typeOver(document->editor(), line, QStringLiteral("1"), QStringLiteral("4"));
        // Where the file was, a folder now stands: the save cannot happen (even as root).
        const QByteArray original = WindowTest::readFile(path);
        QVERIFY(QFile::remove(path));
        QVERIFY(QDir().mkdir(path));
        QString seen;
        WindowTest::answerDialog(QStringLiteral("saveFailedDialog"), QMessageBox::Ok, &seen, this,
                                 QStringLiteral("window-save-failed"));
        QVERIFY(!window->saveAll());
        QVERIFY2(seen.contains(path) && seen.contains(QStringLiteral("still in the editor")),
                 qPrintable(seen));
        QVERIFY(document->isModified());
        QVERIFY(document->editor()->text().contains(QStringLiteral("instance_count: 4")));
        // The way is clear again: the same edits are saved.
        QVERIFY(QDir().rmdir(path));
        QVERIFY(window->saveAll());
        QVERIFY(!document->isModified());
        QByteArray expected = original;
        expected.replace("instance_count: 1", "instance_count: 4");
        QCOMPARE(WindowTest::readFile(path), expected);
    }

    void closeWithUnsavedEditsShowsTheGuard()
    {
        auto window = makeWindow(freshCopy());
        QVERIFY(window);
        EditorDocument *document =
            window->openFile(window->folder() + QStringLiteral("/blue-deployment.yml"));
        QVERIFY(document);
        document->editor()->setFocus();
        QTest::keyClicks(document->editor(), QStringLiteral("# unsaved"));
        QTest::keyClick(document->editor(), Qt::Key_Return);
        QVERIFY(document->isModified());

        QString seen;
        WindowTest::answerDialog(QStringLiteral("unsavedChangesDialog"), QMessageBox::Cancel, &seen,
                                 this, QStringLiteral("window-unsaved-guard"));
        QVERIFY(!window->close());
        QVERIFY(window->isVisible());
        QVERIFY2(seen.contains(QStringLiteral("blue-deployment.yml")), qPrintable(seen));

        WindowTest::answerDialog(QStringLiteral("unsavedChangesDialog"), QMessageBox::Discard,
                                 &seen, this);
        QVERIFY(window->close());
        QVERIFY(!WindowTest::readFile(window->folder() + QStringLiteral("/blue-deployment.yml"))
                     .contains("# unsaved"));
    }

    // A dark system palette: the editor's paper and text follow it, and so does the window.
    void followsADarkPalette()
    {
        auto window = makeWindow(freshCopy());
        QVERIFY(window);
        QTRY_VERIFY(window->currentDocument());
        QsciScintilla *editor = window->currentDocument()->editor();
        auto paper = [editor] {
            // Scintilla keeps colours as 0xBBGGRR.
            const auto bgr = editor->SendScintilla(QsciScintilla::SCI_STYLEGETBACK, 0);
            return QColor(int(bgr & 0xff), int((bgr >> 8) & 0xff), int((bgr >> 16) & 0xff));
        };
        QVERIFY2(paper().lightness() > 128, qPrintable(paper().name()));

        const QPalette light = QApplication::palette();
        QPalette dark;
        dark.setColor(QPalette::Window, QColor(0x2b, 0x2b, 0x2b));
        dark.setColor(QPalette::WindowText, QColor(0xe0, 0xe0, 0xe0));
        dark.setColor(QPalette::Base, QColor(0x1e, 0x1e, 0x1e));
        dark.setColor(QPalette::AlternateBase, QColor(0x26, 0x26, 0x26));
        dark.setColor(QPalette::Text, QColor(0xe0, 0xe0, 0xe0));
        dark.setColor(QPalette::Button, QColor(0x33, 0x33, 0x33));
        dark.setColor(QPalette::ButtonText, QColor(0xe0, 0xe0, 0xe0));
        dark.setColor(QPalette::Highlight, QColor(0x2f, 0x65, 0xca));
        dark.setColor(QPalette::PlaceholderText, QColor(0x90, 0x90, 0x90));
        for (QPalette::ColorRole role :
             {QPalette::WindowText, QPalette::Text, QPalette::ButtonText})
            dark.setColor(QPalette::Disabled, role, QColor(0x80, 0x80, 0x80));
        QApplication::setPalette(dark);
        const auto restore = qScopeGuard([&light] { QApplication::setPalette(light); });
        QTRY_VERIFY2(paper().lightness() < 64, qPrintable(paper().name()));
        const auto fore = editor->SendScintilla(QsciScintilla::SCI_STYLEGETFORE, 0);
        QVERIFY(QColor(int(fore & 0xff), int((fore >> 8) & 0xff), int((fore >> 16) & 0xff))
                    .lightness() > 160);
        QTest::qWait(100);
        QVERIFY(window->grab().save(TestSupport::screenshotPath(QStringLiteral("window-dark"))));
    }

    void settingsRecentFoldersAndLayoutPersist()
    {
        const QString folder = freshCopy();
        {
            auto window = makeWindow(folder);
            QVERIFY(window);
            QCOMPARE(StudioSettings().recentFolders().value(0), folder);
            auto *recent = window->findChild<QMenu *>(QStringLiteral("recentMenu"));
            QVERIFY(recent);
            QCOMPARE(recent->actions().value(0)->text(), QDir::toNativeSeparators(folder));
            window->findChild<QDockWidget *>(QStringLiteral("inspectorDock"))->hide();
            QVERIFY(window->close());
        }
        {
            auto window = makeWindow(folder);
            QVERIFY(window);
            QVERIFY(
                !window->findChild<QDockWidget *>(QStringLiteral("inspectorDock"))->isVisible());
            QVERIFY(window->findChild<QDockWidget *>(QStringLiteral("workspaceDock"))->isVisible());
            window->findChild<QDockWidget *>(QStringLiteral("inspectorDock"))->show();
            QVERIFY(window->close());
        }

        SettingsDialog dialog;
        auto *runtime = dialog.findChild<QComboBox *>(QStringLiteral("runtimeCombo"));
        auto *cli = dialog.findChild<QLineEdit *>(QStringLiteral("containerCliEdit"));
        auto *lines = dialog.findChild<QSpinBox *>(QStringLiteral("logLinesSpin"));
        QVERIFY(runtime && cli && lines);
        runtime->setCurrentIndex(runtime->findData(QStringLiteral("process")));
        cli->setText(QStringLiteral("podman"));
        lines->setValue(2500);
        dialog.apply();
        const StudioSettings settings;
        QCOMPARE(settings.runtime(), QStringLiteral("process"));
        QCOMPARE(settings.containerCli(), QStringLiteral("podman"));
        QCOMPARE(settings.defaultLogLines(), 2500);
        SettingsDialog reopened;
        QCOMPARE(reopened.findChild<QLineEdit *>(QStringLiteral("containerCliEdit"))->text(),
                 QStringLiteral("podman"));
    }
};

QTEST_MAIN(TestWindow)
#include "test_window.moc"
