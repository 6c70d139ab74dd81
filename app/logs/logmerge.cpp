#include "app/logs/logmerge.h"

#include "app/logs/logstore.h"

#include <QSaveFile>

#include <algorithm>

LogMerge::LogMerge(QObject *parent)
    : QObject(parent)
{}

void LogMerge::setStores(const QList<LogStore *> &stores)
{
    for (LogStore *store : std::as_const(m_stores))
        store->disconnect(this);
    m_stores = stores;
    for (int i = 0; i < m_stores.size(); ++i) {
        LogStore *store = m_stores[i];
        connect(store, &LogStore::linesAppended, this, [this, i](qint64 first, qint64 end) {
            if (!m_active) {
                m_stale = true;
                return;
            }
            add(i, first, end);
            emit changed();
        });
        auto pruned = [this, i] {
            if (!m_active) {
                m_stale = true;
                return;
            }
            prune(i);
            emit changed();
        };
        connect(store, &LogStore::linesDropped, this, pruned);
        connect(store, &LogStore::cleared, this, pruned);
    }
    rebuild();
    emit changed();
}

void LogMerge::setActive(bool active)
{
    if (active == m_active)
        return;
    m_active = active;
    if (!active) {
        // Nothing reads the refs while inactive: free them, rebuild on activation.
        m_refs = {};
        m_stale = true;
        return;
    }
    if (m_stale) {
        rebuild();
        emit changed();
    }
}

void LogMerge::rebuild()
{
    m_refs.clear();
    m_stale = !m_active;
    if (!m_active)
        return;
    for (int i = 0; i < m_stores.size(); ++i)
        add(i, m_stores[i]->firstLine(), m_stores[i]->endLine());
}

qint64 LogMerge::timestampMs(quint64 ref) const
{
    return m_stores[sourceOf(ref)]->timestampMs(lineOf(ref));
}

void LogMerge::add(int source, qint64 first, qint64 end)
{
    if (first >= end)
        return;
    const LogStore *store = m_stores[source];
    const size_t oldSize = m_refs.size();
    m_refs.reserve(oldSize + size_t(end - first));
    for (qint64 line = first; line < end; ++line)
        m_refs.push_back(ref(source, line));
    auto byTime = [this](quint64 a, quint64 b) {
        return timestampMs(a) < timestampMs(b);
    };
    const auto begin = m_refs.begin() + qsizetype(oldSize);
    // Within one container output is nearly ordered; Docker may interleave stdout/stderr.
    if (!std::is_sorted(begin, m_refs.end(), byTime))
        std::stable_sort(begin, m_refs.end(), byTime);
    if (oldSize == 0 || timestampMs(m_refs[oldSize - 1]) <= store->timestampMs(first))
        return;
    // Merge only the tail that overlaps the new lines' time span.
    const auto from = std::upper_bound(m_refs.begin(), begin, *begin, byTime);
    std::inplace_merge(from, begin, m_refs.end(), byTime);
}

void LogMerge::prune(int source)
{
    const qint64 first = m_stores[source]->firstLine();
    std::erase_if(
        m_refs, [source, first](quint64 r) { return sourceOf(r) == source && lineOf(r) < first; });
}

Result<qint64> LogMerge::save(const std::vector<quint64> &refs,
                              const std::vector<LogStore::Snapshot> &sources,
                              const QList<QByteArray> &tags, const QString &path)
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return Result<qint64>::failure(
            QStringLiteral("cannot write %1: %2").arg(path, file.errorString()));
    QByteArray buffer;
    buffer.reserve(1 << 20);
    qint64 written = 0;
    for (quint64 ref : refs) {
        const size_t source = size_t(sourceOf(ref));
        if (source >= sources.size())
            continue;
        const QByteArrayView line = LogStore::lineBytes(sources[source], lineOf(ref));
        buffer += tags.value(qsizetype(source));
        buffer += line;
        buffer += '\n';
        if (buffer.size() >= (1 << 20)) {
            written += file.write(buffer);
            buffer.resize(0); // keeps the capacity
        }
    }
    written += file.write(buffer);
    if (!file.commit())
        return Result<qint64>::failure(
            QStringLiteral("cannot write %1: %2").arg(path, file.errorString()));
    return written;
}
