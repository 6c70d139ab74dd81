#pragma once

#include "models/diagnostic.h"

#include <QMap>
#include <QWidget>

#include <optional>

class QTreeWidget;
class QTreeWidgetItem;

// Every diagnostic of the workspace, grouped by nothing: severity, message, file:line. Activating a
// row asks the window to open the file at that place.
class ProblemsPanel : public QWidget
{
    Q_OBJECT
public:
    explicit ProblemsPanel(QWidget *parent = nullptr);

    void setRootFolder(const QString &folder);
    // Replaces the diagnostics of one file (an empty list removes it).
    void setDiagnostics(const QString &filePath, const Diagnostics &diagnostics);
    void clear();

    Diagnostics diagnostics() const;
    // Selects (and scrolls to) the first row of that severity, files in order then lines;
    // returns it, or std::nullopt when there is none.
    std::optional<Diagnostic> selectFirst(Severity severity);
    int errorCount() const;
    int warningCount() const;
    QTreeWidget *view() const { return m_view; }

signals:
    void locationActivated(const SourceLocation &location);
    void countsChanged(int errors, int warnings);

private:
    void rebuild();

    QTreeWidget *m_view;
    QString m_root;
    QMap<QString, Diagnostics> m_byFile;
};
