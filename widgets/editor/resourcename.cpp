#include "widgets/editor/resourcename.h"

#include <QCoreApplication>
#include <QRegularExpression>

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("ResourceName", text);
}

bool isAsciiLetter(QChar c)
{
    return (c >= u'a' && c <= u'z') || (c >= u'A' && c <= u'Z');
}

} // namespace

QString ResourceName::problem(const QString &name)
{
    if (name.isEmpty())
        return tr("Enter a name.");
    for (const QChar c : name) {
        if (!isAsciiLetter(c) && !(c >= u'0' && c <= u'9') && c != u'-')
            return tr("'%1' is not allowed: use only letters (a–z, A–Z), digits and dashes.")
                .arg(c == u' ' ? tr("space") : QString(c));
    }
    if (!isAsciiLetter(name.front()))
        return tr("Must start with a letter (a–z or A–Z).");
    if (name.back() == u'-')
        return tr("Cannot end with a dash.");
    if (name.size() < minLength)
        return tr("Too short: %1 characters; names need %2 to %3.")
            .arg(name.size())
            .arg(minLength)
            .arg(maxLength);
    if (name.size() > maxLength)
        return tr("Too long: %1 characters; names need %2 to %3.")
            .arg(name.size())
            .arg(minLength)
            .arg(maxLength);
    static const QRegularExpression pattern(
        QStringLiteral("^[a-zA-Z]([-a-zA-Z0-9]*[a-zA-Z0-9])?$"));
    return pattern.match(name).hasMatch() ? QString() : tr("Not a valid name.");
}
