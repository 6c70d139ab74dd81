#include "app/logs/logstore.h"
#include "app/runtime/deploymentinfo.h"
#include "tests/common/testsupport.h"
#include "widgets/logs/logpanel.h"
#include "widgets/logs/logview.h"

#include <QApplication>
#include <QClipboard>
#include <QComboBox>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QRegularExpression>
#include <QScrollBar>
#include <QSettings>
#include <QSignalSpy>
#include <QTabBar>
#include <QTemporaryDir>
#include <QTest>
#include <QToolButton>

#include <random>

namespace {

QByteArray serverLine(int second, char level, const QByteArray &message)
{
    return "2026-11-28 10:00:" + QByteArray::number(second % 60).rightJustified(2, '0') + ",000 " +
           level + " [7] azmlinfsrv - " + message + '\n';
}

void appendTo(const QString &path, const QByteArray &data)
{
    QFile file(path);
    QVERIFY(file.open(QIODevice::Append));
    file.write(data);
}

QToolButton *buttonWithText(QWidget *parent, const QString &text)
{
    for (QToolButton *b : parent->findChildren<QToolButton *>())
        if (b->text() == text)
            return b;
    return nullptr;
}

} // namespace

class TestLogPanel : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void init();
    void followsAndPausesOnScrollUp();
    void filterToMatchingLinesAndNavigate();
    void mergedTabOrdersByTimeAndNamesContainers();
    void revealRequestIdShowsTheLine();
    void saveWritesTimestampedFile();
    void clearIsRememberedPerDeployment();
    void capShowsDroppedLinesAndSaveKeepsThem();
    void wrapShowsLongLinesOnSeveralRows();
    void garbageIsShownNotFatal();
    void screenshot();

private:
    QTemporaryDir m_dir;
    QString m_serverLog;
    QString m_initLog;
    DeploymentInfo deployment(const QString &name) const;
};

void TestLogPanel::initTestCase()
{
    // The panel remembers clears in the settings: the test run's go to a private folder.
    QCoreApplication::setOrganizationName(QStringLiteral("endpoint-studio-test"));
    QCoreApplication::setApplicationName(QStringLiteral("test_logpanel"));
    QSettings::setDefaultFormat(QSettings::IniFormat);
    QSettings::setPath(QSettings::IniFormat, QSettings::UserScope,
                       m_dir.filePath(QStringLiteral("settings")));
}

void TestLogPanel::init()
{
    m_serverLog = m_dir.filePath(QStringLiteral("server-%1.log").arg(QTest::currentTestFunction()));
    m_initLog = m_dir.filePath(QStringLiteral("init-%1.log").arg(QTest::currentTestFunction()));
    QFile::remove(m_serverLog);
    QFile::remove(m_initLog);
}

DeploymentInfo TestLogPanel::deployment(const QString &name) const
{
    DeploymentInfo info;
    info.endpoint = QStringLiteral("my-endpoint");
    info.deployment = name;
    info.runtime = RuntimeKind::Process;
    ContainerInfo server;
    server.role = inferenceServerRole();
    server.name = QStringLiteral("my-endpoint.") + name;
    server.logFile = m_serverLog;
    ContainerInfo init;
    init.role = storageInitializerRole();
    init.name = QStringLiteral("my-endpoint.") + name + QStringLiteral(".storage-initializer");
    init.logFile = m_initLog;
    info.containers = {init, server};
    return info;
}

