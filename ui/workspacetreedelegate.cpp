#include "ui/workspacetreedelegate.h"

#include "models/provisioningstate.h"
#include "ui/workspacetreemodel.h"
#include "widgets/statusbadge.h"

#include <QAbstractItemView>
#include <QApplication>
#include <QPainter>
#include <QTimerEvent>

WorkspaceTreeDelegate::WorkspaceTreeDelegate(QAbstractItemView *view)
    : QStyledItemDelegate(view)
    , m_view(view)
{}

void WorkspaceTreeDelegate::setAnimating(bool animating)
{
    if (animating && !m_timer.isActive())
        m_timer.start(80, this);
    else if (!animating && m_timer.isActive())
        m_timer.stop();
}

void WorkspaceTreeDelegate::timerEvent(QTimerEvent *event)
{
    if (event->timerId() != m_timer.timerId())
        return QStyledItemDelegate::timerEvent(event);
    m_angle = (m_angle + 30) % 360;
    m_view->viewport()->update();
}

QSize WorkspaceTreeDelegate::sizeHint(const QStyleOptionViewItem &option,
                                      const QModelIndex &index) const
{
    QSize size = QStyledItemDelegate::sizeHint(option, index);
    size.setHeight(qMax(size.height(), option.fontMetrics.height() + 8));
    return size;
}

void WorkspaceTreeDelegate::paint(QPainter *painter, const QStyleOptionViewItem &option,
                                  const QModelIndex &index) const
{
    const int kind = index.data(WorkspaceTreeModel::KindRole).toInt();
    if (kind != WorkspaceTreeModel::DeploymentItem) {
        QStyledItemDelegate::paint(painter, option, index);
        return;
    }

    QStyleOptionViewItem opt = option;
    initStyleOption(&opt, index);
    const QString name = opt.text;
    opt.text.clear();
    QStyle *style = opt.widget ? opt.widget->style() : QApplication::style();
    style->drawControl(QStyle::CE_ItemViewItem, &opt, painter, opt.widget);

    painter->save();
    painter->setRenderHint(QPainter::Antialiasing);
    const bool deployed = index.data(WorkspaceTreeModel::DeployedRole).toBool();
    const auto state = ProvisioningState(index.data(WorkspaceTreeModel::StateRole).toInt());
    const int progress = index.data(WorkspaceTreeModel::ProgressRole).toInt();
    const int traffic = index.data(WorkspaceTreeModel::TrafficRole).toInt();
    const QRect rect = opt.rect.adjusted(4, 0, -6, 0);
    const int dot = opt.fontMetrics.height() - 4;
    const QRectF dotRect(rect.left() + 1, rect.center().y() - dot / 2.0, dot, dot);
    const QColor color = deployed ? StatusBadge::colorFor(state)
                                  : opt.palette.color(QPalette::Disabled, QPalette::WindowText);
    const bool spinning = (deployed && isTransitional(state)) || progress >= 0;
    if (spinning) {
        painter->setPen(
            QPen(StatusBadge::colorFor(deployed ? state : ProvisioningState::Creating), 2));
        painter->setBrush(Qt::NoBrush);
        painter->drawArc(dotRect, m_angle * 16, 270 * 16);
    } else if (deployed) {
        painter->setPen(Qt::NoPen);
        painter->setBrush(color);
        painter->drawEllipse(dotRect);
    } else {
        painter->setPen(QPen(color, 1.2));
        painter->setBrush(Qt::NoBrush);
        painter->drawEllipse(dotRect.adjusted(1, 1, -1, -1));
    }

    const bool selected = opt.state & QStyle::State_Selected;
    const QColor text = opt.palette.color(selected ? QPalette::HighlightedText : QPalette::Text);
    QColor dim = text;
    dim.setAlphaF(0.6f);
    QRect textRect = rect.adjusted(dot + 8, 0, 0, 0);

    QString right;
    if (traffic >= 0)
        right = QStringLiteral("%1%").arg(traffic);
    // ↻N: restarts after failed liveness probes.
    const int restarts = deployed ? index.data(WorkspaceTreeModel::RestartsRole).toInt() : 0;
    if (restarts > 0)
        right = QStringLiteral("\u21bb%1 ").arg(restarts) + right;
    const int rightWidth = right.isEmpty() ? 0 : opt.fontMetrics.horizontalAdvance(right) + 6;
    painter->setPen(dim);
    if (!right.isEmpty())
        painter->drawText(textRect, Qt::AlignVCenter | Qt::AlignRight, right);
    textRect.setRight(textRect.right() - rightWidth);

    painter->setPen(text);
    const QString elided = opt.fontMetrics.elidedText(name, Qt::ElideRight, textRect.width());
    painter->drawText(textRect, Qt::AlignVCenter | Qt::AlignLeft, elided);
    const int nameWidth = opt.fontMetrics.horizontalAdvance(elided) + 8;

    QString stateText;
    if (progress >= 0)
        stateText = QStringLiteral("%1 %2%").arg(
            deployed ? provisioningStateName(state) : tr("Deploying"), QString::number(progress));
    else if (deployed)
        stateText = provisioningStateName(state);
    if (!stateText.isEmpty() && nameWidth < textRect.width()) {
        QFont small = opt.font;
        small.setPointSizeF(small.pointSizeF() * 0.9);
        painter->setFont(small);
        painter->setPen(selected ? dim : color);
        QRect stateRect = textRect.adjusted(nameWidth, 0, 0, 0);
        const QFontMetrics metrics(small);
        const QString shown = metrics.elidedText(stateText, Qt::ElideRight, stateRect.width());
        painter->drawText(stateRect, Qt::AlignVCenter | Qt::AlignLeft, shown);
        // A "built-in" tag: the studio's server stands in for Azure's.
        if (deployed && index.data(WorkspaceTreeModel::BuiltInRole).toBool()) {
            stateRect.setLeft(stateRect.left() + metrics.horizontalAdvance(shown) + 6);
            const QString tag = tr("built-in");
            const int tagWidth = metrics.horizontalAdvance(tag) + 8;
            if (tagWidth < stateRect.width()) {
                const QRectF pill(stateRect.left(), stateRect.center().y() - metrics.height() / 2.0,
                                  tagWidth, metrics.height());
                painter->setPen(Qt::NoPen);
                painter->setBrush(QColor(0xb0, 0x6f, 0x00));
                painter->drawRoundedRect(pill, 4, 4);
                painter->setPen(Qt::white);
                painter->drawText(pill, Qt::AlignCenter, tag);
            }
        }
    }

    if (progress >= 0) {
        const QRectF bar(textRect.left(), opt.rect.bottom() - 3, textRect.width(), 2.5);
        QColor track = text;
        track.setAlphaF(0.15f);
        painter->setPen(Qt::NoPen);
        painter->setBrush(track);
        painter->drawRect(bar);
        painter->setBrush(StatusBadge::colorFor(ProvisioningState::Creating));
        painter->drawRect(
            QRectF(bar.left(), bar.top(), bar.width() * progress / 100.0, bar.height()));
    }
    painter->restore();
}
