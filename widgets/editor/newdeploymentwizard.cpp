#include "widgets/editor/newdeploymentwizard.h"

#include "models/editormodel.h"
#include "widgets/editor/resourcename.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDir>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QSpinBox>
#include <QVBoxLayout>

NewDeploymentWizard::NewDeploymentWizard(const QString &folder, const QStringList &endpoints,
                                         QWidget *parent)
    : TemplateWizard(folder, parent)
{
    setWindowTitle(tr("New deployment"));

    auto *identity = new Page(this);
    identity->setTitle(tr("New online deployment"));
    identity->setSubTitle(tr("A deployment serves one model with one scoring script behind an "
                             "endpoint. It is written to %1.")
                              .arg(QDir::toNativeSeparators(this->folder())));
    auto *form = new QFormLayout(identity);
    form->addRow(tr("Name"), createNameField(&m_name, &m_nameMessage, identity));
    auto *endpointBox = new QWidget(identity);
    auto *endpointLayout = new QVBoxLayout(endpointBox);
    endpointLayout->setContentsMargins(0, 0, 0, 0);
    endpointLayout->setSpacing(2);
    m_endpoint = new QComboBox(endpointBox);
    m_endpoint->setObjectName(QStringLiteral("endpoint"));
    m_endpoint->setEditable(true);
    m_endpoint->addItems(endpoints);
    m_endpointMessage = new QLabel(endpointBox);
    m_endpointMessage->setObjectName(QStringLiteral("endpointMessage"));
    m_endpointMessage->setWordWrap(true);
    endpointLayout->addWidget(m_endpoint);
    endpointLayout->addWidget(m_endpointMessage);
    form->addRow(tr("Endpoint"), endpointBox);
    m_fileName = new QLineEdit(identity);
    m_fileName->setObjectName(QStringLiteral("fileName"));
    form->addRow(tr("File"), m_fileName);
    connect(m_fileName, &QLineEdit::textEdited, this, [this] { m_fileNameEdited = true; });
    connect(m_name, &QLineEdit::textChanged, this, [this](const QString &name) {
        if (!m_fileNameEdited)
            m_fileName->setText(name.isEmpty() ? QString() : name + u"-deployment.yml");
    });
    identity->complete = [this] {
        const bool nameOk = checkName(m_name, m_nameMessage);
        const QString endpointProblem = ResourceName::problem(m_endpoint->currentText());
        m_endpointMessage->setText(
            endpointProblem.isEmpty() ? QString() : tr("Endpoint: %1").arg(endpointProblem));
        m_endpointMessage->setStyleSheet(QStringLiteral("color: #d13438;"));
        return nameOk && endpointProblem.isEmpty() && !m_fileName->text().trimmed().isEmpty();
    };
    connect(m_name, &QLineEdit::textChanged, identity, &QWizardPage::completeChanged);
    connect(m_endpoint, &QComboBox::currentTextChanged, identity, &QWizardPage::completeChanged);
    connect(m_fileName, &QLineEdit::textChanged, identity, &QWizardPage::completeChanged);
    addPage(identity);

    auto *contents = new Page(this);
    contents->setTitle(tr("Model, code and environment"));
    contents->setSubTitle(tr("Paths are relative to the deployment's folder; the scoring script "
                             "is relative to the code folder."));
    form = new QFormLayout(contents);
    m_template = new QComboBox(contents);
    m_template->setObjectName(QStringLiteral("template"));
    m_template->addItem(tr("Container image"), int(Template::Image));
    m_template->addItem(tr("Container image + conda file"), int(Template::ImageWithConda));
    m_template->addItem(tr("Dockerfile build folder"), int(Template::DockerBuild));
    form->addRow(tr("Environment"), m_template);
    const Settings defaults;
    auto line = [contents, form](const QString &label, const QString &name, const QString &value) {
        auto *edit = new QLineEdit(value, contents);
        edit->setObjectName(name);
        form->addRow(label, edit);
        return edit;
    };
    m_modelPath = line(tr("Model path"), QStringLiteral("modelPath"), defaults.modelPath);
    m_codeFolder = line(tr("Code folder"), QStringLiteral("codeFolder"), defaults.codeFolder);
    m_scoringScript =
        line(tr("Scoring script"), QStringLiteral("scoringScript"), defaults.scoringScript);
    m_image = new QComboBox(contents);
    m_image->setObjectName(QStringLiteral("image"));
    m_image->setEditable(true);
    m_image->addItems({defaults.image,
                       QStringLiteral("endpoint-studio/python-sklearn:3.11-bookworm"),
                       QStringLiteral("mcr.microsoft.com/azureml/minimal-py312-inference:latest")});
    form->addRow(tr("Image"), m_image);
    m_instanceType =
        line(tr("Instance type"), QStringLiteral("instanceType"), defaults.instanceType);
    m_instanceCount = new QSpinBox(contents);
    m_instanceCount->setObjectName(QStringLiteral("instanceCount"));
    m_instanceCount->setRange(1, 50);
    m_instanceCount->setValue(defaults.instanceCount);
    form->addRow(tr("Instance count"), m_instanceCount);
    m_starterFiles = new QCheckBox(tr("Create starter files that are missing (score.py, "
                                      "conda.yml, Dockerfile)"),
                                   contents);
    m_starterFiles->setObjectName(QStringLiteral("starterFiles"));
    m_starterFiles->setChecked(true);
    form->addRow(QString(), m_starterFiles);
    connect(m_template, &QComboBox::currentIndexChanged, this, [this] {
        m_image->setEnabled(Template(m_template->currentData().toInt()) != Template::DockerBuild);
    });
    contents->complete = [this] {
        return !m_codeFolder->text().trimmed().isEmpty() &&
               !m_scoringScript->text().trimmed().isEmpty() &&
               !m_modelPath->text().trimmed().isEmpty() &&
               (!m_image->isEnabled() || !m_image->currentText().trimmed().isEmpty());
    };
    for (QLineEdit *edit : {m_modelPath, m_codeFolder, m_scoringScript})
        connect(edit, &QLineEdit::textChanged, contents, &QWizardPage::completeChanged);
    connect(m_image, &QComboBox::currentTextChanged, contents, &QWizardPage::completeChanged);
    connect(m_template, &QComboBox::currentIndexChanged, contents, &QWizardPage::completeChanged);
    addPage(contents);
}

