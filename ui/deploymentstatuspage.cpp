#include "ui/deploymentstatuspage.h"

#include "app/runtime/usagesampler.h"
#include "widgets/statusbadge.h"
#include "widgets/usagechart.h"

#include <QApplication>
#include <QClipboard>
#include <QFileInfo>
#include <QFontDatabase>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QJsonObject>
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
    m_sources = valueLabel(QStringLiteral("sourcesLabel"), content);
    m_sources->setTextFormat(Qt::PlainText);

    auto *facts = new QFormLayout;
    facts->addRow(tr("Scoring URI:"), uriRow);
    facts->addRow(tr("Image:"), m_image);
    facts->addRow(tr("Ports:"), m_ports);
    facts->addRow(tr("Sources:"), m_sources);

    m_timeline = makeTable({tr("Phase"), tr("Started"), tr("Duration"), tr("Message")},
                           QStringLiteral("timelineTable"), content);
    m_containers = makeTable({tr("Role"), tr("Name"), tr("Id"), tr("Status")},
                             QStringLiteral("containersTable"), content);
    m_environment =
        makeTable({tr("Variable"), tr("Value")}, QStringLiteral("environmentTable"), content);

    // Which server runs, with what, and how it is doing.
    m_server = valueLabel(QStringLiteral("serverKind"), content);
    m_server->setWordWrap(false);
    m_serverNote = valueLabel(QStringLiteral("serverNote"), content);
    m_workers = valueLabel(QStringLiteral("settingsWorkers"), content);
    m_timeouts = valueLabel(QStringLiteral("settingsTimeouts"), content);
    m_liveness = valueLabel(QStringLiteral("settingsLiveness"), content);
    m_instanceType = valueLabel(QStringLiteral("settingsInstanceType"), content);
    m_instanceType->setOpenExternalLinks(true);
    m_instanceType->setTextInteractionFlags(Qt::TextBrowserInteraction);
    m_limits = valueLabel(QStringLiteral("settingsLimits"), content);
    m_notes = valueLabel(QStringLiteral("settingsNotes"), content);
    m_restarts = valueLabel(QStringLiteral("settingsRestarts"), content);
    auto *serverRow = new QHBoxLayout;
    serverRow->addWidget(m_server);
    serverRow->addWidget(m_serverNote, 1);
    m_settingsForm = new QFormLayout;
    m_settingsForm->addRow(tr("Server:"), serverRow);
    m_settingsForm->addRow(tr("Workers:"), m_workers);
    m_settingsForm->addRow(tr("Timeouts:"), m_timeouts);
    m_settingsForm->addRow(tr("Liveness probe:"), m_liveness);
    m_settingsForm->addRow(tr("Instance type:"), m_instanceType);
    m_settingsForm->addRow(tr("Limits:"), m_limits);
    m_settingsForm->addRow(tr("Notes:"), m_notes);
    m_settingsForm->addRow(tr("Restarts:"), m_restarts);
    m_usage = new UsageChart(content);
    m_usage->setObjectName(QStringLiteral("usageChart"));
    m_sampler = new UsageSampler(this);
    connect(m_sampler, &UsageSampler::sampled, m_usage, &UsageChart::addSample);
    connect(m_sampler, &UsageSampler::unavailable, this,
            [this](const QString &why) { m_usage->clear(tr("Usage: %1").arg(why)); });
    auto *settingsBox = new QGroupBox(tr("Server and limits"), content);
    settingsBox->setObjectName(QStringLiteral("settingsBox"));
    auto *settingsLayout = new QHBoxLayout(settingsBox);
    settingsLayout->addLayout(m_settingsForm, 3);
    settingsLayout->addWidget(m_usage, 2);

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
    layout->addWidget(settingsBox);
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
    updateSampling();
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

    // As deployed, resolved through symbolic links: "../../model-1" is normal (Azure's samples),
    // and this is where it led.
    QStringList sources;
    const QJsonObject data = info.deploymentData;
    const QJsonObject env = data.value(QStringLiteral("environment")).toObject();
    const QList<QPair<QString, QString>> fields{
        {tr("model"),
         data.value(QStringLiteral("model")).toObject().value(QStringLiteral("path")).toString()},
        {tr("code"), data.value(QStringLiteral("code_configuration"))
                         .toObject()
                         .value(QStringLiteral("code"))
                         .toString()},
        {tr("build"),
         env.value(QStringLiteral("build")).toObject().value(QStringLiteral("path")).toString()},
        {tr("conda file"), env.value(QStringLiteral("conda_file")).toString()}};
    for (const auto &[what, path] : fields) {
        if (path.isEmpty())
            continue;
        const QString real = QFileInfo(path).canonicalFilePath();
        sources << (real.isEmpty() || real == path ? tr("%1: %2").arg(what, path)
                                                   : tr("%1: %2 → %3").arg(what, path, real));
    }
    m_sources->setText(sources.isEmpty() ? tr("—") : sources.join(u'\n'));

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
    updateSettings(info);
    updateSampling();
}

