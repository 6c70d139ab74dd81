#pragma once

#include <Qsci/qsciscintilla.h>

#include <QFutureWatcher>
#include <QTimer>

// The request body editor of the invoke panel: JSON highlighting and live validation. The
// text is parsed off the UI thread after a short pause in typing; the first error is marked
// in the text and reported as line:col.
class RequestBodyEditor : public QsciScintilla
{
    Q_OBJECT
public:
    struct Validation
    {
        bool empty = true;
        bool valid = true;
        int line = 0;    // 1-based, when !valid
        int column = 0;  // 1-based, when !valid
        QString message; // "Line 3, column 14: missing value separator"
    };

    explicit RequestBodyEditor(QWidget *parent = nullptr);

    QByteArray body() const { return text().toUtf8(); }
    void setBody(const QByteArray &body);

    // Reformat in place as one undoable edit; false (text untouched) when it is not JSON.
    bool formatJson();
    bool minifyJson();

    const Validation &validation() const { return m_validation; }
    static Validation validate(const QByteArray &text); // thread-safe

signals:
    void validationChanged(const RequestBodyEditor::Validation &validation);

private:
    void scheduleValidation();
    void startValidation();
    void applyValidation(const Validation &v, quint64 generation);
    bool replaceJson(bool indented);

    QTimer m_debounce;
    QFutureWatcher<Validation> m_watcher;
    Validation m_validation;
    quint64 m_generation = 0;
    quint64 m_runningGeneration = 0;
    bool m_pending = false;
    int m_errorIndicator = 0;
};
