#include "models/validator.h"
#include "models/workspace.h"
#include "models/yamldocument.h"

#include "tests/common/testsupport.h"

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QTemporaryDir>
#include <QTextStream>

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <functional>

// Prints timings of parse+validate and workspace scans next to yaml-cpp's YAML::Load of the
// same text in the same run. Figures only; nothing is asserted.
namespace {

double medianMs(int runs, const std::function<void()> &work)
{
    QList<qint64> ns;
    ns.reserve(runs);
    for (int i = 0; i < runs; ++i) {
        QElapsedTimer t;
        t.start();
        work();
        ns.append(t.nsecsElapsed());
    }
    std::sort(ns.begin(), ns.end());
    return double(ns.at(ns.size() / 2)) / 1e6;
}

QByteArray readFile(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

void writeFile(const QString &path, const QByteArray &text)
{
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile f(path);
    if (f.open(QIODevice::WriteOnly))
        f.write(text);
}

QByteArray largeYaml(int lines)
{
    QByteArray y = "# generated: a deployment with a very large environment_variables block\n"
                   "$schema: https://azuremlschemas.azureedge.net/latest/"
                   "managedOnlineDeployment.schema.json\n"
                   "name: big\nendpoint_name: big-endpoint\nenvironment:\n  image: python:3\n"
                   "instance_type: Standard_DS3_v2\ninstance_count: 1\n"
                   "tags: {team: ml, purpose: \"benchmark\"}\nenvironment_variables:\n";
    int i = 0;
    while (y.count('\n') < lines) {
        if (i % 10 == 0)
            y += "  # group " + QByteArray::number(i / 10) + "\n";
        y +=
            "  VAR_" + QByteArray::number(i) + ": \"value number " + QByteArray::number(i) + "\"\n";
        ++i;
    }
    return y;
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QTextStream out(stdout);
    const bool quick = app.arguments().contains(QStringLiteral("--quick"));
    const int runs = quick ? 50 : 1000;

    // 1. A typical deployment YAML (the shipped example), files and script checked.
    const QString typicalPath =
        TestSupport::examplesDir() + QStringLiteral("/linear-python/blue-deployment.yml");
    const QByteArray typical = readFile(typicalPath);
    Validator::validate(YamlDocument::parse(typicalPath, typical)); // warm the script cache
    const double parseTypical = medianMs(runs, [&] { YamlDocument::parse(typicalPath, typical); });
    const double validateTypical = medianMs(runs, [&] {
        const YamlDocument doc = YamlDocument::parse(typicalPath, typical);
        Validator::validate(doc);
    });
    const double yamlCppTypical =
        medianMs(runs, [&] { YAML::Load(std::string(typical.constData(), typical.size())); });
    out << "typical deployment YAML (" << typical.count('\n') << " lines, " << typical.size()
        << " bytes), median of " << runs << ":\n"
        << "  YamlDocument::parse          " << QString::number(parseTypical, 'f', 4) << " ms\n"
        << "  parse + Validator::validate  " << QString::number(validateTypical, 'f', 4)
        << " ms   (target <= 1 ms)\n"
        << "  yaml-cpp YAML::Load          " << QString::number(yamlCppTypical, 'f', 4)
        << " ms   parse/yaml-cpp = " << QString::number(parseTypical / yamlCppTypical, 'f', 2)
        << "\n";

    // 2. A 5,000-line YAML.
    const QByteArray large = largeYaml(5000);
    const int largeRuns = quick ? 5 : 50;
    const double parseLarge = medianMs(largeRuns, [&] { YamlDocument::parse({}, large); });
    const double validateLarge = medianMs(largeRuns, [&] {
        const YamlDocument doc = YamlDocument::parse(QStringLiteral("big.yml"), large);
        Validator::validate(doc);
    });
    const double yamlCppLarge =
        medianMs(largeRuns, [&] { YAML::Load(std::string(large.constData(), large.size())); });
    out << "5,000-line YAML (" << large.count('\n') << " lines, " << large.size()
        << " bytes), median of " << largeRuns << ":\n"
        << "  YamlDocument::parse          " << QString::number(parseLarge, 'f', 3) << " ms\n"
        << "  parse + Validator::validate  " << QString::number(validateLarge, 'f', 3)
        << " ms   (target <= 30 ms)\n"
        << "  yaml-cpp YAML::Load          " << QString::number(yamlCppLarge, 'f', 3)
        << " ms   parse/yaml-cpp = " << QString::number(parseLarge / yamlCppLarge, 'f', 2) << "\n";

    // 3. A folder of 250 files with 80 YAMLs: 20 endpoints x 3 deployments, 20 loose YAMLs.
    QTemporaryDir dir;
    const QString root = dir.path();
    int files = 0;
    const QByteArray score = "def init():\n    pass\n\n\ndef run(data):\n    return data\n";
    for (int e = 0; e < 20; ++e) {
        const QString ep = root + QStringLiteral("/endpoint-%1").arg(e);
        const QByteArray name = "endpoint-" + QByteArray::number(e);
        writeFile(ep + QStringLiteral("/endpoint.yml"),
                  "name: " + name +
                      "\nauth_mode: key\ntraffic:\n  blue: 50\n  green: 50\n"
                      "  red: 0\n");
        ++files;
        for (const char *d : {"blue", "green", "red"}) {
            QByteArray yml = typical;
            yml.replace("name: blue", QByteArray(QByteArray("name: ") + d));
            yml.replace("endpoint_name: linear-python", QByteArray("endpoint_name: " + name));
            writeFile(ep + QStringLiteral("/%1-deployment.yml").arg(QLatin1String(d)), yml);
            ++files;
        }
        writeFile(ep + QStringLiteral("/onlinescoring/score.py"), score);
        writeFile(ep + QStringLiteral("/model-1/model/linear-model.json"), "{}\n");
        writeFile(ep + QStringLiteral("/requirements.txt"), "numpy\n");
        writeFile(ep + QStringLiteral("/sample-request.json"), "{\"data\": [[1, 2]]}\n");
        writeFile(ep + QStringLiteral("/README.md"), "# endpoint\n");
        files += 5;
    }
    for (int i = 0; files < 250; ++i, ++files)
        writeFile(root + QStringLiteral("/data/file-%1.txt").arg(i), "x\n");
    const double scanOnly = medianMs(quick ? 3 : 20, [&] {
        Workspace w(root);
        w.scan();
    });
    QElapsedTimer cold;
    cold.start();
    {
        Workspace w(root);
        w.scan();
        w.validateAll();
    }
    const double coldMs = double(cold.nsecsElapsed()) / 1e6;
    int yamlCount = 0;
    Diagnostics diagnostics;
    const double scanValidate = medianMs(quick ? 3 : 20, [&] {
        Workspace w(root);
        w.scan();
        diagnostics = w.validateAll();
        yamlCount = int(w.files().size());
    });
    out << "folder of " << files << " files with " << yamlCount << " YAMLs (" << diagnostics.size()
        << " diagnostics):\n"
        << "  Workspace::scan              " << QString::number(scanOnly, 'f', 2) << " ms\n"
        << "  scan + validateAll           " << QString::number(scanValidate, 'f', 2)
        << " ms   (target <= 150 ms; script checks cached)\n"
        << "  first scan + validateAll     " << QString::number(coldMs, 'f', 2)
        << " ms   (one python3 start checks every scoring script)\n";
    return 0;
}
