#pragma once

#include "models/result.h"

#include <QMap>
#include <QString>
#include <QStringList>

// `--traffic "blue=90 green=10"` (one argument or several) as deployment -> percent.
class TrafficSplit
{
public:
    static Result<QMap<QString, int>> parse(const QStringList &arguments);
};
