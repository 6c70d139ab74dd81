#include "app/cli/jmespathjson.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <limits>
#include <vector>

namespace {

// Reads JSON as python's json.loads does: strict RFC 8259 plus NaN / Infinity / -Infinity,
// duplicate keys keep their first place and their last value.
class JsonReader
{
public:
    explicit JsonReader(QStringView text)
        : m_text(text)
    {}

    Result<JmesPathValue> readDocument()
    {
        skipSpace();
        std::optional<JmesPathValue> value = readValue(0);
        if (value) {
            skipSpace();
            if (m_pos < m_text.size())
                fail(QStringLiteral("extra text after the JSON value"));
        }
        if (!m_error.isEmpty())
            return Result<JmesPathValue>::failure(
                QStringLiteral("%1 at offset %2").arg(m_error).arg(m_errorPos));
        return *value;
    }

private:
    static constexpr int maxDepth = 512;

    void fail(const QString &what)
    {
        if (m_error.isEmpty()) {
            m_error = what;
            m_errorPos = m_pos;
        }
    }
    void skipSpace()
    {
        while (m_pos < m_text.size()) {
            const char16_t c = m_text.at(m_pos).unicode();
            if (c != u' ' && c != u'\t' && c != u'\n' && c != u'\r')
                break;
            ++m_pos;
        }
    }
    bool startsWith(QLatin1StringView word) const { return m_text.mid(m_pos).startsWith(word); }

    std::optional<JmesPathValue> readValue(int depth)
    {
        if (depth > maxDepth) {
            fail(QStringLiteral("JSON nested deeper than %1 levels").arg(maxDepth));
            return std::nullopt;
        }
        if (m_pos >= m_text.size()) {
            fail(QStringLiteral("expected a JSON value"));
            return std::nullopt;
        }
        const char16_t c = m_text.at(m_pos).unicode();
        if (c == u'{')
            return readObject(depth);
        if (c == u'[')
            return readArray(depth);
        if (c == u'"') {
            std::optional<QString> text = readString();
            if (!text)
                return std::nullopt;
            return JmesPathValue::string(*text);
        }
        struct Word
        {
            QLatin1StringView text;
            JmesPathValue value;
        };
        const Word words[] = {
            {QLatin1StringView("true"), JmesPathValue::boolean(true)},
            {QLatin1StringView("false"), JmesPathValue::boolean(false)},
            {QLatin1StringView("null"), JmesPathValue()},
            {QLatin1StringView("NaN"),
             JmesPathValue::real(std::numeric_limits<double>::quiet_NaN())},
            {QLatin1StringView("Infinity"),
             JmesPathValue::real(std::numeric_limits<double>::infinity())},
            {QLatin1StringView("-Infinity"),
             JmesPathValue::real(-std::numeric_limits<double>::infinity())},
        };
        for (const Word &word : words) {
            if (startsWith(word.text)) {
                m_pos += word.text.size();
                return word.value;
            }
        }
        if (c == u'-' || (c >= u'0' && c <= u'9'))
            return readNumber();
        fail(QStringLiteral("expected a JSON value"));
        return std::nullopt;
    }

