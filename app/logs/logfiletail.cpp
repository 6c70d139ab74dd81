#include "app/logs/logfiletail.h"

#include <QCoreApplication>
#include <QFile>

#include <sys/stat.h>

namespace {

struct FileState
{
    quint64 id = 0;
    qint64 size = 0;
};

// Identity and size by path (not by an open handle: a replaced file is another file).
bool statFile(const QString &path, FileState *state)
{
    struct stat info;
    if (::stat(QFile::encodeName(path).constData(), &info) != 0)
        return false;
    state->id = quint64(info.st_ino) ^ (quint64(info.st_dev) << 32);
    state->size = qint64(info.st_size);
    return true;
}

} // namespace

LogFileTail::LogFileTail(const QString &path)
    : m_path(path)
{}

void LogFileTail::skipToEnd()
{
    FileState state;
    if (statFile(m_path, &state)) {
        m_id = state.id;
        m_pos = state.size;
    }
}

LogFileTail::Chunk LogFileTail::read(qint64 maxBytes)
{
    Chunk chunk;
    FileState state;
    if (!statFile(m_path, &state))
        return chunk;
    chunk.exists = true;
    if ((m_id != 0 && state.id != m_id) || state.size < m_pos) {
        // A new process writes a new (or truncated) file: its output starts over.
        chunk.restarted = true;
        m_pos = 0;
    }
    m_id = state.id;
    if (state.size > m_pos) {
        QFile file(m_path);
        if (file.open(QIODevice::ReadOnly) && file.seek(m_pos)) {
            chunk.data = file.read(qMin(state.size - m_pos, maxBytes));
            m_pos += chunk.data.size();
        }
    }
    chunk.more = state.size > m_pos;
    return chunk;
}

QString LogFileTail::restartMarker(const QString &path)
{
    return QCoreApplication::translate("LogFollower", "── %1 restarted (log file replaced) ──")
        .arg(path);
}
