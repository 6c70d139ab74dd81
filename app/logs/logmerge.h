#pragma once

#include "app/logs/logstore.h"
#include "models/result.h"

#include <QByteArray>
#include <QList>
#include <QObject>

#include <vector>

// Lines of several stores in one time-ordered sequence (the merged log tab). Each entry is
// a reference: source index in the top 8 bits, line number below. Equal timestamps keep
// arrival order. Follows the stores' appends, drops and clears.
class LogMerge : public QObject
{
    Q_OBJECT
public:
    static constexpr int SourceShift = 56;
    static quint64 ref(int source, qint64 line)
    {
        return (quint64(source) << SourceShift) | quint64(line);
    }
    static int sourceOf(quint64 ref) { return int(ref >> SourceShift); }
    static qint64 lineOf(quint64 ref) { return qint64(ref & ((quint64(1) << SourceShift) - 1)); }

    explicit LogMerge(QObject *parent = nullptr);

    void setStores(const QList<LogStore *> &stores);
    // Inactive (the merged tab is not on screen): the stores' appends, drops and clears only
    // mark the merge stale, costing nothing per batch; activating rebuilds it once and emits
    // changed(). Active by default.
    void setActive(bool active);
    bool isActive() const { return m_active; }
    const QList<LogStore *> &stores() const { return m_stores; }
    const std::vector<quint64> &refs() const { return m_refs; }
    qint64 timestampMs(quint64 ref) const;

    // Writes the merged log (refs over snapshots of the stores, in setStores() order), each
    // line prefixed with its source's tag; safe on a worker thread. Returns the bytes written.
    static Result<qint64> save(const std::vector<quint64> &refs,
                               const std::vector<LogStore::Snapshot> &sources,
                               const QList<QByteArray> &tags, const QString &path);

signals:
    void changed(); // refs were added, removed or reordered

private:
    void rebuild();
    void add(int source, qint64 first, qint64 end);
    void prune(int source);

    QList<LogStore *> m_stores;
    std::vector<quint64> m_refs;
    bool m_active = true;
    bool m_stale = false;
};
