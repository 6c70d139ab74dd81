#include "app/deploymentmanager.h"

#include <QDir>
#include <QStandardPaths>
#include <QTimer>

struct DeploymentManager::Private
{
    Options options;
    QString dataDir;
    OperationId nextOp = 1;
    QHash<OperationId, ErrorKind> errors;
};

DeploymentManager::DeploymentManager(QObject *parent)
    : DeploymentManager(Options{}, parent)
{}

DeploymentManager::DeploymentManager(const Options &options, QObject *parent)
    : QObject(parent)
    , d(std::make_unique<Private>())
{
    d->options = options;
    d->dataDir = options.dataDir.isEmpty() ? defaultDataDir() : options.dataDir;
}

DeploymentManager::~DeploymentManager() = default;

QString DeploymentManager::defaultDataDir()
{
    QString base = qEnvironmentVariable("XDG_DATA_HOME");
    if (base.isEmpty())
        base = QDir::homePath() + QStringLiteral("/.local/share");
    return base + QStringLiteral("/endpoint-studio");
}

std::optional<DeploymentManager::RuntimeChoice>
DeploymentManager::runtimeChoiceFromName(const QString &name)
{
    if (name == u"automatic" || name == u"auto")
        return RuntimeChoice::Automatic;
    if (name == u"docker")
        return RuntimeChoice::Docker;
    if (name == u"process")
        return RuntimeChoice::Process;
    return std::nullopt;
}

QString DeploymentManager::dataDir() const
{
    return d->dataDir;
}
const DeploymentManager::Options &DeploymentManager::options() const
{
    return d->options;
}
QString DeploymentManager::containerProgram() const
{
    return d->options.containerProgram.isEmpty() ? QStringLiteral("docker")
                                                 : d->options.containerProgram;
}
RuntimeKind DeploymentManager::runtimeKind() const
{
    return d->options.runtime == RuntimeChoice::Process ? RuntimeKind::Process
                                                        : RuntimeKind::Docker;
}
bool DeploymentManager::runtimeResolved() const
{
    return false;
}
QString DeploymentManager::engineProblem() const
{
    return {};
}

// The runtime is being written; until it lands every operation reports that plainly.
static DeploymentManager::OperationId notYet(DeploymentManager *self, quint64 op)
{
    QTimer::singleShot(0, self, [self, op] {
        emit self->finished(op, false, QStringLiteral("local deployments are not built yet"));
    });
    return op;
}

DeploymentManager::OperationId DeploymentManager::refresh()
{
    return notYet(this, d->nextOp++);
}
DeploymentManager::OperationId DeploymentManager::createOrUpdateEndpoint(const QString &)
{
    return notYet(this, d->nextOp++);
}
DeploymentManager::OperationId DeploymentManager::createOrUpdateEndpoint(const EndpointSpec &)
{
    return notYet(this, d->nextOp++);
}
DeploymentManager::OperationId DeploymentManager::deploy(const QString &, const QString &)
{
    return notYet(this, d->nextOp++);
}
DeploymentManager::OperationId DeploymentManager::deploy(const DeploymentSpec &,
                                                         const std::optional<EndpointSpec> &)
{
    return notYet(this, d->nextOp++);
}
DeploymentManager::OperationId DeploymentManager::setTraffic(const QString &,
                                                             const QMap<QString, int> &)
{
    return notYet(this, d->nextOp++);
}
DeploymentManager::OperationId DeploymentManager::deleteDeployment(const QString &, const QString &)
{
    return notYet(this, d->nextOp++);
}
DeploymentManager::OperationId DeploymentManager::deleteEndpoint(const QString &)
{
    return notYet(this, d->nextOp++);
}
bool DeploymentManager::cancel(OperationId)
{
    return false;
}
QList<EndpointInfo> DeploymentManager::endpoints() const
{
    return {};
}
std::optional<EndpointInfo> DeploymentManager::endpoint(const QString &) const
{
    return std::nullopt;
}
QList<DeploymentInfo> DeploymentManager::deployments(const QString &) const
{
    return {};
}
std::optional<DeploymentInfo> DeploymentManager::deployment(const QString &, const QString &) const
{
    return std::nullopt;
}
bool DeploymentManager::isRunning(OperationId) const
{
    return false;
}
DeploymentManager::ErrorKind DeploymentManager::errorKind(OperationId op) const
{
    return d->errors.value(op, ErrorKind::None);
}
