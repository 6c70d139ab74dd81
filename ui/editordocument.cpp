#include "ui/editordocument.h"

#include "models/validationservice.h"
#include "ui/editorfactory.h"

#include "widgets/editor/yamleditor.h"

#include <Qsci/qsciscintilla.h>

#include <QFile>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QSaveFile>
#include <QVBoxLayout>
#include <QtConcurrent>

EditorDocument::EditorDocument(const QString &path, QWidget *parent)
    : QWidget(parent)
    , m_path(QFileInfo(path).absoluteFilePath())
    , m_editor(EditorFactory::createYamlEditor(this))
    , m_reloadBar(new QFrame(this))
    , m_reloadLabel(new QLabel(m_reloadBar))
{
    setObjectName(QStringLiteral("editorDocument"));
    m_editor->setObjectName(QStringLiteral("yamlEditor"));
    EditorFactory::setFilePath(m_editor, m_path);

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
    layout->addWidget(m_editor, 1);

    // The document validates (it knows the workspace for cross-file rules) and hands the
    // diagnostics to the editor, which draws them.
    if (auto *yaml = EditorFactory::yamlEditor(m_editor))
        connect(yaml, &YamlEditor::fileLinkActivated, this, &EditorDocument::fileLinkActivated);
    m_debounce.setSingleShot(true);
    m_debounce.setInterval(debounceMs);
    connect(&m_debounce, &QTimer::timeout, this, &EditorDocument::startValidation);
    connect(m_editor, &QsciScintilla::textChanged, this, [this] {
        ++m_generation;
        m_debounce.start();
    });
    connect(m_editor, &QsciScintilla::modificationChanged, this,
            &EditorDocument::modificationChanged);
    connect(&m_watcher, &QFutureWatcher<Diagnostics>::finished, this, [this] {
        if (m_runningGeneration == m_generation) {
            m_diagnostics = m_watcher.result();
            EditorFactory::showDiagnostics(m_editor, m_diagnostics);
            emit diagnosticsChanged(m_path, m_diagnostics);
        }
        if (std::exchange(m_rerun, false))
            startValidation();
    });
}

EditorDocument::~EditorDocument()
{
    m_watcher.waitForFinished();
}

QString EditorDocument::displayName() const
{
    return QFileInfo(m_path).fileName();
}

bool EditorDocument::isModified() const
{
    return m_editor->isModified();
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
    m_editor->getCursorPosition(&line, &index);
    m_editor->setText(QString::fromUtf8(text));
    m_editor->setModified(false);
    m_editor->setCursorPosition(line, index);
    validateNow();
}

Result<bool> EditorDocument::save()
{
    const QByteArray text = m_editor->text().toUtf8();
    QSaveFile file(m_path);
    if (!file.open(QIODevice::WriteOnly))
        return Result<bool>::failure(tr("Cannot write %1: %2").arg(m_path, file.errorString()));
    file.write(text);
    if (!file.commit())
        return Result<bool>::failure(tr("Cannot save %1: %2").arg(m_path, file.errorString()));
    m_diskText = text;
    m_editor->setModified(false);
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
    EditorFactory::goTo(m_editor, line, column);
}

void EditorDocument::setWorkspace(const WorkspaceSnapshot &workspace)
{
    m_workspace = workspace;
    ++m_generation;
    validateNow();
}

void EditorDocument::validateNow()
{
    m_debounce.stop();
    startValidation();
}

void EditorDocument::startValidation()
{
    if (m_watcher.isRunning()) {
        m_rerun = true;
        return;
    }
    m_runningGeneration = m_generation;
    m_watcher.setFuture(QtConcurrent::run(&ValidationService::validateText, m_path,
                                          m_editor->text().toUtf8(), m_workspace));
}
