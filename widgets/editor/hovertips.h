#pragma once

#include "widgets/editor/editordecorator.h"

// Tooltips when the mouse rests on the text or the margins: what every add-on attached to the
// editor says about that place (EditorDecorator::hoverText), in the order they were attached.
class HoverTips : public EditorDecorator
{
    Q_OBJECT
public:
    explicit HoverTips(YamlEditor *editor);

    // The tooltip for a byte position; empty: none is shown.
    QString textAt(int position) const;
    // The tooltip over the margins beside a 0-based line.
    QString marginTextAt(int line) const;

private:
    void show(int position, int x, int y);
};
