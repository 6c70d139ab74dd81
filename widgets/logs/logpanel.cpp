#include "widgets/logs/logpanel.h"

#include "app/logs/logfollower.h"
#include "app/logs/logmerge.h"
#include "app/logs/logstore.h"
#include "app/runtime/deploymentinfo.h"
#include "widgets/logs/logview.h"

#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QDateTime>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QFutureWatcher>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QMessageBox>
#include <QSettings>
#include <QShortcut>
#include <QTabBar>
#include <QTimer>
#include <QToolButton>
#include <QUrl>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

#include <functional>
#include <utility>

namespace {

// Where a clear is remembered (QSettings): per deployment and container, across restarts.
QString clearedKey(const QString &deploymentKey, const QString &role)
{
    return QStringLiteral("logs/cleared/") +
           QString::fromLatin1(QUrl::toPercentEncoding(deploymentKey + u'/' + role));
}

QToolButton *toolButton(QWidget *parent, const QString &text, const QString &tip,
                        bool checkable = false)
{
    auto *button = new QToolButton(parent);
    button->setText(text);
    button->setToolTip(tip);
    button->setCheckable(checkable);
    button->setAutoRaise(true);
    return button;
}

} // namespace

LogPanel::LogPanel(QWidget *parent)
    : QWidget(parent)
    , m_server(new LogStore(this))
    , m_initializer(new LogStore(this))
    , m_serverFollower(new LogFollower(m_server, this))
    , m_initializerFollower(new LogFollower(m_initializer, this))
    , m_merge(new LogMerge(this))
    , m_view(new LogView(this))
{
    m_merge->setActive(false); // merged on demand, when its tab is shown
    m_merge->setStores({m_server, m_initializer});

    m_tabs = new QTabBar(this);
    m_tabs->setObjectName(QStringLiteral("logTabs"));
    m_tabs->addTab(inferenceServerRole());
    m_tabs->addTab(storageInitializerRole());
    m_tabs->addTab(tr("merged"));
    m_tabs->setDrawBase(false);
    m_tabs->setExpanding(false);

    m_follow = toolButton(this, tr("Follow"), tr("Scroll with new lines (End)"), true);
    m_follow->setChecked(true);
    m_jumpToLatest = toolButton(this, tr("Jump to latest ↓"), tr("Resume following"));
    m_jumpToLatest->setVisible(false);
    m_timestamps = toolButton(this, tr("Timestamps"), tr("Show each line's time"), true);
    m_wrap = toolButton(this, tr("Wrap"), tr("Wrap long lines"), true);
    auto *clearButton = toolButton(this, tr("Clear"),
                                   tr("Hide the lines so far (remembered for "
                                      "this deployment)"));
    auto *copyButton = toolButton(this, tr("Copy"), tr("Copy the selected lines (Ctrl+C)"));
    m_save = toolButton(this, tr("Save…"), tr("Save the full log to a file"));
    m_save->setObjectName(QStringLiteral("logSave"));

    auto *top = new QHBoxLayout;
    top->setContentsMargins(0, 0, 0, 0);
    top->addWidget(m_tabs);
    top->addStretch(1);
    top->addWidget(m_jumpToLatest);
    top->addWidget(m_follow);
    top->addWidget(m_timestamps);
    top->addWidget(m_wrap);
    top->addWidget(clearButton);
    top->addWidget(copyButton);
    top->addWidget(m_save);

    m_search = new QLineEdit(this);
    m_search->setObjectName(QStringLiteral("logSearch"));
    m_search->setPlaceholderText(tr("Find in log (Ctrl+F); Enter: next, Shift+Enter: previous"));
    m_search->setClearButtonEnabled(true);
    m_search->setMinimumWidth(180);
    m_case = toolButton(this, QStringLiteral("Aa"), tr("Match case"), true);
    m_word = toolButton(this, QStringLiteral("W"), tr("Whole word"), true);
    m_regex = toolButton(this, QStringLiteral(".*"), tr("Regular expression"), true);
    m_invert = toolButton(this, QStringLiteral("!"), tr("Lines that do not match"), true);
    m_onlyMatching = toolButton(this, tr("Only matching"), tr("Show only matching lines"), true);
    auto *previous = toolButton(this, QStringLiteral("↑"), tr("Previous match (Shift+F3)"));
    auto *next = toolButton(this, QStringLiteral("↓"), tr("Next match (F3)"));
    m_matchLabel = new QLabel(this);
    m_matchLabel->setObjectName(QStringLiteral("matchLabel"));
    m_matchLabel->setMinimumWidth(110);
    m_levels = new QComboBox(this);
    m_levels->addItem(tr("All levels"), int(AllLogLevels));
    m_levels->addItem(tr("Errors"),
                      int(logLevelBit(LogLevel::Error) | logLevelBit(LogLevel::Critical)));
    m_levels->addItem(tr("Warnings and errors"),
                      int(logLevelBit(LogLevel::Warning) | logLevelBit(LogLevel::Error) |
                          logLevelBit(LogLevel::Critical)));
    m_levels->addItem(tr("Info and above"), int(AllLogLevels & ~(logLevelBit(LogLevel::Debug) |
                                                                 logLevelBit(LogLevel::Trace))));
    m_since = new QComboBox(this);
    m_since->addItem(tr("All time"), 0);
    m_since->addItem(tr("Last minute"), 60);
    m_since->addItem(tr("Last 5 minutes"), 300);
    m_since->addItem(tr("Last 15 minutes"), 900);
    m_since->addItem(tr("Last hour"), 3600);

    auto *searchRow = new QHBoxLayout;
    searchRow->setContentsMargins(0, 0, 0, 0);
    searchRow->addWidget(m_search, 1);
    for (QWidget *w : {static_cast<QWidget *>(m_case), static_cast<QWidget *>(m_word),
                       static_cast<QWidget *>(m_regex), static_cast<QWidget *>(m_invert),
                       static_cast<QWidget *>(m_onlyMatching), static_cast<QWidget *>(previous),
                       static_cast<QWidget *>(next), static_cast<QWidget *>(m_matchLabel),
                       static_cast<QWidget *>(m_levels), static_cast<QWidget *>(m_since)})
        searchRow->addWidget(w);

    m_status = new QLabel(this);
    m_status->setObjectName(QStringLiteral("logStatus"));

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->setSpacing(3);
    layout->addLayout(top);
    layout->addLayout(searchRow);
    layout->addWidget(m_view, 1);
    layout->addWidget(m_status);

    m_view->setStore(m_server);

    connect(m_tabs, &QTabBar::currentChanged, this, [this](int index) {
        const bool follow = m_view->isFollowing();
        if (index == int(Tab::Merged)) {
            m_merge->setActive(true);
            m_view->setMerged(m_merge, {inferenceServerRole(), storageInitializerRole()});
        } else {
            m_view->setStore(store(Tab(index)));
            m_merge->setActive(false);
        }
        m_view->setFollowing(follow);
        applyQuery();
        updateStatus();
    });
    connect(m_follow, &QToolButton::toggled, this, [this](bool on) { m_view->setFollowing(on); });
    connect(m_jumpToLatest, &QToolButton::clicked, this, [this] { m_view->setFollowing(true); });
    connect(m_view, &LogView::followingChanged, this, [this](bool on) {
        const QSignalBlocker block(m_follow);
        m_follow->setChecked(on);
        m_jumpToLatest->setVisible(!on);
        updateStatus();
    });
    connect(m_timestamps, &QToolButton::toggled, m_view, &LogView::setShowTimestamps);
    connect(m_wrap, &QToolButton::toggled, m_view, &LogView::setWrap);
    connect(clearButton, &QToolButton::clicked, this, &LogPanel::clear);
    connect(copyButton, &QToolButton::clicked, m_view, &LogView::copySelection);
    connect(m_save, &QToolButton::clicked, this, &LogPanel::saveInteractively);

    // Typing restarts the search after a short pause; the search runs off the UI thread.
    auto *debounce = new QTimer(this);
    debounce->setSingleShot(true);
    debounce->setInterval(150);
    connect(debounce, &QTimer::timeout, this, &LogPanel::applyQuery);
    connect(m_search, &QLineEdit::textChanged, debounce, qOverload<>(&QTimer::start));
    for (QToolButton *b : {m_case, m_word, m_regex, m_invert, m_onlyMatching})
        connect(b, &QToolButton::toggled, this, &LogPanel::applyQuery);
    connect(m_levels, &QComboBox::currentIndexChanged, this, &LogPanel::applyQuery);
    connect(m_since, &QComboBox::currentIndexChanged, this, &LogPanel::applyQuery);
    connect(m_search, &QLineEdit::returnPressed, this, [this, debounce] {
        if (debounce->isActive()) {
            debounce->stop();
            applyQuery();
        }
        if (QApplication::keyboardModifiers() & Qt::ShiftModifier)
            m_view->previousMatch();
        else
            m_view->nextMatch();
    });
    connect(next, &QToolButton::clicked, m_view, &LogView::nextMatch);
    connect(previous, &QToolButton::clicked, m_view, &LogView::previousMatch);
    auto *find = new QShortcut(QKeySequence::Find, this);
    find->setContext(Qt::WidgetWithChildrenShortcut);
    connect(find, &QShortcut::activated, this, [this] {
        m_search->setFocus();
        m_search->selectAll();
    });
    connect(m_view, &LogView::currentMatchChanged, this, &LogPanel::updateMatchLabel);
    connect(m_view, &LogView::rowsChanged, this, [this] {
        updateMatchLabel();
        updateStatus();
    });
    connect(m_view, &LogView::searchProgress, this, [this](int percent) {
        if (percent < 100)
            m_matchLabel->setText(tr("searching… %1%").arg(percent));
    });
    for (LogFollower *f : {m_serverFollower, m_initializerFollower})
        connect(f, &LogFollower::stateChanged, this, &LogPanel::updateStatus);
    updateStatus();
    updateMatchLabel();
}

