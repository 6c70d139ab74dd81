#pragma once

#include "app/invoke/loadreport.h"

#include <QChartView>

class QChart;

// A load run over time: answers per second by status class (2xx, 4xx, 429, 5xx) and requests
// without an answer on the left axis; client p50 and p99 and the server's own p50 in
// milliseconds on the right. Queueing, 429s beginning and stalls show where they happened.
class TimelineChart : public QChartView
{
    Q_OBJECT
public:
    explicit TimelineChart(QWidget *parent = nullptr);

    void setReport(const LoadReport &report);
    void clear();
    QStringList seriesNames() const;

private:
    QChart *m_chart;
};
