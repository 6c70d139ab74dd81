// Prints LogStore figures: ingest rate, bytes per line beyond the text, filter time; each next
// to a baseline measured in the same run (QStringList of QString lines, per-line regex).
#include "app/logs/logmerge.h"
#include "app/logs/logsearch.h"
#include "app/logs/logstore.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QRegularExpression>
#include <QStringList>

#include <cstdio>
#include <malloc.h>

namespace {

qint64 heapInUse()
{
    const struct mallinfo2 info = mallinfo2();
    return qint64(info.uordblks + info.hblkhd);
}

// What `docker logs --timestamps` prints for a busy scoring server.
QByteArray typicalServerOutput(int lines)
{
    QByteArray data;
    data.reserve(qsizetype(lines) * 130);
    for (int i = 0; i < lines; ++i) {
        const int ms = i % 1000;
        const int sec = (i / 1000) % 60;
        const QByteArray t = QByteArray::number(sec).rightJustified(2, '0') + ',' +
                             QByteArray::number(ms).rightJustified(3, '0');
        data += "2026-11-28T10:00:" + QByteArray::number(sec).rightJustified(2, '0') + '.' +
                QByteArray::number(ms * 1000000 + 12345).rightJustified(9, '0') + "Z ";
        if (i % 50 == 0)
            data += "2026-11-28 10:00:" + t + " I [7] azmlinfsrv.user_script - scored batch of " +
                    QByteArray::number(i % 17 + 1) + " rows\n";
        else if (i % 997 == 0)
            data += "2026-11-28 10:00:" + t + " E [7] azmlinfsrv - [" + QByteArray::number(i) +
                    "] run() failed: ValueError\n";
        else
            data += "2026-11-28 10:00:" + t + " I [7] azmlinfsrv.access - [5f0c" +
                    QByteArray::number(i * 7919 % 1000003, 16).rightJustified(6, '0') +
                    "-8a1d-4c55-9b1e-3e0f2d9c" + QByteArray::number(i % 9000 + 1000) +
                    "] POST /score " + (i % 211 == 0 ? "500" : "200") + " 0.52ms 12\n";
    }
    return data;
}

// Time-ordered output (one line per `stepUs` microseconds from 10:00 plus startMs), as a
// live container prints it; `tag` tells the two containers apart.
QByteArray orderedOutput(int lines, qint64 startUs, int stepUs, const char *tag)
{
    QByteArray data;
    data.reserve(qsizetype(lines) * 90);
    char buffer[160];
    for (int i = 0; i < lines; ++i) {
        const qint64 us = startUs + qint64(i) * stepUs;
        const qint64 s = us / 1000000;
        const int n = std::snprintf(buffer, sizeof buffer,
                                    "2026-11-28T%02lld:%02lld:%02lld.%06lld000Z %s line %d\n",
                                    10 + s / 3600, (s / 60) % 60, s % 60, us % 1000000, tag, i);
        data.append(buffer, n);
    }
    return data;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const int lines = argc > 1 ? QByteArray(argv[1]).toInt() : 1000000;
    const QByteArray data = typicalServerOutput(lines);
    std::printf("input: %d lines, %.1f MB (%.0f bytes/line incl. Docker timestamp)\n", lines,
                double(data.size()) / 1e6, double(data.size()) / lines);

    // Ingest, fed in 64 KiB pieces as the follower does.
    const qint64 heapBefore = heapInUse();
    LogStore store;
    store.setMaxLines(0);
    QElapsedTimer timer;
    timer.start();
    for (qsizetype pos = 0; pos < data.size(); pos += 65536)
        store.appendData(
            QByteArrayView(data).sliced(pos, qMin<qsizetype>(65536, data.size() - pos)));
    store.flushPartialLine();
    const double ingestMs = double(timer.nsecsElapsed()) / 1e6;
    const qint64 heapStore = heapInUse() - heapBefore;
    std::printf("LogStore ingest: %.0f ms, %.2f M lines/s, %.0f MB/s (target >= 1 M lines/s)\n",
                ingestMs, lines / ingestMs / 1e3, double(data.size()) / ingestMs / 1e3);
    const double textPerLine = double(store.textBytes()) / double(store.lineCount());
    std::printf("LogStore memory: text %.1f B/line; beyond the text %.2f B/line by accounting, "
                "%.2f B/line by heap growth (target <= 16)\n",
                textPerLine,
                double(store.memoryBytes() - store.textBytes()) / double(store.lineCount()),
                double(heapStore - store.textBytes()) / double(store.lineCount()));

    // Baseline: one QString per line in a QStringList (what a naive model holds).
    {
        const qint64 before = heapInUse();
        QElapsedTimer t;
        t.start();
        QStringList list;
        qsizetype pos = 0;
        while (pos < data.size()) {
            const qsizetype nl = data.indexOf('\n', pos);
            list.append(QString::fromUtf8(data.constData() + pos + 31, nl - pos - 31));
            pos = nl + 1;
        }
        const double ms = double(t.nsecsElapsed()) / 1e6;
        const qint64 heap = heapInUse() - before;
        std::printf("baseline QStringList append: %.0f ms, %.2f M lines/s; %.1f B/line in total "
                    "(LogStore: %.1f B/line in total)\n",
                    ms, lines / ms / 1e3, double(heap) / lines, double(heapStore) / lines);

        // Baseline filter: a per-line QRegularExpression match over the list.
        const QRegularExpression re(QStringLiteral("POST /score 5\\d\\d"));
        t.restart();
        qint64 hits = 0;
        for (const QString &line : std::as_const(list))
            hits += re.match(line).hasMatch();
        std::printf("baseline per-line regex over QStringList: %.0f ms (%lld hits)\n",
                    double(t.nsecsElapsed()) / 1e6, hits);
    }

    // Filters over the store, as the worker runs them.
    const std::atomic_bool never{false};
    auto filter = [&](const char *what, LogQuery q, int chunks = 0) {
        QElapsedTimer t;
        t.start();
        const LogStore::Snapshot snapshot = store.snapshot();
        const LogSearchResult r = LogSearch::run(snapshot, q, 0, never, {}, chunks);
        std::printf("LogSearch %-44s %6.0f ms, %zu lines shown (target <= 250 ms)\n", what,
                    double(t.nsecsElapsed()) / 1e6,
                    q.filters() ? r.visible.size() : r.matches.size());
    };
    LogQuery q;
    q.onlyMatching = true;
    q.regex = true;
    q.pattern = QStringLiteral("POST /score 5\\d\\d");
    filter("regex 'POST /score 5\\d\\d', only matching:", q);
    q.pattern = QStringLiteral("\\[5f0c0[0-9a-f]{2}ff");
    filter("regex '\\[5f0c0[0-9a-f]{2}ff':", q);
    q.pattern = QStringLiteral("\\d+\\.\\d+ms");
    filter("regex '\\d+\\.\\d+ms' (matches most lines):", q);
    filter("same on one thread:", q, 1);
    q.regex = false;
    q.pattern = QStringLiteral("valueerror");
    filter("plain, case-insensitive 'valueerror':", q);
    q.caseSensitive = true;
    q.pattern = QStringLiteral("scored batch");
    filter("plain, case-sensitive 'scored batch':", q);
    q.inverted = true;
    q.pattern = QStringLiteral("POST");
    filter("plain inverted 'POST':", q);
    LogQuery levels;
    levels.levelMask = logLevelBit(LogLevel::Error);
    filter("level filter errors only:", levels);

    // The merged tab: built when it is shown (nothing is done while it is hidden). Two
    // containers of 500,000 time-ordered lines each, interleaved in time.
    {
        LogStore server;
        LogStore init;
        server.setMaxLines(0);
        init.setMaxLines(0);
        const int each = lines / 2;
        server.appendData(orderedOutput(each, 0, 20, "server"));
        init.appendData(orderedOutput(each, 7, 20, "init"));
        LogMerge merge;
        merge.setActive(false);
        merge.setStores({&server, &init});
        QElapsedTimer t;
        t.start();
        merge.setActive(true);
        std::printf("LogMerge showing the merged tab over 2 x %d lines: %.0f ms (%zu lines)\n",
                    each, double(t.nsecsElapsed()) / 1e6, merge.refs().size());
        // One follow batch of each container (100 ms at 50,000 lines/s), shown and hidden.
        qint64 next = qint64(each) * 20;
        auto batch = [&] {
            QElapsedTimer b;
            b.start();
            server.appendData(orderedOutput(5000, next, 20, "server"));
            init.appendData(orderedOutput(5000, next + 7, 20, "init"));
            next += 5000 * 20;
            server.flushNotifications();
            init.flushNotifications();
            return double(b.nsecsElapsed()) / 1e6;
        };
        batch(); // warm
        const double shown = batch();
        merge.setActive(false);
        const double hidden = batch();
        std::printf("one batch of 2 x 5,000 lines into the stores: %.2f ms with the merged tab "
                    "shown, %.2f ms hidden\n",
                    shown, hidden);
    }
    return 0;
}
