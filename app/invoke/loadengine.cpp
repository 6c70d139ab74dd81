#include "app/invoke/loadengine.h"

#include "app/invoke/httpresponseparser.h"

#include <QByteArray>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/timerfd.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <ctime>
#include <limits>
#include <map>
#include <string>
#include <vector>

namespace {

constexpr std::int64_t Millisecond = 1'000'000;
constexpr std::int64_t TickNs = 10 * Millisecond;        // timeouts, retries, progress
constexpr std::int64_t FirstSliceNs = 100 * Millisecond; // timeline resolution at the start
constexpr int MaxSlices = 400;                           // then slices merge pairwise
constexpr std::int64_t RetryNs = 20 * Millisecond;       // a slot whose connect failed waits
constexpr std::int64_t StaleAfterNs = 1000 * Millisecond;
constexpr std::size_t KeepErrorBody = 300;
constexpr int SliceHistogramBits = 4; // 1/16 resolution is plenty for a timeline plot
constexpr std::uint64_t WakeToken = 1;
constexpr std::uint32_t WakeId = std::numeric_limits<std::uint32_t>::max();
constexpr std::uint32_t TimerId = WakeId - 1;

std::int64_t nowNs()
{
    timespec ts{};
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return std::int64_t(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
}

QString errnoKind(int e)
{
    switch (e) {
    case ECONNREFUSED:
        return QStringLiteral("connection refused");
    case ECONNRESET:
    case EPIPE:
        return QStringLiteral("connection reset");
    case ETIMEDOUT:
        return QStringLiteral("TCP timeout");
    case EHOSTUNREACH:
    case ENETUNREACH:
        return QStringLiteral("host unreachable");
    case EADDRNOTAVAIL:
        return QStringLiteral("no free local port");
    case EMFILE:
    case ENFILE:
        return QStringLiteral("too many open files");
    default:
        return QString::fromLocal8Bit(std::strerror(e));
    }
}

struct Slice
{
    std::int64_t answered = 0;
    std::int64_t transportErrors = 0;
    std::map<int, std::int64_t> statuses;
    LatencyHistogram client{SliceHistogramBits};
    LatencyHistogram server{SliceHistogramBits};

    void merge(const Slice &o)
    {
        answered += o.answered;
        transportErrors += o.transportErrors;
        for (const auto &[code, n] : o.statuses)
            statuses[code] += n;
        client.add(o.client);
        server.add(o.server);
    }
};

// The request as bytes on the wire, built once for the whole run.
std::string requestBytes(const ScoringRequest &request)
{
    const QUrl &url = request.url;
    QByteArray path = url.path(QUrl::FullyEncoded).toLatin1();
    if (path.isEmpty())
        path = "/";
    if (url.hasQuery())
        path += '?' + url.query(QUrl::FullyEncoded).toLatin1();
    QByteArray host = url.host(QUrl::FullyEncoded).toLatin1();
    if (host.contains(':'))
        host = '[' + host + ']';
    if (url.port(80) != 80)
        host += ':' + QByteArray::number(url.port());
    const bool post = request.method == ScoringMethod::Post;

    QByteArray out = (post ? "POST " : "GET ") + path + " HTTP/1.1\r\nHost: " + host + "\r\n";
    bool userAgent = false;
    for (const auto &[name, value] : request.effectiveHeaders()) {
        const QByteArray n = name.toLatin1();
        // The framing is the engine's: a user header must not contradict it.
        if (n.compare("host", Qt::CaseInsensitive) == 0 ||
            n.compare("content-length", Qt::CaseInsensitive) == 0 ||
            n.compare("transfer-encoding", Qt::CaseInsensitive) == 0 ||
            n.compare("connection", Qt::CaseInsensitive) == 0)
            continue;
        userAgent = userAgent || n.compare("user-agent", Qt::CaseInsensitive) == 0;
        out += n + ": " + value.toUtf8() + "\r\n";
    }
    if (!userAgent)
        out += "User-Agent: endpoint-studio-load\r\n";
    if (post)
        out += "Content-Length: " + QByteArray::number(request.body.size()) + "\r\n";
    out += "\r\n";
    if (post)
        out += request.body;
    return out.toStdString();
}

} // namespace

struct LoadEngine::Impl
{
    enum class Phase { Warmup, Measured, Draining, Done };
    enum class State { Closed, Connecting, Ready, Writing, Reading, Parked };