void TestLogPanel::followsAndPausesOnScrollUp()
{
    LogPanel panel;
    panel.resize(900, 400);
    panel.show();
    panel.setDeployment(deployment(QStringLiteral("blue")));
    QByteArray data;
    for (int i = 0; i < 500; ++i)
        data += serverLine(i, 'I', "request " + QByteArray::number(i));
    appendTo(m_serverLog, data);
    LogView *view = panel.view();
    QTRY_COMPARE_WITH_TIMEOUT(view->rowCount(), 500, 5000);
    QVERIFY(view->isFollowing());
    QCOMPARE(view->lastVisibleRow(), 499);
    QVERIFY(view->rowText(view->lastVisibleRow()).endsWith(QStringLiteral("request 499")));
    QVERIFY(panel.statusText().startsWith(QStringLiteral("500 lines · 0 dropped")));

    // The user scrolls up: following pauses and the view stays where the user put it.
    view->setFocus();
    QTest::keyClick(view, Qt::Key_PageUp);
    QVERIFY(!view->isFollowing());
    QToolButton *jump = buttonWithText(&panel, QStringLiteral("Jump to latest ↓"));
    QVERIFY(jump && jump->isVisible());
    const qint64 top = view->firstVisibleRow();
    appendTo(m_serverLog, serverLine(1, 'W', "more output"));
    QTRY_COMPARE_WITH_TIMEOUT(view->rowCount(), 501, 5000);
    QCOMPARE(view->firstVisibleRow(), top);
    QVERIFY(panel.statusText().contains(QStringLiteral("paused")));

    jump->click();
    QVERIFY(view->isFollowing());
    QVERIFY(!jump->isVisible());
    QCOMPARE(view->lastVisibleRow(), 500);
    QVERIFY(view->rowText(500).endsWith(QStringLiteral("more output")));
    // Scrolling back to the end by hand resumes following too.
    QTest::keyClick(view, Qt::Key_PageUp);
    QVERIFY(!view->isFollowing());
    view->verticalScrollBar()->setValue(view->verticalScrollBar()->maximum());
    QVERIFY(view->isFollowing());
}

void TestLogPanel::filterToMatchingLinesAndNavigate()
{
    LogPanel panel;
    panel.resize(900, 400);
    panel.show();
    panel.setDeployment(deployment(QStringLiteral("green")));
    QByteArray data;
    for (int i = 0; i < 3000; ++i)
        data += i % 300 == 7 ? serverLine(i, 'E', "request " + QByteArray::number(i) + " failed")
                             : serverLine(i, 'I', "request " + QByteArray::number(i) + " ok");
    appendTo(m_serverLog, data);
    LogView *view = panel.view();
    QTRY_COMPARE_WITH_TIMEOUT(view->rowCount(), 3000, 5000);

    auto *search = panel.findChild<QLineEdit *>(QStringLiteral("logSearch"));
    auto *label = panel.findChild<QLabel *>(QStringLiteral("matchLabel"));
    QTest::keyClicks(search, QStringLiteral("failed"));
    QTRY_COMPARE_WITH_TIMEOUT(view->matchCount(), 10, 5000);
    QCOMPARE(view->rowCount(), 3000); // highlight mode keeps every line
    QTRY_COMPARE_WITH_TIMEOUT(label->text(), QStringLiteral("10 matches"), 5000);
    QTest::keyClick(search, Qt::Key_Return);
    QCOMPARE(label->text(), QStringLiteral("1 of 10"));
    QVERIFY(!view->isFollowing());
    QTest::keyClick(search, Qt::Key_Return);
    QCOMPARE(label->text(), QStringLiteral("2 of 10"));
    QVERIFY(view->selectedText().contains(QStringLiteral("request 307 failed")));

    buttonWithText(&panel, QStringLiteral("Only matching"))->click();
    QTRY_COMPARE_WITH_TIMEOUT(view->rowCount(), 10, 5000);
    for (qint64 row = 0; row < view->rowCount(); ++row)
        QVERIFY(view->rowText(row).endsWith(QStringLiteral("failed")));
    QVERIFY(panel.statusText().contains(QStringLiteral("(10 shown)")));

    // New lines are filtered as they arrive.
    appendTo(m_serverLog, serverLine(5, 'E', "late request failed") + serverLine(6, 'I', "ok"));
    QTRY_COMPARE_WITH_TIMEOUT(view->rowCount(), 11, 5000);
    QVERIFY(view->rowText(10).endsWith(QStringLiteral("late request failed")));

    // Inverted: everything else.
    buttonWithText(&panel, QStringLiteral("!"))->click();
    QTRY_COMPARE_WITH_TIMEOUT(view->rowCount(), 3002 - 11, 5000);

    // Level filter alone.
    buttonWithText(&panel, QStringLiteral("!"))->click();
    search->clear();
    auto *levels = panel.findChildren<QComboBox *>().value(0);
    levels->setCurrentIndex(1); // Errors
    QTRY_COMPARE_WITH_TIMEOUT(view->rowCount(), 11, 5000);
}

