#include "widgets/invoke/repeatpanel.h"

#include "widgets/invoke/latencychart.h"
#include "widgets/invoke/timelinechart.h"

#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFileDialog>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QListWidget>
#include <QMenu>
#include <QMessageBox>
#include <QPushButton>
#include <QSpinBox>
#include <QSplitter>
#include <QTabWidget>
#include <QTableWidget>
#include <QVBoxLayout>

namespace {

QString figure(double v, const QString &unit)
{
    if (unit == u"req/s")
        return QString::number(v, 'f', 0);
    if (unit == u"%")
        return QString::number(v, 'f', 2);
    return QString::number(v, 'f', v < 10 ? 3 : 2);
}

QTableWidgetItem *cell(const QString &text, Qt::Alignment align = Qt::AlignRight | Qt::AlignVCenter)
{
    auto *item = new QTableWidgetItem(text);
    item->setTextAlignment(align);
    item->setFlags(Qt::ItemIsEnabled | Qt::ItemIsSelectable);
    return item;
}

// Powers of two up to `max`, and `max` itself.
QList<int> kneeSteps(int max)
{
    QList<int> steps;
    for (int c = 1; c < max; c *= 2)
        steps << c;
    steps << max;
    return steps;
}

} // namespace

RepeatPanel::RepeatPanel(QWidget *parent)
    : QWidget(parent)
    , m_mode(new QComboBox(this))
    , m_concurrency(new QSpinBox(this))
    , m_rate(new QDoubleSpinBox(this))
    , m_count(new QSpinBox(this))
    , m_seconds(new QDoubleSpinBox(this))
    , m_warmup(new QSpinBox(this))
    , m_run(new QPushButton(tr("Run"), this))
    , m_limitHint(new QLabel(this))
    , m_summary(new QLabel(this))
    , m_meaning(new QLabel(this))
    , m_views(new QTabWidget(this))
    , m_latency(new LatencyChart(this))
    , m_timeline(new TimelineChart(this))
    , m_kneeMax(new QSpinBox(this))
    , m_kneeSeconds(new QDoubleSpinBox(this))
    , m_kneeP99(new QDoubleSpinBox(this))
    , m_kneeErrors(new QDoubleSpinBox(this))
    , m_kneeRun(new QPushButton(tr("Find the knee"), this))
    , m_kneeTable(new QTableWidget(0, 5, this))
    , m_kneeSummary(new QLabel(this))
    , m_runs(new QListWidget(this))
    , m_compare(new QTableWidget(0, 4, this))
    , m_export(new QPushButton(tr("Export"), this))
    , m_delete(new QPushButton(tr("Delete"), this))
{
    setObjectName(QStringLiteral("repeatPanel"));
    m_mode->setObjectName(QStringLiteral("loadMode"));
    m_concurrency->setObjectName(QStringLiteral("loadConcurrency"));
    m_rate->setObjectName(QStringLiteral("loadRate"));
    m_count->setObjectName(QStringLiteral("loadCount"));
    m_seconds->setObjectName(QStringLiteral("loadSeconds"));
    m_warmup->setObjectName(QStringLiteral("loadWarmup"));
    m_run->setObjectName(QStringLiteral("loadRun"));
    m_limitHint->setObjectName(QStringLiteral("loadLimitHint"));
    m_summary->setObjectName(QStringLiteral("loadSummary"));
    m_meaning->setObjectName(QStringLiteral("loadMeaning"));
    m_views->setObjectName(QStringLiteral("loadViews"));
    m_kneeRun->setObjectName(QStringLiteral("kneeRun"));
    m_kneeMax->setObjectName(QStringLiteral("kneeMax"));
    m_kneeSeconds->setObjectName(QStringLiteral("kneeSeconds"));
    m_kneeP99->setObjectName(QStringLiteral("kneeP99"));
    m_kneeErrors->setObjectName(QStringLiteral("kneeErrors"));
    m_kneeTable->setObjectName(QStringLiteral("kneeTable"));
    m_kneeSummary->setObjectName(QStringLiteral("kneeSummary"));
    m_runs->setObjectName(QStringLiteral("loadRuns"));
    m_compare->setObjectName(QStringLiteral("loadCompare"));
    m_export->setObjectName(QStringLiteral("loadExport"));
    m_delete->setObjectName(QStringLiteral("loadDeleteRun"));

    m_mode->addItem(tr("Closed loop"), loadModeName(LoadMode::ClosedLoop));
    m_mode->addItem(tr("Open loop"), loadModeName(LoadMode::OpenLoop));
    m_mode->setToolTip(tr("Closed loop: each connection sends again as soon as it has its answer "
                          "(wrk).\nOpen loop: requests fall due at a fixed rate whatever the "
                          "server does; latency counts from when a request was due, so a stall "
                          "shows as the queueing it causes (wrk2)."));
    m_concurrency->setRange(1, LoadPlan::MaxConcurrency);
    m_concurrency->setValue(4);
    m_concurrency->setToolTip(tr("Kept-alive connections, each with one request in flight"));
    m_rate->setRange(0.1, 1000000);
    m_rate->setDecimals(1);
    m_rate->setValue(500);
    m_rate->setSuffix(tr(" req/s"));
    m_rate->setEnabled(false);
    m_count->setRange(1, 100000000);
    m_count->setValue(2000);
    m_count->setSuffix(tr(" requests"));
    m_seconds->setRange(0, 24 * 3600);
    m_seconds->setDecimals(1);
    m_seconds->setSpecialValueText(tr("off"));
    m_seconds->setSuffix(tr(" s"));
    m_seconds->setToolTip(tr("Run for this long instead of a number of requests"));
    m_warmup->setRange(-1, 1000000);
    m_warmup->setValue(-1);
    m_warmup->setSpecialValueText(tr("1 per connection"));
    m_warmup->setToolTip(tr("Requests sent first and left out of every figure (connections "
                            "open, the server warms its caches)"));
    m_limitHint->setToolTip(tr("Azure's front end answers 429 beyond 2 × "
                               "max_concurrent_requests_per_instance × instance_count requests "
                               "in flight"));
    connect(m_mode, &QComboBox::currentIndexChanged, this, [this] {
        m_rate->setEnabled(m_mode->currentData().toString() == loadModeName(LoadMode::OpenLoop));
    });
    connect(m_concurrency, &QSpinBox::valueChanged, this, &RepeatPanel::updateLimitHint);
    connect(m_run, &QPushButton::clicked, this, [this] {
        if (isRunning())
            stop();
        else
            run();
    });

    auto *row1 = new QHBoxLayout;
    row1->addWidget(m_mode);
    row1->addWidget(new QLabel(tr("connections"), this));
    row1->addWidget(m_concurrency);
    row1->addWidget(new QLabel(tr("rate"), this));
    row1->addWidget(m_rate);
    row1->addWidget(m_limitHint, 1);
    auto *row2 = new QHBoxLayout;
    row2->addWidget(m_count);
    row2->addWidget(new QLabel(tr("or for"), this));
    row2->addWidget(m_seconds);
    row2->addWidget(new QLabel(tr("warm-up"), this));
    row2->addWidget(m_warmup);
    row2->addStretch();
    row2->addWidget(m_run);

    m_summary->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_summary->setWordWrap(true);
    m_summary->setText(tr("Runs the request above against its target from a load engine of its "
                          "own (one kept-alive connection per slot, off the UI thread)."));
    m_meaning->setWordWrap(true);
    m_meaning->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_meaning->setStyleSheet(QStringLiteral("color: palette(dark);"));

    m_views->addTab(m_latency, tr("Percentiles"));
    m_views->addTab(m_timeline, tr("Over time"));
    m_views->addTab(buildKneePage(), tr("Knee"));

    auto *split = new QSplitter(Qt::Vertical, this);
    split->addWidget(m_views);
    split->addWidget(buildRunsBox());
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 2);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addLayout(row1);
    layout->addLayout(row2);
    layout->addWidget(m_summary);
    layout->addWidget(m_meaning);
    layout->addWidget(split, 1);

    connect(&m_runner, &LoadRunner::progress, this, &RepeatPanel::onProgress);
    connect(&m_runner, &LoadRunner::finished, this, &RepeatPanel::onFinished);
    connect(&m_knee, &KneeSearch::progress, this, &RepeatPanel::onProgress);
    connect(&m_knee, &KneeSearch::stepStarted, this,
            [this](int c) { m_kneeSummary->setText(tr("Running concurrency %1…").arg(c)); });
    connect(&m_knee, &KneeSearch::stepFinished, this, [this](const LoadReport &step) {
        const int row = m_kneeTable->rowCount();
        m_kneeTable->insertRow(row);
        m_kneeTable->setItem(row, 0, cell(QString::number(step.plan.concurrency)));
        m_kneeTable->setItem(row, 1, cell(QString::number(step.requestsPerSec(), 'f', 0)));
        m_kneeTable->setItem(row, 2, cell(QString::number(step.latencyMs(50), 'f', 3)));
        m_kneeTable->setItem(row, 3, cell(QString::number(step.latencyMs(99), 'f', 3)));
        m_kneeTable->setItem(row, 4, cell(QString::number(step.errorPercent(), 'f', 2)));
        m_latency->setRuns({{&step, runLabel(step)}});
        m_timeline->setReport(step);
    });
    connect(&m_knee, &KneeSearch::finished, this, [this](const KneeResult &result) {
        m_kneeSummary->setText(result.summary());
        for (int row = 0; row < m_kneeTable->rowCount(); ++row) {
            const bool knee = m_kneeTable->item(row, 0)->text().toInt() == result.knee;
            for (int col = 0; col < m_kneeTable->columnCount(); ++col) {
                QFont f = m_kneeTable->item(row, col)->font();
                f.setBold(knee);
                m_kneeTable->item(row, col)->setFont(f);
            }
        }
        m_summary->setText(tr("Find the knee: ") + result.summary());
        if (!result.steps.isEmpty())
            m_meaning->setText(m_facts.explain(result.steps.last()).join(u'\n'));
        updateBusy();
        emit kneeFinished(result);
    });
    setEndpoint({});
    updateLimitHint();
    updateBusy();
}

