#pragma once

#include "models/diagnostic.h"
#include "models/result.h"
#include "ui/editorfactory.h"
#include "widgets/editor/yamleditor.h"

#include <QWidget>

class QLabel;
class QFrame;
struct WorkspaceSnapshot;

// One open YAML file: the editor and its add-ons, its saved state, validation with the
// workspace's cross-file facts as the user types (debounced, on a worker thread, by the
// editor's YamlValidation) and a bar that offers to reload when the file changes on disk under
// unsaved edits.
class EditorDocument : public QWidget
{
    Q_OBJECT
public:
    explicit EditorDocument(const QString &path, QWidget *parent = nullptr);

    Result<bool> load();
    Result<bool> save();

    QString filePath() const { return m_path; }
    QString displayName() const;
    bool isModified() const;
    QByteArray text() const; // the editor's text, as it would be saved
    YamlEditor *editor() const { return m_parts.editor; }
    // Squiggles, margin markers and hover messages of this file's diagnostics.
    YamlValidation *validation() const { return m_parts.validation; }
    Diagnostics diagnostics() const;
    bool hasErrors() const { return ::hasErrors(diagnostics()); }
    bool isValidating() const;
    bool reloadBarVisible() const;

    // The window's file watcher saw a change: reload silently when there are no local edits,
    // otherwise offer a reload.
    void fileChangedOnDisk();
    void goTo(int line, int column);
    void validateNow();
    // Cross-file facts for validation (endpoint names, deployments); revalidates.
    void setWorkspace(const WorkspaceSnapshot &workspace);

signals:
    void modificationChanged(bool modified);
    void diagnosticsChanged(const QString &path, const Diagnostics &diagnostics);
    void saved(const QString &path);
    void fileLinkActivated(const QString &path);

private:
    void setText(const QByteArray &text);

    QString m_path;
    EditorFactory::YamlEditorParts m_parts;
    QFrame *m_reloadBar;
    QLabel *m_reloadLabel;
    QByteArray m_diskText;
};
