#pragma once

#include "models/diagnostic.h"

#include <QHash>
#include <QList>
#include <QString>

class YamlDocument;

// One row of the rule table (resources/validation/rules.yml): a diagnostic code, its severity
// when deploying here and when the file goes to Azure, and where Azure makes the same check.
struct ValidationRule
{
    QString code;
    Severity severity = Severity::Error;      // validate / deploy here (--target local)
    Severity azureSeverity = Severity::Error; // validate --target azure
    // Who checks it in Azure: schema (the marshmallow schema, any az ml command), local
    // (az ml … --local only), cloud (the SDK before it sends to Azure), service (Azure's
    // service), studio (the studio's own check), yaml (the YAML reader).
    QString checkedBy;
    QString source;  // azure-ai-ml file (relative to sdk/ml/azure-ai-ml/azure/ai/ml/) + symbol
    QString summary; // one line
};

// The rule table, read once from the resource the validator ships with. The test program reads
// the same file and runs every row's triggering and clean fixture.
class ValidationRules
{
public:
    static const ValidationRules &instance();
    // Parses a table (the resource, or a file in tests); problems go to error().
    static ValidationRules fromDocument(const YamlDocument &document);

    const ValidationRule *rule(const QString &code) const;
    const QList<ValidationRule> &rules() const { return m_rules; }
    // "azure-ai-ml 1.26.5": the version of the SDK sources the table mirrors.
    QString azureVersion() const { return m_azureVersion; }
    QString error() const { return m_error; }

private:
    QList<ValidationRule> m_rules;
    QHash<QString, qsizetype> m_index;
    QString m_azureVersion;
    QString m_error;
};
