#include "ui/mainwindow.h"

#include "app/version.h"

#include <QApplication>
#include <QDir>
#include <QDockWidget>
#include <QFileDialog>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QStatusBar>
#include <QTabWidget>
#include <QTreeView>

MainWindow::MainWindow(QWidget *parent)
    : QMainWindow(parent)
{
    setObjectName(QStringLiteral("MainWindow"));
    setWindowTitle(StudioVersion::applicationName());
    resize(1280, 800);

    auto *editors = new QTabWidget(this);
    editors->setObjectName(QStringLiteral("editorTabs"));
    editors->setDocumentMode(true);
    setCentralWidget(editors);

    auto *workspaceDock = new QDockWidget(tr("Workspace"), this);
    workspaceDock->setObjectName(QStringLiteral("workspaceDock"));
    m_workspaceTree = new QTreeView(workspaceDock);
    m_workspaceTree->setObjectName(QStringLiteral("workspaceTree"));
    m_workspaceTree->setHeaderHidden(true);
    workspaceDock->setWidget(m_workspaceTree);
    addDockWidget(Qt::LeftDockWidgetArea, workspaceDock);

    buildMenus();
    m_folderLabel = new QLabel(tr("No folder open"), this);
    statusBar()->addWidget(m_folderLabel, 1);
    statusBar()->showMessage(tr("Ready"), 2000);
}

void MainWindow::buildMenus()
{
    QMenu *file = menuBar()->addMenu(tr("&File"));
    file->addAction(tr("&Open Folder…"), QKeySequence::Open, this, [this] {
        const QString dir = QFileDialog::getExistingDirectory(this, tr("Open Folder"), m_folder);
        if (!dir.isEmpty())
            openFolder(dir);
    });
    file->addSeparator();
    file->addAction(tr("&Quit"), QKeySequence::Quit, this, &QWidget::close);

    menuBar()->addMenu(tr("&Endpoint"));
    menuBar()->addMenu(tr("&View"));

    QMenu *help = menuBar()->addMenu(tr("&Help"));
    help->addAction(tr("&About Endpoint Studio"), this, [this] {
        QMessageBox::about(this, tr("About Endpoint Studio"),
                           StudioVersion::describe() +
                               tr("\n\nBuild, deploy and test machine-learning online endpoints "
                                  "on your own machine."));
    });
}

void MainWindow::openFolder(const QString &path)
{
    m_folder = QDir(path).absolutePath();
    setWindowTitle(QDir(m_folder).dirName() + QStringLiteral(" — ") +
                   StudioVersion::applicationName());
    m_folderLabel->setText(QDir::toNativeSeparators(m_folder));
}
