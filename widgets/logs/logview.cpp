#include "widgets/logs/logview.h"

#include "app/logs/logmerge.h"
#include "app/logs/logstore.h"

#include <QApplication>
#include <QClipboard>
#include <QDateTime>
#include <QFontDatabase>
#include <QKeyEvent>
#include <QPainter>
#include <QScrollBar>

#include <algorithm>

namespace {

constexpr qsizetype MaxDisplayChars = 20000; // longer lines are cut for display only
constexpr int Margin = 6;
constexpr int GutterWidth = 4;

QRgb ansiPalette(quint32 colour, bool dark)
{
    static const QRgb base[16] = {0x000000, 0xcd3131, 0x0dbc79, 0xe5e510, 0x2472c8, 0xbc3fbc,
                                  0x11a8cd, 0xe5e5e5, 0x666666, 0xf14c4c, 0x23d18b, 0xf5f543,
                                  0x3b8eea, 0xd670d6, 0x29b8db, 0xffffff};
    if (colour & AnsiSpan::Rgb)
        return colour & 0xffffff;
    const quint32 index = colour & 0xff;
    if (index < 16) {
        // Keep white-on-white and black-on-black readable.
        if (!dark && (index == 7 || index == 15))
            return 0x555555;
        if (dark && index == 0)
            return 0x999999;
        return base[index];
    }
    if (index < 232) {
        const int i = int(index) - 16;
        auto level = [](int v) {
            return v == 0 ? 0 : 55 + v * 40;
        };
        return QRgb((level(i / 36) << 16) | (level((i / 6) % 6) << 8) | level(i % 6));
    }
    const int grey = 8 + (int(index) - 232) * 10;
    return QRgb((grey << 16) | (grey << 8) | grey);
}

// UTF-16 index of each byte offset of a UTF-8 string (approximate for invalid sequences).
qsizetype utf16Index(QByteArrayView bytes, qsizetype byteOffset)
{
    qsizetype units = 0;
    const qsizetype end = qMin(byteOffset, bytes.size());
    for (qsizetype i = 0; i < end; ++i) {
        const uchar b = uchar(bytes[i]);
        if ((b & 0xc0) != 0x80)
            units += b >= 0xf0 ? 2 : 1;
    }
    return units;
}

struct CharStyle
{
    QRgb fg = 0;
    QRgb bg = 0;
    bool hasFg = false;
    bool hasBg = false;
    bool bold = false;
    bool operator==(const CharStyle &) const = default;
};

} // namespace

LogView::LogView(QWidget *parent)
    : QAbstractScrollArea(parent)
{
    QFont font = QFontDatabase::systemFont(QFontDatabase::FixedFont);
    setFont(font);
    setFocusPolicy(Qt::StrongFocus);
    viewport()->setCursor(Qt::IBeamCursor);
    verticalScrollBar()->setSingleStep(3);
    horizontalScrollBar()->setSingleStep(20);
    changeEvent(nullptr);
}

LogView::~LogView() = default;

void LogView::resetSources()
{
    for (Source &source : m_sources) {
        if (source.store)
            source.store->disconnect(this);
        delete source.search;
    }
    m_sources.clear();
    if (m_merge)
        m_merge->disconnect(this);
    m_merge = nullptr;
    m_merged = false;
    m_rows.clear();
    m_matches.clear();
    m_currentMatch = -1;
    m_selFirst = m_selLast = m_anchorRow = -1;
    m_topRow = 0;
}

void LogView::setStore(LogStore *store)
{
    resetSources();
    if (store) {
        Source source;
        source.store = store;
        m_sources.append(source);
    }
    for (int i = 0; i < m_sources.size(); ++i) {
        LogStore *s = m_sources[i].store;
        m_sources[i].search = new LogSearch(this);
        connect(m_sources[i].search, &LogSearch::finished, this,
                [this, i](const LogSearchResult &r) { onSearchFinished(i, r); });
        connect(m_sources[i].search, &LogSearch::progress, this, &LogView::searchProgress);
        connect(s, &LogStore::linesAppended, this, [this, i] { onLinesAppended(i); });
        connect(s, &LogStore::linesDropped, this, [this, i] { onLinesDropped(i); });
        connect(s, &LogStore::cleared, this, [this, i] { onLinesDropped(i); });
    }
    m_sourceWidth = 0;
    setQuery(m_query);
}

