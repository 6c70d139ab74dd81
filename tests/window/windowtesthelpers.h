#pragma once

#include "tests/common/testsupport.h"

#include <QAbstractButton>
#include <QApplication>
#include <QDialog>
#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QMessageBox>
#include <QRegularExpression>
#include <QSettings>
#include <QTimer>

// Shared by the window tests: a private copy of an example workspace with a unique endpoint name
// (tests of other areas may deploy the same example at the same time), and answering modal
// dialogs the way a user would.
namespace WindowTest {

inline bool copyTree(const QString &from, const QString &to)
{
    QDir().mkpath(to);
    QDirIterator it(from, QDir::Files | QDir::Dirs | QDir::NoDotAndDotDot | QDir::Hidden,
                    QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString path = it.next();
        const QString target = to + u'/' + QDir(from).relativeFilePath(path);
        if (it.fileInfo().isDir()) {
            QDir().mkpath(target);
        } else if (!QFile::copy(path, target)) {
            return false;
        }
    }
    return true;
}

inline QByteArray readFile(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

inline bool writeFile(const QString &path, const QByteArray &text)
{
    QFile file(path);
    return file.open(QIODevice::WriteOnly | QIODevice::Truncate) && file.write(text) == text.size();
}

// Copies examples/<example> to <dir>/<example> and renames its endpoint to `endpoint`.
inline QString copyExample(const QString &example, const QString &dir, const QString &endpoint)
{
    const QString source = TestSupport::examplesDir() + u'/' + example;
    const QString target = dir + u'/' + example;
    if (!copyTree(source, target))
        return {};
    const QRegularExpression name(QStringLiteral("^(name|endpoint_name): ") + example + u'$',
                                  QRegularExpression::MultilineOption);
    for (const QString &file : QDir(target).entryList({QStringLiteral("*.yml")}, QDir::Files)) {
        const QString path = target + u'/' + file;
        QString text = QString::fromUtf8(readFile(path));
        text.replace(name, QStringLiteral("\\1: ") + endpoint);
        writeFile(path, text.toUtf8());
    }
    return target;
}

// Settings of the test run go to a private folder, never the user's.
inline void isolateSettings(const QString &dir)
{
    QSettings::setDefaultFormat(QSettings::IniFormat);
    QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, dir);
}

// Waits for a modal dialog with this object name, records its text and presses `button`.
// Returns the dialog's text through `seen` once it was answered.
inline void answerDialog(const QString &objectName, QMessageBox::StandardButton button,
                         QString *seen, QObject *context, const QString &screenshot = {})
{
    auto *poll = new QTimer(context);
    poll->setInterval(20);
    QObject::connect(poll, &QTimer::timeout, context, [=] {
        auto *box = qobject_cast<QMessageBox *>(QApplication::activeModalWidget());
        if (!box || box->objectName() != objectName)
            return;
        poll->stop();
        poll->deleteLater();
        *seen = box->text() + u'\n' + box->informativeText();
        if (!screenshot.isEmpty()) {
            QWidget *window = box->parentWidget() ? box->parentWidget()->window() : box;
            window->grab().save(TestSupport::screenshotPath(screenshot));
            box->grab().save(TestSupport::screenshotPath(screenshot + QStringLiteral("-dialog")));
        }
        box->button(button)->click();
    });
    poll->start();
}

} // namespace WindowTest