void TestLogPanel::mergedTabOrdersByTimeAndNamesContainers()
{
    LogPanel panel;
    panel.resize(900, 400);
    panel.show();
    panel.setDeployment(deployment(QStringLiteral("merged")));
    appendTo(m_initLog,
             serverLine(1, 'I', "staged model.pkl").replace("azmlinfsrv", "storage-initializer") +
                 serverLine(3, 'I', "staged 1 files").replace("azmlinfsrv", "storage-initializer"));
    appendTo(m_serverLog,
             serverLine(2, 'I', "starting") + serverLine(4, 'I', "ready for serving traffic"));
    QTRY_COMPARE_WITH_TIMEOUT(panel.store(LogPanel::Tab::StorageInitializer)->lineCount(), 2, 5000);
    QTRY_COMPARE_WITH_TIMEOUT(panel.store(LogPanel::Tab::InferenceServer)->lineCount(), 2, 5000);
    panel.setCurrentTab(LogPanel::Tab::Merged);
    LogView *view = panel.view();
    QCOMPARE(view->rowCount(), 4);
    QVERIFY(view->rowText(0).startsWith(QStringLiteral("[storage-initializer] ")));
    QVERIFY(view->rowText(0).endsWith(QStringLiteral("staged model.pkl")));
    QVERIFY(view->rowText(1).startsWith(QStringLiteral("[inference-server] ")));
    QVERIFY(view->rowText(2).endsWith(QStringLiteral("staged 1 files")));
    QVERIFY(view->rowText(3).endsWith(QStringLiteral("ready for serving traffic")));
    // A line that arrives late but happened earlier goes to its place in time.
    appendTo(m_serverLog, serverLine(0, 'W', "early warning"));
    QTRY_COMPARE_WITH_TIMEOUT(view->rowCount(), 5, 5000);
    QVERIFY(view->rowText(0).endsWith(QStringLiteral("early warning")));

    // Save on the merged tab writes it as shown: time order, each line with its container.
    QTemporaryDir out;
    QSignalSpy finished(&panel, &LogPanel::saveFinished);
    const QString saved = panel.saveTo(out.path());
    QVERIFY(QFileInfo(saved).fileName().startsWith(QStringLiteral("my-endpoint-merged-merged-")));
    QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 10000);
    QCOMPARE(finished.at(0).at(2).toString(), QString());
    QFile file(saved);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QList<QByteArray> lines = file.readAll().split('\n');
    QCOMPARE(lines.size(), 6); // five lines, then the empty rest after the last '\n'
    const char *expected[] = {"early warning", "staged model.pkl", "starting", "staged 1 files",
                              "ready for serving traffic"};
    const char *tags[] = {"[inference-server] ", "[storage-initializer] ", "[inference-server] ",
                          "[storage-initializer] ", "[inference-server] "};
    for (int i = 0; i < 5; ++i) {
        QVERIFY2(lines[i].startsWith(tags[i]) && lines[i].endsWith(expected[i]),
                 lines[i].constData());
    }
}

