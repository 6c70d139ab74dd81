#pragma once

#include <QList>
#include <QMetaType>
#include <QString>

#include <optional>

// Where something is in a file. Lines and columns are 1-based; offset/length are byte
// positions in the file's UTF-8 text (-1 / 0 when unknown).
struct SourceLocation
{
    QString file;
    int line = 0;
    int column = 0;
    int offset = -1;
    int length = 0;

    bool isValid() const { return line > 0; }
    QString toString() const; // "file:line:col"
};

enum class Severity { Error, Warning, Info };

QString severityName(Severity severity); // "error", "warning", "info"
std::optional<Severity> severityFromName(const QString &name);

// One finding of the validator: a stable code, where, what, and how to fix it.
struct Diagnostic
{
    QString code; // stable, kebab-case: "name-length", "unknown-key", …
    Severity severity = Severity::Error;
    QString message;
    SourceLocation location;
    QString hint;
    // Where Azure makes the same check: a file of azure-ai-ml (relative to
    // sdk/ml/azure-ai-ml/azure/ai/ml/) and the class or field, e.g.
    // "_schema/_deployment/online/online_deployment.py
    // ManagedOnlineDeploymentSchema.instance_type". Empty for checks of the YAML reader and of the
    // studio's own.
    QString source;

    QString toString() const; // "file:line:col: error: message [code]"
};

using Diagnostics = QList<Diagnostic>;

bool hasErrors(const Diagnostics &diagnostics);

Q_DECLARE_METATYPE(Diagnostic)
