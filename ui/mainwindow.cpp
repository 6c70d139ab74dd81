#include "ui/mainwindow.h"

#include <utility>

#include "app/runtime/deploymentmanager.h"
#include "models/speckind.h"
#include "models/validationservice.h"
#include "models/version.h"
#include "models/workspace.h"
#include "models/workspaceloader.h"
#include "ui/deploymentstatuspage.h"
#include "ui/editordocument.h"
#include "ui/problemspanel.h"
#include "ui/settingsdialog.h"
#include "ui/studiosettings.h"
#include "ui/workspacetreedelegate.h"
#include "ui/workspacetreemodel.h"

#include "widgets/editor/inspectorform.h"
#include "widgets/editor/newdeploymentwizard.h"
#include "widgets/editor/newendpointwizard.h"
#include "widgets/invoke/invokepanel.h"
#include "widgets/logs/logpanel.h"

#include <Qsci/qsciscintilla.h>

#include <QApplication>
#include <QClipboard>
#include <QCloseEvent>
#include <QDesktopServices>
#include <QDir>
#include <QDockWidget>
#include <QFileDialog>
#include <QFileInfo>
#include <QFileSystemWatcher>
#include <QHeaderView>
#include <QInputDialog>
#include <QLabel>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QProcess>
#include <QProgressBar>
#include <QPushButton>
#include <QScrollArea>
#include <QStatusBar>
#include <QTabBar>
#include <QTabWidget>
#include <QTimer>
#include <QToolBar>
#include <QToolButton>
#include <QTreeView>
#include <QUrl>
#include <QtConcurrent>

namespace {

DeploymentManager::Options managerOptions()
{
    const StudioSettings settings;
    DeploymentManager::Options options;
    options.runtime = DeploymentManager::runtimeChoiceFromName(settings.runtime())
                          .value_or(DeploymentManager::RuntimeChoice::Automatic);
    options.containerProgram = settings.containerCli();
    return options;
}

// The panel's pages can be taller than a small bottom dock; they scroll instead of forcing the
// dock (and every dock tabified with it) to their minimum height.
QWidget *scrollable(QWidget *page)
{
    auto *scroll = new QScrollArea;
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    scroll->setWidget(page);
    return scroll;
}

} // namespace

MainWindow::MainWindow(QWidget *parent, DeploymentManager *manager)
    : QMainWindow(parent)
    , m_manager(manager ? manager : new DeploymentManager(managerOptions(), this))
    , m_model(new WorkspaceTreeModel(this))
    , m_loader(new WorkspaceLoader(this))
    , m_watcher(new QFileSystemWatcher(this))
{
    setObjectName(QStringLiteral("MainWindow"));
    setWindowTitle(StudioVersion::applicationName());
    resize(1280, 800);
    setDockNestingEnabled(true);

    m_editors = new QTabWidget(this);
    m_editors->setObjectName(QStringLiteral("editorTabs"));
    m_editors->setDocumentMode(true);
    m_editors->setTabsClosable(true);
    m_editors->setMovable(true);
    setCentralWidget(m_editors);
    connect(m_editors, &QTabWidget::tabCloseRequested, this,
            [this](int index) { closeDocument(index); });
    connect(m_editors, &QTabWidget::currentChanged, this, [this] {
        InspectorForm *form = m_inspector;
        EditorDocument *document = currentDocument();
        form->setEditor(document ? document->editor() : nullptr);
        if (document) {
            for (const auto &endpoint : m_model->snapshot().endpoints) {
                if (endpoint.filePath != document->filePath())
                    continue;
                QStringList names;
                for (const auto &deployment : endpoint.deployments)
                    names << deployment.name;
                form->setEndpointDeployments(names);
            }
        }
        updateActions();
    });

    buildDocks();
    buildActions();
    buildMenus();

    m_folderLabel = new QLabel(tr("No folder open"), this);
    m_problemsLabel = new QLabel(this);
    m_runtimeLabel = new QLabel(this);
    m_progress = new QProgressBar(this);
    m_progress->setObjectName(QStringLiteral("operationProgress"));
    m_progress->setMaximumWidth(220);
    m_progress->setMaximumHeight(16);
    m_progress->setTextVisible(true);
    m_progress->hide();
    m_cancelButton = new QToolButton(this);
    m_cancelButton->setDefaultAction(m_cancelAction);
    m_cancelButton->setAutoRaise(true);
    m_cancelButton->hide();
    statusBar()->addWidget(m_folderLabel, 1);
    statusBar()->addPermanentWidget(m_problemsLabel);
    statusBar()->addPermanentWidget(m_progress);
    statusBar()->addPermanentWidget(m_cancelButton);
    statusBar()->addPermanentWidget(m_runtimeLabel);
    updateProblemCounts(0, 0);

    m_rescanTimer.setSingleShot(true);
    m_rescanTimer.setInterval(300);
    connect(&m_rescanTimer, &QTimer::timeout, this, [this] {
        if (!m_folder.isEmpty())
            m_loader->load(m_folder);
    });
    m_validateTimer.setSingleShot(true);
    m_validateTimer.setInterval(200);
    connect(&m_validateTimer, &QTimer::timeout, this, &MainWindow::validateWorkspace);
    connect(&m_validation, &QFutureWatcher<QHash<QString, Diagnostics>>::finished, this, [this] {
        const QHash<QString, Diagnostics> results = m_validation.result();
        for (auto it = results.cbegin(); it != results.cend(); ++it) {
            // An open editor's own validation is newer than a scan of the workspace.
            if (!document(it.key()))
                m_problems->setDiagnostics(it.key(), it.value());
        }
        if (std::exchange(m_validateAgain, false))
            validateWorkspace();
    });

    connect(&m_gate, &QFutureWatcher<DeploymentGate::Outcome>::finished, this,
            &MainWindow::deploymentChecked);
    connect(m_loader, &WorkspaceLoader::loaded, this, &MainWindow::workspaceLoaded);
    connect(m_watcher, &QFileSystemWatcher::fileChanged, this, &MainWindow::fileChanged);
    connect(m_watcher, &QFileSystemWatcher::directoryChanged, this, &MainWindow::directoryChanged);
    connectManager();
    restoreLayout();
    updateActions();
    statusBar()->showMessage(tr("Ready"), 2000);
    // State from labels and the data folder; async, so the first window is not delayed.
    QTimer::singleShot(0, m_manager, [this] { m_manager->refresh(); });
}