void LogView::setMerged(LogMerge *merge, const QStringList &sourceNames)
{
    resetSources();
    m_merge = merge;
    m_merged = true;
    const QList<LogStore *> stores = merge->stores();
    m_sourceWidth = 0;
    for (int i = 0; i < stores.size(); ++i) {
        Source source;
        source.store = stores[i];
        source.name = sourceNames.value(i);
        m_sourceWidth = qMax(m_sourceWidth, int(source.name.size()));
        source.search = new LogSearch(this);
        m_sources.append(source);
        connect(source.search, &LogSearch::finished, this,
                [this, i](const LogSearchResult &r) { onSearchFinished(i, r); });
        connect(source.search, &LogSearch::progress, this, &LogView::searchProgress);
        connect(stores[i], &LogStore::linesAppended, this, [this, i] { onLinesAppended(i); });
        connect(stores[i], &LogStore::linesDropped, this, [this, i] { onLinesDropped(i); });
        connect(stores[i], &LogStore::cleared, this, [this, i] { onLinesDropped(i); });
    }
    // The merge updates itself on the same signals; it was connected first, so it is
    // current when the view's handlers run. Reordering within the tail needs a repaint.
    connect(merge, &LogMerge::changed, this, [this] {
        if (!m_query.filters())
            updateScrollBars();
        viewport()->update();
    });
    setQuery(m_query);
}

void LogView::setQuery(const LogQuery &query)
{
    m_query = query;
    m_matcher = LogMatcher(query);
    m_searchError = m_matcher.errorString();
    m_identityRows = !m_merged && !query.filters();
    m_rows.clear();
    m_matches.clear();
    m_currentMatch = -1;
    const bool search = query.hasText() || query.filters();
    for (int i = 0; i < m_sources.size(); ++i) {
        Source &source = m_sources[i];
        source.search->cancel();
        source.visible.clear();
        source.matches.clear();
        source.pending = false;
        source.searchedTo = source.store ? source.store->firstLine() : 0;
        if (search && source.store)
            startSearch(i, source.searchedTo);
    }
    rebuildRows();
    updateScrollBars();
    if (m_follow)
        scrollToEnd();
    viewport()->update();
    emit rowsChanged();
    emit currentMatchChanged(m_currentMatch, matchCount());
}

bool LogView::isSearching() const
{
    for (const Source &source : m_sources)
        if (source.search && source.search->isRunning())
            return true;
    return false;
}

void LogView::startSearch(int i, qint64 fromLine)
{
    Source &source = m_sources[i];
    source.pending = false;
    source.search->start(source.store->snapshot(), m_query, fromLine);
}

void LogView::onSearchFinished(int i, const LogSearchResult &result)
{
    Source &source = m_sources[i];
    if (!result.error.isEmpty()) {
        m_searchError = result.error;
        emit rowsChanged();
        return;
    }
    const qint64 first = source.store ? source.store->firstLine() : 0;
    for (qint64 line : result.visible)
        if (line >= first)
            source.visible.push_back(line);
    for (qint64 line : result.matches)
        if (line >= first)
            source.matches.push_back(line);
    source.searchedTo = result.toLine;
    rebuildRows();
    updateScrollBars();
    if (!m_revealText.isEmpty() && !isSearching()) {
        m_revealText.clear();
        const bool found = !m_matches.empty();
        if (found)
            goToMatch(0);
        emit revealFinished(found);
    } else if (m_follow) {
        scrollToEnd();
    }
    viewport()->update();
    emit rowsChanged();
    emit currentMatchChanged(m_currentMatch, matchCount());
    if (source.pending && source.store && source.searchedTo < source.store->endLine())
        startSearch(i, source.searchedTo);
}

void LogView::onLinesAppended(int i)
{
    Source &source = m_sources[i];
    if (m_query.hasText() || m_query.filters()) {
        if (source.search->isRunning())
            source.pending = true;
        else
            startSearch(i, source.searchedTo);
    }
    if (!m_query.filters()) {
        updateScrollBars();
        if (m_follow)
            scrollToEnd();
        viewport()->update();
        emit rowsChanged();
    }
}

