#pragma once

#include <QByteArray>
#include <QByteArrayView>

#include <cstring>

// Cuts a stream of log output into lines: a line is handed on once its '\n' has arrived (an
// unfinished last line waits for the next chunk), and a line longer than `maxLineBytes` is
// handed on in pieces of that size. Used by LogFollower and by `endpointctl … get-logs
// --follow`, so both show the same lines.
class LogLineSplitter
{
public:
    explicit LogLineSplitter(qsizetype maxLineBytes)
        : m_max(maxLineBytes)
    {}

    // Calls `line(QByteArrayView)` for each line `data` completes, without its '\n'.
    template<typename LineFunction>
    void feed(QByteArrayView data, LineFunction &&line)
    {
        while (!data.isEmpty()) {
            const void *nl = std::memchr(data.data(), '\n', size_t(data.size()));
            if (!nl) {
                const qsizetype room = m_max - m_partial.size();
                if (data.size() <= room) {
                    m_partial.append(data);
                    return;
                }
                m_partial.append(data.first(room));
                line(QByteArrayView(m_partial));
                m_partial.clear();
                data = data.sliced(room);
                continue;
            }
            const qsizetype length = static_cast<const char *>(nl) - data.data();
            if (m_partial.isEmpty()) {
                line(data.first(length));
            } else {
                m_partial.append(data.first(length));
                line(QByteArrayView(m_partial));
                m_partial.clear();
            }
            data = data.sliced(length + 1);
        }
    }

    bool hasPartialLine() const { return !m_partial.isEmpty(); }
    // Forgets an unfinished line (its writer is gone: a new file or process starts over).
    void clear() { m_partial.clear(); }

private:
    qsizetype m_max;
    QByteArray m_partial; // the unfinished last line
};