MainWindow::~MainWindow()
{
    m_validation.waitForFinished();
    m_gate.waitForFinished();
}

void MainWindow::buildDocks()
{
    auto *workspaceDock = new QDockWidget(tr("Workspace"), this);
    workspaceDock->setObjectName(QStringLiteral("workspaceDock"));
    m_workspaceTree = new QTreeView(workspaceDock);
    m_workspaceTree->setObjectName(QStringLiteral("workspaceTree"));
    m_workspaceTree->setHeaderHidden(true);
    m_workspaceTree->setModel(m_model);
    m_delegate = new WorkspaceTreeDelegate(m_workspaceTree);
    m_workspaceTree->setItemDelegate(m_delegate);
    m_workspaceTree->setContextMenuPolicy(Qt::CustomContextMenu);
    m_workspaceTree->setUniformRowHeights(true);
    m_workspaceTree->setExpandsOnDoubleClick(false);
    workspaceDock->setWidget(m_workspaceTree);
    addDockWidget(Qt::LeftDockWidgetArea, workspaceDock);
    // Rebuilds (a rescan, a deployment appearing elsewhere) keep the expansion and selection.
    connect(m_model, &QAbstractItemModel::modelAboutToBeReset, this,
            [this] { m_savedSelection = currentSelection(); });
    connect(m_model, &WorkspaceTreeModel::rebuilt, this, [this] {
        m_workspaceTree->expandAll();
        QModelIndex restore;
        if (!m_savedSelection.deployment.isEmpty())
            restore =
                m_model->deploymentIndex(m_savedSelection.endpoint, m_savedSelection.deployment);
        else if (m_savedSelection.kind == WorkspaceTreeModel::EndpointItem)
            restore = m_model->endpointIndex(m_savedSelection.endpoint);
        else if (!m_savedSelection.filePath.isEmpty())
            restore = m_model->fileIndex(m_savedSelection.filePath);
        if (restore.isValid()) {
            m_restoringSelection = true;
            m_workspaceTree->setCurrentIndex(restore);
            m_restoringSelection = false;
        }
    });
    connect(m_workspaceTree, &QTreeView::customContextMenuRequested, this,
            &MainWindow::showContextMenu);
    connect(m_workspaceTree->selectionModel(), &QItemSelectionModel::currentChanged, this,
            &MainWindow::selectionChanged);
    connect(m_workspaceTree, &QTreeView::activated, this, [this](const QModelIndex &index) {
        const QString path = index.data(WorkspaceTreeModel::FilePathRole).toString();
        if (!path.isEmpty())
            openFile(path);
        else
            m_workspaceTree->setExpanded(index, !m_workspaceTree->isExpanded(index));
    });

    auto *problemsDock = new QDockWidget(tr("Problems"), this);
    problemsDock->setObjectName(QStringLiteral("problemsDock"));
    m_problems = new ProblemsPanel(problemsDock);
    m_problems->setObjectName(QStringLiteral("problemsPanel"));
    problemsDock->setWidget(m_problems);
    connect(m_problems, &ProblemsPanel::locationActivated, this,
            [this](const SourceLocation &location) {
                openFile(location.file, location.line, location.column);
            });
    connect(m_problems, &ProblemsPanel::countsChanged, this, &MainWindow::updateProblemCounts);

    auto *inspectorDock = new QDockWidget(tr("Inspector"), this);
    inspectorDock->setObjectName(QStringLiteral("inspectorDock"));
    m_inspector = new InspectorForm(inspectorDock);
    m_inspector->setObjectName(QStringLiteral("inspector"));
    inspectorDock->setWidget(m_inspector);
    addDockWidget(Qt::RightDockWidgetArea, inspectorDock);

    auto *deploymentDock = new QDockWidget(tr("Deployment"), this);
    deploymentDock->setObjectName(QStringLiteral("deploymentDock"));
    m_deploymentTabs = new QTabWidget(deploymentDock);
    m_deploymentTabs->setObjectName(QStringLiteral("deploymentTabs"));
    m_deploymentTabs->setDocumentMode(true);
    m_status = new DeploymentStatusPage(m_deploymentTabs);
    m_deploymentTabs->addTab(m_status, tr("Status"));
    connect(m_status, &DeploymentStatusPage::showLogRequested, this, &MainWindow::showLogFor);
    m_logs = new LogPanel(m_deploymentTabs);
    m_logs->setObjectName(QStringLiteral("logsPage"));
    m_deploymentTabs->addTab(scrollable(m_logs), tr("Logs"));
    m_invoke = new InvokePanel(m_deploymentTabs);
    m_invoke->setObjectName(QStringLiteral("invokePage"));
    m_deploymentTabs->addTab(scrollable(m_invoke), tr("Invoke"));
    connect(m_invoke, &InvokePanel::requestLogLines, this, [this](const QString &requestId) {
        m_deploymentTabs->setCurrentIndex(1);
        m_logs->revealRequestId(requestId);
    });
    deploymentDock->setWidget(m_deploymentTabs);
    addDockWidget(Qt::BottomDockWidgetArea, deploymentDock);
    addDockWidget(Qt::BottomDockWidgetArea, problemsDock);
    tabifyDockWidget(problemsDock, deploymentDock);
    deploymentDock->raise();
}

