// Robustness of what a user can type: seeded random mutations of real endpoint and deployment
// files (the examples and the fixtures) go through the parser, the validator and the
// comment-preserving edits. Nothing may crash or hang (the sanitizer build runs this), every
// position must lie inside the text, and an edit of a valid file must leave a valid file
// that reads back the value written.
#include "models/validator.h"
#include "models/yamldocument.h"

#include <QDir>
#include <QDirIterator>
#include <QElapsedTimer>
#include <QFile>
#include <QTest>

#include <random>

namespace {

QList<QByteArray> corpus()
{
    QList<QByteArray> files;
    for (const char *folder : {"examples", "tests/models/fixtures"}) {
        QDirIterator it(QStringLiteral(STUDIO_SOURCE_DIR "/") + QLatin1String(folder),
                        {QStringLiteral("*.yml"), QStringLiteral("*.yaml")}, QDir::Files,
                        QDirIterator::Subdirectories);
        while (it.hasNext()) {
            QFile file(it.next());
            if (file.open(QIODevice::ReadOnly) && file.size() < 64 * 1024)
                files << file.readAll();
        }
    }
    return files;
}

// STUDIO_FUZZ_ITERATIONS and STUDIO_FUZZ_SEED run a longer or different search by hand.
int iterations(int fallback)
{
    const int n = qEnvironmentVariableIntValue("STUDIO_FUZZ_ITERATIONS");
    return n > 0 ? n : fallback;
}

unsigned seed(unsigned fallback)
{
    bool ok = false;
    const unsigned s = qEnvironmentVariable("STUDIO_FUZZ_SEED").toUInt(&ok);
    return ok ? s + fallback : fallback;
}

// Characters that change YAML structure, and some that are hard on a decoder.
const QByteArray specials = QByteArrayLiteral(
    ":-[]{},#&*!|>'\"%@`?\t\n\r \\0~\x01\x7f\xc3\xa9\xe2\x82\xac\xff\xfe\xef\xbb\xbf");

QByteArray mutate(QByteArray text, std::mt19937 &rng)
{
    auto pick = [&](int n) {
        return int(rng() % unsigned(qMax(1, n)));
    };
    const int edits = 1 + pick(4);
    for (int e = 0; e < edits; ++e) {
        const int at = pick(int(text.size()) + 1);
        switch (pick(8)) {
        case 0: // insert a structural character
            text.insert(at, specials.at(pick(int(specials.size()))));
            break;
        case 1: // delete a run
            text.remove(at, 1 + pick(8));
            break;
        case 2: { // duplicate a line (duplicate keys, odd indentation)
            const int start = int(text.lastIndexOf('\n', at - 1) + 1);
            const int end = int(text.indexOf('\n', at));
            if (end > start)
                text.insert(start, text.mid(start, end - start + 1));
            break;
        }
        case 3: // change indentation
            text.insert(at, QByteArray(1 + pick(5), ' '));
            break;
        case 4: // a random byte
            if (at < text.size())
                text[at] = char(rng() & 0xff);
            break;
        case 5: // swap two lines
        {
            QList<QByteArray> lines = text.split('\n');
            if (lines.size() > 2)
                std::swap(lines[pick(int(lines.size()))], lines[pick(int(lines.size()))]);
            text = lines.join('\n');
            break;
        }
        case 6: // deep nesting or a long flow collection
            text.insert(at, pick(2) ? QByteArray(pick(200), '[') : QByteArray(pick(200), '{'));
            break;
        default: // cut the file short
            text.truncate(at);
            break;
        }
    }
    return text;
}

// Every position inside the text; returns the first bad one described.
QString checkNode(const YamlNode &node, qsizetype size, int depth = 0)
{
    auto bad = [&](const SourceLocation &l) {
        return l.offset < 0 || l.length < 0 || l.offset + l.length > size || l.line < 1 ||
               l.column < 1;
    };
    if (bad(node.location))
        return QStringLiteral("value at offset %1 length %2 line %3 col %4 (text %5 bytes)")
            .arg(node.location.offset)
            .arg(node.location.length)
            .arg(node.location.line)
            .arg(node.location.column)
            .arg(size);
    if (!node.key.isNull() && bad(node.keyLocation))
        return QStringLiteral("key '%1' at offset %2").arg(node.key).arg(node.keyLocation.offset);
    if (depth > YamlDocument::MaxDepth + 2)
        return QStringLiteral("deeper than the limit");
    for (const YamlNode &child : node.children) {
        const QString problem = checkNode(child, size, depth + 1);
        if (!problem.isEmpty())
            return problem;
    }
    return {};
}

QString escaped(const QByteArray &text)
{
    QString out;
    for (char c : text) {
        if (c == '\n')
            out += QStringLiteral("\\n");
        else if (c == '\r')
            out += QStringLiteral("\\r");
        else if (uchar(c) < 0x20 || uchar(c) >= 0x7f)
            out += QStringLiteral("\\x%1").arg(uchar(c), 2, 16, QLatin1Char('0'));
        else
            out += QLatin1Char(c);
    }
    return out;
}

// Scalar paths of a document (map keys only; lists by index).
void scalarPaths(const YamlNode &node, QStringList prefix, QList<QStringList> *out)
{
    if (node.isScalar() && !prefix.isEmpty()) {
        out->append(prefix);
        return;
    }
    for (qsizetype i = 0; i < node.children.size(); ++i) {
        const YamlNode &child = node.children[i];
        QStringList path = prefix;
        path << (node.isMap() ? child.key : QString::number(i));
        scalarPaths(child, path, out);
    }
}

} // namespace

