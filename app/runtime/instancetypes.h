#pragma once

#include <QList>
#include <QString>

#include <optional>

// One Azure VM size a managed online deployment's instance_type can name: what it has in
// Azure, and the page of Azure's VM size documentation the figures come from.
struct InstanceType
{
    QString name; // Standard_DS3_v2
    int vcpus = 0;
    double memoryGiB = 0; // as the Azure page gives it
    int gpus = 0;         // NVIDIA GPUs
    QString source;       // learn.microsoft.com page of the size series

    qint64 memoryBytes() const { return qint64(memoryGiB * 1024.0 * 1024.0 * 1024.0); }
    // "7 GiB", "3.5 GiB"
    QString memoryText() const;
};

// The Azure VM sizes the studio knows: the DSv2/Dv2, Dv3/Dsv3, Fsv2 and Ev3/Esv3 families,
// and the NCv3 and NCasT4_v3 GPU families. Figures from Azure's VM size pages (source per row).
class InstanceTypes
{
public:
    // Case-insensitive, as Azure accepts instance_type ("standard_ds3_v2").
    static std::optional<InstanceType> find(const QString &name);
    static const QList<InstanceType> &all();
};
