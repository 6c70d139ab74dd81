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
};
