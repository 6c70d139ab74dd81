#pragma once

#include "app/invoke/scoringresponse.h"
#include "models/result.h"

#include <QFutureWatcher>
#include <QWidget>

class QLabel;
class QLineEdit;
class QTabWidget;
class QTableWidget;
class QToolButton;
class QsciScintilla;

// The response half of the invoke panel: status, time breakdown, size, request id and the
// run-function-failed flag; the body pretty-printed (folding JSON), raw, or as text; headers;
// find in body. Pretty-printing runs off the UI thread; bodies over 5 MB are shown raw only.
class ResponseView : public QWidget
{
    Q_OBJECT
public:
    static constexpr qsizetype PrettyLimit = 5 * 1024 * 1024;
    static constexpr qsizetype BinaryDumpLimit = 64 * 1024;

    explicit ResponseView(QWidget *parent = nullptr);

    void setResponse(const ScoringResponse &response);
    void setPending(const QString &message); // "Sending…"
    void clear();
    const ScoringResponse &response() const { return m_response; }

    // Find in the visible body view; wraps around. False when there is no match.
    bool find(const QString &text, bool forward = true);
    QString prettyText() const;
    QString rawText() const;
    bool prettyShown() const; // the pretty tab is the current one

    static QString formatSize(qint64 bytes);
    // Bodies shown as a hex dump: a binary Content-Type, or bytes that are not text.
    static bool isBinary(const QByteArray &body, const QString &contentType);
    // Writes the body byte for byte ("Save body…").
    Result<qint64> saveBody(const QString &path) const;
    QString suggestedBodyFileName() const; // response-yyyyMMdd-HHmmss.<ext from the type>

signals:
    void requestLogLines(const QString &requestId);

private:
    void showPretty(const QString &text, quint64 serial);

    ScoringResponse m_response;
    QLabel *m_status;
    QLabel *m_timing;
    QLabel *m_size;
    QLabel *m_ids;
    QLabel *m_notice;
    QTabWidget *m_tabs;
    QsciScintilla *m_pretty;
    QsciScintilla *m_raw;
    QTableWidget *m_headers;
    QLineEdit *m_find;
    QToolButton *m_saveBody;
    QFutureWatcher<QString> m_prettyWatcher;
    quint64 m_shownSerial = 0;
};
