#include "app/invoke/requestsnippets.h"

#include <QJsonArray>
#include <QJsonDocument>

QString RequestSnippets::shellQuote(const QString &text)
{
    QString out = QStringLiteral("'");
    for (QChar c : text) {
        if (c == u'\'')
            out += QStringLiteral("'\\''");
        else
            out += c;
    }
    out += u'\'';
    return out;
}

QString RequestSnippets::pythonString(const QString &text)
{
    // JSON string escapes are a subset of Python's, so Qt's JSON writer does the work.
    const QByteArray json = QJsonDocument(QJsonArray{text}).toJson(QJsonDocument::Compact);
    return QString::fromUtf8(json.mid(1, json.size() - 2));
}

QString RequestSnippets::curl(const ScoringRequest &request)
{
    QStringList parts{QStringLiteral("curl -sS")};
    if (request.method == ScoringMethod::Get)
        parts.last() += QStringLiteral(" -X GET");
    const QString url = request.url.toString(QUrl::FullyEncoded);
    // curl reads [] and {} in a URL as glob patterns; `?data=[[1,2]]` must go out literally.
    if (url.contains(u'[') || url.contains(u'{'))
        parts.last() += QStringLiteral(" -g");
    parts.last() += u' ' + shellQuote(url);
    for (const auto &[name, value] : request.effectiveHeaders())
        parts.append(u"-H " + shellQuote(name + u": " + value));
    if (request.timeoutMs > 0)
        parts.append(u"--max-time " + QString::number(request.timeoutMs / 1000.0, 'g', 6));
    if (request.method == ScoringMethod::Post)
        parts.append(u"--data-binary " + shellQuote(QString::fromUtf8(request.body)));
    return parts.join(QStringLiteral(" \\\n  ")) + u'\n';
}

QString RequestSnippets::python(const ScoringRequest &request)
{
    QString s = QStringLiteral("import requests\n\nresponse = requests.");
    s +=
        request.method == ScoringMethod::Get ? QStringLiteral("get(\n") : QStringLiteral("post(\n");
    s += u"    " + pythonString(request.url.toString(QUrl::FullyEncoded)) + u",\n";
    const HttpHeaderList headers = request.effectiveHeaders();
    if (!headers.isEmpty()) {
        s += QStringLiteral("    headers={\n");
        for (const auto &[name, value] : headers)
            s += u"        " + pythonString(name) + u": " + pythonString(value) + u",\n";
        s += QStringLiteral("    },\n");
    }
    if (request.method == ScoringMethod::Post)
        s +=
            u"    data=" + pythonString(QString::fromUtf8(request.body)) + u".encode(\"utf-8\"),\n";
    if (request.timeoutMs > 0)
        s += u"    timeout=" + QString::number(request.timeoutMs / 1000.0, 'f', 3) + u",\n";
    s += QStringLiteral(")\nprint(response.status_code)\nprint(response.text)\n");
    return s;
}
