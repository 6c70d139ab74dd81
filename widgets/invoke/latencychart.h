#pragma once

#include "app/invoke/loadreport.h"

#include <QChartView>
#include <QList>

class QChart;

// A load run's latency by percentile, as HdrHistogram plots it: the x axis spreads the tail
// (50 %, 90 %, 99 %, 99.9 %, 99.99 % equally apart) and the y axis is milliseconds. Client
// latency is a solid line, the server's own time (x-ms-run-fn-exec-ms) a dashed one. Two runs
// overlay in two colours, so blue against green or before against after reads off directly.
class LatencyChart : public QChartView
{
    Q_OBJECT
public:
    explicit LatencyChart(QWidget *parent = nullptr);

    struct Run
    {
        const LoadReport *report = nullptr;
        QString label; // "A: blue 14:02", …
    };
    void setRuns(const QList<Run> &runs); // one or two
    void clear();

    // The plotted series' names, for tests and the legend: "A client", "A server", …
    QStringList seriesNames() const;

private:
    QChart *m_chart;
};
