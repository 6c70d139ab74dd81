#pragma once

#include <QByteArray>
#include <QString>

// What a log file gains, read by polling: appended bytes from where the last read stopped,
// and a restart from the beginning when the file was truncated or replaced (a redeploy, a
// log rotation: another file under the same name). Used by LogFollower for the process
// runtime's logs and by `endpointctl … get-logs --follow`. Never blocks on a missing file.
class LogFileTail
{
public:
    explicit LogFileTail(const QString &path = {});

    QString path() const { return m_path; }
    // Skips what the file holds now: the next read returns only what is appended after.
    void skipToEnd();

    struct Chunk
    {
        bool exists = false;    // false: no file (yet); nothing else is set
        bool restarted = false; // truncated or replaced since the last read; `data` is the new
                                // file's from its first byte
        QByteArray data;        // at most the maxBytes asked for
        bool more = false;      // the file holds more than was read
    };
    Chunk read(qint64 maxBytes);

    // The marker a follower shows where the file started over.
    static QString restartMarker(const QString &path);

private:
    QString m_path;
    qint64 m_pos = 0;
    quint64 m_id = 0; // device and inode of the file read so far; 0 before the first read
};
