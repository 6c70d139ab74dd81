#include "widgets/editor/yamlvalidation.h"

#include "models/editormodel.h"
#include "widgets/editor/yamleditor.h"

#include <QtConcurrent/QtConcurrentRun>

namespace {

struct SeverityStyle
{
    Severity severity;
    int indicator;
    int marker;
    QColor color;
    QsciScintilla::IndicatorStyle style;
};

// In painting order: errors last so they paint over warnings on the same span.
const SeverityStyle styles[] = {
    {Severity::Info, YamlValidation::InfoIndicator, YamlValidation::InfoMarker,
     QColor(0x1f, 0x6f, 0xeb), QsciScintilla::DotsIndicator},
    {Severity::Warning, YamlValidation::WarningIndicator, YamlValidation::WarningMarker,
     QColor(0xc7, 0x7c, 0x02), QsciScintilla::SquiggleIndicator},
    {Severity::Error, YamlValidation::ErrorIndicator, YamlValidation::ErrorMarker,
     QColor(0xd1, 0x34, 0x38), QsciScintilla::SquiggleIndicator},
};

const SeverityStyle &styleOf(Severity severity)
{
    for (const SeverityStyle &style : styles) {
        if (style.severity == severity)
            return style;
    }
    return styles[0];
}

constexpr int anyMarker = (1 << YamlValidation::ErrorMarker) |
                          (1 << YamlValidation::WarningMarker) | (1 << YamlValidation::InfoMarker);

} // namespace

YamlValidation::YamlValidation(YamlEditor *editor)
    : EditorDecorator(editor)
    , m_validator(&EditorModel::validate)
{
    for (const SeverityStyle &style : styles) {
        editor->indicatorDefine(style.style, style.indicator);
        editor->setIndicatorForegroundColor(style.color, style.indicator);
        editor->setIndicatorDrawUnder(false, style.indicator);
        editor->markerDefine(QsciScintilla::Circle, style.marker);
        editor->setMarkerBackgroundColor(style.color, style.marker);
        editor->setMarkerForegroundColor(style.color, style.marker);
    }
    editor->setMarginMarkerMask(YamlEditor::MarkerMargin,
                                editor->marginMarkerMask(YamlEditor::MarkerMargin) | anyMarker);

    m_debounce.setSingleShot(true);
    m_debounce.setInterval(debounceMs);
    connect(&m_debounce, &QTimer::timeout, this, &YamlValidation::startValidation);
    connect(editor, &QsciScintilla::textChanged, this, [this] {
        ++m_generation;
        if (m_enabled)
            m_debounce.start();
    });
    connect(&m_watcher, &QFutureWatcher<Diagnostics>::finished, this, [this] {
        if (m_runningGeneration != m_generation) {
            // The text or the validator changed meanwhile: these diagnostics are stale.
            if (m_enabled && !m_debounce.isActive())
                startValidation();
            return;
        }
        setDiagnostics(m_watcher.result());
        emit diagnosticsChanged(m_diagnostics);
    });
}

YamlValidation::~YamlValidation()
{
    m_watcher.waitForFinished();
}

void YamlValidation::clearIndicator(int indicator)
{
    m_editor->SendScintilla(QsciScintilla::SCI_SETINDICATORCURRENT, indicator);
    m_editor->SendScintilla(QsciScintilla::SCI_INDICATORCLEARRANGE, 0,
                            m_editor->SendScintilla(QsciScintilla::SCI_GETLENGTH));
}

void YamlValidation::setDiagnostics(const Diagnostics &diagnostics)
{
    m_diagnostics = diagnostics;
    for (const SeverityStyle &style : styles) {
        m_editor->markerDeleteAll(style.marker);
        clearIndicator(style.indicator);
    }
    const QByteArray text = m_editor->utf8Text();
    for (const SeverityStyle &style : styles) {
        for (const Diagnostic &diagnostic : diagnostics) {
            if (diagnostic.severity == style.severity)
                paint(diagnostic, text);
        }
    }
}

