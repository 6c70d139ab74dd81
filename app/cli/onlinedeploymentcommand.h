#pragma once

#include <QStringList>

// `endpointctl online-deployment create|update|show|list|get-logs|delete`, as
// `az ml online-deployment … --local` behaves; several deployments may share an endpoint.
class OnlineDeploymentCommand
{
public:
    static int run(const QStringList &args);

private:
    static int createOrUpdate(const QStringList &args, bool create);
    static int show(const QStringList &args);
    static int list(const QStringList &args);
    static int getLogs(const QStringList &args);
    static int remove(const QStringList &args);
};
