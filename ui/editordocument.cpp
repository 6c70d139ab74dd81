#include "ui/editordocument.h"

#include "models/validationservice.h"
#include "widgets/editor/yamlfilelinks.h"
#include "widgets/editor/yamlvalidation.h"

#include <QFile>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QSaveFile>
#include <QVBoxLayout>

EditorDocument::EditorDocument(const QString &path, QWidget *parent)
    : QWidget(parent)
    , m_path(QFileInfo(path).absoluteFilePath())
    , m_parts(EditorFactory::createYamlEditor(this))
    , m_reloadBar(new QFrame(this))
    , m_reloadLabel(new QLabel(m_reloadBar))
{
    setObjectName(QStringLiteral("editorDocument"));
    editor()->setObjectName(QStringLiteral("yamlEditor"));
    editor()->setFilePath(m_path);

    m_reloadBar->setObjectName(QStringLiteral("reloadBar"));
    m_reloadBar->setFrameShape(QFrame::StyledPanel);
    m_reloadBar->setAutoFillBackground(true);
    m_reloadBar->setBackgroundRole(QPalette::ToolTipBase);
    m_reloadLabel->setText(
        tr("%1 changed on disk. Reload it and lose your edits?").arg(displayName()));
    auto *reload = new QPushButton(tr("Reload"), m_reloadBar);
    reload->setObjectName(QStringLiteral("reloadButton"));
    auto *keep = new QPushButton(tr("Keep mine"), m_reloadBar);
    keep->setObjectName(QStringLiteral("keepButton"));
    auto *barLayout = new QHBoxLayout(m_reloadBar);
    barLayout->setContentsMargins(8, 4, 8, 4);
    barLayout->addWidget(m_reloadLabel, 1);
    barLayout->addWidget(reload);
    barLayout->addWidget(keep);
    m_reloadBar->hide();
    connect(reload, &QPushButton::clicked, this, [this] {
        m_reloadBar->hide();
        load();
    });
    connect(keep, &QPushButton::clicked, m_reloadBar, &QWidget::hide);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    layout->addWidget(m_reloadBar);
    layout->addWidget(editor(), 1);

    connect(m_parts.fileLinks, &YamlFileLinks::activated, this, &EditorDocument::fileLinkActivated);
    connect(editor(), &QsciScintilla::modificationChanged, this,
            &EditorDocument::modificationChanged);
    // The validation knows the workspace (cross-file rules); setWorkspace gives it the facts.
    setWorkspace(WorkspaceSnapshot());
    validation()->setValidationEnabled(true);
    connect(
        validation(), &YamlValidation::diagnosticsChanged, this,
        [this](const Diagnostics &diagnostics) { emit diagnosticsChanged(m_path, diagnostics); });
}

QString EditorDocument::displayName() const
{
    return QFileInfo(m_path).fileName();
}

bool EditorDocument::isModified() const
{
    return editor()->isModified();
}

Diagnostics EditorDocument::diagnostics() const
{
    return validation()->diagnostics();
}

bool EditorDocument::isValidating() const
{
    return validation()->isValidating();
}

bool EditorDocument::reloadBarVisible() const
{
    return !m_reloadBar->isHidden();
}

Result<bool> EditorDocument::load()
{
    QFile file(m_path);
    if (!file.open(QIODevice::ReadOnly))
        return Result<bool>::failure(tr("Cannot open %1: %2").arg(m_path, file.errorString()));
    setText(file.readAll());
    return true;
}

void EditorDocument::setText(const QByteArray &text)
{
    m_diskText = text;
    int line = 0;
    int index = 0;
    editor()->getCursorPosition(&line, &index);
    editor()->setText(QString::fromUtf8(text));
    editor()->setModified(false);
    editor()->setCursorPosition(line, index);
    validateNow();
}

QByteArray EditorDocument::text() const
{
    return editor()->utf8Text();
}

Result<bool> EditorDocument::save()
{
    const QByteArray text = editor()->utf8Text();
    QSaveFile file(m_path);
    if (!file.open(QIODevice::WriteOnly))
        return Result<bool>::failure(tr("Cannot write %1: %2").arg(m_path, file.errorString()));
    file.write(text);
    if (!file.commit())
        return Result<bool>::failure(tr("Cannot save %1: %2").arg(m_path, file.errorString()));
    m_diskText = text;
    editor()->setModified(false);
    m_reloadBar->hide();
    emit saved(m_path);
    return true;
}

void EditorDocument::fileChangedOnDisk()
{
    QFile file(m_path);
    if (!file.open(QIODevice::ReadOnly))
        return; // deleted or mid-replace; the next change notification tells more
    const QByteArray text = file.readAll();
    if (text == m_diskText)
        return;
    if (!isModified()) {
        setText(text);
        return;
    }
    m_reloadBar->show();
}

void EditorDocument::goTo(int line, int column)
{
    editor()->goTo(line, column);
}

void EditorDocument::setWorkspace(const WorkspaceSnapshot &workspace)
{
    validation()->setValidator([workspace](const QString &path, const QByteArray &text) {
        return ValidationService::validateText(path, text, workspace);
    });
}

void EditorDocument::validateNow()
{
    validation()->validateNow();
}
