#include "ui/editorfactory.h"

#include "widgets/editor/yamleditor.h"

#include <Qsci/qscilexeryaml.h>
#include <Qsci/qsciscintilla.h>

#include <QApplication>
#include <QFontDatabase>
#include <QPalette>

namespace {

constexpr int ErrorMarker = 8;
constexpr int WarningMarker = 9;
constexpr int ErrorIndicator = 8;
constexpr int WarningIndicator = 9;

} // namespace

QsciScintilla *EditorFactory::createYamlEditor(QWidget *parent)
{
    return new YamlEditor(parent);
}

YamlEditor *EditorFactory::yamlEditor(QsciScintilla *editor)
{
    return qobject_cast<YamlEditor *>(editor);
}

void EditorFactory::setFilePath(QsciScintilla *editor, const QString &path)
{
    if (auto *yaml = yamlEditor(editor))
        yaml->setFilePath(path);
    editor->setProperty("filePath", path);
}

void EditorFactory::showDiagnostics(QsciScintilla *editor, const Diagnostics &diagnostics)
{
    if (auto *yaml = yamlEditor(editor))
        return yaml->setDiagnostics(diagnostics);
    editor->markerDeleteAll(ErrorMarker);
    editor->markerDeleteAll(WarningMarker);
    const int length = int(editor->SendScintilla(QsciScintilla::SCI_GETLENGTH));
    for (int indicator : {ErrorIndicator, WarningIndicator}) {
        editor->SendScintilla(QsciScintilla::SCI_SETINDICATORCURRENT, indicator);
        editor->SendScintilla(QsciScintilla::SCI_INDICATORCLEARRANGE, 0, length);
    }
    QStringList tips;
    for (const Diagnostic &diagnostic : diagnostics) {
        if (!diagnostic.location.isValid())
            continue;
        const bool error = diagnostic.severity == Severity::Error;
        const int line = diagnostic.location.line - 1;
        editor->markerAdd(line, error ? ErrorMarker : WarningMarker);
        int start = diagnostic.location.offset;
        int span = diagnostic.location.length;
        if (start < 0) {
            start =
                int(editor->positionFromLineIndex(line, qMax(0, diagnostic.location.column - 1)));
            span = int(editor->SendScintilla(QsciScintilla::SCI_GETLINEENDPOSITION, line)) - start;
        }
        if (start >= 0 && start < length) {
            editor->SendScintilla(QsciScintilla::SCI_SETINDICATORCURRENT,
                                  error ? ErrorIndicator : WarningIndicator);
            editor->SendScintilla(QsciScintilla::SCI_INDICATORFILLRANGE, start,
                                  qBound(1, span, length - start));
        }
        tips << QStringLiteral("%1: %2").arg(diagnostic.location.line).arg(diagnostic.message);
    }
    editor->setToolTip(tips.join(u'\n'));
}

QList<int> EditorFactory::markedLines(QsciScintilla *editor)
{
    if (auto *yaml = yamlEditor(editor))
        return yaml->markedLines();
    QList<int> lines;
    const int mask = (1 << ErrorMarker) | (1 << WarningMarker);
    int line = editor->markerFindNext(0, mask);
    while (line >= 0) {
        lines << line + 1;
        line = editor->markerFindNext(line + 1, mask);
    }
    return lines;
}

void EditorFactory::goTo(QsciScintilla *editor, int line, int column)
{
    editor->setCursorPosition(qMax(0, line - 1), qMax(0, column - 1));
    editor->ensureLineVisible(qMax(0, line - 1));
    editor->setFocus();
}

void EditorFactory::applyPalette(QsciScintilla *editor)
{
    if (yamlEditor(editor))
        return; // follows the palette itself
    const QPalette palette = editor->palette();
    const QColor base = palette.color(QPalette::Base);
    const QColor text = palette.color(QPalette::Text);
    const bool dark = base.lightness() < 128;
    if (QsciLexer *lexer = editor->lexer()) {
        lexer->setPaper(base);
        lexer->setDefaultPaper(base);
        lexer->setDefaultColor(text);
        if (dark) {
            // The YAML lexer's default colours are chosen for white paper.
            lexer->setColor(text, QsciLexerYAML::Default);
            lexer->setColor(QColor(0x6a, 0x99, 0x55), QsciLexerYAML::Comment);
            lexer->setColor(QColor(0x9c, 0xdc, 0xfe), QsciLexerYAML::Identifier);
            lexer->setColor(QColor(0x56, 0x9c, 0xd6), QsciLexerYAML::Keyword);
            lexer->setColor(QColor(0xb5, 0xce, 0xa8), QsciLexerYAML::Number);
            lexer->setColor(QColor(0xce, 0x91, 0x78), QsciLexerYAML::TextBlockMarker);
        }
    }
    editor->setMarginsBackgroundColor(palette.color(QPalette::Window));
    editor->setMarginsForegroundColor(palette.color(QPalette::PlaceholderText));
    editor->setFoldMarginColors(palette.color(QPalette::Window), palette.color(QPalette::Window));
    editor->setCaretForegroundColor(text);
    QColor caretLine = palette.color(QPalette::Highlight);
    caretLine.setAlpha(dark ? 50 : 30);
    editor->setCaretLineBackgroundColor(caretLine);
}
