#include "app/cli/onlineendpointcommand.h"

#include "app/cli/clisession.h"
#include "app/cli/commands.h"
#include "app/cli/invokeload.h"
#include "app/cli/logprinter.h"
#include "app/cli/trafficsplit.h"
#include "app/invoke/scoringclient.h"
#include "models/endpointspec.h"
#include "models/specedits.h"

#include <QCryptographicHash>
#include <QDateTime>
#include <QEventLoop>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRandomGenerator>
#include <QTextStream>

namespace {

const char *const group = "online-endpoint";

CliOption nameOption(const QString &help = QStringLiteral("the endpoint's name"))
{
    return CliOption::value(QStringLiteral("name"), {QStringLiteral("-n")}, help,
                            QStringLiteral("NAME"));
}

CliOption fileOption(const QString &help)
{
    return CliOption::value(QStringLiteral("file"), {QStringLiteral("-f")}, help,
                            QStringLiteral("FILE"));
}

CliOption setOption()
{
    return CliOption::multi(QStringLiteral("set"), {},
                            QStringLiteral("change the YAML in memory: a dotted path and a value; "
                                           "VALUE null removes the key"),
                            QStringLiteral("PATH=VALUE"));
}

CliOption noWaitOption()
{
    return CliOption::flag(QStringLiteral("no-wait"), {},
                           QStringLiteral("return at once; the work continues in the background"));
}

// The endpoint's YAML as the command line changes it: -f (or `base`), then --set, --name and
// --auth-mode. Never written back.
Result<EndpointSpec> endpointSpec(CliSession &session, const QString &file,
                                  const QByteArray &base = {})
{
    const CliArguments &args = session.args();
    auto edits = SpecEdits::parseSets(args.values(QStringLiteral("set")));
    if (!edits.ok())
        return edits.error();
    if (args.isSet(QStringLiteral("name")))
        edits.value().append({{QStringLiteral("name")}, args.value(QStringLiteral("name")), false});
    if (args.isSet(QStringLiteral("auth-mode")))
        edits.value().append(
            {{QStringLiteral("auth_mode")}, args.value(QStringLiteral("auth-mode")), false});
    Result<YamlDocument> document = file.isEmpty()
                                        ? Result<YamlDocument>(SpecEdits::fromText({}, base))
                                        : SpecEdits::load(file);
    if (!document.ok())
        return document.error();
    auto edited = SpecEdits::apply(std::move(document).value(), edits.value());
    if (!edited.ok())
        return edited.error();
    EndpointSpec spec = EndpointSpec::fromDocument(edited.value());
    spec.filePath = file.isEmpty() ? QString() : QFileInfo(file).absoluteFilePath();
    return spec;
}

int printEndpoint(CliSession &session, const QString &name)
{
    const auto info = session.manager().endpoint(name);
    if (!info)
        return session.endpointNotFound(name);
    return session.print(info->toJson());
}

std::optional<QString> requireName(CliSession &session, int *code)
{
    const QString name = session.args().value(QStringLiteral("name"));
    if (name.isEmpty()) {
        *code =
            session.usageError(QStringLiteral("the following arguments are required: --name/-n"));
        return std::nullopt;
    }
    return name;
}

// Which deployment an invoke without --deployment-name goes to: drawn by the traffic split,
// as Azure's front end does; the only deployment when none has traffic.
std::optional<DeploymentInfo> routeByTraffic(CliSession &session, const EndpointInfo &endpoint,
                                             int *code)
{
    const QList<DeploymentInfo> deployments = session.manager().deployments(endpoint.name);
    if (deployments.isEmpty()) {
        *code = session.fail(
            Cli::Failed,
            QStringLiteral("Local endpoint (%1) has no deployments. Create one first: endpointctl "
                           "online-deployment create --local --endpoint %1 -f <deployment.yml>")
                .arg(endpoint.name));
        return std::nullopt;
    }
    int total = 0;
    for (const DeploymentInfo &d : deployments)
        total += std::max(0, endpoint.traffic.value(d.deployment));
    if (total == 0) {
        if (deployments.size() == 1)
            return deployments.constFirst();
        QStringList names;
        for (const DeploymentInfo &d : deployments)
            names << d.deployment;
        *code = session.fail(
            Cli::Failed, QStringLiteral("Local endpoint (%1) has deployments %2 and no traffic. "
                                        "Pass --deployment-name, or split the traffic: "
                                        "endpointctl online-endpoint update -n %1 --traffic "
                                        "\"%3=100\"")
                             .arg(endpoint.name, names.join(QStringLiteral(", ")), names.first()));
        return std::nullopt;
    }
    int draw = int(QRandomGenerator::global()->bounded(total));
    for (const DeploymentInfo &d : deployments) {
        draw -= std::max(0, endpoint.traffic.value(d.deployment));
        if (draw < 0)
            return d;
    }
    return deployments.constLast();
}

} // namespace

