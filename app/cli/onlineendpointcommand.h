#pragma once

#include <QStringList>

class CliSession;

// `endpointctl online-endpoint create|show|list|update|delete|invoke|get-logs|get-credentials`,
// as `az ml online-endpoint … --local` behaves (plus traffic splits, which Azure's local mode
// lacks).
class OnlineEndpointCommand
{
public:
    static int run(const QStringList &args);

private:
    static int create(const QStringList &args);
    static int show(const QStringList &args);
    static int list(const QStringList &args);
    static int update(const QStringList &args);
    static int remove(const QStringList &args);
    static int invoke(const QStringList &args);
    static int getLogs(const QStringList &args);
    static int getCredentials(const QStringList &args);
};
