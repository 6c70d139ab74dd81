#include "widgets/editor/hovertips.h"

#include "widgets/editor/yamleditor.h"

#include <QToolTip>

namespace {

constexpr int dwellMs = 400; // how long the mouse rests before a tip shows

// What each add-on of `editor` says, in the order they were attached, the silent ones left out.
template<typename Say>
QStringList partsFrom(const YamlEditor *editor, Say say)
{
    QStringList parts;
    for (const EditorDecorator *addOn :
         editor->findChildren<EditorDecorator *>(QString(), Qt::FindDirectChildrenOnly)) {
        const QString part = say(addOn);
        if (!part.isEmpty())
            parts << part;
    }
    return parts;
}

} // namespace

HoverTips::HoverTips(YamlEditor *editor)
    : EditorDecorator(editor)
{
    editor->SendScintilla(QsciScintilla::SCI_SETMOUSEDWELLTIME, dwellMs);
    connect(editor, &QsciScintillaBase::SCN_DWELLSTART, this, &HoverTips::show);
    connect(editor, &QsciScintillaBase::SCN_DWELLEND, this, [] { QToolTip::hideText(); });
}

QString HoverTips::textAt(int position) const
{
    return partsFrom(
               m_editor,
               [position](const EditorDecorator *addOn) { return addOn->hoverText(position); })
        .join(QStringLiteral("\n\n"));
}

QString HoverTips::marginTextAt(int line) const
{
    return partsFrom(m_editor,
                     [line](const EditorDecorator *addOn) { return addOn->marginHoverText(line); })
        .join(u'\n');
}

void HoverTips::show(int position, int x, int y)
{
    QString text;
    if (position < 0) {
        // Over the margins: what the add-ons say about that line.
        const int line = int(m_editor->SendScintilla(
            QsciScintilla::SCI_LINEFROMPOSITION,
            m_editor->SendScintilla(QsciScintilla::SCI_POSITIONFROMPOINT, 0, y)));
        text = marginTextAt(line);
    } else {
        text = textAt(position);
    }
    if (!text.isEmpty())
        QToolTip::showText(m_editor->viewport()->mapToGlobal(QPoint(x, y)), text,
                           m_editor->viewport());
}