int OnlineEndpointCommand::run(const QStringList &args)
{
    return Cli::dispatch(group, args,
                         {{"create", create},
                          {"show", show},
                          {"list", list},
                          {"update", update},
                          {"delete", remove},
                          {"invoke", invoke},
                          {"get-logs", getLogs},
                          {"get-credentials", getCredentials}});
}

int OnlineEndpointCommand::create(const QStringList &args)
{
    CliSession session(QLatin1String(group), QStringLiteral("create"),
                       QStringLiteral("Create a local endpoint from its YAML (or just a name); "
                                      "an existing one is updated."));
    if (auto stop = session.parse(
            args, {fileOption(QStringLiteral("endpoint YAML, e.g. endpoint.yml")), nameOption(),
                   CliOption::value(QStringLiteral("auth-mode"), {},
                                    QStringLiteral("key or aml_token (recorded; local scoring "
                                                   "does not check it)"),
                                    QStringLiteral("MODE")),
                   setOption(), noWaitOption(),
                   CliOption::flag(QStringLiteral("web"), {}, QStringLiteral("ignored"))}))
        return *stop;
    const QString file = session.args().value(QStringLiteral("file"));
    if (file.isEmpty() && !session.args().isSet(QStringLiteral("name")))
        return session.usageError(
            QStringLiteral("the following arguments are required: --file/-f or --name/-n"));
    auto spec = endpointSpec(
        session, file,
        QStringLiteral("name: %1\n").arg(session.args().value(QStringLiteral("name"))).toUtf8());
    if (!spec.ok())
        return session.fail(Cli::Failed, spec.error().message);
    if (spec->name.isEmpty())
        return session.usageError(QStringLiteral("the endpoint has no name: add 'name:' to %1 "
                                                 "or pass --name")
                                      .arg(file));
    if (auto stop = session.start())
        return *stop;
    if (session.args().isSet(QStringLiteral("no-wait")))
        return session.runDetached(QStringLiteral("Creating endpoint %1").arg(spec->name));
    if (const int code = session.wait(session.manager().createOrUpdateEndpoint(spec.value())))
        return code;
    return printEndpoint(session, spec->name);
}

int OnlineEndpointCommand::show(const QStringList &args)
{
    CliSession session(QLatin1String(group), QStringLiteral("show"),
                       QStringLiteral("Show a local endpoint as az ml online-endpoint show "
                                      "--local does."));
    if (auto stop = session.parse(args, {nameOption(), CliOption::flag(QStringLiteral("web"), {},
                                                                       QStringLiteral("ignored"))}))
        return *stop;
    int code = Cli::Ok;
    const auto name = requireName(session, &code);
    if (!name)
        return code;
    if (auto stop = session.start())
        return *stop;
    return printEndpoint(session, *name);
}

int OnlineEndpointCommand::list(const QStringList &args)
{
    CliSession session(QLatin1String(group), QStringLiteral("list"),
                       QStringLiteral("List the local endpoints."));
    if (auto stop = session.parse(args, {}))
        return *stop;
    if (auto stop = session.start())
        return *stop;
    QJsonArray result;
    for (const EndpointInfo &info : session.manager().endpoints())
        result.append(info.toJson());
    return session.print(result);
}

