#include "app/cli/onlinedeploymentcommand.h"

#include "app/cli/clisession.h"
#include "app/cli/commands.h"
#include "app/cli/logprinter.h"
#include "app/cli/specedits.h"
#include "models/deploymentspec.h"

#include <QFileInfo>
#include <QJsonArray>
#include <QTextStream>

namespace {

const char *const group = "online-deployment";

CliOption nameOption()
{
    return CliOption::value(QStringLiteral("name"), {QStringLiteral("-n")},
                            QStringLiteral("the deployment's name"), QStringLiteral("NAME"));
}

CliOption endpointOption()
{
    return CliOption::value(QStringLiteral("endpoint-name"),
                            {QStringLiteral("-e"), QStringLiteral("--endpoint")},
                            QStringLiteral("the endpoint's name"), QStringLiteral("ENDPOINT"));
}

struct Target
{
    QString endpoint;
    QString deployment;
};

// -n and -e, both required.
std::optional<Target> requireTarget(CliSession &session, int *code)
{
    Target target{session.args().value(QStringLiteral("endpoint-name")),
                  session.args().value(QStringLiteral("name"))};
    QStringList missing;
    if (target.deployment.isEmpty())
        missing << QStringLiteral("--name/-n");
    if (target.endpoint.isEmpty())
        missing << QStringLiteral("--endpoint-name/-e");
    if (!missing.isEmpty()) {
        *code = session.usageError(QStringLiteral("the following arguments are required: ") +
                                   missing.join(QStringLiteral(", ")));
        return std::nullopt;
    }
    return target;
}

// The deployment YAML as the command line changes it (--set, --name, --endpoint-name), in
// memory only.
Result<DeploymentSpec> deploymentSpec(CliSession &session, const QString &file)
{
    const CliArguments &args = session.args();
    auto edits = SpecEdits::parseSets(args.values(QStringLiteral("set")));
    if (!edits.ok())
        return edits.error();
    if (args.isSet(QStringLiteral("name")))
        edits.value().append({{QStringLiteral("name")}, args.value(QStringLiteral("name")), false});
    if (args.isSet(QStringLiteral("endpoint-name")))
        edits.value().append({{QStringLiteral("endpoint_name")},
                              args.value(QStringLiteral("endpoint-name")),
                              false});
    auto document = SpecEdits::load(file);
    if (!document.ok())
        return document.error();
    auto edited = SpecEdits::apply(std::move(document).value(), edits.value());
    if (!edited.ok())
        return edited.error();
    DeploymentSpec spec = DeploymentSpec::fromDocument(edited.value());
    spec.filePath = QFileInfo(file).absoluteFilePath();
    return spec;
}

int printDeployment(CliSession &session, const QString &endpoint, const QString &deployment)
{
    const auto info = session.manager().deployment(endpoint, deployment);
    if (!info)
        return session.deploymentNotFound(endpoint, deployment);
    return session.print(info->toJson());
}

} // namespace

int OnlineDeploymentCommand::run(const QStringList &args)
{
    return Cli::dispatch(group, args,
                         {{"create",
                           [](const QStringList &a) {
                               return createOrUpdate(a, true);
                           }},
                          {"update",
                           [](const QStringList &a) {
                               return createOrUpdate(a, false);
                           }},
                          {"show", show},
                          {"list", list},
                          {"get-logs", getLogs},
                          {"delete", remove}});
}

