#pragma once

#include "widgets/editor/editordecorator.h"

#include <QList>
#include <QString>
#include <QTimer>

// Marks the file references of a deployment YAML (model.path, code_configuration.code and
// .scoring_script, environment.conda_file, environment.build.path) as links: underlined, and
// Ctrl+click emits activated(absolutePath). Paths resolve like Azure does: against the folder of
// the editor's file, scoring_script against the code folder. The hover says where a link goes.
class YamlFileLinks : public EditorDecorator
{
    Q_OBJECT
public:
    static constexpr int Indicator = 11; // this add-on's indicator number

    struct Link
    {
        int start = 0; // byte range of the value
        int end = 0;
        QString path; // absolute
    };

    explicit YamlFileLinks(YamlEditor *editor);

    void refresh(); // re-scan now (also done 150 ms after each edit and when the file is set)
    QList<Link> links() const { return m_links; }
    // Absolute path of the link under a byte position, empty when there is none.
    QString linkAt(int position) const;
    QString hoverText(int position) const override;

    static QList<Link> scan(const QByteArray &text, const QString &yamlFolder);

signals:
    void activated(const QString &absolutePath);

private:
    QList<Link> m_links;
    QTimer m_timer;
};
