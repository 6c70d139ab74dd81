#include "widgets/invoke/invokepanel.h"

#include "app/invoke/requestsnippets.h"
#include "widgets/invoke/repeatpanel.h"
#include "widgets/invoke/requestbodyeditor.h"
#include "widgets/invoke/responseview.h"

#include <QApplication>
#include <QClipboard>
#include <QComboBox>
#include <QDialog>
#include <QDialogButtonBox>
#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QMenu>
#include <QPushButton>
#include <QShortcut>
#include <QSpinBox>
#include <QSplitter>
#include <QTabWidget>
#include <QTableWidget>
#include <QVBoxLayout>

namespace {

constexpr int AssertionResultColumn = 3;

QTableWidgetItem *item(const QString &text)
{
    return new QTableWidgetItem(text);
}

} // namespace

InvokePanel::InvokePanel(QWidget *parent)
    : QWidget(parent)
    , m_target(new QComboBox(this))
    , m_method(new QComboBox(this))
    , m_url(new QLineEdit(this))
    , m_timeout(new QSpinBox(this))
    , m_send(new QPushButton(tr("Send"), this))
    , m_cancel(new QPushButton(tr("Cancel"), this))
    , m_body(new RequestBodyEditor(this))
    , m_validation(new QLabel(this))
    , m_templates(new QPushButton(tr("Templates"), this))
    , m_headers(new QTableWidget(0, 2, this))
    , m_auth(new QComboBox(this))
    , m_token(new QLineEdit(this))
    , m_assertions(new QTableWidget(0, 4, this))
    , m_assertionSummary(new QLabel(this))
    , m_repeat(new RepeatPanel(this))
    , m_response(new ResponseView(this))
    , m_historyList(new QListWidget(this))
{
    setObjectName(QStringLiteral("invokePanel"));
    m_target->setObjectName(QStringLiteral("invokeTarget"));
    m_method->setObjectName(QStringLiteral("invokeMethod"));
    m_url->setObjectName(QStringLiteral("invokeUrl"));
    m_timeout->setObjectName(QStringLiteral("invokeTimeout"));
    m_send->setObjectName(QStringLiteral("invokeSend"));
    m_cancel->setObjectName(QStringLiteral("invokeCancel"));
    m_body->setObjectName(QStringLiteral("invokeBody"));
    m_validation->setObjectName(QStringLiteral("invokeValidation"));
    m_headers->setObjectName(QStringLiteral("invokeHeaders"));
    m_auth->setObjectName(QStringLiteral("invokeAuth"));
    m_token->setObjectName(QStringLiteral("invokeToken"));
    m_assertions->setObjectName(QStringLiteral("invokeAssertions"));
    m_assertionSummary->setObjectName(QStringLiteral("invokeAssertionSummary"));
    m_historyList->setObjectName(QStringLiteral("invokeHistory"));

    m_method->addItems({QStringLiteral("POST"), QStringLiteral("GET")});
    m_url->setPlaceholderText(tr("Scoring URI, e.g. http://localhost:5001/score"));
    m_timeout->setRange(0, 3600);
    m_timeout->setValue(60);
    m_timeout->setSuffix(tr(" s"));
    m_timeout->setSpecialValueText(tr("no timeout"));
    m_timeout->setToolTip(tr("Give up after this long"));
    m_send->setDefault(true);
    m_send->setToolTip(tr("Send the request (Ctrl+Enter)"));
    m_cancel->setEnabled(false);
    m_target->setToolTip(tr("The endpoint (its traffic rules pick a deployment) or one deployment "
                            "(sends azureml-model-deployment)"));
    m_target->addItem(tr("Endpoint"), QString());
    m_target->setSizeAdjustPolicy(QComboBox::AdjustToContents);

    auto *top = new QHBoxLayout;
    top->addWidget(m_target);
    top->addWidget(m_method);
    top->addWidget(m_url, 1);
    top->addWidget(new QLabel(tr("Timeout"), this));
    top->addWidget(m_timeout);
    top->addWidget(m_send);
    top->addWidget(m_cancel);

    auto *right = new QSplitter(Qt::Vertical, this);
    right->addWidget(m_response);
    right->addWidget(buildHistory());
    right->setStretchFactor(0, 3);
    right->setStretchFactor(1, 1);

    auto *split = new QSplitter(Qt::Horizontal, this);
    split->addWidget(buildRequestTabs());
    split->addWidget(right);
    split->setStretchFactor(0, 1);
    split->setStretchFactor(1, 1);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addWidget(split, 1);

    for (auto key :
         {QKeySequence(Qt::CTRL | Qt::Key_Return), QKeySequence(Qt::CTRL | Qt::Key_Enter)}) {
        auto *shortcut = new QShortcut(key, this);
        shortcut->setContext(Qt::WidgetWithChildrenShortcut);
        connect(shortcut, &QShortcut::activated, this, &InvokePanel::send);
    }
    connect(m_send, &QPushButton::clicked, this, &InvokePanel::send);
    connect(m_cancel, &QPushButton::clicked, this, &InvokePanel::cancel);
    connect(&m_client, &ScoringClient::finished, this, &InvokePanel::onFinished);
    connect(m_response, &ResponseView::requestLogLines, this, &InvokePanel::requestLogLines);
    connect(m_method, &QComboBox::currentTextChanged, this,
            [this](const QString &method) { m_body->setEnabled(method == u"POST"); });
    connect(m_body, &RequestBodyEditor::validationChanged, this,
            [this](const RequestBodyEditor::Validation &v) {
                if (v.empty)
                    m_validation->setText(tr("Empty body"));
                else if (v.valid)
                    m_validation->setText(QStringLiteral("✓ ") + tr("Valid JSON"));
                else
                    m_validation->setText(QStringLiteral("✗ ") + v.message);
                m_validation->setStyleSheet(v.valid ? QStringLiteral("color: #1e7b34;")
                                                    : QStringLiteral("color: #b3261e;"));
            });

    m_repeat->setRequestSource([this] { return currentRequest(); });
    connect(m_repeat, &RepeatPanel::busyChanged, this, &InvokePanel::updateBusy);
    connect(m_repeat, &RepeatPanel::runFinished, this, &InvokePanel::repeatFinished);
    updateBusy();
}