RepeatPanel::~RepeatPanel()
{
    m_runner.disconnect(this);
    m_knee.disconnect(this);
}

QWidget *RepeatPanel::buildKneePage()
{
    auto *page = new QWidget(this);
    m_kneeMax->setRange(1, LoadPlan::MaxConcurrency);
    m_kneeMax->setValue(32);
    m_kneeMax->setToolTip(tr("Steps go 1, 2, 4, … up to this concurrency"));
    m_kneeSeconds->setRange(0.2, 600);
    m_kneeSeconds->setValue(2);
    m_kneeSeconds->setSuffix(tr(" s"));
    m_kneeSeconds->setToolTip(tr("How long each step runs"));
    m_kneeP99->setRange(0, 600000);
    m_kneeP99->setDecimals(1);
    m_kneeP99->setValue(0);
    m_kneeP99->setSpecialValueText(tr("4 × first step"));
    m_kneeP99->setSuffix(tr(" ms"));
    m_kneeErrors->setRange(0, 100);
    m_kneeErrors->setValue(1);
    m_kneeErrors->setSuffix(tr(" %"));
    connect(m_kneeRun, &QPushButton::clicked, this, [this] {
        if (isRunning())
            stop();
        else
            findKnee();
    });
    m_kneeTable->setHorizontalHeaderLabels(
        {tr("concurrency"), tr("req/s"), tr("p50 ms"), tr("p99 ms"), tr("errors %")});
    m_kneeTable->horizontalHeader()->setSectionResizeMode(QHeaderView::Stretch);
    m_kneeTable->verticalHeader()->hide();
    m_kneeSummary->setWordWrap(true);
    m_kneeSummary->setText(tr("Steps concurrency up until errors or p99 break their limit and "
                              "reports the highest concurrency within both."));

    auto *form = new QHBoxLayout;
    form->addWidget(new QLabel(tr("up to"), page));
    form->addWidget(m_kneeMax);
    form->addWidget(new QLabel(tr("each"), page));
    form->addWidget(m_kneeSeconds);
    form->addWidget(new QLabel(tr("p99 limit"), page));
    form->addWidget(m_kneeP99);
    form->addWidget(new QLabel(tr("errors"), page));
    form->addWidget(m_kneeErrors);
    form->addStretch();
    form->addWidget(m_kneeRun);
    auto *layout = new QVBoxLayout(page);
    layout->addLayout(form);
    layout->addWidget(m_kneeSummary);
    layout->addWidget(m_kneeTable, 1);
    return page;
}