    struct Connection
    {
        int fd = -1;
        State state = State::Closed;
        bool hasRequest = false;
        bool warmup = false;
        bool reused = false;  // the socket already carried an answer
        bool retried = false; // resent once after a kept-alive socket turned out closed
        bool wantsOut = false;
        std::size_t written = 0;
        std::int64_t dueNs = 0;   // open loop: when the request fell due
        std::int64_t startNs = 0; // first byte written
        std::int64_t deadlineNs = 0;
        std::int64_t retryAtNs = 0;
        std::int64_t idleSinceNs = 0; // when the socket's last answer ended
        HttpResponseParser parser;
    };

    LoadPlan plan;
    std::string request;
    std::atomic<bool> cancelRequested{false};
    int epollFd = -1;
    int wakeFd = -1; // set before run() and unchanged until the engine is destroyed
    int timerFd = -1;
    sockaddr_storage address{};
    socklen_t addressLength = 0;
    int family = AF_INET;

    std::vector<Connection> connections;
    std::vector<int> idle;
    std::vector<char> buffer;
    Phase phase = Phase::Warmup;
    std::int64_t warmupLeft = 0;
    std::int64_t warmupInFlight = 0;
    std::int64_t inFlight = 0;
    std::int64_t t0 = 0;
    std::int64_t endNs = std::numeric_limits<std::int64_t>::max();
    std::int64_t lastAnswerNs = 0;
    std::int64_t timeoutNs = 0;
    // Open loop: request k falls due at t0 + k × dueStepNs; `dueLimit` requests in all.
    double dueStepNs = 0;
    std::int64_t dueIndex = 0;
    std::int64_t dueLimit = 0;
    std::int64_t armedNs = -1;
    int parked = 0;

    LoadReport report;
    std::map<std::string, std::int64_t> servers;
    std::map<std::string, std::int64_t> deployments;
    std::vector<Slice> slices;
    std::int64_t sliceNs = FirstSliceNs;

    bool openLoop() const { return plan.mode == LoadMode::OpenLoop; }
    std::int64_t due(std::int64_t k) const { return t0 + std::int64_t(double(k) * dueStepNs); }

    QString targetText() const
    {
        return plan.request.url.host() + u':' + QString::number(plan.request.url.port(80));
    }

    // --- sockets -------------------------------------------------------------------------

    void setEvents(Connection &c, bool out)
    {
        if (c.fd < 0 || c.wantsOut == out)
            return;
        epoll_event ev{};
        ev.events = EPOLLIN | (out ? EPOLLOUT : 0u);
        ev.data.u32 = std::uint32_t(&c - connections.data());
        epoll_ctl(epollFd, EPOLL_CTL_MOD, c.fd, &ev);
        c.wantsOut = out;
    }

    void closeSocket(Connection &c)
    {
        if (c.fd >= 0) {
            epoll_ctl(epollFd, EPOLL_CTL_DEL, c.fd, nullptr);
            ::close(c.fd);
        }
        c.fd = -1;
        c.state = State::Closed;
        c.reused = false;
        c.wantsOut = false;
    }

    void adopt(Connection &c, int fd, bool connecting)
    {
        c.fd = fd;
        c.state = connecting ? State::Connecting : State::Ready;
        c.wantsOut = connecting;
        epoll_event ev{};
        ev.events = EPOLLIN | (connecting ? EPOLLOUT : 0u);
        ev.data.u32 = std::uint32_t(&c - connections.data());
        epoll_ctl(epollFd, EPOLL_CTL_ADD, fd, &ev);
    }

