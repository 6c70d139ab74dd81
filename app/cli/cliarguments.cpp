#include "app/cli/cliarguments.h"

QString CliOption::spelling() const
{
    QStringList all{QStringLiteral("--") + name};
    all += aliases;
    return all.join(QLatin1Char('/'));
}

CliOption CliOption::value(const QString &name, const QStringList &aliases, const QString &help,
                           const QString &valueName)
{
    CliOption option;
    option.name = name;
    option.aliases = aliases;
    option.help = help;
    option.valueName = valueName;
    return option;
}

CliOption CliOption::flag(const QString &name, const QStringList &aliases, const QString &help)
{
    CliOption option = value(name, aliases, help);
    option.takesValue = false;
    return option;
}

CliOption CliOption::multi(const QString &name, const QStringList &aliases, const QString &help,
                           const QString &valueName)
{
    CliOption option = value(name, aliases, help, valueName);
    option.multiValue = true;
    return option;
}

QString CliArguments::value(const QString &name, const QString &fallback) const
{
    const QStringList list = m_values.value(name);
    return list.isEmpty() ? fallback : list.constLast();
}

namespace {

const CliOption *findOption(const QList<CliOption> &options, const QString &spelling)
{
    for (const CliOption &option : options) {
        if (spelling == QStringLiteral("--") + option.name || option.aliases.contains(spelling))
            return &option;
    }
    return nullptr;
}

// "-5" or "-0.5" is a value (a negative number), not an option.
bool looksLikeOption(const QString &arg)
{
    if (arg.size() < 2 || !arg.startsWith(QLatin1Char('-')))
        return false;
    bool isNumber = false;
    arg.toDouble(&isNumber);
    return !isNumber;
}

} // namespace

Result<CliArguments> CliArguments::parse(const QStringList &args, const QList<CliOption> &options)
{
    CliArguments parsed;
    QStringList unrecognized;
    for (qsizetype i = 0; i < args.size(); ++i) {
        QString arg = args.at(i);
        QString inlineValue;
        bool hasInlineValue = false;
        if (arg.startsWith(QLatin1String("--")) && arg.contains(QLatin1Char('='))) {
            const qsizetype eq = arg.indexOf(QLatin1Char('='));
            inlineValue = arg.mid(eq + 1);
            hasInlineValue = true;
            arg.truncate(eq);
        }
        const CliOption *option = looksLikeOption(arg) ? findOption(options, arg) : nullptr;
        if (!option) {
            unrecognized << args.at(i);
            continue;
        }
        QStringList &values = parsed.m_values[option->name];
        if (!option->takesValue) {
            if (hasInlineValue)
                return Result<CliArguments>::failure(
                    QStringLiteral("argument %1: ignored explicit argument '%2'")
                        .arg(option->spelling(), inlineValue));
            values << QString();
            continue;
        }
        if (hasInlineValue) {
            values << inlineValue;
        } else if (i + 1 < args.size() && !looksLikeOption(args.at(i + 1))) {
            values << args.at(++i);
        } else {
            return Result<CliArguments>::failure(
                QStringLiteral("argument %1: expected %2")
                    .arg(option->spelling(), option->multiValue
                                                 ? QStringLiteral("at least one argument")
                                                 : QStringLiteral("one argument")));
        }
        if (option->multiValue) {
            while (i + 1 < args.size() && !looksLikeOption(args.at(i + 1)))
                values << args.at(++i);
        } else if (values.size() > 1 && values.at(values.size() - 2) != values.constLast()) {
            // argparse keeps the last one silently; a conflicting repeat is more likely a typo.
            return Result<CliArguments>::failure(
                QStringLiteral("argument %1: given twice ('%2' and '%3')")
                    .arg(option->spelling(), values.at(values.size() - 2), values.constLast()));
        }
    }
    if (!unrecognized.isEmpty())
        return Result<CliArguments>::failure(QStringLiteral("unrecognized arguments: ") +
                                             unrecognized.join(QLatin1Char(' ')));
    return parsed;
}
