#pragma once

#include "models/deploymentspec.h"
#include "models/endpointspec.h"
#include "models/result.h"

#include <QString>

// Reads an endpoint or deployment YAML into its spec. Fails with the file's first error
// diagnostic ("file:line:col: error: …") when the YAML cannot be used.
class SpecLoader
{
public:
    static Result<EndpointSpec> loadEndpoint(const QString &path);
    static Result<DeploymentSpec> loadDeployment(const QString &path);
};
