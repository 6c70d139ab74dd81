#include "widgets/invoke/requestbodyeditor.h"

#include <Qsci/qscilexerjson.h>

#include <QFontDatabase>
#include <QJsonArray>
#include <QJsonDocument>
#include <QtConcurrent/QtConcurrentRun>

RequestBodyEditor::RequestBodyEditor(QWidget *parent)
    : QsciScintilla(parent)
{
    auto *lexer = new QsciLexerJSON(this);
    const QFont mono = QFontDatabase::systemFont(QFontDatabase::FixedFont);
    lexer->setDefaultFont(mono);
    lexer->setFont(mono);
    setLexer(lexer);
    setUtf8(true);
    setMarginType(0, QsciScintilla::NumberMargin);
    setMarginWidth(0, QStringLiteral("00000"));
    setFolding(QsciScintilla::BoxedTreeFoldStyle);
    setBraceMatching(QsciScintilla::SloppyBraceMatch);
    setAutoIndent(true);
    setIndentationsUseTabs(false);
    setIndentationWidth(2);
    setTabWidth(2);

    m_errorIndicator = indicatorDefine(QsciScintilla::SquiggleIndicator);
    setIndicatorForegroundColor(QColor(0xd0, 0x30, 0x30), m_errorIndicator);

    m_debounce.setSingleShot(true);
    m_debounce.setInterval(200);
    connect(&m_debounce, &QTimer::timeout, this, &RequestBodyEditor::startValidation);
    connect(this, &QsciScintilla::textChanged, this, &RequestBodyEditor::scheduleValidation);
    connect(&m_watcher, &QFutureWatcher<Validation>::finished, this, [this] {
        applyValidation(m_watcher.result(), m_runningGeneration);
        if (m_pending) {
            m_pending = false;
            startValidation();
        }
    });
}

void RequestBodyEditor::setBody(const QByteArray &body)
{
    setText(QString::fromUtf8(body));
}

RequestBodyEditor::Validation RequestBodyEditor::validate(const QByteArray &text)
{
    Validation v;
    v.empty = text.trimmed().isEmpty();
    if (v.empty)
        return v;
    QJsonParseError err{};
    // Wrapped so that a scalar body (`"text"`, `42`) is valid JSON too.
    QByteArray wrapped;
    wrapped.reserve(text.size() + 2);
    wrapped.append('[').append(text).append(']');
    QJsonDocument::fromJson(wrapped, &err);
    if (err.error == QJsonParseError::NoError) {
        // `1, 2` parses inside the brackets but is not one JSON value.
        const QJsonDocument doc = QJsonDocument::fromJson(wrapped);
        if (doc.array().size() == 1)
            return v;
        err.error = QJsonParseError::GarbageAtEnd;
        err.offset = int(text.indexOf(',')) + 1;
    }
    v.valid = false;
    // The offset counts UTF-8 bytes of the wrapped text; lines and columns count characters.
    const qsizetype offset = std::clamp<qsizetype>(err.offset - 1, 0, text.size());
    const QByteArray before = text.left(offset);
    v.line = int(before.count('\n')) + 1;
    const qsizetype lineStart = before.lastIndexOf('\n') + 1;
    v.column = int(QString::fromUtf8(before.mid(lineStart)).size()) + 1;
    v.message =
        QStringLiteral("Line %1, column %2: %3").arg(v.line).arg(v.column).arg(err.errorString());
    return v;
}

void RequestBodyEditor::scheduleValidation()
{
    ++m_generation;
    m_debounce.start();
}

void RequestBodyEditor::startValidation()
{
    if (m_watcher.isRunning()) {
        m_pending = true;
        return;
    }
    m_runningGeneration = m_generation;
    m_watcher.setFuture(QtConcurrent::run(&RequestBodyEditor::validate, body()));
}

void RequestBodyEditor::applyValidation(const Validation &v, quint64 generation)
{
    if (generation != m_generation)
        return; // the text changed meanwhile; a newer run follows
    m_validation = v;
    clearIndicatorRange(0, 0, lines(), 0, m_errorIndicator);
    if (!v.valid) {
        const int line = v.line - 1;
        const int col = std::max(0, v.column - 1);
        const int end = std::max(col + 1, int(text(line).size()));
        fillIndicatorRange(line, col, line, end, m_errorIndicator);
    }
    emit validationChanged(v);
}

bool RequestBodyEditor::replaceJson(bool indented)
{
    const QJsonDocument doc = QJsonDocument::fromJson(body());
    if (doc.isNull())
        return false;
    QByteArray out = doc.toJson(indented ? QJsonDocument::Indented : QJsonDocument::Compact);
    if (indented && out.endsWith('\n'))
        out.chop(1);
    beginUndoAction();
    selectAll();
    replaceSelectedText(QString::fromUtf8(out));
    endUndoAction();
    return true;
}

bool RequestBodyEditor::formatJson()
{
    return replaceJson(true);
}

bool RequestBodyEditor::minifyJson()
{
    return replaceJson(false);
}
