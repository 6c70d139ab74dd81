#pragma once

#include "app/runtime/deploymentinfo.h"

#include <QWidget>

class QLabel;
class QPlainTextEdit;
class QPushButton;
class QStackedWidget;
class QTableWidget;
class QFrame;
class QFormLayout;
class StatusBadge;
class UsageChart;
class UsageSampler;

// The Status tab: provisioning state and its timeline, the failure reason with a way to the log
// that explains it, the scoring URI with a copy button, image, containers, ports, the
// environment passed to the server, where the model and code were copied from (resolved: a
// relative path may lead out of the workspace), the server's effective settings (which server,
// workers, timeouts, limits, restarts) and its live CPU and memory.
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
    // "built-in" | "azmlinfsrv" | …, and the settings block as text (tests, copy).
    QString serverText() const;
    QString settingsText() const;
    UsageChart *usageChart() const { return m_usage; }

signals:
    // The user wants the log of this container role ("inference-server", …).
    void showLogRequested(const QString &role);

protected:
    void showEvent(QShowEvent *event) override;
    void hideEvent(QHideEvent *event) override;

private:
    void updateSettings(const DeploymentInfo &info);
    void updateSampling();

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
    QLabel *m_sources;
    QTableWidget *m_timeline;
    QTableWidget *m_containers;
    QTableWidget *m_environment;
    QLabel *m_server;
    QLabel *m_serverNote;
    QFormLayout *m_settingsForm;
    QLabel *m_workers;
    QLabel *m_timeouts;
    QLabel *m_liveness;
    QLabel *m_instanceType;
    QLabel *m_limits;
    QLabel *m_notes;
    QLabel *m_restarts;
    UsageChart *m_usage;
    UsageSampler *m_sampler;
    DeploymentInfo m_info;
};