class TestYamlFuzz : public QObject
{
    Q_OBJECT
private slots:
    void mutatedFilesNeverCrashAndKeepPositionsInside();
    void editsOfValidFilesStayValid();
    void editsOfBrokenFilesNeverCrash();
};

void TestYamlFuzz::mutatedFilesNeverCrashAndKeepPositionsInside()
{
    const QList<QByteArray> files = corpus();
    QVERIFY2(files.size() >= 10, "the examples and fixtures should give a corpus");
    std::mt19937 rng(seed(20261128));
    QElapsedTimer timer;
    timer.start();
    int parsed = 0;
    int withErrors = 0;
    const QString path = QStringLiteral("/nonexistent/fuzz/deployment.yml");
    const int rounds = iterations(6000);
    for (int i = 0; i < rounds; ++i) {
        const QByteArray text = mutate(files[int(rng() % unsigned(files.size()))], rng);
        const YamlDocument doc = YamlDocument::parse(path, text);
        ++parsed;
        withErrors += doc.hasErrors() ? 1 : 0;
        const int lines = int(text.count('\n')) + 1;
        for (const Diagnostic &d : doc.diagnostics()) {
            QVERIFY2(d.location.line >= 1 && d.location.line <= lines + 1 &&
                         d.location.column >= 1 && d.location.offset >= 0 &&
                         d.location.offset + d.location.length <= text.size(),
                     qPrintable(QStringLiteral("%1 at %2:%3 offset %4+%5 in %6 bytes:\n%7")
                                    .arg(d.code)
                                    .arg(d.location.line)
                                    .arg(d.location.column)
                                    .arg(d.location.offset)
                                    .arg(d.location.length)
                                    .arg(text.size())
                                    .arg(QString::fromUtf8(text.toPercentEncoding(" \n:-_.")))));
            QVERIFY2(!d.message.isEmpty() && !d.code.isEmpty(), qPrintable(d.code));
        }
        const QString problem = checkNode(doc.root(), text.size());
        QVERIFY2(problem.isEmpty(), qPrintable(problem + u'\n' + QString::fromUtf8(text)));
        // The editor's tolerant reading around a cursor: positions inside the text too.
        const int cursor = int(rng() % unsigned(text.size() + 1));
        const YamlDocument tolerant = YamlDocument::parseTolerant(path, text, cursor);
        const QString tolerantProblem = checkNode(tolerant.root(), text.size());
        QVERIFY2(tolerantProblem.isEmpty(),
                 qPrintable(tolerantProblem + u'\n' + QString::fromUtf8(text)));
        QCOMPARE(tolerant.diagnostics().size(), doc.diagnostics().size());
        const YamlTypingContext typing = tolerant.typingContext(cursor);
        QVERIFY(typing.prefixStart >= 0 && typing.prefixStart <= cursor);
        if (const auto entry = tolerant.entryAt(cursor))
            QVERIFY(!entry->path.isEmpty());
        // The validator takes whatever the parser made of it.
        const Diagnostics diagnostics = Validator::validate(doc);
        for (const Diagnostic &d : diagnostics)
            QVERIFY2(d.location.line >= 0 && d.location.line <= lines + 1, qPrintable(d.code));
    }
    qInfo("%d mutated files parsed and validated (%d with errors) in %lld ms", parsed, withErrors,
          timer.elapsed());
    QVERIFY(withErrors > 0 && withErrors < parsed); // the mutations reach both outcomes
}