InvokePanel::~InvokePanel()
{
    m_client.disconnect(this);
    m_repeat->disconnect(this);
}

QWidget *InvokePanel::buildRequestTabs()
{
    auto *tabs = new QTabWidget(this);
    tabs->setObjectName(QStringLiteral("invokeRequestTabs"));

    // Body
    auto *bodyPage = new QWidget(tabs);
    auto *format = new QPushButton(tr("Format"), bodyPage);
    auto *minify = new QPushButton(tr("Minify"), bodyPage);
    auto *load = new QPushButton(tr("Load…"), bodyPage);
    load->setObjectName(QStringLiteral("invokeLoad"));
    m_templates->setParent(bodyPage);
    m_templates->setObjectName(QStringLiteral("invokeTemplates"));
    m_templates->setMenu(new QMenu(m_templates));
    m_templates->setToolTip(tr("Bodies of the last requests to this endpoint"));
    auto *loadMenu = new QMenu(load);
    load->setMenu(loadMenu);
    connect(loadMenu, &QMenu::aboutToShow, this, [this, loadMenu] {
        loadMenu->clear();
        for (const QString &path : sampleRequestFiles()) {
            QString label = QDir(m_deploymentFolder).relativeFilePath(path);
            loadMenu->addAction(label, this, [this, path] { loadFromFile(path); });
        }
        if (!loadMenu->isEmpty())
            loadMenu->addSeparator();
        loadMenu->addAction(tr("Open file…"), this, [this] {
            const QString path =
                QFileDialog::getOpenFileName(this, tr("Load request body"), m_deploymentFolder,
                                             tr("JSON (*.json);;All files (*)"));
            if (!path.isEmpty())
                loadFromFile(path);
        });
    });
    connect(format, &QPushButton::clicked, m_body, &RequestBodyEditor::formatJson);
    connect(minify, &QPushButton::clicked, m_body, &RequestBodyEditor::minifyJson);
    auto *bodyBar = new QHBoxLayout;
    bodyBar->addWidget(format);
    bodyBar->addWidget(minify);
    bodyBar->addWidget(load);
    bodyBar->addWidget(m_templates);
    bodyBar->addStretch();
    auto *bodyLayout = new QVBoxLayout(bodyPage);
    bodyLayout->setContentsMargins(2, 2, 2, 2);
    bodyLayout->addLayout(bodyBar);
    bodyLayout->addWidget(m_body, 1);
    bodyLayout->addWidget(m_validation);
    tabs->addTab(bodyPage, tr("Body"));

    // Headers
    auto *headersPage = new QWidget(tabs);
    m_headers->setHorizontalHeaderLabels({tr("Header"), tr("Value")});
    m_headers->horizontalHeader()->setStretchLastSection(true);
    m_headers->verticalHeader()->hide();
    setHeaders({{QStringLiteral("Content-Type"), QStringLiteral("application/json")}});
    auto *addHeader = new QPushButton(tr("Add"), headersPage);
    auto *removeHeader = new QPushButton(tr("Remove"), headersPage);
    connect(addHeader, &QPushButton::clicked, this, [this] {
        const int row = m_headers->rowCount();
        m_headers->insertRow(row);
        m_headers->setItem(row, 0, item({}));
        m_headers->setItem(row, 1, item({}));
        m_headers->editItem(m_headers->item(row, 0));
    });
    connect(removeHeader, &QPushButton::clicked, this, [this] {
        if (m_headers->currentRow() >= 0)
            m_headers->removeRow(m_headers->currentRow());
    });
    auto *headerButtons = new QHBoxLayout;
    headerButtons->addWidget(addHeader);
    headerButtons->addWidget(removeHeader);
    headerButtons->addStretch();
    auto *headersLayout = new QVBoxLayout(headersPage);
    headersLayout->addWidget(m_headers, 1);
    headersLayout->addLayout(headerButtons);
    tabs->addTab(headersPage, tr("Headers"));

    // Auth
    auto *authPage = new QWidget(tabs);
    m_auth->addItem(tr("None"), QStringLiteral("none"));
    m_auth->addItem(tr("Endpoint key"), QStringLiteral("key"));
    m_auth->addItem(tr("Bearer token (Entra ID)"), QStringLiteral("bearer"));
    m_token->setEchoMode(QLineEdit::Password);
    m_token->setPlaceholderText(tr("Key or token; sent as Authorization: Bearer …"));
    m_token->setEnabled(false);
    connect(m_auth, &QComboBox::currentIndexChanged, this,
            [this](int index) { m_token->setEnabled(index > 0); });
    auto *authLayout = new QFormLayout(authPage);
    authLayout->addRow(tr("Auth"), m_auth);
    authLayout->addRow(tr("Key / token"), m_token);
    authLayout->addRow(new QLabel(tr("Local endpoints need no auth; keys are never written to "
                                     "the history."),
                                  authPage));
    tabs->addTab(authPage, tr("Auth"));

    // Assertions
    auto *assertPage = new QWidget(tabs);
    m_assertions->setHorizontalHeaderLabels({tr("Target"), tr("Op"), tr("Expected"), tr("Result")});
    m_assertions->horizontalHeader()->setSectionResizeMode(AssertionResultColumn,
                                                           QHeaderView::Stretch);
    m_assertions->verticalHeader()->hide();
    m_assertions->setToolTip(tr("Target: status, header <name>, or a JSON path such as "
                                "$.data[0]. Op: %1.")
                                 .arg(ResponseAssertion::operators().join(QStringLiteral(", "))));
    setAssertions({{QStringLiteral("status"), QStringLiteral("eq"), QStringLiteral("200"), true}});
    auto *addAssert = new QPushButton(tr("Add"), assertPage);
    auto *removeAssert = new QPushButton(tr("Remove"), assertPage);
    connect(addAssert, &QPushButton::clicked, this, [this] {
        QList<ResponseAssertion> list = assertions();
        list.append({QStringLiteral("$."), QStringLiteral("eq"), QString(), true});
        setAssertions(list);
        m_assertions->editItem(m_assertions->item(m_assertions->rowCount() - 1, 0));
    });
    connect(removeAssert, &QPushButton::clicked, this, [this] {
        if (m_assertions->currentRow() >= 0)
            m_assertions->removeRow(m_assertions->currentRow());
    });
    auto *assertButtons = new QHBoxLayout;
    assertButtons->addWidget(addAssert);
    assertButtons->addWidget(removeAssert);
    assertButtons->addStretch();
    assertButtons->addWidget(m_assertionSummary);
    auto *assertLayout = new QVBoxLayout(assertPage);
    assertLayout->addWidget(m_assertions, 1);
    assertLayout->addLayout(assertButtons);
    tabs->addTab(assertPage, tr("Assertions"));

    tabs->addTab(m_repeat, tr("Repeat"));
    return tabs;
}