void DeploymentStatusPage::updateSettings(const DeploymentInfo &info)
{
    const ServerSettings &s = info.settings;
    struct Pill
    {
        QString text;
        QString colour;
        QString tip;
    };
    Pill pill;
    switch (s.server) {
    case ServerKind::AzureServer:
        pill = {QStringLiteral("azmlinfsrv"), QStringLiteral("#1e7b34"),
                tr("The environment's own azureml-inference-server-http, started as Azure's "
                   "inference images start it: %1")
                    .arg(s.serverProgram)};
        break;
    case ServerKind::BuiltIn:
        pill = {QStringLiteral("built-in"), QStringLiteral("#b06f00"),
                ServerSettings::notInEnvironmentNote()};
        break;
    case ServerKind::CustomContainer:
        pill = {tr("custom container"), QStringLiteral("#5a5a5a"),
                tr("inference_config: the image's own command serves")};
        break;
    case ServerKind::Unknown:
        pill = {tr("not known yet"), QStringLiteral("#8a8a8a"),
                info.createdByAzureMl ? tr("made by az ml --local") : tr("known once it runs")};
        break;
    }
    m_server->setText(pill.text);
    m_server->setToolTip(pill.tip);
    m_server->setStyleSheet(QStringLiteral("QLabel { color: white; background: %1; "
                                           "border-radius: 7px; padding: 1px 8px; "
                                           "font-weight: bold; }")
                                .arg(pill.colour));
    m_serverNote->setText(s.server == ServerKind::BuiltIn
                              ? tr("azureml-inference-server-http is not in the environment: "
                                   "Azure would not start it; the studio's server stands in")
                          : s.server == ServerKind::AzureServer ? s.serverProgram
                                                                : QString());
    m_serverNote->setToolTip(pill.tip);
    m_workers->setText(
        s.workerCount == 1
            ? tr("1 worker process, with its own init()")
            : tr("%1 worker processes, each with its own init()").arg(s.workerCount));
    m_timeouts->setText(tr("WORKER_TIMEOUT %1 s · SCORING_TIMEOUT_MS %2")
                            .arg(s.workerTimeoutS)
                            .arg(s.scoringTimeoutMs));
    m_liveness->setText(tr("every %1 s after %2 s, %3 s timeout, restart after %4 failures")
                            .arg(s.liveness.period)
                            .arg(s.liveness.initialDelay)
                            .arg(s.liveness.timeout)
                            .arg(s.liveness.failureThreshold));
    if (s.sku)
        m_instanceType->setText(tr("%1: %2 vCPUs, %3%4 in Azure (<a href=\"%5\">source</a>)")
                                    .arg(s.sku->name)
                                    .arg(s.sku->vcpus)
                                    .arg(s.sku->memoryText(),
                                         s.sku->gpus == 1  ? tr(", 1 GPU")
                                         : s.sku->gpus > 1 ? tr(", %1 GPUs").arg(s.sku->gpus)
                                                           : QString(),
                                         s.sku->source));
    else
        m_instanceType->setText(s.instanceType.isEmpty() ? tr("—")
                                                         : s.instanceType.toHtmlEscaped());
    m_limits->setText(s.limitsText());
    m_notes->setText(s.notes.isEmpty() ? tr("—") : s.notes.join(u'\n'));
    if (info.restartCount > 0)
        m_restarts->setText(
            tr("%1 · last at %2: %3")
                .arg(info.restartCount)
                .arg(QLocale().toString(info.lastRestartAt.toLocalTime(), QLocale::ShortFormat),
                     info.lastRestartReason));
    else
        m_restarts->setText(QStringLiteral("0"));
}

void DeploymentStatusPage::updateSampling()
{
    const ContainerInfo *server = m_info.container(inferenceServerRole());
    const bool wanted = isVisible() && server && server->status == u"running" &&
                        m_info.state == ProvisioningState::Succeeded;
    if (!wanted) {
        if (m_sampler->isRunning())
            m_sampler->stop();
        if (!server || server->status != u"running")
            m_usage->clear(tr("Usage: the server is not running"));
        return;
    }
    if (m_sampler->isRunning() && m_sampler->target() == m_info.key())
        return;
    m_usage->clear();
    m_sampler->start(m_info);
}

void DeploymentStatusPage::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    updateSampling();
}

void DeploymentStatusPage::hideEvent(QHideEvent *event)
{
    QWidget::hideEvent(event);
    updateSampling();
}

QString DeploymentStatusPage::serverText() const
{
    return m_server->text();
}

QString DeploymentStatusPage::settingsText() const
{
    QStringList lines;
    for (int row = 0; row < m_settingsForm->rowCount(); ++row) {
        auto *labelItem = m_settingsForm->itemAt(row, QFormLayout::LabelRole);
        auto *label = labelItem ? qobject_cast<QLabel *>(labelItem->widget()) : nullptr;
        QString value;
        if (row == 0)
            value = m_server->text() + u' ' + m_serverNote->text();
        else if (auto *field = m_settingsForm->itemAt(row, QFormLayout::FieldRole))
            if (auto *l = qobject_cast<QLabel *>(field->widget()))
                value = l->text();
        lines << (label ? label->text() : QString()) + u' ' + value;
    }
    return lines.join(u'\n');
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