    std::optional<JmesPathValue> readNumber()
    {
        const qsizetype start = m_pos;
        const auto digits = [this] {
            const qsizetype from = m_pos;
            while (m_pos < m_text.size() && m_text.at(m_pos) >= u'0' && m_text.at(m_pos) <= u'9')
                ++m_pos;
            return m_pos - from;
        };
        if (m_text.at(m_pos) == u'-')
            ++m_pos;
        if (m_pos < m_text.size() && m_text.at(m_pos) == u'0')
            ++m_pos;
        else if (digits() == 0) {
            fail(QStringLiteral("expected a JSON value"));
            return std::nullopt;
        }
        bool isInteger = true;
        if (m_pos + 1 < m_text.size() && m_text.at(m_pos) == u'.' && m_text.at(m_pos + 1) >= u'0' &&
            m_text.at(m_pos + 1) <= u'9') {
            ++m_pos;
            digits();
            isInteger = false;
        }
        if (m_pos < m_text.size() && (m_text.at(m_pos) == u'e' || m_text.at(m_pos) == u'E')) {
            qsizetype save = m_pos;
            ++m_pos;
            if (m_pos < m_text.size() && (m_text.at(m_pos) == u'+' || m_text.at(m_pos) == u'-'))
                ++m_pos;
            if (digits() == 0)
                m_pos = save; // python's number pattern then stops before the 'e'
            else
                isInteger = false;
        }
        const QByteArray text = m_text.mid(start, m_pos - start).toLatin1();
        if (isInteger) {
            qint64 value = 0;
            const auto [end, error] =
                std::from_chars(text.constData(), text.constData() + text.size(), value);
            if (error == std::errc() && end == text.constData() + text.size())
                return JmesPathValue::integer(value);
            // Beyond 64 bits python keeps every digit; the nearest double is what we keep.
            return JmesPathValue::wholeNumber(text.toDouble());
        }
        double value = 0;
        const auto [end, error] =
            std::from_chars(text.constData(), text.constData() + text.size(), value);
        if (error != std::errc()) // out of range: python gives inf or 0.0, as toDouble() does
            value = text.toDouble();
        return JmesPathValue::real(value);
    }

    std::optional<QString> readString()
    {
        ++m_pos; // the opening quote
        QString out;
        while (true) {
            if (m_pos >= m_text.size()) {
                fail(QStringLiteral("unterminated string"));
                return std::nullopt;
            }
            const QChar c = m_text.at(m_pos);
            if (c == u'"') {
                ++m_pos;
                return out;
            }
            if (c.unicode() < 0x20) {
                fail(QStringLiteral("control character in a string"));
                return std::nullopt;
            }
            if (c != u'\\') {
                out.append(c);
                ++m_pos;
                continue;
            }
            if (m_pos + 1 >= m_text.size()) {
                fail(QStringLiteral("unterminated string"));
                return std::nullopt;
            }
            const char16_t escape = m_text.at(m_pos + 1).unicode();
            m_pos += 2;
            switch (escape) {
            case u'"':
                out.append(u'"');
                break;
            case u'\\':
                out.append(u'\\');
                break;
            case u'/':
                out.append(u'/');
                break;
            case u'b':
                out.append(u'\b');
                break;
            case u'f':
                out.append(u'\f');
                break;
            case u'n':
                out.append(u'\n');
                break;
            case u'r':
                out.append(u'\r');
                break;
            case u't':
                out.append(u'\t');
                break;
            case u'u': {
                bool ok = m_pos + 4 <= m_text.size();
                char16_t code = 0;
                for (qsizetype i = m_pos; ok && i < m_pos + 4; ++i) {
                    const char16_t h = m_text.at(i).unicode();
                    int nibble = -1;
                    if (h >= u'0' && h <= u'9')
                        nibble = h - u'0';
                    else if (h >= u'a' && h <= u'f')
                        nibble = h - u'a' + 10;
                    else if (h >= u'A' && h <= u'F')
                        nibble = h - u'A' + 10;
                    ok = nibble >= 0;
                    code = static_cast<char16_t>(code * 16 + std::max(nibble, 0));
                }
                if (!ok) {
                    fail(QStringLiteral("invalid \\u escape"));
                    return std::nullopt;
                }
                out.append(QChar(code));
                m_pos += 4;
                break;
            }
            default:
                m_pos -= 2;
                fail(QStringLiteral("invalid escape in a string"));
                return std::nullopt;
            }
        }
    }

    std::optional<JmesPathValue> readArray(int depth)
    {
        ++m_pos;
        JmesPathValue::Array elements;
        skipSpace();
        if (m_pos < m_text.size() && m_text.at(m_pos) == u']') {
            ++m_pos;
            return JmesPathValue::array(std::move(elements));
        }
        while (true) {
            skipSpace();
            std::optional<JmesPathValue> element = readValue(depth + 1);
            if (!element)
                return std::nullopt;
            elements.push_back(std::move(*element));
            skipSpace();
            if (m_pos < m_text.size() && m_text.at(m_pos) == u',') {
                ++m_pos;
                continue;
            }
            if (m_pos < m_text.size() && m_text.at(m_pos) == u']') {
                ++m_pos;
                return JmesPathValue::array(std::move(elements));
            }
            fail(QStringLiteral("expected ',' or ']'"));
            return std::nullopt;
        }
    }

