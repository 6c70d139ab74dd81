#pragma once

#include "models/result.h"

#include <QString>

// The scoring server and storage initializer compiled into the studio (:/scoring/…), written
// once per content hash under the data directory so containers and processes can run them.
class ScoringFiles
{
public:
    // <dataDir>/scoring-<hash>, holding scoring_server.py, storage_initializer.py and the shims.
    static Result<QString> ensureExtracted(const QString &dataDir);
};
