#include "models/provisioningstate.h"

#include <array>
#include <utility>

namespace {

constexpr std::array<std::pair<ProvisioningState, const char *>, 7> names{{
    {ProvisioningState::Unknown, "Unknown"},
    {ProvisioningState::Creating, "Creating"},
    {ProvisioningState::Updating, "Updating"},
    {ProvisioningState::Deleting, "Deleting"},
    {ProvisioningState::Succeeded, "Succeeded"},
    {ProvisioningState::Failed, "Failed"},
    {ProvisioningState::Canceled, "Canceled"},
}};

} // namespace

QString provisioningStateName(ProvisioningState state)
{
    for (const auto &[value, name] : names)
        if (value == state)
            return QString::fromLatin1(name);
    return QStringLiteral("Unknown");
}

ProvisioningState provisioningStateFromName(const QString &name)
{
    for (const auto &[value, text] : names)
        if (name.compare(QLatin1String(text), Qt::CaseInsensitive) == 0)
            return value;
    return ProvisioningState::Unknown;
}

bool isTransitional(ProvisioningState state)
{
    return state == ProvisioningState::Creating || state == ProvisioningState::Updating ||
           state == ProvisioningState::Deleting;
}
