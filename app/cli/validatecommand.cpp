#include "app/cli/commands.h"

#include "app/cli/diagnosticprinter.h"
#include "models/validationrules.h"
#include "models/workspace.h"

#include <QDir>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTextStream>

#include <algorithm>

namespace Cli {

namespace {

const char *const validateUsage = R"(usage: endpointctl validate PATH... [-o|--output text|json]
                           [--endpoint-name NAME] [--target local|azure]

Checks endpoint and deployment YAML files, or every YAML under the given folders, the way
Azure ML reads them (the rules of azure-ai-ml's schemas and local endpoint code, listed with
their sources in resources/validation/rules.yml): keys, types and allowed values, names,
traffic, environment, referenced files and the scoring script's init() and run(). Cross-file
rules (traffic names, endpoint_name) use the other YAML files of each folder.

  --endpoint-name NAME  the endpoint the deployments go to, as `online-deployment create -e`
                        gives it (a deployment YAML then needs no endpoint_name)
  --target local        (default) what stops a deploy here is an error; what only Azure's
                        cloud refuses (name patterns, value ranges) is a warning
  --target azure        Azure's cloud and service rules are errors too: fail a CI job before
                        a cloud deploy does
  -o, --output json     one object per diagnostic, with the Azure source of its rule

Prints `file:line:col: severity: message [code]` lines, each followed by a fix hint.
exit codes: 0 no errors, 1 errors found, 2 usage error or unreadable path
)";

} // namespace

int runValidate(const QStringList &args)
{
    QTextStream out(stdout);
    QTextStream err(stderr);
    QStringList paths;
    bool json = false;
    QString endpointName;
    Validator::Options options;
    for (int i = 0; i < args.size(); ++i) {
        const QString &a = args.at(i);
        if (a == u"-h" || a == u"--help") {
            out << validateUsage;
            return Ok;
        }
        if (a == u"-o" || a == u"--output" || a.startsWith(QLatin1String("--output="))) {
            QString format;
            if (a.startsWith(QLatin1String("--output=")))
                format = a.mid(9);
            else if (i + 1 < args.size())
                format = args.at(++i);
            if (format != u"json" && format != u"text") {
                err << "endpointctl validate: --output takes 'text' or 'json', not '" << format
                    << "'\n";
                return Usage;
            }
            json = format == u"json";
            continue;
        }
        auto optionValue = [&](const char *name, QString *value) {
            const QString eq = QLatin1String(name) + u'=';
            if (a.startsWith(eq)) {
                *value = a.mid(eq.size());
                return true;
            }
            if (a != QLatin1String(name))
                return false;
            *value = i + 1 < args.size() ? args.at(++i) : QString();
            return true;
        };
        QString value;
        if (optionValue("--endpoint-name", &value) || optionValue("-e", &value)) {
            if (value.isEmpty()) {
                err << "endpointctl validate: --endpoint-name needs a name\n";
                return Usage;
            }
            endpointName = value;
            continue;
        }
        if (optionValue("--target", &value)) {
            const auto target = Validator::targetFromName(value);
            if (!target) {
                err << "endpointctl validate: --target takes 'local' or 'azure', not '" << value
                    << "'\n";
                return Usage;
            }
            options.target = *target;
            continue;
        }
        if (a.startsWith(u'-') && a.size() > 1) {
            err << "endpointctl validate: unknown option '" << a
                << "'. Run 'endpointctl validate --help'.\n";
            return Usage;
        }
        paths.append(a);
    }
    if (paths.isEmpty()) {
        err << "endpointctl validate: give at least one YAML file or folder.\n" << validateUsage;
        return Usage;
    }

    Diagnostics all;
    int fileCount = 0;
    for (const QString &path : paths) {
        const QFileInfo info(path);
        if (!info.exists()) {
            err << "endpointctl validate: " << path << ": no such file or folder\n";
            return Usage;
        }
        if (info.isDir()) {
            Workspace workspace(info.absoluteFilePath());
            workspace.scan();
            fileCount += int(workspace.files().size());
            all += workspace.validateAll(options, endpointName);
        } else {
            // The file's folder gives the cross-file context (its endpoint, sibling deployments).
            Workspace workspace(info.absolutePath());
            workspace.scan();
            if (!workspace.file(info.absoluteFilePath()))
                workspace.rescanFile(info.absoluteFilePath());
            ValidationContext context = workspace.validationContext();
            context.endpointName = endpointName;
            // Not a .yml/.yaml name: read it anyway.
            const YamlDocument doc = workspace.file(info.absoluteFilePath())
                                         ? workspace.file(info.absoluteFilePath())->document
                                         : YamlDocument::load(info.absoluteFilePath());
            Diagnostics d = Validator::validate(doc, context, options);
            ++fileCount;
            all += d;
        }
    }
    std::stable_sort(all.begin(), all.end(), [](const Diagnostic &a, const Diagnostic &b) {
        if (a.location.file != b.location.file)
            return a.location.file < b.location.file;
        return a.location.line < b.location.line;
    });
    int errors = 0, warnings = 0, infos = 0;
    for (const Diagnostic &d : all) {
        errors += d.severity == Severity::Error ? 1 : 0;
        warnings += d.severity == Severity::Warning ? 1 : 0;
        infos += d.severity == Severity::Info ? 1 : 0;
    }
    if (json) {
        QJsonArray list;
        for (const Diagnostic &d : all)
            list.append(DiagnosticPrinter::json(d));
        const QJsonObject root{
            {QStringLiteral("files"), fileCount},
            {QStringLiteral("errors"), errors},
            {QStringLiteral("warnings"), warnings},
            {QStringLiteral("infos"), infos},
            {QStringLiteral("target"), options.target == Validator::Target::Azure
                                           ? QStringLiteral("azure")
                                           : QStringLiteral("local")},
            {QStringLiteral("rules"), ValidationRules::instance().azureVersion()},
            {QStringLiteral("diagnostics"), list}};
        out << QJsonDocument(root).toJson(QJsonDocument::Indented);
    } else {
        out << DiagnosticPrinter::text(all);
        out << fileCount << (fileCount == 1 ? " file" : " files") << " checked: " << errors
            << (errors == 1 ? " error, " : " errors, ") << warnings
            << (warnings == 1 ? " warning, " : " warnings, ") << infos
            << (infos == 1 ? " info\n" : " infos\n");
    }
    return errors > 0 ? Failed : Ok;
}

} // namespace Cli
