#include "widgets/responseview.h"

#include <Qsci/qscilexerjson.h>
#include <Qsci/qsciscintilla.h>

#include <QFontDatabase>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QJsonDocument>
#include <QLabel>
#include <QLineEdit>
#include <QShortcut>
#include <QTabWidget>
#include <QTableWidget>
#include <QToolButton>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

namespace {

QsciScintilla *makeViewer(QWidget *parent, bool json)
{
    auto *v = new QsciScintilla(parent);
    const QFont mono = QFontDatabase::systemFont(QFontDatabase::FixedFont);
    if (json) {
        auto *lexer = new QsciLexerJSON(v);
        lexer->setDefaultFont(mono);
        lexer->setFont(mono);
        v->setLexer(lexer);
        v->setFolding(QsciScintilla::BoxedTreeFoldStyle);
    } else {
        v->setFont(mono);
    }
    v->setUtf8(true);
    v->setReadOnly(true);
    v->setMarginType(0, QsciScintilla::NumberMargin);
    v->setMarginWidth(0, QStringLiteral("00000"));
    return v;
}

// Pretty JSON when the body parses, else the body as text (invalid UTF-8 shown, not fatal).
QString prettyBody(const QByteArray &body)
{
    const QJsonDocument doc = QJsonDocument::fromJson(body);
    if (!doc.isNull())
        return QString::fromUtf8(doc.toJson(QJsonDocument::Indented));
    return QString::fromUtf8(body);
}

// Scintilla lays out a line as a whole: a 6 MB single-line body stalls it for minutes. Lines
// longer than this are split for display (the notice says so); copy the body from history.
constexpr qsizetype DisplayLineLimit = 10000;

QString displayText(const QByteArray &body, bool *split)
{
    const QString text = QString::fromUtf8(body);
    *split = false;
    QString out;
    out.reserve(text.size() + text.size() / DisplayLineLimit + 1);
    qsizetype run = 0;
    for (QChar c : text) {
        if (c == u'\n') {
            run = 0;
        } else if (run == DisplayLineLimit) {
            out += u'\n';
            run = 0;
            *split = true;
        }
        out += c;
        if (c != u'\n')
            ++run;
    }
    return out;
}

} // namespace