QWidget *InvokePanel::buildHistory()
{
    auto *box = new QGroupBox(tr("History"), this);
    m_historyList->setSelectionMode(QAbstractItemView::ExtendedSelection);
    auto *rerun = new QPushButton(tr("Re-run"), box);
    rerun->setObjectName(QStringLiteral("invokeRerun"));
    auto *compare = new QPushButton(tr("Compare"), box);
    compare->setObjectName(QStringLiteral("invokeCompare"));
    compare->setToolTip(tr("Select two entries to see their responses side by side"));
    auto *remove = new QPushButton(tr("Delete"), box);
    remove->setObjectName(QStringLiteral("invokeDeleteHistory"));
    auto *copy = new QPushButton(tr("Copy as"), box);
    copy->setObjectName(QStringLiteral("invokeCopyAs"));
    auto *copyMenu = new QMenu(copy);
    copyMenu->addAction(tr("curl"), this,
                        [this] { QApplication::clipboard()->setText(curlSnippet()); });
    copyMenu->addAction(tr("Python (requests)"), this,
                        [this] { QApplication::clipboard()->setText(pythonSnippet()); });
    copy->setMenu(copyMenu);

    connect(m_historyList, &QListWidget::currentItemChanged, this, [this](QListWidgetItem *it) {
        if (!it || !m_history)
            return;
        if (const auto e = m_history->entry(it->data(Qt::UserRole).toString()))
            m_response->setResponse(e->response);
    });
    connect(m_historyList, &QListWidget::itemDoubleClicked, this, [this](QListWidgetItem *it) {
        if (const auto e = m_history->entry(it->data(Qt::UserRole).toString()))
            loadRequest(e->request);
    });
    connect(rerun, &QPushButton::clicked, this, [this] {
        QListWidgetItem *it = m_historyList->currentItem();
        if (!it || !m_history)
            return;
        if (const auto e = m_history->entry(it->data(Qt::UserRole).toString())) {
            loadRequest(e->request);
            send();
        }
    });
    connect(remove, &QPushButton::clicked, this, [this] {
        if (!m_history)
            return;
        for (QListWidgetItem *it : m_historyList->selectedItems())
            m_history->remove(it->data(Qt::UserRole).toString());
        refreshHistory();
    });
    connect(compare, &QPushButton::clicked, this, &InvokePanel::compareSelected);

    auto *buttons = new QHBoxLayout;
    buttons->addWidget(rerun);
    buttons->addWidget(compare);
    buttons->addWidget(remove);
    buttons->addStretch();
    buttons->addWidget(copy);
    auto *layout = new QVBoxLayout(box);
    layout->addWidget(m_historyList, 1);
    layout->addLayout(buttons);
    return box;
}

