#include "models/yamldocument.h"

#include "models/yamlparser.h"

#include <QFile>
#include <QFileInfo>

#include <algorithm>

namespace {

Diagnostic tooLarge(const QString &filePath, qint64 size)
{
    Diagnostic d;
    d.code = QStringLiteral("yaml-too-large");
    d.message = QStringLiteral("file is %1 MB; files over 10 MB are refused")
                    .arg(double(size) / (1024.0 * 1024.0), 0, 'f', 1);
    d.hint = QStringLiteral("Endpoint and deployment YAML files are small; check that this "
                            "is the right file.");
    d.location.file = filePath;
    d.location.line = 1;
    d.location.column = 1;
    d.location.offset = 0;
    return d;
}

// Offset of the first byte that is not valid UTF-8, or -1.
int firstInvalidUtf8(const QByteArray &text)
{
    const auto *d = reinterpret_cast<const uchar *>(text.constData());
    const int n = int(text.size());
    for (int i = 0; i < n;) {
        const uchar c = d[i];
        int len = 0;
        uint cp = 0;
        if (c < 0x80) {
            ++i;
            continue;
        } else if ((c & 0xE0) == 0xC0) {
            len = 2;
            cp = c & 0x1F;
        } else if ((c & 0xF0) == 0xE0) {
            len = 3;
            cp = c & 0x0F;
        } else if ((c & 0xF8) == 0xF0) {
            len = 4;
            cp = c & 0x07;
        } else {
            return i;
        }
        if (i + len > n)
            return i;
        for (int k = 1; k < len; ++k) {
            if ((d[i + k] & 0xC0) != 0x80)
                return i;
            cp = (cp << 6) | (d[i + k] & 0x3F);
        }
        if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
            cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
            return i;
        i += len;
    }
    return -1;
}

} // namespace

YamlDocument YamlDocument::parse(const QString &filePath, const QByteArray &text)
{
    YamlDocument doc;
    doc.m_filePath = filePath;
    doc.m_text = text;
    doc.reparse();
    return doc;
}

YamlDocument YamlDocument::parseTolerant(const QString &filePath, const QByteArray &text,
                                         int cursor)
{
    YamlDocument doc;
    doc.m_filePath = filePath;
    doc.m_text = text;
    doc.m_tolerant = true;
    doc.m_typingAt = cursor >= 0 ? std::min(cursor, int(text.size())) : -1;
    doc.reparse();
    return doc;
}

YamlDocument YamlDocument::load(const QString &filePath)
{
    YamlDocument doc;
    doc.m_filePath = filePath;
    const QFileInfo info(filePath);
    if (info.exists() && info.size() > MaxFileSize) {
        doc.m_diagnostics.append(tooLarge(filePath, info.size()));
        return doc;
    }
    QFile file(filePath);
    if (!file.open(QIODevice::ReadOnly)) {
        Diagnostic d;
        d.code = QStringLiteral("file-unreadable");
        d.message = QStringLiteral("cannot read the file: %1").arg(file.errorString());
        d.hint = QStringLiteral("Check that the file exists and is readable.");
        d.location.file = filePath;
        doc.m_diagnostics.append(d);
        return doc;
    }
    doc.m_text = file.readAll();
    doc.reparse();
    return doc;
}

void YamlDocument::setText(const QByteArray &text)
{
    m_text = text;
    reparse();
}

void YamlDocument::reparse()
{
    m_root = YamlNode{};
    m_diagnostics.clear();
    const int crlf = int(m_text.count("\r\n"));
    const int lf = int(m_text.count('\n'));
    m_eol = crlf * 2 > lf ? QByteArray("\r\n") : QByteArray("\n");
    m_lines = YamlLineIndex(m_text);
    if (m_text.size() > MaxFileSize) {
        m_diagnostics.append(tooLarge(m_filePath, m_text.size()));
        return;
    }
    const int bad = firstInvalidUtf8(m_text);
    if (bad >= 0) {
        Diagnostic d;
        d.code = QStringLiteral("yaml-encoding");
        d.message = QStringLiteral("byte 0x%1 is not valid UTF-8; YAML files must be UTF-8")
                        .arg(QString::number(uchar(m_text.at(bad)), 16).toUpper());
        d.hint = QStringLiteral("Save the file as UTF-8.");
        d.location = locationAt(bad, 1);
        m_diagnostics.append(d);
    }
    YamlParser::Reading reading = YamlParser::read(m_filePath, m_text, m_lines, m_diagnostics);
    m_root = std::move(reading.root);
    m_indentStep = reading.indentStep > 0 ? reading.indentStep : 2;
    if (m_tolerant && (reading.stoppedAt >= 0 || m_typingAt >= 0))
        readTolerantly(reading.stoppedAt);
    m_typingAt = -1;
}

// Reads a copy of the text with the typed line and each line where a reading stopped blanked,
// until a reading gets to the end (or MaxRepairs). The tree is the last reading's; the
// diagnostics stay the strict reading's.
void YamlDocument::readTolerantly(int stoppedAt)
{
    QByteArray repaired = m_text;
    auto blankLine = [&](int offset) {
        bool changed = false;
        for (int i = m_lines.lineStart(m_lines.lineOf(offset));
             i < repaired.size() && repaired.at(i) != '\n' && repaired.at(i) != '\r'; ++i) {
            changed = changed || repaired.at(i) != ' ';
            repaired[i] = ' ';
        }
        return changed;
    };
    bool changed = m_typingAt >= 0 && blankLine(m_typingAt);
    for (int repairs = 0; repairs < MaxRepairs; ++repairs) {
        if (stoppedAt >= 0)
            changed = blankLine(stoppedAt) || changed;
        if (!changed)
            break;
        Diagnostics ignored;
        YamlParser::Reading reading = YamlParser::read(m_filePath, repaired, m_lines, ignored);
        m_root = std::move(reading.root);
        stoppedAt = reading.stoppedAt;
        changed = false;
    }
}

bool YamlDocument::hasErrors() const
{
    return ::hasErrors(m_diagnostics);
}

SourceLocation YamlDocument::locationAt(int offset, int length) const
{
    return m_lines.location(m_filePath, std::clamp(offset, 0, int(m_text.size())), length);
}

QStringList YamlDocument::splitPath(const QString &dottedPath)
{
    if (dottedPath.isEmpty())
        return {};
    return dottedPath.split(u'.');
}

const YamlNode *YamlDocument::find(const QString &dottedPath) const
{
    return find(splitPath(dottedPath));
}

const YamlNode *YamlDocument::find(const QStringList &path) const
{
    return m_root.find(path);
}

QString YamlDocument::value(const QString &dottedPath, const QString &fallback) const
{
    const YamlNode *node = find(dottedPath);
    return node && node->isScalar() ? node->scalar : fallback;
}