void TestYamlFuzz::editsOfValidFilesStayValid()
{
    const QList<QByteArray> files = corpus();
    std::mt19937 rng(seed(4242));
    const QStringList values = {QStringLiteral("blue"),
                                QStringLiteral("42"),
                                QStringLiteral("a: b"),
                                QStringLiteral("- item"),
                                QStringLiteral("#not a comment"),
                                QStringLiteral("it's \"quoted\""),
                                QStringLiteral("multi\nline"),
                                QStringLiteral(""),
                                QStringLiteral("true"),
                                QStringLiteral("[x]"),
                                QStringLiteral("{y}"),
                                QStringLiteral("  padded  "),
                                QStringLiteral("ünïcødé €"),
                                QStringLiteral("~"),
                                QStringLiteral("&anchor *alias")};
    int edits = 0;
    const int rounds = iterations(3000);
    for (int i = 0; i < rounds; ++i) {
        QByteArray original = files[int(rng() % unsigned(files.size()))];
        if (rng() % 2) // a mutated file that still parses: odd indentation, flow style, …
            original = mutate(original, rng);
        YamlDocument doc = YamlDocument::parse(QStringLiteral("/nonexistent/edit.yml"), original);
        if (doc.hasErrors())
            continue;
        QList<QStringList> paths;
        scalarPaths(doc.root(), {}, &paths);
        if (paths.isEmpty())
            continue;
        const QStringList path = paths[int(rng() % unsigned(paths.size()))];
        const QString value = values[int(rng() % unsigned(values.size()))];
        const QByteArray before = doc.text();
        if (rng() % 4 == 0) {
            // Remove a key or a list item.
            const YamlNode *parent =
                path.size() > 1 ? doc.find(path.mid(0, path.size() - 1)) : &doc.root();
            const bool fromMap = parent && parent->isMap();
            const Result<TextEdit> removed = doc.removeKey(path.join(u'.'));
            if (!removed.ok())
                continue;
            QVERIFY2(
                !doc.hasErrors(),
                qPrintable(QStringLiteral("removing %1 broke the file (%2):\nbefore: %3\nafter: %4")
                               .arg(path.join(u'.'), doc.diagnostics().value(0).message,
                                    escaped(before), escaped(doc.text()))));
            if (fromMap)
                QVERIFY2(doc.find(path) == nullptr, qPrintable(path.join(u'.')));
        } else {
            const Result<TextEdit> edited = doc.setValue(path, value);
            if (!edited.ok())
                continue;
            QVERIFY2(!doc.hasErrors(),
                     qPrintable(QStringLiteral("setting %1 to '%2' broke the file:\n%3\n%4")
                                    .arg(path.join(u'.'), value, QString::fromUtf8(doc.text()))
                                    .arg(doc.diagnostics().isEmpty()
                                             ? QString()
                                             : doc.diagnostics().first().message)));
            const YamlNode *node = doc.find(path);
            QVERIFY2(node && node->isScalar() && node->scalar == value,
                     qPrintable(QStringLiteral("%1 reads back '%2', not '%3':\n%4")
                                    .arg(path.join(u'.'), node ? node->scalar : QString(), value,
                                         QString::fromUtf8(doc.text()))));
            // The edit touched one span: text before and after it is the original's.
            const TextEdit &e = edited.value();
            QCOMPARE(doc.text().left(e.offset), before.left(e.offset));
            QCOMPARE(doc.text().mid(e.offset + e.inserted.size()),
                     before.mid(e.offset + e.removed));
        }
        ++edits;
    }
    qInfo("%d edits of valid files checked", edits);
    QVERIFY(edits > rounds / 3);
}

// The inspector form edits whatever the user has typed so far: an edit of a file with errors
// may be refused, but must not crash, and never adds an error.
void TestYamlFuzz::editsOfBrokenFilesNeverCrash()
{
    const QList<QByteArray> files = corpus();
    std::mt19937 rng(seed(777));
    int edits = 0;
    const int rounds = iterations(1000);
    for (int i = 0; i < rounds; ++i) {
        const QByteArray text = mutate(files[int(rng() % unsigned(files.size()))], rng);
        const YamlDocument doc = YamlDocument::parse(QStringLiteral("/nonexistent/b.yml"), text);
        if (!doc.hasErrors())
            continue;
        QList<QStringList> paths;
        scalarPaths(doc.root(), {}, &paths);
        QList<QStringList> targets = {{QStringLiteral("name")},
                                      {QStringLiteral("model"), QStringLiteral("path")}};
        if (!paths.isEmpty()) {
            const QStringList path = paths[int(rng() % unsigned(paths.size()))];
            targets << path << path.mid(0, path.size() - 1) + QStringList{QStringLiteral("new")};
        }
        for (const QStringList &path : std::as_const(targets)) {
            const auto errors = [](const YamlDocument &d) {
                return std::count_if(
                    d.diagnostics().cbegin(), d.diagnostics().cend(),
                    [](const Diagnostic &g) { return g.severity == Severity::Error; });
            };
            YamlDocument set = doc;
            if (set.setValue(path, QStringLiteral("x: y")).ok())
                QVERIFY(errors(set) <= errors(doc));
            YamlDocument removed = doc;
            if (removed.removeKey(path).ok())
                QVERIFY(errors(removed) <= errors(doc));
            YamlDocument map = doc;
            map.setMap(path, {{QStringLiteral("a"), QStringLiteral("1")}});
            YamlDocument list = doc;
            list.setSequence(path, {QStringLiteral("b")});
            ++edits;
        }
    }
    qInfo("%d edits of files with errors tried", edits);
    QVERIFY(edits > rounds / 2);
}

QTEST_GUILESS_MAIN(TestYamlFuzz)
#include "test_yamlfuzz.moc"