int OnlineEndpointCommand::update(const QStringList &args)
{
    CliSession session(QLatin1String(group), QStringLiteral("update"),
                       QStringLiteral("Change a local endpoint: its YAML (-f, --set) and its "
                                      "traffic split (--traffic \"blue=90 green=10\")."));
    if (auto stop = session.parse(
            args,
            {nameOption(), fileOption(QStringLiteral("endpoint YAML with the new settings")),
             CliOption::multi(QStringLiteral("traffic"), {QStringLiteral("-r")},
                              QStringLiteral("the split, e.g. \"blue=90 green=10\"; deployments "
                                             "not named get 0"),
                              QStringLiteral("SPLIT")),
             CliOption::multi(QStringLiteral("mirror-traffic"), {},
                              QStringLiteral("not supported locally"), QStringLiteral("SPLIT")),
             setOption(), noWaitOption(),
             CliOption::flag(QStringLiteral("web"), {}, QStringLiteral("ignored"))}))
        return *stop;
    const CliArguments &a = session.args();
    if (a.isSet(QStringLiteral("mirror-traffic")))
        return session.usageError(QStringLiteral("--mirror-traffic is not supported for local "
                                                 "endpoints (use --traffic)"));
    std::optional<QMap<QString, int>> traffic;
    if (a.isSet(QStringLiteral("traffic"))) {
        auto parsed = TrafficSplit::parse(a.values(QStringLiteral("traffic")));
        if (!parsed.ok())
            return session.usageError(parsed.error().message);
        traffic = parsed.value();
    }
    const QString file = a.value(QStringLiteral("file"));
    QString name = a.value(QStringLiteral("name"));
    std::optional<EndpointSpec> spec;
    if (!file.isEmpty() || a.isSet(QStringLiteral("set"))) {
        // Without -f, --set edits the YAML the endpoint was created from.
        if (file.isEmpty() && name.isEmpty())
            return session.usageError(
                QStringLiteral("the following arguments are required: --name/-n or --file/-f"));
    }
    if (!file.isEmpty()) {
        auto loaded = endpointSpec(session, file);
        if (!loaded.ok())
            return session.fail(Cli::Failed, loaded.error().message);
        spec = loaded.value();
        if (name.isEmpty())
            name = spec->name;
    }
    if (name.isEmpty())
        return session.usageError(QStringLiteral("the following arguments are required: "
                                                 "--name/-n"));
    if (!spec && !traffic && !a.isSet(QStringLiteral("set")))
        return session.usageError(QStringLiteral("nothing to update: pass --traffic, --set or "
                                                 "--file"));
    if (auto stop = session.start())
        return *stop;
    const auto existing = session.manager().endpoint(name);
    if (!existing)
        return session.endpointNotFound(name);
    if (!spec && a.isSet(QStringLiteral("set"))) {
        const QString base = existing->sourceYaml;
        auto loaded = base.isEmpty() ? endpointSpec(session, {},
                                                    QStringLiteral("name: %1\nauth_mode: %2\n")
                                                        .arg(existing->name, existing->authMode)
                                                        .toUtf8())
                                     : endpointSpec(session, base);
        if (!loaded.ok())
            return session.fail(Cli::Failed, loaded.error().message);
        spec = loaded.value();
    }
    if (traffic) {
        int total = 0;
        for (auto it = traffic->cbegin(); it != traffic->cend(); ++it) {
            if (!session.manager().deployment(name, it.key()))
                return session.deploymentNotFound(name, it.key());
            total += it.value();
        }
        if (total > 100)
            return session.fail(Cli::Failed,
                                QStringLiteral("Traffic rule percentages must sum to less than or "
                                               "equal to 100% (they sum to %1%)")
                                    .arg(total));
        // As on Azure, the split replaces the old one: deployments not named get 0.
        for (const DeploymentInfo &d : session.manager().deployments(name)) {
            if (!traffic->contains(d.deployment))
                traffic->insert(d.deployment, 0);
        }
    }
    if (a.isSet(QStringLiteral("no-wait")))
        return session.runDetached(QStringLiteral("Updating endpoint %1").arg(name));
    if (spec) {
        if (spec->name != name)
            return session.usageError(
                QStringLiteral("the YAML names endpoint '%1' but --name is '%2'")
                    .arg(spec->name, name));
        if (const int code = session.wait(session.manager().createOrUpdateEndpoint(*spec)))
            return code;
    }
    if (traffic) {
        if (const int code = session.wait(session.manager().setTraffic(name, *traffic)))
            return code;
    }
    return printEndpoint(session, name);
}

