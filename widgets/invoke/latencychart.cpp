#include "widgets/invoke/latencychart.h"

#include <QAreaSeries>
#include <QChart>
#include <QLineSeries>
#include <QPen>
#include <QValueAxis>

LatencyChart::LatencyChart(QWidget *parent)
    : QChartView(parent)
    , m_chart(new QChart)
{
    setChart(m_chart); // takes ownership
    setRenderHint(QPainter::Antialiasing);
    setMinimumHeight(160);
    m_chart->legend()->setAlignment(Qt::AlignRight);
    m_chart->setMargins(QMargins(4, 4, 4, 4));
    clear();
}

void LatencyChart::clear()
{
    m_chart->removeAllSeries();
    for (QAbstractAxis *axis : m_chart->axes())
        m_chart->removeAxis(axis);
    m_chart->setTitle(tr("Latency histogram (run a repeat to fill it)"));
}

void LatencyChart::setResult(const LoadRunResult &result, int buckets)
{
    clear();
    const QList<LatencyBucket> histogram = result.histogram(buckets);
    if (histogram.isEmpty())
        return;
    m_chart->setTitle(tr("Latency of %1 requests (ms)").arg(result.latenciesMs.size()));

    // Bars as a stepped outline filled down to zero.
    auto *upper = new QLineSeries;
    int maxCount = 0;
    for (const LatencyBucket &b : histogram) {
        upper->append(b.fromMs, b.count);
        upper->append(b.toMs, b.count);
        maxCount = std::max(maxCount, b.count);
    }
    auto *area = new QAreaSeries(upper);
    area->setName(tr("requests"));
    area->setColor(QColor(0x4a, 0x7d, 0xc4, 170));
    area->setBorderColor(QColor(0x2b, 0x55, 0x90));
    m_chart->addSeries(area);

    auto *x = new QValueAxis;
    x->setTitleText(tr("ms"));
    x->setRange(histogram.first().fromMs, histogram.last().toMs);
    auto *y = new QValueAxis;
    y->setTitleText(tr("count"));
    y->setRange(0, maxCount * 1.1 + 1);
    y->setLabelFormat(QStringLiteral("%d"));
    m_chart->addAxis(x, Qt::AlignBottom);
    m_chart->addAxis(y, Qt::AlignLeft);
    area->attachAxis(x);
    area->attachAxis(y);

    const struct
    {
        double p;
        QColor colour;
    } marks[] = {{50, QColor(0x1e, 0x7b, 0x34)},
                 {95, QColor(0xc7, 0x7c, 0x02)},
                 {99, QColor(0xb3, 0x26, 0x1e)}};
    for (const auto &m : marks) {
        const double v = result.percentile(m.p);
        auto *line = new QLineSeries;
        line->setName(QStringLiteral("p%1 %2 ms").arg(m.p).arg(v, 0, 'f', 2));
        line->append(v, 0);
        line->append(v, maxCount * 1.1 + 1);
        QPen pen(m.colour);
        pen.setWidth(2);
        pen.setStyle(Qt::DashLine);
        line->setPen(pen);
        m_chart->addSeries(line);
        line->attachAxis(x);
        line->attachAxis(y);
    }
}
