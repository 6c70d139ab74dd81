#include "ui/problemspanel.h"

#include <QDir>
#include <QHeaderView>
#include <QStyle>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace {
enum Column { MessageColumn, FileColumn, LineColumn };
constexpr int LocationRole = Qt::UserRole + 1;
} // namespace

ProblemsPanel::ProblemsPanel(QWidget *parent)
    : QWidget(parent)
    , m_view(new QTreeWidget(this))
{
    m_view->setObjectName(QStringLiteral("problemsView"));
    m_view->setRootIsDecorated(false);
    m_view->setUniformRowHeights(true);
    m_view->setAlternatingRowColors(true);
    m_view->setHeaderLabels({tr("Problem"), tr("File"), tr("Line")});
    m_view->header()->setSectionResizeMode(MessageColumn, QHeaderView::Stretch);
    m_view->header()->setSectionResizeMode(FileColumn, QHeaderView::ResizeToContents);
    m_view->header()->setSectionResizeMode(LineColumn, QHeaderView::ResizeToContents);
    m_view->header()->setStretchLastSection(false);
    connect(m_view, &QTreeWidget::itemActivated, this, [this](QTreeWidgetItem *item) {
        emit locationActivated(
            item->data(MessageColumn, LocationRole).value<Diagnostic>().location);
    });
    connect(m_view, &QTreeWidget::itemClicked, this, [this](QTreeWidgetItem *item) {
        emit locationActivated(
            item->data(MessageColumn, LocationRole).value<Diagnostic>().location);
    });
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_view);
}

void ProblemsPanel::setRootFolder(const QString &folder)
{
    m_root = folder;
    rebuild();
}

void ProblemsPanel::setDiagnostics(const QString &filePath, const Diagnostics &diagnostics)
{
    if (diagnostics.isEmpty()) {
        if (!m_byFile.remove(filePath))
            return;
    } else {
        m_byFile.insert(filePath, diagnostics);
    }
    rebuild();
}

void ProblemsPanel::clear()
{
    m_byFile.clear();
    rebuild();
}

Diagnostics ProblemsPanel::diagnostics() const
{
    Diagnostics all;
    for (const Diagnostics &list : m_byFile)
        all += list;
    return all;
}

std::optional<Diagnostic> ProblemsPanel::selectFirst(Severity severity)
{
    for (int i = 0; i < m_view->topLevelItemCount(); ++i) {
        QTreeWidgetItem *item = m_view->topLevelItem(i);
        const Diagnostic d = item->data(MessageColumn, LocationRole).value<Diagnostic>();
        if (d.severity != severity)
            continue;
        m_view->setCurrentItem(item);
        m_view->scrollToItem(item);
        return d;
    }
    return std::nullopt;
}

int ProblemsPanel::errorCount() const
{
    int count = 0;
    for (const Diagnostics &list : m_byFile)
        count += int(std::count_if(list.begin(), list.end(),
                                   [](const auto &d) { return d.severity == Severity::Error; }));
    return count;
}

int ProblemsPanel::warningCount() const
{
    int count = 0;
    for (const Diagnostics &list : m_byFile)
        count += int(std::count_if(list.begin(), list.end(),
                                   [](const auto &d) { return d.severity == Severity::Warning; }));
    return count;
}

void ProblemsPanel::rebuild()
{
    // The selected problem stays selected when the list is rebuilt (another file's validation
    // finishing must not take away the problem a refused deploy selected).
    std::optional<Diagnostic> selected;
    if (const QTreeWidgetItem *current = m_view->currentItem())
        selected = current->data(MessageColumn, LocationRole).value<Diagnostic>();
    m_view->setUpdatesEnabled(false);
    m_view->clear();
    const QDir root(m_root);
    QStyle *style = this->style();
    const QIcon errorIcon = style->standardIcon(QStyle::SP_MessageBoxCritical);
    const QIcon warningIcon = style->standardIcon(QStyle::SP_MessageBoxWarning);
    const QIcon infoIcon = style->standardIcon(QStyle::SP_MessageBoxInformation);
    QList<QTreeWidgetItem *> items;
    for (auto it = m_byFile.cbegin(); it != m_byFile.cend(); ++it) {
        Diagnostics sorted = it.value();
        std::stable_sort(sorted.begin(), sorted.end(), [](const auto &a, const auto &b) {
            return a.location.line < b.location.line;
        });
        for (const Diagnostic &diagnostic : std::as_const(sorted)) {
            SourceLocation location = diagnostic.location;
            if (location.file.isEmpty())
                location.file = it.key();
            const QString file =
                m_root.isEmpty() ? location.file : root.relativeFilePath(location.file);
            auto *item = new QTreeWidgetItem;
            item->setText(MessageColumn, diagnostic.message);
            item->setText(FileColumn, QDir::toNativeSeparators(file));
            item->setText(
                LineColumn,
                location.line > 0
                    ? QStringLiteral("%1:%2").arg(location.line).arg(qMax(1, location.column))
                    : QString());
            item->setIcon(MessageColumn, diagnostic.severity == Severity::Error     ? errorIcon
                                         : diagnostic.severity == Severity::Warning ? warningIcon
                                                                                    : infoIcon);
            QString tip = diagnostic.toString();
            if (!diagnostic.hint.isEmpty())
                tip += u'\n' + diagnostic.hint;
            item->setToolTip(MessageColumn, tip);
            Diagnostic located = diagnostic;
            located.location = location;
            item->setData(MessageColumn, LocationRole, QVariant::fromValue(located));
            items << item;
        }
    }
    m_view->addTopLevelItems(items);
    if (selected) {
        for (QTreeWidgetItem *item : std::as_const(items)) {
            const Diagnostic d = item->data(MessageColumn, LocationRole).value<Diagnostic>();
            if (d.code == selected->code && d.message == selected->message &&
                d.location.file == selected->location.file &&
                d.location.line == selected->location.line &&
                d.location.column == selected->location.column) {
                m_view->setCurrentItem(item);
                break;
            }
        }
    }
    m_view->setUpdatesEnabled(true);
    emit countsChanged(errorCount(), warningCount());
}
