#pragma once

#include "models/diagnostic.h"

#include <QList>
#include <QMap>
#include <QString>
#include <QStringList>
#include <QVariant>

#include <optional>

// One node of a parsed YAML document. Every key and value knows where it is in the file:
// lines and columns are 1-based, columns and offsets count UTF-8 bytes (what QScintilla uses).
class YamlNode
{
public:
    // The deepest nesting of collections a document may have (deeper is refused).
    static constexpr int MaxDepth = 64;

    enum class Kind { Null, Scalar, Map, Sequence };
    enum class Style { Plain, SingleQuoted, DoubleQuoted, Literal, Folded, Flow, Block };

    Kind kind = Kind::Null;
    Style style = Style::Plain;
    QString key;                // map entries: the decoded key
    SourceLocation keyLocation; // map entries: the key's span
    // The value's span. A missing value ("key:" with nothing after it) has length 0 and sits
    // just after the ':' or '-' that introduces it.
    SourceLocation location;
    int introducerEnd = -1;   // byte offset just after the ':' or '-' introducing this value
    QString scalar;           // decoded text of a scalar (also set for aliases: "*name")
    QString tag;              // explicit tag as written, e.g. "!!str"
    QList<YamlNode> children; // map entries (key set) or sequence items, in file order
    int indent = -1;          // block collections: 0-based column of their entries

    bool isNull() const { return kind == Kind::Null; }
    bool isScalar() const { return kind == Kind::Scalar; }
    bool isMap() const { return kind == Kind::Map; }
    bool isSequence() const { return kind == Kind::Sequence; }
    bool isQuoted() const { return style == Style::SingleQuoted || style == Style::DoubleQuoted; }
    // Null kind, or a plain `~` / `null` scalar.
    bool isNullValue() const;

    const YamlNode *child(const QString &key) const; // map entry by key, or nullptr
    const YamlNode *item(qsizetype index) const;     // sequence item, or nullptr
    QStringList keys() const;
    // The node at a path below this one: keys for maps, numbers for sequence items.
    const YamlNode *find(const QStringList &path) const;

    // Scalar conversions following the YAML 1.2 core schema (quoted scalars are strings).
    std::optional<qint64> toInt() const;
    std::optional<double> toDouble() const;
    std::optional<bool> toBool() const;
    QString text() const { return isScalar() ? scalar : QString(); }
    // Map of scalar entries as text (non-scalar values are skipped).
    QMap<QString, QString> toStringMap() const;
    // Plain Qt value: QVariantMap / QVariantList / number / bool / QString / invalid for null.
    QVariant toVariant() const;
    // A readable name of the node's type for messages: "a map", "a list", "text", "nothing".
    QString typeName() const;

    int endOffset() const { return location.offset + location.length; }
};