    std::optional<JmesPathValue> readObject(int depth)
    {
        ++m_pos;
        JmesPathValue::Object members;
        skipSpace();
        if (m_pos < m_text.size() && m_text.at(m_pos) == u'}') {
            ++m_pos;
            return JmesPathValue::object(std::move(members));
        }
        while (true) {
            skipSpace();
            if (m_pos >= m_text.size() || m_text.at(m_pos) != u'"') {
                fail(QStringLiteral("expected a member name in double quotes"));
                return std::nullopt;
            }
            std::optional<QString> key = readString();
            if (!key)
                return std::nullopt;
            skipSpace();
            if (m_pos >= m_text.size() || m_text.at(m_pos) != u':') {
                fail(QStringLiteral("expected ':'"));
                return std::nullopt;
            }
            ++m_pos;
            skipSpace();
            std::optional<JmesPathValue> value = readValue(depth + 1);
            if (!value)
                return std::nullopt;
            auto existing = std::find_if(members.begin(), members.end(),
                                         [&](const auto &member) { return member.first == *key; });
            if (existing != members.end())
                existing->second = std::move(*value);
            else
                members.emplace_back(std::move(*key), std::move(*value));
            skipSpace();
            if (m_pos < m_text.size() && m_text.at(m_pos) == u',') {
                ++m_pos;
                continue;
            }
            if (m_pos < m_text.size() && m_text.at(m_pos) == u'}') {
                ++m_pos;
                return JmesPathValue::object(std::move(members));
            }
            fail(QStringLiteral("expected ',' or '}'"));
            return std::nullopt;
        }
    }

    QStringView m_text;
    qsizetype m_pos = 0;
    QString m_error;
    qsizetype m_errorPos = 0;
};

void writeJsonString(const QString &text, QString &out)
{
    static const char hex[] = "0123456789abcdef";
    out.append(u'"');
    for (const QChar ch : text) {
        const char16_t c = ch.unicode();
        switch (c) {
        case u'"':
            out.append(QLatin1StringView("\\\""));
            continue;
        case u'\\':
            out.append(QLatin1StringView("\\\\"));
            continue;
        case u'\n':
            out.append(QLatin1StringView("\\n"));
            continue;
        case u'\r':
            out.append(QLatin1StringView("\\r"));
            continue;
        case u'\t':
            out.append(QLatin1StringView("\\t"));
            continue;
        case u'\b':
            out.append(QLatin1StringView("\\b"));
            continue;
        case u'\f':
            out.append(QLatin1StringView("\\f"));
            continue;
        default:
            break;
        }
        if (c >= 0x20 && c <= 0x7E) {
            out.append(ch);
            continue;
        }
        const char escaped[] = {
            '\\',        'u', hex[(c >> 12) & 0xF], hex[(c >> 8) & 0xF], hex[(c >> 4) & 0xF],
            hex[c & 0xF]};
        out.append(QLatin1StringView(escaped, 6));
    }
    out.append(u'"');
}

void writeJson(const JmesPathValue &value, QString &out)
{
    switch (value.type()) {
    case JmesPathValue::Type::Null:
    case JmesPathValue::Type::Expression:
        out.append(QLatin1StringView("null"));
        return;
    case JmesPathValue::Type::Boolean:
        out.append(value.toBool() ? QLatin1StringView("true") : QLatin1StringView("false"));
        return;
    case JmesPathValue::Type::Integer:
        out.append(QString::number(value.toInteger()));
        return;
    case JmesPathValue::Type::Double:
        out.append(JmesPathJson::floatText(value.toDouble()));
        return;
    case JmesPathValue::Type::LargeInteger:
        out.append(JmesPathJson::wholeNumberText(value.toDouble()));
        return;
    case JmesPathValue::Type::String:
        writeJsonString(value.toString(), out);
        return;
    case JmesPathValue::Type::Array: {
        out.append(u'[');
        bool first = true;
        for (const JmesPathValue &element : value.toArray()) {
            if (!first)
                out.append(u',');
            first = false;
            writeJson(element, out);
        }
        out.append(u']');
        return;
    }
    case JmesPathValue::Type::Object: {
        out.append(u'{');
        bool first = true;
        for (const JmesPathValue::Member &member : value.toObject()) {
            if (!first)
                out.append(u',');
            first = false;
            writeJsonString(member.first, out);
            out.append(u':');
            writeJson(member.second, out);
        }
        out.append(u'}');
        return;
    }
    }
}

} // namespace

