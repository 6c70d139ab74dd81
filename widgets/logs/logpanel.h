#pragma once

#include "models/result.h"

#include <QString>
#include <QWidget>

struct DeploymentInfo;
class LogFollower;
class LogMerge;
class LogStore;
class LogView;
class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QTabBar;
class QToolButton;

// The "Logs" tab of the deployment panel: the storage-initializer's and the inference
// server's output (and both merged by time), followed live, searchable and filterable.
class LogPanel : public QWidget
{
    Q_OBJECT
public:
    enum class Tab { InferenceServer, StorageInitializer, Merged };

    explicit LogPanel(QWidget *parent = nullptr);
    ~LogPanel() override;

    // Starts following both containers (Docker) or log files (process runtime). Calling it
    // again for the same deployment and containers keeps the streams.
    void setDeployment(const DeploymentInfo &info);
    // Follow arbitrary sources (tests, logs of something that is not a deployment).
    void followProcess(Tab tab, const QString &program, const QStringList &args);
    void followFile(Tab tab, const QString &path);
    void stopFollowing();

    // Empties the current tab's logs (merged: both); remembered per deployment and container
    // in the settings: reopening the deployment, also after a restart, shows only lines that
    // came after the clear.
    void clear();
    // Shows the inference-server line with this request id (the invoke panel's link).
    void revealRequestId(const QString &requestId);

    // Memory bound per container (LogStore::DefaultMaxLines); older lines are dropped from
    // view with a marker, and Save still writes them.
    void setMaxLinesPerContainer(qint64 lines);

    void setCurrentTab(Tab tab);
    Tab currentTab() const;
    LogView *view() const { return m_view; }
    LogStore *store(Tab tab) const; // nullptr for Merged
    QString statusText() const;     // "12,345 lines · 0 dropped · following …"

    // Saves the current tab's full log (merged: as shown, each line tagged with its
    // container) on a worker thread, from a snapshot taken now; following goes on meanwhile.
    // saveFinished() reports the outcome. saveTo() picks a timestamped name in `folder` and
    // returns the file's path.
    QString saveTo(const QString &folder);
    void saveFile(const QString &path);
    bool isSaving() const { return m_saving; }
    QString suggestedFileName() const; // <deployment>-<tab>-yyyyMMdd-HHmmss.log

signals:
    // `error` is empty when the file was written.
    void saveFinished(const QString &path, qint64 bytes, const QString &error);

private:
    void applyQuery();
    void updateStatus();
    void updateMatchLabel();
    void saveInteractively();
    void followContainer(Tab tab, const QString &cli, const QString &container);
    qint64 clearedAt(const QString &role) const; // ms since epoch, -1 when never cleared

    LogStore *m_server;
    LogStore *m_initializer;
    LogFollower *m_serverFollower;
    LogFollower *m_initializerFollower;
    LogMerge *m_merge;
    LogView *m_view;
    QTabBar *m_tabs;
    QLineEdit *m_search;
    QToolButton *m_case;
    QToolButton *m_word;
    QToolButton *m_regex;
    QToolButton *m_invert;
    QToolButton *m_onlyMatching;
    QComboBox *m_levels;
    QComboBox *m_since;
    QLabel *m_matchLabel;
    QToolButton *m_follow;
    QToolButton *m_jumpToLatest;
    QToolButton *m_timestamps;
    QToolButton *m_wrap;
    QLabel *m_status;
    QToolButton *m_save;
    bool m_saving = false;
    bool m_interactiveSave = false;
    QString m_saveNote; // "saved …" shown in the status line for a while
    QString m_deploymentKey;
    QString m_deploymentName;
    QString m_streamsKey; // what is followed; unchanged → keep streaming
};