void TestLogPanel::revealRequestIdShowsTheLine()
{
    LogPanel panel;
    panel.resize(900, 300);
    panel.show();
    panel.setDeployment(deployment(QStringLiteral("reveal")));
    QByteArray data;
    for (int i = 0; i < 2000; ++i)
        data += serverLine(i, i == 77 ? 'E' : 'I',
                           "[req-" + QByteArray::number(i) + "] POST /score " +
                               (i == 77 ? "500" : "200"));
    appendTo(m_serverLog, data);
    LogView *view = panel.view();
    QTRY_COMPARE_WITH_TIMEOUT(view->rowCount(), 2000, 5000);
    panel.setCurrentTab(LogPanel::Tab::Merged);
    panel.revealRequestId(QStringLiteral("[req-77]"));
    QCOMPARE(panel.currentTab(), LogPanel::Tab::InferenceServer);
    QTRY_COMPARE_WITH_TIMEOUT(view->currentMatch(), 0, 5000);
    QVERIFY(!view->isFollowing());
    QVERIFY(view->firstVisibleRow() <= 77 && view->lastVisibleRow() >= 77);
    QVERIFY(view->selectedText().contains(QStringLiteral("[req-77] POST /score 500")));
    QCOMPARE(panel.findChild<QLineEdit *>(QStringLiteral("logSearch"))->text(),
             QStringLiteral("[req-77]"));
}

void TestLogPanel::saveWritesTimestampedFile()
{
    LogPanel panel;
    panel.setDeployment(deployment(QStringLiteral("save")));
    QByteArray data;
    for (int i = 0; i < 100; ++i)
        data += serverLine(i, 'I', "line " + QByteArray::number(i));
    appendTo(m_serverLog, data);
    QTRY_COMPARE_WITH_TIMEOUT(panel.store(LogPanel::Tab::InferenceServer)->lineCount(), 100, 5000);
    QTemporaryDir out;
    QSignalSpy finished(&panel, &LogPanel::saveFinished);
    const QString saved = panel.saveTo(out.path());
    // The file is written on a worker: the button is off and the status says so meanwhile.
    QVERIFY(panel.isSaving());
    QVERIFY(!panel.findChild<QToolButton *>(QStringLiteral("logSave"))->isEnabled());
    QVERIFY2(panel.statusText().contains(QStringLiteral("saving ")),
             qPrintable(panel.statusText()));
    // Lines arriving during the save are not in the file; the file is the log at the click.
    appendTo(m_serverLog, serverLine(100, 'I', "after the click"));
    QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 10000);
    QCOMPARE(finished.at(0).at(0).toString(), saved);
    QCOMPARE(finished.at(0).at(1).toLongLong(), qint64(data.size()));
    QCOMPARE(finished.at(0).at(2).toString(), QString());
    QVERIFY(!panel.isSaving());
    QVERIFY(panel.findChild<QToolButton *>(QStringLiteral("logSave"))->isEnabled());
    const QString name = QFileInfo(saved).fileName();
    QVERIFY2(QRegularExpression(
                 QStringLiteral("^my-endpoint-save-inference-server-\\d{8}-\\d{6}\\.log$"))
                 .match(name)
                 .hasMatch(),
             qPrintable(name));
    QFile file(saved);
    QVERIFY(file.open(QIODevice::ReadOnly));
    QCOMPARE(file.readAll(), data);
    QVERIFY2(
        panel.statusText().contains(QStringLiteral("saved ") + QDir::toNativeSeparators(saved)),
        qPrintable(panel.statusText()));

    // A folder that cannot be written: the error comes back, the panel can save again.
    panel.saveFile(out.filePath(QStringLiteral("missing/x.log")));
    QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 2, 10000);
    QVERIFY(finished.at(1).at(2).toString().contains(QStringLiteral("missing/x.log")));
    QVERIFY(!panel.isSaving());

    // Copy: selected lines as shown (the one that came during the save included).
    QTRY_COMPARE_WITH_TIMEOUT(panel.view()->rowCount(), 101, 5000);
    panel.view()->selectAllRows();
    panel.view()->copySelection();
    const QString copied = QApplication::clipboard()->text();
    QCOMPARE(copied.count(u'\n'), 101);
    QVERIFY(copied.trimmed().endsWith(QStringLiteral("after the click")));
}

