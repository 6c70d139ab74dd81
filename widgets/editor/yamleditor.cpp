#include "widgets/editor/yamleditor.h"

#include "models/editormodel.h"
#include "widgets/editor/yamlcompletion.h"
#include "widgets/editor/yamlfilelinks.h"

#include <Qsci/qscilexeryaml.h>

#include <QFileInfo>
#include <QFontDatabase>
#include <QKeyEvent>
#include <QToolTip>
#include <QtConcurrent/QtConcurrentRun>

namespace {

const QColor errorColor(0xd1, 0x34, 0x38);
const QColor warningColor(0xc7, 0x7c, 0x02);
const QColor infoColor(0x1f, 0x6f, 0xeb);

int indicatorFor(Severity severity)
{
    switch (severity) {
    case Severity::Error:
        return YamlEditor::ErrorIndicator;
    case Severity::Warning:
        return YamlEditor::WarningIndicator;
    case Severity::Info:
        break;
    }
    return YamlEditor::InfoIndicator;
}

int markerFor(Severity severity)
{
    switch (severity) {
    case Severity::Error:
        return YamlEditor::ErrorMarker;
    case Severity::Warning:
        return YamlEditor::WarningMarker;
    case Severity::Info:
        break;
    }
    return YamlEditor::InfoMarker;
}

bool isUtf8Continuation(char c)
{
    return (static_cast<unsigned char>(c) & 0xC0) == 0x80;
}

} // namespace

YamlEditor::YamlEditor(QWidget *parent)
    : QsciScintilla(parent)
{
    setUtf8(true);
    setEolMode(EolUnix);
    auto *lexer = new QsciLexerYAML(this);
    const QFont mono = QFontDatabase::systemFont(QFontDatabase::FixedFont);
    lexer->setDefaultFont(mono);
    lexer->setFont(mono);
    lexer->setFoldComments(true);
    setLexer(lexer);

    setMarginsFont(mono);
    setMarginLineNumbers(0, true);
    setMarginWidth(0, QStringLiteral("00000"));
    setMarginType(1, SymbolMargin);
    setMarginWidth(1, 14);
    setMarginMarkerMask(1, (1 << ErrorMarker) | (1 << WarningMarker) | (1 << InfoMarker));
    setFolding(BoxedTreeFoldStyle, 2);
    setCaretLineVisible(true);
    setIndentationGuides(true);
    setBraceMatching(SloppyBraceMatch);
    setIndentationsUseTabs(false);
    setIndentationWidth(2);
    setTabWidth(2);
    setAutoIndent(true);
    setBackspaceUnindents(true);

    const struct
    {
        int indicator;
        int marker;
        QColor color;
        IndicatorStyle style;
    } kinds[] = {{ErrorIndicator, ErrorMarker, errorColor, SquiggleIndicator},
                 {WarningIndicator, WarningMarker, warningColor, SquiggleIndicator},
                 {InfoIndicator, InfoMarker, infoColor, DotsIndicator}};
    for (const auto &kind : kinds) {
        indicatorDefine(kind.style, kind.indicator);
        setIndicatorForegroundColor(kind.color, kind.indicator);
        setIndicatorDrawUnder(false, kind.indicator);
        markerDefine(Circle, kind.marker);
        setMarkerBackgroundColor(kind.color, kind.marker);
        setMarkerForegroundColor(kind.color, kind.marker);
    }

    m_completion = new YamlCompletion(this);
    m_fileLinks = new YamlFileLinks(this, FileLinkIndicator);
    connect(m_fileLinks, &YamlFileLinks::activated, this, &YamlEditor::fileLinkActivated);

    SendScintilla(SCI_SETMOUSEDWELLTIME, 400);
    connect(this, &QsciScintillaBase::SCN_DWELLSTART, this, &YamlEditor::showHover);
    connect(this, &QsciScintillaBase::SCN_DWELLEND, this, [] { QToolTip::hideText(); });

    m_debounce.setSingleShot(true);
    m_debounce.setInterval(validationDebounceMs);
    connect(&m_debounce, &QTimer::timeout, this, &YamlEditor::startValidation);
    connect(this, &QsciScintilla::textChanged, this, [this] {
        ++m_generation;
        if (m_validationEnabled)
            m_debounce.start();
    });
    connect(&m_watcher, &QFutureWatcher<Diagnostics>::finished, this, [this] {
        if (m_runningGeneration != m_generation) {
            // The text changed while validating: these offsets are stale.
            if (m_validationEnabled && !m_debounce.isActive())
                startValidation();
            return;
        }
        setDiagnostics(m_watcher.result());
        emit diagnosticsChanged(m_diagnostics);
    });
    applyPalette();
}