void MainWindow::buildActions()
{
    auto *openFolder = new QAction(tr("&Open Folder…"), this);
    openFolder->setObjectName(QStringLiteral("openFolderAction"));
    openFolder->setShortcut(QKeySequence::Open);
    openFolder->setIcon(style()->standardIcon(QStyle::SP_DirOpenIcon));
    connect(openFolder, &QAction::triggered, this, [this] {
        const QString dir = QFileDialog::getExistingDirectory(this, tr("Open Folder"), m_folder);
        if (!dir.isEmpty())
            this->openFolder(dir);
    });
    addAction(openFolder);

    m_saveAction = new QAction(tr("&Save"), this);
    m_saveAction->setObjectName(QStringLiteral("saveAction"));
    m_saveAction->setShortcut(QKeySequence::Save);
    m_saveAction->setIcon(style()->standardIcon(QStyle::SP_DialogSaveButton));
    connect(m_saveAction, &QAction::triggered, this, [this] {
        if (EditorDocument *document = currentDocument())
            saveDocument(document);
    });
    m_saveAllAction = new QAction(tr("Save A&ll"), this);
    m_saveAllAction->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_S));
    connect(m_saveAllAction, &QAction::triggered, this, &MainWindow::saveAll);

    m_deployAction = new QAction(tr("&Deploy"), this);
    m_deployAction->setObjectName(QStringLiteral("deployAction"));
    m_deployAction->setShortcuts(
        {QKeySequence(Qt::Key_F5), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_D)});
    m_deployAction->setIcon(style()->standardIcon(QStyle::SP_MediaPlay));
    m_deployAction->setToolTip(tr("Deploy or update the selected deployment (F5)"));
    connect(m_deployAction, &QAction::triggered, this, &MainWindow::deploySelected);

    // As `az ml online-deployment create --local --local-enable-gpu`, for the next deploys.
    m_gpuAction = new QAction(tr("Use This Machine's &GPUs (--local-enable-gpu)"), this);
    m_gpuAction->setObjectName(QStringLiteral("gpuAction"));
    m_gpuAction->setCheckable(true);
    m_gpuAction->setToolTip(tr("Deploy with docker run --gpus all; needs an NVIDIA driver and "
                               "the NVIDIA Container Toolkit"));

    m_deleteAction = new QAction(tr("D&elete Deployment…"), this);
    m_deleteAction->setObjectName(QStringLiteral("deleteAction"));
    m_deleteAction->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_Delete));
    m_deleteAction->setIcon(style()->standardIcon(QStyle::SP_TrashIcon));
    connect(m_deleteAction, &QAction::triggered, this, &MainWindow::deleteSelected);

    m_cancelAction = new QAction(tr("&Cancel"), this);
    m_cancelAction->setObjectName(QStringLiteral("cancelAction"));
    m_cancelAction->setShortcut(QKeySequence(Qt::SHIFT | Qt::Key_F5));
    m_cancelAction->setIcon(style()->standardIcon(QStyle::SP_MediaStop));
    m_cancelAction->setToolTip(tr("Cancel the running operations (Shift+F5)"));
    connect(m_cancelAction, &QAction::triggered, this, &MainWindow::cancelOperations);

    m_copyUriAction = new QAction(tr("Copy Scoring &URI"), this);
    connect(m_copyUriAction, &QAction::triggered, this, [this] {
        const QString uri =
            m_workspaceTree->currentIndex().data(WorkspaceTreeModel::ScoringUriRole).toString();
        if (!uri.isEmpty()) {
            QApplication::clipboard()->setText(uri);
            statusBar()->showMessage(tr("Copied %1").arg(uri), 3000);
        }
    });
    m_revealAction = new QAction(tr("&Reveal in File Manager"), this);
    connect(m_revealAction, &QAction::triggered, this, [this] {
        const QString path = currentSelection().filePath;
        const QString dir = path.isEmpty() ? m_folder : QFileInfo(path).absolutePath();
        if (!dir.isEmpty())
            QDesktopServices::openUrl(QUrl::fromLocalFile(dir));
    });
    m_refreshAction = new QAction(tr("&Refresh"), this);
    m_refreshAction->setShortcut(QKeySequence::Refresh);
    m_refreshAction->setIcon(style()->standardIcon(QStyle::SP_BrowserReload));
    connect(m_refreshAction, &QAction::triggered, this, [this] {
        scheduleRescan();
        m_manager->refresh();
    });

    auto *toolbar = addToolBar(tr("Main"));
    toolbar->setObjectName(QStringLiteral("mainToolBar"));
    toolbar->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    toolbar->addAction(openFolder);
    toolbar->addAction(m_saveAction);
    toolbar->addSeparator();
    toolbar->addAction(m_deployAction);
    toolbar->addAction(m_cancelAction);
    toolbar->addAction(m_deleteAction);
    toolbar->addSeparator();
    toolbar->addAction(m_refreshAction);
}

void MainWindow::buildMenus()
{
    QMenu *file = menuBar()->addMenu(tr("&File"));
    file->addAction(findChild<QAction *>(QStringLiteral("openFolderAction")));
    m_recentMenu = file->addMenu(tr("Open &Recent"));
    m_recentMenu->setObjectName(QStringLiteral("recentMenu"));
    rebuildRecentMenu();
    file->addSeparator();
    auto *newEndpoint = file->addAction(tr("New &Endpoint…"), this, [this] {
        NewEndpointWizard wizard(m_folder, this);
        if (wizard.exec() == QDialog::Accepted) {
            scheduleRescan();
            openFile(wizard.filePath());
        }
    });
    newEndpoint->setObjectName(QStringLiteral("newEndpointAction"));
    auto *newDeployment = file->addAction(tr("New &Deployment…"), this, [this] {
        QStringList endpoints;
        for (const auto &endpoint : m_model->snapshot().endpoints)
            endpoints << endpoint.name;
        NewDeploymentWizard wizard(m_folder, endpoints, this);
        if (wizard.exec() == QDialog::Accepted) {
            scheduleRescan();
            openFile(wizard.filePath());
        }
    });
    newDeployment->setObjectName(QStringLiteral("newDeploymentAction"));
    newDeployment->setShortcut(QKeySequence::New);
    connect(file, &QMenu::aboutToShow, this, [this, newEndpoint, newDeployment] {
        newEndpoint->setEnabled(!m_folder.isEmpty());
        newDeployment->setEnabled(!m_folder.isEmpty());
    });
    file->addSeparator();
    file->addAction(m_saveAction);
    file->addAction(m_saveAllAction);
    file->addAction(tr("&Close Editor"), QKeySequence::Close, this, [this] {
        if (m_editors->currentIndex() >= 0)
            closeDocument(m_editors->currentIndex());
    });
    file->addSeparator();
    auto *settings = file->addAction(tr("Se&ttings…"), this, &MainWindow::showSettings);
    settings->setShortcut(QKeySequence::Preferences);
    settings->setMenuRole(QAction::PreferencesRole);
    file->addSeparator();
    file->addAction(tr("&Quit"), QKeySequence::Quit, this, &QWidget::close);

    QMenu *endpoint = menuBar()->addMenu(tr("&Endpoint"));
    endpoint->addAction(m_deployAction);
    endpoint->addAction(m_gpuAction);
    endpoint->addAction(m_cancelAction);
    endpoint->addAction(m_deleteAction);
    endpoint->addSeparator();
    endpoint->addAction(m_copyUriAction);
    endpoint->addAction(m_revealAction);
    endpoint->addSeparator();
    endpoint->addAction(m_refreshAction);

    m_viewMenu = menuBar()->addMenu(tr("&View"));
    for (auto *dock : findChildren<QDockWidget *>())
        m_viewMenu->addAction(dock->toggleViewAction());
    for (auto *toolbar : findChildren<QToolBar *>())
        m_viewMenu->addAction(toolbar->toggleViewAction());

    QMenu *help = menuBar()->addMenu(tr("&Help"));
    help->addAction(tr("&About Endpoint Studio"), this, [this] {
        QMessageBox::about(this, tr("About Endpoint Studio"),
                           StudioVersion::describe() +
                               tr("\n\nBuild, deploy and test machine-learning online endpoints "
                                  "on your own machine."));
    });
}

