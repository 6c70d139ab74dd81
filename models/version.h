#pragma once

#include <QString>

// The product's name and version, shared by the window title, `--version` and logs.
namespace StudioVersion {
QString applicationName();
QString version();
QString describe(); // "Endpoint Studio 0.1.0 (Qt 6.4.2)"
} // namespace StudioVersion
