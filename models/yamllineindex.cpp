#include "models/yamllineindex.h"

#include <algorithm>

YamlLineIndex::YamlLineIndex(const QByteArray &text)
{
    const char *d = text.constData();
    const qsizetype n = text.size();
    for (qsizetype i = 0; i < n; ++i) {
        if (d[i] == '\n' || (d[i] == '\r' && (i + 1 >= n || d[i + 1] != '\n')))
            m_starts.append(int(i + 1));
    }
}

int YamlLineIndex::lineOf(int offset) const
{
    return int(std::upper_bound(m_starts.cbegin(), m_starts.cend(), offset) - m_starts.cbegin());
}

int YamlLineIndex::lineStart(int line) const
{
    if (line <= 0)
        return 0;
    return m_starts.at(std::min(line, int(m_starts.size())) - 1);
}

SourceLocation YamlLineIndex::location(const QString &file, int offset, int length) const
{
    SourceLocation l;
    l.file = file;
    l.offset = offset;
    l.length = length;
    const int line = lineOf(offset);
    l.line = line + 1;
    l.column = offset - lineStart(line) + 1;
    return l;
}
