#pragma once

#include <QObject>
#include <QStringList>

class QsciScintilla;

// Key completion and hover help from the schema, attached to a QScintilla editor: keys valid at
// the cursor's path (minus those already present), enum values after `key: `. Lists open on
// Ctrl+Space, when a key starts being typed, and after `key: ` for enum keys.
class YamlCompletion : public QObject
{
    Q_OBJECT
public:
    static constexpr int listId = 7;

    explicit YamlCompletion(QsciScintilla *editor);

    QStringList candidates(int position) const;
    void show();
    // Help for the key under a byte position (empty when there is none).
    QString helpAt(int position) const;

private:
    void charAdded(int ch);
    void listActivated(int id, const QString &text);

    QsciScintilla *m_editor;
};