QWidget *RepeatPanel::buildRunsBox()
{
    auto *box = new QGroupBox(tr("Runs (select two to compare)"), this);
    m_runs->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_compare->setHorizontalHeaderLabels({tr(""), tr("A"), tr("B"), tr("B − A")});
    m_compare->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_compare->horizontalHeader()->setStretchLastSection(true);
    m_compare->verticalHeader()->hide();
    m_compare->verticalHeader()->setDefaultSectionSize(fontMetrics().height() + 6);
    m_compare->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_compare->hide();

    auto *menu = new QMenu(m_export);
    const struct
    {
        const char *label;
        LoadRunHistory::ExportFormat format;
        const char *filter;
        const char *suffix;
    } formats[] = {
        {"Percentiles as CSV…", LoadRunHistory::ExportFormat::PercentilesCsv, "CSV (*.csv)",
         "-percentiles.csv"},
        {"Timeline as CSV…", LoadRunHistory::ExportFormat::TimelineCsv, "CSV (*.csv)",
         "-timeline.csv"},
        {"Run as JSON…", LoadRunHistory::ExportFormat::Json, "JSON (*.json)", ".json"},
    };
    for (const auto &f : formats) {
        menu->addAction(tr(f.label), this, [this, f] {
            const QStringList ids = selectedRunIds();
            if (ids.isEmpty())
                return;
            const QString path = QFileDialog::getSaveFileName(
                this, tr("Export load run"), QStringLiteral("load-run-") + ids.first() + f.suffix,
                tr(f.filter));
            if (path.isEmpty())
                return;
            const auto written = exportRun(ids.first(), f.format, path);
            if (!written.ok())
                QMessageBox::warning(this, tr("Export load run"), written.error().message);
        });
    }
    m_export->setMenu(menu);
    m_export->setToolTip(tr("Save the selected run (the first of two)"));
    connect(m_delete, &QPushButton::clicked, this, [this] {
        if (!m_history)
            return;
        for (const QString &id : selectedRunIds())
            m_history->remove(id);
        refreshRuns();
    });
    connect(m_runs, &QListWidget::itemSelectionChanged, this, [this] {
        QList<LoadReport> shown;
        for (const QString &id : selectedRunIds()) {
            if (const auto r = m_history->run(id))
                shown.append(*r);
        }
        if (!shown.isEmpty())
            showRuns(shown);
    });

    auto *buttons = new QVBoxLayout;
    buttons->addWidget(m_export);
    buttons->addWidget(m_delete);
    buttons->addStretch();
    auto *sides = new QSplitter(Qt::Horizontal, box);
    sides->addWidget(m_runs);
    sides->addWidget(m_compare);
    sides->setStretchFactor(0, 2);
    sides->setStretchFactor(1, 3);
    auto *layout = new QHBoxLayout(box);
    layout->addWidget(sides, 1);
    layout->addLayout(buttons);
    return box;
}

