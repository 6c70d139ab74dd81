#include "widgets/editor/templatewizard.h"

#include "widgets/editor/resourcename.h"

#include <QDir>
#include <QFileInfo>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QSaveFile>
#include <QVBoxLayout>

TemplateWizard::TemplateWizard(const QString &folder, QWidget *parent)
    : QWizard(parent)
    , m_folder(QFileInfo(folder).absoluteFilePath())
{
    setWizardStyle(QWizard::ClassicStyle);
    setOption(QWizard::NoBackButtonOnStartPage);
    m_confirm = [this](const QString &path) {
        return QMessageBox::question(
                   this, tr("Replace file?"),
                   tr("%1 already exists. Replace it?").arg(QDir::toNativeSeparators(path)),
                   QMessageBox::Yes | QMessageBox::No, QMessageBox::No) == QMessageBox::Yes;
    };
}

void TemplateWizard::done(int result)
{
    if (result == QDialog::Accepted && !writeFiles(files())) {
        if (!m_declined) // a declined overwrite needs no second message
            QMessageBox::warning(this, windowTitle(), m_error);
        return; // stay open so the user can change the name or file
    }
    QWizard::done(result);
}

bool TemplateWizard::writeFiles(const QList<File> &files)
{
    m_error.clear();
    m_declined = false;
    QList<File> toWrite;
    for (const File &file : files) {
        if (QFileInfo::exists(file.path)) {
            if (file.starter)
                continue;
            if (!m_confirm || !m_confirm(file.path)) {
                m_declined = true;
                m_error = tr("%1 already exists; nothing was written.")
                              .arg(QDir::toNativeSeparators(file.path));
                return false;
            }
        }
        toWrite << file;
    }
    QStringList written;
    for (const File &file : std::as_const(toWrite)) {
        if (!QDir().mkpath(QFileInfo(file.path).absolutePath())) {
            m_error = tr("Could not create the folder of %1.").arg(file.path);
            return false;
        }
        QSaveFile out(file.path);
        if (!out.open(QIODevice::WriteOnly) || out.write(file.contents) != file.contents.size() ||
            !out.commit()) {
            m_error = tr("Could not write %1: %2").arg(file.path, out.errorString());
            return false;
        }
        written << file.path;
    }
    m_written = written;
    return true;
}

QWidget *TemplateWizard::createNameField(QLineEdit **edit, QLabel **message, QWidget *parent)
{
    auto *box = new QWidget(parent);
    auto *layout = new QVBoxLayout(box);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(2);
    *edit = new QLineEdit(box);
    (*edit)->setObjectName(QStringLiteral("name"));
    (*edit)->setMaxLength(64);
    *message = new QLabel(box);
    (*message)->setObjectName(QStringLiteral("nameMessage"));
    (*message)->setWordWrap(true);
    layout->addWidget(*edit);
    layout->addWidget(*message);
    return box;
}

bool TemplateWizard::checkName(QLineEdit *edit, QLabel *message)
{
    const QString problem = ResourceName::problem(edit->text());
    if (problem.isEmpty()) {
        message->setText(tr("✓ Valid name"));
        message->setStyleSheet(QStringLiteral("color: #107c10;"));
    } else {
        message->setText(problem);
        message->setStyleSheet(QStringLiteral("color: #d13438;"));
    }
    return problem.isEmpty();
}
