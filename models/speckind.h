#pragma once

#include <QString>

class YamlDocument;

// What an Azure ML YAML file describes.
enum class SpecKind { NotAzureMl, Endpoint, ManagedDeployment, KubernetesDeployment };

// From `$schema` and, failing that, from the keys (endpoint_name → deployment; traffic,
// auth_mode, compute… → endpoint; `type: kubernetes` → Kubernetes deployment).
SpecKind detectSpecKind(const YamlDocument &document);
QString specKindName(SpecKind kind); // "endpoint", "managed deployment", …
inline bool isDeployment(SpecKind kind)
{
    return kind == SpecKind::ManagedDeployment || kind == SpecKind::KubernetesDeployment;
}