void RepeatPanel::setEndpoint(const QString &endpoint)
{
    if (m_history && endpoint == m_endpoint)
        return;
    m_endpoint = endpoint;
    m_history =
        std::make_unique<LoadRunHistory>(endpoint.isEmpty() ? QStringLiteral("default") : endpoint);
    refreshRuns();
}

void RepeatPanel::setFacts(const LoadTargetFacts &facts)
{
    m_facts = facts;
    updateLimitHint();
}

void RepeatPanel::updateLimitHint()
{
    const int limit = m_facts.tooManyRequestsAbove();
    const bool over = m_concurrency->value() > limit;
    m_limitHint->setText(over ? tr("⚠ on Azure, 429 beyond %1 in flight").arg(limit)
                              : tr("Azure: 429 beyond %1 in flight").arg(limit));
    m_limitHint->setStyleSheet(over ? QStringLiteral("color: #c77c02;") : QString());
}

LoadPlan RepeatPanel::currentPlan() const
{
    LoadPlan plan;
    if (m_requestSource)
        plan.request = m_requestSource();
    plan.mode = loadModeFromName(m_mode->currentData().toString()).value_or(LoadMode::ClosedLoop);
    plan.concurrency = m_concurrency->value();
    plan.ratePerSec = m_rate->value();
    plan.durationSec = m_seconds->value();
    plan.requests = plan.durationSec > 0 ? 0 : m_count->value();
    plan.warmupRequests = m_warmup->value();
    plan.target = plan.request.deployment.isEmpty()
                      ? (m_endpoint.isEmpty() ? plan.request.url.toString()
                                              : tr("endpoint %1").arg(m_endpoint))
                      : plan.request.deployment;
    return plan;
}

