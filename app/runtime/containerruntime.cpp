#include "app/runtime/containerruntime.h"

#include <QRegularExpression>

#include <memory>

void ContainerRuntime::stageAndStart(QObject *scope, const DeploymentPlan &plan,
                                     const QString &image, int hostPort, Progress progress,
                                     Callback<ContainerInfo> staged,
                                     Callback<StartedServer> started)
{
    stage(scope, plan, image, progress,
          [this, scope, plan, image, hostPort, staged, started](Result<ContainerInfo> init) {
              const bool ok = init.ok();
              staged(std::move(init));
              if (ok)
                  startServer(scope, plan, image, hostPort, started);
          });
}

bool ContainerRuntime::serverFromLog(const QString &log, ServerKind *kind, QString *program)
{
    static const QRegularExpression line(
        QStringLiteral(R"(studio-supervisor: server=(\S+) program=(\S+?):)"));
    QRegularExpressionMatch last;
    for (auto it = line.globalMatch(log); it.hasNext();)
        last = it.next();
    if (!last.hasMatch())
        return false;
    *kind = serverKindFromName(last.captured(1));
    *program = last.captured(2);
    return *kind != ServerKind::Unknown;
}
