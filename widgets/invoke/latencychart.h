#pragma once

#include "app/invoke/loadrunner.h"

#include <QChartView>

class QChart;

// The repeat runner's plot: a latency histogram with vertical p50 / p95 / p99 lines.
class LatencyChart : public QChartView
{
    Q_OBJECT
public:
    explicit LatencyChart(QWidget *parent = nullptr);

    void setResult(const LoadRunResult &result, int buckets = 30);
    void clear();

private:
    QChart *m_chart;
};