int OnlineDeploymentCommand::createOrUpdate(const QStringList &args, bool create)
{
    const QString command = create ? QStringLiteral("create") : QStringLiteral("update");
    CliSession session(
        QLatin1String(group), command,
        create ? QStringLiteral("Deploy a deployment YAML locally: image, storage initializer, "
                                "inference server, readiness. Fails if it exists (use update); "
                                "a missing endpoint is created.")
               : QStringLiteral("Redeploy an existing local deployment from its YAML (-f, or the "
                                "file it was created from) with --set edits. Code or model "
                                "changes restage without rebuilding the image."));
    QList<CliOption> options{
        CliOption::value(QStringLiteral("file"), {QStringLiteral("-f")},
                         create ? QStringLiteral("deployment YAML, e.g. blue-deployment.yml")
                                : QStringLiteral("deployment YAML (default: the one it was "
                                                 "created from)"),
                         QStringLiteral("FILE")),
        nameOption(),
        endpointOption(),
        CliOption::multi(QStringLiteral("set"), {},
                         QStringLiteral("change the YAML in memory: a dotted path and a value; "
                                        "VALUE null removes the key"),
                         QStringLiteral("PATH=VALUE")),
        CliOption::flag(QStringLiteral("no-wait"), {},
                        QStringLiteral("return at once; the deployment continues in the "
                                       "background")),
        CliOption::flag(QStringLiteral("skip-script-validation"), {}, QStringLiteral("accepted")),
        CliOption::flag(QStringLiteral("allow-sensitive-sources"), {},
                        QStringLiteral("copy a model or code from a place that may hold secrets "
                                       "(~/.ssh, ~/.azure, ~/.config, /etc, /, the data folder) or "
                                       "through symbolic links leading out of its folder")),
        CliOption::flag(QStringLiteral("web"), {}, QStringLiteral("ignored")),
        CliOption::flag(QStringLiteral("vscode-debug"), {},
                        QStringLiteral("not supported (use get-logs --follow)")),
        CliOption::flag(QStringLiteral("local-enable-gpu"), {},
                        QStringLiteral("pass this machine's GPUs to the server (docker run --gpus "
                                       "all; needs an NVIDIA driver and the NVIDIA Container "
                                       "Toolkit)")),
    };
    if (create)
        options.insert(4, CliOption::flag(QStringLiteral("all-traffic"), {},
                                          QStringLiteral("send all of the endpoint's traffic to "
                                                         "this deployment once it succeeds")));
    if (auto stop = session.parse(args, options))
        return *stop;
    const CliArguments &a = session.args();
    for (const char *unsupported : {"vscode-debug"}) {
        if (a.isSet(QLatin1String(unsupported)))
            return session.usageError(QStringLiteral("--%1 is not supported by endpointctl")
                                          .arg(QLatin1String(unsupported)));
    }
    DeployOptions deployOptions;
    deployOptions.enableGpu = a.isSet(QStringLiteral("local-enable-gpu"));
    if (a.isSet(QStringLiteral("all-traffic")) && a.isSet(QStringLiteral("no-wait")))
        return session.usageError(QStringLiteral("--all-traffic cannot be used with --no-wait "
                                                 "(the traffic moves once the deployment "
                                                 "succeeds)"));
    QString file = a.value(QStringLiteral("file"));
    if (create && file.isEmpty())
        return session.usageError(QStringLiteral("the following arguments are required: "
                                                 "--file/-f"));
    std::optional<DeploymentSpec> spec;
    if (!file.isEmpty()) {
        auto loaded = deploymentSpec(session, file);
        if (!loaded.ok())
            return session.fail(Cli::Failed, loaded.error().message);
        spec = loaded.value();
    } else if (a.value(QStringLiteral("name")).isEmpty() ||
               a.value(QStringLiteral("endpoint-name")).isEmpty()) {
        return session.usageError(QStringLiteral("the following arguments are required: "
                                                 "--file/-f, or --name/-n and --endpoint-name/-e"));
    }
    if (spec) {
        QStringList missing;
        if (spec->name.isEmpty())
            missing << QStringLiteral("a name ('name:' or --name)");
        if (spec->endpointName.isEmpty())
            missing << QStringLiteral("an endpoint ('endpoint_name:' or --endpoint-name)");
        if (!missing.isEmpty())
            return session.usageError(
                QStringLiteral("%1 has no %2").arg(file, missing.join(QStringLiteral(" and "))));
    }
    const QString endpoint = spec ? spec->endpointName : a.value(QStringLiteral("endpoint-name"));
    const QString deployment = spec ? spec->name : a.value(QStringLiteral("name"));

    if (auto stop = session.start())
        return *stop;
    DeploymentManager &manager = session.manager();
    const auto existing = manager.deployment(endpoint, deployment);
    if (create && existing)
        return session.fail(Cli::Failed,
                            QStringLiteral("Local deployment (%1 / %2) already exists (%3). Use "
                                           "'endpointctl online-deployment update' to change it.")
                                .arg(endpoint, deployment, provisioningStateName(existing->state)));
    if (!create && !existing)
        return session.deploymentNotFound(endpoint, deployment);
    if (!spec) {
        if (existing->sourceYaml.isEmpty())
            return session.usageError(QStringLiteral("Local deployment (%1 / %2) was not created "
                                                     "from a YAML file here; pass --file")
                                          .arg(endpoint, deployment));
        file = existing->sourceYaml;
        auto loaded = deploymentSpec(session, file);
        if (!loaded.ok())
            return session.fail(Cli::Failed, loaded.error().message);
        spec = loaded.value();
        if (spec->name != deployment || spec->endpointName != endpoint)
            return session.fail(
                Cli::Failed, QStringLiteral("%1 now describes %2 / %3, not %4 / %5; pass "
                                            "--file")
                                 .arg(file, spec->endpointName, spec->name, endpoint, deployment));
    }
    if (a.isSet(QStringLiteral("no-wait")))
        return session.runDetached(
            QStringLiteral("%1 deployment %2 / %3")
                .arg(create ? QStringLiteral("Creating") : QStringLiteral("Updating"), endpoint,
                     deployment));
    if (!a.isSet(QStringLiteral("only-show-errors"))) {
        QString runtime = runtimeKindName(manager.runtimeKind());
        if (manager.runtimeKind() == RuntimeKind::Process && !manager.engineProblem().isEmpty())
            runtime += QStringLiteral(" (no container engine: ") +
                       manager.engineProblem().section(QLatin1Char('\n'), 0, 0) + QLatin1Char(')');
        QTextStream(stderr) << (create ? "Creating" : "Updating") << " local deployment ("
                            << endpoint << " / " << deployment << ") on the " << runtime
                            << " runtime\n";
    }
    deployOptions.allowSensitiveSources = a.isSet(QStringLiteral("allow-sensitive-sources"));
    if (const int code = session.wait(manager.deploy(*spec, std::nullopt, deployOptions)))
        return code;
    if (a.isSet(QStringLiteral("all-traffic"))) {
        QMap<QString, int> traffic;
        for (const DeploymentInfo &d : manager.deployments(endpoint))
            traffic.insert(d.deployment, d.deployment == deployment ? 100 : 0);
        traffic.insert(deployment, 100);
        if (const int code = session.wait(manager.setTraffic(endpoint, traffic)))
            return code;
    }
    // Print what a fresh process would read back (the deploy's own record lacks a few ids).
    if (const int code = session.wait(manager.refresh()))
        return code;
    const auto info = manager.deployment(endpoint, deployment);
    // Said again at the end: on a terminal the progress lines are rewritten in place.
    if (info && !a.isSet(QStringLiteral("only-show-errors"))) {
        QTextStream err(stderr);
        if (info->settings.server == ServerKind::BuiltIn)
            err << "WARNING: server: built-in. " << ServerSettings::notInEnvironmentNote() << '\n';
        for (const QString &note : info->settings.notes)
            err << "NOTE: " << note << '\n';
    }
    if (info && info->state == ProvisioningState::Failed) {
        session.print(info->toJson());
        return session.fail(Cli::Failed, info->failureReason);
    }
    return printDeployment(session, endpoint, deployment);
}