LogPanel::~LogPanel()
{
    stopFollowing();
}

LogStore *LogPanel::store(Tab tab) const
{
    switch (tab) {
    case Tab::InferenceServer:
        return m_server;
    case Tab::StorageInitializer:
        return m_initializer;
    case Tab::Merged:
        break;
    }
    return nullptr;
}

void LogPanel::setMaxLinesPerContainer(qint64 lines)
{
    m_server->setMaxLines(lines);
    m_initializer->setMaxLines(lines);
    m_server->flushNotifications();
    m_initializer->flushNotifications();
}

void LogPanel::setCurrentTab(Tab tab)
{
    m_tabs->setCurrentIndex(int(tab));
}

LogPanel::Tab LogPanel::currentTab() const
{
    return Tab(m_tabs->currentIndex());
}

void LogPanel::setDeployment(const DeploymentInfo &info)
{
    QString streams =
        info.key() + u'|' + runtimeKindName(info.runtime) + u'|' + info.containerProgram;
    for (const ContainerInfo &c : info.containers)
        streams += u'|' + c.role + u'=' + c.name + u'/' + c.logFile;
    if (streams == m_streamsKey)
        return;
    const bool sameDeployment = info.key() == m_deploymentKey;
    m_streamsKey = streams;
    m_deploymentKey = info.key();
    m_deploymentName = info.endpoint + u'-' + info.deployment;
    if (!sameDeployment) {
        stopFollowing();
        m_server->clear();
        m_initializer->clear();
    }

    const QList<std::pair<QString, LogFollower *>> roles = {
        {inferenceServerRole(), m_serverFollower},
        {storageInitializerRole(), m_initializerFollower}};
    for (const auto &[role, follower] : roles) {
        const ContainerInfo *container = info.container(role);
        follower->setSinceMs(clearedAt(role));
        if (!container) {
            // The container may come later (a deployment still being created).
            if (info.runtime == RuntimeKind::Docker && !info.containerProgram.isEmpty()) {
                // Named as DeploymentInfo documents: <endpoint>.<deployment>[.<role>].
                QString name = info.endpoint + u'.' + info.deployment;
                if (role != inferenceServerRole())
                    name += u'.' + role;
                follower->followContainer(info.containerProgram, name);
            }
            continue;
        }
        if (info.runtime == RuntimeKind::Process || !container->logFile.isEmpty())
            follower->followFile(container->logFile);
        else
            follower->followContainer(info.containerProgram.isEmpty() ? QStringLiteral("docker")
                                                                      : info.containerProgram,
                                      container->name);
    }
    updateStatus();
}

