#include "models/validationrules.h"

#include "models/yamldocument.h"

#include <QFile>

// Q_INIT_RESOURCE declares a function, so it must run outside any namespace.
static void initValidationResource()
{
    Q_INIT_RESOURCE(validation);
}

ValidationRules ValidationRules::fromDocument(const YamlDocument &document)
{
    ValidationRules table;
    for (const Diagnostic &d : document.diagnostics()) {
        if (d.severity == Severity::Error) {
            table.m_error = d.toString();
            return table;
        }
    }
    const YamlNode &root = document.root();
    table.m_azureVersion =
        QStringLiteral("azure-ai-ml ") + document.value(QStringLiteral("azure_ai_ml.version"));
    const YamlNode *rules = root.child(QStringLiteral("rules"));
    if (!rules || !rules->isSequence()) {
        table.m_error = QStringLiteral("%1: no 'rules:' list").arg(document.filePath());
        return table;
    }
    for (const YamlNode &row : rules->children) {
        ValidationRule rule;
        rule.code = row.child(QStringLiteral("code")) ? row.child(QStringLiteral("code"))->text()
                                                      : QString();
        auto text = [&row](const char *key) {
            const YamlNode *n = row.child(QLatin1String(key));
            return n ? n->text() : QString();
        };
        const auto severity = severityFromName(text("severity"));
        const auto azure = severityFromName(text("azure"));
        if (rule.code.isEmpty() || !severity || !azure) {
            table.m_error = QStringLiteral("%1: rule at line %2 needs code, severity and azure "
                                           "(error, warning or info)")
                                .arg(document.filePath())
                                .arg(row.location.line);
            return table;
        }
        rule.severity = *severity;
        rule.azureSeverity = *azure;
        rule.checkedBy = text("checked");
        rule.source = text("source").simplified();
        rule.summary = text("summary").simplified();
        if (table.m_index.contains(rule.code)) {
            table.m_error =
                QStringLiteral("%1: code '%2' appears twice").arg(document.filePath(), rule.code);
            return table;
        }
        table.m_index.insert(rule.code, table.m_rules.size());
        table.m_rules.append(rule);
    }
    return table;
}

const ValidationRules &ValidationRules::instance()
{
    static const ValidationRules table = [] {
        initValidationResource();
        QFile file(QStringLiteral(":/validation/rules.yml"));
        const QByteArray text = file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
        ValidationRules parsed =
            fromDocument(YamlDocument::parse(QStringLiteral(":/validation/rules.yml"), text));
        if (!parsed.m_error.isEmpty())
            qWarning("validation rules: %s", qPrintable(parsed.m_error));
        return parsed;
    }();
    return table;
}

const ValidationRule *ValidationRules::rule(const QString &code) const
{
    const auto it = m_index.constFind(code);
    return it == m_index.cend() ? nullptr : &m_rules.at(*it);
}
