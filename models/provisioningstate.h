#pragma once

#include <QMetaType>
#include <QString>

// Provisioning states of a local deployment, named as Azure names them.
enum class ProvisioningState {
    Unknown,
    Creating,
    Updating,
    Deleting,
    Succeeded,
    Failed,
    Canceled,
};

QString provisioningStateName(ProvisioningState state);
ProvisioningState provisioningStateFromName(const QString &name);
bool isTransitional(ProvisioningState state); // Creating, Updating, Deleting

Q_DECLARE_METATYPE(ProvisioningState)
