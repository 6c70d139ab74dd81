#pragma once

#include "models/deploymentspec.h"
#include "models/diagnostic.h"
#include "models/endpointspec.h"
#include "models/result.h"
#include "models/speckind.h"

#include <QByteArray>
#include <QList>
#include <QPair>
#include <QString>
#include <QStringList>

// The one place where the editor widgets call the models' YAML document, schema and validator,
// so the widgets depend on a small, stable surface.
class EditorModel
{
public:
    // Every diagnostic of one file (parse errors and schema/value rules). Thread-safe.
    static Diagnostics validate(const QString &path, const QByteArray &text);

    // Schema: keys valid in the mapping at `parentPath` (sequence items as numbers), enum values
    // of a key, and the help text of a key. `kind` is detectSpecKind's reading of the file
    // (a deployment offers the keys of both flavours; a file that is none yet, every kind's).
    static QStringList keysAt(SpecKind kind, const QStringList &parentPath);
    static QStringList enumValues(SpecKind kind, const QStringList &path);
    static QString help(SpecKind kind, const QStringList &path);

    // Comment-preserving edits: the whole new text, or why the edit was impossible.
    // An empty `value` removes the key. `dottedPath` like "request_settings.request_timeout_ms".
    static Result<QByteArray> setValue(const QString &filePath, const QByteArray &text,
                                       const QString &dottedPath, const QString &value);
    // Replaces the mapping at `dottedPath` with these entries in order (empty: removes the key).
    static Result<QByteArray> setMap(const QString &filePath, const QByteArray &text,
                                     const QString &dottedPath,
                                     const QList<QPair<QString, QString>> &entries);

    // A value as YAML scalar text: plain when it reads back unchanged, else double-quoted.
    static QByteArray scalar(const QString &value);

    // Everything a form shows, from one tolerant parse (safe to run on a worker thread).
    struct View
    {
        SpecKind kind = SpecKind::NotAzureMl;
        EndpointSpec endpoint;
        DeploymentSpec deployment;
        QList<QPair<QString, QString>> scalars;
    };
    static View view(const QString &filePath, const QByteArray &text);
};
