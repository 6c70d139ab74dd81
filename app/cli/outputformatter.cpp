#include "app/cli/outputformatter.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QRegularExpression>
#include <QVariant>

#include <charconv>
#include <cmath>

std::optional<OutputFormatter::Format> OutputFormatter::formatFromName(const QString &name)
{
    const QString n = name.toLower();
    if (n == u"json")
        return Format::Json;
    if (n == u"jsonc")
        return Format::Jsonc;
    if (n == u"tsv")
        return Format::Tsv;
    if (n == u"table")
        return Format::Table;
    if (n == u"yaml")
        return Format::Yaml;
    if (n == u"yamlc")
        return Format::Yamlc;
    if (n == u"none")
        return Format::None;
    return std::nullopt;
}

QString OutputFormatter::format(const QJsonValue &value, Format format)
{
    if (value.isNull() || value.isUndefined())
        return {};
    switch (format) {
    case Format::Json:
    case Format::Jsonc:
        return toJson(value);
    case Format::Tsv:
        return toTsv(value);
    case Format::Table:
        return toTable(value);
    case Format::Yaml:
    case Format::Yamlc:
        return toYaml(value);
    case Format::None:
        return {};
    }
    return {};
}

QString OutputFormatter::number(const QJsonValue &value)
{
    const QVariant variant = value.toVariant();
    if (variant.typeId() == QMetaType::LongLong || variant.typeId() == QMetaType::Int)
        return QString::number(variant.toLongLong());
    const double d = value.toDouble();
    if (std::isnan(d))
        return QStringLiteral("NaN");
    if (std::isinf(d))
        return d > 0 ? QStringLiteral("Infinity") : QStringLiteral("-Infinity");
    // Shortest round-trip digits, laid out by Python's repr() rule: fixed notation for
    // exponents in [-4, 16), scientific with a signed two-digit exponent otherwise.
    char buffer[64];
    const auto result =
        std::to_chars(buffer, buffer + sizeof buffer, d, std::chars_format::scientific);
    const QString sci = QString::fromLatin1(buffer, result.ptr - buffer);
    const qsizetype ePos = sci.indexOf(QLatin1Char('e'));
    QString mantissa = sci.left(ePos);
    const int exponent = sci.mid(ePos + 1).toInt();
    const bool negative = mantissa.startsWith(QLatin1Char('-'));
    if (negative)
        mantissa.remove(0, 1);
    const QString digits = mantissa.remove(QLatin1Char('.'));
    QString out;
    if (exponent >= -4 && exponent < 16) {
        const int point = exponent + 1;
        if (point <= 0)
            out = QStringLiteral("0.") + QString(-point, QLatin1Char('0')) + digits;
        else if (point >= digits.size())
            out = digits + QString(point - digits.size(), QLatin1Char('0')) + QStringLiteral(".0");
        else
            out = digits.left(point) + QLatin1Char('.') + digits.mid(point);
    } else {
        out = digits.left(1);
        if (digits.size() > 1)
            out += QLatin1Char('.') + digits.mid(1);
        out += QStringLiteral("e%1%2")
                   .arg(exponent < 0 ? QLatin1Char('-') : QLatin1Char('+'))
                   .arg(std::abs(exponent), 2, 10, QLatin1Char('0'));
    }
    return negative ? QLatin1Char('-') + out : out;
}

