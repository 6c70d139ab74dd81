#pragma once

#include <QDialog>

class QComboBox;
class QLineEdit;
class QSpinBox;

// Preferences: which runtime deploys (auto, Docker, local processes), the container CLI, and how
// many log lines a log tab loads first.
class SettingsDialog : public QDialog
{
    Q_OBJECT
public:
    explicit SettingsDialog(QWidget *parent = nullptr);

    // Writes the values to StudioSettings.
    void apply();

private:
    QComboBox *m_runtime;
    QLineEdit *m_containerCli;
    QSpinBox *m_logLines;
};