void InvokePanel::setTarget(const QString &endpoint, const QString &scoringUri,
                            const QString &deployment, const QString &deploymentFolder)
{
    if (endpoint != m_endpoint || !m_history) {
        m_endpoint = endpoint;
        m_history = std::make_unique<InvokeHistory>(endpoint.isEmpty() ? QStringLiteral("default")
                                                                       : endpoint);
        refreshHistory();
    }
    m_repeat->setEndpoint(m_endpoint);
    m_deploymentFolder = deploymentFolder;
    m_url->setText(scoringUri);
    m_target->clear();
    m_target->addItem(tr("Endpoint %1").arg(endpoint), QString());
    if (!deployment.isEmpty()) {
        m_target->addItem(tr("Deployment %1").arg(deployment), deployment);
        m_target->setCurrentIndex(1);
    }
    // A fresh target starts from its sample request when the editor holds nothing yet.
    if (m_body->text().trimmed().isEmpty()) {
        const QStringList samples = sampleRequestFiles();
        if (!samples.isEmpty())
            loadFromFile(samples.first());
    }
}

void InvokePanel::setDeploymentFacts(const LoadTargetFacts &facts)
{
    m_repeat->setFacts(facts);
}

QStringList InvokePanel::sampleRequestFiles() const
{
    QStringList out;
    if (m_deploymentFolder.isEmpty())
        return out;
    // sample-request.json first, then other request-like JSON files a few levels down.
    QStringList preferred, others;
    QDirIterator it(m_deploymentFolder, {QStringLiteral("*.json")}, QDir::Files,
                    QDirIterator::Subdirectories);
    const int baseDepth = int(QDir::cleanPath(m_deploymentFolder).count(u'/'));
    while (it.hasNext() && preferred.size() + others.size() < 20) {
        const QString path = it.next();
        if (QDir::cleanPath(path).count(u'/') - baseDepth > 3)
            continue;
        const QString name = QFileInfo(path).fileName().toLower();
        if (name == u"sample-request.json")
            preferred.append(path);
        else if (name.contains(u"request") || name.contains(u"sample") || name.contains(u"input"))
            others.append(path);
    }
    preferred.sort();
    others.sort();
    return preferred + others;
}