void LogView::onLinesDropped(int i)
{
    Source &source = m_sources[i];
    if (!source.store)
        return;
    const qint64 first = source.store->firstLine();
    auto trim = [first](std::vector<qint64> &lines) {
        lines.erase(lines.begin(), std::lower_bound(lines.begin(), lines.end(), first));
    };
    const qint64 oldRows = rowCount();
    trim(source.visible);
    trim(source.matches);
    source.searchedTo = qMax(source.searchedTo, first);
    rebuildRows();
    // Keep the lines in place on screen while the oldest ones go.
    if (!m_follow)
        m_topRow = qMax<qint64>(0, m_topRow - (oldRows - rowCount()));
    updateScrollBars();
    if (m_follow)
        scrollToEnd();
    viewport()->update();
    emit rowsChanged();
}

void LogView::rebuildRows()
{
    const quint64 previous = (m_currentMatch >= 0 && m_currentMatch < matchCount())
                                 ? m_matches[size_t(m_currentMatch)]
                                 : ~quint64(0);
    m_rows.clear();
    m_matches.clear();
    if (!m_merged) {
        if (!m_sources.isEmpty()) {
            const Source &s = m_sources[0];
            if (m_query.filters())
                m_rows.assign(s.visible.begin(), s.visible.end());
            m_matches.assign(s.matches.begin(), s.matches.end());
        }
    } else if (m_merge) {
        auto contains = [](const std::vector<qint64> &v, qint64 line) {
            return std::binary_search(v.begin(), v.end(), line);
        };
        const bool filters = m_query.filters();
        const bool text = m_query.hasText();
        if (filters || text) {
            for (quint64 ref : m_merge->refs()) {
                const Source &s = m_sources[LogMerge::sourceOf(ref)];
                const qint64 line = LogMerge::lineOf(ref);
                if (filters && contains(s.visible, line))
                    m_rows.push_back(ref);
                if (text && contains(s.matches, line))
                    m_matches.push_back(ref);
            }
        }
    }
    m_currentMatch = -1;
    if (previous != ~quint64(0)) {
        const auto it = std::find(m_matches.begin(), m_matches.end(), previous);
        if (it != m_matches.end())
            m_currentMatch = it - m_matches.begin();
    }
}

qint64 LogView::rowCount() const
{
    if (m_query.filters())
        return qint64(m_rows.size());
    if (m_merged)
        return m_merge ? qint64(m_merge->refs().size()) : 0;
    return m_sources.isEmpty() || !m_sources[0].store ? 0 : m_sources[0].store->lineCount();
}

LogView::Row LogView::rowAt(qint64 row) const
{
    Row r;
    if (m_query.filters()) {
        const quint64 ref = m_rows[size_t(row)];
        r.source = m_merged ? LogMerge::sourceOf(ref) : 0;
        r.line = m_merged ? LogMerge::lineOf(ref) : qint64(ref);
    } else if (m_merged) {
        const quint64 ref = m_merge->refs()[size_t(row)];
        r.source = LogMerge::sourceOf(ref);
        r.line = LogMerge::lineOf(ref);
    } else {
        r.line = m_sources[0].store->firstLine() + row;
    }
    return r;
}

quint64 LogView::refOf(const Row &row) const
{
    return m_merged ? LogMerge::ref(row.source, row.line) : quint64(row.line);
}

qint64 LogView::rowOfLine(int source, qint64 line) const
{
    if (m_query.filters()) {
        const quint64 ref = m_merged ? LogMerge::ref(source, line) : quint64(line);
        if (!m_merged) {
            const auto it = std::lower_bound(m_rows.begin(), m_rows.end(), ref);
            return (it != m_rows.end() && *it == ref) ? it - m_rows.begin() : -1;
        }
        const auto it = std::find(m_rows.begin(), m_rows.end(), ref);
        return it != m_rows.end() ? it - m_rows.begin() : -1;
    }
    if (m_merged) {
        const auto &refs = m_merge->refs();
        const auto it = std::find(refs.begin(), refs.end(), LogMerge::ref(source, line));
        return it != refs.end() ? it - refs.begin() : -1;
    }
    if (m_sources.isEmpty() || !m_sources[0].store)
        return -1;
    const LogStore *store = m_sources[0].store;
    return (line >= store->firstLine() && line < store->endLine()) ? line - store->firstLine() : -1;
}

