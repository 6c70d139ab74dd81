#pragma once

#include "models/diagnostic.h"

class QsciScintilla;
class YamlEditor;
class QWidget;

// The one place that decides which YAML editor widget the window uses and how diagnostics reach
// it, so the window code does not care whether it is the full YamlEditor or a plain QScintilla.
class EditorFactory
{
public:
    static QsciScintilla *createYamlEditor(QWidget *parent);
    // The full YamlEditor behind `editor`, or nullptr while the plain editor is in use.
    static YamlEditor *yamlEditor(QsciScintilla *editor);
    static void setFilePath(QsciScintilla *editor, const QString &path);
    static void showDiagnostics(QsciScintilla *editor, const Diagnostics &diagnostics);
    // Lines (1-based) that carry a diagnostic marker in the margin.
    static QList<int> markedLines(QsciScintilla *editor);
    static void goTo(QsciScintilla *editor, int line, int column);
    // Follows the application palette (light or dark) for paper, text, margins and caret line.
    static void applyPalette(QsciScintilla *editor);
};
