#include "app/invoke/responseassertion.h"

#include <QJsonArray>
#include <QJsonDocument>

#include <algorithm>

namespace {

QString jsonText(const QJsonValue &v)
{
    if (v.isString())
        return QString::fromUtf8(QJsonDocument(QJsonArray{v}).toJson(QJsonDocument::Compact))
            .mid(1)
            .chopped(1);
    if (v.isObject())
        return QString::fromUtf8(QJsonDocument(v.toObject()).toJson(QJsonDocument::Compact));
    if (v.isArray())
        return QString::fromUtf8(QJsonDocument(v.toArray()).toJson(QJsonDocument::Compact));
    if (v.isBool())
        return v.toBool() ? QStringLiteral("true") : QStringLiteral("false");
    if (v.isNull())
        return QStringLiteral("null");
    if (v.isDouble())
        return QString::number(v.toDouble(), 'g', 17);
    return {};
}

// `200` → number, `"a"` → string, `[1]` → array; text that is not JSON stays a string.
QJsonValue parseExpected(const QString &text)
{
    const QString t = text.trimmed();
    QJsonParseError err{};
    const QJsonDocument doc = QJsonDocument::fromJson(QByteArray('[' + t.toUtf8() + ']'), &err);
    if (err.error == QJsonParseError::NoError && doc.isArray() && doc.array().size() == 1)
        return doc.array().at(0);
    return QJsonValue(text);
}

bool sameValue(const QJsonValue &a, const QJsonValue &b)
{
    if (a.isDouble() && b.isDouble())
        return a.toDouble() == b.toDouble();
    // `eq 200` against a header or a string field "200" should pass: compare the text.
    if (a.isString() != b.isString() && (a.isDouble() || b.isDouble() || a.isBool() || b.isBool()))
        return (a.isString() ? a.toString() : jsonText(a)) ==
               (b.isString() ? b.toString() : jsonText(b));
    return a == b;
}

} // namespace

QStringList ResponseAssertion::operators()
{
    return {QStringLiteral("eq"),       QStringLiteral("neq"),    QStringLiteral("lt"),
            QStringLiteral("lte"),      QStringLiteral("gt"),     QStringLiteral("gte"),
            QStringLiteral("contains"), QStringLiteral("exists"), QStringLiteral("notExists")};
}

std::optional<QJsonValue> ResponseAssertion::resolvePath(const QJsonValue &root,
                                                         const QString &path, QString *error)
{
    auto fail = [error](const QString &message) -> std::optional<QJsonValue> {
        if (error)
            *error = message;
        return std::nullopt;
    };
    QString p = path.trimmed();
    qsizetype i = 0;
    if (p.startsWith(u'$'))
        i = 1;
    else if (!p.isEmpty() && p.at(0) != u'[' && p.at(0) != u'.')
        p.prepend(u'.'); // `data[0]` means `$.data[0]`
    QJsonValue cur = root;
    QString where = QStringLiteral("$");
    while (i < p.size()) {
        const QChar c = p.at(i);
        if (c == u'.') {
            qsizetype j = i + 1;
            while (j < p.size() && p.at(j) != u'.' && p.at(j) != u'[')
                ++j;
            const QString key = p.mid(i + 1, j - i - 1);
            if (key.isEmpty())
                return fail(u"empty key after " + where);
            if (!cur.isObject())
                return fail(where + u" is not an object");
            const QJsonObject obj = cur.toObject();
            if (!obj.contains(key))
                return fail(u"no key '" + key + u"' at " + where);
            cur = obj.value(key);
            where += u'.' + key;
            i = j;
        } else if (c == u'[') {
            const qsizetype close = p.indexOf(u']', i);
            if (close < 0)
                return fail(QStringLiteral("missing ] in path"));
            const QString inner = p.mid(i + 1, close - i - 1).trimmed();
            if (inner.size() >= 2 && (inner.startsWith(u'\'') || inner.startsWith(u'"')) &&
                inner.endsWith(inner.at(0))) {
                const QString key = inner.mid(1, inner.size() - 2);
                if (!cur.isObject() || !cur.toObject().contains(key))
                    return fail(u"no key '" + key + u"' at " + where);
                cur = cur.toObject().value(key);
                where += u"['" + key + u"']";
            } else {
                bool ok = false;
                qsizetype index = inner.toLongLong(&ok);
                if (!ok)
                    return fail(u"bad index [" + inner + u']');
                if (!cur.isArray())
                    return fail(where + u" is not an array");
                const QJsonArray arr = cur.toArray();
                if (index < 0)
                    index += arr.size();
                if (index < 0 || index >= arr.size())
                    return fail(u"index " + inner + u" out of range at " + where + u" (size " +
                                QString::number(arr.size()) + u')');
                cur = arr.at(index);
                where += u'[' + inner + u']';
            }
            i = close + 1;
        } else {
            return fail(u"unexpected '" + QString(c) + u"' in path");
        }
    }
    return cur;
}

