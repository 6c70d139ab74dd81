#include "models/deploymentgate.h"

#include "models/workspace.h"

#include <QFileInfo>

int DeploymentGate::Outcome::count(Severity severity) const
{
    int n = 0;
    for (const Diagnostic &d : diagnostics)
        n += d.severity == severity ? 1 : 0;
    return n;
}

QString DeploymentGate::Outcome::refusal() const
{
    if (!failure.isEmpty())
        return QStringLiteral("not deployed: %1").arg(failure);
    const int errors = count(Severity::Error);
    if (errors == 0)
        return {};
    // The first in reading order, as Problems lists them: the deployment's file, then lines.
    const Diagnostic *first = nullptr;
    auto before = [this](const Diagnostic &a, const Diagnostic &b) {
        const bool aOwn = a.location.file == spec.filePath;
        const bool bOwn = b.location.file == spec.filePath;
        if (aOwn != bOwn)
            return aOwn;
        if (a.location.line != b.location.line)
            return a.location.line < b.location.line;
        return a.location.column < b.location.column;
    };
    for (const Diagnostic &d : diagnostics) {
        if (d.severity == Severity::Error && (!first || before(d, *first)))
            first = &d;
    }
    Diagnostic shown = *first;
    shown.location.file = QFileInfo(shown.location.file).fileName();
    return QStringLiteral("not deployed: %1 %2 in %3 (Azure would refuse it too); the first: %4")
        .arg(errors)
        .arg(errors == 1 ? QStringLiteral("error") : QStringLiteral("errors"),
             QFileInfo(first->location.file).fileName(), shown.toString());
}

ValidationContext DeploymentGate::contextForFolder(const QString &file)
{
    const QFileInfo info(file);
    Workspace workspace(info.absolutePath());
    workspace.scan();
    if (!workspace.file(info.absoluteFilePath()))
        workspace.rescanFile(info.absoluteFilePath());
    return workspace.validationContext();
}

DeploymentGate::Outcome DeploymentGate::check(const Request &request)
{
    Outcome outcome;
    const QString file = QFileInfo(request.file).absoluteFilePath();
    YamlDocument document;
    if (!request.text.isEmpty()) {
        document = YamlDocument::parse(file, request.text);
    } else if (!QFileInfo(file).isFile()) {
        outcome.failure = QStringLiteral("%1: no such file").arg(request.file);
        return outcome;
    } else {
        document = YamlDocument::load(file);
    }
    QList<SpecEdits::Edit> edits;
    if (!request.name.isEmpty())
        edits.append({{QStringLiteral("name")}, request.name, false});
    if (!request.endpointName.isEmpty())
        edits.append({{QStringLiteral("endpoint_name")}, request.endpointName, false});
    edits += request.edits;
    if (!edits.isEmpty() && !document.hasErrors()) {
        auto edited = SpecEdits::apply(document, edits);
        if (!edited.ok()) {
            outcome.failure = edited.error().message;
            outcome.document = document;
            return outcome;
        }
        document = std::move(edited).value();
    }
    ValidationContext context = request.context;
    if (!request.endpointName.isEmpty())
        context.endpointName = request.endpointName;
    outcome.diagnostics = Validator::validate(document, context, request.options);
    outcome.spec = DeploymentSpec::fromDocument(document);
    outcome.spec.filePath = file;
    outcome.document = document;
    if (!request.endpointFile.isEmpty()) {
        const YamlDocument endpoint = YamlDocument::load(request.endpointFile);
        outcome.diagnostics += Validator::validate(endpoint, request.context, request.options);
        EndpointSpec spec = EndpointSpec::fromDocument(endpoint);
        spec.filePath = QFileInfo(request.endpointFile).absoluteFilePath();
        outcome.endpoint = spec;
    }
    return outcome;
}
