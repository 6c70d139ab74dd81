#include "app/cli/trafficsplit.h"

#include <QRegularExpression>

Result<QMap<QString, int>> TrafficSplit::parse(const QStringList &arguments)
{
    static const QRegularExpression space(QStringLiteral("[\\s,]+"));
    QMap<QString, int> split;
    const QStringList parts = arguments.join(QLatin1Char(' ')).split(space, Qt::SkipEmptyParts);
    if (parts.isEmpty())
        return Result<QMap<QString, int>>::failure(
            QStringLiteral("argument --traffic: expected DEPLOYMENT=PERCENT pairs, e.g. "
                           "\"blue=90 green=10\""));
    for (const QString &part : parts) {
        const qsizetype eq = part.indexOf(QLatin1Char('='));
        bool ok = false;
        const int percent = eq > 0 ? part.mid(eq + 1).toInt(&ok) : 0;
        if (eq <= 0 || !ok || percent < 0 || percent > 100)
            return Result<QMap<QString, int>>::failure(
                QStringLiteral("argument --traffic: '%1' is not DEPLOYMENT=PERCENT with a "
                               "percent from 0 to 100")
                    .arg(part));
        const QString name = part.left(eq);
        if (split.contains(name))
            return Result<QMap<QString, int>>::failure(
                QStringLiteral("argument --traffic: '%1' is given twice").arg(name));
        split.insert(name, percent);
    }
    return split;
}
