#pragma once

#include "app/runtime/usagesampler.h"

#include <QChartView>

class QChart;
class QLineSeries;
class QValueAxis;

// A deployment's live usage over the last minute: CPU % (of one CPU) and memory as a share of
// its limit, one point per sample.
class UsageChart : public QChartView
{
    Q_OBJECT
public:
    explicit UsageChart(QWidget *parent = nullptr);

    void addSample(const UsageSampler::Sample &sample);
    void clear(const QString &why = {});
    int sampleCount() const;
    // "CPU 12% · memory 85 MiB of 7 GiB (1%)"
    QString summary() const { return m_summary; }

private:
    QChart *m_chart;
    QLineSeries *m_cpu;
    QLineSeries *m_memory;
    QValueAxis *m_x;
    QValueAxis *m_cpuAxis;
    QValueAxis *m_memoryAxis;
    QDateTime m_origin;
    double m_cpuPeak = 100;
    QString m_summary;
};
