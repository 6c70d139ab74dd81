#pragma once

#include "models/speckind.h"

#include <QList>
#include <QString>
#include <QStringList>

// One key of the endpoint/deployment schema, as azure-ai-ml's marshmallow schemas define it
// (sdk/ml/azure-ai-ml/azure/ai/ml/_schema/; the version is in resources/validation/rules.yml).
struct SchemaKey
{
    enum class Type {
        String,      // fields.Str: text only (a YAML number or boolean is refused)
        Version,     // VersionField: text or a number
        Integer,     // fields.Int: also "5000" and 1.0, read as whole numbers
        Number,      // fields.Float: also "0.5"
        Boolean,     // fields.Bool: also "true", "yes", 1 …
        Map,         // fields.Dict(): free-form keys and values (tags, properties, variables)
        TextMap,     // fields.Dict(values=fields.Str()): free-form keys, text values
        IntMap,      // fields.Dict(values=fields.Int()): deployment -> percent
        List,        // fields.List(Nested or Dict): a list of maps
        StringList,  // fields.List(fields.Str())
        StringOrMap, // UnionField of a reference string and a nested schema
        MapOf,       // fields.Dict(values=Nested): each value a map of `children`
    };
    // How StringTransformedEnum compares a value with `values`.
    enum class Casing { Lower, CamelToSnake };

    QString name;
    Type type = Type::String;
    QString doc;        // one or two sentences for hover help
    QStringList values; // allowed values of an enum (after the casing transform)
    Casing casing = Casing::Lower;
    QString defaultValue; // Azure's default, as text; empty when none
    bool required = false;
    bool managedOnly = false;    // only the managed schema has it (unknown in the other)
    bool kubernetesOnly = false; // only the Kubernetes schema has it
    bool readOnly = false;       // set by Azure (`show` output): accepted and ignored
    QString azure;               // the schema field: "<file> <Class>.<field>"
    QString azureClass;          // maps: the schema class of the children, "<file> <Class>"
    QList<SchemaKey> children;   // keys of a map (or of each list item / MapOf value)
};

QString schemaTypeName(SchemaKey::Type type); // "text", "a whole number", …
// azure-ai-ml's camel_to_snake (_utils/utils.py): "AMLToken" -> "aml_token".
QString camelToSnake(const QString &text);

// Which keys are valid where, their enum values, docs and Azure sources. Used by the
// validator and by the editor's completion and hover.
class Schema
{
public:
    static const Schema &instance();

    // Keys valid in the map at `path` ("" = top level). Numeric segments (list indexes) and
    // the free names of a MapOf are skipped. Empty when the map there is free-form.
    QList<SchemaKey> keysAt(SpecKind kind, const QStringList &path) const;
    // The key at `path`, or nullptr when unknown.
    const SchemaKey *key(SpecKind kind, const QStringList &path) const;
    QStringList enumValues(SpecKind kind, const QStringList &path) const;
    // Hover text: the key's doc plus type, default and allowed values. Empty when unknown.
    QString hoverDoc(SpecKind kind, const QStringList &path) const;
    // The schema class of the top level: ManagedOnlineDeploymentSchema, …
    QString topClass(SpecKind kind) const;

    const QList<SchemaKey> &endpointKeys() const { return m_endpoint; }
    const QList<SchemaKey> &deploymentKeys() const { return m_deployment; }

private:
    Schema();
    const QList<SchemaKey> &top(SpecKind kind) const;
    QList<SchemaKey> m_endpoint;
    QList<SchemaKey> m_deployment;
    QList<SchemaKey> m_none;
};
