#include "app/cli/commands.h"

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

Checks endpoint and deployment YAML files, or every YAML under the given folders, the way
Azure ML reads them: names, types and allowed values, traffic, environment, referenced files
and the scoring script's init() and run(). Cross-file rules (traffic names, endpoint_name)
use the other YAML files of each folder.

Prints `file:line:col: severity: message [code]` lines, each followed by a fix hint.
exit codes: 0 no errors, 1 errors found, 2 usage error or unreadable path
)";

QString displayPath(const QString &absolute)
{
    const QString relative = QDir::current().relativeFilePath(absolute);
    return relative.startsWith(QLatin1String("..")) ? absolute : relative;
}

} // namespace

int runValidate(const QStringList &args)
{
    QTextStream out(stdout);
    QTextStream err(stderr);
    QStringList paths;
    bool json = false;
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
            all += workspace.validateAll();
        } else {
            // The file's folder gives the cross-file context (its endpoint, sibling deployments).
            Workspace workspace(info.absolutePath());
            workspace.scan();
            if (!workspace.file(info.absoluteFilePath()))
                workspace.rescanFile(info.absoluteFilePath());
            Diagnostics d = workspace.validate(info.absoluteFilePath());
            if (!workspace.file(info.absoluteFilePath())) {
                // Not a .yml/.yaml name: validate it on its own.
                const YamlDocument doc = YamlDocument::load(info.absoluteFilePath());
                d = Validator::validate(doc, workspace.validationContext(), {});
            }
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
        for (const Diagnostic &d : all) {
            list.append(QJsonObject{{QStringLiteral("file"), displayPath(d.location.file)},
                                    {QStringLiteral("line"), d.location.line},
                                    {QStringLiteral("column"), d.location.column},
                                    {QStringLiteral("offset"), d.location.offset},
                                    {QStringLiteral("length"), d.location.length},
                                    {QStringLiteral("severity"), severityName(d.severity)},
                                    {QStringLiteral("code"), d.code},
                                    {QStringLiteral("message"), d.message},
                                    {QStringLiteral("hint"), d.hint}});
        }
        const QJsonObject root{{QStringLiteral("files"), fileCount},
                               {QStringLiteral("errors"), errors},
                               {QStringLiteral("warnings"), warnings},
                               {QStringLiteral("infos"), infos},
                               {QStringLiteral("diagnostics"), list}};
        out << QJsonDocument(root).toJson(QJsonDocument::Indented);
    } else {
        for (Diagnostic d : all) {
            d.location.file = displayPath(d.location.file);
            out << d.toString() << '\n';
            if (!d.hint.isEmpty())
                out << "    hint: " << d.hint << '\n';
        }
        out << fileCount << (fileCount == 1 ? " file" : " files") << " checked: " << errors
            << (errors == 1 ? " error, " : " errors, ") << warnings
            << (warnings == 1 ? " warning, " : " warnings, ") << infos
            << (infos == 1 ? " info\n" : " infos\n");
    }
    return errors > 0 ? Failed : Ok;
}

} // namespace Cli