qint64 LogView::totalLines() const
{
    qint64 total = 0;
    for (const Source &source : m_sources)
        if (source.store)
            total += source.store->lineCount();
    return total;
}

qint64 LogView::droppedLines() const
{
    qint64 total = 0;
    for (const Source &source : m_sources)
        if (source.store)
            total += source.store->droppedCount();
    return total;
}

void LogView::setFollowing(bool follow)
{
    if (follow)
        scrollToEnd();
    if (m_follow != follow) {
        m_follow = follow;
        emit followingChanged(follow);
    }
}

void LogView::setShowTimestamps(bool show)
{
    m_showTimestamps = show;
    updateScrollBars();
    viewport()->update();
}

void LogView::setWrap(bool wrap)
{
    m_wrap = wrap;
    horizontalScrollBar()->setValue(0);
    setHorizontalScrollBarPolicy(wrap ? Qt::ScrollBarAlwaysOff : Qt::ScrollBarAsNeeded);
    updateScrollBars();
    if (m_follow)
        scrollToEnd();
    viewport()->update();
}

int LogView::prefixColumns() const
{
    int columns = 0;
    if (m_merged)
        columns += m_sourceWidth + 3; // "[name] "
    if (m_showTimestamps)
        columns += 13; // "HH:mm:ss.zzz "
    return columns;
}

int LogView::textColumns() const
{
    const int width = viewport()->width() - 2 * Margin - GutterWidth;
    return qMax(8, width / qMax(1, m_charWidth) - prefixColumns());
}

QString LogView::paintedText(qint64 row) const
{
    if (row < 0 || row >= rowCount())
        return QString();
    bool truncated = false;
    return displayText(rowAt(row), &truncated);
}

QString LogView::displayText(const Row &row, bool *truncated) const
{
    const LogStore *store = m_sources[row.source].store;
    QByteArrayView bytes = store->lineBytes(row.line);
    *truncated = false;
    if (bytes.size() > MaxDisplayChars * 4)
        bytes = bytes.first(MaxDisplayChars * 4);
    QString text = QString::fromUtf8(bytes);
    if (text.size() > MaxDisplayChars) {
        text.truncate(MaxDisplayChars);
        *truncated = true;
    } else if (bytes.size() < store->lineBytes(row.line).size()) {
        *truncated = true;
    }
    // One character in, one out (match offsets stay valid): tabs as a space, other control
    // characters as their visible symbol (␀, ␇, ␛ …) instead of nothing or a box.
    for (QChar &c : text) {
        const char16_t u = c.unicode();
        if (u == u'\t')
            c = u' ';
        else if (u < 0x20)
            c = QChar(char16_t(0x2400 + u));
        else if (u == 0x7f)
            c = QChar(char16_t(0x2421));
    }
    return text;
}

int LogView::rowHeightInLines(qint64 row, int columns) const
{
    if (!m_wrap)
        return 1;
    const Row r = rowAt(row);
    // Character count is close enough for wrapping a monospace font.
    const qsizetype bytes = m_sources[r.source].store->lineBytes(r.line).size();
    const qsizetype chars = qMin<qsizetype>(bytes, MaxDisplayChars + 40);
    return int(qMax<qsizetype>(1, (chars + columns - 1) / columns));
}

qint64 LogView::lastVisibleRow() const
{
    const qint64 rows = rowCount();
    if (rows == 0)
        return -1;
    const int columns = textColumns();
    int y = 0;
    qint64 row = m_topRow;
    while (row < rows) {
        y += rowHeightInLines(row, columns) * m_lineHeight;
        if (y > viewport()->height())
            break;
        ++row;
    }
    return qMax(m_topRow, row - 1);
}

