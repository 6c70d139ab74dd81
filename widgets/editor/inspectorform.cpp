#include "widgets/editor/inspectorform.h"

#include "models/deploymentspec.h"
#include "models/editormodel.h"
#include "models/endpointspec.h"
#include "widgets/editor/trafficsliders.h"
#include "widgets/editor/yamleditor.h"

#include <QComboBox>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QFutureWatcher>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QProcess>
#include <QPushButton>
#include <QScrollArea>
#include <QSpinBox>
#include <QStackedWidget>
#include <QTableWidget>
#include <QToolButton>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

namespace {

QString lookup(const QList<QPair<QString, QString>> &scalars, const QString &path)
{
    for (const auto &[key, value] : scalars) {
        if (key == path)
            return value;
    }
    return {};
}

void setLineText(QLineEdit *edit, const QString &text)
{
    if (edit->text() != text)
        edit->setText(text);
}

void setSpinValue(QSpinBox *spin, int value)
{
    if (spin->value() != value)
        spin->setValue(value);
}

QScrollArea *scrolled(QWidget *page)
{
    auto *area = new QScrollArea;
    area->setWidgetResizable(true);
    area->setFrameShape(QFrame::NoFrame);
    area->setWidget(page);
    return area;
}

// Deployment YAMLs next to an endpoint's file that name the endpoint (small files only).
QStringList findDeployments(const QString &endpointFile, const QString &endpointName)
{
    QStringList names;
    const QFileInfo info(endpointFile);
    const QFileInfoList files = info.dir().entryInfoList(
        {QStringLiteral("*.yml"), QStringLiteral("*.yaml")}, QDir::Files, QDir::Name);
    for (const QFileInfo &file : files) {
        if (file.absoluteFilePath() == info.absoluteFilePath() || file.size() > 1024 * 1024)
            continue;
        QFile f(file.absoluteFilePath());
        if (!f.open(QIODevice::ReadOnly))
            continue;
        const EditorModel::View view = EditorModel::view(file.absoluteFilePath(), f.readAll());
        if (!isDeployment(view.kind))
            continue;
        const DeploymentSpec &spec = view.deployment;
        if (spec.endpointName == endpointName && !spec.name.isEmpty())
            names << spec.name;
    }
    names.removeDuplicates();
    return names;
}

} // namespace

InspectorForm::InspectorForm(QWidget *parent)
    : QWidget(parent)
{
    auto *layout = new QVBoxLayout(this);
    m_title = new QLabel(this);
    m_title->setObjectName(QStringLiteral("inspectorTitle"));
    QFont titleFont = m_title->font();
    titleFont.setBold(true);
    m_title->setFont(titleFont);
    m_title->setWordWrap(true);
    layout->addWidget(m_title);
    m_pages = new QStackedWidget(this);
    layout->addWidget(m_pages, 1);
    m_error = new QLabel(this);
    m_error->setObjectName(QStringLiteral("inspectorError"));
    m_error->setWordWrap(true);
    m_error->setStyleSheet(QStringLiteral("color: #d13438;"));
    m_error->hide();
    layout->addWidget(m_error);

    auto *empty = new QLabel(tr("Open an endpoint or deployment YAML to edit it here."));
    empty->setAlignment(Qt::AlignCenter);
    empty->setWordWrap(true);
    m_emptyPage = empty;
    m_pages->addWidget(m_emptyPage);
    buildEndpointPage();
    buildDeploymentPage();

    m_debounce.setSingleShot(true);
    m_debounce.setInterval(textDebounceMs);
    connect(&m_debounce, &QTimer::timeout, this, &InspectorForm::parseInBackground);
    m_parse = new QFutureWatcher<EditorModel::View>(this);
    connect(m_parse, &QFutureWatcher<EditorModel::View>::finished, this, [this] {
        if (m_parseGeneration == m_textGeneration && !m_debounce.isActive())
            showView(m_parse->result());
    });
    m_deploymentScan = new QFutureWatcher<QStringList>(this);
    connect(m_deploymentScan, &QFutureWatcher<QStringList>::finished, this, [this] {
        m_discoveredDeployments = m_deploymentScan->result();
        fillForm();
    });
    fillForm();
}

