#pragma once

#include "models/diagnostic.h"
#include "models/result.h"
#include "models/yamllineindex.h"
#include "models/yamlnode.h"

#include <QByteArray>
#include <QList>
#include <QPair>
#include <QString>
#include <QStringList>

#include <optional>

// A map entry of a document with its full path, for editor features (hover help, file links).
struct YamlEntry
{
    QStringList path;     // e.g. {"code_configuration", "code"}; list items as numbers ("0")
    SourceLocation key;   // the key's span
    SourceLocation value; // the value's span; length 0 when the value is missing
    YamlNode::Kind kind = YamlNode::Kind::Null; // of the value
    QString scalar;                             // the value's decoded text when it is a scalar
};

// What the user is typing at a cursor: a key of the mapping at `parentPath`, or the value of
// `key` in it. Read from the cursor's line and the tree, so it works on half-typed text.
struct YamlTypingContext
{
    enum class Kind { None, Key, Value };
    Kind kind = Kind::None;
    QStringList parentPath;  // the mapping the cursor is in; list items as numbers
    QString key;             // Value: the key whose value is typed
    QString prefix;          // what is typed so far, up to the cursor
    int prefixStart = 0;     // byte offset where the prefix starts
    QStringList siblingKeys; // the keys that mapping already has (the cursor's line left out)
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
    static constexpr int MaxDepth = YamlNode::MaxDepth;

    // How setValue writes a scalar: Auto keeps an existing value's quotes, else writes plain
    // text when YAML reads it back unchanged, else double quotes. Raw writes YAML as given
    // (e.g. "[]", "{}", "3").
    enum class Quoting { Auto, Plain, SingleQuoted, DoubleQuoted, Raw };

    YamlDocument() = default;
    static YamlDocument parse(const QString &filePath, const QByteArray &text);
    static YamlDocument load(const QString &filePath); // unreadable files become a diagnostic
    // A tolerant reading for editor features on half-typed text. Where the strict reading stops
    // at a syntax error (its tree ends there), the offending line is blanked with spaces, so
    // offsets stay valid, and the text read again, up to MaxRepairs times: every well-formed
    // line is in the tree. With a cursor, its line is left out from the start (it is being
    // typed). text() is the text as given and diagnostics() are the strict reading's; edits
    // keep reading tolerantly.
    static YamlDocument parseTolerant(const QString &filePath, const QByteArray &text,
                                      int cursor = -1);
    static constexpr int MaxRepairs = 8;

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

    // Editor queries (yamlqueries.cpp); on half-typed text use a tolerant document.
    // Every map entry, depth first in file order.
    QList<YamlEntry> entries() const;
    // The entry whose key, or whose scalar value, covers a byte offset (ends included).
    std::optional<YamlEntry> entryAt(int offset) const;
    // What is being typed at a byte offset.
    YamlTypingContext typingContext(int cursor) const;

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
    void readTolerantly(int stoppedAt);
    // yamledits.cpp
    Result<TextEdit> replace(int offset, int removed, const QByteArray &inserted);
    Result<TextEdit> replaceValue(const YamlNode &node, const QByteArray &inlineText);
    Result<TextEdit> insertMissing(const QStringList &path, const QString &value, Quoting quoting);
    Result<TextEdit> insertIntoBlock(const YamlNode &parent, bool isDocument,
                                     const QStringList &missing, const QByteArray &scalar);
    Result<TextEdit> insertIntoFlowMap(const YamlNode &map, const QStringList &missing,
                                       const QByteArray &scalar);
    Result<TextEdit> removeFromFlow(const YamlNode &node, bool isEntry);
    int keyColumn(const YamlNode &node) const;

    QString m_filePath;
    QByteArray m_text;
    YamlNode m_root;
    Diagnostics m_diagnostics;
    QByteArray m_eol = "\n";
    int m_indentStep = 2;
    YamlLineIndex m_lines;
    bool m_tolerant = false;
    int m_typingAt = -1; // parseTolerant's cursor, for the first reading only
};
