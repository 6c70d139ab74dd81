#pragma once

#include <QList>
#include <QObject>
#include <QString>
#include <QTimer>

class QsciScintilla;

// Marks the file references of a deployment YAML (model.path, code_configuration.code and
// .scoring_script, environment.conda_file, environment.build.path) as links: underlined, and
// Ctrl+click emits activated(absolutePath). Paths resolve like Azure does: against the YAML's
// folder, scoring_script against the code folder.
class YamlFileLinks : public QObject
{
    Q_OBJECT
public:
    struct Link
    {
        int start = 0; // byte range of the value
        int end = 0;
        QString path; // absolute
    };

    YamlFileLinks(QsciScintilla *editor, int indicator);

    void setFilePath(const QString &path);
    void refresh(); // re-scan now (also done 150 ms after each edit)
    QList<Link> links() const { return m_links; }
    QString linkAt(int position) const;

    static QList<Link> scan(const QByteArray &text, const QString &yamlFolder);

signals:
    void activated(const QString &absolutePath);

private:
    QsciScintilla *m_editor;
    int m_indicator;
    QString m_filePath;
    QList<Link> m_links;
    QTimer m_timer;
};