int OnlineEndpointCommand::remove(const QStringList &args)
{
    CliSession session(QLatin1String(group), QStringLiteral("delete"),
                       QStringLiteral("Delete a local endpoint and all of its deployments "
                                      "(containers, volumes, data; images are kept)."));
    if (auto stop =
            session.parse(args, {nameOption(),
                                 CliOption::flag(QStringLiteral("yes"), {QStringLiteral("-y")},
                                                 QStringLiteral("do not prompt for confirmation")),
                                 noWaitOption()}))
        return *stop;
    int code = Cli::Ok;
    const auto name = requireName(session, &code);
    if (!name)
        return code;
    if (auto stop = session.start())
        return *stop;
    const auto existing = session.manager().endpoint(*name);
    if (!existing)
        return session.endpointNotFound(*name);
    if (const int refused = session.confirm(
            QStringLiteral("Local endpoint %1 and its deployments (%2) will be deleted.")
                .arg(*name, existing->deployments.isEmpty()
                                ? QStringLiteral("none")
                                : existing->deployments.join(QStringLiteral(", ")))))
        return refused;
    if (session.args().isSet(QStringLiteral("no-wait")))
        return session.runDetached(QStringLiteral("Deleting endpoint %1").arg(*name));
    return session.wait(session.manager().deleteEndpoint(*name));
}

int OnlineEndpointCommand::invoke(const QStringList &args)
{
    CliSession session(QLatin1String(group), QStringLiteral("invoke"),
                       QStringLiteral("POST a request file to the endpoint's scoring URI and print "
                                      "the response (a JSON string, as az prints it; -o tsv "
                                      "prints it raw). With --repeat or --duration: a load run, "
                                      "and its summary is printed instead."));
    if (auto stop = session.parse(
            args,
            QList<CliOption>{
                nameOption(),
                CliOption::value(QStringLiteral("request-file"), {QStringLiteral("-r")},
                                 QStringLiteral("the JSON request body"), QStringLiteral("FILE")),
                CliOption::value(QStringLiteral("deployment-name"), {QStringLiteral("-d")},
                                 QStringLiteral("score this deployment (header "
                                                "azureml-model-deployment); default: drawn by "
                                                "the traffic split"),
                                 QStringLiteral("DEPLOYMENT"))} +
                InvokeLoad::options()))
        return *stop;
    int code = Cli::Ok;
    const auto name = requireName(session, &code);
    if (!name)
        return code;
    if (const QString stray = InvokeLoad::strayOption(session.args()); !stray.isEmpty())
        return session.usageError(
            QStringLiteral("%1 belongs to a load run: add --repeat N or --duration S").arg(stray));
    std::optional<LoadPlan> load;
    if (InvokeLoad::requested(session.args()) && !(load = InvokeLoad::plan(session, &code)))
        return code;
    const QString requestFile = session.args().value(QStringLiteral("request-file"));
    if (requestFile.isEmpty())
        return session.usageError(
            QStringLiteral("the following arguments are required: --request-file/-r"));
    QFile file(requestFile);
    if (!file.open(QIODevice::ReadOnly))
        return session.usageError(QStringLiteral("cannot read the request file %1: %2")
                                      .arg(requestFile, file.errorString()));
    const QByteArray body = file.readAll();
    QJsonParseError parseError;
    QJsonDocument::fromJson(body, &parseError);
    if (parseError.error != QJsonParseError::NoError)
        return session.fail(Cli::Failed, QStringLiteral("%1 is not valid JSON: %2 at offset %3")
                                             .arg(requestFile, parseError.errorString())
                                             .arg(parseError.offset));
    if (auto stop = session.start())
        return *stop;
    const auto endpoint = session.manager().endpoint(*name);
    if (!endpoint)
        return session.endpointNotFound(*name);
    const QString chosen = session.args().value(QStringLiteral("deployment-name"));
    std::optional<DeploymentInfo> target;
    if (!chosen.isEmpty()) {
        target = session.manager().deployment(*name, chosen);
        if (!target)
            return session.deploymentNotFound(*name, chosen);
    } else {
        target = routeByTraffic(session, *endpoint, &code);
        if (!target)
            return code;
    }
    if (target->scoringUri.isEmpty())
        return session.fail(Cli::Failed,
                            QStringLiteral("Local deployment (%1 / %2) has no scoring URI; it is "
                                           "%3. %4")
                                .arg(*name, target->deployment,
                                     provisioningStateName(target->state), target->failureReason));

    ScoringRequest request;
    request.url = QUrl(target->scoringUri);
    request.body = body;
    request.deployment = chosen;
    if (load) {
        load->request = request;
        load->target = target->deployment;
        return InvokeLoad::run(
            session, *load,
            LoadTargetFacts::fromDeploymentYaml(target->sourceYaml, target->deployment));
    }
    ScoringClient client;
    ScoringResponse response;
    QEventLoop loop;
    QObject::connect(&client, &ScoringClient::finished, &loop,
                     [&response, &loop](const ScoringResponse &r) {
                         response = r;
                         loop.quit();
                     });
    client.send(request);
    loop.exec();
    if (!response.completed())
        return session.fail(Cli::Failed,
                            QStringLiteral("no answer from %1 (deployment %2, %3): %4")
                                .arg(target->scoringUri, target->deployment,
                                     provisioningStateName(target->state), response.error));
    const int printed = session.print(QJsonValue(QString::fromUtf8(response.body)));
    if (!response.isSuccess())
        return session.fail(
            Cli::Failed, QStringLiteral("%1 answered %2 (deployment %3)")
                             .arg(target->scoringUri, response.statusText(), target->deployment));
    return printed;
}

