#include "models/version.h"

#include <QtGlobal>

namespace StudioVersion {

QString applicationName()
{
    return QStringLiteral("Endpoint Studio");
}

QString version()
{
    return QStringLiteral(STUDIO_VERSION);
}

QString describe()
{
    return applicationName() + u' ' + version() + QStringLiteral(" (Qt ") +
           QString::fromLatin1(qVersion()) + u')';
}

} // namespace StudioVersion
