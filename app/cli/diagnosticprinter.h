#pragma once

#include "models/diagnostic.h"

#include <QJsonObject>
#include <QString>

// How endpointctl shows diagnostics, the same for `validate` and for the gate of
// `online-deployment create/update`: `file:line:col: severity: message [code]` lines with a
// hint line each, paths relative to the working folder; or JSON objects with the Azure source.
class DiagnosticPrinter
{
public:
    // The path as the user typed it when it is under the working folder, else absolute.
    static QString displayPath(const QString &absolute);
    static QString text(const Diagnostics &diagnostics, bool hints = true);
    static QJsonObject json(const Diagnostic &diagnostic);
    // "3 errors, 1 warning, 0 infos"
    static QString counts(const Diagnostics &diagnostics);
};
