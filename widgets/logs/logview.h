#pragma once

#include "app/logs/logquery.h"
#include "app/logs/logsearch.h"

#include <QAbstractScrollArea>
#include <QColor>
#include <QList>
#include <QPointer>
#include <QString>

#include <vector>

class LogMerge;
class LogStore;

// A view over one LogStore, or over several merged by time (LogMerge), that paints only the
// visible lines: the log itself stays in the store. Follows the end while new lines arrive
// until the user scrolls up. Searching and filtering run on LogSearch workers; the view
// keeps the resulting line lists and highlights matches.
class LogView : public QAbstractScrollArea
{
    Q_OBJECT
public:
    explicit LogView(QWidget *parent = nullptr);
    ~LogView() override;

    void setStore(LogStore *store);
    // Several stores in time order, each line tagged with its source name.
    void setMerged(LogMerge *merge, const QStringList &sourceNames);

    void setQuery(const LogQuery &query);
    const LogQuery &query() const { return m_query; }
    bool isSearching() const;
    QString searchError() const { return m_searchError; }

    bool isFollowing() const { return m_follow; }
    void setFollowing(bool follow); // true scrolls to the end
    void setShowTimestamps(bool show);
    bool showTimestamps() const { return m_showTimestamps; }
    void setWrap(bool wrap);
    bool wrap() const { return m_wrap; }

    // Rows are the lines shown (all, or those passing the filter).
    qint64 rowCount() const;
    qint64 firstVisibleRow() const { return m_topRow; }
    qint64 lastVisibleRow() const;
    QString rowText(qint64 row) const;     // the line as shown: [source] [time] text
    QString paintedText(qint64 row) const; // the line's text as painted (control pictures)
    qint64 rowOfLine(int source, qint64 line) const; // -1 when not shown

    qint64 matchCount() const { return qint64(m_matches.size()); }
    qint64 currentMatch() const { return m_currentMatch; } // -1 when none
    void nextMatch();
    void previousMatch();
    // Scroll to and select the first line containing `text`; false when there is none.
    void revealFirst(const QString &text);

    QString selectedText() const;
    void selectAllRows();
    void copySelection() const;
    // Lines in the store(s) and dropped by the cap.
    qint64 totalLines() const;
    qint64 droppedLines() const;

signals:
    void followingChanged(bool following);
    void rowsChanged(); // line count, filter or matches changed
    void searchProgress(int percent);
    void currentMatchChanged(qint64 index, qint64 count);
    void revealFinished(bool found);

protected:
    void paintEvent(QPaintEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;
    void scrollContentsBy(int dx, int dy) override;
    void keyPressEvent(QKeyEvent *event) override;
    void mousePressEvent(QMouseEvent *event) override;
    void mouseMoveEvent(QMouseEvent *event) override;
    void changeEvent(QEvent *event) override;

private:
    struct Source
    {
        QPointer<LogStore> store;
        QString name;
        LogSearch *search = nullptr;
        qint64 searchedTo = 0;
        bool pending = false; // new lines arrived during a search
        std::vector<qint64> visible;
        std::vector<qint64> matches;
    };
    struct Row
    {
        int source = 0;
        qint64 line = 0;
    };
    Row rowAt(qint64 row) const;
    quint64 refOf(const Row &row) const;
    void resetSources();
    void onLinesAppended(int source);
    void onLinesDropped(int source);
    void onSearchFinished(int source, const LogSearchResult &result);
    void startSearch(int source, qint64 fromLine);
    void rebuildRows();
    void updateScrollBars();
    void scrollToEnd();
    void goToMatch(qint64 index);
    void ensureRowVisible(qint64 row);
    int rowHeightInLines(qint64 row, int columns) const;
    int textColumns() const;
    int prefixColumns() const;
    QString displayText(const Row &row, bool *truncated) const;
    QColor levelColor(LogLevel level) const;
    qint64 rowAtY(int y) const;

    QList<Source> m_sources;
    QPointer<LogMerge> m_merge;
    bool m_merged = false;
    // Rows when merged or filtered: refs (LogMerge encoding; source 0 when single).
    std::vector<quint64> m_rows;
    bool m_identityRows = true;
    std::vector<quint64> m_matches; // in row order, same encoding
    qint64 m_currentMatch = -1;
    LogQuery m_query;
    LogMatcher m_matcher;
    QString m_searchError;
    QString m_revealText;

    qint64 m_topRow = 0;
    bool m_follow = true;
    bool m_showTimestamps = false;
    bool m_wrap = false;
    bool m_adjustingScroll = false;
    qint64 m_anchorRow = -1;
    qint64 m_selFirst = -1;
    qint64 m_selLast = -1;
    int m_charWidth = 8;
    int m_lineHeight = 16;
    int m_sourceWidth = 0;
};
