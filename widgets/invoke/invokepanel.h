#pragma once

#include "app/invoke/invokehistory.h"
#include "app/invoke/loadrunner.h"
#include "app/invoke/responseassertion.h"
#include "app/invoke/scoringclient.h"

#include <QWidget>

#include <memory>

class LatencyChart;
class QComboBox;
class QLabel;
class QLineEdit;
class QListWidget;
class QPushButton;
class QSpinBox;
class QDoubleSpinBox;
class QTableWidget;
class RequestBodyEditor;
class ResponseView;

// The "Invoke" tab of the deployment panel: edit a request, send it to the endpoint (or one
// deployment), read the answer, keep request+response in a per-endpoint history, copy it as
// curl or Python, check assertions, and run it repeatedly for a latency histogram. All
// network work is asynchronous; the UI never waits.
class InvokePanel : public QWidget
{
    Q_OBJECT
public:
    explicit InvokePanel(QWidget *parent = nullptr);
    ~InvokePanel() override;

    // `deployment` empty: the endpoint's traffic rules decide; otherwise the target combo
    // offers that deployment (azureml-model-deployment). `deploymentFolder` is searched for
    // sample-request.json files.
    void setTarget(const QString &endpoint, const QString &scoringUri,
                   const QString &deployment = {}, const QString &deploymentFolder = {});

    ScoringRequest currentRequest() const;
    void loadRequest(const ScoringRequest &request); // fills the editors (history, templates)
    void setRequestBody(const QByteArray &body);
    QList<ResponseAssertion> assertions() const;
    void setAssertions(const QList<ResponseAssertion> &assertions);

    void send();
    void cancel();
    void runRepeat();
    bool isBusy() const;

    QString curlSnippet() const;
    QString pythonSnippet() const;
    QStringList sampleRequestFiles() const;

    RequestBodyEditor *bodyEditor() const { return m_body; }
    ResponseView *responseView() const { return m_response; }
    InvokeHistory *history() const { return m_history.get(); }

signals:
    void requestLogLines(const QString &requestId);
    void responseReceived(const ScoringResponse &response);
    void repeatFinished(const LoadRunResult &result);

private:
    QWidget *buildRequestTabs();
    QWidget *buildHistory();
    void onFinished(const ScoringResponse &response);
    void showAssertionOutcomes(const ScoringResponse &response);
    void refreshHistory();
    void refreshTemplates();
    void updateBusy();
    void loadFromFile(const QString &path);
    void compareSelected();
    void setHeaders(const HttpHeaderList &headers);

    ScoringClient m_client;
    LoadRunner m_runner;
    std::unique_ptr<InvokeHistory> m_history;
    ScoringRequest m_inFlightRequest;
    quint64 m_inFlight = 0;
    QString m_endpoint;
    QString m_deploymentFolder;

    QComboBox *m_target;
    QComboBox *m_method;
    QLineEdit *m_url;
    QSpinBox *m_timeout;
    QPushButton *m_send;
    QPushButton *m_cancel;
    RequestBodyEditor *m_body;
    QLabel *m_validation;
    QPushButton *m_templates;
    QTableWidget *m_headers;
    QComboBox *m_auth;
    QLineEdit *m_token;
    QTableWidget *m_assertions;
    QLabel *m_assertionSummary;
    QSpinBox *m_repeatCount;
    QDoubleSpinBox *m_repeatSeconds;
    QSpinBox *m_concurrency;
    QPushButton *m_repeatRun;
    QLabel *m_repeatSummary;
    LatencyChart *m_chart;
    ResponseView *m_response;
    QListWidget *m_historyList;
};
