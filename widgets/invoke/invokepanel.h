#pragma once

#include "app/invoke/invokehistory.h"
#include "app/invoke/loadreport.h"
#include "app/invoke/loadtargetfacts.h"
#include "app/invoke/responseassertion.h"
#include "app/invoke/scoringclient.h"

#include <QWidget>

#include <memory>

class QComboBox;
class QLabel;
class QLineEdit;
class QListWidget;
class QPushButton;
class QSpinBox;
class QTableWidget;
class RepeatPanel;
class RequestBodyEditor;
class ResponseView;

// The "Invoke" tab of the deployment panel: edit a request, send it to the endpoint (or one
// deployment), read the answer, keep request+response in a per-endpoint history, copy it as
// curl or Python, check assertions, and load-test it (the Repeat tab, RepeatPanel). All
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
    // Azure's limits of the selected deployment, for what the Repeat tab's figures mean.
    void setDeploymentFacts(const LoadTargetFacts &facts);

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
    RepeatPanel *repeatPanel() const { return m_repeat; }
    InvokeHistory *history() const { return m_history.get(); }

signals:
    void requestLogLines(const QString &requestId);
    void responseReceived(const ScoringResponse &response);
    void repeatFinished(const LoadReport &report);

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
    RepeatPanel *m_repeat;
    ResponseView *m_response;
    QListWidget *m_historyList;
};
