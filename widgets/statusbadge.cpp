#include "widgets/statusbadge.h"

#include <QPainter>
#include <QPixmap>
#include <QTimerEvent>

StatusBadge::StatusBadge(QWidget *parent)
    : QWidget(parent)
{
    setSizePolicy(QSizePolicy::Fixed, QSizePolicy::Fixed);
}

void StatusBadge::setState(ProvisioningState state)
{
    if (state == m_state)
        return;
    m_state = state;
    if (isTransitional(state) && m_spinTimer == 0)
        m_spinTimer = startTimer(80);
    else if (!isTransitional(state) && m_spinTimer != 0) {
        killTimer(m_spinTimer);
        m_spinTimer = 0;
    }
    setToolTip(provisioningStateName(state));
    updateGeometry();
    update();
}

QColor StatusBadge::colorFor(ProvisioningState state)
{
    switch (state) {
    case ProvisioningState::Succeeded:
        return QColor(0x2e, 0x9d, 0x4f);
    case ProvisioningState::Failed:
        return QColor(0xd1, 0x34, 0x38);
    case ProvisioningState::Creating:
    case ProvisioningState::Updating:
        return QColor(0x1f, 0x6f, 0xd1);
    case ProvisioningState::Deleting:
        return QColor(0xc7, 0x7c, 0x02);
    case ProvisioningState::Canceled:
    case ProvisioningState::Unknown:
        break;
    }
    return QColor(0x80, 0x80, 0x80);
}

QIcon StatusBadge::iconFor(ProvisioningState state, int size)
{
    QPixmap pixmap(size, size);
    pixmap.fill(Qt::transparent);
    QPainter painter(&pixmap);
    painter.setRenderHint(QPainter::Antialiasing);
    painter.setPen(Qt::NoPen);
    painter.setBrush(colorFor(state));
    if (isTransitional(state)) {
        painter.setBrush(Qt::NoBrush);
        painter.setPen(QPen(colorFor(state), 2));
        painter.drawArc(QRectF(2, 2, size - 4, size - 4), 90 * 16, 270 * 16);
    } else {
        painter.drawEllipse(QRectF(2, 2, size - 4, size - 4));
    }
    return QIcon(pixmap);
}

QSize StatusBadge::sizeHint() const
{
    const QFontMetrics metrics = fontMetrics();
    return {metrics.horizontalAdvance(provisioningStateName(m_state)) + metrics.height() + 16,
            metrics.height() + 6};
}

void StatusBadge::paintEvent(QPaintEvent *)
{
    QPainter painter(this);
    painter.setRenderHint(QPainter::Antialiasing);
    const QColor color = colorFor(m_state);
    const QRectF box = QRectF(rect()).adjusted(0.5, 0.5, -0.5, -0.5);
    QColor fill = color;
    fill.setAlpha(40);
    painter.setPen(QPen(color, 1));
    painter.setBrush(fill);
    painter.drawRoundedRect(box, box.height() / 2, box.height() / 2);

    const qreal dot = box.height() - 10;
    const QRectF dotRect(box.left() + 6, box.top() + 5, dot, dot);
    if (isTransitional(m_state)) {
        painter.setPen(QPen(color, 2));
        painter.setBrush(Qt::NoBrush);
        painter.drawArc(dotRect, m_angle * 16, 270 * 16);
    } else {
        painter.setPen(Qt::NoPen);
        painter.setBrush(color);
        painter.drawEllipse(dotRect);
    }
    painter.setPen(palette().color(QPalette::WindowText));
    painter.drawText(box.adjusted(dot + 10, 0, -6, 0), Qt::AlignVCenter | Qt::AlignLeft,
                     provisioningStateName(m_state));
}

void StatusBadge::timerEvent(QTimerEvent *event)
{
    if (event->timerId() != m_spinTimer)
        return QWidget::timerEvent(event);
    m_angle = (m_angle + 30) % 360;
    update();
}
