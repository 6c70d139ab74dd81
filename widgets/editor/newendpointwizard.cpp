#include "widgets/editor/newendpointwizard.h"

#include "models/editormodel.h"

#include <QComboBox>
#include <QDir>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>

NewEndpointWizard::NewEndpointWizard(const QString &folder, QWidget *parent)
    : TemplateWizard(folder, parent)
{
    setWindowTitle(tr("New endpoint"));
    auto *page = new Page(this);
    page->setTitle(tr("New online endpoint"));
    page->setSubTitle(tr("Creates an endpoint YAML in %1. Deployments are added to it later.")
                          .arg(QDir::toNativeSeparators(this->folder())));
    auto *form = new QFormLayout(page);
    form->addRow(tr("Name"), createNameField(&m_name, &m_nameMessage, page));
    m_authMode = new QComboBox(page);
    m_authMode->setObjectName(QStringLiteral("authMode"));
    m_authMode->addItem(tr("Key"), QStringLiteral("key"));
    m_authMode->addItem(tr("Azure ML token"), QStringLiteral("aml_token"));
    m_authMode->addItem(tr("Microsoft Entra token"), QStringLiteral("aad_token"));
    form->addRow(tr("Auth mode"), m_authMode);
    m_description = new QLineEdit(page);
    m_description->setObjectName(QStringLiteral("description"));
    form->addRow(tr("Description"), m_description);
    m_fileName = new QLineEdit(QStringLiteral("endpoint.yml"), page);
    m_fileName->setObjectName(QStringLiteral("fileName"));
    form->addRow(tr("File"), m_fileName);
    page->complete = [this] {
        return checkName(m_name, m_nameMessage) && !m_fileName->text().trimmed().isEmpty();
    };
    connect(m_name, &QLineEdit::textChanged, page, &QWizardPage::completeChanged);
    connect(m_fileName, &QLineEdit::textChanged, page, &QWizardPage::completeChanged);
    addPage(page);
}

QString NewEndpointWizard::endpointName() const
{
    return m_name->text();
}

QString NewEndpointWizard::filePath() const
{
    return QDir(folder()).absoluteFilePath(m_fileName->text().trimmed());
}

QByteArray NewEndpointWizard::endpointYaml(const QString &name, const QString &authMode,
                                           const QString &description)
{
    QByteArray yaml = "$schema: "
                      "https://azuremlschemas.azureedge.net/latest/"
                      "managedOnlineEndpoint.schema.json\n";
    yaml += "name: " + EditorModel::scalar(name) + '\n';
    if (!description.trimmed().isEmpty())
        yaml += "description: " + EditorModel::scalar(description.trimmed()) + '\n';
    yaml += "auth_mode: " + EditorModel::scalar(authMode) + '\n';
    yaml += "# Once deployments exist, split requests between them (percentages summing to 100):\n"
            "# traffic:\n"
            "#   blue: 100\n";
    return yaml;
}

QList<TemplateWizard::File> NewEndpointWizard::files() const
{
    return {File{
        filePath(),
        endpointYaml(m_name->text(), m_authMode->currentData().toString(), m_description->text()),
        false}};
}
