#pragma once

#include "models/speckind.h"

#include <QList>
#include <QString>
#include <QStringList>

// One key of the endpoint/deployment schema, as Azure documents it.
struct SchemaKey
{
    enum class Type { String, Integer, Number, Boolean, Map, StringMap, IntMap, List, StringOrMap };
    QString name;
    Type type = Type::String;
    QString doc;          // one or two sentences for hover help
    QStringList values;   // allowed values of an enum (lower case), empty otherwise
    QString defaultValue; // Azure's default, as text; empty when none
    bool required = false;
    bool managedOnly = false;
    bool kubernetesOnly = false;
    bool readOnly = false;     // appears in `show` output; ignored when read
    QList<SchemaKey> children; // keys of a map (or of each list item for lists of maps)
};

QString schemaTypeName(SchemaKey::Type type); // "text", "a whole number", …

// Which keys are valid where, their enum values and docs. Used by the validator and by the
// editor's completion and hover.
class Schema
{
public:
    static const Schema &instance();

    // Keys valid in the map at `path` ("" = top level). Numeric segments (list indexes) are
    // skipped. Empty when the map there is free-form (tags, environment_variables…).
    QList<SchemaKey> keysAt(SpecKind kind, const QStringList &path) const;
    // The key at `path`, or nullptr when unknown.
    const SchemaKey *key(SpecKind kind, const QStringList &path) const;
    QStringList enumValues(SpecKind kind, const QStringList &path) const;
    // Hover text: the key's doc plus type, default and allowed values. Empty when unknown.
    QString hoverDoc(SpecKind kind, const QStringList &path) const;

    const QList<SchemaKey> &endpointKeys() const { return m_endpoint; }
    const QList<SchemaKey> &deploymentKeys() const { return m_deployment; }

private:
    Schema();
    const QList<SchemaKey> &top(SpecKind kind) const;
    QList<SchemaKey> m_endpoint;
    QList<SchemaKey> m_deployment;
    QList<SchemaKey> m_none;
};
