#include "ui/settingsdialog.h"

#include "ui/studiosettings.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>

SettingsDialog::SettingsDialog(QWidget *parent)
    : QDialog(parent)
    , m_runtime(new QComboBox(this))
    , m_containerCli(new QLineEdit(this))
    , m_logLines(new QSpinBox(this))
{
    setObjectName(QStringLiteral("settingsDialog"));
    setWindowTitle(tr("Settings"));
    const StudioSettings settings;

    m_runtime->setObjectName(QStringLiteral("runtimeCombo"));
    m_runtime->addItem(tr("Automatic (Docker when reachable)"), QStringLiteral("auto"));
    m_runtime->addItem(tr("Docker engine"), QStringLiteral("docker"));
    m_runtime->addItem(tr("Local processes"), QStringLiteral("process"));
    m_runtime->setCurrentIndex(qMax(0, m_runtime->findData(settings.runtime())));

    m_containerCli->setObjectName(QStringLiteral("containerCliEdit"));
    m_containerCli->setText(settings.containerCli());
    m_containerCli->setPlaceholderText(QStringLiteral("docker"));
    auto *browse = new QPushButton(tr("Browse…"), this);
    connect(browse, &QPushButton::clicked, this, [this] {
        const QString program = QFileDialog::getOpenFileName(this, tr("Container CLI"));
        if (!program.isEmpty())
            m_containerCli->setText(program);
    });
    auto *cliRow = new QHBoxLayout;
    cliRow->addWidget(m_containerCli, 1);
    cliRow->addWidget(browse);

    m_logLines->setObjectName(QStringLiteral("logLinesSpin"));
    m_logLines->setRange(0, 1000000);
    m_logLines->setSingleStep(500);
    m_logLines->setSpecialValueText(tr("All"));
    m_logLines->setValue(settings.defaultLogLines());

    auto *form = new QFormLayout;
    form->addRow(tr("&Runtime:"), m_runtime);
    form->addRow(tr("&Container CLI:"), cliRow);
    form->addRow(tr("Initial &log lines:"), m_logLines);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    connect(buttons, &QDialogButtonBox::accepted, this, [this] {
        apply();
        accept();
    });
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(buttons);
}

void SettingsDialog::apply()
{
    StudioSettings settings;
    settings.setRuntime(m_runtime->currentData().toString());
    settings.setContainerCli(m_containerCli->text());
    settings.setDefaultLogLines(m_logLines->value());
}
