#pragma once

#include "models/diagnostic.h"
#include "models/result.h"
#include "models/workspacesnapshot.h"

#include <QFutureWatcher>
#include <QTimer>
#include <QWidget>

class QLabel;
class QFrame;
class QsciScintilla;

// One open YAML file: the editor, its saved state, validation as the user types (debounced, on a
// worker thread) and a bar that offers to reload when the file changes on disk under unsaved edits.
class EditorDocument : public QWidget
{
    Q_OBJECT
public:
    explicit EditorDocument(const QString &path, QWidget *parent = nullptr);
    ~EditorDocument() override;

    Result<bool> load();
    Result<bool> save();

    QString filePath() const { return m_path; }
    QString displayName() const;
    bool isModified() const;
    QsciScintilla *editor() const { return m_editor; }
    Diagnostics diagnostics() const { return m_diagnostics; }
    bool hasErrors() const { return ::hasErrors(m_diagnostics); }
    bool isValidating() const { return m_debounce.isActive() || m_watcher.isRunning(); }
    bool reloadBarVisible() const;

    // The window's file watcher saw a change: reload silently when there are no local edits,
    // otherwise offer a reload.
    void fileChangedOnDisk();
    void goTo(int line, int column);
    void validateNow();
    // Cross-file facts for validation (endpoint names, deployments); revalidates.
    void setWorkspace(const WorkspaceSnapshot &workspace);

    static constexpr int debounceMs = 250;

signals:
    void modificationChanged(bool modified);
    void diagnosticsChanged(const QString &path, const Diagnostics &diagnostics);
    void saved(const QString &path);
    void fileLinkActivated(const QString &path);

private:
    void startValidation();
    void setText(const QByteArray &text);

    QString m_path;
    QsciScintilla *m_editor;
    QFrame *m_reloadBar;
    QLabel *m_reloadLabel;
    QByteArray m_diskText;
    QTimer m_debounce;
    QFutureWatcher<Diagnostics> m_watcher;
    quint64 m_generation = 0;
    quint64 m_runningGeneration = 0;
    bool m_rerun = false;
    Diagnostics m_diagnostics;
    WorkspaceSnapshot m_workspace;
};
