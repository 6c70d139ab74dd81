#pragma once

#include "app/runtime/deploymentinfo.h"
#include "models/deploymentgate.h"
#include "models/diagnostic.h"

#include <QFutureWatcher>
#include <QHash>
#include <QMainWindow>
#include <QPointer>
#include <QTimer>

#include <optional>

class DeploymentManager;
class DeploymentStatusPage;
class EditorDocument;
class InspectorForm;
class InvokePanel;
class LogPanel;
class ProblemsPanel;
class QAction;
class QFileSystemWatcher;
class QLabel;
class QMenu;
class QProgressBar;
class QTabWidget;
class QToolButton;
class QTreeView;
class WorkspaceLoader;
class WorkspaceTreeDelegate;
class WorkspaceTreeModel;
struct WorkspaceSnapshot;

// The studio's main window: workspace tree on the left, editors in the centre, inspector on
// the right and the deployment panel (Status, Logs, Invoke) at the bottom. It composes the other
// parts and turns user actions into asynchronous DeploymentManager operations.
class MainWindow : public QMainWindow
{
    Q_OBJECT
public:
    // manager: the deployment service to use (the window creates one from the settings when
    // null; tests pass their own to choose its data folder).
    explicit MainWindow(QWidget *parent = nullptr, DeploymentManager *manager = nullptr);
    ~MainWindow() override;

    void openFolder(const QString &path);
    QString folder() const { return m_folder; }
    bool isWorkspaceLoading() const;

    // Opens (or focuses) a YAML file in an editor tab; non-YAML files and folders are handed to
    // the desktop.
    EditorDocument *openFile(const QString &path, int line = 0, int column = 0);
    EditorDocument *currentDocument() const;
    EditorDocument *document(const QString &path) const;
    QList<EditorDocument *> documents() const;

    WorkspaceTreeModel *workspaceModel() const { return m_model; }
    QTreeView *workspaceTree() const { return m_workspaceTree; }
    ProblemsPanel *problemsPanel() const { return m_problems; }
    DeploymentStatusPage *statusPage() const { return m_status; }
    QTabWidget *deploymentTabs() const { return m_deploymentTabs; }
    DeploymentManager *deploymentManager() const { return m_manager; }
    QProgressBar *progressBar() const { return m_progress; }

    // Selects a deployment in the tree (as a click does).
    bool selectDeployment(const QString &endpoint, const QString &deployment);
    // Deploy / update the selected deployment: the deployment gate checks it first (on a worker
    // thread); errors stop it with the problems shown, else the files are saved and it deploys.
    // False when nothing deployable is selected or a check is already running.
    bool deploySelected();
    bool isCheckingDeployment() const { return m_gate.isRunning() || m_pendingDeploy.has_value(); }
    bool deleteSelected();
    void cancelOperations();
    bool saveAll();

protected:
    void closeEvent(QCloseEvent *event) override;

private:
    struct Operation
    {
        QString endpoint;
        QString deployment;
        QString verb;
        QString file;         // a deploy's YAML (asked again after a confirmation)
        QString endpointFile; // and its endpoint's
        // The spec the deployment gate checked (edits and overrides applied), deployed again
        // as it is after a confirmation.
        std::optional<DeploymentSpec> spec;
        std::optional<EndpointSpec> endpointSpec;
    };
    // After a deploy stopped for sources that need confirmation: asks, and deploys again.
    void confirmSensitiveSources(const Operation &operation, const QString &message);
    struct Selection
    {
        int kind = -1;
        QString filePath;
        QString endpoint;
        QString deployment;
        QString endpointFile;
    };

    void buildActions();
    void buildMenus();
    void buildDocks();
    void connectManager();
    void rebuildRecentMenu();
    void restoreLayout();
    void showSettings();
    void applySettingsToManager();

    void workspaceLoaded(const WorkspaceSnapshot &snapshot);
    void scheduleRescan();
    void validateWorkspace();
    void fileChanged(const QString &path);
    void directoryChanged(const QString &path);
    void watchFile(const QString &path);

    Selection currentSelection() const;
    void selectFirstDeployment();
    void selectionChanged();
    void showContextMenu(const QPoint &pos);
    void updateActions();
    void updateProblemCounts(int errors, int warnings);
    void showDeploymentInPanel(const QString &endpoint, const QString &deployment);
    void showLogFor(const QString &role);

    bool closeDocument(int tabIndex);
    bool maybeSave(const QList<EditorDocument *> &documents, const QString &question);
    bool saveDocument(EditorDocument *document); // false (and says why) when it failed
    bool startDeploy(const Selection &selection, const QList<SpecEdits::Edit> &edits);
    void deploymentChecked();
    void refuseDeploy(const Selection &selection, const DeploymentGate::Outcome &outcome);
    void offerMlflowImage(const Selection &selection, const QList<SpecEdits::Edit> &edits);
    void documentModifiedChanged(EditorDocument *document);
    void deploymentUpdated(const DeploymentInfo &info);
    void operationProgress(quint64 op, const QString &endpoint, const QString &deployment,
                           const QString &phase, const QString &message, int percent);
    void operationFinished(quint64 op, bool ok, const QString &error);
    void updateProgressBar();
    void startOperation(quint64 op, const Operation &operation);

    DeploymentManager *m_manager;
    WorkspaceTreeModel *m_model;
    WorkspaceTreeDelegate *m_delegate = nullptr;
    WorkspaceLoader *m_loader;
    QFileSystemWatcher *m_watcher;
    QTreeView *m_workspaceTree = nullptr;
    QTabWidget *m_editors = nullptr;
    ProblemsPanel *m_problems = nullptr;
    InspectorForm *m_inspector = nullptr;
    QTabWidget *m_deploymentTabs = nullptr;
    DeploymentStatusPage *m_status = nullptr;
    LogPanel *m_logs = nullptr;
    InvokePanel *m_invoke = nullptr;
    QLabel *m_folderLabel = nullptr;
    QLabel *m_runtimeLabel = nullptr;
    QLabel *m_problemsLabel = nullptr;
    QProgressBar *m_progress = nullptr;
    QToolButton *m_cancelButton = nullptr;
    QMenu *m_recentMenu = nullptr;
    QMenu *m_viewMenu = nullptr;
    QAction *m_saveAction = nullptr;
    QAction *m_saveAllAction = nullptr;
    QAction *m_deployAction = nullptr;
    QAction *m_gpuAction = nullptr;
    QAction *m_deleteAction = nullptr;
    QAction *m_cancelAction = nullptr;
    QAction *m_copyUriAction = nullptr;
    QAction *m_revealAction = nullptr;
    QAction *m_refreshAction = nullptr;
    QString m_folder;
    QString m_panelKey; // endpoint/deployment shown in the deployment panel
    QHash<quint64, Operation> m_operations;
    QTimer m_rescanTimer;
    QTimer m_validateTimer;
    QFutureWatcher<QHash<QString, Diagnostics>> m_validation;
    struct PendingDeploy
    {
        Selection selection;
        QList<SpecEdits::Edit> edits;
    };
    QFutureWatcher<DeploymentGate::Outcome> m_gate;
    std::optional<PendingDeploy> m_pendingDeploy;
    bool m_validateAgain = false;
    Selection m_savedSelection;     // across model resets
    bool m_openFirstOnLoad = false; // a freshly opened folder shows its first deployment
    bool m_restoringSelection = false;
};