void YamlValidation::paint(const Diagnostic &diagnostic, const QByteArray &text)
{
    const int length = int(text.size());
    const SourceLocation &location = diagnostic.location;
    int start = -1;
    int span = 0;
    if (location.offset >= 0) {
        start = qMin(location.offset, length);
        span = qMin(location.length, length - start);
    } else if (location.line > 0) {
        const int line = location.line - 1;
        start = int(m_editor->positionFromLineIndex(line, qMax(0, location.column - 1)));
        span = int(m_editor->SendScintilla(QsciScintilla::SCI_GETLINEENDPOSITION, line)) - start;
    }
    if (start < 0)
        return;
    if (span <= 0) {
        // An empty span (a missing value, the end of the file): underline the token there,
        // else the character before.
        int end = start;
        while (end < length && text.at(end) != '\n' && text.at(end) != ' ')
            ++end;
        if (end > start) {
            span = end - start;
        } else if (start > 0) {
            start = int(m_editor->SendScintilla(QsciScintilla::SCI_POSITIONBEFORE, start));
            span = int(m_editor->SendScintilla(QsciScintilla::SCI_POSITIONAFTER, start)) - start;
        }
    }
    const SeverityStyle &style = styleOf(diagnostic.severity);
    const int line = int(m_editor->SendScintilla(QsciScintilla::SCI_LINEFROMPOSITION, start));
    m_editor->markerAdd(location.line > 0 ? location.line - 1 : line, style.marker);
    if (span > 0) {
        m_editor->SendScintilla(QsciScintilla::SCI_SETINDICATORCURRENT, style.indicator);
        m_editor->SendScintilla(QsciScintilla::SCI_INDICATORFILLRANGE, start, span);
    }
}

QList<int> YamlValidation::linesWithMarkers(int mask) const
{
    QList<int> lines;
    int line = int(m_editor->SendScintilla(QsciScintilla::SCI_MARKERNEXT, 0, mask));
    while (line >= 0) {
        lines << line + 1;
        line = int(m_editor->SendScintilla(QsciScintilla::SCI_MARKERNEXT, line + 1, mask));
    }
    return lines;
}

QList<int> YamlValidation::markedLines(Severity severity) const
{
    return linesWithMarkers(1 << styleOf(severity).marker);
}

QList<int> YamlValidation::markedLines() const
{
    return linesWithMarkers(anyMarker);
}

QString YamlValidation::hoverText(int position) const
{
    QStringList parts;
    const int line = int(m_editor->SendScintilla(QsciScintilla::SCI_LINEFROMPOSITION, position));
    for (const Diagnostic &diagnostic : m_diagnostics) {
        const SourceLocation &location = diagnostic.location;
        const bool covers = location.offset >= 0
                                ? position >= location.offset &&
                                      position <= location.offset + qMax(1, location.length)
                                : location.line - 1 == line;
        if (!covers)
            continue;
        QString part = severityName(diagnostic.severity) + u": " + diagnostic.message;
        if (!diagnostic.code.isEmpty())
            part += u" [" + diagnostic.code + u']';
        if (!diagnostic.hint.isEmpty())
            part += u'\n' + diagnostic.hint;
        parts << part;
    }
    return parts.join(QStringLiteral("\n\n"));
}

QString YamlValidation::marginHoverText(int line) const
{
    QStringList parts;
    for (const Diagnostic &diagnostic : m_diagnostics) {
        if (diagnostic.location.line - 1 == line)
            parts << severityName(diagnostic.severity) + u": " + diagnostic.message;
    }
    return parts.join(u'\n');
}

void YamlValidation::setValidator(Validator validator)
{
    m_validator = std::move(validator);
    ++m_generation; // a run with the previous validator is stale
    if (m_enabled)
        validateNow();
}

void YamlValidation::setValidationEnabled(bool enabled)
{
    m_enabled = enabled;
    if (enabled)
        m_debounce.start();
    else
        m_debounce.stop();
}

void YamlValidation::validateNow()
{
    m_debounce.stop();
    startValidation();
}

void YamlValidation::startValidation()
{
    if (m_watcher.isRunning())
        return; // the finished handler starts again when the text moved on
    m_runningGeneration = m_generation;
    m_watcher.setFuture(QtConcurrent::run(m_validator, m_editor->filePath(), m_editor->utf8Text()));
}