void LogView::updateScrollBars()
{
    const qint64 rows = rowCount();
    const int visibleLines = qMax(1, viewport()->height() / qMax(1, m_lineHeight));
    // Rows that fit on the last page: the scroll range ends where they start.
    qint64 fitAtEnd = 0;
    if (m_wrap) {
        const int columns = textColumns();
        int used = 0;
        for (qint64 row = rows - 1; row >= 0; --row) {
            used += rowHeightInLines(row, columns);
            if (used > visibleLines)
                break;
            ++fitAtEnd;
        }
        fitAtEnd = qMax<qint64>(1, fitAtEnd);
    } else {
        fitAtEnd = visibleLines;
    }
    const qint64 maximum = qMax<qint64>(0, rows - fitAtEnd);
    m_adjustingScroll = true;
    QScrollBar *bar = verticalScrollBar();
    bar->setRange(0, int(qMin<qint64>(maximum, std::numeric_limits<int>::max())));
    bar->setPageStep(visibleLines);
    m_topRow = qMin(m_topRow, maximum);
    bar->setValue(int(m_topRow));
    m_adjustingScroll = false;
}

void LogView::scrollToEnd()
{
    updateScrollBars();
    m_adjustingScroll = true;
    verticalScrollBar()->setValue(verticalScrollBar()->maximum());
    m_topRow = verticalScrollBar()->value();
    m_adjustingScroll = false;
    viewport()->update();
}

void LogView::scrollContentsBy(int dx, int dy)
{
    Q_UNUSED(dx);
    Q_UNUSED(dy);
    m_topRow = verticalScrollBar()->value();
    if (!m_adjustingScroll) {
        // Scrolling up pauses following; coming back to the end resumes it.
        const bool atEnd = verticalScrollBar()->value() >= verticalScrollBar()->maximum();
        if (atEnd != m_follow) {
            m_follow = atEnd;
            emit followingChanged(m_follow);
        }
    }
    viewport()->update();
}

void LogView::resizeEvent(QResizeEvent *event)
{
    QAbstractScrollArea::resizeEvent(event);
    updateScrollBars();
    if (m_follow)
        scrollToEnd();
}

void LogView::changeEvent(QEvent *event)
{
    if (event)
        QAbstractScrollArea::changeEvent(event);
    if (!event || event->type() == QEvent::FontChange) {
        const QFontMetrics metrics(font());
        m_charWidth = qMax(1, metrics.horizontalAdvance(u'M'));
        m_lineHeight = qMax(1, metrics.lineSpacing());
        viewport()->setFont(font());
    }
}

QColor LogView::levelColor(LogLevel level) const
{
    const bool dark = palette().color(QPalette::Base).lightness() < 128;
    switch (level) {
    case LogLevel::Critical:
    case LogLevel::Error:
        return dark ? QColor(0xff6b6b) : QColor(0xc62828);
    case LogLevel::Warning:
        return dark ? QColor(0xffb74d) : QColor(0xb85c00);
    case LogLevel::Debug:
    case LogLevel::Trace:
        return palette().color(QPalette::PlaceholderText);
    case LogLevel::Info:
    case LogLevel::None:
        break;
    }
    return palette().color(QPalette::Text);
}

QString LogView::rowText(qint64 row) const
{
    if (row < 0 || row >= rowCount())
        return QString();
    const Row r = rowAt(row);
    const LogStore *store = m_sources[r.source].store;
    QString text;
    if (m_merged)
        text += u'[' + m_sources[r.source].name + QStringLiteral("] ");
    if (m_showTimestamps)
        text += QDateTime::fromMSecsSinceEpoch(store->timestampMs(r.line))
                    .toString(QStringLiteral("HH:mm:ss.zzz "));
    text += store->lineText(r.line);
    return text;
}

