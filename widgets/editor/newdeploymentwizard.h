#pragma once

#include "widgets/editor/templatewizard.h"

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QSpinBox;

// New deployment: name (checked as typed) and endpoint, then the environment template (an image,
// an image with a conda file, or a Dockerfile build folder), model path, code folder and scoring
// script → deployment YAML, plus starter files (score.py, conda.yml, Dockerfile) where missing.
// Field object names: "name", "nameMessage", "endpoint", "endpointMessage", "fileName",
// "template", "modelPath", "codeFolder", "scoringScript", "image", "instanceType",
// "instanceCount", "starterFiles".
class NewDeploymentWizard : public TemplateWizard
{
    Q_OBJECT
public:
    enum class Template { Image, ImageWithConda, DockerBuild };

    NewDeploymentWizard(const QString &folder, const QStringList &endpoints,
                        QWidget *parent = nullptr);

    QString deploymentName() const;
    QString filePath() const;

    struct Settings
    {
        QString name;
        QString endpointName;
        Template kind = Template::Image;
        QString modelPath = QStringLiteral("model");
        QString codeFolder = QStringLiteral("onlinescoring");
        QString scoringScript = QStringLiteral("score.py");
        QString image = QStringLiteral("endpoint-studio/python:3.11-bookworm");
        QString instanceType = QStringLiteral("Standard_DS3_v2");
        int instanceCount = 1;
    };
    static QByteArray deploymentYaml(const Settings &settings);
    static QByteArray starterScoringScript();

protected:
    QList<File> files() const override;

private:
    Settings settings() const;

    QLineEdit *m_name;
    QLabel *m_nameMessage;
    QComboBox *m_endpoint;
    QLabel *m_endpointMessage;
    QLineEdit *m_fileName;
    bool m_fileNameEdited = false;
    QComboBox *m_template;
    QLineEdit *m_modelPath;
    QLineEdit *m_codeFolder;
    QLineEdit *m_scoringScript;
    QComboBox *m_image;
    QLineEdit *m_instanceType;
    QSpinBox *m_instanceCount;
    QCheckBox *m_starterFiles;
};
