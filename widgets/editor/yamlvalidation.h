#pragma once

#include "models/diagnostic.h"
#include "widgets/editor/editordecorator.h"

#include <QFutureWatcher>
#include <QTimer>

#include <functional>

// Diagnostics on a YamlEditor: a squiggle under each exact byte span, a margin marker per
// severity, the messages on hover. Optionally validates as the user types (debounced, on a
// worker thread) with the validator its owner chooses; by default the file alone
// (EditorModel::validate).
class YamlValidation : public EditorDecorator
{
    Q_OBJECT
public:
    // Indicator and marker numbers of this add-on (Scintilla reserves 0..7 for lexers).
    static constexpr int ErrorIndicator = 8;
    static constexpr int WarningIndicator = 9;
    static constexpr int InfoIndicator = 10;
    static constexpr int ErrorMarker = 8;
    static constexpr int WarningMarker = 9;
    static constexpr int InfoMarker = 10;
    static constexpr int debounceMs = 250;

    // Runs on a worker thread: it must not touch the editor.
    using Validator = std::function<Diagnostics(const QString &path, const QByteArray &text)>;

    explicit YamlValidation(YamlEditor *editor);
    ~YamlValidation() override;

    // Squiggles, margin markers and hover messages for these diagnostics (this file's).
    void setDiagnostics(const Diagnostics &diagnostics);
    Diagnostics diagnostics() const { return m_diagnostics; }
    // 1-based lines carrying a marker of the given severity.
    QList<int> markedLines(Severity severity) const;
    QList<int> markedLines() const; // any severity

    // A run in flight with the previous validator is dropped; validates again when enabled.
    void setValidator(Validator validator);
    void setValidationEnabled(bool enabled);
    bool validationEnabled() const { return m_enabled; }
    bool isValidating() const { return m_debounce.isActive() || m_watcher.isRunning(); }
    void validateNow();

    // The diagnostics covering a byte position / on a 0-based line.
    QString hoverText(int position) const override;
    QString marginHoverText(int line) const override;

signals:
    // A validation of the current text finished (not sent by setDiagnostics).
    void diagnosticsChanged(const Diagnostics &diagnostics);

private:
    void clearIndicator(int indicator);
    void paint(const Diagnostic &diagnostic, const QByteArray &text);
    QList<int> linesWithMarkers(int mask) const;
    void startValidation();

    Diagnostics m_diagnostics;
    Validator m_validator;
    bool m_enabled = false;
    QTimer m_debounce;
    QFutureWatcher<Diagnostics> m_watcher;
    quint64 m_generation = 0;
    quint64 m_runningGeneration = 0;
};
