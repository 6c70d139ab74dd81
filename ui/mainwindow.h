#pragma once

#include <QMainWindow>

class QTreeView;
class QLabel;

// The studio's main window: workspace tree on the left, editors in the centre, inspector on
// the right and the deployment panel at the bottom.
class MainWindow : public QMainWindow
{
    Q_OBJECT
public:
    explicit MainWindow(QWidget *parent = nullptr);

    void openFolder(const QString &path);
    QString folder() const { return m_folder; }

private:
    void buildMenus();

    QTreeView *m_workspaceTree = nullptr;
    QLabel *m_folderLabel = nullptr;
    QString m_folder;
};
