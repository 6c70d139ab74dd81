#pragma once

#include <QBasicTimer>
#include <QStyledItemDelegate>

class QAbstractItemView;

// Paints a deployment row as: state icon (a spinning arc while Creating/Updating/Deleting),
// name, state name, traffic share on the right, and a thin progress bar while an operation runs.
class WorkspaceTreeDelegate : public QStyledItemDelegate
{
    Q_OBJECT
public:
    explicit WorkspaceTreeDelegate(QAbstractItemView *view);

    void paint(QPainter *painter, const QStyleOptionViewItem &option,
               const QModelIndex &index) const override;
    QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const override;

    // Keeps the spinner turning while some row is transitional.
    void setAnimating(bool animating);

protected:
    void timerEvent(QTimerEvent *event) override;

private:
    QAbstractItemView *m_view;
    QBasicTimer m_timer;
    int m_angle = 0;
};