void LogPanel::followProcess(Tab tab, const QString &program, const QStringList &args)
{
    LogFollower *f = tab == Tab::StorageInitializer ? m_initializerFollower : m_serverFollower;
    f->followProcess(program, args);
}

void LogPanel::followFile(Tab tab, const QString &path)
{
    LogFollower *f = tab == Tab::StorageInitializer ? m_initializerFollower : m_serverFollower;
    f->followFile(path);
}

void LogPanel::stopFollowing()
{
    m_serverFollower->stop();
    m_initializerFollower->stop();
}

qint64 LogPanel::clearedAt(const QString &role) const
{
    if (m_deploymentKey.isEmpty())
        return -1;
    return QSettings().value(clearedKey(m_deploymentKey, role), -1).toLongLong();
}

void LogPanel::clear()
{
    // Cleared lines stay hidden when the deployment is shown again, also after a restart of
    // the studio (Podman Desktop does this too); the streams keep running.
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    QSettings settings;
    if (currentTab() != Tab::StorageInitializer) {
        m_server->clear();
        if (!m_deploymentKey.isEmpty())
            settings.setValue(clearedKey(m_deploymentKey, inferenceServerRole()), now);
    }
    if (currentTab() != Tab::InferenceServer) {
        m_initializer->clear();
        if (!m_deploymentKey.isEmpty())
            settings.setValue(clearedKey(m_deploymentKey, storageInitializerRole()), now);
    }
    updateStatus();
}