ResponseView::ResponseView(QWidget *parent)
    : QWidget(parent)
    , m_status(new QLabel(this))
    , m_timing(new QLabel(this))
    , m_size(new QLabel(this))
    , m_ids(new QLabel(this))
    , m_notice(new QLabel(this))
    , m_tabs(new QTabWidget(this))
    , m_pretty(makeViewer(this, true))
    , m_raw(makeViewer(this, false))
    , m_headers(new QTableWidget(0, 2, this))
    , m_find(new QLineEdit(this))
{
    m_status->setObjectName(QStringLiteral("responseStatus"));
    m_timing->setObjectName(QStringLiteral("responseTiming"));
    m_size->setObjectName(QStringLiteral("responseSize"));
    m_ids->setObjectName(QStringLiteral("responseIds"));
    m_notice->setObjectName(QStringLiteral("responseNotice"));
    m_pretty->setObjectName(QStringLiteral("responsePretty"));
    m_raw->setObjectName(QStringLiteral("responseRaw"));
    m_headers->setObjectName(QStringLiteral("responseHeaders"));
    m_find->setObjectName(QStringLiteral("responseFind"));
    m_tabs->setObjectName(QStringLiteral("responseTabs"));

    QFont big = m_status->font();
    big.setBold(true);
    big.setPointSizeF(big.pointSizeF() * 1.15);
    m_status->setFont(big);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_ids->setTextInteractionFlags(Qt::TextBrowserInteraction);
    m_ids->setWordWrap(true);
    m_notice->setWordWrap(true);
    m_notice->setStyleSheet(QStringLiteral("color: #8a5a00;"));
    m_notice->hide();
    connect(m_ids, &QLabel::linkActivated, this, [this](const QString &link) {
        if (link.startsWith(u"log:"))
            emit requestLogLines(link.mid(4));
    });

    m_headers->setHorizontalHeaderLabels({tr("Header"), tr("Value")});
    m_headers->horizontalHeader()->setStretchLastSection(true);
    m_headers->verticalHeader()->hide();
    m_headers->setEditTriggers(QAbstractItemView::NoEditTriggers);

    m_tabs->addTab(m_pretty, tr("Pretty"));
    m_tabs->addTab(m_raw, tr("Raw"));
    m_tabs->addTab(m_headers, tr("Headers"));

    m_find->setPlaceholderText(tr("Find in body (Enter: next, Shift+Enter: previous)"));
    m_find->setClearButtonEnabled(true);
    auto *prev = new QToolButton(this);
    prev->setText(QStringLiteral("▲"));
    prev->setToolTip(tr("Previous match"));
    auto *next = new QToolButton(this);
    next->setText(QStringLiteral("▼"));
    next->setToolTip(tr("Next match"));
    connect(m_find, &QLineEdit::returnPressed, this, [this] { find(m_find->text(), true); });
    connect(next, &QToolButton::clicked, this, [this] { find(m_find->text(), true); });
    connect(prev, &QToolButton::clicked, this, [this] { find(m_find->text(), false); });
    auto *shiftEnter = new QShortcut(QKeySequence(Qt::SHIFT | Qt::Key_Return), m_find);
    shiftEnter->setContext(Qt::WidgetShortcut);
    connect(shiftEnter, &QShortcut::activated, this, [this] { find(m_find->text(), false); });
    auto *findShortcut = new QShortcut(QKeySequence::Find, this);
    findShortcut->setContext(Qt::WidgetWithChildrenShortcut);
    connect(findShortcut, &QShortcut::activated, this, [this] {
        m_find->setFocus();
        m_find->selectAll();
    });

    auto *summary = new QHBoxLayout;
    summary->addWidget(m_status);
    summary->addSpacing(12);
    summary->addWidget(m_timing);
    summary->addSpacing(12);
    summary->addWidget(m_size);
    summary->addStretch();
    auto *findRow = new QHBoxLayout;
    findRow->addWidget(m_find);
    findRow->addWidget(prev);
    findRow->addWidget(next);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(summary);
    layout->addWidget(m_ids);
    layout->addWidget(m_notice);
    layout->addWidget(m_tabs, 1);
    layout->addLayout(findRow);

    connect(&m_prettyWatcher, &QFutureWatcher<QString>::finished, this, [this] {
        showPretty(m_prettyWatcher.result(), m_prettyWatcher.property("serial").toULongLong());
    });
    clear();
}

QString ResponseView::formatSize(qint64 bytes)
{
    if (bytes < 1024)
        return QStringLiteral("%1 B").arg(bytes);
    if (bytes < 1024 * 1024)
        return QStringLiteral("%1 KB").arg(double(bytes) / 1024.0, 0, 'f', 1);
    return QStringLiteral("%1 MB").arg(double(bytes) / 1024.0 / 1024.0, 0, 'f', 2);
}

void ResponseView::clear()
{
    m_response = {};
    m_status->setText(tr("No response yet"));
    m_status->setStyleSheet({});
    m_timing->clear();
    m_size->clear();
    m_ids->clear();
    m_notice->hide();
    m_pretty->clear();
    m_raw->clear();
    m_headers->setRowCount(0);
}

void ResponseView::setPending(const QString &message)
{
    m_status->setText(message);
    m_status->setStyleSheet(QStringLiteral("color: palette(mid);"));
}

