#pragma once

#include "models/diagnostic.h"
#include "models/yamlnode.h"

#include <QByteArray>
#include <QHash>
#include <QList>
#include <QString>

class YamlLineIndex;

// YamlDocument's reader (internal to studio_models; use YamlDocument). Hand-written for the
// YAML that endpoint files use: block and flow collections, plain/quoted/block scalars,
// comments, anchors and aliases. It records exact byte spans, which generic parsers do not
// expose, and turns every problem into a diagnostic instead of throwing.
class YamlParser
{
public:
    struct Reading
    {
        YamlNode root;
        int indentStep = 0; // the first nested block's extra indentation; 0 when none
        // Where the error that ended the reading lies (-1: none): its offset, or the start of
        // the line that caused it when that is another line.
        int stoppedAt = -1;
    };

    static constexpr int MaxDiagnostics = 100;
    static constexpr int MaxAliasNodes = 100000; // copies made resolving aliases ("billion laughs")

    // Reads one document; diagnostics are appended to `diagnostics`.
    static Reading read(const QString &file, const QByteArray &text, const YamlLineIndex &lines,
                        Diagnostics &diagnostics);

private:
    YamlParser(const QString &file, const QByteArray &text, const YamlLineIndex &lines,
               Diagnostics &diagnostics);

    void parseDocument(YamlNode &root);

    // positions and diagnostics
    int column() const { return m_pos - m_lineStart; } // 0-based byte column
    SourceLocation loc(int offset, int length) const;
    void addDiag(Severity severity, const QString &code, int offset, int length,
                 const QString &message, const QString &hint);
    [[noreturn]] void error(const QString &code, int offset, int length, const QString &message,
                            const QString &hint);
    [[noreturn]] void syntax(const QString &message, const QString &hint);
    void reportDuplicateKey(QHash<QString, int> &seen, const YamlNode &entry);

    // scanning
    bool indicatorAt(int offset, char c) const; // `c` followed by a blank, a break or the end
    bool atMarker(int offset, const char *marker) const;
    bool atDocumentMarker(const char *marker) const;
    bool atDocumentEnd();
    void newline();
    void skipSpaces();
    void skipLine();
    bool skipToNextContent();
    bool onlyBlanksBefore(int offset) const;
    void reportTab(int offset);
    void expectLineEnd();
    int lineEndFrom(int offset) const;
    void enter(int depth, int offset);
    bool keyAhead() const;
    bool quotedKeyAhead() const;

    // block structure
    void parseValue(YamlNode &node, int parentIndent, int depth, bool isMapValue);
    void parseProperties(YamlNode &node);
    void parseNodeContent(YamlNode &node, int parentIndent, int depth, bool allowBlockCollection);
    void parseNodeContentInner(YamlNode &node, int parentIndent, int depth,
                               bool allowBlockCollection);
    void parseAlias(YamlNode &node);
    void beginBlock(YamlNode &node, YamlNode::Kind kind, int indent, int depth);
    int nextBlockColumn(int indent);
    void parseBlockMapping(YamlNode &node, int indent, int depth);
    void parseBlockKey(YamlNode &entry);
    void parseBlockSequence(YamlNode &node, int indent, int depth);

    // scalars
    void parsePlain(YamlNode &node, int parentIndent);
    bool nextPlainContinuation(int parentIndent, int *breaks);
    int scanPlainLine(int from) const;
    void parseQuoted(YamlNode &node);
    void foldQuotedBreak(QByteArray &text);
    void parseEscape(QByteArray &text);
    void parseBlockScalar(YamlNode &node, int parentIndent);
    int readBlockLines(int parentIndent, int indent, QList<QByteArray> &lines);

    // flow collections
    void skipFlowSpace();
    void parseFlow(YamlNode &node, int depth);
    void parseFlowEntries(YamlNode &node, QHash<QString, int> &seen, int depth, char open,
                          char close, int start);
    void parseFlowEntry(YamlNode &node, QHash<QString, int> &seen, int depth, char close);
    void parseFlowScalarOrCollection(YamlNode &node, int depth);
    void parseFlowPlain(YamlNode &node);

    const QString &m_file;
    const char *m_d;
    int m_n;
    const YamlLineIndex &m_lines;
    Diagnostics &m_diags;
    int m_pos = 0;
    int m_lineStart = 0;
    int m_lastTabLine = -1;
    int m_aliasNodes = 0;
    int m_indentStep = 0;
    int m_stoppedAt = -1;
    QString m_pendingAnchor;
    QHash<QString, YamlNode> m_anchors;
};