YamlEditor::~YamlEditor()
{
    m_watcher.waitForFinished();
}

void YamlEditor::setFilePath(const QString &path)
{
    m_filePath = path.isEmpty() ? QString() : QFileInfo(path).absoluteFilePath();
    setProperty("filePath", m_filePath); // what a plain QScintilla editor carries
    m_fileLinks->setFilePath(m_filePath);
}

QByteArray YamlEditor::utf8Text() const
{
    return utf8Text(this);
}

QByteArray YamlEditor::utf8Text(const QsciScintilla *editor)
{
    const int length = int(editor->SendScintilla(SCI_GETLENGTH));
    const auto *data =
        static_cast<const char *>(editor->SendScintillaPtrResult(SCI_GETCHARACTERPOINTER));
    return data ? QByteArray(data, length) : QByteArray();
}

bool YamlEditor::applyText(const QByteArray &text)
{
    return applyText(this, text);
}

bool YamlEditor::applyText(QsciScintilla *editor, const QByteArray &text)
{
    const QByteArray old = utf8Text(editor);
    if (old == text)
        return false;
    const int oldSize = int(old.size());
    const int newSize = int(text.size());
    int prefix = 0;
    while (prefix < oldSize && prefix < newSize && old.at(prefix) == text.at(prefix))
        ++prefix;
    while (prefix > 0 && prefix < oldSize && isUtf8Continuation(old.at(prefix)))
        --prefix;
    int suffix = 0;
    while (suffix < oldSize - prefix && suffix < newSize - prefix &&
           old.at(oldSize - 1 - suffix) == text.at(newSize - 1 - suffix))
        ++suffix;
    while (suffix > 0 && isUtf8Continuation(old.at(oldSize - suffix)))
        --suffix;
    const QByteArray replacement = text.mid(prefix, newSize - prefix - suffix);
    editor->beginUndoAction();
    editor->SendScintilla(SCI_SETTARGETRANGE, prefix, oldSize - suffix);
    editor->SendScintilla(SCI_REPLACETARGET, static_cast<unsigned long>(replacement.size()),
                          replacement.constData());
    editor->endUndoAction();
    return true;
}

void YamlEditor::clearIndicator(int indicator)
{
    SendScintilla(SCI_SETINDICATORCURRENT, indicator);
    SendScintilla(SCI_INDICATORCLEARRANGE, 0, SendScintilla(SCI_GETLENGTH));
}

void YamlEditor::setDiagnostics(const Diagnostics &diagnostics)
{
    m_diagnostics = diagnostics;
    for (int marker : {ErrorMarker, WarningMarker, InfoMarker})
        markerDeleteAll(marker);
    for (int indicator : {ErrorIndicator, WarningIndicator, InfoIndicator})
        clearIndicator(indicator);
    const QByteArray text = utf8Text();
    const int length = int(text.size());
    // Errors last so they paint over warnings on the same span.
    for (Severity severity : {Severity::Info, Severity::Warning, Severity::Error}) {
        for (const Diagnostic &diagnostic : diagnostics) {
            if (diagnostic.severity != severity)
                continue;
            const SourceLocation &location = diagnostic.location;
            int start = -1;
            int span = 0;
            if (location.offset >= 0) {
                start = qMin(location.offset, length);
                span = qMin(location.length, length - start);
            } else if (location.line > 0) {
                const int line = location.line - 1;
                start = int(positionFromLineIndex(line, qMax(0, location.column - 1)));
                span = int(SendScintilla(SCI_GETLINEENDPOSITION, line)) - start;
            }
            if (start < 0)
                continue;
            if (span <= 0) {
                // An empty span (a missing value, the end of the file): underline the token
                // there, else the character before.
                int end = start;
                while (end < length && text.at(end) != '\n' && text.at(end) != ' ')
                    ++end;
                if (end > start) {
                    span = end - start;
                } else if (start > 0) {
                    start = int(SendScintilla(SCI_POSITIONBEFORE, start));
                    span = int(SendScintilla(SCI_POSITIONAFTER, start)) - start;
                }
            }
            const int line = int(SendScintilla(SCI_LINEFROMPOSITION, start));
            markerAdd(location.line > 0 ? location.line - 1 : line, markerFor(severity));
            if (span > 0) {
                SendScintilla(SCI_SETINDICATORCURRENT, indicatorFor(severity));
                SendScintilla(SCI_INDICATORFILLRANGE, start, span);
            }
        }
    }
}

