#include "widgets/editor/yamlfilelinks.h"

#include "models/yamldocument.h"
#include "widgets/editor/yamleditor.h"

#include <QDir>
#include <QFileInfo>

YamlFileLinks::YamlFileLinks(YamlEditor *editor)
    : EditorDecorator(editor)
{
    m_editor->indicatorDefine(QsciScintilla::PlainIndicator, Indicator);
    m_editor->setIndicatorForegroundColor(m_editor->palette().color(QPalette::Link), Indicator);
    m_editor->setIndicatorHoverStyle(QsciScintilla::FullBoxIndicator, Indicator);
    m_editor->setIndicatorHoverForegroundColor(m_editor->palette().color(QPalette::Link),
                                               Indicator);
    m_timer.setSingleShot(true);
    m_timer.setInterval(150);
    connect(&m_timer, &QTimer::timeout, this, &YamlFileLinks::refresh);
    connect(m_editor, &QsciScintilla::textChanged, this, [this] { m_timer.start(); });
    connect(m_editor, &YamlEditor::filePathChanged, this, &YamlFileLinks::refresh);
    // The click carries the modifiers (Scintilla reports none on release).
    connect(m_editor, &QsciScintilla::indicatorClicked, this,
            [this](int line, int index, Qt::KeyboardModifiers modifiers) {
                if (!(modifiers & Qt::ControlModifier))
                    return;
                const int position = int(m_editor->positionFromLineIndex(line, index));
                const QString path = linkAt(position);
                if (!path.isEmpty())
                    emit activated(path);
            });
}

void YamlFileLinks::refresh()
{
    m_timer.stop();
    const QByteArray text = YamlEditor::utf8Text(m_editor);
    const QString file = m_editor->filePath();
    const QString folder = file.isEmpty() ? QString() : QFileInfo(file).absolutePath();
    m_links = folder.isEmpty() ? QList<Link>() : scan(text, folder);
    m_editor->SendScintilla(QsciScintilla::SCI_SETINDICATORCURRENT, Indicator);
    m_editor->SendScintilla(QsciScintilla::SCI_INDICATORCLEARRANGE, 0UL, long(text.size()));
    for (const Link &link : std::as_const(m_links))
        m_editor->SendScintilla(QsciScintilla::SCI_INDICATORFILLRANGE, link.start,
                                link.end - link.start);
}

QString YamlFileLinks::linkAt(int position) const
{
    for (const Link &link : m_links) {
        if (position >= link.start && position <= link.end)
            return link.path;
    }
    return {};
}

QString YamlFileLinks::hoverText(int position) const
{
    const QString link = linkAt(position);
    if (link.isEmpty())
        return {};
    return QFileInfo::exists(link) ? tr("Ctrl+click to open %1").arg(link)
                                   : tr("%1 does not exist").arg(link);
}

QList<YamlFileLinks::Link> YamlFileLinks::scan(const QByteArray &text, const QString &yamlFolder)
{
    const QList<YamlEntry> entries = YamlDocument::parseTolerant({}, text).entries();
    const QDir base(yamlFolder);
    QString codeFolder;
    QString buildFolder;
    for (const YamlEntry &entry : entries) {
        const QString dotted = entry.path.join(u'.');
        if (dotted == u"code_configuration.code")
            codeFolder = base.absoluteFilePath(entry.scalar);
        else if (dotted == u"environment.build.path")
            buildFolder = base.absoluteFilePath(entry.scalar);
    }
    QList<Link> links;
    for (const YamlEntry &entry : entries) {
        if (entry.kind != YamlNode::Kind::Scalar || entry.scalar.isEmpty() ||
            entry.scalar.contains(u':') || entry.scalar.contains(u'\n'))
            continue; // empty, a block of text, or an azureml:/registry/URL reference
        const QString dotted = entry.path.join(u'.');
        QString path;
        if (dotted == u"model.path" || dotted == u"code_configuration.code" ||
            dotted == u"environment.conda_file" || dotted == u"environment.build.path")
            path = base.absoluteFilePath(entry.scalar);
        else if (dotted == u"code_configuration.scoring_script" && !codeFolder.isEmpty())
            path = QDir(codeFolder).absoluteFilePath(entry.scalar);
        else if (dotted == u"environment.build.dockerfile_path" && !buildFolder.isEmpty())
            path = QDir(buildFolder).absoluteFilePath(entry.scalar);
        if (!path.isEmpty())
            links.append(Link{entry.value.offset, entry.value.offset + entry.value.length,
                              QDir::cleanPath(path)});
    }
    return links;
}