int OnlineDeploymentCommand::show(const QStringList &args)
{
    CliSession session(QLatin1String(group), QStringLiteral("show"),
                       QStringLiteral("Show a local deployment: its YAML as JSON with "
                                      "instance_type local, provisioning_state, scoring_uri, and "
                                      "the studio's details under 'studio'."));
    if (auto stop = session.parse(
            args, {nameOption(), endpointOption(),
                   CliOption::flag(QStringLiteral("web"), {}, QStringLiteral("ignored"))}))
        return *stop;
    int code = Cli::Ok;
    const auto target = requireTarget(session, &code);
    if (!target)
        return code;
    if (auto stop = session.start())
        return *stop;
    return printDeployment(session, target->endpoint, target->deployment);
}

int OnlineDeploymentCommand::list(const QStringList &args)
{
    CliSession session(QLatin1String(group), QStringLiteral("list"),
                       QStringLiteral("List the deployments of a local endpoint."));
    if (auto stop = session.parse(args, {endpointOption()}))
        return *stop;
    const QString endpoint = session.args().value(QStringLiteral("endpoint-name"));
    if (endpoint.isEmpty())
        return session.usageError(
            QStringLiteral("the following arguments are required: --endpoint-name/-e"));
    if (auto stop = session.start())
        return *stop;
    if (!session.manager().endpoint(endpoint))
        return session.endpointNotFound(endpoint);
    QJsonArray result;
    for (const DeploymentInfo &info : session.manager().deployments(endpoint))
        result.append(info.toJson());
    return session.print(result);
}

int OnlineDeploymentCommand::getLogs(const QStringList &args)
{
    CliSession session(QLatin1String(group), QStringLiteral("get-logs"),
                       QStringLiteral("Print a deployment's container logs (they stay readable "
                                      "after the container exits)."));
    if (auto stop = session.parse(args, QList<CliOption>{nameOption(), endpointOption()} +
                                            LogPrinter::options()))
        return *stop;
    int code = Cli::Ok;
    const auto target = requireTarget(session, &code);
    if (!target)
        return code;
    if (auto stop = session.start())
        return *stop;
    const auto info = session.manager().deployment(target->endpoint, target->deployment);
    if (!info)
        return session.deploymentNotFound(target->endpoint, target->deployment);
    return LogPrinter::run(session, *info);
}

int OnlineDeploymentCommand::remove(const QStringList &args)
{
    CliSession session(QLatin1String(group), QStringLiteral("delete"),
                       QStringLiteral("Delete a local deployment: its containers, volume and "
                                      "data (images are kept)."));
    if (auto stop = session.parse(
            args,
            {nameOption(), endpointOption(),
             CliOption::flag(QStringLiteral("yes"), {QStringLiteral("-y")},
                             QStringLiteral("do not prompt for confirmation")),
             CliOption::flag(QStringLiteral("no-wait"), {}, QStringLiteral("return at once"))}))
        return *stop;
    int code = Cli::Ok;
    const auto target = requireTarget(session, &code);
    if (!target)
        return code;
    if (auto stop = session.start())
        return *stop;
    if (!session.manager().deployment(target->endpoint, target->deployment))
        return session.deploymentNotFound(target->endpoint, target->deployment);
    if (const int refused = session.confirm(QStringLiteral("Local deployment (%1 / %2) will be "
                                                           "deleted.")
                                                .arg(target->endpoint, target->deployment)))
        return refused;
    if (session.args().isSet(QStringLiteral("no-wait")))
        return session.runDetached(QStringLiteral("Deleting deployment %1 / %2")
                                       .arg(target->endpoint, target->deployment));
    return session.wait(session.manager().deleteDeployment(target->endpoint, target->deployment));
}
