#include "widgets/editor/yamlcompletion.h"

#include "models/editormodel.h"
#include "models/speckind.h"
#include "models/yamldocument.h"
#include "widgets/editor/yamleditor.h"

#include <QKeyEvent>
#include <QRegularExpression>

#include <algorithm>

namespace {

QStringList sortedUnique(QStringList list)
{
    list.removeDuplicates();
    std::sort(list.begin(), list.end(), [](const QString &a, const QString &b) {
        return a.compare(b, Qt::CaseInsensitive) < 0;
    });
    return list;
}

} // namespace

YamlCompletion::YamlCompletion(YamlEditor *editor)
    : EditorDecorator(editor)
{
    m_editor->installEventFilter(this);
    m_editor->SendScintilla(QsciScintilla::SCI_AUTOCSETIGNORECASE, true);
    m_editor->SendScintilla(QsciScintilla::SCI_AUTOCSETAUTOHIDE, true);
    m_editor->SendScintilla(QsciScintilla::SCI_AUTOCSETMAXHEIGHT, 12);
    connect(m_editor, &QsciScintilla::SCN_CHARADDED, this, &YamlCompletion::charAdded);
    connect(m_editor, &QsciScintilla::userListActivated, this, &YamlCompletion::listActivated);
}

QString YamlCompletion::filePath() const
{
    return m_editor->property("filePath").toString();
}

QStringList YamlCompletion::candidates(int position) const
{
    const YamlDocument document =
        YamlDocument::parseTolerant(filePath(), YamlEditor::utf8Text(m_editor), position);
    const YamlTypingContext context = document.typingContext(position);
    const SpecKind kind = detectSpecKind(document);
    QStringList list;
    if (context.kind == YamlTypingContext::Kind::Key) {
        for (const QString &key : EditorModel::keysAt(kind, context.parentPath)) {
            if (!context.siblingKeys.contains(key) &&
                key.startsWith(context.prefix, Qt::CaseInsensitive))
                list << key;
        }
    } else if (context.kind == YamlTypingContext::Kind::Value) {
        for (const QString &value :
             EditorModel::enumValues(kind, context.parentPath + QStringList{context.key})) {
            if (value.startsWith(context.prefix, Qt::CaseInsensitive))
                list << value;
        }
    }
    return sortedUnique(list);
}

void YamlCompletion::show()
{
    const int position = int(m_editor->SendScintilla(QsciScintilla::SCI_GETCURRENTPOS));
    const QStringList list = candidates(position);
    if (list.isEmpty()) {
        m_editor->cancelList();
        return;
    }
    // Already filtered by the typed prefix; Scintilla narrows it further as the user types.
    m_editor->SendScintilla(QsciScintilla::SCI_AUTOCSETSEPARATOR, '\n');
    const QByteArray items = list.join(u'\n').toUtf8();
    m_editor->SendScintilla(QsciScintilla::SCI_USERLISTSHOW, listId, items.constData());
}

bool YamlCompletion::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_editor && event->type() == QEvent::KeyPress) {
        const auto *key = static_cast<QKeyEvent *>(event);
        if (key->key() == Qt::Key_Space && (key->modifiers() & Qt::ControlModifier)) {
            show();
            return true;
        }
    }
    return EditorDecorator::eventFilter(watched, event);
}

QString YamlCompletion::hoverText(int position) const
{
    const YamlDocument document =
        YamlDocument::parseTolerant(filePath(), YamlEditor::utf8Text(m_editor));
    const std::optional<YamlEntry> entry = document.entryAt(position);
    if (!entry || position < entry->key.offset || position > entry->key.offset + entry->key.length)
        return {};
    const QString help = EditorModel::help(detectSpecKind(document), entry->path);
    if (help.isEmpty())
        return {};
    return QStringLiteral("%1 — %2").arg(entry->path.join(u'.'), help);
}

void YamlCompletion::charAdded(int ch)
{
    if (m_editor->isListActive() || !(QChar(ch).isLetter() || ch == ' ' || ch == '$'))
        return;
    // Look at the current line only: parsing the whole document on every keystroke of a large
    // file would stall typing.
    const int position = int(m_editor->SendScintilla(QsciScintilla::SCI_GETCURRENTPOS));
    const int line = int(m_editor->SendScintilla(QsciScintilla::SCI_LINEFROMPOSITION, position));
    const int lineStart = int(m_editor->SendScintilla(QsciScintilla::SCI_POSITIONFROMLINE, line));
    const QByteArray before = YamlEditor::utf8Text(m_editor).mid(lineStart, position - lineStart);
    static const QRegularExpression keyStart(QStringLiteral(R"(^ *(- +)?[A-Za-z$]$)"));
    static const QRegularExpression valueStart(QStringLiteral(R"(^ *(- +)?[\w$.-]+: $)"));
    const QString typed = QString::fromUtf8(before);
    if ((ch != ' ' && keyStart.match(typed).hasMatch()) ||
        (ch == ' ' && valueStart.match(typed).hasMatch()))
        show();
}

void YamlCompletion::listActivated(int id, const QString &chosen)
{
    if (id != listId)
        return;
    const QByteArray text = YamlEditor::utf8Text(m_editor);
    const int position = int(m_editor->SendScintilla(QsciScintilla::SCI_GETCURRENTPOS));
    const YamlDocument document = YamlDocument::parseTolerant(filePath(), text, position);
    const YamlTypingContext context = document.typingContext(position);
    if (context.kind == YamlTypingContext::Kind::None)
        return;
    // Replace the typed prefix and the rest of the word after the cursor.
    int end = position;
    while (end < text.size() && text.at(end) != '\n' && text.at(end) != '\r' &&
           text.at(end) != ' ' && text.at(end) != ':')
        ++end;
    QString insert = chosen;
    if (context.kind == YamlTypingContext::Kind::Key) {
        const bool hasColon = end < text.size() && text.at(end) == ':';
        const bool mapping =
            !EditorModel::keysAt(detectSpecKind(document), context.parentPath + QStringList{chosen})
                 .isEmpty();
        if (!hasColon) {
            if (mapping) {
                const int lineStart = int(text.lastIndexOf('\n', context.prefixStart - 1)) + 1;
                const int column = context.prefixStart - lineStart;
                insert += u":\n" + QString(column + 2, u' ');
            } else {
                insert += u": ";
            }
        }
    }
    const QByteArray bytes = insert.toUtf8();
    m_editor->beginUndoAction();
    m_editor->SendScintilla(QsciScintilla::SCI_SETTARGETRANGE, context.prefixStart, end);
    m_editor->SendScintilla(QsciScintilla::SCI_REPLACETARGET,
                            static_cast<unsigned long>(bytes.size()), bytes.constData());
    m_editor->endUndoAction();
    m_editor->SendScintilla(QsciScintilla::SCI_GOTOPOS,
                            static_cast<unsigned long>(context.prefixStart + bytes.size()));
}
