#include "widgets/editor/yamleditor.h"

#include <Qsci/qscilexeryaml.h>

#include <QEvent>
#include <QFileInfo>
#include <QFontDatabase>

namespace {

bool isUtf8Continuation(char c)
{
    return (static_cast<unsigned char>(c) & 0xC0) == 0x80;
}

} // namespace

YamlEditor::YamlEditor(QWidget *parent)
    : QsciScintilla(parent)
{
    setUtf8(true);
    setEolMode(EolUnix);
    auto *lexer = new QsciLexerYAML(this);
    const QFont mono = QFontDatabase::systemFont(QFontDatabase::FixedFont);
    lexer->setDefaultFont(mono);
    lexer->setFont(mono);
    lexer->setFoldComments(true);
    setLexer(lexer);

    setMarginsFont(mono);
    setMarginLineNumbers(0, true);
    setMarginWidth(0, QStringLiteral("00000"));
    setMarginType(MarkerMargin, SymbolMargin);
    setMarginWidth(MarkerMargin, 14);
    setMarginMarkerMask(MarkerMargin, 0);
    setFolding(BoxedTreeFoldStyle, 2);
    setCaretLineVisible(true);
    setIndentationGuides(true);
    setBraceMatching(SloppyBraceMatch);
    setIndentationsUseTabs(false);
    setIndentationWidth(2);
    setTabWidth(2);
    setAutoIndent(true);
    setBackspaceUnindents(true);

    applyPalette();
}

void YamlEditor::setFilePath(const QString &path)
{
    const QString absolute = path.isEmpty() ? QString() : QFileInfo(path).absoluteFilePath();
    if (absolute == m_filePath)
        return;
    m_filePath = absolute;
    setProperty("filePath", m_filePath); // what a plain QScintilla editor carries
    emit filePathChanged(m_filePath);
}

QByteArray YamlEditor::utf8Text() const
{
    return utf8Text(this);
}

QByteArray YamlEditor::utf8Text(const QsciScintilla *editor)
{
    const int length = int(editor->SendScintilla(SCI_GETLENGTH));
    const auto *data =
        static_cast<const char *>(editor->SendScintillaPtrResult(SCI_GETCHARACTERPOINTER));
    return data ? QByteArray(data, length) : QByteArray();
}

bool YamlEditor::applyText(const QByteArray &text)
{
    return applyText(this, text);
}

bool YamlEditor::applyText(QsciScintilla *editor, const QByteArray &text)
{
    const QByteArray old = utf8Text(editor);
    if (old == text)
        return false;
    const int oldSize = int(old.size());
    const int newSize = int(text.size());
    int prefix = 0;
    while (prefix < oldSize && prefix < newSize && old.at(prefix) == text.at(prefix))
        ++prefix;
    while (prefix > 0 && prefix < oldSize && isUtf8Continuation(old.at(prefix)))
        --prefix;
    int suffix = 0;
    while (suffix < oldSize - prefix && suffix < newSize - prefix &&
           old.at(oldSize - 1 - suffix) == text.at(newSize - 1 - suffix))
        ++suffix;
    while (suffix > 0 && isUtf8Continuation(old.at(oldSize - suffix)))
        --suffix;
    const QByteArray replacement = text.mid(prefix, newSize - prefix - suffix);
    editor->beginUndoAction();
    editor->SendScintilla(SCI_SETTARGETRANGE, prefix, oldSize - suffix);
    editor->SendScintilla(SCI_REPLACETARGET, static_cast<unsigned long>(replacement.size()),
                          replacement.constData());
    editor->endUndoAction();
    return true;
}

QList<QPair<int, int>> YamlEditor::indicatorRanges(int indicator) const
{
    QList<QPair<int, int>> ranges;
    const int length = int(SendScintilla(SCI_GETLENGTH));
    int position = 0;
    while (position < length) {
        const int end = int(SendScintilla(SCI_INDICATOREND, indicator, position));
        if (SendScintilla(SCI_INDICATORVALUEAT, indicator, position) != 0)
            ranges.append({position, end - position});
        if (end <= position)
            break;
        position = end;
    }
    return ranges;
}

void YamlEditor::goTo(int line, int column)
{
    const int l = qMax(0, line - 1);
    setCursorPosition(l, qMax(0, column - 1));
    ensureLineVisible(l);
    setFocus();
}

void YamlEditor::changeEvent(QEvent *event)
{
    QsciScintilla::changeEvent(event);
    if (event->type() == QEvent::PaletteChange)
        applyPalette();
}

void YamlEditor::applyPalette()
{
    auto *yaml = qobject_cast<QsciLexerYAML *>(lexer());
    if (!yaml)
        return;
    const QPalette pal = palette();
    const QColor base = pal.color(QPalette::Base);
    const QColor text = pal.color(QPalette::Text);
    const bool dark = base.lightness() < 128;
    yaml->setDefaultPaper(base);
    yaml->setPaper(base, -1);
    yaml->setDefaultColor(text);
    yaml->setColor(text, QsciLexerYAML::Default);
    yaml->setColor(dark ? QColor(0x8b, 0x94, 0x9e) : QColor(0x6a, 0x73, 0x7d),
                   QsciLexerYAML::Comment);
    yaml->setColor(dark ? QColor(0x79, 0xc0, 0xff) : QColor(0x00, 0x5c, 0xc5),
                   QsciLexerYAML::Identifier);
    yaml->setColor(dark ? QColor(0xff, 0xa6, 0x57) : QColor(0xb3, 0x50, 0x00),
                   QsciLexerYAML::Keyword);
    yaml->setColor(dark ? QColor(0x7e, 0xe7, 0x87) : QColor(0x11, 0x63, 0x29),
                   QsciLexerYAML::Number);
    yaml->setColor(text, QsciLexerYAML::Operator);
    setCaretForegroundColor(text);
    setCaretLineBackgroundColor(dark ? base.lighter(130) : base.darker(106));
    setMarginsBackgroundColor(pal.color(QPalette::Window));
    setMarginsForegroundColor(pal.color(QPalette::PlaceholderText));
    setFoldMarginColors(pal.color(QPalette::Window), pal.color(QPalette::Window));
    setIndentationGuidesForegroundColor(pal.color(QPalette::Mid));
    setMatchedBraceBackgroundColor(pal.color(QPalette::Highlight).lighter(dark ? 80 : 160));
    viewport()->update(); // the text area is Scintilla's own drawing: repaint it with the new paper
}
