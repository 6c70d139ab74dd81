#pragma once

#include <QJsonValue>
#include <QString>

#include <optional>

// az's output formats (`-o json|jsonc|tsv|table|yaml|yamlc|none`), written the way the Azure
// CLI writes them so that scripts written against `az ml` read endpointctl's output unchanged:
// json with 2-space indents and sorted keys, tsv one row per list item with dict values in
// key order, table as tabulate's "simple" table, yaml as PyYAML's block style.
// A null result prints nothing in every format.
class OutputFormatter
{
public:
    enum class Format { Json, Jsonc, Tsv, Table, Yaml, Yamlc, None };

    static std::optional<Format> formatFromName(const QString &name);
    static QString format(const QJsonValue &value, Format format);

    static QString toJson(const QJsonValue &value);
    static QString toTsv(const QJsonValue &value);
    static QString toTable(const QJsonValue &value);
    static QString toYaml(const QJsonValue &value);

    // A number as Python's json/str print it: 5, 141.5, 1e+20, 1e-05. QJsonValue keeps whole
    // doubles as integers, so 253.0 prints as 253.
    static QString number(const QJsonValue &value);
};