void MainWindow::rebuildRecentMenu()
{
    m_recentMenu->clear();
    const QStringList folders = StudioSettings().recentFolders();
    for (const QString &folder : folders) {
        m_recentMenu->addAction(QDir::toNativeSeparators(folder), this,
                                [this, folder] { openFolder(folder); });
    }
    if (!folders.isEmpty()) {
        m_recentMenu->addSeparator();
        m_recentMenu->addAction(tr("Clear Recent Folders"), this, [this] {
            StudioSettings().clearRecentFolders();
            rebuildRecentMenu();
        });
    }
    m_recentMenu->setEnabled(!folders.isEmpty());
}

void MainWindow::restoreLayout()
{
    const StudioSettings settings;
    const QByteArray geometry = settings.windowGeometry();
    if (!geometry.isEmpty())
        restoreGeometry(geometry);
    const QByteArray state = settings.windowState();
    if (!state.isEmpty()) {
        restoreState(state);
        return;
    }
    // First start: sizes only stick once the window has its real geometry.
    QTimer::singleShot(0, this, [this] {
        auto dock = [this](const char *name) {
            return findChild<QDockWidget *>(QLatin1String(name));
        };
        resizeDocks({dock("workspaceDock"), dock("inspectorDock")}, {280, 330}, Qt::Horizontal);
        resizeDocks({dock("deploymentDock")}, {height() * 2 / 5}, Qt::Vertical);
    });
}

void MainWindow::showSettings()
{
    SettingsDialog dialog(this);
    if (dialog.exec() == QDialog::Accepted) {
        applySettingsToManager();
        statusBar()->showMessage(
            tr("Settings saved; the runtime choice applies to the next start."), 5000);
    }
}

void MainWindow::applySettingsToManager()
{
    // DeploymentManager takes its options at construction; a new runtime choice needs a restart
    // so running operations are never switched under their feet.
    m_runtimeLabel->setToolTip(tr("Runtime setting: %1").arg(StudioSettings().runtime()));
}

void MainWindow::connectManager()
{
    connect(m_manager, &DeploymentManager::stateChanged, this, &MainWindow::deploymentUpdated);
    connect(m_manager, &DeploymentManager::progress, this, &MainWindow::operationProgress);
    connect(m_manager, &DeploymentManager::finished, this, &MainWindow::operationFinished);
    connect(m_manager, &DeploymentManager::deploymentRemoved, this,
            [this](const QString &endpoint, const QString &deployment) {
                m_model->removeRuntimeRow(endpoint, deployment);
                m_delegate->setAnimating(m_model->hasTransitionalRows());
                if (m_panelKey == endpoint + u'/' + deployment)
                    showDeploymentInPanel(endpoint, deployment);
            });
    connect(m_manager, &DeploymentManager::refreshed, this, [this] {
        for (const DeploymentInfo &info : m_manager->deployments())
            deploymentUpdated(info);
    });
    connect(m_manager, &DeploymentManager::runtimeChanged, this,
            [this](RuntimeKind kind, const QString &problem) {
                m_runtimeLabel->setText(tr("Runtime: %1").arg(runtimeKindName(kind)));
                m_runtimeLabel->setToolTip(problem);
            });
}

bool MainWindow::isWorkspaceLoading() const
{
    return m_loader->isLoading() || m_rescanTimer.isActive();
}

void MainWindow::openFolder(const QString &path)
{
    const QString absolute = QDir(path).absolutePath();
    if (absolute != m_folder && !m_folder.isEmpty()) {
        const QList<EditorDocument *> open = documents();
        if (!maybeSave(open, tr("Save changes before opening another folder?")))
            return;
        while (m_editors->count() > 0) {
            QWidget *page = m_editors->widget(0);
            m_editors->removeTab(0);
            page->deleteLater();
        }
    }
    m_folder = absolute;
    setWindowTitle(QDir(m_folder).dirName() + QStringLiteral(" — ") +
                   StudioVersion::applicationName());
    m_folderLabel->setText(QDir::toNativeSeparators(m_folder));
    m_problems->clear();
    m_problems->setRootFolder(m_folder);
    if (!m_watcher->directories().isEmpty())
        m_watcher->removePaths(m_watcher->directories());
    m_watcher->addPath(m_folder);
    StudioSettings().addRecentFolder(m_folder);
    rebuildRecentMenu();
    m_rescanTimer.stop();
    m_openFirstOnLoad = true;
    m_loader->load(m_folder);
    statusBar()->showMessage(tr("Scanning %1…").arg(QDir::toNativeSeparators(m_folder)));
}

void MainWindow::workspaceLoaded(const WorkspaceSnapshot &snapshot)
{
    if (snapshot.folder != m_folder)
        return;
    m_model->setSnapshot(snapshot);
    m_delegate->setAnimating(m_model->hasTransitionalRows());
    if (std::exchange(m_openFirstOnLoad, false) && m_editors->count() == 0 &&
        !m_workspaceTree->currentIndex().isValid())
        selectFirstDeployment();

    for (EditorDocument *document : documents())
        document->setWorkspace(snapshot);
    QSet<QString> dirs;
    for (const QString &file : snapshot.yamlFiles)
        dirs.insert(QFileInfo(file).absolutePath());
    const QStringList watched = m_watcher->directories();
    for (const QString &dir : std::as_const(dirs)) {
        if (!watched.contains(dir))
            m_watcher->addPath(dir);
    }
    statusBar()->showMessage(tr("%n YAML file(s)", nullptr, int(snapshot.yamlFiles.size())), 3000);
    validateWorkspace();
}

void MainWindow::scheduleRescan()
{
    m_rescanTimer.start();
}

