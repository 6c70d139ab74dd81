#pragma once

#include "models/diagnostic.h"
#include "models/speckind.h"

#include <QMap>
#include <QSet>
#include <QString>

class YamlDocument;

// What the validator knows about the other files of the workspace (cross-file rules).
struct ValidationContext
{
    bool hasWorkspace = false;                          // false: skip cross-file rules
    QSet<QString> endpointNames;                        // endpoints defined in the workspace
    QMap<QString, QSet<QString>> deploymentsByEndpoint; // endpoint name -> deployment names
};

// Azure-compatible checks of endpoint and deployment YAML, each with a stable code, exact
// span and a fix hint. Pure functions: safe to call from worker threads.
class Validator
{
public:
    struct Options
    {
        bool checkFiles = true;         // model/code/conda/build paths exist on disk
        bool checkScoringScript = true; // init() and run() defined (python3 ast or text scan)
        QString python = QStringLiteral("/usr/bin/python3");
    };

    // Parse diagnostics plus every rule for one document.
    static Diagnostics validate(const YamlDocument &document, const ValidationContext &context,
                                const Options &options);
    static Diagnostics validate(const YamlDocument &document);

    // Checks a scoring script for top-level init() and run(): with `python -c ast…` when the
    // interpreter runs, else a text scan. Results are cached by path, size and mtime.
    struct ScriptCheck
    {
        bool hasInit = false;
        bool hasRun = false;
        int syntaxErrorLine = 0; // 0: none
        QString syntaxError;
        QString method; // "python3 ast" or "text scan"
    };
    static ScriptCheck checkScoringScript(const QString &path, const QString &python);
    // Checks many scripts with one interpreter start and caches the results (Workspace
    // calls it before validating every file).
    static void prefetchScoringScripts(const QStringList &paths, const QString &python);

    // Closest known word within a small edit distance, or empty.
    static QString didYouMean(const QString &word, const QStringList &candidates);
};
