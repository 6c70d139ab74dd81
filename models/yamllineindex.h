#pragma once

#include "models/diagnostic.h"

#include <QByteArray>
#include <QList>

// Where the lines of a text start, to turn byte offsets into 1-based lines and columns.
// A line ends at "\n", "\r\n" or a lone "\r".
class YamlLineIndex
{
public:
    YamlLineIndex() = default;
    explicit YamlLineIndex(const QByteArray &text);

    // The line and column of `offset` (not clamped: callers pass offsets inside the text).
    SourceLocation location(const QString &file, int offset, int length = 0) const;
    int lineOf(int offset) const;  // 0-based
    int lineStart(int line) const; // byte offset where a 0-based line starts
    int lineCount() const { return int(m_starts.size()) + 1; }

private:
    QList<int> m_starts; // the starts of the second and later lines
};
