#pragma once

#include <QObject>
#include <QString>

class YamlEditor;

// A behaviour attached to a YamlEditor (as Notepad Next's EditorDecorator): it listens to the
// editor's signals and paints with its own indicators and markers, and the editor knows none of
// them. The editor owns its add-ons; EditorFactory (ui/) decides which are attached.
class EditorDecorator : public QObject
{
    Q_OBJECT
public:
    explicit EditorDecorator(YamlEditor *editor);

    YamlEditor *editor() const { return m_editor; }

    // What the add-on has to say when the mouse rests on a byte position (a part of the
    // tooltip); empty: nothing.
    virtual QString hoverText(int position) const;
    // The same when the mouse rests over the margins beside a 0-based line.
    virtual QString marginHoverText(int line) const;

    // The add-on of type T attached to `editor`, nullptr when there is none.
    template<typename T>
    static T *find(const QObject *editor)
    {
        return editor ? editor->findChild<T *>(QString(), Qt::FindDirectChildrenOnly) : nullptr;
    }

protected:
    YamlEditor *const m_editor;
};
