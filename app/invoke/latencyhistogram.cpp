#include "app/invoke/latencyhistogram.h"

#include <QJsonArray>

#include <algorithm>
#include <bit>
#include <cmath>

namespace {

// Nearest rank of percentile p among n values (1-based). The small epsilon keeps 99.9 % of
// 1000 at rank 999 although 99.9 / 100 × 1000 is 999.0000000000001 in binary floating point.
std::int64_t nearestRank(double p, std::int64_t n)
{
    const long double exact = (long double)p * (long double)n / 100.0L;
    const auto rank = std::int64_t(std::ceil(exact - 1e-9L));
    return std::clamp<std::int64_t>(rank, 1, n);
}

} // namespace

LatencyHistogram::LatencyHistogram(int subBucketBits)
    : m_bits(std::clamp(subBucketBits, 1, 12))
{}

int LatencyHistogram::indexOf(std::int64_t v) const
{
    const std::int64_t sub = std::int64_t(1) << m_bits;
    if (v < 2 * sub)
        return int(v);
    const int exponent = 63 - std::countl_zero(std::uint64_t(v));
    const int shift = exponent - m_bits;
    return int(sub * shift + (v >> shift));
}

std::int64_t LatencyHistogram::lowOf(int index) const
{
    const std::int64_t sub = std::int64_t(1) << m_bits;
    if (index < 2 * sub)
        return index;
    const int shift = int(index / sub) - 1;
    return (index - sub * shift) << shift;
}

std::int64_t LatencyHistogram::highOf(int index) const
{
    const std::int64_t sub = std::int64_t(1) << m_bits;
    if (index < 2 * sub)
        return index;
    const int shift = int(index / sub) - 1;
    return lowOf(index) + (std::int64_t(1) << shift) - 1;
}

void LatencyHistogram::record(std::int64_t valueNs, std::int64_t count)
{
    if (count <= 0)
        return;
    const std::int64_t v = std::clamp<std::int64_t>(valueNs, 0, MaxValueNs);
    const int index = indexOf(v);
    if (std::size_t(index) >= m_counts.size())
        m_counts.resize(std::size_t(index) + 1 + (std::size_t(1) << m_bits), 0);
    m_counts[std::size_t(index)] += count;
    if (m_count == 0) {
        m_min = v;
        m_max = v;
    } else {
        m_min = std::min(m_min, v);
        m_max = std::max(m_max, v);
    }
    m_count += count;
    m_sumNs += double(v) * double(count);
    m_sumSquaresNs += double(v) * double(v) * double(count);
}

void LatencyHistogram::add(const LatencyHistogram &other)
{
    if (other.m_count == 0)
        return;
    if (other.m_bits != m_bits) {
        for (const Bucket &b : other.buckets())
            record(b.lowNs + (b.highNs - b.lowNs) / 2, b.count);
        return;
    }
    if (m_counts.size() < other.m_counts.size())
        m_counts.resize(other.m_counts.size(), 0);
    for (std::size_t i = 0; i < other.m_counts.size(); ++i)
        m_counts[i] += other.m_counts[i];
    if (m_count == 0) {
        m_min = other.m_min;
        m_max = other.m_max;
    } else {
        m_min = std::min(m_min, other.m_min);
        m_max = std::max(m_max, other.m_max);
    }
    m_count += other.m_count;
    m_sumNs += other.m_sumNs;
    m_sumSquaresNs += other.m_sumSquaresNs;
}

void LatencyHistogram::clear()
{
    std::fill(m_counts.begin(), m_counts.end(), 0);
    m_count = 0;
    m_min = 0;
    m_max = 0;
    m_sumNs = 0;
    m_sumSquaresNs = 0;
}

double LatencyHistogram::stddevNs() const
{
    if (m_count < 2)
        return 0;
    const double mean = meanNs();
    return std::sqrt(std::max(0.0, m_sumSquaresNs / double(m_count) - mean * mean));
}

std::int64_t LatencyHistogram::valueAtPercentile(double p) const
{
    if (m_count == 0)
        return 0;
    if (!(p > 0))
        return m_min;
    if (p >= 100)
        return m_max;
    const std::int64_t rank = nearestRank(p, m_count);
    std::int64_t seen = 0;
    for (std::size_t i = 0; i < m_counts.size(); ++i) {
        seen += m_counts[i];
        if (seen >= rank) {
            const std::int64_t low = lowOf(int(i));
            const std::int64_t middle = low + (highOf(int(i)) - low) / 2;
            return std::clamp(middle, m_min, m_max);
        }
    }
    return m_max;
}

double LatencyHistogram::percentileOfValue(std::int64_t valueNs) const
{
    if (m_count == 0)
        return 0;
    std::int64_t below = 0;
    for (std::size_t i = 0; i < m_counts.size() && lowOf(int(i)) <= valueNs; ++i)
        below += m_counts[i];
    return 100.0 * double(below) / double(m_count);
}

QList<LatencyHistogram::Bucket> LatencyHistogram::buckets() const
{
    QList<Bucket> out;
    for (std::size_t i = 0; i < m_counts.size(); ++i) {
        if (m_counts[i])
            out.append({lowOf(int(i)), highOf(int(i)), m_counts[i]});
    }
    return out;
}

QJsonObject LatencyHistogram::toJson() const
{
    QJsonArray list;
    for (const Bucket &b : buckets())
        list.append(QJsonArray{qint64(b.lowNs), qint64(b.count)});
    return QJsonObject{
        {QStringLiteral("unit"), QStringLiteral("ns")}, {QStringLiteral("subBucketBits"), m_bits},
        {QStringLiteral("count"), qint64(m_count)},     {QStringLiteral("min"), qint64(minNs())},
        {QStringLiteral("max"), qint64(maxNs())},       {QStringLiteral("sum"), m_sumNs},
        {QStringLiteral("sumSquares"), m_sumSquaresNs}, {QStringLiteral("buckets"), list},
    };
}

LatencyHistogram LatencyHistogram::fromJson(const QJsonObject &o)
{
    LatencyHistogram h(o.value(u"subBucketBits").toInt(DefaultSubBucketBits));
    for (const QJsonValue &v : o.value(u"buckets").toArray()) {
        const QJsonArray pair = v.toArray();
        h.record(pair.at(0).toInteger(), pair.at(1).toInteger());
    }
    if (h.m_count > 0) {
        // Bucket lows stand in for the values; the exact extremes and sums were stored.
        h.m_min = std::clamp<std::int64_t>(o.value(u"min").toInteger(h.m_min), 0, MaxValueNs);
        h.m_max = std::clamp<std::int64_t>(o.value(u"max").toInteger(h.m_max), h.m_min, MaxValueNs);
        h.m_sumNs = o.value(u"sum").toDouble(h.m_sumNs);
        h.m_sumSquaresNs = o.value(u"sumSquares").toDouble(h.m_sumSquaresNs);
    }
    return h;
}

bool LatencyHistogram::operator==(const LatencyHistogram &other) const
{
    if (m_bits != other.m_bits || m_count != other.m_count || minNs() != other.minNs() ||
        maxNs() != other.maxNs())
        return false;
    const std::size_t n = std::max(m_counts.size(), other.m_counts.size());
    for (std::size_t i = 0; i < n; ++i) {
        const std::int64_t a = i < m_counts.size() ? m_counts[i] : 0;
        const std::int64_t b = i < other.m_counts.size() ? other.m_counts[i] : 0;
        if (a != b)
            return false;
    }
    return true;
}