bool RepeatPanel::isRunning() const
{
    return m_runner.isRunning() || m_knee.isRunning();
}

void RepeatPanel::run()
{
    if (isRunning())
        return;
    const LoadPlan plan = currentPlan();
    if (const QString problem = plan.problem(); !problem.isEmpty()) {
        m_summary->setText(tr("Cannot run: ") + problem);
        return;
    }
    m_summary->setText(tr("Starting: %1…").arg(plan.describe()));
    m_meaning->clear();
    m_latency->clear();
    m_timeline->clear();
    m_runner.start(plan, m_endpoint);
    updateBusy();
}

void RepeatPanel::findKnee()
{
    if (isRunning())
        return;
    LoadPlan plan = currentPlan();
    plan.requests = 0;
    plan.durationSec = m_kneeSeconds->value();
    if (const QString problem = plan.problem(); !problem.isEmpty()) {
        m_kneeSummary->setText(tr("Cannot run: ") + problem);
        return;
    }
    KneeSettings settings;
    settings.concurrencies = kneeSteps(m_kneeMax->value());
    settings.stepSeconds = m_kneeSeconds->value();
    settings.p99LimitMs = m_kneeP99->value();
    settings.errorLimitPercent = m_kneeErrors->value();
    m_kneeTable->setRowCount(0);
    m_views->setCurrentIndex(2);
    m_knee.start(plan, settings, m_endpoint);
    updateBusy();
}

void RepeatPanel::stop()
{
    m_runner.cancel();
    m_knee.cancel();
}

void RepeatPanel::updateBusy()
{
    const bool loadRunning = m_runner.isRunning();
    const bool kneeRunning = m_knee.isRunning();
    m_run->setText(loadRunning ? tr("Stop") : tr("Run"));
    m_run->setEnabled(!kneeRunning);
    m_kneeRun->setText(kneeRunning ? tr("Stop") : tr("Find the knee"));
    m_kneeRun->setEnabled(!loadRunning);
    emit busyChanged(loadRunning || kneeRunning);
}

QString RepeatPanel::runLabel(const LoadReport &report) const
{
    const QString mode = report.plan.mode == LoadMode::OpenLoop
                             ? tr("open %1/s").arg(report.plan.ratePerSec, 0, 'g', 6)
                             : tr("closed");
    return tr("%1 %2 ×%3 %4")
        .arg(report.plan.target, mode)
        .arg(report.plan.concurrency)
        .arg(report.startedAt.toLocalTime().toString(u"HH:mm:ss"));
}

void RepeatPanel::onProgress(const LoadReport &partial)
{
    if (partial.sent == 0 && partial.warmupSent > 0) {
        m_summary->setText(tr("Warming up: %1 requests…").arg(partial.warmupSent));
        return;
    }
    m_summary->setText(tr("Running… ") + partial.summary());
    m_timeline->setReport(partial);
    m_latency->setRuns({{&partial, runLabel(partial)}});
}

void RepeatPanel::onFinished(const LoadReport &report)
{
    updateBusy();
    if (!report.fatalError.isEmpty() && report.answered + report.transportErrors == 0) {
        m_summary->setText(report.summary());
        m_meaning->clear();
        emit runFinished(report);
        return;
    }
    if (m_history) {
        const auto kept = m_history->add(report);
        if (!kept.ok())
            m_meaning->setText(kept.error().message);
    }
    refreshRuns(report.id);
    if (selectedRunIds() != QStringList{report.id})
        showRuns({report});
    emit runFinished(report);
}

