#pragma once

#include "models/editormodel.h"

#include <QFutureWatcher>
#include <QMap>
#include <QPointer>
#include <QStringList>
#include <QTimer>
#include <QWidget>

class QComboBox;
class QFormLayout;
class QLabel;
class QLineEdit;
class QProcess;
class QSpinBox;
class QStackedWidget;
class QTableWidget;
class QsciScintilla;
class TrafficSliders;

// Point-and-click view of the endpoint or deployment YAML open in an editor. The text stays the
// single source of truth: every form change becomes a comment-preserving YamlDocument edit that
// is applied to the editor as one minimal undo action, and every text change (debounced) refills
// the form. Pages "endpointPage" and "deploymentPage" hold widgets named: "name", "authMode",
// "endpointName", "modelPath", "codeFolder", "scoringScript", "image", "buildFolder",
// "condaFile", "instanceType", "instanceCount", "environmentVariables", "requestTimeoutMs",
// "maxConcurrentRequests", "maxQueueWaitMs", "<liveness|readiness>Probe.<initialDelay|period|
// timeout|successThreshold|failureThreshold>", "trafficSliders".
class InspectorForm : public QWidget
{
    Q_OBJECT
public:
    enum class Kind { None, Endpoint, Deployment };
    static constexpr int textDebounceMs = 200;

    explicit InspectorForm(QWidget *parent = nullptr);
    ~InspectorForm() override;

    // The editor whose text the form shows and edits (a YamlEditor, or any QsciScintilla whose
    // "filePath" property names the file); nullptr detaches.
    void setEditor(QsciScintilla *editor);
    QsciScintilla *editor() const { return m_editor; }
    QString filePath() const;

    // The deployments of the shown endpoint (from the workspace); when never set, the form finds
    // them itself among the YAML files next to the endpoint's.
    void setEndpointDeployments(const QStringList &deployments);

    Kind kind() const { return m_kind; }
    // Refills the form from the editor's text now instead of after the debounce.
    void refresh();
    TrafficSliders *trafficSliders() const { return m_traffic; }
    // Local images offered by the image combo (from `docker images`, filled asynchronously).
    QStringList localImages() const { return m_images; }

signals:
    // The form changed the text (after the edit was applied to the editor).
    void edited();
    void localImagesLoaded(const QStringList &images);

private:
    enum class PathKind { None, File, Folder };

    void buildEndpointPage();
    void buildDeploymentPage();
    QLineEdit *addLineRow(QFormLayout *form, const QString &label, const QString &objectName,
                          const QString &yamlPath, PathKind pathKind = PathKind::None);
    QSpinBox *addSpinRow(QFormLayout *form, const QString &label, const QString &objectName,
                         const QString &yamlPath, int minimum, int maximum,
                         const QString &suffix = {});
    void textChanged();
    void parseInBackground();
    void fillForm(); // parses on this thread
    void showView(const EditorModel::View &view);
    void fillEndpoint(const EndpointSpec &spec);
    void fillDeployment(const DeploymentSpec &spec, const QList<QPair<QString, QString>> &scalars);
    // One form edit as one undo step: a scalar at a dotted path (empty removes the key), or a
    // whole map.
    void editValue(const QString &path, const QString &value);
    void editMap(const QString &path, const QList<QPair<QString, QString>> &entries);
    void applyEdit(const QByteArray &newText);
    void showError(const QString &message);
    void environmentVariablesEdited();
    void loadLocalImages();

    QPointer<QsciScintilla> m_editor;
    QTimer m_debounce;
    QFutureWatcher<EditorModel::View> *m_parse = nullptr;
    quint64 m_textGeneration = 0;
    quint64 m_parseGeneration = 0;
    Kind m_kind = Kind::None;
    bool m_filling = false;  // filling the form from text: widget signals must not edit
    bool m_applying = false; // applying a form edit: the text change must not refill
    QStringList m_explicitDeployments;
    bool m_deploymentsExplicit = false;
    QFutureWatcher<QStringList> *m_deploymentScan = nullptr;
    QStringList m_discoveredDeployments;
    QString m_discoveredFor;
    QStringList m_images;
    bool m_imagesRequested = false;
    QPointer<QProcess> m_imagesProcess;

    QLabel *m_title;
    QLabel *m_error;
    QStackedWidget *m_pages;
    QWidget *m_emptyPage;
    QWidget *m_endpointPage = nullptr;
    QWidget *m_deploymentPage = nullptr;
    // endpoint page
    QLineEdit *m_endpointName = nullptr;
    QLineEdit *m_endpointDescription = nullptr;
    QComboBox *m_authMode = nullptr;
    TrafficSliders *m_traffic = nullptr;
    // deployment page
    QLineEdit *m_name = nullptr;
    QLineEdit *m_deploymentEndpoint = nullptr;
    QLineEdit *m_modelPath = nullptr;
    QLineEdit *m_codeFolder = nullptr;
    QLineEdit *m_scoringScript = nullptr;
    QComboBox *m_image = nullptr;
    QLineEdit *m_buildFolder = nullptr;
    QLineEdit *m_condaFile = nullptr;
    QLineEdit *m_instanceType = nullptr;
    QSpinBox *m_instanceCount = nullptr;
    QTableWidget *m_envTable = nullptr;
    QMap<QString, QSpinBox *> m_spins;      // yaml path -> spin box
    QMap<QString, QLineEdit *> m_lineEdits; // yaml path -> line edit (scalars)
};
