#pragma once

#include "models/diagnostic.h"
#include "models/result.h"

#include <QByteArray>
#include <QList>
#include <QMap>
#include <QPair>
#include <QString>
#include <QStringList>
#include <QVariant>

#include <optional>

// One node of a parsed YAML document. Every key and value knows where it is in the file:
// lines and columns are 1-based, columns and offsets count UTF-8 bytes (what QScintilla uses).
class YamlNode
{
public:
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

// The minimal change an edit made to the document's text, so an editor can apply it as one
// undoable step: bytes [offset, offset + removed) were replaced by `inserted`.
struct TextEdit
{
    int offset = 0;
    int removed = 0;
    QByteArray inserted;
};

// A YAML file's text plus its parse tree with source positions, and edits that rewrite only
// the affected span so comments, key order, quoting and indentation survive.
// Parsing never throws: problems become diagnostics with codes `yaml-*`.
class YamlDocument
{
public:
    static constexpr qsizetype MaxFileSize = 10 * 1024 * 1024;
    static constexpr int MaxDepth = 64;

    // How setValue writes a scalar: Auto keeps an existing value's quotes, else writes plain
    // text when YAML reads it back unchanged, else double quotes. Raw writes YAML as given
    // (e.g. "[]", "{}", "3").
    enum class Quoting { Auto, Plain, SingleQuoted, DoubleQuoted, Raw };

    YamlDocument() = default;
    static YamlDocument parse(const QString &filePath, const QByteArray &text);
    static YamlDocument load(const QString &filePath); // unreadable files become a diagnostic

    QString filePath() const { return m_filePath; }
    const QByteArray &text() const { return m_text; }
    const YamlNode &root() const { return m_root; }
    const Diagnostics &diagnostics() const { return m_diagnostics; }
    bool hasErrors() const;
    // "\r\n" when the file mostly uses CRLF, else "\n". Inserted lines use it.
    QByteArray lineEnding() const { return m_eol; }
    int indentStep() const { return m_indentStep; }

    // Dotted path ("code_configuration.code", "traffic.blue", "routes.0.path"); a number
    // indexes a list. The list form takes keys that contain dots (e.g. "nvidia.com/gpu").
    const YamlNode *find(const QString &dottedPath) const;
    const YamlNode *find(const QStringList &path) const;
    // The scalar at a path, or `fallback` when absent or not a scalar.
    QString value(const QString &dottedPath, const QString &fallback = {}) const;
    static QStringList splitPath(const QString &dottedPath);

    // 1-based line/column of a byte offset (clamped into the text).
    SourceLocation locationAt(int offset, int length = 0) const;

    // Edits. Each rewrites the smallest span, re-parses and returns what changed.
    // Sets a scalar, creating missing parent maps in their block's indentation.
    Result<TextEdit> setValue(const QString &dottedPath, const QString &value,
                              Quoting quoting = Quoting::Auto);
    Result<TextEdit> setValue(const QStringList &path, const QString &value,
                              Quoting quoting = Quoting::Auto);
    // Like setValue, but fails when the key already exists.
    Result<TextEdit> addKey(const QStringList &path, const QString &value,
                            Quoting quoting = Quoting::Auto);
    Result<TextEdit> removeKey(const QString &dottedPath);
    Result<TextEdit> removeKey(const QStringList &path);
    // Makes the map at `path` hold exactly `entries`: existing entries are updated in place
    // (keeping their comments), missing ones appended, others removed.
    Result<TextEdit> setMap(const QStringList &path, const QList<QPair<QString, QString>> &entries);
    // Replaces the value at `path` with a block list of scalars.
    Result<TextEdit> setSequence(const QStringList &path, const QStringList &items);
    // Replaces the whole text (e.g. after the user typed) and re-parses.
    void setText(const QByteArray &text);

    // Text of a scalar as setValue would write it.
    static QByteArray formatScalar(const QString &value, Quoting quoting,
                                   YamlNode::Style existing = YamlNode::Style::Plain);

private:
    void reparse();
    Result<TextEdit> replace(int offset, int removed, const QByteArray &inserted);
    Result<TextEdit> insertMissing(const QStringList &path, const QString &value, Quoting quoting);
    Result<TextEdit> replaceValue(const YamlNode &node, const QByteArray &inlineText);

    QString m_filePath;
    QByteArray m_text;
    YamlNode m_root;
    Diagnostics m_diagnostics;
    QByteArray m_eol = "\n";
    int m_indentStep = 2;
    QList<int> m_lineStarts;
};