void MainWindow::validateWorkspace()
{
    if (m_folder.isEmpty())
        return;
    if (m_validation.isRunning()) {
        m_validateAgain = true;
        return;
    }
    QHash<QString, QByteArray> openTexts;
    for (EditorDocument *document : documents())
        openTexts.insert(document->filePath(), document->editor()->text().toUtf8());
    m_validation.setFuture(
        QtConcurrent::run(&ValidationService::validateWorkspace, m_model->snapshot(), openTexts));
}

void MainWindow::watchFile(const QString &path)
{
    // Editors that save through a rename drop the watch; re-arm it after every change.
    if (QFileInfo::exists(path) && !m_watcher->files().contains(path))
        m_watcher->addPath(path);
}

void MainWindow::fileChanged(const QString &path)
{
    if (EditorDocument *document = this->document(path))
        document->fileChangedOnDisk();
    watchFile(path);
    scheduleRescan();
}

void MainWindow::directoryChanged(const QString &)
{
    scheduleRescan();
}

EditorDocument *MainWindow::document(const QString &path) const
{
    const QString absolute = QFileInfo(path).absoluteFilePath();
    for (EditorDocument *document : documents()) {
        if (document->filePath() == absolute)
            return document;
    }
    return nullptr;
}

QList<EditorDocument *> MainWindow::documents() const
{
    QList<EditorDocument *> list;
    for (int i = 0; i < m_editors->count(); ++i) {
        if (auto *document = qobject_cast<EditorDocument *>(m_editors->widget(i)))
            list << document;
    }
    return list;
}

EditorDocument *MainWindow::currentDocument() const
{
    return qobject_cast<EditorDocument *>(m_editors->currentWidget());
}

EditorDocument *MainWindow::openFile(const QString &path, int line, int column)
{
    if (path.isEmpty())
        return nullptr;
    const QFileInfo info(path);
    if (info.isDir() || !Workspace::isYamlFile(path)) {
        QDesktopServices::openUrl(QUrl::fromLocalFile(info.absoluteFilePath()));
        return nullptr;
    }
    EditorDocument *document = this->document(path);
    if (!document) {
        document = new EditorDocument(path, m_editors);
        const Result<bool> loaded = document->load();
        if (!loaded) {
            delete document;
            statusBar()->showMessage(loaded.error().message, 5000);
            return nullptr;
        }
        connect(document, &EditorDocument::diagnosticsChanged, m_problems,
                &ProblemsPanel::setDiagnostics);
        connect(document, &EditorDocument::modificationChanged, this,
                [this, document] { documentModifiedChanged(document); });
        connect(document, &EditorDocument::saved, this, [this](const QString &saved) {
            watchFile(saved);
            scheduleRescan();
            m_validateTimer.start();
        });
        connect(document, &EditorDocument::fileLinkActivated, this,
                [this](const QString &target) { openFile(target); });
        document->setWorkspace(m_model->snapshot());
        const int index = m_editors->addTab(document, document->displayName());
        m_editors->setTabToolTip(index, QDir::toNativeSeparators(document->filePath()));
        watchFile(document->filePath());
    }
    m_editors->setCurrentWidget(document);
    if (line > 0)
        document->goTo(line, column);
    return document;
}

void MainWindow::documentModifiedChanged(EditorDocument *document)
{
    const int index = m_editors->indexOf(document);
    if (index >= 0)
        m_editors->setTabText(index,
                              document->displayName() +
                                  (document->isModified() ? QStringLiteral(" ●") : QString()));
    updateActions();
}

bool MainWindow::maybeSave(const QList<EditorDocument *> &candidates, const QString &question)
{
    QList<EditorDocument *> modified;
    QStringList names;
    for (EditorDocument *document : candidates) {
        if (document->isModified()) {
            modified << document;
            names << document->displayName();
        }
    }
    if (modified.isEmpty())
        return true;
    QMessageBox box(QMessageBox::Warning, tr("Unsaved changes"), question, QMessageBox::NoButton,
                    this);
    box.setObjectName(QStringLiteral("unsavedChangesDialog"));
    box.setInformativeText(tr("Unsaved: %1").arg(names.join(QStringLiteral(", "))));
    box.setStandardButtons(QMessageBox::Save | QMessageBox::Discard | QMessageBox::Cancel);
    box.setDefaultButton(QMessageBox::Save);
    const int answer = box.exec();
    if (answer == QMessageBox::Cancel)
        return false;
    if (answer == QMessageBox::Save) {
        for (EditorDocument *document : std::as_const(modified)) {
            if (!saveDocument(document))
                return false; // the window stays open with the edits
        }
    }
    return true;
}

bool MainWindow::closeDocument(int tabIndex)
{
    auto *document = qobject_cast<EditorDocument *>(m_editors->widget(tabIndex));
    if (!document)
        return false;
    if (!maybeSave({document}, tr("Save changes to %1?").arg(document->displayName())))
        return false;
    m_editors->removeTab(tabIndex);
    // Unsaved edits are gone: the Problems panel shows the file as it is on disk again.
    m_problems->setDiagnostics(document->filePath(), {});
    m_validateTimer.start();
    document->deleteLater();
    return true;
}

bool MainWindow::saveAll()
{
    for (EditorDocument *document : documents()) {
        if (!document->isModified())
            continue;
        if (!saveDocument(document))
            return false;
    }
    return true;
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    if (!maybeSave(documents(), tr("Save your changes before closing?"))) {
        event->ignore();
        return;
    }
    StudioSettings().saveWindow(saveGeometry(), saveState());
    event->accept();
}

MainWindow::Selection MainWindow::currentSelection() const
{
    Selection selection;
    const QModelIndex index = m_workspaceTree->currentIndex();
    if (!index.isValid())
        return selection;
    selection.kind = index.data(WorkspaceTreeModel::KindRole).toInt();
    selection.filePath = index.data(WorkspaceTreeModel::FilePathRole).toString();
    selection.endpoint = index.data(WorkspaceTreeModel::EndpointRole).toString();
    selection.deployment = index.data(WorkspaceTreeModel::DeploymentRole).toString();
    if (selection.kind == WorkspaceTreeModel::DeploymentItem) {
        const QModelIndex endpoint = m_model->endpointIndex(selection.endpoint);
        selection.endpointFile = endpoint.data(WorkspaceTreeModel::FilePathRole).toString();
    } else if (selection.kind == WorkspaceTreeModel::EndpointItem) {
        selection.endpointFile = selection.filePath;
    }
    return selection;
}