int OnlineEndpointCommand::getLogs(const QStringList &args)
{
    CliSession session(QLatin1String(group), QStringLiteral("get-logs"),
                       QStringLiteral("Print the logs of the endpoint's deployment (the one with "
                                      "the most traffic, or the only one)."));
    const CliOption deploymentName =
        CliOption::value(QStringLiteral("deployment-name"), {QStringLiteral("-d")},
                         QStringLiteral("the deployment"), QStringLiteral("DEPLOYMENT"));
    if (auto stop = session.parse(args, QList<CliOption>{nameOption(), deploymentName} +
                                            LogPrinter::options()))
        return *stop;
    int code = Cli::Ok;
    const auto name = requireName(session, &code);
    if (!name)
        return code;
    if (auto stop = session.start())
        return *stop;
    const auto endpoint = session.manager().endpoint(*name);
    if (!endpoint)
        return session.endpointNotFound(*name);
    QString deployment = session.args().value(QStringLiteral("deployment-name"));
    if (deployment.isEmpty()) {
        if (endpoint->deployments.isEmpty())
            return session.fail(
                Cli::Failed, QStringLiteral("Local endpoint (%1) has no deployments.").arg(*name));
        deployment = endpoint->primaryDeployment();
        if (deployment.isEmpty())
            return session.fail(Cli::Failed,
                                QStringLiteral("Local endpoint (%1) has deployments %2 and no "
                                               "traffic. Pass --deployment-name.")
                                    .arg(*name, endpoint->deployments.join(QStringLiteral(", "))));
    }
    const auto info = session.manager().deployment(*name, deployment);
    if (!info)
        return session.deploymentNotFound(*name, deployment);
    return LogPrinter::run(session, *info);
}

int OnlineEndpointCommand::getCredentials(const QStringList &args)
{
    CliSession session(QLatin1String(group), QStringLiteral("get-credentials"),
                       QStringLiteral("Keys of a local endpoint. Local scoring URIs take no "
                                      "authentication, so these are stand-ins that let cloud "
                                      "scripts run unchanged."));
    if (auto stop = session.parse(args, {nameOption()}))
        return *stop;
    int code = Cli::Ok;
    const auto name = requireName(session, &code);
    if (!name)
        return code;
    if (auto stop = session.start())
        return *stop;
    const auto endpoint = session.manager().endpoint(*name);
    if (!endpoint)
        return session.endpointNotFound(*name);
    auto stand_in = [&](const char *which) {
        return QString::fromLatin1(
            QCryptographicHash::hash((endpoint->name + QLatin1String(which)).toUtf8(),
                                     QCryptographicHash::Sha256)
                .toBase64());
    };
    if (!session.args().isSet(QStringLiteral("only-show-errors")))
        QTextStream(stderr) << "Note: local endpoints do not check keys or tokens; any value "
                               "works in the Authorization header.\n";
    if (endpoint->authMode == u"key")
        return session.print(QJsonObject{{QStringLiteral("primaryKey"), stand_in("primary")},
                                         {QStringLiteral("secondaryKey"), stand_in("secondary")}});
    const QDateTime now = QDateTime::currentDateTimeUtc();
    return session.print(QJsonObject{
        {QStringLiteral("accessToken"), stand_in("token")},
        {QStringLiteral("tokenType"), QStringLiteral("Bearer")},
        {QStringLiteral("expiryTimeUtc"), now.addSecs(24 * 3600).toSecsSinceEpoch()},
        {QStringLiteral("refreshAfterTimeUtc"), now.addSecs(12 * 3600).toSecsSinceEpoch()}});
}
