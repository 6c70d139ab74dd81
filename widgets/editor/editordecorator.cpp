#include "widgets/editor/editordecorator.h"

#include "widgets/editor/yamleditor.h"

EditorDecorator::EditorDecorator(YamlEditor *editor)
    : QObject(editor)
    , m_editor(editor)
{}

QString EditorDecorator::hoverText(int) const
{
    return {};
}

QString EditorDecorator::marginHoverText(int) const
{
    return {};
}
