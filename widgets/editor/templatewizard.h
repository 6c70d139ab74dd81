#pragma once

#include <QByteArray>
#include <QList>
#include <QStringList>
#include <QWizard>
#include <QWizardPage>

#include <functional>

class QLabel;
class QLineEdit;

// What the New endpoint / New deployment wizards share: the target folder, a name field whose
// rule violations are shown as the user types, and writing the files with QSaveFile, asking
// before an existing file is replaced.
class TemplateWizard : public QWizard
{
    Q_OBJECT
public:
    // Asked before replacing an existing file; the default asks with a message box.
    using OverwriteConfirm = std::function<bool(const QString &path)>;
    void setOverwriteConfirm(OverwriteConfirm confirm) { m_confirm = std::move(confirm); }

    QString folder() const { return m_folder; }
    // Absolute paths written by the last successful finish.
    QStringList writtenFiles() const { return m_written; }
    QString errorString() const { return m_error; }

    struct File
    {
        QString path; // absolute
        QByteArray contents;
        bool starter = false; // a starter file: kept untouched when it already exists
    };

    // Writes all files (atomically each); false with errorString() when the user declined an
    // overwrite or a write failed.
    bool writeFiles(const QList<File> &files);

    // A page whose Next/Finish is enabled while `complete` says so; call completeChanged()
    // (a signal of QWizardPage) when its inputs change.
    class Page : public QWizardPage
    {
    public:
        using QWizardPage::QWizardPage;
        std::function<bool()> complete;
        bool isComplete() const override { return complete ? complete() : true; }
    };

    // A name line edit with a message label under it, re-checked on every keystroke.
    static QWidget *createNameField(QLineEdit **edit, QLabel **message, QWidget *parent);
    static bool checkName(QLineEdit *edit, QLabel *message); // updates the label

protected:
    TemplateWizard(const QString &folder, QWidget *parent);
    void done(int result) override;
    // The files the finished wizard writes.
    virtual QList<File> files() const = 0;

private:
    QString m_folder;
    QStringList m_written;
    QString m_error;
    bool m_declined = false;
    OverwriteConfirm m_confirm;
};