void LogView::paintEvent(QPaintEvent *event)
{
    Q_UNUSED(event);
    QPainter p(viewport());
    const QPalette pal = palette();
    const bool dark = pal.color(QPalette::Base).lightness() < 128;
    p.fillRect(viewport()->rect(), pal.color(QPalette::Base));
    const QFontMetrics metrics(font());
    const int ascent = metrics.ascent();
    const int width = viewport()->width();
    const int height = viewport()->height();
    const int columns = textColumns();
    const int xText = Margin + GutterWidth + prefixColumns() * m_charWidth -
                      (m_wrap ? 0 : horizontalScrollBar()->value());
    const QColor highlight = dark ? QColor(0x61, 0x55, 0x10) : QColor(0xff, 0xe5, 0x6b);
    const QColor current = dark ? QColor(0xa0, 0x5a, 0x00) : QColor(0xff, 0x9e, 0x3d);
    const QColor selection = pal.color(QPalette::Highlight).lighter(dark ? 80 : 170);
    const QColor markerBg = dark ? QColor(0x2a, 0x33, 0x44) : QColor(0xe8, 0xee, 0xf7);
    const QColor dim = pal.color(QPalette::PlaceholderText);

    int y = 0;
    const qint64 dropped = droppedLines();
    if (dropped > 0 && m_topRow == 0) {
        p.fillRect(QRect(0, 0, width, m_lineHeight), markerBg);
        p.setPen(dim);
        p.drawText(
            QPoint(Margin, ascent),
            tr("⋯ %L1 older lines dropped (memory limit); Save writes the full log").arg(dropped));
        y += m_lineHeight;
    }

    const qint64 rows = rowCount();
    const quint64 currentRef = (m_currentMatch >= 0 && m_currentMatch < matchCount())
                                   ? m_matches[size_t(m_currentMatch)]
                                   : ~quint64(0);
    int longest = 0;
    for (qint64 row = m_topRow; row < rows && y < height; ++row) {
        const Row r = rowAt(row);
        const LogStore *store = m_sources[r.source].store;
        if (!store)
            break;
        bool truncated = false;
        QString text = displayText(r, &truncated);
        const qsizetype textLength = text.size();
        if (truncated)
            text +=
                tr("  … [line cut for display: %L1 bytes]").arg(store->lineBytes(r.line).size());
        const quint8 flags = store->flags(r.line);
        const LogLevel level = store->level(r.line);
        const int lines =
            m_wrap ? int(qMax<qsizetype>(1, (text.size() + columns - 1) / columns)) : 1;
        const int rowHeight = lines * m_lineHeight;
        const bool selected = m_selFirst >= 0 && row >= qMin(m_selFirst, m_selLast) &&
                              row <= qMax(m_selFirst, m_selLast);
        const bool isCurrent = refOf(r) == currentRef;

        if (flags & LogLineFlag::Marker)
            p.fillRect(QRect(0, y, width, rowHeight), markerBg);
        if (selected)
            p.fillRect(QRect(0, y, width, rowHeight), selection);
        if (level >= LogLevel::Warning)
            p.fillRect(QRect(Margin - 2, y, GutterWidth - 1, rowHeight), levelColor(level));

        // Prefix: source, time.
        int x = Margin + GutterWidth;
        p.setPen(dim);
        if (m_merged) {
            const QString tag = u'[' + m_sources[r.source].name + u']';
            p.setPen(r.source == 0 ? (dark ? QColor(0x7f, 0xb2, 0xff) : QColor(0x1f, 0x5f, 0xbf))
                                   : (dark ? QColor(0xc3, 0x9b, 0xff) : QColor(0x7b, 0x3f, 0xbf)));
            p.drawText(QPoint(x, y + ascent), tag);
            x += (m_sourceWidth + 3) * m_charWidth;
        }
        if (m_showTimestamps) {
            p.setPen(dim);
            p.drawText(QPoint(x, y + ascent),
                       QDateTime::fromMSecsSinceEpoch(store->timestampMs(r.line))
                           .toString(QStringLiteral("HH:mm:ss.zzz")));
        }

        // Per-character styles: level colour, ANSI runs, then matches on top. Most lines
        // have one style and are drawn in one call.
        CharStyle base;
        base.fg = (flags & LogLineFlag::Marker) ? dim.rgb() : levelColor(level).rgb();
        base.hasFg = true;
        base.bold = level == LogLevel::Critical;
        const bool plain = !(flags & LogLineFlag::Ansi) && m_matcher.isEmpty() && !truncated;
        std::vector<CharStyle> styles;
        if (!plain)
            styles.assign(size_t(text.size()), base);
        for (qsizetype i = textLength; i < qsizetype(styles.size()); ++i)
            styles[size_t(i)].fg = dim.rgb();
        if (flags & LogLineFlag::Ansi) {
            const QByteArrayView bytes = store->lineBytes(r.line);
            for (const AnsiSpan &span : store->spans(r.line)) {
                const qsizetype from = utf16Index(bytes, span.start);
                const qsizetype to = qMin(textLength, utf16Index(bytes, span.start + span.length));
                for (qsizetype i = from; i < to; ++i) {
                    CharStyle &s = styles[size_t(i)];
                    quint32 fg = span.foreground, bg = span.background;
                    if (span.attributes & AnsiSpan::Inverse)
                        std::swap(fg, bg);
                    if (fg)
                        s.fg = ansiPalette(fg, dark);
                    if (bg) {
                        s.bg = ansiPalette(bg, dark);
                        s.hasBg = true;
                    }
                    s.bold = s.bold || (span.attributes & AnsiSpan::Bold);
                }
            }
        }
        if (!m_matcher.isEmpty()) {
            const QColor matchBg = isCurrent ? current : highlight;
            for (const auto &[start, length] :
                 m_matcher.ranges(QStringView(text).first(textLength))) {
                for (qsizetype i = start; i < start + length && i < textLength; ++i) {
                    styles[size_t(i)].bg = matchBg.rgb();
                    styles[size_t(i)].hasBg = true;
                    styles[size_t(i)].fg = pal.color(QPalette::Text).rgb();
                    if (dark)
                        styles[size_t(i)].fg = 0xffffff;
                }
            }
        }

        // Draw runs of equal style, line by line when wrapping.
        for (int visual = 0; visual < lines; ++visual) {
            const qsizetype from = m_wrap ? qsizetype(visual) * columns : 0;
            const qsizetype to =
                m_wrap ? qMin<qsizetype>(text.size(), from + columns) : text.size();
            const int baseline = y + visual * m_lineHeight + ascent;
            // Unwrapped: skip what is scrolled out on the left and right.
            qsizetype i = from;
            qsizetype end = to;
            if (!m_wrap) {
                i = qMin(to, qsizetype(horizontalScrollBar()->value() / m_charWidth));
                end = qMin(to, i + width / m_charWidth + 2);
            }
            while (i < end) {
                qsizetype j = plain ? end : i + 1;
                while (j < end && styles[size_t(j)] == styles[size_t(i)])
                    ++j;
                const CharStyle &s = plain ? base : styles[size_t(i)];
                const int xs = xText + int(i - from) * m_charWidth;
                if (s.hasBg)
                    p.fillRect(QRect(xs, baseline - ascent, int(j - i) * m_charWidth, m_lineHeight),
                               QColor::fromRgb(s.bg));
                QFont f = font();
                if (s.bold) {
                    f.setBold(true);
                    p.setFont(f);
                }
                p.setPen(QColor::fromRgb(s.fg));
                p.drawText(QPoint(xs, baseline), text.mid(i, j - i));
                if (s.bold)
                    p.setFont(font());
                i = j;
            }
        }
        longest = qMax(longest, int(text.size()));
        y += rowHeight;
    }

    if (!m_wrap) {
        // The horizontal range follows the longest line on screen.
        const int contentWidth =
            (longest + prefixColumns()) * m_charWidth + 2 * Margin + GutterWidth;
        const int maximum = qMax(0, contentWidth - width);
        if (maximum > horizontalScrollBar()->maximum())
            horizontalScrollBar()->setRange(0, maximum);
        horizontalScrollBar()->setPageStep(width);
    }
}