void InvokePanel::loadFromFile(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) {
        m_validation->setText(tr("Cannot read %1: %2").arg(path, f.errorString()));
        return;
    }
    m_body->setBody(f.readAll());
}

void InvokePanel::setRequestBody(const QByteArray &body)
{
    m_body->setBody(body);
}

void InvokePanel::setHeaders(const HttpHeaderList &headers)
{
    m_headers->setRowCount(0);
    for (const auto &[name, value] : headers) {
        const int row = m_headers->rowCount();
        m_headers->insertRow(row);
        m_headers->setItem(row, 0, item(name));
        m_headers->setItem(row, 1, item(value));
    }
}

QList<ResponseAssertion> InvokePanel::assertions() const
{
    QList<ResponseAssertion> out;
    for (int row = 0; row < m_assertions->rowCount(); ++row) {
        auto text = [this, row](int col) {
            const QTableWidgetItem *it = m_assertions->item(row, col);
            return it ? it->text().trimmed() : QString();
        };
        const QTableWidgetItem *target = m_assertions->item(row, 0);
        if (text(0).isEmpty())
            continue;
        const auto *op = qobject_cast<QComboBox *>(m_assertions->cellWidget(row, 1));
        out.append({text(0), op ? op->currentText() : QStringLiteral("eq"), text(2),
                    target->checkState() == Qt::Checked});
    }
    return out;
}

