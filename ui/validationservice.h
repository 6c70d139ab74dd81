#pragma once

#include "models/diagnostic.h"

#include <QByteArray>
#include <QHash>
#include <QString>
#include <QStringList>

// Validation entry points the window calls from worker threads (all functions are thread-safe
// and blocking). Adapts the model's Validator to what the editors and the Problems panel need.
class ValidationService
{
public:
    // One file's text as the editor holds it.
    static Diagnostics validateText(const QString &path, const QByteArray &text);
    // Every file of a workspace, read from disk unless its text is given in `openTexts`; keys are
    // the file paths.
    static QHash<QString, Diagnostics>
    validateWorkspace(const QString &folder, const QStringList &files,
                      const QHash<QString, QByteArray> &openTexts);
};