void TestLogPanel::clearIsRememberedPerDeployment()
{
    appendTo(m_serverLog, serverLine(0, 'I', "old line").replace("2026-11-28", "2020-01-01"));
    appendTo(m_initLog, serverLine(0, 'I', "old staging").replace("2026-11-28", "2020-01-01"));
    {
        LogPanel panel;
        panel.setDeployment(deployment(QStringLiteral("clear")));
        QTRY_COMPARE_WITH_TIMEOUT(panel.store(LogPanel::Tab::InferenceServer)->lineCount(), 1,
                                  5000);
        QTRY_COMPARE_WITH_TIMEOUT(panel.store(LogPanel::Tab::StorageInitializer)->lineCount(), 1,
                                  5000);
        panel.clear(); // the inference-server tab only
        QCOMPARE(panel.view()->rowCount(), 0);
        QCOMPARE(panel.store(LogPanel::Tab::StorageInitializer)->lineCount(), 1);
    }
    // Written to the settings file, so a restarted studio hides the same lines.
    QSettings().sync();
    QFile ini(QSettings().fileName());
    QVERIFY2(ini.open(QIODevice::ReadOnly), qPrintable(ini.fileName()));
    const QByteArray settingsText = ini.readAll();
    QVERIFY2(settingsText.contains("clear") && settingsText.contains("inference-server"),
             settingsText.constData());
    QVERIFY(!settingsText.contains("storage-initializer"));

    appendTo(m_serverLog, serverLine(0, 'I', "new line").replace("2026-11-28", "2036-01-01"));
    LogPanel again;
    again.setDeployment(deployment(QStringLiteral("clear")));
    QTRY_COMPARE_WITH_TIMEOUT(again.store(LogPanel::Tab::InferenceServer)->lineCount(), 1, 5000);
    QTRY_COMPARE_WITH_TIMEOUT(again.store(LogPanel::Tab::StorageInitializer)->lineCount(), 1, 5000);
    QTest::qWait(300);
    QCOMPARE(again.store(LogPanel::Tab::InferenceServer)->lineCount(), 1);
    QVERIFY(again.view()->rowText(0).endsWith(QStringLiteral("new line")));
    // The storage-initializer's tab was not cleared: its old line is still there.
    QVERIFY(again.store(LogPanel::Tab::StorageInitializer)
                ->lineText(again.store(LogPanel::Tab::StorageInitializer)->firstLine())
                .endsWith(QStringLiteral("old staging")));
}

void TestLogPanel::capShowsDroppedLinesAndSaveKeepsThem()
{
    LogPanel panel;
    panel.resize(900, 300);
    panel.show();
    panel.setMaxLinesPerContainer(100);
    panel.setDeployment(deployment(QStringLiteral("cap")));
    QByteArray data;
    for (int i = 0; i < 300; ++i)
        data += serverLine(i, 'I', "line " + QByteArray::number(i));
    appendTo(m_serverLog, data);
    LogView *view = panel.view();
    QTRY_COMPARE_WITH_TIMEOUT(view->droppedLines(), 200, 5000);
    QCOMPARE(view->rowCount(), 100);
    QVERIFY(view->rowText(0).endsWith(QStringLiteral("line 200")));
    QVERIFY(panel.statusText().startsWith(QStringLiteral("100 lines · 200 dropped")));
    view->verticalScrollBar()->setValue(0); // the marker line shows above the oldest line
    QCOMPARE(view->firstVisibleRow(), 0);
    QTemporaryDir out;
    QSignalSpy finished(&panel, &LogPanel::saveFinished);
    const QString saved = panel.saveTo(out.path());
    QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 10000);
    QCOMPARE(finished.at(0).at(2).toString(), QString());
    QFile file(saved);
    QVERIFY(file.open(QIODevice::ReadOnly));
    QCOMPARE(file.readAll(), data);
}

