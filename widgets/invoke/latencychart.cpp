#include "widgets/invoke/latencychart.h"

#include <QCategoryAxis>
#include <QChart>
#include <QLineSeries>
#include <QPen>
#include <QValueAxis>

#include <cmath>

namespace {

const QColor RunColours[] = {QColor(0x2b, 0x6c, 0xb0), QColor(0xd9, 0x6c, 0x06)};

// x = log10(1 / (1 - p)): 0 → 0 %, 1 → 90 %, 2 → 99 %, 3 → 99.9 %.
double xOf(double percent)
{
    return -std::log10(1.0 - percent / 100.0);
}

QLineSeries *curve(const LatencyHistogram &h, double maxX, double *top)
{
    auto *series = new QLineSeries;
    constexpr double Step = 0.02;
    for (double x = 0; x <= maxX + 1e-9; x += Step) {
        const double percent = 100.0 * (1.0 - std::pow(10.0, -x));
        const double ms = h.percentileMs(percent);
        series->append(x, ms);
        *top = std::max(*top, ms);
    }
    return series;
}

} // namespace

LatencyChart::LatencyChart(QWidget *parent)
    : QChartView(parent)
    , m_chart(new QChart)
{
    setObjectName(QStringLiteral("loadLatencyChart"));
    setChart(m_chart); // takes ownership
    setRenderHint(QPainter::Antialiasing);
    setMinimumHeight(180);
    m_chart->legend()->setAlignment(Qt::AlignBottom);
    m_chart->setMargins(QMargins(4, 4, 4, 4));
    clear();
}

void LatencyChart::clear()
{
    m_chart->removeAllSeries();
    for (QAbstractAxis *axis : m_chart->axes())
        m_chart->removeAxis(axis);
    m_chart->setTitle(tr("Latency by percentile (run a load test to fill it)"));
}

QStringList LatencyChart::seriesNames() const
{
    QStringList names;
    for (QAbstractSeries *s : m_chart->series())
        names << s->name();
    return names;
}

void LatencyChart::setRuns(const QList<Run> &runs)
{
    clear();
    QList<Run> shown;
    for (const Run &r : runs) {
        if (r.report && !r.report->latency.isEmpty() && shown.size() < 2)
            shown.append(r);
    }
    if (shown.isEmpty())
        return;
    m_chart->setTitle(
        shown.size() == 2
            ? tr("Latency by percentile: %1 against %2").arg(shown.at(0).label, shown.at(1).label)
            : tr("Latency by percentile: %1").arg(shown.at(0).label));

    // As far into the tail as the data reaches: 1000 answers say nothing about p99.99.
    double maxX = 1;
    for (const Run &r : shown)
        maxX = std::max(maxX, std::min(4.0, std::log10(double(r.report->latency.count()))));
    double top = 0;
    QList<QLineSeries *> series;
    for (qsizetype i = 0; i < shown.size(); ++i) {
        const LoadReport &report = *shown.at(i).report;
        const QString letter = shown.size() == 2 ? QString(QChar(u'A' + int(i))) + u' ' : QString();
        QLineSeries *client = curve(report.latency, maxX, &top);
        // Two runs: short names (the table beside has the figures); one: the figures too.
        client->setName(shown.size() == 2 ? letter + tr("client")
                                          : tr("client (p50 %1 ms, p99 %2 ms)")
                                                .arg(report.latencyMs(50), 0, 'f', 3)
                                                .arg(report.latencyMs(99), 0, 'f', 3));
        QPen pen(RunColours[i]);
        pen.setWidthF(2.2);
        client->setPen(pen);
        series << client;
        if (!report.serverTime.isEmpty()) {
            QLineSeries *server = curve(report.serverTime, maxX, &top);
            server->setName(
                shown.size() == 2
                    ? letter + tr("server run()")
                    : tr("server run() (p50 %1 ms)").arg(report.serverMs(50), 0, 'f', 3));
            QPen dashed(RunColours[i].lighter(125));
            dashed.setWidthF(1.6);
            dashed.setStyle(Qt::DashLine);
            server->setPen(dashed);
            series << server;
        }
    }

    auto *x = new QCategoryAxis;
    x->setLabelsPosition(QCategoryAxis::AxisLabelsPositionOnValue);
    x->setRange(0, maxX);
    const struct
    {
        double x;
        const char *label;
    } ticks[] = {{0, "0%"}, {xOf(50), "50%"}, {1, "90%"}, {2, "99%"}, {3, "99.9%"}, {4, "99.99%"}};
    for (const auto &t : ticks) {
        if (t.x <= maxX + 1e-9)
            x->append(QString::fromLatin1(t.label), t.x);
    }
    x->setTitleText(tr("percentile"));
    auto *y = new QValueAxis;
    y->setTitleText(tr("ms"));
    y->setRange(0, top > 0 ? top * 1.08 : 1);
    y->applyNiceNumbers();
    m_chart->addAxis(x, Qt::AlignBottom);
    m_chart->addAxis(y, Qt::AlignLeft);
    for (QLineSeries *s : series) {
        m_chart->addSeries(s);
        s->attachAxis(x);
        s->attachAxis(y);
    }
}
