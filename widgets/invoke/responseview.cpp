#include "widgets/invoke/responseview.h"

#include <Qsci/qscilexerjson.h>
#include <Qsci/qsciscintilla.h>

#include <QDateTime>
#include <QDir>
#include <QFileDialog>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QJsonDocument>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QSaveFile>
#include <QShortcut>
#include <QStringDecoder>
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

// A hex dump like `xxd`: offset, 16 bytes in hex, the printable ones as text.
QString hexDump(const QByteArray &body, qsizetype limit)
{
    QString out;
    const qsizetype n = qMin(body.size(), limit);
    out.reserve(n / 16 * 80 + 80);
    for (qsizetype row = 0; row < n; row += 16) {
        out += QStringLiteral("%1  ").arg(row, 8, 16, QLatin1Char('0'));
        QString text;
        for (qsizetype i = row; i < row + 16; ++i) {
            if (i < n) {
                const uchar c = uchar(body.at(i));
                out += QStringLiteral("%1 ").arg(c, 2, 16, QLatin1Char('0'));
                text += (c >= 0x20 && c < 0x7f) ? QChar(c) : QChar(u'.');
            } else {
                out += QStringLiteral("   ");
            }
            if (i == row + 7)
                out += u' ';
        }
        out += u' ' + text + u'\n';
    }
    return out;
}

} // namespace

bool ResponseView::isBinary(const QByteArray &body, const QString &contentType)
{
    const QString type = contentType.section(u';', 0, 0).trimmed().toLower();
    if (type.startsWith(u"text/") || type.endsWith(u"json") || type.endsWith(u"+xml") ||
        type == u"application/xml" || type == u"application/javascript")
        return body.left(8192).contains('\0');
    if (type.startsWith(u"image/") || type.startsWith(u"audio/") || type.startsWith(u"video/") ||
        type == u"application/octet-stream" || type == u"application/pdf" ||
        type == u"application/zip" || type == u"application/gzip" ||
        type == u"application/x-protobuf" || type == u"application/x-npy")
        return true;
    // No or unknown type: look at the bytes (NUL, or text that is not UTF-8).
    const QByteArray head = body.left(8192);
    if (head.contains('\0'))
        return true;
    QStringDecoder decoder(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless);
    // Decoding sets hasError(). Where the sample is cut, its last character may be cut too.
    const QString decoded =
        decoder(head.left(head.size() < body.size() ? head.size() - 3 : head.size()));
    return decoder.hasError();
}

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
    , m_saveBody(new QToolButton(this))
{
    m_saveBody->setObjectName(QStringLiteral("responseSaveBody"));
    m_saveBody->setText(tr("Save body…"));
    m_saveBody->setToolTip(tr("Write the response body to a file, byte for byte"));
    m_saveBody->setAutoRaise(true);
    connect(m_saveBody, &QToolButton::clicked, this, [this] {
        const QString path = QFileDialog::getSaveFileName(
            this, tr("Save response body"), QDir::home().filePath(suggestedBodyFileName()));
        if (path.isEmpty())
            return;
        const Result<qint64> saved = saveBody(path);
        if (!saved)
            QMessageBox::warning(this, tr("Save response body"), saved.error().message);
    });
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
    summary->addWidget(m_saveBody);
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
    m_saveBody->setEnabled(false);
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

    m_saveBody->setEnabled(r.completed() && !r.body.isEmpty());
    if (r.completed() && isBinary(r.body, r.contentType())) {
        // Images, arrays, archives: a hex dump of the start, and Save for the bytes.
        const QString type = r.contentType().isEmpty() ? tr("no Content-Type") : r.contentType();
        m_notice->setVisible(true);
        m_notice->setText(tr("Binary body (%1, %2): shown as a hex dump%3. Save body… writes "
                             "the bytes.")
                              .arg(type, formatSize(r.size()),
                                   r.size() > BinaryDumpLimit
                                       ? tr(" of the first %1").arg(formatSize(BinaryDumpLimit))
                                       : QString()));
        m_raw->setMarginWidth(0, 0); // the dump has its own offsets
        m_raw->setText(hexDump(r.body, BinaryDumpLimit));
        m_pretty->clear();
        m_tabs->setTabEnabled(0, false);
        m_tabs->setCurrentWidget(m_raw);
        return;
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
    m_raw->setMarginWidth(0, QStringLiteral("00000"));
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

QString ResponseView::suggestedBodyFileName() const
{
    const QString type = m_response.contentType().section(u';', 0, 0).trimmed().toLower();
    QString extension = QStringLiteral("bin");
    if (type.endsWith(u"json"))
        extension = QStringLiteral("json");
    else if (type.startsWith(u"text/"))
        extension = QStringLiteral("txt");
    else if (type.startsWith(u"image/") || type.startsWith(u"audio/") || type.startsWith(u"video/"))
        extension = type.section(u'/', 1).section(u'+', 0, 0);
    return QStringLiteral("response-%1.%2")
        .arg(QDateTime::currentDateTime().toString(QStringLiteral("yyyyMMdd-HHmmss")), extension);
}

Result<qint64> ResponseView::saveBody(const QString &path) const
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(m_response.body) != m_response.body.size() ||
        !file.commit())
        return Result<qint64>::failure(tr("cannot write %1: %2").arg(path, file.errorString()));
    return qint64(m_response.body.size());
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
