#include "ui/deploymentstatuspage.h"

#include "widgets/statusbadge.h"

#include <QApplication>
#include <QClipboard>
#include <QFontDatabase>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QScrollArea>
#include <QStackedWidget>
#include <QTableWidget>
#include <QTextCursor>
#include <QVBoxLayout>

namespace {

QTableWidget *makeTable(const QStringList &headers, const QString &name, QWidget *parent)
{
    auto *table = new QTableWidget(0, int(headers.size()), parent);
    table->setObjectName(name);
    table->setHorizontalHeaderLabels(headers);
    table->verticalHeader()->hide();
    table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    table->setSelectionBehavior(QAbstractItemView::SelectRows);
    table->setAlternatingRowColors(true);
    table->horizontalHeader()->setStretchLastSection(true);
    table->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    table->setVerticalScrollBarPolicy(Qt::ScrollBarAsNeeded);
    table->setMinimumHeight(100);
    return table;
}

void setRow(QTableWidget *table, int row, const QStringList &cells)
{
    for (int column = 0; column < cells.size(); ++column) {
        auto *item = new QTableWidgetItem(cells[column]);
        item->setToolTip(cells[column]);
        table->setItem(row, column, item);
    }
}

QString formatDuration(qint64 ms)
{
    if (ms < 0)
        return QObject::tr("running…");
    if (ms < 1000)
        return QStringLiteral("%1 ms").arg(ms);
    return QStringLiteral("%1 s").arg(ms / 1000.0, 0, 'f', 1);
}

QLabel *valueLabel(const QString &name, QWidget *parent)
{
    auto *label = new QLabel(parent);
    label->setObjectName(name);
    label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    label->setWordWrap(true);
    return label;
}

} // namespace

DeploymentStatusPage::DeploymentStatusPage(QWidget *parent)
    : QWidget(parent)
    , m_stack(new QStackedWidget(this))
    , m_empty(new QLabel(tr("Select a deployment in the workspace to see its status."), this))
{
    setObjectName(QStringLiteral("statusPage"));
    m_empty->setAlignment(Qt::AlignCenter);
    m_empty->setEnabled(false);

    auto *content = new QWidget;
    m_title = new QLabel(content);
    m_title->setObjectName(QStringLiteral("statusTitle"));
    QFont titleFont = m_title->font();
    titleFont.setBold(true);
    titleFont.setPointSizeF(titleFont.pointSizeF() * 1.15);
    m_title->setFont(titleFont);
    m_badge = new StatusBadge(content);
    m_badge->setObjectName(QStringLiteral("statusBadge"));
    m_runtime = new QLabel(content);
    m_runtime->setEnabled(false);
    m_progress = valueLabel(QStringLiteral("statusProgress"), content);
    m_progress->setEnabled(false);
    auto *header = new QHBoxLayout;
    header->addWidget(m_title);
    header->addWidget(m_badge);
    header->addWidget(m_progress, 1);
    header->addWidget(m_runtime);

    m_failureBox = new QFrame(content);
    m_failureBox->setObjectName(QStringLiteral("failureBox"));
    m_failureBox->setFrameShape(QFrame::StyledPanel);
    m_failureBox->setStyleSheet(QStringLiteral(
        "#failureBox { border: 1px solid #d13438; border-radius: 4px; background: rgba(209, 52, "
        "56, 30); }"));
    // The reason often carries the server's last log lines: scrollable, monospace, selectable.
    m_failure = new QPlainTextEdit(m_failureBox);
    m_failure->setObjectName(QStringLiteral("failureReason"));
    m_failure->setReadOnly(true);
    m_failure->setFrameShape(QFrame::NoFrame);
    m_failure->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_failure->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_failure->setFixedHeight(m_failure->fontMetrics().lineSpacing() * 6 + 8);
    m_failure->viewport()->setAutoFillBackground(false);
    m_failureLog = new QPushButton(tr("Show inference-server log"), m_failureBox);
    m_failureLog->setObjectName(QStringLiteral("failureLogButton"));
    m_failureSummary = valueLabel(QStringLiteral("failureSummary"), m_failureBox);
    QFont bold = m_failureSummary->font();
    bold.setBold(true);
    m_failureSummary->setFont(bold);
    auto *failureText = new QVBoxLayout;
    failureText->addWidget(m_failureSummary);
    failureText->addWidget(m_failure);
    auto *failureLayout = new QHBoxLayout(m_failureBox);
    failureLayout->addLayout(failureText, 1);
    failureLayout->addWidget(m_failureLog, 0, Qt::AlignTop);
    connect(m_failureLog, &QPushButton::clicked, this,
            [this] { emit showLogRequested(m_failureLog->property("role").toString()); });

    m_scoringUri = valueLabel(QStringLiteral("scoringUri"), content);
    m_copyUri = new QPushButton(tr("Copy"), content);
    m_copyUri->setObjectName(QStringLiteral("copyScoringUri"));
    m_copyUri->setToolTip(tr("Copy the scoring URI"));
    connect(m_copyUri, &QPushButton::clicked, this,
            [this] { QApplication::clipboard()->setText(m_info.scoringUri); });
    auto *uriRow = new QHBoxLayout;
    uriRow->addWidget(m_scoringUri, 1);
    uriRow->addWidget(m_copyUri);
    m_image = valueLabel(QStringLiteral("imageLabel"), content);
    m_ports = valueLabel(QStringLiteral("portsLabel"), content);

    auto *facts = new QFormLayout;
    facts->addRow(tr("Scoring URI:"), uriRow);
    facts->addRow(tr("Image:"), m_image);
    facts->addRow(tr("Ports:"), m_ports);

    m_timeline = makeTable({tr("Phase"), tr("Started"), tr("Duration"), tr("Message")},
                           QStringLiteral("timelineTable"), content);
    m_containers = makeTable({tr("Role"), tr("Name"), tr("Id"), tr("Status")},
                             QStringLiteral("containersTable"), content);
    m_environment =
        makeTable({tr("Variable"), tr("Value")}, QStringLiteral("environmentTable"), content);

    auto *timelineBox = new QGroupBox(tr("Timeline"), content);
    (new QVBoxLayout(timelineBox))->addWidget(m_timeline);
    auto *containersBox = new QGroupBox(tr("Containers"), content);
    (new QVBoxLayout(containersBox))->addWidget(m_containers);
    auto *environmentBox = new QGroupBox(tr("Environment"), content);
    (new QVBoxLayout(environmentBox))->addWidget(m_environment);
    auto *tables = new QHBoxLayout;
    tables->addWidget(timelineBox, 3);
    tables->addWidget(containersBox, 3);
    tables->addWidget(environmentBox, 2);

    auto *layout = new QVBoxLayout(content);
    layout->addLayout(header);
    layout->addWidget(m_failureBox);
    layout->addLayout(facts);
    layout->addLayout(tables, 1);

    auto *scroll = new QScrollArea;
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    scroll->setWidget(content);
    m_stack->addWidget(m_empty);
    m_stack->addWidget(scroll);
    auto *outer = new QVBoxLayout(this);
    outer->setContentsMargins(0, 0, 0, 0);
    outer->addWidget(m_stack);
    clear();
}