InspectorForm::~InspectorForm()
{
    m_deploymentScan->waitForFinished();
    m_parse->waitForFinished();
    if (m_imagesProcess) {
        m_imagesProcess->disconnect(this);
        m_imagesProcess->kill();
        m_imagesProcess->waitForFinished(1000);
    }
}

void InspectorForm::buildEndpointPage()
{
    auto *page = new QWidget;
    auto *layout = new QVBoxLayout(page);
    auto *box = new QGroupBox(tr("Endpoint"), page);
    auto *form = new QFormLayout(box);
    m_endpointName = new QLineEdit(box);
    m_endpointName->setObjectName(QStringLiteral("name"));
    form->addRow(tr("Name"), m_endpointName);
    connect(m_endpointName, &QLineEdit::textEdited, this, [this](const QString &text) {
        if (!text.isEmpty()) // an empty name would remove the key; keep it while typing
            editValue(QStringLiteral("name"), text);
    });
    m_endpointDescription = new QLineEdit(box);
    m_endpointDescription->setObjectName(QStringLiteral("description"));
    form->addRow(tr("Description"), m_endpointDescription);
    connect(m_endpointDescription, &QLineEdit::textEdited, this, [this](const QString &text) {
        if (!text.isEmpty())
            editValue(QStringLiteral("description"), text);
    });
    connect(m_endpointDescription, &QLineEdit::editingFinished, this, [this] {
        if (m_endpointDescription->text().isEmpty())
            editValue(QStringLiteral("description"), QString());
    });
    m_authMode = new QComboBox(box);
    m_authMode->setObjectName(QStringLiteral("authMode"));
    m_authMode->addItem(tr("Key"), QStringLiteral("key"));
    m_authMode->addItem(tr("Azure ML token"), QStringLiteral("aml_token"));
    m_authMode->addItem(tr("Microsoft Entra token"), QStringLiteral("aad_token"));
    form->addRow(tr("Auth mode"), m_authMode);
    connect(m_authMode, &QComboBox::activated, this, [this](int index) {
        editValue(QStringLiteral("auth_mode"), m_authMode->itemData(index).toString());
    });
    layout->addWidget(box);

    auto *trafficBox = new QGroupBox(tr("Traffic"), page);
    auto *trafficLayout = new QVBoxLayout(trafficBox);
    m_traffic = new TrafficSliders(trafficBox);
    m_traffic->setObjectName(QStringLiteral("trafficSliders"));
    trafficLayout->addWidget(m_traffic);
    connect(m_traffic, &TrafficSliders::trafficChanged, this,
            [this](const QMap<QString, int> &traffic) {
                QList<QPair<QString, QString>> entries;
                for (const QString &name : m_traffic->deployments())
                    entries.append({name, QString::number(traffic.value(name))});
                editMap(QStringLiteral("traffic"), entries);
            });
    layout->addWidget(trafficBox);
    layout->addStretch(1);
    m_endpointPage = scrolled(page);
    m_endpointPage->setObjectName(QStringLiteral("endpointPage"));
    m_pages->addWidget(m_endpointPage);
}

