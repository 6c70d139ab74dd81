#pragma once

#include "models/diagnostic.h"

#include <Qsci/qsciscintilla.h>

#include <QFutureWatcher>
#include <QPair>
#include <QTimer>

class YamlCompletion;
class YamlFileLinks;

// The YAML editor of the studio: QScintilla with the YAML lexer, line numbers, folding,
// current-line highlight, indent guides and brace matching, plus attached behaviours:
// diagnostics (squiggles under the exact byte span, a margin marker per severity, the message on
// hover), key completion and hover help from the schema (YamlCompletion), and Ctrl+click file
// links for model.path / code / scoring_script / conda_file / build.path (YamlFileLinks).
// Optionally validates itself as the user types (debounced, on a worker thread).
class YamlEditor : public QsciScintilla
{
    Q_OBJECT
public:
    // Indicator and marker numbers (Scintilla reserves 0..7 for lexers).
    static constexpr int ErrorIndicator = 8;
    static constexpr int WarningIndicator = 9;
    static constexpr int InfoIndicator = 10;
    static constexpr int FileLinkIndicator = 11;
    static constexpr int ErrorMarker = 8;
    static constexpr int WarningMarker = 9;
    static constexpr int InfoMarker = 10;
    static constexpr int validationDebounceMs = 250;

    explicit YamlEditor(QWidget *parent = nullptr);
    ~YamlEditor() override;

    // The file the text belongs to: file links resolve against its folder, validation uses it.
    void setFilePath(const QString &path);
    QString filePath() const { return m_filePath; }

    // The whole document as UTF-8 bytes (what SourceLocation offsets count).
    QByteArray utf8Text() const;
    // Replaces the text with `text` by editing only the range that differs, as one undo action,
    // so undo restores exactly the previous text. Returns false when nothing changed.
    bool applyText(const QByteArray &text);
    // The same for any QScintilla editor (the inspector form edits through these).
    static QByteArray utf8Text(const QsciScintilla *editor);
    static bool applyText(QsciScintilla *editor, const QByteArray &text);

    // Squiggles, margin markers and hover messages for these diagnostics (this file's).
    void setDiagnostics(const Diagnostics &diagnostics);
    Diagnostics diagnostics() const { return m_diagnostics; }
    // Byte ranges [start, start+length) painted with an indicator, in document order.
    QList<QPair<int, int>> indicatorRanges(int indicator) const;
    // 1-based lines carrying a marker of the given severity.
    QList<int> markedLines(Severity severity) const;
    QList<int> markedLines() const; // any severity

    // Text of the tooltip shown when the mouse rests at a byte position: the diagnostics
    // covering it, the help of the key under it, the target of a file link. Empty: no tooltip.
    QString hoverText(int position) const;

    // Validation as the user types with the models' Validator (off the UI thread).
    void setValidationEnabled(bool enabled);
    bool validationEnabled() const { return m_validationEnabled; }
    bool isValidating() const { return m_debounce.isActive() || m_watcher.isRunning(); }
    void validateNow();

    // Completion candidates at a byte position (keys valid at the cursor's path, or enum values
    // after `key: `) and showing them as a list at the cursor (also on Ctrl+Space).
    QStringList completionsAt(int position) const;
    void showCompletions();

    // Absolute path of the file link under a byte position, empty when there is none; opening
    // one emits fileLinkActivated.
    QString fileLinkAt(int position) const;
    bool activateFileLinkAt(int position);

    void goTo(int line, int column); // 1-based; selects nothing, scrolls into view

signals:
    void diagnosticsChanged(const Diagnostics &diagnostics);
    void fileLinkActivated(const QString &absolutePath);

protected:
    void keyPressEvent(QKeyEvent *event) override;
    void changeEvent(QEvent *event) override;

private:
    void applyPalette();
    void clearIndicator(int indicator);
    void showHover(int position, int x, int y);
    void startValidation();

    QString m_filePath;
    Diagnostics m_diagnostics;
    YamlCompletion *m_completion;
    YamlFileLinks *m_fileLinks;
    bool m_validationEnabled = false;
    QTimer m_debounce;
    QFutureWatcher<Diagnostics> m_watcher;
    quint64 m_generation = 0;
    quint64 m_runningGeneration = 0;
};
