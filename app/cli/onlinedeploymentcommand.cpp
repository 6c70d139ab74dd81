#include "app/cli/onlinedeploymentcommand.h"

#include "app/cli/clisession.h"
#include "app/cli/commands.h"
#include "app/cli/diagnosticprinter.h"
#include "app/cli/logprinter.h"
#include "models/deploymentgate.h"
#include "models/specedits.h"

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

void writeErr(const QString &text)
{
    QTextStream(stderr) << text;
}

// The gate every create and update passes: the YAML as it will be deployed (the file or the
// deployed spec, with --name, --endpoint-name and --set), checked the way Azure reads it. Prints
// the diagnostics as `validate` does; std::nullopt to go on, else the exit code.
std::optional<int> passGate(CliSession &session, const DeploymentGate::Outcome &outcome)
{
    const bool quiet = session.args().isSet(QStringLiteral("only-show-errors"));
    Diagnostics shown;
    for (const Diagnostic &d : outcome.diagnostics) {
        if (!quiet || d.severity == Severity::Error)
            shown.append(d);
    }
    writeErr(DiagnosticPrinter::text(shown));
    if (!outcome.failure.isEmpty())
        return session.fail(Cli::Failed, outcome.failure);
    if (!outcome.blocked())
        return std::nullopt;
    if (session.args().isSet(QStringLiteral("skip-validation"))) {
        // Allowed, never quietly: the deploy goes on with a file Azure ML would refuse.
        writeErr(QStringLiteral("WARNING: --skip-validation: deploying despite %1 (%2); Azure "
                                "ML would refuse this file, and the local deployment may not "
                                "behave as Azure's would\n")
                     .arg(DiagnosticPrinter::counts(outcome.diagnostics),
                          DiagnosticPrinter::displayPath(outcome.spec.filePath)));
        return std::nullopt;
    }
    return session.fail(Cli::Failed,
                        outcome.refusal() +
                            QStringLiteral(". Fix the file (or run 'endpointctl validate %1'); "
                                           "--skip-validation deploys anyway.")
                                .arg(DiagnosticPrinter::displayPath(outcome.spec.filePath)));
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
                                "inference server, readiness. The YAML (with --set) is checked "
                                "first as `endpointctl validate` checks it; an error stops the "
                                "deploy before anything runs. Fails if it exists (use update); "
                                "a missing endpoint is created.")
               : QStringLiteral("Redeploy an existing local deployment: from -f FILE, or without "
                                "it from the specification it was deployed with (earlier --set "
                                "edits kept), plus this command's --set edits. Code or model "
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
        CliOption::flag(QStringLiteral("skip-validation"), {},
                        QStringLiteral("deploy even when the YAML has errors Azure ML would "
                                       "refuse (said loudly on stderr)")),
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
    const QString file = a.value(QStringLiteral("file"));
    if (create && file.isEmpty())
        return session.usageError(QStringLiteral("the following arguments are required: "
                                                 "--file/-f"));
    if (file.isEmpty() && (a.value(QStringLiteral("name")).isEmpty() ||
                           a.value(QStringLiteral("endpoint-name")).isEmpty()))
        return session.usageError(QStringLiteral("the following arguments are required: "
                                                 "--file/-f, or --name/-n and --endpoint-name/-e"));
    auto edits = SpecEdits::parseSets(a.values(QStringLiteral("set")));
    if (!edits.ok())
        return session.usageError(edits.error().message);
    DeploymentGate::Request request;
    request.name = a.value(QStringLiteral("name"));
    request.endpointName = a.value(QStringLiteral("endpoint-name"));
    request.edits = edits.value();
    std::optional<DeploymentGate::Outcome> outcome;
    if (!file.isEmpty()) {
        // Checked before the engine is asked anything: a refused file touches nothing.
        request.file = QFileInfo(file).absoluteFilePath();
        request.context = DeploymentGate::contextForFolder(request.file);
        outcome = DeploymentGate::check(request);
        if (auto stop = passGate(session, *outcome))
            return *stop;
        QStringList missing;
        if (outcome->spec.name.isEmpty())
            missing << QStringLiteral("a name ('name:' or --name)");
        if (outcome->spec.endpointName.isEmpty())
            missing << QStringLiteral("an endpoint ('endpoint_name:' or --endpoint-name)");
        if (!missing.isEmpty())
            return session.usageError(
                QStringLiteral("%1 has no %2").arg(file, missing.join(QStringLiteral(" and "))));
    }
    const QString endpoint = outcome ? outcome->spec.endpointName : request.endpointName;
    const QString deployment = outcome ? outcome->spec.name : request.name;

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
    if (!outcome) {
        // Azure's update without a file changes the deployment as it is: start from the spec
        // that was deployed (with the --set edits of earlier creates and updates).
        if (existing->sourceYaml.isEmpty())
            return session.usageError(QStringLiteral("Local deployment (%1 / %2) was not created "
                                                     "from a YAML file here; pass --file")
                                          .arg(endpoint, deployment));
        request.file = existing->sourceYaml;
        request.text = existing->deployedYaml;
        if (!a.isSet(QStringLiteral("only-show-errors")))
            writeErr(
                request.text.isEmpty()
                    ? QStringLiteral("Updating from %1 (no deployed specification was "
                                     "recorded)\n")
                          .arg(DiagnosticPrinter::displayPath(request.file))
                    : QStringLiteral("Updating from the deployed specification of %1 / %2 "
                                     "(from %3, with its earlier --set edits)\n")
                          .arg(endpoint, deployment, DiagnosticPrinter::displayPath(request.file)));
        request.context = DeploymentGate::contextForFolder(request.file);
        outcome = DeploymentGate::check(request);
        if (auto stop = passGate(session, *outcome))
            return *stop;
        if (outcome->spec.name != deployment || outcome->spec.endpointName != endpoint)
            return session.fail(Cli::Failed,
                                QStringLiteral("%1 now describes %2 / %3, not %4 / %5; pass "
                                               "--file")
                                    .arg(request.file, outcome->spec.endpointName,
                                         outcome->spec.name, endpoint, deployment));
    }
    const DeploymentSpec spec = outcome->spec;
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
    if (const int code = session.wait(manager.deploy(spec, std::nullopt, deployOptions)))
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