QLineEdit *InspectorForm::addLineRow(QFormLayout *form, const QString &label,
                                     const QString &objectName, const QString &yamlPath,
                                     PathKind pathKind)
{
    auto *edit = new QLineEdit;
    edit->setObjectName(objectName);
    m_lineEdits.insert(yamlPath, edit);
    connect(edit, &QLineEdit::textEdited, this, [this, yamlPath](const QString &text) {
        if (!text.isEmpty()) // clearing removes the key when editing finishes
            editValue(yamlPath, text);
    });
    connect(edit, &QLineEdit::editingFinished, this, [this, edit, yamlPath] {
        if (edit->text().isEmpty())
            editValue(yamlPath, QString());
    });
    if (pathKind == PathKind::None) {
        form->addRow(label, edit);
        return edit;
    }
    auto *row = new QWidget;
    auto *rowLayout = new QHBoxLayout(row);
    rowLayout->setContentsMargins(0, 0, 0, 0);
    rowLayout->addWidget(edit, 1);
    auto *browse = new QToolButton(row);
    browse->setText(QStringLiteral("…"));
    browse->setObjectName(objectName + u"Browse");
    browse->setToolTip(pathKind == PathKind::Folder ? tr("Choose a folder") : tr("Choose a file"));
    rowLayout->addWidget(browse);
    connect(browse, &QToolButton::clicked, this, [this, edit, yamlPath, pathKind] {
        // Paths are written relative to the YAML's folder (scoring_script: to the code folder).
        QDir base = QFileInfo(filePath()).absoluteDir();
        if (yamlPath == u"code_configuration.scoring_script" && m_codeFolder &&
            !m_codeFolder->text().isEmpty())
            base = QDir(base.absoluteFilePath(m_codeFolder->text()));
        const QString start =
            edit->text().isEmpty() ? base.absolutePath() : base.absoluteFilePath(edit->text());
        const QString chosen =
            pathKind == PathKind::Folder
                ? QFileDialog::getExistingDirectory(this, tr("Choose a folder"), start)
                : QFileDialog::getOpenFileName(this, tr("Choose a file"), start);
        if (chosen.isEmpty())
            return;
        const QString relative = base.relativeFilePath(chosen);
        edit->setText(relative);
        editValue(yamlPath, relative);
    });
    form->addRow(label, row);
    return edit;
}

QSpinBox *InspectorForm::addSpinRow(QFormLayout *form, const QString &label,
                                    const QString &objectName, const QString &yamlPath, int minimum,
                                    int maximum, const QString &suffix)
{
    auto *spin = new QSpinBox;
    spin->setObjectName(objectName);
    spin->setRange(minimum, maximum);
    spin->setSuffix(suffix);
    spin->setKeyboardTracking(false); // one edit per committed value, not per digit
    m_spins.insert(yamlPath, spin);
    connect(spin, &QSpinBox::valueChanged, this,
            [this, yamlPath](int value) { editValue(yamlPath, QString::number(value)); });
    form->addRow(label, spin);
    return spin;
}

