#pragma once

#include "app/cli/cliarguments.h"
#include "app/invoke/loadplan.h"
#include "app/invoke/loadtargetfacts.h"

#include <QJsonObject>

#include <optional>

class CliSession;
struct LoadReport;

// `online-endpoint invoke … --repeat N --concurrency C [--rate R] [--duration S]`: the request
// sent as a load run on the core's LoadEngine, with the same summary the Repeat tab shows.
namespace InvokeLoad {

QList<CliOption> options();
bool requested(const CliArguments &args); // --repeat or --duration given
// A load option given without --repeat or --duration ("--concurrency"), else empty.
QString strayOption(const CliArguments &args);

// The plan from the options (request left empty), or a usage error's exit code in *code.
std::optional<LoadPlan> plan(CliSession &session, int *code);

// Runs `plan` on this thread, progress on stderr once a second, prints the summary; the exit
// code (Failed when the run could not start or requests failed).
int run(CliSession &session, const LoadPlan &plan, const LoadTargetFacts &facts);

// The printed result: settings, throughput, percentiles, status codes, errors by kind, who
// answered and what the numbers mean.
QJsonObject summary(const LoadReport &report, const LoadTargetFacts &facts);

} // namespace InvokeLoad
