#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

// Reads one HTTP/1.x response at a time from a byte stream, incrementally: the status line and
// headers, then a body framed by Content-Length, by chunked transfer coding (with extensions
// and trailers), or by the end of the connection. Body bytes are counted, not kept (only the
// first `keepBody` bytes, for showing an error). Interim 1xx answers are skipped. Nothing is
// allocated per response beyond the head's text; the load engine runs one per connection.
class HttpResponseParser
{
public:
    enum class State {
        Head,
        Body,
        ChunkSize,
        ChunkData,
        ChunkEnd,
        Trailer,
        UntilClose,
        Done,
        Error
    };

    static constexpr std::size_t MaxHeadBytes = 64 * 1024;

    // Starts a new response. `bodyExpected` is false for a HEAD request.
    void reset(bool bodyExpected = true, std::size_t keepBody = 0);

    // Consumes bytes of the current response and returns how many it used: fewer than `size`
    // only when the response ended (done()) or failed inside `data`.
    std::size_t feed(const char *data, std::size_t size);
    // The peer closed the connection: completes a body that runs until the close.
    void closed();

    State state() const { return m_state; }
    bool done() const { return m_state == State::Done; }
    bool failed() const { return m_state == State::Error; }
    const std::string &error() const { return m_error; }
    bool receivedAnything() const { return m_headBytes > 0 || !m_head.empty(); }
    bool headComplete() const { return m_state != State::Head && m_state != State::Error; }

    int status() const { return m_status; }
    const std::string &reason() const { return m_reason; } // "OK", "Internal Server Error"
    int httpMinorVersion() const { return m_minor; }
    bool keepAlive() const { return m_keepAlive; } // the connection may carry another request
    std::int64_t contentLength() const { return m_contentLength; } // -1 when not given
    bool chunked() const { return m_chunked; }
    std::int64_t bodyBytes() const { return m_bodyBytes; }
    const std::string &body() const { return m_body; } // the first keepBody bytes
    std::size_t headBytes() const { return m_headBytes; }

    // Facts a load run reports, when the server sent them.
    double serverMs() const { return m_serverMs; } // x-ms-run-fn-exec-ms, -1 when absent
    const std::string &serverVersion() const { return m_serverVersion; } // x-ms-server-version
    const std::string &deployment() const { return m_deployment; }       // azureml-model-deployment

private:
    std::size_t feedHead(const char *data, std::size_t size);
    bool parseHead();
    void fail(const char *message);
    void startBody();
    void takeBody(const char *data, std::size_t n);

    State m_state = State::Head;
    std::string m_head;
    std::string m_line; // a chunk-size or trailer line in progress
    std::string m_error;
    std::string m_body;
    std::string m_serverVersion;
    std::string m_deployment;
    std::string m_reason;
    std::size_t m_keepBody = 0;
    std::size_t m_headBytes = 0;
    std::int64_t m_contentLength = -1;
    std::int64_t m_remaining = 0;
    std::int64_t m_bodyBytes = 0;
    double m_serverMs = -1;
    int m_status = 0;
    int m_minor = 1;
    bool m_bodyExpected = true;
    bool m_keepAlive = true;
    bool m_chunked = false;
};