void InspectorForm::buildDeploymentPage()
{
    auto *page = new QWidget;
    auto *layout = new QVBoxLayout(page);

    auto *general = new QGroupBox(tr("Deployment"), page);
    auto *form = new QFormLayout(general);
    m_name = addLineRow(form, tr("Name"), QStringLiteral("name"), QStringLiteral("name"));
    m_deploymentEndpoint = addLineRow(form, tr("Endpoint"), QStringLiteral("endpointName"),
                                      QStringLiteral("endpoint_name"));
    m_instanceType = addLineRow(form, tr("Instance type"), QStringLiteral("instanceType"),
                                QStringLiteral("instance_type"));
    m_instanceCount = addSpinRow(form, tr("Instance count"), QStringLiteral("instanceCount"),
                                 QStringLiteral("instance_count"), 1, 50);
    layout->addWidget(general);

    auto *files = new QGroupBox(tr("Model and code"), page);
    form = new QFormLayout(files);
    m_modelPath = addLineRow(form, tr("Model path"), QStringLiteral("modelPath"),
                             QStringLiteral("model.path"), PathKind::Folder);
    m_codeFolder = addLineRow(form, tr("Code folder"), QStringLiteral("codeFolder"),
                              QStringLiteral("code_configuration.code"), PathKind::Folder);
    m_scoringScript =
        addLineRow(form, tr("Scoring script"), QStringLiteral("scoringScript"),
                   QStringLiteral("code_configuration.scoring_script"), PathKind::File);
    layout->addWidget(files);

    auto *environment = new QGroupBox(tr("Environment"), page);
    form = new QFormLayout(environment);
    m_image = new QComboBox(environment);
    m_image->setObjectName(QStringLiteral("image"));
    m_image->setEditable(true);
    m_image->setInsertPolicy(QComboBox::NoInsert);
    m_image->setToolTip(tr("A local image (from `docker images`) or any image name"));
    form->addRow(tr("Image"), m_image);
    connect(m_image->lineEdit(), &QLineEdit::textEdited, this, [this](const QString &text) {
        if (!text.isEmpty())
            editValue(QStringLiteral("environment.image"), text);
    });
    connect(m_image->lineEdit(), &QLineEdit::editingFinished, this, [this] {
        if (m_image->currentText().isEmpty())
            editValue(QStringLiteral("environment.image"), QString());
    });
    connect(m_image, &QComboBox::textActivated, this, [this](const QString &text) {
        if (!m_filling)
            editValue(QStringLiteral("environment.image"), text);
    });
    m_buildFolder = addLineRow(form, tr("Build folder"), QStringLiteral("buildFolder"),
                               QStringLiteral("environment.build.path"), PathKind::Folder);
    m_condaFile = addLineRow(form, tr("Conda file"), QStringLiteral("condaFile"),
                             QStringLiteral("environment.conda_file"), PathKind::File);
    layout->addWidget(environment);

    auto *variables = new QGroupBox(tr("Environment variables"), page);
    auto *variablesLayout = new QVBoxLayout(variables);
    m_envTable = new QTableWidget(0, 2, variables);
    m_envTable->setObjectName(QStringLiteral("environmentVariables"));
    m_envTable->setHorizontalHeaderLabels({tr("Name"), tr("Value")});
    m_envTable->horizontalHeader()->setStretchLastSection(true);
    m_envTable->verticalHeader()->hide();
    m_envTable->setMinimumHeight(90);
    variablesLayout->addWidget(m_envTable);
    auto *buttons = new QHBoxLayout;
    auto *add = new QPushButton(tr("Add"), variables);
    add->setObjectName(QStringLiteral("addVariable"));
    auto *remove = new QPushButton(tr("Remove"), variables);
    remove->setObjectName(QStringLiteral("removeVariable"));
    buttons->addWidget(add);
    buttons->addWidget(remove);
    buttons->addStretch(1);
    variablesLayout->addLayout(buttons);
    connect(m_envTable, &QTableWidget::itemChanged, this, [this] {
        if (!m_filling)
            environmentVariablesEdited();
    });
    connect(add, &QPushButton::clicked, this, [this] {
        m_filling = true; // an empty row changes nothing until it has a name
        const int row = m_envTable->rowCount();
        m_envTable->insertRow(row);
        m_envTable->setItem(row, 0, new QTableWidgetItem);
        m_envTable->setItem(row, 1, new QTableWidgetItem);
        m_filling = false;
        m_envTable->setCurrentCell(row, 0);
        m_envTable->editItem(m_envTable->item(row, 0));
    });
    connect(remove, &QPushButton::clicked, this, [this] {
        const int row = m_envTable->currentRow();
        if (row < 0)
            return;
        m_envTable->removeRow(row);
        environmentVariablesEdited();
    });
    layout->addWidget(variables);

    auto *requests = new QGroupBox(tr("Request settings"), page);
    form = new QFormLayout(requests);
    addSpinRow(form, tr("Request timeout"), QStringLiteral("requestTimeoutMs"),
               QStringLiteral("request_settings.request_timeout_ms"), 1, 300000,
               QStringLiteral(" ms"));
    addSpinRow(form, tr("Max concurrent requests"), QStringLiteral("maxConcurrentRequests"),
               QStringLiteral("request_settings.max_concurrent_requests_per_instance"), 1, 1000);
    addSpinRow(form, tr("Max queue wait"), QStringLiteral("maxQueueWaitMs"),
               QStringLiteral("request_settings.max_queue_wait_ms"), 0, 300000,
               QStringLiteral(" ms"));
    layout->addWidget(requests);

    for (const QString &probe : {QStringLiteral("liveness"), QStringLiteral("readiness")}) {
        auto *box = new QGroupBox(
            probe == u"liveness" ? tr("Liveness probe") : tr("Readiness probe"), page);
        form = new QFormLayout(box);
        const QString key = probe + u"_probe.";
        const QString name = probe + u"Probe.";
        const QString seconds = QStringLiteral(" s");
        addSpinRow(form, tr("Initial delay"), name + u"initialDelay", key + u"initial_delay", 1,
                   3600, seconds);
        addSpinRow(form, tr("Period"), name + u"period", key + u"period", 1, 3600, seconds);
        addSpinRow(form, tr("Timeout"), name + u"timeout", key + u"timeout", 1, 3600, seconds);
        addSpinRow(form, tr("Success threshold"), name + u"successThreshold",
                   key + u"success_threshold", 1, 100);
        addSpinRow(form, tr("Failure threshold"), name + u"failureThreshold",
                   key + u"failure_threshold", 1, 1000);
        layout->addWidget(box);
    }
    layout->addStretch(1);
    m_deploymentPage = scrolled(page);
    m_deploymentPage->setObjectName(QStringLiteral("deploymentPage"));
    m_pages->addWidget(m_deploymentPage);
}

