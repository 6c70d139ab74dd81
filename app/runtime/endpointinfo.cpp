#include "app/runtime/endpointinfo.h"

QJsonObject EndpointInfo::toJson() const
{
    QJsonObject tagObject;
    for (auto it = tags.cbegin(); it != tags.cend(); ++it)
        tagObject.insert(it.key(), it.value());
    QJsonObject trafficObject;
    for (auto it = traffic.cbegin(); it != traffic.cend(); ++it)
        trafficObject.insert(it.key(), it.value());
    QJsonObject o{{QStringLiteral("name"), name},
                  {QStringLiteral("auth_mode"), authMode},
                  {QStringLiteral("location"), QStringLiteral("local")},
                  {QStringLiteral("provisioning_state"), provisioningStateName(state)},
                  {QStringLiteral("scoring_uri"), scoringUri},
                  {QStringLiteral("traffic"), trafficObject},
                  {QStringLiteral("properties"), QJsonObject()},
                  {QStringLiteral("tags"), tagObject},
                  {QStringLiteral("type"), QStringLiteral("online")}};
    if (!description.isEmpty())
        o.insert(QStringLiteral("description"), description);
    return o;
}

QString EndpointInfo::primaryDeployment() const
{
    QString target;
    int best = 0;
    for (auto t = traffic.cbegin(); t != traffic.cend(); ++t) {
        if (t.value() > best && deployments.contains(t.key())) {
            best = t.value();
            target = t.key();
        }
    }
    if (target.isEmpty() && deployments.size() == 1)
        target = deployments.first();
    return target;
}