qint64 LogView::rowAtY(int y) const
{
    const qint64 rows = rowCount();
    if (rows == 0)
        return -1;
    int top = (droppedLines() > 0 && m_topRow == 0) ? m_lineHeight : 0;
    const int columns = textColumns();
    for (qint64 row = m_topRow; row < rows; ++row) {
        const int h = rowHeightInLines(row, columns) * m_lineHeight;
        if (y < top + h)
            return row;
        top += h;
    }
    return rows - 1;
}

void LogView::mousePressEvent(QMouseEvent *event)
{
    const qint64 row = rowAtY(event->position().toPoint().y());
    if (row < 0)
        return;
    if ((event->modifiers() & Qt::ShiftModifier) && m_anchorRow >= 0) {
        m_selFirst = m_anchorRow;
        m_selLast = row;
    } else {
        m_anchorRow = m_selFirst = m_selLast = row;
    }
    viewport()->update();
}

void LogView::mouseMoveEvent(QMouseEvent *event)
{
    if (!(event->buttons() & Qt::LeftButton) || m_anchorRow < 0)
        return;
    const qint64 row = rowAtY(event->position().toPoint().y());
    if (row >= 0) {
        m_selFirst = m_anchorRow;
        m_selLast = row;
        viewport()->update();
    }
}