void InspectorForm::setEditor(QsciScintilla *editor)
{
    if (m_editor == editor)
        return;
    if (m_editor)
        m_editor->disconnect(this);
    m_editor = editor;
    if (m_editor) {
        connect(m_editor, &QsciScintilla::textChanged, this, &InspectorForm::textChanged);
        connect(m_editor, &QObject::destroyed, this, [this] {
            m_editor = nullptr; // never read a half-destroyed editor
            fillForm();
        });
    }
    m_discoveredDeployments.clear();
    m_discoveredFor.clear();
    fillForm();
}

QString InspectorForm::filePath() const
{
    if (!m_editor)
        return {};
    if (auto *yaml = qobject_cast<YamlEditor *>(m_editor.data()))
        return yaml->filePath();
    return m_editor->property("filePath").toString();
}

void InspectorForm::setEndpointDeployments(const QStringList &deployments)
{
    m_explicitDeployments = deployments;
    m_deploymentsExplicit = true;
    if (m_kind == Kind::Endpoint)
        fillForm();
}

void InspectorForm::refresh()
{
    m_debounce.stop();
    fillForm();
}

void InspectorForm::textChanged()
{
    ++m_textGeneration; // a parse of older text must not fill the form
    if (!m_applying)
        m_debounce.start();
}

void InspectorForm::parseInBackground()
{
    if (!m_editor) {
        fillForm();
        return;
    }
    if (m_parse->isRunning()) {
        m_debounce.start(); // try again when this one is done
        return;
    }
    m_parseGeneration = m_textGeneration;
    m_parse->setFuture(
        QtConcurrent::run(&EditorModel::view, filePath(), YamlEditor::utf8Text(m_editor)));
}

void InspectorForm::fillForm()
{
    m_debounce.stop();
    showView(m_editor ? EditorModel::view(filePath(), YamlEditor::utf8Text(m_editor))
                      : EditorModel::View());
}

void InspectorForm::showView(const EditorModel::View &view)
{
    m_filling = true;
    if (m_editor && view.kind == SpecKind::Endpoint) {
        m_kind = Kind::Endpoint;
        fillEndpoint(view.endpoint);
        m_pages->setCurrentWidget(m_endpointPage);
    } else if (m_editor && isDeployment(view.kind)) {
        m_kind = Kind::Deployment;
        fillDeployment(view.deployment, view.scalars);
        m_pages->setCurrentWidget(m_deploymentPage);
        if (!m_imagesRequested)
            loadLocalImages();
    } else {
        m_kind = Kind::None;
        m_title->setText(m_editor ? tr("Not an endpoint or deployment YAML") : QString());
        m_pages->setCurrentWidget(m_emptyPage);
    }
    m_filling = false;
}