void InvokePanel::setAssertions(const QList<ResponseAssertion> &list)
{
    m_assertions->setRowCount(0);
    for (const ResponseAssertion &a : list) {
        const int row = m_assertions->rowCount();
        m_assertions->insertRow(row);
        auto *target = item(a.target);
        target->setCheckState(a.enabled ? Qt::Checked : Qt::Unchecked);
        m_assertions->setItem(row, 0, target);
        auto *op = new QComboBox(m_assertions);
        op->addItems(ResponseAssertion::operators());
        op->setCurrentText(a.op);
        m_assertions->setCellWidget(row, 1, op);
        m_assertions->setItem(row, 2, item(a.expected));
        auto *result = item({});
        result->setFlags(Qt::ItemIsEnabled);
        m_assertions->setItem(row, AssertionResultColumn, result);
    }
    m_assertions->resizeColumnToContents(1);
}

ScoringRequest InvokePanel::currentRequest() const
{
    ScoringRequest r;
    r.url = QUrl::fromUserInput(m_url->text().trimmed());
    r.method = scoringMethodFromName(m_method->currentText()).value_or(ScoringMethod::Post);
    for (int row = 0; row < m_headers->rowCount(); ++row) {
        const QTableWidgetItem *name = m_headers->item(row, 0);
        const QTableWidgetItem *value = m_headers->item(row, 1);
        if (name && !name->text().trimmed().isEmpty())
            r.headers.append({name->text().trimmed(), value ? value->text() : QString()});
    }
    if (r.method == ScoringMethod::Post)
        r.body = m_body->body();
    r.auth = scoringAuthFromName(m_auth->currentData().toString()).value_or(ScoringAuth::None);
    r.authToken = m_token->text();
    r.timeoutMs = m_timeout->value() * 1000;
    r.deployment = m_target->currentData().toString();
    return r;
}

void InvokePanel::loadRequest(const ScoringRequest &r)
{
    m_url->setText(r.url.toString());
    m_method->setCurrentText(scoringMethodName(r.method));
    setHeaders(r.headers);
    m_body->setBody(r.body);
    m_auth->setCurrentIndex(std::max(0, m_auth->findData(scoringAuthName(r.auth))));
    m_timeout->setValue(r.timeoutMs / 1000);
    int target = m_target->findData(r.deployment);
    if (target < 0 && !r.deployment.isEmpty()) {
        m_target->addItem(tr("Deployment %1").arg(r.deployment), r.deployment);
        target = m_target->count() - 1;
    }
    m_target->setCurrentIndex(std::max(0, target));
}

QString InvokePanel::curlSnippet() const
{
    return RequestSnippets::curl(currentRequest());
}

QString InvokePanel::pythonSnippet() const
{
    return RequestSnippets::python(currentRequest());
}

bool InvokePanel::isBusy() const
{
    return m_inFlight != 0 || m_repeat->isRunning();
}

void InvokePanel::updateBusy()
{
    m_send->setEnabled(m_inFlight == 0 && !m_repeat->isRunning());
    m_cancel->setEnabled(m_inFlight != 0);
}

void InvokePanel::send()
{
    if (isBusy())
        return;
    const ScoringRequest r = currentRequest();
    if (!r.url.isValid() || r.url.scheme().isEmpty() || r.url.host().isEmpty()) {
        m_response->clear();
        m_response->setPending(tr("Enter a scoring URI first"));
        return;
    }
    m_inFlightRequest = r;
    m_inFlight = m_client.send(r);
    m_response->setPending(tr("Sending…"));
    updateBusy();
}

void InvokePanel::cancel()
{
    if (m_inFlight)
        m_client.cancel(m_inFlight);
    if (m_repeat->isRunning())
        m_repeat->stop();
}

void InvokePanel::onFinished(const ScoringResponse &response)
{
    if (response.serial != m_inFlight)
        return;
    m_inFlight = 0;
    m_response->setResponse(response);
    showAssertionOutcomes(response);
    if (m_history && !response.canceled) {
        m_history->add(m_inFlightRequest, response);
        refreshHistory();
    }
    updateBusy();
    emit responseReceived(response);
}

