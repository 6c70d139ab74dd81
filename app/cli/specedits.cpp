#include "app/cli/specedits.h"

#include <QFileInfo>
#include <QJsonDocument>
#include <QRegularExpression>

Result<SpecEdits::Edit> SpecEdits::parseSet(const QString &argument)
{
    const qsizetype eq = argument.indexOf(QLatin1Char('='));
    if (eq <= 0)
        return Result<Edit>::failure(
            QStringLiteral("usage error: --set expects KEY=VALUE (a dotted path, e.g. "
                           "instance_count=2 or environment_variables.MODE=fast), got '%1'")
                .arg(argument));
    Edit edit;
    // az writes list items as name[0]; YamlDocument takes the index as a path element.
    QString key = argument.left(eq).trimmed();
    static const QRegularExpression index(QStringLiteral(R"(\[(\d+)\])"));
    key.replace(index, QStringLiteral(".\\1"));
    edit.path = YamlDocument::splitPath(key);
    if (edit.path.isEmpty() || edit.path.contains(QString()))
        return Result<Edit>::failure(
            QStringLiteral("usage error: --set '%1': the key '%2' is not a dotted path")
                .arg(argument, argument.left(eq)));
    edit.value = argument.mid(eq + 1);
    edit.remove = edit.value == u"null";
    return edit;
}

Result<QList<SpecEdits::Edit>> SpecEdits::parseSets(const QStringList &arguments)
{
    QList<Edit> edits;
    for (const QString &argument : arguments) {
        auto edit = parseSet(argument);
        if (!edit.ok())
            return edit.error();
        edits << edit.value();
    }
    return edits;
}

Result<YamlDocument> SpecEdits::load(const QString &path)
{
    const QFileInfo info(path);
    if (!info.exists())
        return Result<YamlDocument>::failure(QStringLiteral("%1: no such file").arg(path));
    if (!info.isFile())
        return Result<YamlDocument>::failure(QStringLiteral("%1: not a file").arg(path));
    YamlDocument document = YamlDocument::load(info.absoluteFilePath());
    for (const Diagnostic &diagnostic : document.diagnostics()) {
        if (diagnostic.severity == Severity::Error)
            return Result<YamlDocument>::failure(diagnostic.toString(), diagnostic.location);
    }
    return document;
}

YamlDocument SpecEdits::fromText(const QString &pathForMessages, const QByteArray &text)
{
    return YamlDocument::parse(pathForMessages, text);
}

Result<YamlDocument> SpecEdits::apply(YamlDocument document, const QList<Edit> &edits)
{
    for (const Edit &edit : edits) {
        const QString key = edit.path.join(QLatin1Char('.'));
        if (edit.remove) {
            if (!document.find(edit.path))
                continue; // removing what is not there leaves the document as it is
            auto removed = document.removeKey(edit.path);
            if (!removed.ok())
                return Result<YamlDocument>::failure(
                    QStringLiteral("--set %1=null: %2").arg(key, removed.error().message));
            continue;
        }
        // JSON objects and lists are YAML flow collections: write them as they are.
        const QJsonDocument json = QJsonDocument::fromJson(edit.value.toUtf8());
        const bool collection = !json.isNull() && (json.isObject() || json.isArray());
        auto set = document.setValue(edit.path, edit.value,
                                     collection ? YamlDocument::Quoting::Plain
                                                : YamlDocument::Quoting::Auto);
        if (!set.ok())
            return Result<YamlDocument>::failure(
                QStringLiteral("--set %1=%2: %3").arg(key, edit.value, set.error().message));
    }
    for (const Diagnostic &diagnostic : document.diagnostics()) {
        if (diagnostic.severity == Severity::Error)
            return Result<YamlDocument>::failure(
                QStringLiteral("after --set: %1").arg(diagnostic.toString()));
    }
    return document;
}