void InspectorForm::fillEndpoint(const EndpointSpec &spec)
{
    m_title->setText(tr("Endpoint %1 — %2")
                         .arg(spec.name.isEmpty() ? tr("(unnamed)") : spec.name,
                              QFileInfo(filePath()).fileName()));
    setLineText(m_endpointName, spec.name);
    setLineText(m_endpointDescription, spec.description);
    const int auth = m_authMode->findData(spec.authMode);
    m_authMode->setCurrentIndex(qMax(0, auth));

    QStringList deployments;
    if (m_deploymentsExplicit) {
        deployments = m_explicitDeployments;
    } else {
        const QString key = filePath() + u'\n' + spec.name;
        if (key != m_discoveredFor && !filePath().isEmpty()) {
            m_discoveredFor = key;
            if (!m_deploymentScan->isRunning())
                m_deploymentScan->setFuture(
                    QtConcurrent::run(&findDeployments, filePath(), spec.name));
        }
        deployments = m_discoveredDeployments;
    }
    for (auto it = spec.traffic.cbegin(); it != spec.traffic.cend(); ++it) {
        if (!deployments.contains(it.key()))
            deployments << it.key();
    }
    m_traffic->setTraffic(deployments, spec.traffic);
}

void InspectorForm::fillDeployment(const DeploymentSpec &spec,
                                   const QList<QPair<QString, QString>> &scalars)
{
    const QString path = filePath();
    m_title->setText(
        tr("Deployment %1 — %2")
            .arg(spec.name.isEmpty() ? tr("(unnamed)") : spec.name, QFileInfo(path).fileName()));
    for (auto it = m_lineEdits.cbegin(); it != m_lineEdits.cend(); ++it)
        setLineText(it.value(), lookup(scalars, it.key()));
    const QString image = lookup(scalars, QStringLiteral("environment.image"));
    if (m_image->currentText() != image)
        m_image->setEditText(image);

    const QMap<QString, int> numbers = {
        {QStringLiteral("instance_count"), spec.instanceCount},
        {QStringLiteral("request_settings.request_timeout_ms"),
         spec.requestSettings.requestTimeoutMs},
        {QStringLiteral("request_settings.max_concurrent_requests_per_instance"),
         spec.requestSettings.maxConcurrentRequestsPerInstance},
        {QStringLiteral("request_settings.max_queue_wait_ms"), spec.requestSettings.maxQueueWaitMs},
        {QStringLiteral("liveness_probe.initial_delay"), spec.livenessProbe.initialDelay},
        {QStringLiteral("liveness_probe.period"), spec.livenessProbe.period},
        {QStringLiteral("liveness_probe.timeout"), spec.livenessProbe.timeout},
        {QStringLiteral("liveness_probe.success_threshold"), spec.livenessProbe.successThreshold},
        {QStringLiteral("liveness_probe.failure_threshold"), spec.livenessProbe.failureThreshold},
        {QStringLiteral("readiness_probe.initial_delay"), spec.readinessProbe.initialDelay},
        {QStringLiteral("readiness_probe.period"), spec.readinessProbe.period},
        {QStringLiteral("readiness_probe.timeout"), spec.readinessProbe.timeout},
        {QStringLiteral("readiness_probe.success_threshold"), spec.readinessProbe.successThreshold},
        {QStringLiteral("readiness_probe.failure_threshold"), spec.readinessProbe.failureThreshold},
    };
    for (auto it = m_spins.cbegin(); it != m_spins.cend(); ++it)
        setSpinValue(it.value(), numbers.value(it.key(), it.value()->value()));

    QList<QPair<QString, QString>> variables;
    const QString prefix = QStringLiteral("environment_variables.");
    for (const auto &[key, value] : scalars) {
        if (key.startsWith(prefix))
            variables.append({key.mid(prefix.size()), value});
    }
    bool same = m_envTable->rowCount() == variables.size();
    for (int row = 0; same && row < variables.size(); ++row) {
        const QTableWidgetItem *name = m_envTable->item(row, 0);
        const QTableWidgetItem *value = m_envTable->item(row, 1);
        same = name && value && name->text() == variables.at(row).first &&
               value->text() == variables.at(row).second;
    }
    if (!same) {
        m_envTable->setRowCount(int(variables.size()));
        for (int row = 0; row < variables.size(); ++row) {
            m_envTable->setItem(row, 0, new QTableWidgetItem(variables.at(row).first));
            m_envTable->setItem(row, 1, new QTableWidgetItem(variables.at(row).second));
        }
    }
}

