#pragma once

#include "models/deploymentspec.h"
#include "models/endpointspec.h"
#include "models/specedits.h"
#include "models/validator.h"
#include "models/yamldocument.h"

#include <QByteArray>
#include <QList>
#include <QString>

#include <optional>

// The one check that every path starting a deployment goes through (endpointctl
// online-deployment create and update, the studio's Deploy/Update and the tree's menu): the
// deployment YAML as it will be deployed (the file, or the deployed specification, with the
// command line's edits) validated against its workspace, the way Azure's schema and local
// endpoint code would see it. An error stops the deploy before any container or file is
// touched; warnings never do. Blocking and thread-safe: the studio runs it on a worker thread.
class DeploymentGate
{
public:
    struct Request
    {
        QString file;         // the deployment YAML, absolute; relative paths resolve from it
        QByteArray text;      // when not empty: this text instead of the file's (the deployed spec)
        QString name;         // --name: replaces `name`
        QString endpointName; // --endpoint-name or the tree's endpoint: replaces endpoint_name
        QList<SpecEdits::Edit> edits; // --set, applied in order after the name edits
        QString endpointFile;         // an endpoint YAML deployed along (checked too)
        ValidationContext context;    // the workspace's facts; see contextForFolder()
        Validator::Options options;   // purpose LocalDeploy unless the caller says otherwise
        Request() { options.purpose = Validator::Purpose::LocalDeploy; }
    };

    struct Outcome
    {
        YamlDocument document; // the deployment as it will be deployed (edits applied)
        DeploymentSpec spec;   // its typed view; filePath is Request::file
        std::optional<EndpointSpec> endpoint;
        Diagnostics diagnostics; // the deployment's, then the endpoint file's
        // A file that cannot be read or an edit that cannot be made (no located diagnostic).
        QString failure;

        bool blocked() const { return !failure.isEmpty() || hasErrors(diagnostics); }
        int count(Severity severity) const;
        // One sentence for a status line: "not deployed: 2 errors in blue.yml; the first: …".
        QString refusal() const;
    };

    static Outcome check(const Request &request);
    // The workspace of the file's folder: the cross-file facts `endpointctl validate FILE`
    // uses (its endpoint, the sibling deployments).
    static ValidationContext contextForFolder(const QString &file);
};