void InvokePanel::showAssertionOutcomes(const ScoringResponse &response)
{
    int passed = 0, failed = 0;
    for (int row = 0; row < m_assertions->rowCount(); ++row) {
        QTableWidgetItem *result = m_assertions->item(row, AssertionResultColumn);
        const QTableWidgetItem *target = m_assertions->item(row, 0);
        if (!result || !target || target->text().trimmed().isEmpty() ||
            target->checkState() != Qt::Checked) {
            if (result)
                result->setText({});
            continue;
        }
        const auto *op = qobject_cast<QComboBox *>(m_assertions->cellWidget(row, 1));
        const QTableWidgetItem *expected = m_assertions->item(row, 2);
        const ResponseAssertion a{target->text().trimmed(),
                                  op ? op->currentText() : QStringLiteral("eq"),
                                  expected ? expected->text() : QString(), true};
        const auto outcome = a.evaluate(response);
        result->setText((outcome.passed ? QStringLiteral("✓ pass") : QStringLiteral("✗ fail: ")) +
                        (outcome.passed ? QString() : outcome.message));
        result->setForeground(outcome.passed ? QColor(0x1e, 0x7b, 0x34) : QColor(0xb3, 0x26, 0x1e));
        outcome.passed ? ++passed : ++failed;
    }
    m_assertionSummary->setText(
        passed + failed == 0 ? QString() : tr("%1 passed, %2 failed").arg(passed).arg(failed));
    m_assertionSummary->setStyleSheet(failed ? QStringLiteral("color: #b3261e;")
                                             : QStringLiteral("color: #1e7b34;"));
}

void InvokePanel::runRepeat()
{
    if (isBusy())
        return;
    m_repeat->run();
}

void InvokePanel::refreshHistory()
{
    m_historyList->clear();
    if (!m_history)
        return;
    for (const InvokeHistoryEntry &e : m_history->entries()) {
        auto *it = new QListWidgetItem(e.title(), m_historyList);
        it->setData(Qt::UserRole, e.id);
        it->setToolTip(e.request.url.toString() + u"\n" + e.response.statusText());
        if (!e.response.isSuccess())
            it->setForeground(QColor(0xb3, 0x26, 0x1e));
    }
    refreshTemplates();
}

void InvokePanel::refreshTemplates()
{
    QMenu *menu = m_templates->menu();
    menu->clear();
    QList<QByteArray> seen;
    for (const InvokeHistoryEntry &e : m_history->entries()) {
        const QByteArray body = e.request.body.trimmed();
        if (body.isEmpty() || seen.contains(body))
            continue;
        seen.append(body);
        QString label = QString::fromUtf8(body.left(60)).simplified();
        menu->addAction(label, this, [this, body] { m_body->setBody(body); });
        if (seen.size() == 10)
            break;
    }
    m_templates->setEnabled(!seen.isEmpty());
}

void InvokePanel::compareSelected()
{
    const QList<QListWidgetItem *> selected = m_historyList->selectedItems();
    if (selected.size() != 2 || !m_history)
        return;
    const auto a = m_history->entry(selected.at(1)->data(Qt::UserRole).toString());
    const auto b = m_history->entry(selected.at(0)->data(Qt::UserRole).toString());
    if (!a || !b)
        return;
    auto *dialog = new QDialog(this);
    dialog->setObjectName(QStringLiteral("invokeCompareDialog"));
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setWindowTitle(tr("Compare responses"));
    auto *sides = new QHBoxLayout;
    for (const auto *e : {&*a, &*b}) {
        auto *column = new QVBoxLayout;
        column->addWidget(new QLabel(e->title(), dialog));
        auto *view = new ResponseView(dialog);
        view->setResponse(e->response);
        column->addWidget(view, 1);
        sides->addLayout(column, 1);
    }
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, dialog);
    connect(buttons, &QDialogButtonBox::rejected, dialog, &QDialog::reject);
    auto *layout = new QVBoxLayout(dialog);
    layout->addLayout(sides, 1);
    layout->addWidget(buttons);
    dialog->resize(1000, 600);
    dialog->show();
}