void InspectorForm::environmentVariablesEdited()
{
    QList<QPair<QString, QString>> entries;
    for (int row = 0; row < m_envTable->rowCount(); ++row) {
        const QTableWidgetItem *name = m_envTable->item(row, 0);
        const QTableWidgetItem *value = m_envTable->item(row, 1);
        if (name && !name->text().trimmed().isEmpty())
            entries.append({name->text().trimmed(), value ? value->text() : QString()});
    }
    editMap(QStringLiteral("environment_variables"), entries);
}

void InspectorForm::editValue(const QString &path, const QString &value)
{
    if (m_filling || !m_editor)
        return;
    const Result<QByteArray> result =
        EditorModel::setValue(filePath(), YamlEditor::utf8Text(m_editor), path, value);
    if (!result.ok()) {
        showError(tr("Could not set %1: %2").arg(path, result.error().message));
        return;
    }
    applyEdit(result.value());
}

void InspectorForm::editMap(const QString &path, const QList<QPair<QString, QString>> &entries)
{
    if (m_filling || !m_editor)
        return;
    const Result<QByteArray> result =
        EditorModel::setMap(filePath(), YamlEditor::utf8Text(m_editor), path, entries);
    if (!result.ok()) {
        showError(tr("Could not set %1: %2").arg(path, result.error().message));
        return;
    }
    applyEdit(result.value());
}

void InspectorForm::applyEdit(const QByteArray &newText)
{
    showError(QString());
    m_applying = true;
    const bool changed = YamlEditor::applyText(m_editor, newText);
    m_applying = false;
    if (changed)
        emit edited();
}

void InspectorForm::showError(const QString &message)
{
    m_error->setText(message);
    m_error->setVisible(!message.isEmpty());
}

void InspectorForm::loadLocalImages()
{
    m_imagesRequested = true;
    m_imagesProcess = new QProcess(this);
    const QString docker = qEnvironmentVariable("STUDIO_DOCKER", QStringLiteral("docker"));
    connect(m_imagesProcess, &QProcess::finished, this, [this] {
        QStringList images;
        const QList<QByteArray> lines = m_imagesProcess->readAllStandardOutput().split('\n');
        for (const QByteArray &line : lines) {
            const QString image = QString::fromUtf8(line.trimmed());
            if (!image.isEmpty() && !image.contains(u"<none>"))
                images << image;
        }
        images.removeDuplicates();
        images.sort();
        m_images = images;
        const QString current = m_image->currentText();
        m_filling = true;
        m_image->clear();
        m_image->addItems(images);
        m_image->setEditText(current);
        m_filling = false;
        m_imagesProcess->deleteLater();
        emit localImagesLoaded(m_images);
    });
    connect(m_imagesProcess, &QProcess::errorOccurred, this, [this](QProcess::ProcessError error) {
        if (error == QProcess::FailedToStart) {
            m_imagesProcess->deleteLater();
            emit localImagesLoaded({});
        }
    });
    m_imagesProcess->start(docker, {QStringLiteral("images"), QStringLiteral("--format"),
                                    QStringLiteral("{{.Repository}}:{{.Tag}}")});
}