void TestLogPanel::wrapShowsLongLinesOnSeveralRows()
{
    LogPanel panel;
    panel.resize(600, 300);
    panel.show();
    panel.setDeployment(deployment(QStringLiteral("wrap")));
    QByteArray data;
    for (int i = 0; i < 50; ++i)
        data += serverLine(i, 'I', QByteArray(400, 'a' + char(i % 26)));
    appendTo(m_serverLog, data);
    LogView *view = panel.view();
    QTRY_COMPARE_WITH_TIMEOUT(view->rowCount(), 50, 5000);
    const qint64 unwrappedRows = view->lastVisibleRow() - view->firstVisibleRow() + 1;
    QVERIFY(view->horizontalScrollBar()->maximum() > 0);
    buttonWithText(&panel, QStringLiteral("Wrap"))->click();
    QVERIFY(view->wrap());
    QCOMPARE(view->lastVisibleRow(), 49); // still following the end
    const qint64 wrappedRows = view->lastVisibleRow() - view->firstVisibleRow() + 1;
    QVERIFY2(wrappedRows * 4 <= unwrappedRows,
             qPrintable(QStringLiteral("%1 vs %2").arg(wrappedRows).arg(unwrappedRows)));
    QVERIFY(panel.grab().save(TestSupport::screenshotPath(QStringLiteral("logs-tab-wrap"))));
}

void TestLogPanel::garbageIsShownNotFatal()
{
    // What a broken container can print: cut escape sequences, NUL, \r, invalid UTF-8,
    // right-to-left and combining text, a 300 KB line. Painted in every mode, nothing crashes.
    LogPanel panel;
    panel.resize(700, 300);
    panel.show();
    panel.setDeployment(deployment(QStringLiteral("garbage")));
    std::mt19937 rng(11);
    const QList<QByteArray> pieces = {"\x1b[",
                                      "31m",
                                      "\x1b[0m",
                                      "\x1b[38;2;255;0;",
                                      "\x1b[1;4;7m",
                                      "\x1b]8;;http://x\x07",
                                      "\x1b[999999999m",
                                      "\r",
                                      "\t\t",
                                      QByteArray(1, '\0'),
                                      "\xff",
                                      "\xc3",
                                      "\xe2\x82",
                                      "\xf0\x9f\x98\x80",
                                      "\xd7\xa9\xd7\x9c\xd7\x95\xd7\x9d",
                                      "e\xcc\x81\xcc\x81\xcc\x81",
                                      "\xe4\xb8\xad\xe6\x96\x87",
                                      "Traceback (most recent call last):\n",
                                      "  File \"x\"\n",
                                      "ValueError: x\n",
                                      "2026-11-28 10:00:00,000 E [7] azmlinfsrv - ",
                                      "text ",
                                      "\n",
                                      "\n"};
    QByteArray data;
    for (int i = 0; i < 20000; ++i)
        data += pieces[int(rng() % unsigned(pieces.size()))];
    data += QByteArray(300000, 'w') + '\n';
    appendTo(m_serverLog, data);
    LogView *view = panel.view();
    QElapsedTimer timer;
    timer.start();
    // Everything is in when the 300 KB line, the last one, is.
    LogStore *store = panel.store(LogPanel::Tab::InferenceServer);
    QTRY_VERIFY_WITH_TIMEOUT(
        !store->isEmpty() && store->lineBytes(store->endLine() - 1).size() >= 300000, 10000);
    QTRY_COMPARE_WITH_TIMEOUT(view->rowCount(), store->lineCount(), 5000);
    qInfo("%lld rows in %lld ms", view->rowCount(), timer.elapsed());
    timer.restart();
    for (int wrap = 0; wrap < 2; ++wrap) {
        view->setWrap(wrap);
        view->setShowTimestamps(!wrap);
        for (int step = 0; step <= 8; ++step) {
            view->verticalScrollBar()->setValue(view->verticalScrollBar()->maximum() * step / 8);
            view->horizontalScrollBar()->setValue(view->horizontalScrollBar()->maximum() * step /
                                                  8);
            QVERIFY(!panel.grab().isNull());
        }
    }
    qInfo("painted 18 positions in %lld ms", timer.elapsed());

    // Control characters are painted as their symbols; copy keeps the real ones.
    appendTo(m_serverLog, QByteArray("nul[") + '\0' + "] bel[\x07] tab[\t] del[\x7f]\n");
    QTRY_VERIFY_WITH_TIMEOUT(view->rowText(view->rowCount() - 1).startsWith(u"nul["), 5000);
    QCOMPARE(view->paintedText(view->rowCount() - 1),
             QString::fromUtf8("nul[\u2400] bel[\u2407] tab[ ] del[\u2421]"));
    QCOMPARE(view->rowText(view->rowCount() - 1).mid(4, 1), QString(QChar(u'\0')));
    QLineEdit *search = panel.findChild<QLineEdit *>(QStringLiteral("logSearch"));
    search->setText(QString::fromUtf8("\xe4\xb8\xad")); // 中
    QLabel *matches = panel.findChild<QLabel *>(QStringLiteral("matchLabel"));
    QTRY_VERIFY2_WITH_TIMEOUT(matches->text().endsWith(QStringLiteral(" matches")),
                              qPrintable(matches->text()), 5000);
    view->setWrap(false);
    view->verticalScrollBar()->setValue(view->verticalScrollBar()->maximum() / 2);
    view->horizontalScrollBar()->setValue(0);
    QVERIFY(panel.grab().save(TestSupport::screenshotPath(QStringLiteral("logs-garbage"))));

    view->selectAllRows();
    view->copySelection();
    QVERIFY(QApplication::clipboard()->text().size() > 300000);
}

