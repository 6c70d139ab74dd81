#include "app/runtime/instancetypes.h"

#include <QLocale>

namespace {

// The size series pages of Azure's VM documentation (MicrosoftDocs/azure-compute-docs,
// articles/virtual-machines/sizes/...), "Basics" tables: vCPUs and memory per size.
const QString dsv2 = QStringLiteral(
    "https://learn.microsoft.com/azure/virtual-machines/sizes/general-purpose/dsv2-series");
const QString dv2 = QStringLiteral(
    "https://learn.microsoft.com/azure/virtual-machines/sizes/general-purpose/dv2-series");
const QString dv3 = QStringLiteral(
    "https://learn.microsoft.com/azure/virtual-machines/sizes/general-purpose/dv3-series");
const QString dsv3 = QStringLiteral(
    "https://learn.microsoft.com/azure/virtual-machines/sizes/general-purpose/dsv3-series");
const QString fsv2 = QStringLiteral(
    "https://learn.microsoft.com/azure/virtual-machines/sizes/compute-optimized/fsv2-series");
const QString ev3 = QStringLiteral("https://learn.microsoft.com/azure/virtual-machines/sizes/"
                                   "memory-optimized/ev3-esv3-series");
const QString ncv3 = QStringLiteral(
    "https://learn.microsoft.com/azure/virtual-machines/sizes/gpu-accelerated/ncv3-series");
const QString nct4 = QStringLiteral(
    "https://learn.microsoft.com/azure/virtual-machines/sizes/gpu-accelerated/ncast4v3-series");

QList<InstanceType> table()
{
    return {
        // DSv2 (Dsv2 sizes series, "Basics")
        {QStringLiteral("Standard_DS1_v2"), 1, 3.5, 0, dsv2},
        {QStringLiteral("Standard_DS2_v2"), 2, 7, 0, dsv2},
        {QStringLiteral("Standard_DS3_v2"), 4, 14, 0, dsv2},
        {QStringLiteral("Standard_DS4_v2"), 8, 28, 0, dsv2},
        {QStringLiteral("Standard_DS5_v2"), 16, 56, 0, dsv2},
        // Dv2
        {QStringLiteral("Standard_D1_v2"), 1, 3.5, 0, dv2},
        {QStringLiteral("Standard_D2_v2"), 2, 7, 0, dv2},
        {QStringLiteral("Standard_D3_v2"), 4, 14, 0, dv2},
        {QStringLiteral("Standard_D4_v2"), 8, 28, 0, dv2},
        {QStringLiteral("Standard_D5_v2"), 16, 56, 0, dv2},
        // Dv3
        {QStringLiteral("Standard_D2_v3"), 2, 8, 0, dv3},
        {QStringLiteral("Standard_D4_v3"), 4, 16, 0, dv3},
        {QStringLiteral("Standard_D8_v3"), 8, 32, 0, dv3},
        {QStringLiteral("Standard_D16_v3"), 16, 64, 0, dv3},
        {QStringLiteral("Standard_D32_v3"), 32, 128, 0, dv3},
        {QStringLiteral("Standard_D48_v3"), 48, 192, 0, dv3},
        {QStringLiteral("Standard_D64_v3"), 64, 256, 0, dv3},
        // Dsv3
        {QStringLiteral("Standard_D2s_v3"), 2, 8, 0, dsv3},
        {QStringLiteral("Standard_D4s_v3"), 4, 16, 0, dsv3},
        {QStringLiteral("Standard_D8s_v3"), 8, 32, 0, dsv3},
        {QStringLiteral("Standard_D16s_v3"), 16, 64, 0, dsv3},
        {QStringLiteral("Standard_D32s_v3"), 32, 128, 0, dsv3},
        {QStringLiteral("Standard_D48s_v3"), 48, 192, 0, dsv3},
        {QStringLiteral("Standard_D64s_v3"), 64, 256, 0, dsv3},
        // Fsv2
        {QStringLiteral("Standard_F2s_v2"), 2, 4, 0, fsv2},
        {QStringLiteral("Standard_F4s_v2"), 4, 8, 0, fsv2},
        {QStringLiteral("Standard_F8s_v2"), 8, 16, 0, fsv2},
        {QStringLiteral("Standard_F16s_v2"), 16, 32, 0, fsv2},
        {QStringLiteral("Standard_F32s_v2"), 32, 64, 0, fsv2},
        {QStringLiteral("Standard_F48s_v2"), 48, 96, 0, fsv2},
        {QStringLiteral("Standard_F64s_v2"), 64, 128, 0, fsv2},
        {QStringLiteral("Standard_F72s_v2"), 72, 144, 0, fsv2},
        // Ev3 and Esv3
        {QStringLiteral("Standard_E2_v3"), 2, 16, 0, ev3},
        {QStringLiteral("Standard_E4_v3"), 4, 32, 0, ev3},
        {QStringLiteral("Standard_E8_v3"), 8, 64, 0, ev3},
        {QStringLiteral("Standard_E16_v3"), 16, 128, 0, ev3},
        {QStringLiteral("Standard_E20_v3"), 20, 160, 0, ev3},
        {QStringLiteral("Standard_E32_v3"), 32, 256, 0, ev3},
        {QStringLiteral("Standard_E48_v3"), 48, 384, 0, ev3},
        {QStringLiteral("Standard_E64_v3"), 64, 432, 0, ev3},
        {QStringLiteral("Standard_E2s_v3"), 2, 16, 0, ev3},
        {QStringLiteral("Standard_E4s_v3"), 4, 32, 0, ev3},
        {QStringLiteral("Standard_E8s_v3"), 8, 64, 0, ev3},
        {QStringLiteral("Standard_E16s_v3"), 16, 128, 0, ev3},
        {QStringLiteral("Standard_E20s_v3"), 20, 160, 0, ev3},
        {QStringLiteral("Standard_E32s_v3"), 32, 256, 0, ev3},
        {QStringLiteral("Standard_E48s_v3"), 48, 384, 0, ev3},
        {QStringLiteral("Standard_E64s_v3"), 64, 432, 0, ev3},
        // NCv3 (V100) and NCasT4_v3 (T4): "Basics" and "Accelerators"
        {QStringLiteral("Standard_NC6s_v3"), 6, 112, 1, ncv3},
        {QStringLiteral("Standard_NC12s_v3"), 12, 224, 2, ncv3},
        {QStringLiteral("Standard_NC24s_v3"), 24, 448, 4, ncv3},
        {QStringLiteral("Standard_NC24rs_v3"), 24, 448, 4, ncv3},
        {QStringLiteral("Standard_NC4as_T4_v3"), 4, 28, 1, nct4},
        {QStringLiteral("Standard_NC8as_T4_v3"), 8, 56, 1, nct4},
        {QStringLiteral("Standard_NC16as_T4_v3"), 16, 110, 1, nct4},
        {QStringLiteral("Standard_NC64as_T4_v3"), 64, 440, 4, nct4},
    };
}

} // namespace

QString InstanceType::memoryText() const
{
    return QLocale::c().toString(memoryGiB, 'g', 6) + QStringLiteral(" GiB");
}

const QList<InstanceType> &InstanceTypes::all()
{
    static const QList<InstanceType> types = table();
    return types;
}

std::optional<InstanceType> InstanceTypes::find(const QString &name)
{
    for (const InstanceType &t : all())
        if (t.name.compare(name.trimmed(), Qt::CaseInsensitive) == 0)
            return t;
    return std::nullopt;
}