QList<QPair<int, int>> YamlEditor::indicatorRanges(int indicator) const
{
    QList<QPair<int, int>> ranges;
    const int length = int(SendScintilla(SCI_GETLENGTH));
    int position = 0;
    while (position < length) {
        const int end = int(SendScintilla(SCI_INDICATOREND, indicator, position));
        if (SendScintilla(SCI_INDICATORVALUEAT, indicator, position) != 0)
            ranges.append({position, end - position});
        if (end <= position)
            break;
        position = end;
    }
    return ranges;
}

QList<int> YamlEditor::markedLines(Severity severity) const
{
    QList<int> lines;
    const int mask = 1 << markerFor(severity);
    int line = int(SendScintilla(SCI_MARKERNEXT, 0, mask));
    while (line >= 0) {
        lines << line + 1;
        line = int(SendScintilla(SCI_MARKERNEXT, line + 1, mask));
    }
    return lines;
}

QList<int> YamlEditor::markedLines() const
{
    QList<int> lines;
    const int mask = (1 << ErrorMarker) | (1 << WarningMarker) | (1 << InfoMarker);
    int line = int(SendScintilla(SCI_MARKERNEXT, 0, mask));
    while (line >= 0) {
        lines << line + 1;
        line = int(SendScintilla(SCI_MARKERNEXT, line + 1, mask));
    }
    return lines;
}

QString YamlEditor::hoverText(int position) const
{
    QStringList parts;
    const int line = int(SendScintilla(SCI_LINEFROMPOSITION, position));
    for (const Diagnostic &diagnostic : m_diagnostics) {
        const SourceLocation &location = diagnostic.location;
        bool covers = false;
        if (location.offset >= 0)
            covers = position >= location.offset &&
                     position <= location.offset + qMax(1, location.length);
        else
            covers = location.line - 1 == line;
        if (!covers)
            continue;
        QString part = severityName(diagnostic.severity) + u": " + diagnostic.message;
        if (!diagnostic.code.isEmpty())
            part += u" [" + diagnostic.code + u']';
        if (!diagnostic.hint.isEmpty())
            part += u'\n' + diagnostic.hint;
        parts << part;
    }
    const QString help = m_completion->helpAt(position);
    if (!help.isEmpty())
        parts << help;
    const QString link = fileLinkAt(position);
    if (!link.isEmpty()) {
        parts << (QFileInfo::exists(link) ? tr("Ctrl+click to open %1").arg(link)
                                          : tr("%1 does not exist").arg(link));
    }
    return parts.join(QStringLiteral("\n\n"));
}

void YamlEditor::showHover(int position, int x, int y)
{
    if (position < 0) {
        // Over the margins: the diagnostics of that line.
        const int line =
            int(SendScintilla(SCI_LINEFROMPOSITION, SendScintilla(SCI_POSITIONFROMPOINT, 0, y)));
        position = int(SendScintilla(SCI_POSITIONFROMLINE, line));
        QStringList parts;
        for (const Diagnostic &diagnostic : std::as_const(m_diagnostics)) {
            if (diagnostic.location.line - 1 == line)
                parts << severityName(diagnostic.severity) + u": " + diagnostic.message;
        }
        if (!parts.isEmpty())
            QToolTip::showText(viewport()->mapToGlobal(QPoint(x, y)), parts.join(u'\n'),
                               viewport());
        return;
    }
    const QString text = hoverText(position);
    if (!text.isEmpty())
        QToolTip::showText(viewport()->mapToGlobal(QPoint(x, y)), text, viewport());
}