ResponseAssertion::Outcome ResponseAssertion::evaluate(const ScoringResponse &response) const
{
    Outcome out;
    const QString t = target.trimmed();
    std::optional<QJsonValue> actual;
    QString missing;
    if (t.compare(u"status", Qt::CaseInsensitive) == 0) {
        if (response.completed())
            actual = QJsonValue(response.status);
        else
            missing = u"no response: " + response.statusText();
    } else if (t.startsWith(u"header ", Qt::CaseInsensitive)) {
        const QByteArray name = t.mid(7).trimmed().toLatin1();
        bool found = false;
        for (const auto &h : response.headers) {
            if (h.first.compare(name, Qt::CaseInsensitive) == 0) {
                found = true;
                actual = QJsonValue(QString::fromLatin1(h.second));
                break;
            }
        }
        if (!found)
            missing = u"no header " + QString::fromLatin1(name);
    } else {
        QJsonParseError err{};
        // Wrapped in [] so that a scalar body ("ok", 42) is JSON too.
        QByteArray wrapped;
        wrapped.reserve(response.body.size() + 2);
        wrapped.append('[').append(response.body).append(']');
        const QJsonDocument doc = QJsonDocument::fromJson(wrapped, &err);
        if (err.error != QJsonParseError::NoError || !doc.isArray() || doc.array().size() != 1)
            missing = QStringLiteral("body is not JSON");
        else
            actual = resolvePath(doc.array().at(0), t, &missing);
    }
    if (actual)
        out.actual = jsonText(*actual);

    if (op == u"exists" || op == u"notExists") {
        const bool want = op == u"exists";
        out.passed = actual.has_value() == want;
        out.message = out.passed ? (want ? QStringLiteral("exists") : QStringLiteral("absent"))
                                 : (want ? missing : u"exists: " + out.actual);
        return out;
    }
    if (!actual) {
        out.message = missing;
        return out;
    }
    const QJsonValue want = parseExpected(expected);
    const QString wantText = jsonText(want);
    if (op == u"eq" || op == u"neq") {
        const bool same = sameValue(*actual, want);
        out.passed = (op == u"eq") == same;
        out.message = out.passed
                          ? QStringLiteral("ok")
                          : (op == u"eq" ? QString(u"expected " + wantText + u", got " + out.actual)
                                         : QString(u"expected anything but " + wantText));
    } else if (op == u"lt" || op == u"lte" || op == u"gt" || op == u"gte") {
        bool okA = actual->isDouble(), okB = want.isDouble();
        const double a = okA ? actual->toDouble() : actual->toString().toDouble(&okA);
        const double b = okB ? want.toDouble() : want.toString().toDouble(&okB);
        if (!okA || !okB) {
            out.message = QStringLiteral("not a number");
            return out;
        }
        out.passed = op == u"lt" ? a < b : op == u"lte" ? a <= b : op == u"gt" ? a > b : a >= b;
        out.message = out.passed ? QStringLiteral("ok")
                                 : u"expected " + op + u' ' + wantText + u", got " + out.actual;
    } else if (op == u"contains") {
        if (actual->isArray()) {
            const QJsonArray arr = actual->toArray();
            out.passed = std::any_of(arr.begin(), arr.end(),
                                     [&](const QJsonValue &v) { return sameValue(v, want); });
        } else if (actual->isObject()) {
            out.passed = actual->toObject().contains(want.isString() ? want.toString() : wantText);
        } else {
            out.passed = (actual->isString() ? actual->toString() : out.actual)
                             .contains(want.isString() ? want.toString() : wantText);
        }
        out.message = out.passed ? QStringLiteral("ok")
                                 : out.actual.left(60) + u" does not contain " + wantText;
    } else {
        out.message = u"unknown operator " + op;
    }
    return out;
}

QList<ResponseAssertion::Outcome>
ResponseAssertion::evaluateAll(const QList<ResponseAssertion> &assertions,
                               const ScoringResponse &response)
{
    QList<Outcome> out;
    for (const ResponseAssertion &a : assertions)
        out.append(a.evaluate(response));
    return out;
}

QJsonObject ResponseAssertion::toJson() const
{
    return QJsonObject{{QStringLiteral("target"), target},
                       {QStringLiteral("op"), op},
                       {QStringLiteral("expected"), expected},
                       {QStringLiteral("enabled"), enabled}};
}

ResponseAssertion ResponseAssertion::fromJson(const QJsonObject &o)
{
    ResponseAssertion a;
    a.target = o.value(u"target").toString();
    a.op = o.value(u"op").toString(QStringLiteral("eq"));
    a.expected = o.value(u"expected").toString();
    a.enabled = o.value(u"enabled").toBool(true);
    return a;
}