    static int newSocket(int family)
    {
        const int fd = ::socket(family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
        if (fd >= 0) {
            const int one = 1;
            setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        }
        return fd;
    }

    // Starts connecting; 0 on success (or in progress), else errno.
    int connectSocket(Connection &c)
    {
        const int fd = newSocket(family);
        if (fd < 0)
            return errno;
        if (::connect(fd, reinterpret_cast<const sockaddr *>(&address), addressLength) == 0) {
            adopt(c, fd, false);
            return 0;
        }
        if (errno == EINPROGRESS) {
            adopt(c, fd, true);
            return 0;
        }
        const int e = errno;
        ::close(fd);
        return e;
    }

    // Resolves the host and connects once, blocking up to `limitMs`, trying each address
    // (localhost is often ::1 first while the server listens on 127.0.0.1 only). The socket
    // that answered becomes the first connection's.
    QString resolveAndConnect(int limitMs)
    {
        const QUrl &url = plan.request.url;
        addrinfo hints{};
        hints.ai_family = AF_UNSPEC;
        hints.ai_socktype = SOCK_STREAM;
        addrinfo *list = nullptr;
        const QByteArray host = url.host(QUrl::FullyEncoded).toLatin1();
        const QByteArray port = QByteArray::number(url.port(80));
        if (const int rc = getaddrinfo(host.constData(), port.constData(), &hints, &list)) {
            return QStringLiteral("cannot resolve %1: %2")
                .arg(url.host(), QString::fromLocal8Bit(gai_strerror(rc)));
        }
        QString error;
        const std::int64_t deadline = nowNs() + std::int64_t(limitMs) * Millisecond;
        for (addrinfo *a = list; a; a = a->ai_next) {
            const int fd = newSocket(a->ai_family);
            if (fd < 0) {
                error = errnoKind(errno);
                continue;
            }
            int e = 0;
            if (::connect(fd, a->ai_addr, a->ai_addrlen) != 0) {
                e = errno;
                if (e == EINPROGRESS) {
                    pollfd p{fd, POLLOUT, 0};
                    const int wait =
                        int(std::max<std::int64_t>(0, deadline - nowNs()) / Millisecond);
                    const int rc = ::poll(&p, 1, wait);
                    e = ETIMEDOUT;
                    if (rc > 0) {
                        socklen_t len = sizeof e;
                        getsockopt(fd, SOL_SOCKET, SO_ERROR, &e, &len);
                    }
                }
            }
            if (e == 0) {
                std::memcpy(&address, a->ai_addr, a->ai_addrlen);
                addressLength = a->ai_addrlen;
                family = a->ai_family;
                adopt(connections.front(), fd, false);
                freeaddrinfo(list);
                return {};
            }
            ::close(fd);
            error = errnoKind(e);
        }
        freeaddrinfo(list);
        return QStringLiteral("cannot connect to %1: %2").arg(targetText(), error);
    }

    // --- requests ------------------------------------------------------------------------

    void assign(Connection &c, bool warmup, std::int64_t dueAt)
    {
        c.hasRequest = true;
        c.warmup = warmup;
        c.retried = false;
        c.dueNs = dueAt;
        c.written = 0;
        c.deadlineNs = timeoutNs ? nowNs() + timeoutNs : std::numeric_limits<std::int64_t>::max();
        c.parser.reset(true, report.firstError.isEmpty() ? KeepErrorBody : 0);
        ++inFlight;
        if (warmup) {
            --warmupLeft;
            ++warmupInFlight;
            ++report.warmupSent;
        } else {
            ++report.sent;
        }
        start(c);
    }

    void start(Connection &c)
    {
        if (c.fd < 0) {
            if (const int e = connectSocket(c)) {
                requestFailed(
                    c, errnoKind(e),
                    QStringLiteral("cannot connect to %1: %2").arg(targetText(), errnoKind(e)),
                    true);
                return;
            }
            if (c.state == State::Connecting)
                return;
        }
        write(c);
    }

    void write(Connection &c)
    {
        if (c.written == 0) {
            c.startNs = nowNs();
            if (timeoutNs)
                c.deadlineNs = c.startNs + timeoutNs;
        }
        const ssize_t n =
            ::send(c.fd, request.data() + c.written, request.size() - c.written, MSG_NOSIGNAL);
        if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) {
            const int e = errno;
            if (retryOnStaleSocket(c))
                return;
            requestFailed(c, errnoKind(e), errnoKind(e) + QStringLiteral(" while sending"), false);
            return;
        }
        if (n > 0)
            c.written += std::size_t(n);
        if (c.written == request.size()) {
            c.state = State::Reading;
            setEvents(c, false);
        } else {
            c.state = State::Writing;
            setEvents(c, true);
        }
    }