void RepeatPanel::showRuns(const QList<LoadReport> &runs)
{
    if (runs.isEmpty())
        return;
    const LoadReport &a = runs.first();
    if (runs.size() == 1) {
        m_compare->hide();
        QString text = a.summary();
        const QString statuses = a.statusLine();
        if (!statuses.isEmpty())
            text += u"\n" + tr("status: ") + statuses;
        if (!a.firstError.isEmpty() && a.failures() > 0)
            text += u"\n" + tr("first error: ") + a.firstError;
        m_summary->setText(text);
        m_meaning->setText(m_facts.explain(a).join(u'\n'));
        m_latency->setRuns({{&a, runLabel(a)}});
        m_timeline->setReport(a);
        return;
    }
    // Older run first: A is "before", B "after".
    const LoadReport &older = runs.at(0).id < runs.at(1).id ? runs.at(0) : runs.at(1);
    const LoadReport &newer = &older == &runs.at(0) ? runs.at(1) : runs.at(0);
    m_latency->setRuns({{&older, u"A " + runLabel(older)}, {&newer, u"B " + runLabel(newer)}});
    m_timeline->setReport(newer);
    m_summary->setText(tr("A: %1\nB: %2").arg(older.summary(), newer.summary()));
    m_meaning->setText(
        tr("A answered by %1\nB answered by %2").arg(older.answeredBy(), newer.answeredBy()));
    const QList<LoadComparisonRow> rows = compareLoadReports(older, newer);
    m_compare->setRowCount(int(rows.size()));
    for (int i = 0; i < rows.size(); ++i) {
        const LoadComparisonRow &r = rows.at(i);
        const QString label = r.label == r.unit ? r.label : r.label + u" (" + r.unit + u')';
        m_compare->setItem(i, 0, cell(label, Qt::AlignLeft | Qt::AlignVCenter));
        m_compare->setItem(i, 1, cell(figure(r.a, r.unit)));
        m_compare->setItem(i, 2, cell(figure(r.b, r.unit)));
        QString diff = (r.difference() >= 0 ? u"+" : u"") + figure(r.difference(), r.unit);
        if (r.a != 0 && r.unit != u"%")
            diff += QStringLiteral(" (%1%2 %)")
                        .arg(r.relativePercent() >= 0 ? QStringLiteral("+") : QString())
                        .arg(r.relativePercent(), 0, 'f', 1);
        auto *d = cell(diff);
        // Worse is red: more latency or errors, less throughput.
        const bool worse = r.unit == u"req/s" ? r.difference() < 0 : r.difference() > 0;
        if (std::abs(r.relativePercent()) >= 5 || (r.unit == u"%" && r.difference() != 0))
            d->setForeground(worse ? QColor(0xb3, 0x26, 0x1e) : QColor(0x1e, 0x7b, 0x34));
        m_compare->setItem(i, 3, d);
    }
    m_compare->show();
}

void RepeatPanel::refreshRuns(const QString &select)
{
    const QSignalBlocker block(m_runs);
    m_runs->clear();
    if (!m_history)
        return;
    for (const LoadReport &r : m_history->runs()) {
        auto *item = new QListWidgetItem(r.title(), m_runs);
        item->setData(Qt::UserRole, r.id);
        item->setToolTip(r.plan.describe() + u'\n' + r.summary());
        if (r.failures() > 0)
            item->setForeground(QColor(0xb3, 0x26, 0x1e));
        if (r.id == select)
            item->setSelected(true);
    }
    m_export->setEnabled(!m_history->runs().isEmpty());
    m_delete->setEnabled(!m_history->runs().isEmpty());
    if (!select.isEmpty()) {
        if (const auto r = m_history->run(select))
            showRuns({*r});
    }
}

QStringList RepeatPanel::selectedRunIds() const
{
    QStringList ids;
    for (QListWidgetItem *item : m_runs->selectedItems())
        ids << item->data(Qt::UserRole).toString();
    return ids;
}

void RepeatPanel::selectRuns(const QStringList &ids)
{
    {
        const QSignalBlocker block(m_runs);
        for (int i = 0; i < m_runs->count(); ++i)
            m_runs->item(i)->setSelected(
                ids.contains(m_runs->item(i)->data(Qt::UserRole).toString()));
    }
    QList<LoadReport> shown;
    for (const QString &id : ids) {
        if (const auto r = m_history->run(id))
            shown.append(*r);
    }
    showRuns(shown);
}

Result<QString> RepeatPanel::exportRun(const QString &id, LoadRunHistory::ExportFormat format,
                                       const QString &path) const
{
    const auto r = m_history ? m_history->run(id) : std::nullopt;
    if (!r)
        return Result<QString>::failure(tr("No load run %1").arg(id));
    return LoadRunHistory::exportRun(*r, path, format);
}
