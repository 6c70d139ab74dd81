#pragma once

#include <QMap>
#include <QWidget>

class QGridLayout;
class QLabel;
class QSlider;
class QSpinBox;

// One slider (and spin box) per deployment of an endpoint. Moving one rebalances the others
// proportionally so the shares keep summing to 100; all at 0 (no traffic) is the other valid
// state. trafficChanged fires once per user change (slider release, key, spin box), never while
// the values are set from outside.
class TrafficSliders : public QWidget
{
    Q_OBJECT
public:
    explicit TrafficSliders(QWidget *parent = nullptr);

    // Deployment -> percent; deployments missing from `traffic` get 0.
    void setTraffic(const QStringList &deployments, const QMap<QString, int> &shares);
    QMap<QString, int> traffic() const;
    QStringList deployments() const { return m_names; }
    int total() const;

    // Sets one deployment's share as a user would, rebalancing the others; emits trafficChanged.
    void setShare(const QString &deployment, int percent);
    QSlider *slider(const QString &deployment) const;
    QSpinBox *spinBox(const QString &deployment) const;

    // Shares that keep the total at 100: `name` gets `percent`, the rest of 100 is split between
    // the others in proportion to their current shares (equally when they are all 0).
    static QMap<QString, int> rebalance(const QStringList &names, const QMap<QString, int> &current,
                                        const QString &name, int percent);

signals:
    void trafficChanged(const QMap<QString, int> &traffic);

private:
    void userChanged(const QString &name, int percent);
    void showValues(const QMap<QString, int> &values);

    QGridLayout *m_grid;
    QLabel *m_totalLabel;
    QLabel *m_emptyLabel;
    QStringList m_names;
    QList<QSlider *> m_sliders;
    QList<QSpinBox *> m_spins;
    QList<QLabel *> m_labels;
    bool m_updating = false;
};