void YamlEditor::setValidationEnabled(bool enabled)
{
    m_validationEnabled = enabled;
    if (enabled)
        m_debounce.start();
    else
        m_debounce.stop();
}

void YamlEditor::validateNow()
{
    m_debounce.stop();
    startValidation();
}

void YamlEditor::startValidation()
{
    if (m_watcher.isRunning())
        return; // the finished handler starts again when the text moved on
    m_runningGeneration = m_generation;
    m_watcher.setFuture(QtConcurrent::run(&EditorModel::validate, m_filePath, utf8Text()));
}

QStringList YamlEditor::completionsAt(int position) const
{
    return m_completion->candidates(position);
}

void YamlEditor::showCompletions()
{
    m_completion->show();
}

QString YamlEditor::fileLinkAt(int position) const
{
    return m_fileLinks->linkAt(position);
}

bool YamlEditor::activateFileLinkAt(int position)
{
    m_fileLinks->refresh();
    const QString path = m_fileLinks->linkAt(position);
    if (path.isEmpty())
        return false;
    emit fileLinkActivated(path);
    return true;
}

void YamlEditor::goTo(int line, int column)
{
    const int l = qMax(0, line - 1);
    setCursorPosition(l, qMax(0, column - 1));
    ensureLineVisible(l);
    setFocus();
}

void YamlEditor::keyPressEvent(QKeyEvent *event)
{
    if (event->key() == Qt::Key_Space && (event->modifiers() & Qt::ControlModifier)) {
        showCompletions();
        return;
    }
    QsciScintilla::keyPressEvent(event);
}

void YamlEditor::changeEvent(QEvent *event)
{
    QsciScintilla::changeEvent(event);
    if (event->type() == QEvent::PaletteChange)
        applyPalette();
}

void YamlEditor::applyPalette()
{
    auto *yaml = qobject_cast<QsciLexerYAML *>(lexer());
    if (!yaml)
        return;
    const QPalette pal = palette();
    const QColor base = pal.color(QPalette::Base);
    const QColor text = pal.color(QPalette::Text);
    const bool dark = base.lightness() < 128;
    yaml->setDefaultPaper(base);
    yaml->setPaper(base, -1);
    yaml->setDefaultColor(text);
    yaml->setColor(text, QsciLexerYAML::Default);
    yaml->setColor(dark ? QColor(0x8b, 0x94, 0x9e) : QColor(0x6a, 0x73, 0x7d),
                   QsciLexerYAML::Comment);
    yaml->setColor(dark ? QColor(0x79, 0xc0, 0xff) : QColor(0x00, 0x5c, 0xc5),
                   QsciLexerYAML::Identifier);
    yaml->setColor(dark ? QColor(0xff, 0xa6, 0x57) : QColor(0xb3, 0x50, 0x00),
                   QsciLexerYAML::Keyword);
    yaml->setColor(dark ? QColor(0x7e, 0xe7, 0x87) : QColor(0x11, 0x63, 0x29),
                   QsciLexerYAML::Number);
    yaml->setColor(text, QsciLexerYAML::Operator);
    setCaretForegroundColor(text);
    setCaretLineBackgroundColor(dark ? base.lighter(130) : base.darker(106));
    setMarginsBackgroundColor(pal.color(QPalette::Window));
    setMarginsForegroundColor(pal.color(QPalette::PlaceholderText));
    setFoldMarginColors(pal.color(QPalette::Window), pal.color(QPalette::Window));
    setIndentationGuidesForegroundColor(pal.color(QPalette::Mid));
    setMatchedBraceBackgroundColor(pal.color(QPalette::Highlight).lighter(dark ? 80 : 160));
    viewport()->update(); // the text area is Scintilla's own drawing: repaint it with the new paper
}
