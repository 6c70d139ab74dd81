#pragma once

#include <QJsonObject>
#include <QList>

#include <cstdint>
#include <vector>

// Latencies in nanoseconds, counted in log-linear buckets as HdrHistogram does: every power of
// two is split into 2^subBucketBits equal buckets, so a bucket is at most 1/2^subBucketBits of
// its values wide. A percentile is the middle of the bucket that holds the nearest-rank value,
// clamped to the recorded minimum and maximum: with the default 7 bits it is within 0.4 % of
// the exact value (and exact below 256 ns). Recording is O(1) and allocation-free once the
// bucket array has grown to the largest value seen. Values beyond MaxValueNs count as MaxValueNs.
class LatencyHistogram
{
public:
    static constexpr int DefaultSubBucketBits = 7;
    static constexpr std::int64_t MaxValueNs = std::int64_t(1) << 45; // ~9.8 hours

    struct Bucket
    {
        std::int64_t lowNs = 0;  // first value of the bucket
        std::int64_t highNs = 0; // last value of the bucket
        std::int64_t count = 0;
    };

    LatencyHistogram()
        : LatencyHistogram(DefaultSubBucketBits)
    {}
    explicit LatencyHistogram(int subBucketBits);

    void record(std::int64_t valueNs, std::int64_t count = 1);
    void add(const LatencyHistogram &other); // same subBucketBits only; others are re-bucketed
    void clear();

    int subBucketBits() const { return m_bits; }
    std::int64_t count() const { return m_count; }
    bool isEmpty() const { return m_count == 0; }
    std::int64_t minNs() const { return m_count ? m_min : 0; }
    std::int64_t maxNs() const { return m_count ? m_max : 0; }
    double meanNs() const { return m_count ? m_sumNs / double(m_count) : 0; }
    double stddevNs() const;

    // Nearest rank: the smallest recorded value v with at least ceil(p/100 × count) values ≤ v.
    // p is clamped to [0, 100]; 0 gives the minimum, 100 the maximum; 0 when empty.
    std::int64_t valueAtPercentile(double p) const;
    double percentileMs(double p) const { return double(valueAtPercentile(p)) / 1e6; }
    // Share of values ≤ valueNs, in percent.
    double percentileOfValue(std::int64_t valueNs) const;

    QList<Bucket> buckets() const; // the non-empty ones, ascending

    // {"unit": "ns", "subBucketBits": 7, "count", "min", "max", "sum", "buckets": [[low, n], …]}
    QJsonObject toJson() const;
    static LatencyHistogram fromJson(const QJsonObject &object);

    bool operator==(const LatencyHistogram &other) const;

private:
    int indexOf(std::int64_t valueNs) const;
    std::int64_t lowOf(int index) const;
    std::int64_t highOf(int index) const;

    int m_bits;
    std::vector<std::int64_t> m_counts; // grows to the highest index used
    std::int64_t m_count = 0;
    std::int64_t m_min = 0;
    std::int64_t m_max = 0;
    double m_sumNs = 0;
    double m_sumSquaresNs = 0;
};