    // A kept-alive socket that sat idle and that the server had closed meanwhile (its keep-alive
    // timeout): send the request again on a fresh one, as HTTP clients do when nothing of the
    // answer arrived. Once per request, and only after an idle spell, so that a server dropping
    // busy connections shows up as errors instead of being hidden.
    bool retryOnStaleSocket(Connection &c)
    {
        if (!c.reused || c.retried || c.parser.receivedAnything() ||
            c.startNs - c.idleSinceNs < StaleAfterNs)
            return false;
        closeSocket(c);
        c.retried = true;
        c.written = 0;
        c.parser.reset(true, report.firstError.isEmpty() ? KeepErrorBody : 0);
        start(c);
        return true;
    }

    void read(Connection &c)
    {
        const ssize_t n = ::recv(c.fd, buffer.data(), buffer.size(), 0);
        if (n < 0) {
            if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)
                return;
            const int e = errno;
            if (!c.hasRequest) {
                closeSocket(c);
                return;
            }
            if (retryOnStaleSocket(c))
                return;
            requestFailed(c, errnoKind(e),
                          errnoKind(e) + QStringLiteral(" while reading the answer"), false);
            return;
        }
        if (n == 0) {
            if (!c.hasRequest) { // an idle kept-alive socket closed by the server
                closeSocket(c);
                return;
            }
            if (c.state == State::Reading && retryOnStaleSocket(c))
                return;
            c.parser.closed();
            if (c.parser.done()) {
                answered(c);
            } else {
                const bool nothing = !c.parser.receivedAnything();
                requestFailed(c,
                              nothing ? QStringLiteral("closed without an answer")
                                      : QStringLiteral("answer cut off"),
                              QString::fromStdString(c.parser.error()), false);
            }
            return;
        }
        if (phase != Phase::Warmup)
            report.bytesReceived += n;
        if (!c.hasRequest) { // bytes nobody asked for: the socket can no longer be trusted
            closeSocket(c);
            return;
        }
        const std::size_t used = c.parser.feed(buffer.data(), std::size_t(n));
        if (c.parser.failed()) {
            requestFailed(c, QStringLiteral("bad answer"), QString::fromStdString(c.parser.error()),
                          false);
        } else if (c.parser.done()) {
            const bool extra = used < std::size_t(n);
            answered(c);
            if (extra && c.fd >= 0 && !c.hasRequest)
                closeSocket(c);
        }
    }

    void answered(Connection &c)
    {
        const std::int64_t t = nowNs();
        const HttpResponseParser &p = c.parser;
        c.hasRequest = false;
        --inFlight;
        if (c.warmup) {
            --warmupInFlight;
        } else {
            const std::int64_t latency = t - (openLoop() ? c.dueNs : c.startNs);
            const int status = p.status();
            report.latency.record(latency);
            if (openLoop())
                report.serviceTime.record(t - c.startNs);
            ++report.answered;
            ++report.statusCounts[status];
            if (status >= 200 && status < 300) {
                ++report.succeeded;
            } else if (report.firstError.isEmpty()) {
                report.firstError =
                    QString::number(status) + u' ' + QString::fromStdString(p.reason()).trimmed();
                if (!p.body().empty())
                    report.firstError +=
                        QStringLiteral(": ") +
                        QString::fromUtf8(p.body().data(), qsizetype(p.body().size())).simplified();
            }
            Slice &s = slice(t);
            ++s.answered;
            ++s.statuses[status];
            s.client.record(latency);
            if (p.serverMs() >= 0) {
                const auto serverNs = std::int64_t(std::llround(p.serverMs() * 1e6));
                report.serverTime.record(serverNs);
                s.server.record(serverNs);
            }
            if (!p.serverVersion().empty())
                ++servers[p.serverVersion()];
            if (!p.deployment().empty())
                ++deployments[p.deployment()];
            lastAnswerNs = t;
        }
        c.reused = true;
        c.idleSinceNs = t;
        c.state = State::Ready;
        if (!p.keepAlive())
            closeSocket(c);
        release(c);
    }

