#pragma once

#include "models/provisioningstate.h"

#include <QColor>
#include <QIcon>
#include <QWidget>

// A small coloured pill that shows a provisioning state, spinning while it is transitional.
class StatusBadge : public QWidget
{
    Q_OBJECT
public:
    explicit StatusBadge(QWidget *parent = nullptr);

    void setState(ProvisioningState state);
    ProvisioningState state() const { return m_state; }

    static QColor colorFor(ProvisioningState state);
    static QIcon iconFor(ProvisioningState state, int size = 14);

    QSize sizeHint() const override;

protected:
    void paintEvent(QPaintEvent *event) override;
    void timerEvent(QTimerEvent *event) override;

private:
    ProvisioningState m_state = ProvisioningState::Unknown;
    int m_spinTimer = 0;
    int m_angle = 0;
};
