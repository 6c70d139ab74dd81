#pragma once

#include <QString>

#include <optional>

class YamlNode;

// How azure-ai-ml's marshmallow fields read a YAML value (fields.Int, fields.Float, fields.Bool,
// fields.Str with strict=False, marshmallow 3): "5000" is 5000, "true" and 1 are true, 1.5 is 1
// for an Int, and a YAML number is not text. Used by the validator (to say what was coerced)
// and by the specs (to read the value Azure would read).
class FieldCoercion
{
public:
    enum class How {
        Exact,     // the YAML type is the field's type
        Coerced,   // converted without loss ("5000" -> 5000, "yes" -> true, 1.0 -> 1)
        Truncated, // fields.Int downcasts a fraction: 1.5 -> 1
    };
    template<typename T>
    struct Value
    {
        T value{};
        How how = How::Exact;
    };

    static std::optional<Value<qint64>> toInt(const YamlNode &node);
    static std::optional<Value<double>> toNumber(const YamlNode &node);
    static std::optional<Value<bool>> toBool(const YamlNode &node);
    // A scalar that YAML reads as a string: quoted, block, or plain and not a number, boolean
    // or null. fields.Str refuses anything else ("Not a valid string.").
    static bool isText(const YamlNode &node);
    // What YAML reads a plain scalar as, for messages: "a number", "a boolean", "text".
    static QString yamlTypeName(const YamlNode &node);
};