void ResponseView::setResponse(const ScoringResponse &r)
{
    m_response = r;
    ++m_shownSerial;
    m_status->setText(r.statusText());
    const char *colour = !r.completed() ? "#b3261e" : r.isSuccess() ? "#1e7b34" : "#b3261e";
    m_status->setStyleSheet(QStringLiteral("color: %1;").arg(QLatin1String(colour)));
    m_timing->setText(tr("%1 ms  (connect %2 · first byte %3 · total %1)")
                          .arg(r.timings.totalMs, 0, 'f', 1)
                          .arg(r.timings.reusedConnection
                                   ? tr("reused")
                                   : QString::number(r.timings.connectMs, 'f', 1))
                          .arg(r.timings.firstByteMs, 0, 'f', 1));
    m_timing->setToolTip(tr("Time from send until the request was written (connect), until the "
                            "status line arrived (first byte), and until the body was complete."));
    m_size->setText(r.completed() ? formatSize(r.size()) : QString());

    QStringList ids;
    if (!r.requestId.isEmpty())
        ids.append(tr("request id <code>%1</code>").arg(r.requestId.toHtmlEscaped()));
    if (!r.clientRequestId.isEmpty() && r.clientRequestId != r.requestId)
        ids.append(tr("client request id <code>%1</code>").arg(r.clientRequestId.toHtmlEscaped()));
    if (r.runFunctionFailed.value_or(false))
        ids.append(
            tr("<b style='color:#b3261e'>run() failed</b> (x-ms-run-function-failed: True)"));
    if (r.status >= 500 && !r.requestId.isEmpty())
        ids.append(
            QStringLiteral("<a href=\"log:%1\">%2</a>")
                .arg(r.requestId.toHtmlEscaped(), tr("Show the inference-server log lines")));
    m_ids->setText(ids.join(QStringLiteral(" · ")));
    m_ids->setVisible(!ids.isEmpty());

    m_headers->setRowCount(int(r.headers.size()));
    for (int i = 0; i < r.headers.size(); ++i) {
        m_headers->setItem(i, 0, new QTableWidgetItem(QString::fromLatin1(r.headers.at(i).first)));
        m_headers->setItem(i, 1, new QTableWidgetItem(QString::fromLatin1(r.headers.at(i).second)));
    }

    const bool tooBig = r.size() > PrettyLimit;
    m_notice->setVisible(tooBig || (!r.completed() && !r.error.isEmpty()));
    m_notice->clear();
    if (tooBig)
        m_notice->setText(tr("The body is %1: shown raw, without pretty-printing, to keep the "
                             "studio responsive (over %2).")
                              .arg(formatSize(r.size()), formatSize(PrettyLimit)));
    else if (!r.completed())
        m_notice->setText(r.error);

    bool split = false;
    m_raw->setText(displayText(r.body, &split));
    if (split) {
        m_notice->setVisible(true);
        m_notice->setText(
            m_notice->text() +
            tr(" Lines over %L1 characters are split for display.").arg(DisplayLineLimit));
    }
    m_pretty->clear();
    m_tabs->setTabEnabled(0, !tooBig && r.completed());
    if (tooBig || !r.completed()) {
        m_tabs->setCurrentWidget(m_raw);
        return;
    }
    if (r.looksLikeJson()) {
        m_prettyWatcher.setProperty("serial", m_shownSerial);
        m_prettyWatcher.setFuture(QtConcurrent::run(prettyBody, r.body));
    } else {
        showPretty(QString::fromUtf8(r.body), m_shownSerial);
    }
    m_tabs->setCurrentWidget(m_pretty);
}

void ResponseView::showPretty(const QString &text, quint64 serial)
{
    if (serial != m_shownSerial)
        return;
    m_pretty->setText(text);
}

bool ResponseView::find(const QString &text, bool forward)
{
    if (text.isEmpty())
        return false;
    auto *view = m_tabs->currentWidget() == m_pretty ? m_pretty : m_raw;
    if (!forward) {
        // findFirst searches backwards from the cursor, which sits after the current match.
        int line = 0, index = 0;
        view->getCursorPosition(&line, &index);
        if (view->hasSelectedText()) {
            int l1, i1, l2, i2;
            view->getSelection(&l1, &i1, &l2, &i2);
            line = l1;
            index = i1;
        }
        return view->findFirst(text, false, false, false, true, false, line, index);
    }
    return view->findFirst(text, false, false, false, true, true);
}

QString ResponseView::prettyText() const
{
    return m_pretty->text();
}

QString ResponseView::rawText() const
{
    return m_raw->text();
}

bool ResponseView::prettyShown() const
{
    return m_tabs->currentWidget() == m_pretty;
}
