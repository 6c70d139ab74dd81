#include "app/invoke/latencyhistogram.h"

#include <QRandomGenerator>
#include <QTest>

#include <algorithm>
#include <cmath>
#include <random>
#include <vector>

// The load engine's histogram against a sorted list of the same values: every percentile up to
// p99.99 within 1 % of the exact nearest-rank value (the bar), on several shapes of
// latency data; merging, JSON and edge values.
class TestLatencyHistogram : public QObject
{
    Q_OBJECT

    // Nearest rank, written independently of the histogram: the ceil(p/100 × n)-th smallest.
    // p × n is computed in integers (p given in hundredths of a percent) so no rounding enters.
    static std::int64_t exactPercentile(const std::vector<std::int64_t> &sorted, int hundredths)
    {
        const auto n = std::int64_t(sorted.size());
        std::int64_t rank = (std::int64_t(hundredths) * n + 9999) / 10000;
        rank = std::clamp<std::int64_t>(rank, 1, n);
        return sorted[std::size_t(rank - 1)];
    }

    static void checkAgainstReference(const std::vector<std::int64_t> &values, double *worst)
    {
        LatencyHistogram h;
        for (std::int64_t v : values)
            h.record(v);
        std::vector<std::int64_t> sorted = values;
        std::sort(sorted.begin(), sorted.end());
        QCOMPARE(h.count(), std::int64_t(values.size()));
        QCOMPARE(h.minNs(), sorted.front());
        QCOMPARE(h.maxNs(), sorted.back());
        for (int hundredths :
             {1, 100, 1000, 2500, 5000, 7500, 9000, 9500, 9900, 9990, 9999, 10000}) {
            const std::int64_t exact = exactPercentile(sorted, hundredths);
            const std::int64_t got = h.valueAtPercentile(hundredths / 100.0);
            const double error =
                exact == 0 ? double(got) : std::abs(double(got - exact)) / double(exact);
            *worst = std::max(*worst, error);
            if (exact < 256)
                QCOMPARE(got, exact); // below 256 ns every value has its own bucket
            QVERIFY2(error <= 0.01,
                     qPrintable(QStringLiteral("p%1 of %2 values: %3 ns, exact %4 ns")
                                    .arg(hundredths / 100.0)
                                    .arg(values.size())
                                    .arg(got)
                                    .arg(exact)));
        }
    }

private slots:
    void percentilesWithinOnePercentOfSortedReference_data()
    {
        QTest::addColumn<QString>("shape");
        QTest::addColumn<int>("count");
        for (const char *shape : {"uniform", "lognormal", "exponential", "bimodal", "tiny"}) {
            for (int count : {1, 2, 7, 100, 1000, 20000, 200000})
                QTest::addRow("%s-%d", shape, count) << QString::fromLatin1(shape) << count;
        }
    }
    void percentilesWithinOnePercentOfSortedReference()
    {
        QFETCH(QString, shape);
        QFETCH(int, count);
        std::mt19937_64 random(QRandomGenerator::global()->generate64());
        std::uniform_int_distribution<std::int64_t> uniform(0, 2'000'000'000);
        std::lognormal_distribution<double> lognormal(std::log(600'000.0), 1.0); // median 0.6 ms
        std::exponential_distribution<double> exponential(1.0 / 2'000'000.0);
        std::bernoulli_distribution slow(0.02);
        std::uniform_int_distribution<std::int64_t> tiny(0, 600);
        std::vector<std::int64_t> values;
        values.reserve(std::size_t(count));
        for (int i = 0; i < count; ++i) {
            std::int64_t v = 0;
            if (shape == u"uniform")
                v = uniform(random);
            else if (shape == u"lognormal")
                v = std::int64_t(lognormal(random));
            else if (shape == u"exponential")
                v = std::int64_t(exponential(random));
            else if (shape == u"bimodal") // fast answers and a few stalls, as a GC pause makes
                v = slow(random) ? 250'000'000 + uniform(random) / 20
                                 : 400'000 + tiny(random) * 100;
            else
                v = tiny(random);
            values.push_back(v);
        }
        double worst = 0;
        checkAgainstReference(values, &worst);
        QVERIFY(worst <= 0.005); // the design bound: half a bucket of 1/128
    }

    void exactBelow256AndBucketsCoverEveryValue()
    {
        LatencyHistogram h;
        for (int v = 0; v < 5000; ++v)
            h.record(v);
        for (int v : {0, 1, 100, 255})
            QCOMPARE(h.valueAtPercentile(100.0 * (v + 1) / 5000.0), std::int64_t(v));
        std::int64_t total = 0;
        std::int64_t previousHigh = -1;
        for (const LatencyHistogram::Bucket &b : h.buckets()) {
            QCOMPARE(b.lowNs, previousHigh + 1); // contiguous: nothing falls between buckets
            QVERIFY(b.highNs >= b.lowNs);
            QVERIFY(double(b.highNs - b.lowNs + 1) <= std::max(1.0, double(b.lowNs) / 128.0));
            previousHigh = b.highNs;
            total += b.count;
        }
        QCOMPARE(total, std::int64_t(5000));
    }

    void statisticsAndEmpty()
    {
        LatencyHistogram h;
        QCOMPARE(h.valueAtPercentile(50), std::int64_t(0));
        QVERIFY(h.isEmpty());
        for (std::int64_t v : {1'000'000, 2'000'000, 3'000'000, 4'000'000})
            h.record(v);
        QCOMPARE(h.meanNs(), 2'500'000.0);
        QVERIFY(std::abs(h.stddevNs() - 1'118'033.99) < 1.0);
        QCOMPARE(h.valueAtPercentile(0), std::int64_t(1'000'000));
        QCOMPARE(h.valueAtPercentile(100), std::int64_t(4'000'000));
        QCOMPARE(h.percentileOfValue(2'000'000), 50.0);
        h.record(-5);                               // clock went backwards: counts as 0
        h.record(LatencyHistogram::MaxValueNs * 4); // beyond the range: counts as the top
        QCOMPARE(h.minNs(), std::int64_t(0));
        QCOMPARE(h.maxNs(), LatencyHistogram::MaxValueNs);
        h.clear();
        QVERIFY(h.isEmpty());
        QCOMPARE(h.maxNs(), std::int64_t(0));
    }

    void mergeEqualsRecordingEverything()
    {
        std::mt19937_64 random(42);
        std::lognormal_distribution<double> lognormal(std::log(1e6), 1.5);
        LatencyHistogram all, a, b, coarse(4);
        for (int i = 0; i < 50000; ++i) {
            const auto v = std::int64_t(lognormal(random));
            all.record(v);
            (i % 3 ? a : b).record(v);
            coarse.record(v);
        }
        a.add(b);
        QVERIFY(a == all);
        QCOMPARE(a.meanNs(), all.meanNs());
        // Another resolution is re-bucketed: still close, no longer exact.
        LatencyHistogram fine;
        fine.add(coarse);
        QCOMPARE(fine.count(), all.count());
        QVERIFY(std::abs(fine.percentileMs(99) - all.percentileMs(99)) / all.percentileMs(99) <
                0.05);
    }

    void jsonRoundTrip()
    {
        std::mt19937_64 random(7);
        std::exponential_distribution<double> exponential(1.0 / 3e6);
        LatencyHistogram h;
        for (int i = 0; i < 10000; ++i)
            h.record(std::int64_t(exponential(random)) + 12345);
        const LatencyHistogram back = LatencyHistogram::fromJson(h.toJson());
        QVERIFY(back == h);
        for (double p : {50.0, 90.0, 99.0, 99.9, 100.0})
            QCOMPARE(back.valueAtPercentile(p), h.valueAtPercentile(p));
        QCOMPARE(back.meanNs(), h.meanNs());
        QVERIFY(LatencyHistogram::fromJson({}).isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestLatencyHistogram)
#include "test_latencyhistogram.moc"
