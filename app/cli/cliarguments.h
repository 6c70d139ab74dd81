#pragma once

#include "models/result.h"

#include <QList>
#include <QMap>
#include <QString>
#include <QStringList>

// One option a command accepts, az-style: `--name/-n VALUE`, `--yes`, `--set K=V [K=V ...]`.
struct CliOption
{
    QString name;        // canonical long name without dashes: "endpoint-name"
    QStringList aliases; // other spellings, with dashes: {"-e", "--endpoint"}
    bool takesValue = true;
    // Like argparse's nargs='+': every following argument that does not start with '-' is a
    // value too (`--set a=1 b=2`). Implies repeatable.
    bool multiValue = false;
    QString help;
    QString valueName = QStringLiteral("VALUE");

    QString spelling() const; // "--endpoint-name/-e/--endpoint"

    static CliOption value(const QString &name, const QStringList &aliases, const QString &help,
                           const QString &valueName = QStringLiteral("VALUE"));
    static CliOption flag(const QString &name, const QStringList &aliases, const QString &help);
    static CliOption multi(const QString &name, const QStringList &aliases, const QString &help,
                           const QString &valueName = QStringLiteral("VALUE"));
};

// Parsed command-line options of one command. Errors read like az's argparse messages.
class CliArguments
{
public:
    static Result<CliArguments> parse(const QStringList &args, const QList<CliOption> &options);

    bool isSet(const QString &name) const { return m_values.contains(name); }
    QString value(const QString &name, const QString &fallback = {}) const;
    QStringList values(const QString &name) const { return m_values.value(name); }

private:
    QMap<QString, QStringList> m_values;
};