    void requestFailed(Connection &c, const QString &kind, const QString &message, bool connect)
    {
        const std::int64_t t = nowNs();
        c.hasRequest = false;
        --inFlight;
        closeSocket(c);
        if (c.warmup) {
            --warmupInFlight;
            report.fatalError = QStringLiteral("warm-up request failed: ") + message;
            phase = Phase::Done;
            return;
        }
        ++report.transportErrors;
        ++report.errorsByKind[kind];
        if (report.firstError.isEmpty())
            report.firstError = message.isEmpty() ? kind : message;
        ++slice(t).transportErrors;
        lastAnswerNs = t;
        // The slot goes on from the loop, not from here (no recursion through failing sends);
        // after a failed connect it waits a little so that a refusing server is not flooded.
        c.state = State::Parked;
        c.retryAtNs = connect ? t + RetryNs : t;
        ++parked;
    }

    // Parked slots whose wait is over go back to work; returns the next wait's end.
    std::int64_t unpark(std::int64_t t)
    {
        std::int64_t next = std::numeric_limits<std::int64_t>::max();
        if (parked == 0)
            return next;
        for (Connection &c : connections) {
            if (c.state != State::Parked)
                continue;
            if (c.retryAtNs <= t) {
                c.state = State::Closed;
                --parked;
                release(c);
                if (phase == Phase::Done)
                    break;
            } else {
                next = std::min(next, c.retryAtNs);
            }
        }
        return next;
    }

    bool closedLoopWantsMore(std::int64_t t) const
    {
        if (plan.requests > 0)
            return report.sent < plan.requests;
        return t < endNs;
    }

    // A connection is free: give it the next request, or keep it for later.
    void release(Connection &c)
    {
        if (phase == Phase::Warmup) {
            if (warmupLeft > 0) {
                assign(c, true, 0);
                return;
            }
            idle.push_back(int(&c - connections.data()));
            if (warmupInFlight == 0)
                beginMeasured();
            return;
        }
        if (phase == Phase::Measured) {
            const std::int64_t t = nowNs();
            if (!openLoop()) {
                if (closedLoopWantsMore(t)) {
                    assign(c, false, 0);
                    return;
                }
            } else if (dueIndex < dueLimit && due(dueIndex) <= t && due(dueIndex) < endNs) {
                assign(c, false, due(dueIndex++));
                return;
            }
        }
        idle.push_back(int(&c - connections.data()));
    }

    void beginMeasured()
    {
        phase = Phase::Measured;
        t0 = nowNs();
        lastAnswerNs = t0;
        if (plan.durationSec > 0 && plan.requests == 0)
            endNs = t0 + std::int64_t(plan.durationSec * 1e9);
        if (openLoop()) {
            dueStepNs = 1e9 / plan.ratePerSec;
            dueLimit = plan.requests > 0
                           ? plan.requests
                           : std::int64_t(std::ceil(plan.durationSec * plan.ratePerSec));
            pump();
            return;
        }
        std::vector<int> free;
        free.swap(idle);
        for (int i : free)
            release(connections[std::size_t(i)]);
    }

    // Open loop: every request now due goes to a free connection.
    void pump()
    {
        if (phase != Phase::Measured || !openLoop())
            return;
        const std::int64_t t = nowNs();
        while (!idle.empty() && dueIndex < dueLimit && due(dueIndex) <= t) {
            Connection &c = connections[std::size_t(idle.back())];
            idle.pop_back();
            assign(c, false, due(dueIndex++));
        }
    }

    Slice &slice(std::int64_t t)
    {
        auto index = std::max<std::int64_t>(0, t - t0) / sliceNs;
        while (index >= MaxSlices) {
            std::vector<Slice> merged((slices.size() + 1) / 2);
            for (std::size_t i = 0; i < slices.size(); ++i)
                merged[i / 2].merge(slices[i]);
            slices.swap(merged);
            sliceNs *= 2;
            index = std::max<std::int64_t>(0, t - t0) / sliceNs;
        }
        if (std::size_t(index) >= slices.size())
            slices.resize(std::size_t(index) + 1);
        return slices[std::size_t(index)];
    }

    // --- the loop ------------------------------------------------------------------------

    void onTick(std::int64_t t)
    {
        for (Connection &c : connections) {
            if (c.hasRequest && c.deadlineNs <= t) {
                const QString text =
                    QStringLiteral("no answer within %1 ms").arg(plan.request.timeoutMs);
                requestFailed(c, QStringLiteral("timed out"), text, false);
            }
            if (phase == Phase::Done)
                return;
        }
        if (phase == Phase::Measured && t >= endNs) {
            if (openLoop())
                report.notSent = std::max<std::int64_t>(0, dueLimit - dueIndex);
            phase = Phase::Draining;
        }
    }

