#include "app/invoke/httpresponseparser.h"

#include <algorithm>
#include <charconv>
#include <cstring>
#include <string_view>

namespace {

constexpr std::size_t MaxLineBytes = 4096;

char lower(char c)
{
    return (c >= 'A' && c <= 'Z') ? char(c - 'A' + 'a') : c;
}

bool equalsNoCase(std::string_view a, std::string_view b)
{
    if (a.size() != b.size())
        return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        if (lower(a[i]) != lower(b[i]))
            return false;
    }
    return true;
}

// True when the comma-separated list `value` holds `token` (case-insensitive).
bool hasToken(std::string_view value, std::string_view token)
{
    while (!value.empty()) {
        const std::size_t comma = value.find(',');
        std::string_view item = value.substr(0, comma);
        while (!item.empty() && (item.front() == ' ' || item.front() == '\t'))
            item.remove_prefix(1);
        while (!item.empty() && (item.back() == ' ' || item.back() == '\t'))
            item.remove_suffix(1);
        if (equalsNoCase(item, token))
            return true;
        if (comma == std::string_view::npos)
            break;
        value.remove_prefix(comma + 1);
    }
    return false;
}

std::string_view trimmed(std::string_view s)
{
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
        s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r'))
        s.remove_suffix(1);
    return s;
}

} // namespace

void HttpResponseParser::reset(bool bodyExpected, std::size_t keepBody)
{
    m_state = State::Head;
    m_head.clear();
    m_line.clear();
    m_error.clear();
    m_body.clear();
    m_serverVersion.clear();
    m_deployment.clear();
    m_reason.clear();
    m_keepBody = keepBody;
    m_headBytes = 0;
    m_contentLength = -1;
    m_remaining = 0;
    m_bodyBytes = 0;
    m_serverMs = -1;
    m_status = 0;
    m_minor = 1;
    m_bodyExpected = bodyExpected;
    m_keepAlive = true;
    m_chunked = false;
}

void HttpResponseParser::fail(const char *message)
{
    m_state = State::Error;
    m_error = message;
    m_keepAlive = false;
}

void HttpResponseParser::takeBody(const char *data, std::size_t n)
{
    m_bodyBytes += std::int64_t(n);
    if (m_body.size() < m_keepBody)
        m_body.append(data, std::min(n, m_keepBody - m_body.size()));
}

std::size_t HttpResponseParser::feed(const char *data, std::size_t size)
{
    std::size_t used = 0;
    while (used < size) {
        const char *p = data + used;
        const std::size_t left = size - used;
        switch (m_state) {
        case State::Head:
            used += feedHead(p, left);
            break;
        case State::Body: {
            const std::size_t n =
                std::size_t(std::min<std::int64_t>(m_remaining, std::int64_t(left)));
            takeBody(p, n);
            m_remaining -= std::int64_t(n);
            used += n;
            if (m_remaining == 0)
                m_state = State::Done;
            break;
        }
        case State::UntilClose:
            takeBody(p, left);
            used += left;
            break;
        case State::ChunkData: {
            const std::size_t n =
                std::size_t(std::min<std::int64_t>(m_remaining, std::int64_t(left)));
            takeBody(p, n);
            m_remaining -= std::int64_t(n);
            used += n;
            if (m_remaining == 0)
                m_state = State::ChunkEnd;
            break;
        }
        case State::ChunkSize:
        case State::ChunkEnd:
        case State::Trailer: {
            const void *nl = std::memchr(p, '\n', left);
            const std::size_t n = nl ? std::size_t(static_cast<const char *>(nl) - p) + 1 : left;
            if (m_line.size() + n > MaxLineBytes) {
                fail("a chunk line of the answer is too long");
                return used;
            }
            m_line.append(p, n);
            used += n;
            if (!nl)
                break;
            std::string_view line(m_line);
            line.remove_suffix(1); // '\n'
            if (!line.empty() && line.back() == '\r')
                line.remove_suffix(1);
            if (m_state == State::ChunkEnd) {
                if (!line.empty()) {
                    fail("a chunk of the answer is longer than its size line says");
                    return used;
                }
                m_state = State::ChunkSize;
            } else if (m_state == State::Trailer) {
                if (line.empty())
                    m_state = State::Done;
            } else {
                std::string_view digits = trimmed(line.substr(0, line.find(';')));
                std::uint64_t chunk = 0;
                const auto [end, ec] =
                    std::from_chars(digits.data(), digits.data() + digits.size(), chunk, 16);
                if (digits.empty() || ec != std::errc() || end != digits.data() + digits.size() ||
                    chunk > (std::uint64_t(1) << 48)) {
                    fail("the answer has a bad chunk size line");
                    return used;
                }
                m_remaining = std::int64_t(chunk);
                m_state = chunk == 0 ? State::Trailer : State::ChunkData;
            }
            m_line.clear();
            break;
        }
        case State::Done:
        case State::Error:
            return used;
        }
        if (m_state == State::Done || m_state == State::Error)
            return used;
    }
    return used;
}