void TestLogPanel::screenshot()
{
    LogPanel panel;
    panel.resize(1100, 460);
    panel.show();
    panel.setDeployment(deployment(QStringLiteral("blue")));
    QByteArray data;
    data += "Azure ML Inferencing HTTP server v1.5.1\n";
    data += serverLine(0, 'I', "Starting up app insights client");
    data += serverLine(0, 'I', "Found user script at /var/azureml-app/onlinescoring/score.py");
    data += serverLine(1, 'W', "AZUREML_MODEL_DIR is not set; using /var/azureml-app");
    data += serverLine(1, 'I', "Users's init has completed successfully");
    data += serverLine(2, 'I', "Scoring timeout is set to 60000 ms");
    data += serverLine(2, 'I', "ready for serving traffic on 0.0.0.0:5001");
    for (int i = 0; i < 6; ++i)
        data += "2026-11-28 10:00:0" + QByteArray::number(3 + i) +
                ",512 I [7] azmlinfsrv.access - [req-" + QByteArray::number(4100 + i) +
                "] POST /score 200 0.52ms 12\n";
    data +=
        serverLine(9, 'E', "[req-4106] Encountered Exception Traceback (most recent call last):");
    data += "  File \"/var/azureml-app/onlinescoring/score.py\", line 21, in run\n"
            "    data = json.loads(raw_data)[\"data\"]\n"
            "KeyError: 'data'\n";
    data += "2026-11-28 10:00:09,514 I [7] azmlinfsrv.access - [req-4106] POST /score 500 "
            "1.20ms 21\n";
    data += "\x1b[32mINFO\x1b[0m:     user print with \x1b[1;35mANSI colours\x1b[0m\n";
    data += serverLine(10, 'D', "debug detail from the user script");
    data += serverLine(11, 'C', "worker crashed");
    appendTo(m_serverLog, data);
    QTRY_COMPARE_WITH_TIMEOUT(panel.view()->rowCount(), 21, 5000);
    buttonWithText(&panel, QStringLiteral("Timestamps"))->click();
    QTest::keyClicks(panel.findChild<QLineEdit *>(QStringLiteral("logSearch")),
                     QStringLiteral("req-4106"));
    QTRY_COMPARE_WITH_TIMEOUT(panel.view()->matchCount(), 2, 5000);
    panel.view()->nextMatch();
    const QString path = TestSupport::screenshotPath(QStringLiteral("logs-tab"));
    QVERIFY(panel.grab().save(path));
    QVERIFY(QFileInfo(path).size() > 10000);
}

QTEST_MAIN(TestLogPanel)
#include "test_logpanel.moc"