void LogPanel::revealRequestId(const QString &requestId)
{
    if (requestId.isEmpty())
        return;
    setCurrentTab(Tab::InferenceServer);
    {
        const QSignalBlocker block(m_search);
        m_search->setText(requestId);
    }
    for (QToolButton *b : {m_case, m_word, m_regex, m_invert, m_onlyMatching}) {
        const QSignalBlocker block(b);
        b->setChecked(false);
    }
    m_view->revealFirst(requestId);
}

void LogPanel::applyQuery()
{
    LogQuery query;
    query.pattern = m_search->text();
    query.caseSensitive = m_case->isChecked();
    query.wholeWord = m_word->isChecked();
    query.regex = m_regex->isChecked();
    query.inverted = m_invert->isChecked();
    query.onlyMatching = m_onlyMatching->isChecked();
    query.levelMask = quint8(m_levels->currentData().toInt());
    const int seconds = m_since->currentData().toInt();
    if (seconds > 0)
        query.fromMs = QDateTime::currentMSecsSinceEpoch() - qint64(seconds) * 1000;
    if (query == m_view->query())
        return;
    m_view->setQuery(query);
    updateMatchLabel();
}

void LogPanel::updateMatchLabel()
{
    const LogQuery &query = m_view->query();
    QString text;
    if (!m_view->searchError().isEmpty()) {
        text = tr("invalid: %1").arg(m_view->searchError());
    } else if (query.hasText()) {
        if (m_view->isSearching())
            text = tr("searching…");
        else if (m_view->matchCount() == 0)
            text = tr("no matches");
        else if (m_view->currentMatch() < 0)
            text = tr("%L1 matches").arg(m_view->matchCount());
        else
            text = tr("%L1 of %L2").arg(m_view->currentMatch() + 1).arg(m_view->matchCount());
    }
    m_matchLabel->setText(text);
}

QString LogPanel::statusText() const
{
    return m_status->text();
}

