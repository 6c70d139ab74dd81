#pragma once

#include "widgets/editor/templatewizard.h"

class QComboBox;
class QLabel;
class QLineEdit;

// New endpoint: name (checked as typed), auth mode and description → endpoint YAML from the
// managed endpoint template, written into the folder. Field object names: "name",
// "nameMessage", "authMode", "description", "fileName".
class NewEndpointWizard : public TemplateWizard
{
    Q_OBJECT
public:
    explicit NewEndpointWizard(const QString &folder, QWidget *parent = nullptr);

    QString endpointName() const;
    QString filePath() const; // the endpoint YAML it writes

    static QByteArray endpointYaml(const QString &name, const QString &authMode,
                                   const QString &description);

protected:
    QList<File> files() const override;

private:
    QLineEdit *m_name;
    QLabel *m_nameMessage;
    QComboBox *m_authMode;
    QLineEdit *m_description;
    QLineEdit *m_fileName;
};