Result<JmesPathValue> JmesPathJson::read(QStringView text)
{
    return JsonReader(text).readDocument();
}

QString JmesPathJson::write(const JmesPathValue &value)
{
    QString out;
    writeJson(value, out);
    return out;
}

QString JmesPathJson::floatText(double value)
{
    if (std::isnan(value))
        return QStringLiteral("NaN");
    if (std::isinf(value))
        return value > 0 ? QStringLiteral("Infinity") : QStringLiteral("-Infinity");
    // The shortest round-trip digits, then python's layout: positional when the decimal
    // exponent is in [-4, 16), else d.ddde+XX; always a '.0' on whole numbers.
    char buffer[64];
    const auto result =
        std::to_chars(buffer, buffer + sizeof buffer, value, std::chars_format::scientific);
    const QLatin1StringView text(buffer, result.ptr - buffer);
    const qsizetype e = text.indexOf(u'e');
    const bool negative = text.startsWith(u'-');
    QString digits = QString(text.mid(negative ? 1 : 0, e - (negative ? 1 : 0))).remove(u'.');
    const int exponent = text.mid(e + 1).toInt();
    const int point = exponent + 1; // value = 0.<digits> * 10^point
    QString out = negative ? QStringLiteral("-") : QString();
    if (point <= -4 || point > 16) {
        out += digits.left(1);
        if (digits.size() > 1)
            out += u'.' + digits.mid(1);
        out += u'e' + QString(exponent < 0 ? u'-' : u'+') +
               QString::number(std::abs(exponent)).rightJustified(2, u'0');
    } else if (point <= 0) {
        out += QStringLiteral("0.") + QString(-point, u'0') + digits;
    } else if (point >= digits.size()) {
        out += digits + QString(point - digits.size(), u'0') + QStringLiteral(".0");
    } else {
        out += digits.left(point) + u'.' + digits.mid(point);
    }
    return out;
}

QString JmesPathJson::wholeNumberText(double value)
{
    if (!std::isfinite(value) || value != std::trunc(value))
        return floatText(value);
    // value = mantissa * 2^exponent, then doubled exponent times in base 10^9 limbs.
    int exponent = 0;
    const double fraction = std::frexp(std::fabs(value), &exponent);
    auto mantissa = static_cast<quint64>(std::ldexp(fraction, 53));
    exponent -= 53;
    while (exponent < 0) { // small whole numbers: the mantissa has trailing zero bits
        mantissa >>= 1;
        ++exponent;
    }
    std::vector<quint32> limbs; // least significant first
    for (; mantissa; mantissa /= 1000000000)
        limbs.push_back(static_cast<quint32>(mantissa % 1000000000));
    for (int i = 0; i < exponent; ++i) {
        quint32 carry = 0;
        for (quint32 &limb : limbs) {
            const quint64 doubled = quint64(limb) * 2 + carry;
            limb = static_cast<quint32>(doubled % 1000000000);
            carry = static_cast<quint32>(doubled / 1000000000);
        }
        if (carry)
            limbs.push_back(carry);
    }
    if (limbs.empty())
        return QStringLiteral("0");
    QString out = value < 0 ? QStringLiteral("-") : QString();
    out += QString::number(limbs.back());
    for (auto it = limbs.rbegin() + 1; it != limbs.rend(); ++it)
        out += QString::number(*it).rightJustified(9, u'0');
    return out;
}
