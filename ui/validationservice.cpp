#include "ui/validationservice.h"

#ifdef STUDIO_HAVE_YAMLEDITOR
#include "widgets/editormodel.h"
#endif

#include <QFile>

#include <yaml-cpp/yaml.h>

Diagnostics ValidationService::validateText(const QString &path, const QByteArray &text)
{
#ifdef STUDIO_HAVE_YAMLEDITOR
    return EditorModel::validate(path, text);
#endif
    Diagnostics diagnostics;
    try {
        YAML::Load(text.toStdString());
    } catch (const YAML::ParserException &error) {
        Diagnostic diagnostic;
        diagnostic.code = QStringLiteral("yaml-syntax");
        diagnostic.message = QString::fromStdString(error.msg);
        diagnostic.location.file = path;
        diagnostic.location.line = error.mark.line + 1;
        diagnostic.location.column = error.mark.column + 1;
        diagnostics << diagnostic;
    }
    return diagnostics;
}

QHash<QString, Diagnostics>
ValidationService::validateWorkspace(const QString &, const QStringList &files,
                                     const QHash<QString, QByteArray> &openTexts)
{
    QHash<QString, Diagnostics> result;
    for (const QString &path : files) {
        QByteArray text = openTexts.value(path);
        if (!openTexts.contains(path)) {
            QFile file(path);
            if (file.open(QIODevice::ReadOnly))
                text = file.readAll();
        }
        result.insert(path, validateText(path, text));
    }
    return result;
}