bool MainWindow::selectDeployment(const QString &endpoint, const QString &deployment)
{
    const QModelIndex index = m_model->deploymentIndex(endpoint, deployment);
    if (!index.isValid())
        return false;
    m_workspaceTree->setCurrentIndex(index);
    return true;
}

// A folder opened with nothing selected shows its first deployment (or endpoint, or YAML file)
// in the editor, the inspector and the deployment panel rather than an empty window.
void MainWindow::selectFirstDeployment()
{
    QModelIndex first;
    for (int row = 0; row < m_model->rowCount() && !first.isValid(); ++row) {
        const QModelIndex top = m_model->index(row, 0);
        const int kind = top.data(WorkspaceTreeModel::KindRole).toInt();
        if (kind == WorkspaceTreeModel::EndpointItem)
            first = m_model->rowCount(top) > 0 ? m_model->index(0, 0, top) : top;
    }
    if (first.isValid())
        m_workspaceTree->setCurrentIndex(first);
}

void MainWindow::selectionChanged()
{
    const Selection selection = currentSelection();
    if (selection.kind == WorkspaceTreeModel::DeploymentItem)
        showDeploymentInPanel(selection.endpoint, selection.deployment);
    if (!m_restoringSelection && !selection.filePath.isEmpty() &&
        QFileInfo::exists(selection.filePath))
        openFile(selection.filePath);
    updateActions();
}

void MainWindow::showDeploymentInPanel(const QString &endpoint, const QString &deployment)
{
    m_panelKey = endpoint + u'/' + deployment;
    const std::optional<DeploymentInfo> info = m_manager->deployment(endpoint, deployment);
    if (!info) {
        m_status->setUndeployed(endpoint, deployment);
        m_logs->stopFollowing();
        return;
    }
    m_status->setDeployment(*info);
    m_logs->setDeployment(*info);
    m_invoke->setTarget(info->endpoint, info->scoringUri, info->deployment,
                        info->sourceYaml.isEmpty() ? QString()
                                                   : QFileInfo(info->sourceYaml).absolutePath());
    m_invoke->setDeploymentFacts(
        LoadTargetFacts::fromDeploymentYaml(info->sourceYaml, info->deployment));
}

void MainWindow::showLogFor(const QString &role)
{
    m_deploymentTabs->setCurrentIndex(1);
    m_logs->setCurrentTab(role == storageInitializerRole() ? LogPanel::Tab::StorageInitializer
                                                           : LogPanel::Tab::InferenceServer);
}

void MainWindow::showContextMenu(const QPoint &pos)
{
    const QModelIndex index = m_workspaceTree->indexAt(pos);
    if (!index.isValid())
        return;
    m_workspaceTree->setCurrentIndex(index);
    const Selection selection = currentSelection();
    QMenu menu(this);
    QAction *open =
        menu.addAction(tr("&Open"), this, [this, selection] { openFile(selection.filePath); });
    open->setEnabled(!selection.filePath.isEmpty());
    if (selection.kind == WorkspaceTreeModel::DeploymentItem) {
        menu.addAction(m_deployAction);
        menu.addAction(m_deleteAction);
        menu.addAction(m_copyUriAction);
    }
    menu.addSeparator();
    menu.addAction(m_revealAction);
    menu.exec(m_workspaceTree->viewport()->mapToGlobal(pos));
}

void MainWindow::updateActions()
{
    const Selection selection = currentSelection();
    const bool isDeployment = selection.kind == WorkspaceTreeModel::DeploymentItem;
    const QModelIndex index = m_workspaceTree->currentIndex();
    const bool deployed = index.data(WorkspaceTreeModel::DeployedRole).toBool();
    bool busy = false;
    for (const Operation &operation : std::as_const(m_operations)) {
        if (operation.endpoint == selection.endpoint &&
            operation.deployment == selection.deployment)
            busy = true;
    }
    m_deployAction->setEnabled(isDeployment && !selection.filePath.isEmpty() && !busy &&
                               !isCheckingDeployment());
    m_deployAction->setText(deployed ? tr("&Update") : tr("&Deploy"));
    m_deleteAction->setEnabled(isDeployment && deployed && !busy);
    m_cancelAction->setEnabled(!m_operations.isEmpty());
    m_copyUriAction->setEnabled(
        !index.data(WorkspaceTreeModel::ScoringUriRole).toString().isEmpty());
    EditorDocument *document = currentDocument();
    m_saveAction->setEnabled(document && document->isModified());
}

void MainWindow::updateProblemCounts(int errors, int warnings)
{
    m_problemsLabel->setText(tr("%1 errors, %2 warnings").arg(errors).arg(warnings));
    if (auto *dock = findChild<QDockWidget *>(QStringLiteral("problemsDock")))
        dock->setWindowTitle(errors + warnings > 0 ? tr("Problems (%1)").arg(errors + warnings)
                                                   : tr("Problems"));
}

bool MainWindow::saveDocument(EditorDocument *document)
{
    const Result<bool> saved = document->save();
    if (saved)
        return true;
    // The edits stay in the editor, unsaved: nothing is lost by a failed save.
    QMessageBox box(QMessageBox::Warning, tr("Save"), saved.error().message, QMessageBox::Ok, this);
    box.setObjectName(QStringLiteral("saveFailedDialog"));
    box.setInformativeText(tr("Your changes are still in the editor. Make the file's folder "
                              "writable (or free disk space) and save again; or copy the text "
                              "elsewhere."));
    box.exec();
    return false;
}

bool MainWindow::deploySelected()
{
    return startDeploy(currentSelection(), {});
}

// The deployment gate runs on a worker thread over the text as it will be deployed (the
// editor's, when it has unsaved edits) with the tree's endpoint; deploymentChecked() goes on.
bool MainWindow::startDeploy(const Selection &selection, const QList<SpecEdits::Edit> &edits)
{
    if (selection.kind != WorkspaceTreeModel::DeploymentItem || selection.filePath.isEmpty() ||
        isCheckingDeployment())
        return false;
    DeploymentGate::Request request;
    request.file = selection.filePath;
    if (EditorDocument *open = document(selection.filePath); open && open->isModified())
        request.text = open->text();
    request.endpointName = selection.endpoint;
    request.edits = edits;
    request.endpointFile = selection.endpointFile;
    request.context = ValidationService::context(m_model->snapshot());
    m_pendingDeploy = PendingDeploy{selection, edits};
    statusBar()->showMessage(
        tr("Checking %1 before deploying…").arg(QFileInfo(selection.filePath).fileName()));
    m_gate.setFuture(QtConcurrent::run([request] { return DeploymentGate::check(request); }));
    updateActions();
    return true;
}

