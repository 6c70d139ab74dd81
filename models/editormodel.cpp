#include "models/editormodel.h"

#include "models/schema.h"
#include "models/validator.h"
#include "models/yamldocument.h"

namespace {

Result<QByteArray> textAfter(const YamlDocument &document, const Result<TextEdit> &edit)
{
    if (!edit.ok())
        return Result<QByteArray>(edit.error());
    return document.text();
}

void collectScalars(const YamlNode &node, const QString &prefix,
                    QList<QPair<QString, QString>> *out)
{
    if (node.isScalar()) {
        out->append({prefix, node.scalar});
        return;
    }
    for (int i = 0; i < node.children.size(); ++i) {
        const YamlNode &child = node.children.at(i);
        const QString name = node.isMap() ? child.key : QString::number(i);
        collectScalars(child, prefix.isEmpty() ? name : prefix + u'.' + name, out);
    }
}

// The schema's views of a file: an endpoint, a deployment of either flavour (the text alone
// does not say which until `type:` is typed), or, for a file that is neither yet, all of them.
QList<SpecKind> specKinds(SpecKind kind)
{
    if (kind == SpecKind::Endpoint)
        return {SpecKind::Endpoint};
    if (isDeployment(kind))
        return {SpecKind::ManagedDeployment, SpecKind::KubernetesDeployment};
    return {SpecKind::Endpoint, SpecKind::ManagedDeployment, SpecKind::KubernetesDeployment};
}

// Sequence indexes in an editor path ("0") are skipped by the schema; the path is passed as is.
std::pair<SpecKind, const SchemaKey *> findKey(SpecKind kind, const QStringList &path)
{
    for (SpecKind spec : specKinds(kind)) {
        if (const SchemaKey *key = Schema::instance().key(spec, path))
            return {spec, key};
    }
    return {SpecKind::NotAzureMl, nullptr};
}

} // namespace

Diagnostics EditorModel::validate(const QString &path, const QByteArray &text)
{
    return Validator::validate(YamlDocument::parse(path, text));
}

QStringList EditorModel::keysAt(SpecKind kind, const QStringList &parentPath)
{
    QStringList keys;
    for (SpecKind spec : specKinds(kind)) {
        for (const SchemaKey &key : Schema::instance().keysAt(spec, parentPath)) {
            if (!key.readOnly)
                keys << key.name;
        }
    }
    keys.removeDuplicates();
    return keys;
}

QStringList EditorModel::enumValues(SpecKind kind, const QStringList &path)
{
    const auto [spec, key] = findKey(kind, path);
    return key ? Schema::instance().enumValues(spec, path) : QStringList();
}

QString EditorModel::help(SpecKind kind, const QStringList &path)
{
    const auto [spec, key] = findKey(kind, path);
    if (!key)
        return {};
    // The schema's hover text starts with the key's own name; the editor names the whole path.
    QString text = Schema::instance().hoverDoc(spec, path);
    const QString prefix = key->name + QStringLiteral(" — ");
    if (text.startsWith(prefix))
        text.remove(0, prefix.size());
    return text;
}

Result<QByteArray> EditorModel::setValue(const QString &filePath, const QByteArray &text,
                                         const QString &dottedPath, const QString &value)
{
    YamlDocument document = YamlDocument::parse(filePath, text);
    if (value.isEmpty()) {
        if (!document.find(dottedPath))
            return text;
        return textAfter(document, document.removeKey(dottedPath));
    }
    return textAfter(document, document.setValue(dottedPath, value));
}

Result<QByteArray> EditorModel::setMap(const QString &filePath, const QByteArray &text,
                                       const QString &dottedPath,
                                       const QList<QPair<QString, QString>> &entries)
{
    YamlDocument document = YamlDocument::parse(filePath, text);
    const QStringList path = YamlDocument::splitPath(dottedPath);
    if (entries.isEmpty()) {
        if (!document.find(path))
            return text;
        return textAfter(document, document.removeKey(path));
    }
    return textAfter(document, document.setMap(path, entries));
}

QByteArray EditorModel::scalar(const QString &value)
{
    return YamlDocument::formatScalar(value, YamlDocument::Quoting::Auto);
}

EditorModel::View EditorModel::view(const QString &filePath, const QByteArray &text)
{
    View view;
    const YamlDocument document = YamlDocument::parseTolerant(filePath, text);
    view.kind = detectSpecKind(document);
    if (view.kind == SpecKind::NotAzureMl)
        return view;
    if (view.kind == SpecKind::Endpoint)
        view.endpoint = EndpointSpec::fromDocument(document);
    else
        view.deployment = DeploymentSpec::fromDocument(document);
    view.endpoint.filePath = view.deployment.filePath = filePath;
    collectScalars(document.root(), QString(), &view.scalars);
    return view;
}
