#pragma once

#include <QByteArray>
#include <QList>
#include <QString>
#include <QStringList>

// Key paths read from YAML text by indentation alone, so they work on half-typed, invalid
// documents (completion, hover help and file links run while the user types). Positions are byte
// offsets in the UTF-8 text. Sequence items appear in paths as their index ("0", "1", …).
class YamlTextPath
{
public:
    struct Entry
    {
        QStringList path; // full path of the key, e.g. {"code_configuration", "code"}
        int line = 0;     // 0-based
        int keyStart = 0;
        int keyEnd = 0;
        int valueStart = 0; // the scalar after "key:", without quotes or comment
        int valueEnd = 0;   // == valueStart when the value is empty (a block follows)
        QString value;
    };

    // Where the cursor is: the path of the mapping it is in, and whether it is typing a key or
    // the value of `key`.
    struct Context
    {
        QStringList parentPath;
        bool atKey = false;   // typing a key: prefix is what is typed so far
        bool atValue = false; // after "key: ": key is set, prefix is the value typed so far
        QString key;
        QString prefix;
        int prefixStart = 0;     // byte offset where the prefix starts
        QStringList siblingKeys; // keys already present in the same mapping
    };

    static QList<Entry> entries(const QByteArray &text);
    static Context contextAt(const QByteArray &text, int position);
    // The entry whose key or value covers the byte position, nullptr-like index -1 when none.
    static int entryAt(const QList<Entry> &entries, int position);
};
