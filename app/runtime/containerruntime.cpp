#include "app/runtime/containerruntime.h"

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
