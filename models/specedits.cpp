#include "models/specedits.h"

#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>

namespace {

std::optional<QString> setScalar(YamlDocument &document, const QStringList &path,
                                 const QString &value)
{
    auto set = document.setValue(path, value, YamlDocument::Quoting::Auto);
    return set.ok() ? std::nullopt : std::optional<QString>(set.error().message);
}

std::optional<QString> setJson(YamlDocument &document, const QStringList &path,
                               const QJsonValue &value)
{
    if (value.isObject()) {
        const QJsonObject object = value.toObject();
        for (auto it = object.begin(); it != object.end(); ++it) {
            if (auto failed = setJson(document, path + QStringList{it.key()}, it.value()))
                return failed;
        }
        return std::nullopt;
    }
    if (value.isArray()) {
        QStringList items;
        for (const QJsonValue &item : value.toArray()) {
            if (item.isObject() || item.isArray())
                return QStringLiteral("lists of lists or maps cannot be set from the command "
                                      "line; edit the YAML");
            items << (item.isString()
                          ? item.toString()
                          : QString::fromUtf8(
                                QJsonDocument(QJsonArray{item}).toJson(QJsonDocument::Compact))
                                .mid(1)
                                .chopped(1));
        }
        auto set = document.setSequence(path, items);
        return set.ok() ? std::nullopt : std::optional<QString>(set.error().message);
    }
    const QString text =
        value.isString()
            ? value.toString()
            : QString::fromUtf8(QJsonDocument(QJsonArray{value}).toJson(QJsonDocument::Compact))
                  .mid(1)
                  .chopped(1);
    return setScalar(document, path, text);
}

} // namespace

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
        // A JSON object or list replaces the value as a whole, written as YAML block entries.
        const QJsonDocument json = QJsonDocument::fromJson(edit.value.toUtf8());
        const bool collection = !json.isNull() && (json.isObject() || json.isArray());
        if (collection && document.find(edit.path)) {
            auto removed = document.removeKey(edit.path);
            if (!removed.ok())
                return Result<YamlDocument>::failure(
                    QStringLiteral("--set %1: %2").arg(key, removed.error().message));
        }
        const auto failed = collection ? setJson(document, edit.path,
                                                 json.isObject() ? QJsonValue(json.object())
                                                                 : QJsonValue(json.array()))
                                       : setScalar(document, edit.path, edit.value);
        if (failed)
            return Result<YamlDocument>::failure(
                QStringLiteral("--set %1=%2: %3").arg(key, edit.value, *failed));
    }
    for (const Diagnostic &diagnostic : document.diagnostics()) {
        if (diagnostic.severity == Severity::Error)
            return Result<YamlDocument>::failure(
                QStringLiteral("after --set: %1").arg(diagnostic.toString()));
    }
    return document;
}
