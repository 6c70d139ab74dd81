#include "widgets/usagechart.h"

#include "app/runtime/serversettings.h"

#include <QChart>
#include <QLineSeries>
#include <QPen>
#include <QValueAxis>

namespace {
constexpr double windowS = 60;
}

UsageChart::UsageChart(QWidget *parent)
    : QChartView(parent)
    , m_chart(new QChart)
    , m_cpu(new QLineSeries)
    , m_memory(new QLineSeries)
    , m_x(new QValueAxis)
    , m_cpuAxis(new QValueAxis)
    , m_memoryAxis(new QValueAxis)
{
    setChart(m_chart); // takes ownership
    setRenderHint(QPainter::Antialiasing);
    setMinimumHeight(220);
    m_chart->setMargins(QMargins(2, 2, 2, 2));
    m_chart->legend()->setAlignment(Qt::AlignBottom);
    m_cpu->setName(tr("CPU %"));
    m_memory->setName(tr("memory % of limit"));
    QPen cpuPen(QColor(0x2b, 0x6c, 0xb0));
    cpuPen.setWidth(2);
    m_cpu->setPen(cpuPen);
    QPen memPen(QColor(0xc0, 0x6a, 0x10));
    memPen.setWidth(2);
    m_memory->setPen(memPen);
    m_chart->addSeries(m_cpu);
    m_chart->addSeries(m_memory);
    m_x->setRange(-windowS, 0);
    m_x->setLabelFormat(QStringLiteral("%d s"));
    m_x->setTickCount(4);
    m_cpuAxis->setTickCount(3);
    m_memoryAxis->setTickCount(3);
    m_cpuAxis->setRange(0, 100);
    m_cpuAxis->setLabelFormat(QStringLiteral("%d"));
    m_cpuAxis->setTitleText(tr("CPU %"));
    m_cpuAxis->setTitleBrush(QColor(0x2b, 0x6c, 0xb0));
    m_memoryAxis->setRange(0, 100);
    m_memoryAxis->setLabelFormat(QStringLiteral("%d"));
    m_memoryAxis->setTitleText(tr("memory %"));
    m_memoryAxis->setTitleBrush(QColor(0xc0, 0x6a, 0x10));
    m_chart->addAxis(m_x, Qt::AlignBottom);
    m_chart->addAxis(m_cpuAxis, Qt::AlignLeft);
    m_chart->addAxis(m_memoryAxis, Qt::AlignRight);
    m_cpu->attachAxis(m_x);
    m_cpu->attachAxis(m_cpuAxis);
    m_memory->attachAxis(m_x);
    m_memory->attachAxis(m_memoryAxis);
    clear();
}

void UsageChart::clear(const QString &why)
{
    m_cpu->clear();
    m_memory->clear();
    m_origin = QDateTime();
    m_cpuPeak = 100;
    m_cpuAxis->setRange(0, 100);
    m_summary.clear();
    m_chart->setTitle(why.isEmpty() ? tr("Usage (live while the server runs)") : why);
}

int UsageChart::sampleCount() const
{
    return int(m_cpu->count());
}

void UsageChart::addSample(const UsageSampler::Sample &s)
{
    if (!m_origin.isValid())
        m_origin = s.at;
    const double t = m_origin.msecsTo(s.at) / 1000.0;
    const double memPercent =
        s.limitBytes > 0 ? 100.0 * double(s.memoryBytes) / double(s.limitBytes) : 0;
    m_cpu->append(t, s.cpuPercent);
    m_memory->append(t, memPercent);
    // Keep the last minute, shown as seconds before now.
    while (m_cpu->count() > 0 && m_cpu->at(0).x() < t - windowS) {
        m_cpu->remove(0);
        m_memory->remove(0);
    }
    m_x->setRange(t - windowS, t);
    m_x->setLabelsVisible(true);
    m_cpuPeak = qMax(m_cpuPeak, s.cpuPercent * 1.1);
    m_cpuAxis->setRange(0, m_cpuPeak);
    m_summary = tr("CPU %1% · memory %2 of %3 (%4%)")
                    .arg(s.cpuPercent, 0, 'f', 1)
                    .arg(ServerSettings::bytesText(qMax<qint64>(1, s.memoryBytes)),
                         ServerSettings::bytesText(s.limitBytes))
                    .arg(memPercent, 0, 'f', 1);
    m_chart->setTitle(m_summary);
}