namespace {

QString jsonString(const QString &text)
{
    QString out;
    out.reserve(text.size() + 2);
    out += QLatin1Char('"');
    for (const QChar c : text) {
        switch (c.unicode()) {
        case '"':
            out += QLatin1String("\\\"");
            break;
        case '\\':
            out += QLatin1String("\\\\");
            break;
        case '\n':
            out += QLatin1String("\\n");
            break;
        case '\r':
            out += QLatin1String("\\r");
            break;
        case '\t':
            out += QLatin1String("\\t");
            break;
        case '\b':
            out += QLatin1String("\\b");
            break;
        case '\f':
            out += QLatin1String("\\f");
            break;
        default:
            if (c.unicode() < 0x20)
                out += QStringLiteral("\\u%1").arg(c.unicode(), 4, 16, QLatin1Char('0'));
            else
                out += c;
        }
    }
    out += QLatin1Char('"');
    return out;
}

void writeJson(const QJsonValue &value, int indent, QString &out)
{
    const QString pad(indent, QLatin1Char(' '));
    const QString innerPad(indent + 2, QLatin1Char(' '));
    switch (value.type()) {
    case QJsonValue::Object: {
        const QJsonObject object = value.toObject();
        if (object.isEmpty()) {
            out += QLatin1String("{}");
            return;
        }
        out += QLatin1String("{\n");
        bool first = true;
        for (auto it = object.begin(); it != object.end(); ++it) {
            if (!first)
                out += QLatin1String(",\n");
            first = false;
            out += innerPad + jsonString(it.key()) + QLatin1String(": ");
            writeJson(it.value(), indent + 2, out);
        }
        out += QLatin1Char('\n') + pad + QLatin1Char('}');
        return;
    }
    case QJsonValue::Array: {
        const QJsonArray array = value.toArray();
        if (array.isEmpty()) {
            out += QLatin1String("[]");
            return;
        }
        out += QLatin1String("[\n");
        for (qsizetype i = 0; i < array.size(); ++i) {
            if (i > 0)
                out += QLatin1String(",\n");
            out += innerPad;
            writeJson(array.at(i), indent + 2, out);
        }
        out += QLatin1Char('\n') + pad + QLatin1Char(']');
        return;
    }
    case QJsonValue::String:
        out += jsonString(value.toString());
        return;
    case QJsonValue::Double:
        out += OutputFormatter::number(value);
        return;
    case QJsonValue::Bool:
        out += value.toBool() ? QLatin1String("true") : QLatin1String("false");
        return;
    case QJsonValue::Null:
    case QJsonValue::Undefined:
        out += QLatin1String("null");
        return;
    }
}

// str() of a Python value, as knack's tsv and tabulate print cells.
QString pythonStr(const QJsonValue &value)
{
    switch (value.type()) {
    case QJsonValue::String:
        return value.toString();
    case QJsonValue::Double:
        return OutputFormatter::number(value);
    case QJsonValue::Bool:
        return value.toBool() ? QStringLiteral("True") : QStringLiteral("False");
    case QJsonValue::Null:
    case QJsonValue::Undefined:
        return QStringLiteral("None");
    case QJsonValue::Array:
        return QString::number(value.toArray().size());
    case QJsonValue::Object:
        return {};
    }
    return {};
}

QString tsvRow(const QJsonValue &row)
{
    QStringList cells;
    if (row.isObject()) {
        const QJsonObject object = row.toObject();
        for (auto it = object.begin(); it != object.end(); ++it)
            cells << pythonStr(it.value());
    } else if (row.isArray()) {
        for (const QJsonValue &cell : row.toArray())
            cells << pythonStr(cell);
    } else {
        cells << pythonStr(row);
    }
    return cells.join(QLatin1Char('\t')) + QLatin1Char('\n');
}

// knack's _auto_table_item: scalar fields only, id/type/etag skipped, keys capitalised.
QList<std::pair<QString, QString>> tableRow(const QJsonValue &item)
{
    QList<std::pair<QString, QString>> row;
    if (item.isObject()) {
        const QJsonObject object = item.toObject();
        for (auto it = object.begin(); it != object.end(); ++it) {
            const QString key = it.key();
            if (key == u"id" || key == u"type" || key == u"etag")
                continue;
            const QJsonValue v = it.value();
            if (v.isNull() || v.isArray() || v.isObject())
                continue;
            const QString header = key.isEmpty() ? key : key.at(0).toUpper() + key.mid(1);
            row.append({header, pythonStr(v)});
        }
    } else if (item.isArray()) {
        const QJsonArray array = item.toArray();
        for (qsizetype i = 0; i < array.size(); ++i)
            row.append({QStringLiteral("Column%1").arg(i + 1), pythonStr(array.at(i))});
    } else {
        row.append({QStringLiteral("Result"), pythonStr(item)});
    }
    return row;
}

const QRegularExpression &yamlPlainUnsafe()
{
    // Strings PyYAML would read back as another type, or that YAML syntax would misparse.
    static const QRegularExpression re(QStringLiteral(
        R"(^(?:~|null|Null|NULL|true|True|TRUE|false|False|FALSE|yes|Yes|YES|no|No|)"
        R"(NO|on|On|ON|off|Off|OFF|y|Y|n|N|[-+]?(?:\d[\d_]*)?\.?\d[\d_]*(?:[eE][-+]?\d+)?|)"
        R"(0x[0-9a-fA-F_]+|0o?[0-7_]+|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN)|)"
        R"(\d+(?::[0-5]?\d)+(?:\.\d*)?|\d{4}-\d\d?-\d\d?.*)$|^[\s\-?:,\[\]{}#&*!|>'"%@`])"
        R"(|:\s|\s#|:$|\s$)"));
    return re;
}

QString yamlScalar(const QJsonValue &value)
{
    switch (value.type()) {
    case QJsonValue::String: {
        const QString s = value.toString();
        bool control = false;
        for (const QChar c : s) {
            if (c.unicode() < 0x20 || c.unicode() == 0x7f)
                control = true;
        }
        if (control)
            return jsonString(s);
        if (s.isEmpty() || yamlPlainUnsafe().match(s).hasMatch())
            return QLatin1Char('\'') + QString(s).replace(QLatin1Char('\''), QLatin1String("''")) +
                   QLatin1Char('\'');
        return s;
    }
    case QJsonValue::Double: {
        const QString n = OutputFormatter::number(value);
        if (n == u"NaN")
            return QStringLiteral(".nan");
        if (n.endsWith(QLatin1String("Infinity")))
            return n.startsWith(QLatin1Char('-')) ? QStringLiteral("-.inf")
                                                  : QStringLiteral(".inf");
        return n;
    }
    case QJsonValue::Bool:
        return value.toBool() ? QStringLiteral("true") : QStringLiteral("false");
    case QJsonValue::Null:
    case QJsonValue::Undefined:
        return QStringLiteral("null");
    case QJsonValue::Array:
        return QStringLiteral("[]");
    case QJsonValue::Object:
        return QStringLiteral("{}");
    }
    return {};
}

bool isEmptyCollection(const QJsonValue &v)
{
    return (v.isArray() && v.toArray().isEmpty()) || (v.isObject() && v.toObject().isEmpty());
}

bool isScalar(const QJsonValue &v)
{
    return (!v.isArray() && !v.isObject()) || isEmptyCollection(v);
}

// PyYAML block style: mapping values indented by 2, sequences inside a mapping not indented.
void writeYaml(const QJsonValue &value, int indent, QString &out)
{
    const QString pad(indent, QLatin1Char(' '));
    if (value.isObject()) {
        const QJsonObject object = value.toObject();
        for (auto it = object.begin(); it != object.end(); ++it) {
            const QString key = yamlScalar(it.key());
            const QJsonValue v = it.value();
            if (isScalar(v)) {
                out += pad + key + QLatin1String(": ") + yamlScalar(v) + QLatin1Char('\n');
            } else if (v.isArray()) {
                out += pad + key + QLatin1String(":\n");
                writeYaml(v, indent, out);
            } else {
                out += pad + key + QLatin1String(":\n");
                writeYaml(v, indent + 2, out);
            }
        }
    } else if (value.isArray()) {
        for (const QJsonValue &item : value.toArray()) {
            if (isScalar(item)) {
                out += pad + QLatin1String("- ") + yamlScalar(item) + QLatin1Char('\n');
                continue;
            }
            // The first line of a nested block goes after the dash.
            QString nested;
            writeYaml(item, indent + 2, nested);
            out += pad + QLatin1String("- ") + nested.mid(indent + 2);
        }
    }
}

} // namespace

QString OutputFormatter::toJson(const QJsonValue &value)
{
    QString out;
    writeJson(value, 0, out);
    return out + QLatin1Char('\n');
}

QString OutputFormatter::toTsv(const QJsonValue &value)
{
    if (!value.isArray())
        return tsvRow(value);
    QString out;
    for (const QJsonValue &row : value.toArray())
        out += tsvRow(row);
    return out;
}

QString OutputFormatter::toTable(const QJsonValue &value)
{
    QList<QList<std::pair<QString, QString>>> rows;
    if (value.isArray()) {
        for (const QJsonValue &item : value.toArray())
            rows << tableRow(item);
    } else {
        rows << tableRow(value);
    }
    QStringList headers;
    for (const auto &row : rows) {
        for (const auto &[header, cell] : row) {
            if (!headers.contains(header))
                headers << header;
        }
    }
    if (headers.isEmpty())
        return {};
    QList<QStringList> grid;
    for (const auto &row : rows) {
        QStringList line;
        for (const QString &header : headers) {
            QString cell;
            for (const auto &[h, c] : row) {
                if (h == header)
                    cell = c;
            }
            line << cell;
        }
        grid << line;
    }
    QList<qsizetype> widths;
    for (qsizetype c = 0; c < headers.size(); ++c) {
        qsizetype width = headers.at(c).size();
        for (const QStringList &line : grid)
            width = std::max(width, line.at(c).size());
        widths << width;
    }
    auto layout = [&widths](const QStringList &cells) -> QString {
        QString line;
        for (qsizetype c = 0; c < cells.size(); ++c) {
            if (c > 0)
                line += QLatin1String("  ");
            line += cells.at(c).leftJustified(widths.at(c));
        }
        while (line.endsWith(QLatin1Char(' ')))
            line.chop(1);
        return line + QLatin1Char('\n');
    };
    QStringList dashes;
    for (const qsizetype width : widths)
        dashes << QString(width, QLatin1Char('-'));
    QString out = layout(headers) + layout(dashes);
    for (const QStringList &line : grid)
        out += layout(line);
    return out;
}

QString OutputFormatter::toYaml(const QJsonValue &value)
{
    if (isScalar(value))
        return yamlScalar(value) + (value.isString() || value.isDouble() || value.isBool()
                                        ? QStringLiteral("\n...\n")
                                        : QStringLiteral("\n"));
    QString out;
    writeYaml(value, 0, out);
    return out;
}
