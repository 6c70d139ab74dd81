#pragma once

#include "widgets/editor/editordecorator.h"

#include <QStringList>

// Key completion and hover help from the schema, attached to a YamlEditor: keys valid at the
// cursor's path (minus those already present), enum values after `key: `. Lists open on
// Ctrl+Space, when a key starts being typed, and after `key: ` for enum keys.
class YamlCompletion : public EditorDecorator
{
    Q_OBJECT
public:
    static constexpr int listId = 7;

    explicit YamlCompletion(YamlEditor *editor);

    // Completion candidates at a byte position (keys valid at the cursor's path, or enum values
    // after `key: `) and showing them as a list at the cursor.
    QStringList candidates(int position) const;
    void show();
    // Help for the key under a byte position (empty when there is none).
    QString hoverText(int position) const override;

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    QString filePath() const; // what YamlEditor::setFilePath set; kind detection uses the name
    void charAdded(int ch);
    void listActivated(int id, const QString &text);
};
