#pragma once

#include <QString>
#include <QStringList>

class QWidget;

// Helpers shared by the test programs: paths, a real Docker engine, screenshots.
namespace TestSupport {

QString sourceDir();                         // the repository
QString binDir();                            // where endpoint-studio and endpointctl are built
QString examplesDir();                       // <repo>/examples
QString screenshotPath(const QString &name); // <build>/screenshots/<name>.png

// True when STUDIO_REQUIRE_DOCKER=1: Docker tests fail instead of skipping.
bool dockerRequired();
// Empty when a Docker engine answers; otherwise why not (binary missing, daemon down).
QString dockerUnavailableReason();
// The docker CLI to use (STUDIO_DOCKER, else `docker` on PATH).
QString dockerProgram();

struct ProcessResult
{
    int exitCode = -1;
    bool finished = false;
    QByteArray out;
    QByteArray err;
};
ProcessResult run(const QString &program, const QStringList &args, int timeoutMs = 60000,
                  const QByteArray &input = {});

} // namespace TestSupport

// Inside a test function: skip with the reason, or fail when Docker is required.
#define STUDIO_REQUIRE_DOCKER_ENGINE()                                                             \
    do {                                                                                           \
        const QString reason_ = TestSupport::dockerUnavailableReason();                            \
        if (!reason_.isEmpty()) {                                                                  \
            if (TestSupport::dockerRequired())                                                     \
                QFAIL(qPrintable(QStringLiteral("STUDIO_REQUIRE_DOCKER=1 but ") + reason_));       \
            QSKIP(qPrintable(reason_));                                                            \
        }                                                                                          \
    } while (false)
