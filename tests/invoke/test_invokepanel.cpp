#include "scoringserverprocess.h"
#include "tests/common/testsupport.h"
#include "widgets/invoke/invokepanel.h"
#include "widgets/invoke/latencychart.h"
#include "widgets/invoke/repeatpanel.h"
#include "widgets/invoke/requestbodyeditor.h"
#include "widgets/invoke/responseview.h"
#include "widgets/invoke/timelinechart.h"

#include <QApplication>
#include <QDialog>
#include <QDoubleSpinBox>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QListWidget>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTabWidget>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QToolButton>

#include <cmath>

// The Invoke tab, offscreen, against the real scoring server: what the user types and sees.
class TestInvokePanel : public QObject
{
    Q_OBJECT

private:
    ScoringServerProcess m_server;
    QTemporaryDir m_data;
    QTemporaryDir m_deploymentFolder;
    std::unique_ptr<InvokePanel> m_panel;

    template<typename T>
    T *child(const char *name) const
    {
        return m_panel->findChild<T *>(QString::fromLatin1(name));
    }
    QString statusText() const { return child<QLabel>("responseStatus")->text(); }

    ScoringResponse sendWithCtrlEnter(const QByteArray &body)
    {
        m_panel->setRequestBody(body);
        QSignalSpy spy(m_panel.get(), &InvokePanel::responseReceived);
        // Shortcuts go to the active window's focus widget, as for a user typing in it.
        m_panel->activateWindow();
        if (!QTest::qWaitForWindowActive(m_panel.get()))
            qWarning("the panel's window did not become active");
        m_panel->bodyEditor()->setFocus();
        QTest::keyClick(m_panel->bodyEditor(), Qt::Key_Return, Qt::ControlModifier);
        if (!spy.wait(20000)) {
            qWarning(
                "no response: status '%s', send enabled %d, focus %s", qPrintable(statusText()),
                int(m_panel->findChild<QPushButton *>(QStringLiteral("invokeSend"))->isEnabled()),
                QApplication::focusWidget() ? QApplication::focusWidget()->metaObject()->className()
                                            : "none");
            return {};
        }
        return spy.at(0).at(0).value<ScoringResponse>();
    }

private slots:
    void initTestCase()
    {
        qputenv("XDG_DATA_HOME", m_data.path().toUtf8());
        const QString error = m_server.start();
        QVERIFY2(error.isEmpty(), qPrintable(error));
        QFile sample(m_deploymentFolder.filePath(QStringLiteral("sample-request.json")));
        QVERIFY(sample.open(QIODevice::WriteOnly));
        sample.write("{\"data\": [[1, 2, 3, 4, 5, 6, 7, 8, 9, 10],\n"
                     "          [10, 9, 8, 7, 6, 5, 4, 3, 2, 1]]}\n");
        sample.close();

        m_panel = std::make_unique<InvokePanel>();
        m_panel->resize(1400, 820);
        m_panel->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_panel.get()));
        m_panel->setTarget(QStringLiteral("panel-ep"), m_server.scoreUrl().toString(),
                           QStringLiteral("blue"), m_deploymentFolder.path());
    }
    void cleanupTestCase()
    {
        m_panel.reset();
        m_server.stop();
    }

    void targetLoadsTheSampleRequest()
    {
        QCOMPARE(m_panel->sampleRequestFiles(),
                 QStringList{m_deploymentFolder.filePath(QStringLiteral("sample-request.json"))});
        QVERIFY(m_panel->bodyEditor()->text().startsWith(u"{\"data\": [[1, 2, 3"));
        const ScoringRequest r = m_panel->currentRequest();
        QCOMPARE(r.url, m_server.scoreUrl());
        QCOMPARE(r.deployment, QStringLiteral("blue"));
        QCOMPARE(r.header(QStringLiteral("Content-Type")), QStringLiteral("application/json"));
        QVERIFY(m_panel->curlSnippet().contains(u"-H 'azureml-model-deployment: blue'"));
    }

    void liveJsonValidationShowsLineAndColumn()
    {
        auto *label = child<QLabel>("invokeValidation");
        m_panel->setRequestBody("{\n  \"data\": [[1, 2,]]\n}");
        QTRY_VERIFY_WITH_TIMEOUT(label->text().contains(u"Line 2, column"), 5000);
        QVERIFY(!m_panel->bodyEditor()->validation().valid);
        QCOMPARE(m_panel->bodyEditor()->validation().line, 2);
        m_panel->setRequestBody("{\"data\": [[1, 2]]}");
        QTRY_VERIFY_WITH_TIMEOUT(label->text().contains(u"Valid JSON"), 5000);
        QVERIFY(m_panel->bodyEditor()->formatJson());
        QVERIFY(m_panel->bodyEditor()->text().contains(u"\n    \"data\": ["));
        QVERIFY(m_panel->bodyEditor()->minifyJson());
        QCOMPARE(m_panel->bodyEditor()->text(), QStringLiteral("{\"data\":[[1,2]]}"));
    }

    void ctrlEnterSendsAndShowsPrettyJson()
    {
        const ScoringResponse r = sendWithCtrlEnter(R"({"data": [[1, 2, 3], [4, 5, 6]]})");
        QCOMPARE(r.status, 200);
        QCOMPARE(statusText(), QStringLiteral("200 OK"));
        QTRY_VERIFY_WITH_TIMEOUT(m_panel->responseView()->prettyText().contains(u"\"sums\": ["),
                                 5000);
        QVERIFY(m_panel->responseView()->prettyText().contains(u"\n        6,\n        15\n"));
        QVERIFY(m_panel->responseView()->prettyShown());
        QCOMPARE(m_panel->responseView()->rawText(), QString::fromUtf8(r.body));
        QVERIFY(child<QLabel>("responseTiming")->text().contains(u"first byte"));
        QVERIFY(child<QLabel>("responseSize")->text().endsWith(u" B"));
        QVERIFY(child<QLabel>("responseIds")->text().contains(r.requestId));
        QVERIFY(m_panel->responseView()->find(QStringLiteral("label")));
        QVERIFY(!m_panel->responseView()->find(QStringLiteral("no-such-text")));
        auto *headers = child<QTableWidget>("responseHeaders");
        QVERIFY(!headers->findItems(QStringLiteral("x-ms-run-function-failed"), Qt::MatchExactly)
                     .isEmpty());
        auto *history = child<QListWidget>("invokeHistory");
        QVERIFY(history->count() >= 1);
        QVERIFY(history->item(0)->text().contains(u"POST 200"));
    }

    void assertionsPassAndFail()
    {
        m_panel->setAssertions(
            {{QStringLiteral("status"), QStringLiteral("eq"), QStringLiteral("200"), true},
             {QStringLiteral("$.sums[1]"), QStringLiteral("eq"), QStringLiteral("15"), true},
             {QStringLiteral("$.label"), QStringLiteral("eq"), QStringLiteral("\"nope\""), true}});
        QCOMPARE(sendWithCtrlEnter(R"({"data": [[1, 2, 3], [4, 5, 6]]})").status, 200);
        auto *table = child<QTableWidget>("invokeAssertions");
        QCOMPARE(table->item(0, 3)->text(), QStringLiteral("✓ pass"));
        QCOMPARE(table->item(1, 3)->text(), QStringLiteral("✓ pass"));
        QCOMPARE(table->item(2, 3)->text(),
                 QStringLiteral("✗ fail: expected \"nope\", got \"ok\""));
        QCOMPARE(child<QLabel>("invokeAssertionSummary")->text(),
                 QStringLiteral("2 passed, 1 failed"));
        QCOMPARE(sendWithCtrlEnter(R"({"fail": true})").status, 500);
        QVERIFY(table->item(0, 3)->text().startsWith(u"✗ fail: expected 200, got 500"));
        m_panel->setAssertions(
            {{QStringLiteral("status"), QStringLiteral("eq"), QStringLiteral("200"), true}});
    }

    void serverErrorSurfacesRunFailedAndLogLink()
    {
        const ScoringResponse r = sendWithCtrlEnter(R"({"fail": true})");
        QCOMPARE(r.status, 500);
        QCOMPARE(statusText(), QStringLiteral("500 Internal Server Error"));
        auto *ids = child<QLabel>("responseIds");
        QVERIFY(ids->text().contains(u"run() failed"));
        QVERIFY(ids->text().contains(u"log:" + r.requestId));
        QSignalSpy logLines(m_panel.get(), &InvokePanel::requestLogLines);
        emit ids->linkActivated(u"log:" + r.requestId);
        QCOMPARE(logLines.size(), 1);
        QCOMPARE(logLines.at(0).at(0).toString(), r.requestId);
    }

    void bigBodyShownRawWithNotice()
    {
        const ScoringResponse r = sendWithCtrlEnter(R"({"big": 6000000})");
        QCOMPARE(r.status, 200);
        auto *notice = child<QLabel>("responseNotice");
        QVERIFY(notice->isVisible());
        QVERIFY(notice->text().contains(u"shown raw"));
        QVERIFY(!m_panel->responseView()->prettyShown());
        QVERIFY(notice->text().contains(u"split for display"));
        QString raw = m_panel->responseView()->rawText();
        QCOMPARE(raw.remove(u'\n').size(), QString::fromUtf8(r.body).remove(u'\n').size());
        QVERIFY(!child<QTabWidget>("responseTabs")->isTabEnabled(0));
    }

    void cancelStopsTheRequest()
    {
        m_panel->setRequestBody(R"({"sleep": 3})");
        QSignalSpy spy(m_panel.get(), &InvokePanel::responseReceived);
        QTest::mouseClick(child<QPushButton>("invokeSend"), Qt::LeftButton);
        auto *cancel = child<QPushButton>("invokeCancel");
        QVERIFY(cancel->isEnabled());
        QVERIFY(!child<QPushButton>("invokeSend")->isEnabled());
        QTest::qWait(100);
        QTest::mouseClick(cancel, Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(spy.size(), 1, 2000); // abort() answers synchronously
        QCOMPARE(statusText(), QStringLiteral("Cancelled"));
        QVERIFY(child<QPushButton>("invokeSend")->isEnabled());
    }

    void timeoutIsShown()
    {
        m_panel->setRequestBody(R"({"sleep": 2})");
        child<QSpinBox>("invokeTimeout")->setValue(1);
        QSignalSpy spy(m_panel.get(), &InvokePanel::responseReceived);
        m_panel->send();
        QVERIFY(spy.wait(5000));
        QCOMPARE(statusText(), QStringLiteral("Timed out after 1000 ms"));
        child<QSpinBox>("invokeTimeout")->setValue(60);
    }

    void repeatRunsOnTheLoadEngine()
    {
        m_panel->setRequestBody(R"({"data": [[1, 2, 3]]})");
        LoadTargetFacts facts;
        facts.deployment = QStringLiteral("blue");
        facts.instanceType = QStringLiteral("Standard_DS3_v2");
        facts.fromYaml = true; // Azure's defaults: 1 request per instance, 1 instance
        m_panel->setDeploymentFacts(facts);
        QCOMPARE(child<QLabel>("loadLimitHint")->text(),
                 QStringLiteral("⚠ on Azure, 429 beyond 2 in flight")); // 4 connections
        child<QSpinBox>("loadCount")->setValue(300);
        QSignalSpy done(m_panel.get(), &InvokePanel::repeatFinished);
        m_panel->runRepeat();
        QVERIFY(m_panel->isBusy());
        QVERIFY(!child<QPushButton>("invokeSend")->isEnabled());
        QCOMPARE(child<QPushButton>("loadRun")->text(), QStringLiteral("Stop"));
        QVERIFY(done.wait(60000));
        const auto report = done.at(0).at(0).value<LoadReport>();
        QCOMPARE(report.sent, qint64(300));
        QCOMPARE(report.failures(), qint64(0));
        QCOMPARE(report.plan.concurrency, 4);
        QCOMPARE(report.plan.target, QStringLiteral("blue"));
        QCOMPARE(child<QPushButton>("loadRun")->text(), QStringLiteral("Run"));
        QVERIFY(child<QPushButton>("invokeSend")->isEnabled());

        const QString summary = child<QLabel>("loadSummary")->text();
        QVERIFY2(summary.startsWith(u"300 requests in "), qPrintable(summary));
        QVERIFY2(summary.contains(u"status: 300×200"), qPrintable(summary));
        const QString meaning = child<QLabel>("loadMeaning")->text();
        for (const QString &part :
             {QStringLiteral("Answered by the studio's built-in scoring server"),
              QStringLiteral("Azure answers 429 beyond 2 requests in flight"),
              QStringLiteral("This run kept up to 4 in flight"),
              QStringLiteral("Server time is run() alone"),
              QStringLiteral("not what instance_type Standard_DS3_v2 gives")})
            QVERIFY2(meaning.contains(part), qPrintable(meaning));
        auto *runs = child<QListWidget>("loadRuns");
        QCOMPARE(runs->count(), 1);
        QVERIFY(runs->item(0)->isSelected());
        const QStringList series =
            m_panel->findChild<LatencyChart *>(QStringLiteral("loadLatencyChart"))->seriesNames();
        QCOMPARE(series.size(), 2);
        QVERIFY2(series.at(0).startsWith(u"client (p50 ") &&
                     series.at(1).startsWith(u"server run()"),
                 qPrintable(series.join(u" | ")));
        QVERIFY(m_panel->findChild<TimelineChart *>(QStringLiteral("loadTimelineChart"))
                    ->seriesNames()
                    .contains(QStringLiteral("2xx/s")));
    }

    // Before and after: a second run whose run() sleeps 3 ms, overlaid on the first, with the
    // difference of each percentile; both kept on disk and exported.
    void twoRunOverlayWithPercentileDifferences()
    {
        auto *tabs = m_panel->findChild<QTabWidget *>(QStringLiteral("invokeRequestTabs"));
        tabs->setCurrentWidget(m_panel->repeatPanel());
        m_panel->setRequestBody(R"({"sleep": 0.003})");
        child<QSpinBox>("loadCount")->setValue(150);
        child<QSpinBox>("loadConcurrency")->setValue(2);
        QSignalSpy done(m_panel.get(), &InvokePanel::repeatFinished);
        m_panel->runRepeat();
        QVERIFY(done.wait(60000));
        const auto slower = done.at(0).at(0).value<LoadReport>();
        QCOMPARE(slower.succeeded, qint64(150));

        auto *runs = child<QListWidget>("loadRuns");
        QCOMPARE(runs->count(), 2);
        runs->item(0)->setSelected(true);
        runs->item(1)->setSelected(true); // the selection change shows the overlay
        auto *compare = child<QTableWidget>("loadCompare");
        QVERIFY(compare->isVisible());
        int p50Row = -1;
        for (int row = 0; row < compare->rowCount(); ++row) {
            if (compare->item(row, 0)->text() == u"p50 (ms)")
                p50Row = row;
        }
        QVERIFY(p50Row >= 0);
        const double a = compare->item(p50Row, 1)->text().toDouble();
        const double b = compare->item(p50Row, 2)->text().toDouble();
        QVERIFY2(b > a + 2.5, qPrintable(QStringLiteral("A %1 ms, B %2 ms").arg(a).arg(b)));
        QVERIFY2(compare->item(p50Row, 3)->text().startsWith(u'+'),
                 qPrintable(compare->item(p50Row, 3)->text()));
        const QStringList series =
            m_panel->findChild<LatencyChart *>(QStringLiteral("loadLatencyChart"))->seriesNames();
        QCOMPARE(series.size(), 4);
        QVERIFY2(series.at(0).startsWith(u"A client") && series.at(2).startsWith(u"B client"),
                 qPrintable(series.join(u" | ")));
        QVERIFY(child<QLabel>("loadSummary")->text().startsWith(u"A: "));

        QTest::qWait(150);
        QVERIFY(m_panel->grab().save(
            TestSupport::screenshotPath(QStringLiteral("invoke-load-overlay"))));
        child<QTabWidget>("loadViews")->setCurrentIndex(1);
        QTest::qWait(100);
        QVERIFY(m_panel->repeatPanel()->grab().save(
            TestSupport::screenshotPath(QStringLiteral("invoke-load-timeline"))));
        child<QTabWidget>("loadViews")->setCurrentIndex(0);
        tabs->setCurrentIndex(0);

        // Kept per endpoint: a fresh history reads both, histograms intact.
        LoadRunHistory kept(QStringLiteral("panel-ep"));
        QCOMPARE(kept.runs().size(), 2);
        QCOMPARE(kept.runs().at(0).id, slower.id);
        QVERIFY(kept.runs().at(0).latency == slower.latency);
        QCOMPARE(kept.runs().at(0).latencyMs(99), slower.latencyMs(99));

        QTemporaryDir dir;
        const QString csv = dir.filePath(QStringLiteral("run.csv"));
        QVERIFY(m_panel->repeatPanel()
                    ->exportRun(slower.id, LoadRunHistory::ExportFormat::PercentilesCsv, csv)
                    .ok());
        QFile csvFile(csv);
        QVERIFY(csvFile.open(QIODevice::ReadOnly));
        const QList<QByteArray> lines = csvFile.readAll().split('\n');
        QCOMPARE(lines.at(0), QByteArray("percentile,client_ms,server_ms"));
        QVERIFY2(lines.at(1).startsWith("50,"), lines.at(1).constData());
        QVERIFY(std::abs(lines.at(1).split(',').at(1).toDouble() - slower.latencyMs(50)) < 1e-4);
        const QString json = dir.filePath(QStringLiteral("run.json"));
        QVERIFY(m_panel->repeatPanel()
                    ->exportRun(slower.id, LoadRunHistory::ExportFormat::Json, json)
                    .ok());
        QFile jsonFile(json);
        QVERIFY(jsonFile.open(QIODevice::ReadOnly));
        const QJsonObject exported = QJsonDocument::fromJson(jsonFile.readAll()).object();
        QCOMPARE(exported.value(u"format").toString(),
                 QStringLiteral("endpoint-studio-load-run/1"));
        QCOMPARE(exported.value(u"answered").toInteger(), qint64(150));
        QVERIFY(LoadReport::fromJson(exported).latency == slower.latency);
        child<QSpinBox>("loadConcurrency")->setValue(4);
    }

    void findTheKneeStepsConcurrencyUp()
    {
        auto *tabs = m_panel->findChild<QTabWidget *>(QStringLiteral("invokeRequestTabs"));
        tabs->setCurrentWidget(m_panel->repeatPanel());
        m_panel->setRequestBody(R"({"data": [[1, 2, 3]]})");
        m_panel->findChild<QSpinBox *>(QStringLiteral("kneeMax"))->setValue(4);
        m_panel->findChild<QDoubleSpinBox *>(QStringLiteral("kneeSeconds"))->setValue(0.4);
        child<QTabWidget>("loadViews")->setCurrentIndex(2); // Knee
        QSignalSpy done(m_panel->repeatPanel(), &RepeatPanel::kneeFinished);
        QTest::mouseClick(child<QPushButton>("kneeRun"), Qt::LeftButton);
        QCOMPARE(child<QPushButton>("kneeRun")->text(), QStringLiteral("Stop"));
        QVERIFY(!child<QPushButton>("loadRun")->isEnabled());
        QVERIFY(done.wait(30000));
        const auto result = done.at(0).at(0).value<KneeResult>();
        QVERIFY(!result.steps.isEmpty());
        QCOMPARE(result.steps.first().plan.concurrency, 1);
        auto *table = child<QTableWidget>("kneeTable");
        QCOMPARE(table->rowCount(), int(result.steps.size()));
        QCOMPARE(table->item(0, 0)->text(), QStringLiteral("1"));
        const QString summary = child<QLabel>("kneeSummary")->text();
        QCOMPARE(summary, result.summary());
        QVERIFY2(summary.startsWith(u"Knee at concurrency ") ||
                     summary.startsWith(u"No limit broken up to concurrency 4"),
                 qPrintable(summary));
        QVERIFY(summary.contains(u"Most throughput: "));
        QVERIFY(child<QPushButton>("loadRun")->isEnabled());
        QTest::qWait(100);
        QVERIFY(m_panel->repeatPanel()->grab().save(
            TestSupport::screenshotPath(QStringLiteral("invoke-load-knee"))));
        child<QTabWidget>("loadViews")->setCurrentIndex(0);
        tabs->setCurrentIndex(0);
    }

    void historyPersistsAndReRuns()
    {
        auto *history = child<QListWidget>("invokeHistory");
        const int count = history->count();
        QVERIFY(count >= 5);
        InvokePanel fresh;
        fresh.setTarget(QStringLiteral("panel-ep"), m_server.scoreUrl().toString());
        auto *freshList = fresh.findChild<QListWidget *>(QStringLiteral("invokeHistory"));
        QCOMPARE(freshList->count(), count);
        // The newest entry is the timeout (no HTTP answer); the one before it the cancel is not
        // kept; then the big body.
        QVERIFY(freshList->item(0)->text().contains(u"POST timeout"));
        QVERIFY(freshList->item(1)->text().contains(u"POST 200"));
        QCOMPARE(fresh.history()->entries().at(1).request.body, QByteArray(R"({"big": 6000000})"));

        // Re-run the 500 entry from the history: same request, fresh response.
        int failedRow = -1;
        for (int i = 0; i < history->count() && failedRow < 0; ++i) {
            if (m_panel->history()->entries().at(i).response.status == 500)
                failedRow = i;
        }
        QVERIFY(failedRow >= 0);
        history->setCurrentRow(failedRow);
        QSignalSpy spy(m_panel.get(), &InvokePanel::responseReceived);
        QTest::mouseClick(child<QPushButton>("invokeRerun"), Qt::LeftButton);
        QVERIFY(spy.wait(20000));
        QCOMPARE(statusText(), QStringLiteral("500 Internal Server Error"));
        QCOMPARE(history->count(), count + 1);

        // Delete removes it from disk too.
        history->setCurrentRow(0);
        history->item(0)->setSelected(true);
        QTest::mouseClick(child<QPushButton>("invokeDeleteHistory"), Qt::LeftButton);
        QCOMPARE(history->count(), count);
        QCOMPARE(InvokeHistory(QStringLiteral("panel-ep")).entries().size(), count);
    }

    void compareOpensTwoResponsesSideBySide()
    {
        auto *history = child<QListWidget>("invokeHistory");
        history->clearSelection();
        history->item(1)->setSelected(true);
        history->item(2)->setSelected(true);
        QTest::mouseClick(child<QPushButton>("invokeCompare"), Qt::LeftButton);
        auto *dialog = m_panel->findChild<QDialog *>(QStringLiteral("invokeCompareDialog"));
        QVERIFY(dialog);
        QCOMPARE(dialog->findChildren<ResponseView *>().size(), 2);
        dialog->close();
    }

    void binaryBodyShownAsHexAndSaved()
    {
        const ScoringResponse r = sendWithCtrlEnter(R"({"binary": 400})");
        QCOMPARE(r.status, 200);
        QCOMPARE(r.body.size(), 256 * 400);
        auto *notice = child<QLabel>("responseNotice");
        QVERIFY(notice->isVisible());
        QVERIFY2(notice->text().startsWith(u"Binary body (image/png, 100.0 KB): shown as a hex "
                                           u"dump of the first 64.0 KB."),
                 qPrintable(notice->text()));
        QVERIFY(!child<QTabWidget>("responseTabs")->isTabEnabled(0));
        const QString dump = m_panel->responseView()->rawText();
        QVERIFY2(dump.startsWith(QStringLiteral("00000000  00 01 02 03 04 05 06 07  08 09 0a 0b "
                                                "0c 0d 0e 0f  ................\n"
                                                "00000010  10 11")),
                 qPrintable(dump.left(200)));
        QVERIFY(dump.contains(QStringLiteral("00000040  40 41 42 43 44 45 46 47  48 49 4a 4b 4c 4d "
                                             "4e 4f  @ABCDEFGHIJKLMNO")));
        QCOMPARE(dump.count(u'\n'), int(ResponseView::BinaryDumpLimit / 16));
        // Save body writes the bytes, not the dump.
        QVERIFY(child<QToolButton>("responseSaveBody")->isEnabled());
        QVERIFY(m_panel->responseView()->suggestedBodyFileName().endsWith(u".png"));
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("body.png"));
        const Result<qint64> saved = m_panel->responseView()->saveBody(path);
        QVERIFY(saved.ok());
        QFile file(path);
        QVERIFY(file.open(QIODevice::ReadOnly));
        QVERIFY(file.readAll() == r.body);
        QTest::qWait(50);
        QVERIFY2(notice->isVisible(), qPrintable(notice->text()));
        QVERIFY(m_panel->grab().save(TestSupport::screenshotPath(QStringLiteral("invoke-binary"))));

        // Text that happens to be JSON is not binary; bytes that are not UTF-8 are.
        QVERIFY(!ResponseView::isBinary(R"({"a": "é"})", QStringLiteral("application/json")));
        QVERIFY(!ResponseView::isBinary("plain words", QString()));
        QVERIFY(ResponseView::isBinary("\x89PNG\r\n\x1a\n\xff\xfe", QString()));
        QVERIFY(ResponseView::isBinary("abc", QStringLiteral("application/octet-stream")));
    }

    void screenshot()
    {
        child<QSpinBox>("invokeTimeout")->setValue(60);
        m_panel->setAssertions(
            {{QStringLiteral("status"), QStringLiteral("eq"), QStringLiteral("200"), true},
             {QStringLiteral("$.sums[0]"), QStringLiteral("eq"), QStringLiteral("55"), true}});
        QFile sample(m_deploymentFolder.filePath(QStringLiteral("sample-request.json")));
        QVERIFY(sample.open(QIODevice::ReadOnly));
        QCOMPARE(sendWithCtrlEnter(sample.readAll()).status, 200);
        QTRY_VERIFY_WITH_TIMEOUT(m_panel->responseView()->prettyText().contains(u"\"sums\""), 5000);
        auto *tabs = m_panel->findChild<QTabWidget *>(QStringLiteral("invokeRequestTabs"));
        tabs->setCurrentIndex(4); // Repeat, with the chart from the run above
        QTest::qWait(100);
        const QString path = TestSupport::screenshotPath(QStringLiteral("invoke-tab"));
        QVERIFY(m_panel->grab().save(path));
        tabs->setCurrentIndex(0);
        QTest::qWait(50);
        QVERIFY(
            m_panel->grab().save(TestSupport::screenshotPath(QStringLiteral("invoke-tab-body"))));
    }
};

QTEST_MAIN(TestInvokePanel)
#include "test_invokepanel.moc"
