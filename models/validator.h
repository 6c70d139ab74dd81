#pragma once

#include "models/diagnostic.h"
#include "models/speckind.h"

#include <QHash>
#include <QMap>
#include <QSet>
#include <QString>

class YamlDocument;

// What the validator knows about the other files of the workspace (cross-file rules) and about
// the command or tree a deployment is deployed from.
struct ValidationContext
{
    bool hasWorkspace = false;                          // false: skip cross-file rules
    QSet<QString> endpointNames;                        // endpoints defined in the workspace
    QMap<QString, QSet<QString>> deploymentsByEndpoint; // endpoint name -> deployment names
    // Deployment files without endpoint_name that the workspace tree lists under an endpoint
    // (the endpoint YAML of their folder): absolute path -> endpoint name.
    QHash<QString, QString> endpointOfFile;
    // --endpoint-name, or the tree endpoint the user deploys under: overrides endpoint_name
    // of every deployment validated with this context, as `az ml … --endpoint-name` does.
    QString endpointName;

    // The endpoint a deployment file is deployed to when its YAML names none; empty if unknown.
    QString endpointFor(const QString &filePath) const;
};

// Azure-compatible checks of endpoint and deployment YAML, each with a stable code, exact
// span, a fix hint and the azure-ai-ml source that makes the same check. Severities come from
// the rule table (ValidationRules). Pure functions: safe to call from worker threads.
class Validator
{
public:
    // Which Azure the file is checked for. Local: what a local deploy (az ml … --local and the
    // studio) refuses is an error, what only Azure's cloud refuses is a warning. Azure: the
    // cloud's rules (name patterns, value ranges) are errors too.
    enum class Target { Local, Azure };
    // Validate: the file as a file. LocalDeploy: the gate before a deployment starts here;
    // what cannot run on this machine (cloud assets, a no-code MLflow model without an image)
    // becomes an error.
    enum class Purpose { Validate, LocalDeploy };

    struct Options
    {
        bool checkFiles = true;         // model/code/conda/build paths exist on disk
        bool checkScoringScript = true; // init() and run() defined (python3 ast or text scan)
        QString python = QStringLiteral("/usr/bin/python3");
        Target target = Target::Local;
        Purpose purpose = Purpose::Validate;
    };

    // Parse diagnostics plus every rule for one document.
    static Diagnostics validate(const YamlDocument &document, const ValidationContext &context,
                                const Options &options);
    static Diagnostics validate(const YamlDocument &document);

    // "local" | "azure"; std::nullopt for anything else.
    static std::optional<Target> targetFromName(const QString &name);

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