QString NewDeploymentWizard::deploymentName() const
{
    return m_name->text();
}

QString NewDeploymentWizard::filePath() const
{
    return QDir(folder()).absoluteFilePath(m_fileName->text().trimmed());
}

NewDeploymentWizard::Settings NewDeploymentWizard::settings() const
{
    Settings s;
    s.name = m_name->text();
    s.endpointName = m_endpoint->currentText();
    s.kind = Template(m_template->currentData().toInt());
    s.modelPath = m_modelPath->text().trimmed();
    s.codeFolder = m_codeFolder->text().trimmed();
    s.scoringScript = m_scoringScript->text().trimmed();
    s.image = m_image->currentText().trimmed();
    s.instanceType = m_instanceType->text().trimmed();
    s.instanceCount = m_instanceCount->value();
    return s;
}

QByteArray NewDeploymentWizard::deploymentYaml(const Settings &s)
{
    auto value = [](const QString &text) {
        return EditorModel::scalar(text);
    };
    QByteArray yaml = "$schema: "
                      "https://azuremlschemas.azureedge.net/latest/"
                      "managedOnlineDeployment.schema.json\n";
    yaml += "name: " + value(s.name) + '\n';
    yaml += "endpoint_name: " + value(s.endpointName) + '\n';
    yaml += "model:\n  path: " + value(s.modelPath) + '\n';
    yaml += "code_configuration:\n";
    yaml += "  code: " + value(s.codeFolder) + '\n';
    yaml += "  scoring_script: " + value(s.scoringScript) + '\n';
    yaml += "environment:\n";
    switch (s.kind) {
    case Template::Image:
        yaml += "  image: " + value(s.image) + '\n';
        break;
    case Template::ImageWithConda:
        yaml += "  image: " + value(s.image) + '\n';
        yaml += "  conda_file: conda.yml\n";
        break;
    case Template::DockerBuild:
        yaml += "  # The Dockerfile's image must provide python3; the studio adds its server.\n"
                "  build:\n"
                "    path: docker-context\n"
                "    dockerfile_path: Dockerfile\n";
        break;
    }
    yaml += "instance_type: " + value(s.instanceType) + '\n';
    yaml += "instance_count: " + QByteArray::number(s.instanceCount) + '\n';
    return yaml;
}

QByteArray NewDeploymentWizard::starterScoringScript()
{
    return "import json\n"
           "import logging\n"
           "import os\n"
           "\n"
           "model = None\n"
           "\n"
           "\n"
           "def init():\n"
           "    \"\"\"Called once when the server starts: load the model here.\"\"\"\n"
           "    global model\n"
           "    model_dir = os.getenv(\"AZUREML_MODEL_DIR\", \".\")\n"
           "    logging.info(\"model folder: %s\", model_dir)\n"
           "    model = {\"folder\": model_dir}\n"
           "\n"
           "\n"
           "def run(raw_data):\n"
           "    \"\"\"Called for each request with the request body as text.\"\"\"\n"
           "    data = json.loads(raw_data)[\"data\"]\n"
           "    return {\"predictions\": [sum(row) for row in data]}\n";
}

QList<TemplateWizard::File> NewDeploymentWizard::files() const
{
    const Settings s = settings();
    const QDir base(folder());
    QList<File> out{File{filePath(), deploymentYaml(s), false}};
    if (!m_starterFiles->isChecked())
        return out;
    const QString code = base.absoluteFilePath(s.codeFolder);
    out << File{QDir(code).absoluteFilePath(s.scoringScript), starterScoringScript(), true};
    if (s.kind == Template::ImageWithConda) {
        out << File{base.absoluteFilePath(QStringLiteral("conda.yml")),
                    "name: inference\n"
                    "channels:\n"
                    "  - conda-forge\n"
                    "dependencies:\n"
                    "  - python=3.11\n"
                    "  - pip\n",
                    true};
    } else if (s.kind == Template::DockerBuild) {
        out << File{base.absoluteFilePath(QStringLiteral("docker-context/Dockerfile")),
                    "FROM endpoint-studio/python:3.11-bookworm\n", true};
    }
    return out;
}