void MainWindow::deploymentChecked()
{
    const DeploymentGate::Outcome outcome = m_gate.result();
    const PendingDeploy pending = *std::exchange(m_pendingDeploy, std::nullopt);
    const Selection &selection = pending.selection;
    // The gate's findings for the files it read (the same rules as the live validation, with
    // the tree's endpoint): Problems shows them whatever happens next.
    QHash<QString, Diagnostics> byFile;
    byFile.insert(selection.filePath, {});
    if (!selection.endpointFile.isEmpty())
        byFile.insert(selection.endpointFile, {});
    for (const Diagnostic &d : outcome.diagnostics)
        byFile[d.location.file].append(d);
    for (auto it = byFile.cbegin(); it != byFile.cend(); ++it)
        m_problems->setDiagnostics(it.key(), it.value());
    if (outcome.blocked()) {
        bool onlyMlflow = outcome.failure.isEmpty();
        for (const Diagnostic &d : outcome.diagnostics) {
            if (d.severity == Severity::Error && d.code != u"mlflow-no-code-local")
                onlyMlflow = false;
        }
        if (onlyMlflow) {
            offerMlflowImage(selection, pending.edits);
            updateActions();
            return;
        }
        refuseDeploy(selection, outcome);
        updateActions();
        return;
    }
    // Checked: now the edits go to disk, as before any deploy.
    for (const QString &path : {selection.filePath, selection.endpointFile}) {
        if (EditorDocument *open = document(path);
            open && open->isModified() && !saveDocument(open)) {
            updateActions();
            return;
        }
    }
    const bool deployed = m_model->deploymentIndex(selection.endpoint, selection.deployment)
                              .data(WorkspaceTreeModel::DeployedRole)
                              .toBool();
    DeployOptions options;
    options.enableGpu = m_gpuAction->isChecked();
    const quint64 op = m_manager->deploy(outcome.spec, outcome.endpoint, options);
    // A confirmation of sensitive sources deploys the same checked spec again.
    startOperation(op, {outcome.spec.endpointName, outcome.spec.name,
                        deployed ? tr("Updating") : tr("Deploying"), selection.filePath,
                        selection.endpointFile, outcome.spec, outcome.endpoint});
}

// Errors stop the deploy before anything runs: Problems shows them with the first selected, the
// editor goes to it, and the status bar and the Status tab say why nothing was deployed.
void MainWindow::refuseDeploy(const Selection &selection, const DeploymentGate::Outcome &outcome)
{
    const QString why = outcome.refusal();
    if (auto *dock = findChild<QDockWidget *>(QStringLiteral("problemsDock"))) {
        dock->show();
        dock->raise();
    }
    if (const auto first = m_problems->selectFirst(Severity::Error);
        first && QFileInfo::exists(first->location.file))
        openFile(first->location.file, first->location.line, first->location.column);
    statusBar()->showMessage(tr("%1/%2 %3").arg(selection.endpoint, selection.deployment, why));
    if (m_panelKey == selection.endpoint + u'/' + selection.deployment)
        m_status->setProgressMessage(why);
}

// A no-code MLflow deployment is valid for Azure, which supplies its environment; here the user
// picks an image that has mlflow and azureml-inference-server-http, used for this deploy only.
void MainWindow::offerMlflowImage(const Selection &selection, const QList<SpecEdits::Edit> &edits)
{
    QMessageBox box(QMessageBox::Information, tr("Deploy"),
                    tr("%1 is a no-code MLflow deployment: Azure supplies its environment and "
                       "scoring in the cloud, but it cannot run here without an environment "
                       "image that has mlflow and azureml-inference-server-http.")
                        .arg(selection.deployment),
                    QMessageBox::Cancel, this);
    box.setObjectName(QStringLiteral("mlflowImageDialog"));
    box.setInformativeText(tr("Choose such an image for local runs; the YAML stays as it is for "
                              "Azure. The image runs with its own server, as Azure runs it."));
    QPushButton *choose = box.addButton(tr("Choose Image…"), QMessageBox::AcceptRole);
    box.setDefaultButton(choose);
    box.exec();
    if (box.clickedButton() != static_cast<QAbstractButton *>(choose)) {
        statusBar()->showMessage(
            tr("%1/%2 not deployed: a no-code MLflow deployment needs an image with mlflow here")
                .arg(selection.endpoint, selection.deployment));
        return;
    }
    // The images the engine has, listed off the UI thread; the picker opens when they are in.
    auto *list = new QProcess(this);
    connect(list, &QProcess::finished, this, [this, list, selection, edits] {
        list->deleteLater();
        QStringList images =
            QString::fromUtf8(list->readAllStandardOutput()).split(u'\n', Qt::SkipEmptyParts);
        images.removeAll(QStringLiteral("<none>:<none>"));
        QInputDialog picker(this);
        picker.setObjectName(QStringLiteral("imagePickerDialog"));
        picker.setWindowTitle(tr("Image for %1").arg(selection.deployment));
        picker.setLabelText(tr("An image with mlflow and azureml-inference-server-http:"));
        picker.setComboBoxItems(images);
        picker.setComboBoxEditable(true);
        if (picker.exec() != QDialog::Accepted || picker.textValue().trimmed().isEmpty())
            return;
        QList<SpecEdits::Edit> withImage = edits;
        withImage.append({{QStringLiteral("environment"), QStringLiteral("image")},
                          picker.textValue().trimmed(),
                          false});
        startDeploy(selection, withImage);
    });
    connect(list, &QProcess::errorOccurred, list, [list](QProcess::ProcessError error) {
        if (error == QProcess::FailedToStart)
            emit list->finished(-1, QProcess::CrashExit);
    });
    list->start(m_manager->containerProgram(),
                {QStringLiteral("image"), QStringLiteral("ls"), QStringLiteral("--format"),
                 QStringLiteral("{{.Repository}}:{{.Tag}}")});
}