    bool measuredDone() const
    {
        if (phase == Phase::Draining)
            return inFlight == 0;
        if (phase != Phase::Measured || inFlight != 0)
            return false;
        if (openLoop())
            return dueIndex >= dueLimit;
        return !closedLoopWantsMore(nowNs());
    }

    void armTimer(std::int64_t at)
    {
        if (at == armedNs)
            return;
        itimerspec spec{};
        spec.it_value.tv_sec = time_t(at / 1'000'000'000);
        spec.it_value.tv_nsec = long(at % 1'000'000'000);
        timerfd_settime(timerFd, TFD_TIMER_ABSTIME, &spec, nullptr);
        armedNs = at;
    }

    LoadReport snapshot(bool final) const
    {
        LoadReport r = report;
        const std::int64_t now = final ? lastAnswerNs : nowNs();
        if (phase != Phase::Warmup && t0 > 0)
            r.elapsedSec = double(std::max<std::int64_t>(0, now - t0)) / 1e9;
        for (const auto &[name, n] : servers)
            r.servers.insert(QString::fromStdString(name), n);
        for (const auto &[name, n] : deployments)
            r.deployments.insert(QString::fromStdString(name), n);
        for (std::size_t i = 0; i < slices.size(); ++i) {
            const Slice &s = slices[i];
            LoadInterval in;
            in.startSec = double(std::int64_t(i) * sliceNs) / 1e9;
            in.lengthSec =
                std::max(0.0, std::min(double(sliceNs) / 1e9, r.elapsedSec - in.startSec));
            if (in.lengthSec <= 0)
                in.lengthSec = double(sliceNs) / 1e9;
            in.answered = s.answered;
            in.transportErrors = s.transportErrors;
            for (const auto &[code, n] : s.statuses)
                in.statuses.insert(code, n);
            in.p50Ms = s.client.percentileMs(50);
            in.p99Ms = s.client.percentileMs(99);
            in.maxMs = s.client.percentileMs(100);
            in.serverP50Ms = s.server.isEmpty() ? -1 : s.server.percentileMs(50);
            r.timeline.append(in);
        }
        r.finished = final;
        return r;
    }

    LoadReport run(const Progress &progress, int progressIntervalMs)
    {
        report = {};
        report.plan = plan;
        if (const QString problem = plan.problem(); !problem.isEmpty()) {
            report.fatalError = problem;
            report.finished = true;
            return report;
        }
        connections = std::vector<Connection>(std::size_t(plan.concurrency));
        buffer.resize(64 * 1024);
        timeoutNs = std::int64_t(std::max(0, plan.request.timeoutMs)) * Millisecond;
        epollFd = epoll_create1(EPOLL_CLOEXEC);
        timerFd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
        if (epollFd < 0 || wakeFd < 0 || timerFd < 0) {
            report.fatalError =
                QStringLiteral("cannot set up the load engine: ") + errnoKind(errno);
            report.finished = true;
            return report;
        }
        epoll_event ev{};
        ev.events = EPOLLIN;
        ev.data.u32 = WakeId;
        epoll_ctl(epollFd, EPOLL_CTL_ADD, wakeFd, &ev);
        ev.data.u32 = TimerId;
        epoll_ctl(epollFd, EPOLL_CTL_ADD, timerFd, &ev);

        const int connectLimitMs =
            plan.request.timeoutMs > 0 ? std::min(plan.request.timeoutMs, 10000) : 10000;
        if (const QString error = resolveAndConnect(connectLimitMs); !error.isEmpty()) {
            report.fatalError = error;
            report.finished = true;
            return report;
        }

        phase = Phase::Warmup;
        warmupLeft = plan.effectiveWarmup();
        if (warmupLeft == 0) {
            for (std::size_t i = 0; i < connections.size(); ++i)
                idle.push_back(int(i));
            beginMeasured();
        } else {
            for (Connection &c : connections) {
                if (phase != Phase::Warmup)
                    break;
                release(c);
            }
        }

        const std::int64_t progressNs =
            std::int64_t(std::max(20, progressIntervalMs)) * Millisecond;
        std::int64_t nextTick = nowNs() + TickNs;
        std::int64_t nextProgress = nowNs() + progressNs;
        std::vector<epoll_event> events(256);
        while (phase != Phase::Done) {
            if (cancelRequested.load(std::memory_order_relaxed)) {
                report.canceled = true;
                if (openLoop() && phase == Phase::Measured)
                    report.notSent = std::max<std::int64_t>(0, dueLimit - dueIndex);
                break;
            }
            std::int64_t t = nowNs();
            if (t >= nextTick) {
                onTick(t);
                nextTick = t + TickNs;
                if (phase == Phase::Done)
                    break;
            }
            if (progress && t >= nextProgress) {
                progress(snapshot(false));
                nextProgress = t + progressNs;
            }
            const std::int64_t retryAt = unpark(t);
            if (phase == Phase::Done)
                break;
            pump();
            if (measuredDone())
                break;
            std::int64_t wake = std::min({nextTick, endNs, retryAt});
            if (openLoop() && phase == Phase::Measured && !idle.empty() && dueIndex < dueLimit)
                wake = std::min(wake, due(dueIndex));
            armTimer(wake);
            const int n = epoll_wait(epollFd, events.data(), int(events.size()), -1);
            if (n < 0) {
                if (errno == EINTR)
                    continue;
                report.fatalError = QStringLiteral("epoll_wait failed: ") + errnoKind(errno);
                break;
            }
            for (int i = 0; i < n; ++i) {
                const std::uint32_t id = events[std::size_t(i)].data.u32;
                const std::uint32_t what = events[std::size_t(i)].events;
                if (id == WakeId || id == TimerId) {
                    std::uint64_t value = 0;
                    [[maybe_unused]] const ssize_t r =
                        ::read(id == WakeId ? wakeFd : timerFd, &value, sizeof value);
                    if (id == TimerId)
                        armedNs = -1;
                    continue;
                }
                handle(connections[id], what);
                if (phase == Phase::Done)
                    break;
            }
        }
        if (lastAnswerNs == 0 || phase == Phase::Warmup)
            lastAnswerNs = nowNs();
        LoadReport final = snapshot(true);
        for (Connection &c : connections)
            closeSocket(c);
        ::close(epollFd);
        ::close(timerFd);
        epollFd = timerFd = -1;
        return final;
    }

    void handle(Connection &c, std::uint32_t what)
    {
        if (c.fd < 0)
            return;
        if (c.state == State::Connecting) {
            if (!(what & (EPOLLOUT | EPOLLERR | EPOLLHUP)))
                return;
            int e = 0;
            socklen_t len = sizeof e;
            getsockopt(c.fd, SOL_SOCKET, SO_ERROR, &e, &len);
            if (e != 0) {
                requestFailed(
                    c, errnoKind(e),
                    QStringLiteral("cannot connect to %1: %2").arg(targetText(), errnoKind(e)),
                    true);
                return;
            }
            c.state = State::Ready;
            if (c.hasRequest)
                write(c);
            else
                setEvents(c, false);
            return;
        }
        if ((what & EPOLLOUT) && c.state == State::Writing)
            write(c);
        if (c.fd >= 0 && (what & (EPOLLIN | EPOLLERR | EPOLLHUP)))
            read(c);
    }
};

LoadEngine::LoadEngine(LoadPlan plan)
    : d(std::make_unique<Impl>())
{
    d->plan = std::move(plan);
    d->request = requestBytes(d->plan.request);
    // Made here, not in run(), so that cancel() from another thread never sees it change.
    d->wakeFd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
}

LoadEngine::~LoadEngine()
{
    if (d->wakeFd >= 0)
        ::close(d->wakeFd);
}

LoadReport LoadEngine::run(const Progress &progress, int progressIntervalMs)
{
    return d->run(progress, progressIntervalMs);
}

void LoadEngine::cancel()
{
    d->cancelRequested.store(true);
    if (d->wakeFd >= 0) {
        const std::uint64_t one = WakeToken;
        [[maybe_unused]] const ssize_t r = ::write(d->wakeFd, &one, sizeof one);
    }
}
