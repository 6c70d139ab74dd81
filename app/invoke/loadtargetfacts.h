#pragma once

#include "app/invoke/loadreport.h"

#include <QString>
#include <QStringList>

// What a load run's figures mean for the deployment it ran against: Azure's limits from the
// deployment's YAML (where 429 and 408 begin), who answered, and that this machine is not the
// instance_type. Read once per selected deployment; everything else comes from the report.
struct LoadTargetFacts
{
    QString deployment;
    QString instanceType;
    int instanceCount = 1;
    int maxConcurrentRequestsPerInstance = 1; // Azure's default
    int requestTimeoutMs = 5000;              // Azure's default
    bool fromYaml = false; // false: the YAML was not readable, Azure's defaults are shown

    // Reads request_settings, instance_count and instance_type of a deployment YAML.
    static LoadTargetFacts fromDeploymentYaml(const QString &path, const QString &deployment = {});

    // Azure's front end answers 429 beyond this many requests in flight:
    // 2 × max_concurrent_requests_per_instance × instance_count.
    int tooManyRequestsAbove() const;

    // Sentences for the Repeat tab and `invoke --repeat`: who answered, the limits and where
    // this run stood against them, what client and server time are, what an open loop shows,
    // and that local latency is not the instance_type's.
    QStringList explain(const LoadReport &report) const;
};