std::size_t HttpResponseParser::feedHead(const char *data, std::size_t size)
{
    std::size_t skipped = 0;
    if (m_head.empty()) {
        // A stray CRLF before the status line is ignored (RFC 9112, 2.2).
        while (skipped < size && (data[skipped] == '\r' || data[skipped] == '\n'))
            ++skipped;
        data += skipped;
        size -= skipped;
        if (size == 0)
            return skipped;
    }
    // The head ends at a blank line: "\n\n" or "\n\r\n", possibly across feeds.
    const auto at = [&](std::ptrdiff_t i) -> char {
        if (i >= 0)
            return data[i];
        const std::ptrdiff_t h = std::ptrdiff_t(m_head.size()) + i;
        return h >= 0 ? m_head[std::size_t(h)] : '\0';
    };
    std::size_t end = 0;
    for (std::size_t i = 0; i < size;) {
        const void *nl = std::memchr(data + i, '\n', size - i);
        if (!nl)
            break;
        const auto j = std::ptrdiff_t(static_cast<const char *>(nl) - data);
        if (at(j - 1) == '\n' || (at(j - 1) == '\r' && at(j - 2) == '\n')) {
            end = std::size_t(j) + 1;
            break;
        }
        i = std::size_t(j) + 1;
    }
    const std::size_t take = end ? end : size;
    if (m_head.size() + take > MaxHeadBytes) {
        fail("the answer's status line and headers are over 64 KB");
        return skipped;
    }
    m_head.append(data, take);
    if (!end)
        return skipped + take;
    m_headBytes += m_head.size();
    if (!parseHead())
        return skipped + take;
    if (m_status >= 100 && m_status < 200) {
        // 100 Continue, 103 Early Hints: the real answer follows.
        m_head.clear();
        m_serverMs = -1;
        m_serverVersion.clear();
        m_deployment.clear();
        m_contentLength = -1;
        m_chunked = false;
        m_keepAlive = true;
        return skipped + take;
    }
    startBody();
    return skipped + take;
}

bool HttpResponseParser::parseHead()
{
    std::string_view head(m_head);
    std::size_t eol = head.find('\n');
    std::string_view status = trimmed(head.substr(0, eol));
    // "HTTP/1.1 200 OK"
    if (status.size() < 12 || status.substr(0, 7) != "HTTP/1." || status[8] != ' ' ||
        status[7] < '0' || status[7] > '9') {
        fail("the answer does not start with an HTTP/1.x status line");
        return false;
    }
    m_minor = status[7] - '0';
    int code = 0;
    const auto [end, ec] = std::from_chars(status.data() + 9, status.data() + 12, code);
    if (ec != std::errc() || end != status.data() + 12 || code < 100 || code > 999 ||
        (status.size() > 12 && status[12] != ' ')) {
        fail("the answer has a bad status code");
        return false;
    }
    m_status = code;
    m_reason.assign(status.size() > 13 ? status.substr(13, 80) : std::string_view());
    bool keepAlive = m_minor >= 1;
    bool sawLength = false;
    while (eol != std::string_view::npos) {
        head.remove_prefix(eol + 1);
        eol = head.find('\n');
        std::string_view line = head.substr(0, eol);
        if (!line.empty() && line.back() == '\r')
            line.remove_suffix(1);
        if (line.empty())
            break;
        const std::size_t colon = line.find(':');
        if (colon == std::string_view::npos || colon == 0)
            continue; // tolerated: a line folded or garbled by the server, not a header we need
        const std::string_view name = line.substr(0, colon);
        const std::string_view value = trimmed(line.substr(colon + 1));
        if (equalsNoCase(name, "content-length")) {
            std::int64_t n = -1;
            const auto [e, err] = std::from_chars(value.data(), value.data() + value.size(), n);
            if (err != std::errc() || e != value.data() + value.size() || n < 0 ||
                (sawLength && n != m_contentLength)) {
                fail("the answer has a bad Content-Length");
                return false;
            }
            sawLength = true;
            m_contentLength = n;
        } else if (equalsNoCase(name, "transfer-encoding")) {
            m_chunked = hasToken(value, "chunked");
        } else if (equalsNoCase(name, "connection")) {
            if (hasToken(value, "close"))
                keepAlive = false;
            else if (hasToken(value, "keep-alive"))
                keepAlive = true;
        } else if (equalsNoCase(name, "x-ms-run-fn-exec-ms")) {
            double ms = -1;
            const auto [e, err] = std::from_chars(value.data(), value.data() + value.size(), ms);
            if (err == std::errc() && e == value.data() + value.size() && ms >= 0)
                m_serverMs = ms;
        } else if (equalsNoCase(name, "x-ms-server-version")) {
            m_serverVersion.assign(value.substr(0, 120));
        } else if (equalsNoCase(name, "azureml-model-deployment")) {
            m_deployment.assign(value.substr(0, 120));
        }
    }
    m_keepAlive = keepAlive;
    return true;
}

void HttpResponseParser::startBody()
{
    if (!m_bodyExpected || m_status == 204 || m_status == 304) {
        m_state = State::Done;
    } else if (m_chunked) {
        m_contentLength = -1;
        m_state = State::ChunkSize;
    } else if (m_contentLength >= 0) {
        m_remaining = m_contentLength;
        m_state = m_remaining == 0 ? State::Done : State::Body;
    } else {
        m_keepAlive = false;
        m_state = State::UntilClose;
    }
}

void HttpResponseParser::closed()
{
    if (m_state == State::UntilClose)
        m_state = State::Done;
    else if (m_state != State::Done && m_state != State::Error)
        fail(m_state == State::Head && m_head.empty()
                 ? "the server closed the connection without answering"
                 : "the server closed the connection in the middle of the answer");
    m_keepAlive = false;
}
