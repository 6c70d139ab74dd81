#include "tests/common/testsupport.h"
#include "ui/mainwindow.h"

#include <QMenuBar>
#include <QStatusBar>
#include <QTest>
#include <QTreeView>

class TestMainWindow : public QObject
{
    Q_OBJECT
private slots:
    void showsMenusPaneAndStatusBar()
    {
        MainWindow window;
        window.openFolder(TestSupport::examplesDir());
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));

        QStringList menus;
        for (QAction *action : window.menuBar()->actions())
            menus << action->text().remove(u'&');
        QCOMPARE(menus, (QStringList{QStringLiteral("File"), QStringLiteral("Endpoint"),
                                     QStringLiteral("View"), QStringLiteral("Help")}));
        QVERIFY(window.findChild<QTreeView *>(QStringLiteral("workspaceTree")));
        QVERIFY(window.statusBar()->isVisible());
        QVERIFY(window.windowTitle().contains(QStringLiteral("examples")));
        QVERIFY(window.grab().save(TestSupport::screenshotPath(QStringLiteral("mainwindow"))));
    }
};

QTEST_MAIN(TestMainWindow)
#include "test_mainwindow.moc"
