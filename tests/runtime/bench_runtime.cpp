#include "app/runtime/deploymentmanager.h"
#include "app/runtime/localport.h"
#include "app/runtime/scoringfiles.h"
#include "tests/common/testsupport.h"

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFile>
#include <QNetworkAccessManager>
#include <QNetworkProxy>
#include <QNetworkReply>
#include <QTemporaryDir>
#include <QTextStream>
#include <QTimer>

#include <algorithm>

// Prints three figures for the Docker runtime (median of N runs, default 5):
//  (a) floor: plain `docker run` of the base image with the scoring server, until its first 200
//  (b) warm redeploy after a code change, until Succeeded
//  (c) first deploy with the image present, until Succeeded
// usage: bench_runtime [runs]
namespace {

const QString image = QStringLiteral("endpoint-studio/python:3.11-bookworm");

// GET url every 10 ms until it answers 200; returns false after timeoutMs.
bool waitFor200(const QString &url, int timeoutMs = 60000)
{
    QNetworkAccessManager network;
    network.setProxy(QNetworkProxy::NoProxy);
    QElapsedTimer clock;
    clock.start();
    while (clock.elapsed() < timeoutMs) {
        QNetworkRequest request{QUrl(url)};
        request.setTransferTimeout(2000);
        QNetworkReply *reply = network.get(request);
        QEventLoop loop;
        QObject::connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
        loop.exec();
        const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        reply->deleteLater();
        if (status == 200)
            return true;
        QEventLoop pause;
        QTimer::singleShot(10, &pause, &QEventLoop::quit);
        pause.exec();
    }
    return false;
}

bool waitOp(DeploymentManager &m, quint64 op, QString *error)
{
    bool done = false, ok = false;
    QEventLoop loop;
    QObject::connect(&m, &DeploymentManager::finished, &loop,
                     [&](quint64 id, bool success, const QString &e) {
                         if (id != op)
                             return;
                         done = true;
                         ok = success;
                         *error = e;
                         loop.quit();
                     });
    if (!done)
        loop.exec();
    return ok;
}

double median(QList<double> v)
{
    std::sort(v.begin(), v.end());
    return v.isEmpty() ? 0 : v.at(v.size() / 2);
}

bool copyTree(const QString &from, const QString &to)
{
    QDir().mkpath(to);
    for (const QFileInfo &fi : QDir(from).entryInfoList(QDir::AllEntries | QDir::NoDotAndDotDot)) {
        const QString target = to + u'/' + fi.fileName();
        if (fi.isDir() ? !copyTree(fi.absoluteFilePath(), target)
                       : !QFile::copy(fi.absoluteFilePath(), target))
            return false;
    }
    return true;
}

void setOffset(const QString &score, int offset)
{
    QFile f(score);
    f.open(QIODevice::ReadOnly);
    QByteArray text = f.readAll();
    f.close();
    const qsizetype at = text.indexOf("OFFSET = ");
    const qsizetype end = text.indexOf('\n', at);
    text.replace(at, end - at, QByteArray("OFFSET = " + QByteArray::number(offset)));
    f.open(QIODevice::WriteOnly | QIODevice::Truncate);
    f.write(text);
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QTextStream out(stdout);
    const int runs = argc > 1 ? qMax(1, atoi(argv[1])) : 5;
    const QString reason = TestSupport::dockerUnavailableReason();
    if (!reason.isEmpty()) {
        out << "bench_runtime: " << reason << '\n';
        return 1;
    }
    QTemporaryDir data;
    QTemporaryDir workspace;
    const QString ws = workspace.path() + QStringLiteral("/ws");
    copyTree(TestSupport::sourceDir() + QStringLiteral("/tests/runtime/fixtures/workspace"), ws);
    const QString docker = TestSupport::dockerProgram();
    const QString tag = QStringLiteral("bench%1").arg(QCoreApplication::applicationPid());

    // (a) the floor: what a user typing `docker run` by hand gets.
    const Result<QString> scoring = ScoringFiles::ensureExtracted(data.path());
    if (!scoring) {
        out << scoring.error().message << '\n';
        return 1;
    }
    QList<double> floor;
    for (int i = 0; i < runs; ++i) {
        const int port = LocalPort::pickFree();
        const QString name = tag + QStringLiteral("-floor");
        QElapsedTimer clock;
        clock.start();
        const auto r = TestSupport::run(docker, {QStringLiteral("run"),
                                                 QStringLiteral("-d"),
                                                 QStringLiteral("--name"),
                                                 name,
                                                 QStringLiteral("-p"),
                                                 QStringLiteral("127.0.0.1:%1:5001").arg(port),
                                                 QStringLiteral("-v"),
                                                 scoring.value() + QStringLiteral(":/srv:ro"),
                                                 QStringLiteral("-v"),
                                                 ws + QStringLiteral("/code:/code:ro"),
                                                 QStringLiteral("-v"),
                                                 ws + QStringLiteral("/model:/model:ro"),
                                                 QStringLiteral("-e"),
                                                 QStringLiteral("AML_APP_ROOT=/code"),
                                                 QStringLiteral("-e"),
                                                 QStringLiteral("AZUREML_ENTRY_SCRIPT=score.py"),
                                                 QStringLiteral("-e"),
                                                 QStringLiteral("AZUREML_MODEL_DIR=/model"),
                                                 image,
                                                 QStringLiteral("python3"),
                                                 QStringLiteral("/srv/scoring_server.py")});
        const bool ready =
            r.exitCode == 0 && waitFor200(QStringLiteral("http://127.0.0.1:%1/").arg(port));
        const double ms = clock.nsecsElapsed() / 1e6;
        TestSupport::run(docker, {QStringLiteral("rm"), QStringLiteral("-f"), name});
        if (!ready) {
            out << "(a) docker run failed: " << r.err << '\n';
            return 1;
        }
        floor << ms;
    }

    DeploymentManager::Options options;
    options.runtime = DeploymentManager::RuntimeChoice::Docker;
    options.dataDir = data.path();
    options.containerProgram = docker;
    DeploymentManager m(options);
    QString error;
    waitOp(m, m.refresh(), &error);

    auto specFor = [&](const QString &endpoint) {
        DeploymentSpec s;
        s.filePath = ws + QStringLiteral("/blue-deployment.yml");
        s.name = QStringLiteral("blue");
        s.endpointName = endpoint;
        ModelSpec model;
        model.name = QStringLiteral("fixture-model");
        model.path = QStringLiteral("model/model.json");
        s.model = model;
        s.codeConfiguration = CodeConfiguration{QStringLiteral("code"), QStringLiteral("score.py")};
        EnvironmentSpec env;
        env.image = image;
        s.environment = env;
        s.readinessProbe.initialDelay = 1;
        s.readinessProbe.period = 1;
        return s;
    };

    // (c) first deploys (image present), then (b) a code change and redeploy of each.
    QList<double> first;
    QList<double> redeploy;
    for (int i = 0; i < runs; ++i) {
        const QString endpoint = QStringLiteral("%1-%2").arg(tag).arg(i);
        setOffset(ws + QStringLiteral("/code/score.py"), 0);
        QElapsedTimer clock;
        clock.start();
        if (!waitOp(m, m.deploy(specFor(endpoint)), &error)) {
            out << "(c) deploy failed: " << error << '\n';
            return 1;
        }
        first << clock.nsecsElapsed() / 1e6;
        setOffset(ws + QStringLiteral("/code/score.py"), 100 + i);
        clock.restart();
        if (!waitOp(m, m.deploy(specFor(endpoint)), &error)) {
            out << "(b) redeploy failed: " << error << '\n';
            return 1;
        }
        redeploy << clock.nsecsElapsed() / 1e6;
        const DeploymentInfo info = *m.deployment(endpoint, QStringLiteral("blue"));
        if (i == runs - 1) {
            out << "last redeploy timeline:";
            for (const PhaseTiming &p : info.timeline)
                out << ' ' << p.phase << '=' << p.durationMs << "ms";
            out << '\n';
        }
        waitOp(m, m.deleteEndpoint(endpoint), &error);
    }

    const double a = median(floor), b = median(redeploy), c = median(first);
    out << QStringLiteral("runs: %1 (medians; image %2)\n").arg(runs).arg(image);
    out << QStringLiteral("(a) plain docker run to first 200:        %1 ms\n").arg(a, 0, 'f', 0);
    out << QStringLiteral("(b) warm redeploy after code change:      %1 ms\n").arg(b, 0, 'f', 0);
    out << QStringLiteral("(c) first deploy, image present:          %1 ms\n").arg(c, 0, 'f', 0);
    out << QStringLiteral("ratio b/a: %1 (target <= 1.3); c target <= 3000 ms\n")
               .arg(b / a, 0, 'f', 2);
    return 0;
}
