#pragma once

#include <Qsci/qsciscintilla.h>

#include <QPair>

// The YAML editor of the studio: QScintilla with the YAML lexer, line numbers, a margin for
// markers, folding, current-line highlight, indent guides and brace matching, in colours that
// follow the palette, and the file its text belongs to. What it does with the YAML (validation
// markers, completion and key help, file links, hover tips) are add-ons attached to it
// (EditorDecorator, put together by EditorFactory); it knows none of them.
class YamlEditor : public QsciScintilla
{
    Q_OBJECT
public:
    static constexpr int MarkerMargin = 1; // add-ons add their markers to its mask

    explicit YamlEditor(QWidget *parent = nullptr);

    // The file the text belongs to (made absolute; also the "filePath" property).
    void setFilePath(const QString &path);
    QString filePath() const { return m_filePath; }

    // The whole document as UTF-8 bytes (what SourceLocation offsets count).
    QByteArray utf8Text() const;
    // Replaces the text with `text` by editing only the range that differs, as one undo action,
    // so undo restores exactly the previous text. Returns false when nothing changed.
    bool applyText(const QByteArray &text);
    // The same for any QScintilla editor (the inspector form edits through these).
    static QByteArray utf8Text(const QsciScintilla *editor);
    static bool applyText(QsciScintilla *editor, const QByteArray &text);

    // Byte ranges [start, start+length) painted with an indicator, in document order.
    QList<QPair<int, int>> indicatorRanges(int indicator) const;

    void goTo(int line, int column); // 1-based; selects nothing, scrolls into view

signals:
    void filePathChanged(const QString &absolutePath);

protected:
    void changeEvent(QEvent *event) override;

private:
    void applyPalette();

    QString m_filePath;
};