void MainWindow::confirmSensitiveSources(const Operation &operation, const QString &message)
{
    QMessageBox box(QMessageBox::Warning, tr("Deploy"),
                    tr("%1 / %2 copies files from places that may hold secrets.")
                        .arg(operation.endpoint, operation.deployment),
                    QMessageBox::Cancel, this);
    box.setObjectName(QStringLiteral("confirmSourcesDialog"));
    box.setInformativeText(
        message.section(u'\n', 1).section(QStringLiteral("\nCheck the paths"), 0, 0) +
        tr("\n\nThey would be copied into the deployment, which has network "
           "access. Deploy anyway?"));
    QPushButton *deploy = box.addButton(tr("Deploy anyway"), QMessageBox::AcceptRole);
    deploy->setObjectName(QStringLiteral("deployAnywayButton"));
    box.setDefaultButton(QMessageBox::Cancel);
    box.exec();
    if (box.clickedButton() != deploy)
        return;
    DeployOptions options;
    options.enableGpu = m_gpuAction->isChecked();
    options.allowSensitiveSources = true;
    const quint64 op = operation.spec
                           ? m_manager->deploy(*operation.spec, operation.endpointSpec, options)
                           : m_manager->deploy(operation.file, operation.endpointFile, options);
    startOperation(op, operation);
}

bool MainWindow::deleteSelected()
{
    const Selection selection = currentSelection();
    if (selection.kind != WorkspaceTreeModel::DeploymentItem)
        return false;
    QMessageBox box(
        QMessageBox::Question, tr("Delete deployment"),
        tr("Delete deployment %1 of endpoint %2?").arg(selection.deployment, selection.endpoint),
        QMessageBox::Yes | QMessageBox::Cancel, this);
    box.setObjectName(QStringLiteral("confirmDeleteDialog"));
    box.setInformativeText(tr("Its containers, volume and logs are removed; the YAML files and "
                              "images stay."));
    box.setDefaultButton(QMessageBox::Cancel);
    if (box.exec() != QMessageBox::Yes)
        return false;
    const quint64 op = m_manager->deleteDeployment(selection.endpoint, selection.deployment);
    startOperation(op, {selection.endpoint, selection.deployment, tr("Deleting"), {}, {}, {}, {}});
    return true;
}

void MainWindow::cancelOperations()
{
    for (auto it = m_operations.cbegin(); it != m_operations.cend(); ++it)
        m_manager->cancel(it.key());
}

void MainWindow::startOperation(quint64 op, const Operation &operation)
{
    m_operations.insert(op, operation);
    m_model->setProgress(operation.endpoint, operation.deployment, 0, operation.verb);
    m_delegate->setAnimating(true);
    statusBar()->showMessage(
        tr("%1 %2/%3…").arg(operation.verb, operation.endpoint, operation.deployment));
    updateProgressBar();
    updateActions();
}

void MainWindow::operationProgress(quint64 op, const QString &endpoint, const QString &deployment,
                                   const QString &phase, const QString &message, int percent)
{
    const auto operation = m_operations.find(op);
    if (operation == m_operations.end())
        return;
    const QString text = message.isEmpty() ? phase : phase + QStringLiteral(": ") + message;
    m_model->setProgress(endpoint, deployment, qMax(0, percent), text);
    m_progress->setProperty("percent", percent);
    m_progress->setProperty("phase", phase);
    if (m_panelKey == endpoint + u'/' + deployment)
        m_status->setProgressMessage(text);
    statusBar()->showMessage(tr("%1/%2: %3").arg(endpoint, deployment, text));
    updateProgressBar();
}

void MainWindow::updateProgressBar()
{
    const bool busy = !m_operations.isEmpty();
    m_progress->setVisible(busy);
    m_cancelButton->setVisible(busy);
    if (!busy)
        return;
    const int percent =
        m_progress->property("percent").isValid() ? m_progress->property("percent").toInt() : -1;
    if (m_operations.size() > 1 || percent < 0) {
        m_progress->setRange(0, 0); // busy indicator: progress is unknown or mixed
    } else {
        m_progress->setRange(0, 100);
        m_progress->setValue(percent);
    }
    const Operation &first = m_operations.cbegin().value();
    m_progress->setFormat(first.verb + QStringLiteral(" %p%"));
    m_progress->setToolTip(tr("%1 %2/%3").arg(first.verb, first.endpoint, first.deployment));
}

void MainWindow::operationFinished(quint64 op, bool ok, const QString &error)
{
    const auto operation = m_operations.find(op);
    if (operation == m_operations.end())
        return;
    const Operation done = operation.value();
    m_operations.erase(operation);
    m_model->setProgress(done.endpoint, done.deployment, -1, QString());
    m_delegate->setAnimating(m_model->hasTransitionalRows());
    m_progress->setProperty("percent", QVariant());
    const bool canceled = m_manager->errorKind(op) == DeploymentManager::ErrorKind::Canceled;
    if (m_manager->errorKind(op) == DeploymentManager::ErrorKind::NeedsConfirmation) {
        // Asked once the signal is over, not inside it.
        QTimer::singleShot(0, this, [this, done, error] { confirmSensitiveSources(done, error); });
        statusBar()->showMessage(
            tr("%1/%2: the sources need your confirmation").arg(done.endpoint, done.deployment),
            15000);
    } else if (ok)
        statusBar()->showMessage(tr("%1/%2: done").arg(done.endpoint, done.deployment), 5000);
    else if (canceled)
        statusBar()->showMessage(
            tr("%1/%2: %3 canceled").arg(done.endpoint, done.deployment, done.verb.toLower()),
            15000);
    else
        statusBar()->showMessage(
            tr("%1/%2 failed: %3").arg(done.endpoint, done.deployment, error.section(u'\n', 0, 0)),
            15000);
    if (m_panelKey == done.endpoint + u'/' + done.deployment)
        showDeploymentInPanel(done.endpoint, done.deployment);
    updateProgressBar();
    updateActions();
}

void MainWindow::deploymentUpdated(const DeploymentInfo &info)
{
    WorkspaceTreeModel::RuntimeRow row;
    row.endpoint = info.endpoint;
    row.deployment = info.deployment;
    row.state = info.state;
    row.scoringUri = info.scoringUri;
    row.sourcePath = info.sourceYaml;
    row.message = info.failureReason;
    row.traffic = info.traffic;
    row.restarts = info.restartCount;
    row.restartReason = info.lastRestartReason;
    row.builtInServer = info.settings.server == ServerKind::BuiltIn;
    m_model->setRuntimeRow(row);
    m_delegate->setAnimating(m_model->hasTransitionalRows());
    if (m_panelKey == info.key())
        showDeploymentInPanel(info.endpoint, info.deployment);
    updateActions();
}