void LogView::keyPressEvent(QKeyEvent *event)
{
    if (event->matches(QKeySequence::Copy)) {
        copySelection();
        return;
    }
    if (event->matches(QKeySequence::SelectAll)) {
        selectAllRows();
        return;
    }
    if (event->matches(QKeySequence::FindNext)) {
        nextMatch();
        return;
    }
    if (event->matches(QKeySequence::FindPrevious)) {
        previousMatch();
        return;
    }
    QScrollBar *bar = verticalScrollBar();
    switch (event->key()) {
    case Qt::Key_Home:
        bar->setValue(0);
        return;
    case Qt::Key_End:
        setFollowing(true);
        return;
    case Qt::Key_Up:
        bar->setValue(bar->value() - 1);
        return;
    case Qt::Key_Down:
        bar->setValue(bar->value() + 1);
        return;
    case Qt::Key_PageUp:
        bar->setValue(bar->value() - bar->pageStep());
        return;
    case Qt::Key_PageDown:
        bar->setValue(bar->value() + bar->pageStep());
        return;
    default:
        QAbstractScrollArea::keyPressEvent(event);
    }
}

QString LogView::selectedText() const
{
    if (m_selFirst < 0)
        return QString();
    const qint64 from = qMin(m_selFirst, m_selLast);
    const qint64 to = qMin(qMax(m_selFirst, m_selLast), rowCount() - 1);
    QString text;
    for (qint64 row = from; row <= to; ++row) {
        text += rowText(row);
        text += u'\n';
    }
    return text;
}

void LogView::selectAllRows()
{
    if (rowCount() == 0)
        return;
    m_anchorRow = m_selFirst = 0;
    m_selLast = rowCount() - 1;
    viewport()->update();
}

void LogView::copySelection() const
{
    const QString text = selectedText();
    if (!text.isEmpty())
        QApplication::clipboard()->setText(text);
}

void LogView::ensureRowVisible(qint64 row)
{
    if (row < 0)
        return;
    if (row < m_topRow || row > lastVisibleRow()) {
        const int page = qMax(1, viewport()->height() / m_lineHeight);
        setFollowing(false);
        verticalScrollBar()->setValue(int(qMax<qint64>(0, row - page / 3)));
    }
}

void LogView::goToMatch(qint64 index)
{
    if (m_matches.empty())
        return;
    m_currentMatch = (index % matchCount() + matchCount()) % matchCount();
    const quint64 ref = m_matches[size_t(m_currentMatch)];
    const int source = m_merged ? LogMerge::sourceOf(ref) : 0;
    const qint64 line = m_merged ? LogMerge::lineOf(ref) : qint64(ref);
    const qint64 row = rowOfLine(source, line);
    m_anchorRow = m_selFirst = m_selLast = row;
    if (m_follow)
        setFollowing(false);
    ensureRowVisible(row);
    viewport()->update();
    emit currentMatchChanged(m_currentMatch, matchCount());
}

void LogView::nextMatch()
{
    if (m_currentMatch < 0) {
        // From the top of the screen downwards.
        const Row top = rowCount() > 0 ? rowAt(m_topRow) : Row{};
        const quint64 ref = refOf(top);
        qint64 index = 0;
        if (!m_merged)
            index = std::lower_bound(m_matches.begin(), m_matches.end(), ref) - m_matches.begin();
        goToMatch(index >= matchCount() ? 0 : index);
        return;
    }
    goToMatch(m_currentMatch + 1);
}

void LogView::previousMatch()
{
    goToMatch(m_currentMatch < 0 ? matchCount() - 1 : m_currentMatch - 1);
}

void LogView::revealFirst(const QString &text)
{
    LogQuery query;
    query.pattern = text;
    query.caseSensitive = true;
    m_revealText = text;
    setQuery(query);
    if (!isSearching()) { // nothing to search
        m_revealText.clear();
        emit revealFinished(false);
    }
}
