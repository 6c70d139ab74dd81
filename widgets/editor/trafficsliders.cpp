#include "widgets/editor/trafficsliders.h"

#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QSlider>
#include <QSpinBox>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>

TrafficSliders::TrafficSliders(QWidget *parent)
    : QWidget(parent)
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    m_emptyLabel = new QLabel(tr("No deployments for this endpoint yet."), this);
    m_emptyLabel->setWordWrap(true);
    layout->addWidget(m_emptyLabel);
    m_grid = new QGridLayout;
    m_grid->setColumnStretch(1, 1);
    layout->addLayout(m_grid);
    auto *footer = new QHBoxLayout;
    m_totalLabel = new QLabel(this);
    m_totalLabel->setObjectName(QStringLiteral("trafficTotal"));
    footer->addWidget(m_totalLabel, 1);
    auto *even = new QPushButton(tr("Split evenly"), this);
    even->setObjectName(QStringLiteral("splitEvenly"));
    auto *none = new QPushButton(tr("No traffic"), this);
    none->setObjectName(QStringLiteral("noTraffic"));
    footer->addWidget(even);
    footer->addWidget(none);
    layout->addLayout(footer);
    connect(even, &QPushButton::clicked, this, [this] {
        if (m_names.isEmpty())
            return;
        QMap<QString, int> values;
        const int n = int(m_names.size());
        for (int i = 0; i < n; ++i)
            values[m_names.at(i)] = 100 / n + (i < 100 % n ? 1 : 0);
        showValues(values);
        emit trafficChanged(traffic());
    });
    connect(none, &QPushButton::clicked, this, [this] {
        QMap<QString, int> zero;
        for (const QString &name : std::as_const(m_names))
            zero[name] = 0;
        showValues(zero);
        emit trafficChanged(traffic());
    });
    setTraffic({}, {});
}

void TrafficSliders::setTraffic(const QStringList &deployments, const QMap<QString, int> &shares)
{
    if (deployments != m_names) {
        for (QWidget *widget : m_labels)
            delete widget;
        for (QWidget *widget : m_sliders)
            delete widget;
        for (QWidget *widget : m_spins)
            delete widget;
        m_labels.clear();
        m_sliders.clear();
        m_spins.clear();
        m_names = deployments;
        for (int row = 0; row < m_names.size(); ++row) {
            const QString name = m_names.at(row);
            auto *label = new QLabel(name, this);
            auto *slider = new QSlider(Qt::Horizontal, this);
            slider->setRange(0, 100);
            slider->setPageStep(10);
            slider->setObjectName(u"traffic." + name);
            slider->setAccessibleName(tr("Traffic to %1").arg(name));
            auto *spin = new QSpinBox(this);
            spin->setRange(0, 100);
            spin->setSuffix(QStringLiteral(" %"));
            spin->setKeyboardTracking(false);
            spin->setObjectName(u"trafficSpin." + name);
            m_grid->addWidget(label, row, 0);
            m_grid->addWidget(slider, row, 1);
            m_grid->addWidget(spin, row, 2);
            m_labels << label;
            m_sliders << slider;
            m_spins << spin;
            connect(slider, &QSlider::valueChanged, this, [this, name, slider](int value) {
                if (m_updating)
                    return;
                if (slider->isSliderDown()) // follow the drag; commit on release
                    showValues(m_names.size() == 1 ? QMap<QString, int>{{name, value}}
                                                   : rebalance(m_names, traffic(), name, value));
                else
                    userChanged(name, value);
            });
            connect(slider, &QSlider::sliderReleased, this,
                    [this, name, slider] { userChanged(name, slider->value()); });
            connect(spin, &QSpinBox::valueChanged, this, [this, name](int value) {
                if (!m_updating)
                    userChanged(name, value);
            });
        }
    }
    m_emptyLabel->setVisible(m_names.isEmpty());
    QMap<QString, int> values;
    for (const QString &name : std::as_const(m_names))
        values[name] = shares.value(name, 0);
    showValues(values);
}

QMap<QString, int> TrafficSliders::traffic() const
{
    QMap<QString, int> values;
    for (int i = 0; i < m_names.size(); ++i)
        values[m_names.at(i)] = m_spins.at(i)->value();
    return values;
}

int TrafficSliders::total() const
{
    int sum = 0;
    for (const QSpinBox *spin : m_spins)
        sum += spin->value();
    return sum;
}

void TrafficSliders::setShare(const QString &deployment, int percent)
{
    if (m_names.contains(deployment))
        userChanged(deployment, percent);
}

QSlider *TrafficSliders::slider(const QString &deployment) const
{
    const qsizetype index = m_names.indexOf(deployment);
    return index < 0 ? nullptr : m_sliders.at(index);
}

QSpinBox *TrafficSliders::spinBox(const QString &deployment) const
{
    const qsizetype index = m_names.indexOf(deployment);
    return index < 0 ? nullptr : m_spins.at(index);
}

QMap<QString, int> TrafficSliders::rebalance(const QStringList &names,
                                             const QMap<QString, int> &current, const QString &name,
                                             int percent)
{
    percent = qBound(0, percent, 100);
    QMap<QString, int> result;
    result[name] = percent;
    QStringList others = names;
    others.removeAll(name);
    if (others.isEmpty())
        return result;
    const int remaining = 100 - percent;
    int weightSum = 0;
    for (const QString &other : std::as_const(others))
        weightSum += qMax(0, current.value(other));
    // Largest-remainder apportionment keeps integer shares summing exactly to `remaining`.
    QList<QPair<double, QString>> fractions;
    int assigned = 0;
    for (const QString &other : std::as_const(others)) {
        const double exact = weightSum > 0
                                 ? double(remaining) * qMax(0, current.value(other)) / weightSum
                                 : double(remaining) / double(others.size());
        const int whole = int(std::floor(exact));
        result[other] = whole;
        assigned += whole;
        fractions.append({exact - whole, other});
    }
    std::stable_sort(fractions.begin(), fractions.end(),
                     [](const auto &a, const auto &b) { return a.first > b.first; });
    for (int i = 0; assigned < remaining && i < fractions.size(); ++i, ++assigned)
        ++result[fractions.at(i).second];
    return result;
}

void TrafficSliders::userChanged(const QString &name, int percent)
{
    QMap<QString, int> values;
    if (m_names.size() == 1)
        values[name] = percent >= 50 ? 100 : 0; // one deployment: all traffic or none
    else
        values = rebalance(m_names, traffic(), name, percent);
    showValues(values);
    emit trafficChanged(traffic());
}

void TrafficSliders::showValues(const QMap<QString, int> &values)
{
    m_updating = true;
    for (int i = 0; i < m_names.size(); ++i) {
        const int value = values.value(m_names.at(i), 0);
        if (m_sliders.at(i)->value() != value)
            m_sliders.at(i)->setValue(value);
        if (m_spins.at(i)->value() != value)
            m_spins.at(i)->setValue(value);
    }
    m_updating = false;
    const int sum = total();
    m_totalLabel->setText(sum == 100 || sum == 0
                              ? tr("Total: %1%").arg(sum)
                              : tr("Total: %1% — must be 100% (or 0%)").arg(sum));
}
