#include "widgets/invoke/timelinechart.h"

#include <QChart>
#include <QLineSeries>
#include <QPen>
#include <QValueAxis>

#include <functional>

namespace {

QLineSeries *line(const QString &name, const QColor &colour, Qt::PenStyle style = Qt::SolidLine)
{
    auto *s = new QLineSeries;
    s->setName(name);
    QPen pen(colour);
    pen.setWidthF(style == Qt::SolidLine ? 2.0 : 1.6);
    pen.setStyle(style);
    s->setPen(pen);
    return s;
}

} // namespace

TimelineChart::TimelineChart(QWidget *parent)
    : QChartView(parent)
    , m_chart(new QChart)
{
    setObjectName(QStringLiteral("loadTimelineChart"));
    setChart(m_chart);
    setRenderHint(QPainter::Antialiasing);
    setMinimumHeight(180);
    m_chart->legend()->setAlignment(Qt::AlignBottom);
    m_chart->setMargins(QMargins(4, 4, 4, 4));
    clear();
}

void TimelineChart::clear()
{
    m_chart->removeAllSeries();
    for (QAbstractAxis *axis : m_chart->axes())
        m_chart->removeAxis(axis);
    m_chart->setTitle(tr("Requests and latency over time"));
}

QStringList TimelineChart::seriesNames() const
{
    QStringList names;
    for (QAbstractSeries *s : m_chart->series())
        names << s->name();
    return names;
}

void TimelineChart::setReport(const LoadReport &report)
{
    clear();
    if (report.timeline.isEmpty())
        return;
    auto countIn = [](const LoadInterval &i, int from, int to) {
        qint64 n = 0;
        for (auto it = i.statuses.lowerBound(from); it != i.statuses.end() && it.key() <= to; ++it)
            n += it.value();
        return n;
    };
    struct Class
    {
        QString name;
        QColor colour;
        std::function<qint64(const LoadInterval &)> count;
    };
    const QList<Class> classes{
        {tr("2xx/s"), QColor(0x1e, 0x7b, 0x34),
         [&](const LoadInterval &i) {
             return countIn(i, 200, 299);
         }},
        {tr("4xx/s"), QColor(0xc7, 0x7c, 0x02),
         [&](const LoadInterval &i) {
             return countIn(i, 400, 499) - countIn(i, 429, 429);
         }},
        {tr("429/s"), QColor(0x8e, 0x44, 0xad),
         [&](const LoadInterval &i) {
             return countIn(i, 429, 429);
         }},
        {tr("5xx/s"), QColor(0xb3, 0x26, 0x1e),
         [&](const LoadInterval &i) {
             return countIn(i, 500, 599);
         }},
    };
    // 2xx always gets a line; the other classes only when they occur.
    QList<QLineSeries *> rates;
    QList<const Class *> shown;
    for (const Class &c : classes) {
        bool seen = &c == &classes.first();
        for (const LoadInterval &i : report.timeline)
            seen = seen || c.count(i) > 0;
        if (seen) {
            rates << line(c.name, c.colour);
            shown << &c;
        }
    }
    bool errors = false;
    for (const LoadInterval &i : report.timeline)
        errors = errors || i.transportErrors > 0;
    QLineSeries *errorRate = errors ? line(tr("no answer/s"), QColor(0x55, 0x55, 0x55)) : nullptr;
    QLineSeries *p50 = line(tr("p50 ms"), QColor(0x2b, 0x6c, 0xb0), Qt::DashLine);
    QLineSeries *p99 = line(tr("p99 ms"), QColor(0x6a, 0x1b, 0x9a), Qt::DashLine);
    QLineSeries *server = nullptr;
    for (const LoadInterval &i : report.timeline) {
        if (i.serverP50Ms >= 0)
            server = line(tr("server p50 ms"), QColor(0x2b, 0x6c, 0xb0).lighter(150), Qt::DotLine);
        if (server)
            break;
    }

    double topRate = 0, topMs = 0, endSec = 0;
    for (const LoadInterval &i : report.timeline) {
        const double x = i.startSec + i.lengthSec / 2;
        const double len = i.lengthSec > 0 ? i.lengthSec : 1;
        for (qsizetype k = 0; k < rates.size(); ++k) {
            const double rate = double(shown.at(k)->count(i)) / len;
            rates.at(k)->append(x, rate);
            topRate = std::max(topRate, rate);
        }
        if (errorRate) {
            errorRate->append(x, double(i.transportErrors) / len);
            topRate = std::max(topRate, double(i.transportErrors) / len);
        }
        if (i.answered > 0) {
            p50->append(x, i.p50Ms);
            p99->append(x, i.p99Ms);
            topMs = std::max(topMs, i.p99Ms);
            if (server && i.serverP50Ms >= 0)
                server->append(x, i.serverP50Ms);
        }
        endSec = std::max(endSec, i.startSec + i.lengthSec);
    }

    auto *x = new QValueAxis;
    x->setTitleText(tr("seconds"));
    x->setRange(0, std::max(endSec, 0.1));
    x->applyNiceNumbers();
    auto *left = new QValueAxis;
    left->setTitleText(tr("answers/s"));
    left->setRange(0, topRate > 0 ? topRate * 1.1 : 1);
    left->applyNiceNumbers();
    left->setLabelFormat(QStringLiteral("%.0f"));
    auto *right = new QValueAxis;
    right->setTitleText(tr("ms"));
    right->setRange(0, topMs > 0 ? topMs * 1.1 : 1);
    right->applyNiceNumbers();
    m_chart->addAxis(x, Qt::AlignBottom);
    m_chart->addAxis(left, Qt::AlignLeft);
    m_chart->addAxis(right, Qt::AlignRight);
    auto attach = [&](QLineSeries *s, QValueAxis *y) {
        m_chart->addSeries(s);
        s->attachAxis(x);
        s->attachAxis(y);
    };
    for (QLineSeries *s : rates)
        attach(s, left);
    if (errorRate)
        attach(errorRate, left);
    attach(p50, right);
    attach(p99, right);
    if (server)
        attach(server, right);
    m_chart->setTitle(tr("Requests and latency over time (%1 s slices)")
                          .arg(report.timeline.first().lengthSec, 0, 'g', 3));
}
