#include "models/diagnostic.h"

#include <algorithm>

QString SourceLocation::toString() const
{
    if (!isValid())
        return file;
    return file + u':' + QString::number(line) + u':' + QString::number(column);
}

QString severityName(Severity severity)
{
    switch (severity) {
    case Severity::Error:
        return QStringLiteral("error");
    case Severity::Warning:
        return QStringLiteral("warning");
    case Severity::Info:
        break;
    }
    return QStringLiteral("info");
}

std::optional<Severity> severityFromName(const QString &name)
{
    if (name == u"error")
        return Severity::Error;
    if (name == u"warning")
        return Severity::Warning;
    if (name == u"info")
        return Severity::Info;
    return std::nullopt;
}

QString Diagnostic::toString() const
{
    return location.toString() + QStringLiteral(": ") + severityName(severity) +
           QStringLiteral(": ") + message + QStringLiteral(" [") + code + u']';
}

bool hasErrors(const Diagnostics &diagnostics)
{
    return std::any_of(diagnostics.begin(), diagnostics.end(),
                       [](const Diagnostic &d) { return d.severity == Severity::Error; });
}
