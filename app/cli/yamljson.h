#pragma once

#include "models/result.h"

#include <QByteArray>
#include <QJsonValue>

// A YAML document as JSON, with plain scalars typed by YAML 1.2's core schema (so `1` is a
// number, `"1"` a string, `true` a bool, `~` null) — the data az prints for a YAML file.
class YamlJson
{
public:
    static Result<QJsonValue> fromYaml(const QByteArray &text);
};
