#pragma once

#include "app/runtime/deploymentinfo.h"

#include <QWidget>

class QLabel;
class QPlainTextEdit;
class QPushButton;
class QStackedWidget;
class QTableWidget;
class QFrame;
class StatusBadge;

// The Status tab: provisioning state and its timeline, the failure reason with a way to the log
// that explains it, the scoring URI with a copy button, image, containers, ports and the
// environment passed to the server.
class DeploymentStatusPage : public QWidget
{
    Q_OBJECT
public:
    explicit DeploymentStatusPage(QWidget *parent = nullptr);

    void setDeployment(const DeploymentInfo &info);
    // A deployment from the folder that is not deployed yet.
    void setUndeployed(const QString &endpoint, const QString &deployment);
    void clear();
    void setProgressMessage(const QString &message);

    const DeploymentInfo &deployment() const { return m_info; }
    QString scoringUriText() const;
    QString failureText() const;
    QString stateText() const;

signals:
    // The user wants the log of this container role ("inference-server", …).
    void showLogRequested(const QString &role);

private:
    QStackedWidget *m_stack;
    QLabel *m_empty;
    QLabel *m_title;
    StatusBadge *m_badge;
    QLabel *m_runtime;
    QLabel *m_progress;
    QFrame *m_failureBox;
    QLabel *m_failureSummary;
    QPlainTextEdit *m_failure;
    QPushButton *m_failureLog;
    QLabel *m_scoringUri;
    QPushButton *m_copyUri;
    QLabel *m_image;
    QLabel *m_ports;
    QTableWidget *m_timeline;
    QTableWidget *m_containers;
    QTableWidget *m_environment;
    DeploymentInfo m_info;
};