void DeploymentStatusPage::clear()
{
    m_info = DeploymentInfo();
    m_stack->setCurrentIndex(0);
}

void DeploymentStatusPage::setUndeployed(const QString &endpoint, const QString &deployment)
{
    DeploymentInfo info;
    info.endpoint = endpoint;
    info.deployment = deployment;
    setDeployment(info);
    m_badge->hide();
    m_runtime->setText(tr("Not deployed — press Deploy (F5)"));
}

void DeploymentStatusPage::setProgressMessage(const QString &message)
{
    m_progress->setText(message);
}

void DeploymentStatusPage::setDeployment(const DeploymentInfo &info)
{
    const bool sameDeployment = info.key() == m_info.key();
    m_info = info;
    m_stack->setCurrentIndex(1);
    if (!sameDeployment)
        m_progress->clear();
    if (!isTransitional(info.state))
        m_progress->clear();
    m_title->setText(info.endpoint + QStringLiteral(" / ") + info.deployment);
    m_badge->setState(info.state);
    m_badge->show();
    m_runtime->setText(info.hostPort > 0 || !info.containers.isEmpty()
                           ? tr("%1 runtime").arg(runtimeKindName(info.runtime))
                           : QString());

    const bool failed = info.state == ProvisioningState::Failed && !info.failureReason.isEmpty();
    m_failureBox->setVisible(failed);
    // The first line says what failed; the log lines after it end with the cause (a traceback's
    // last line), so the details are shown scrolled to the end.
    const QString summary = info.failureReason.section(u'\n', 0, 0);
    const QString details = info.failureReason.section(u'\n', 1).trimmed();
    m_failureSummary->setText(summary);
    m_failure->setVisible(!details.isEmpty());
    if (m_failure->toPlainText() != details) {
        m_failure->setPlainText(details);
        m_failure->moveCursor(QTextCursor::End);
        m_failure->ensureCursorVisible();
    }
    // A failure before the server started is the initializer's; otherwise the server's.
    const ContainerInfo *server = info.container(inferenceServerRole());
    const QString role = server && !server->id.isEmpty()            ? inferenceServerRole()
                         : info.container(storageInitializerRole()) ? storageInitializerRole()
                                                                    : inferenceServerRole();
    m_failureLog->setProperty("role", role);
    m_failureLog->setText(tr("Show %1 log").arg(role));

    m_scoringUri->setText(info.scoringUri.isEmpty() ? tr("—") : info.scoringUri);
    m_copyUri->setEnabled(!info.scoringUri.isEmpty());
    m_image->setText(info.image.isEmpty() ? tr("—") : info.image);
    m_ports->setText(
        info.hostPort > 0
            ? tr("127.0.0.1:%1 → %2 (container)").arg(info.hostPort).arg(info.containerPort)
            : tr("—"));

    const QLocale locale;
    m_timeline->setRowCount(int(info.timeline.size()));
    for (int row = 0; row < info.timeline.size(); ++row) {
        const PhaseTiming &phase = info.timeline[row];
        setRow(m_timeline, row,
               {phase.phase,
                locale.toString(phase.started.toLocalTime().time(), QStringLiteral("HH:mm:ss.zzz")),
                formatDuration(phase.durationMs), phase.message});
    }
    m_containers->setRowCount(int(info.containers.size()));
    for (int row = 0; row < info.containers.size(); ++row) {
        const ContainerInfo &container = info.containers[row];
        QString status = container.status;
        if (container.exitCode >= 0 && container.status != QLatin1String("running"))
            status += tr(" (exit %1)").arg(container.exitCode);
        setRow(m_containers, row, {container.role, container.name, container.id.left(12), status});
    }
    m_environment->setRowCount(int(info.environment.size()));
    int row = 0;
    for (auto it = info.environment.cbegin(); it != info.environment.cend(); ++it, ++row)
        setRow(m_environment, row, {it.key(), it.value()});
}

QString DeploymentStatusPage::scoringUriText() const
{
    return m_copyUri->isEnabled() ? m_scoringUri->text() : QString();
}

QString DeploymentStatusPage::failureText() const
{
    if (m_failureBox->isHidden())
        return {};
    return m_failureSummary->text() + u'\n' + m_failure->toPlainText();
}

QString DeploymentStatusPage::stateText() const
{
    return provisioningStateName(m_badge->state());
}
