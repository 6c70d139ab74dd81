#include "app/cli/diagnosticprinter.h"

#include <QDir>

QString DiagnosticPrinter::displayPath(const QString &absolute)
{
    const QString relative = QDir::current().relativeFilePath(absolute);
    return relative.startsWith(QLatin1String("..")) ? absolute : relative;
}

QString DiagnosticPrinter::text(const Diagnostics &diagnostics, bool hints)
{
    QString out;
    for (Diagnostic d : diagnostics) {
        d.location.file = displayPath(d.location.file);
        out += d.toString() + u'\n';
        if (hints && !d.hint.isEmpty())
            out += QStringLiteral("    hint: ") + d.hint + u'\n';
    }
    return out;
}

QJsonObject DiagnosticPrinter::json(const Diagnostic &d)
{
    QJsonObject o{{QStringLiteral("file"), displayPath(d.location.file)},
                  {QStringLiteral("line"), d.location.line},
                  {QStringLiteral("column"), d.location.column},
                  {QStringLiteral("offset"), d.location.offset},
                  {QStringLiteral("length"), d.location.length},
                  {QStringLiteral("severity"), severityName(d.severity)},
                  {QStringLiteral("code"), d.code},
                  {QStringLiteral("message"), d.message},
                  {QStringLiteral("hint"), d.hint}};
    // Where azure-ai-ml makes the same check (null for the studio's own checks).
    o.insert(QStringLiteral("azure_source"),
             d.source.isEmpty() ? QJsonValue() : QJsonValue(d.source));
    return o;
}

QString DiagnosticPrinter::counts(const Diagnostics &diagnostics)
{
    int errors = 0, warnings = 0, infos = 0;
    for (const Diagnostic &d : diagnostics) {
        errors += d.severity == Severity::Error ? 1 : 0;
        warnings += d.severity == Severity::Warning ? 1 : 0;
        infos += d.severity == Severity::Info ? 1 : 0;
    }
    return QStringLiteral("%1 %2, %3 %4, %5 %6")
        .arg(errors)
        .arg(errors == 1 ? QStringLiteral("error") : QStringLiteral("errors"))
        .arg(warnings)
        .arg(warnings == 1 ? QStringLiteral("warning") : QStringLiteral("warnings"))
        .arg(infos)
        .arg(infos == 1 ? QStringLiteral("info") : QStringLiteral("infos"));
}