void LogPanel::updateStatus()
{
    QString text = tr("%L1 lines").arg(m_view->totalLines());
    if (m_view->query().filters())
        text += tr(" (%L1 shown)").arg(m_view->rowCount());
    text += tr(" · %L1 dropped").arg(m_view->droppedLines());
    QStringList states;
    const Tab tab = currentTab();
    if (tab != Tab::StorageInitializer && !m_serverFollower->statusText().isEmpty())
        states << m_serverFollower->statusText();
    if (tab != Tab::InferenceServer && !m_initializerFollower->statusText().isEmpty())
        states << m_initializerFollower->statusText();
    if (!states.isEmpty())
        text += QStringLiteral(" · ") + states.join(QStringLiteral("; "));
    if (!m_view->isFollowing())
        text += tr(" · paused");
    if (!m_saveNote.isEmpty())
        text += QStringLiteral(" · ") + m_saveNote;
    m_status->setText(text);
}

QString LogPanel::suggestedFileName() const
{
    const QString tab = currentTab() == Tab::Merged               ? QStringLiteral("merged")
                        : currentTab() == Tab::StorageInitializer ? storageInitializerRole()
                                                                  : inferenceServerRole();
    const QString name = m_deploymentName.isEmpty() ? QStringLiteral("log") : m_deploymentName;
    return name + u'-' + tab + u'-' +
           QDateTime::currentDateTime().toString(QStringLiteral("yyyyMMdd-HHmmss")) +
           QStringLiteral(".log");
}

QString LogPanel::saveTo(const QString &folder)
{
    const QString path = QDir(folder).filePath(suggestedFileName());
    saveFile(path);
    return path;
}

void LogPanel::saveFile(const QString &path)
{
    if (m_saving) {
        emit saveFinished(path, 0, tr("a save is already running"));
        return;
    }
    // Snapshots are taken here, on the UI thread (sealed blocks are shared, not copied); the
    // worker writes them while new lines keep arriving.
    std::function<Result<qint64>()> job;
    if (currentTab() != Tab::Merged) {
        job = [source = store(currentTab())->saveSource(), path] {
            return LogStore::save(source, path);
        };
    } else {
        std::vector<LogStore::Snapshot> sources;
        for (LogStore *s : m_merge->stores())
            sources.push_back(s->snapshot());
        job = [refs = m_merge->refs(), sources = std::move(sources), path] {
            return LogMerge::save(
                refs, sources,
                {QByteArray("[inference-server] "), QByteArray("[storage-initializer] ")}, path);
        };
    }
    m_saving = true;
    m_save->setEnabled(false);
    m_saveNote = tr("saving %1…").arg(QFileInfo(path).fileName());
    updateStatus();

    struct Outcome
    {
        qint64 bytes = 0;
        QString error;
    };
    auto *watcher = new QFutureWatcher<Outcome>(this);
    connect(watcher, &QFutureWatcher<Outcome>::finished, this, [this, watcher, path] {
        const Outcome outcome = watcher->result();
        watcher->deleteLater();
        m_saving = false;
        m_save->setEnabled(true);
        const bool interactive = std::exchange(m_interactiveSave, false);
        if (outcome.error.isEmpty()) {
            m_saveNote = tr("saved %1 (%2)")
                             .arg(QDir::toNativeSeparators(path),
                                  QLocale().formattedDataSize(outcome.bytes));
            QTimer::singleShot(10000, this, [this, note = m_saveNote] {
                if (m_saveNote == note) {
                    m_saveNote.clear();
                    updateStatus();
                }
            });
        } else {
            m_saveNote.clear();
            if (interactive)
                QMessageBox::warning(this, tr("Save log"), outcome.error);
        }
        updateStatus();
        emit saveFinished(path, outcome.bytes, outcome.error);
    });
    watcher->setFuture(QtConcurrent::run([job = std::move(job)] {
        const Result<qint64> saved = job();
        return saved ? Outcome{saved.value(), {}} : Outcome{0, saved.error().message};
    }));
}

void LogPanel::saveInteractively()
{
    const QString path = QFileDialog::getSaveFileName(this, tr("Save log"),
                                                      QDir::home().filePath(suggestedFileName()),
                                                      tr("Log files (*.log);;All files (*)"));
    if (path.isEmpty())
        return;
    m_interactiveSave = true;
    saveFile(path);
}
