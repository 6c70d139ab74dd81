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
#include <condition_variable>
#include <cstring>
#include <ctime>
#include <limits>
#include <map>
#include <mutex>
#include <string>
#include <thread>
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
// Where the requests go: resolved and tried once, for every worker.
struct Target
{
    sockaddr_storage address{};
    socklen_t length = 0;
    int family = AF_INET;
    QString text; // "127.0.0.1:5001"
};

int newSocket(int family)
{
    const int fd = ::socket(family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd >= 0) {
        const int one = 1;
        setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    }
    return fd;
}

// Resolves the host and connects once, blocking up to `limitMs`, trying each address (localhost
// is often ::1 first while the server listens on 127.0.0.1 only). Returns the connected socket
// (the first worker's first connection), or -1 and the error.
int resolveAndConnect(const QUrl &url, int limitMs, Target *target, QString *error)
{
    target->text = url.host() + u':' + QString::number(url.port(80));
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    addrinfo *list = nullptr;
    const QByteArray host = url.host(QUrl::FullyEncoded).toLatin1();
    const QByteArray port = QByteArray::number(url.port(80));
    if (const int rc = getaddrinfo(host.constData(), port.constData(), &hints, &list)) {
        *error = QStringLiteral("cannot resolve %1: %2")
                     .arg(url.host(), QString::fromLocal8Bit(gai_strerror(rc)));
        return -1;
    }
    QString last;
    const std::int64_t deadline = nowNs() + std::int64_t(limitMs) * Millisecond;
    for (addrinfo *a = list; a; a = a->ai_next) {
        const int fd = newSocket(a->ai_family);
        if (fd < 0) {
            last = errnoKind(errno);
            continue;
        }
        int e = 0;
        if (::connect(fd, a->ai_addr, a->ai_addrlen) != 0) {
            e = errno;
            if (e == EINPROGRESS) {
                pollfd p{fd, POLLOUT, 0};
                const int wait = int(std::max<std::int64_t>(0, deadline - nowNs()) / Millisecond);
                const int rc = ::poll(&p, 1, wait);
                e = ETIMEDOUT;
                if (rc > 0) {
                    socklen_t len = sizeof e;
                    getsockopt(fd, SOL_SOCKET, SO_ERROR, &e, &len);
                }
            }
        }
        if (e == 0) {
            std::memcpy(&target->address, a->ai_addr, a->ai_addrlen);
            target->length = a->ai_addrlen;
            target->family = a->ai_family;
            freeaddrinfo(list);
            return fd;
        }
        ::close(fd);
        last = errnoKind(e);
    }
    freeaddrinfo(list);
    *error = QStringLiteral("cannot connect to %1: %2").arg(target->text, last);
    return -1;
}

// The part `index` of `total` shares of n: n / shares, the first n % shares one more.
std::int64_t share(std::int64_t total, int index, int shares)
{
    return total / shares + (index < total % shares ? 1 : 0);
}

} // namespace

// What the workers share: the plan, the figures (under one mutex, taken once per request sent
// and once per answer — uncontended at these rates), the start of the measured part, stopping.
struct LoadEngine::Impl
{
    LoadPlan plan;
    std::string request;
    int threads = 1;
    Target target;
    std::vector<int> wakeFds; // one per worker; made with the engine, closed with it
    std::atomic<bool> cancelRequested{false};
    std::atomic<bool> stopping{false}; // cancel, or a worker hit a fatal error
    std::atomic<bool> haveFirstError{false};

    std::mutex mutex; // guards everything below
    std::condition_variable warmedUpChanged;
    int warmedUp = 0;
    std::int64_t t0 = 0; // end of the warm-up: set when the last worker finished its own
    LoadReport report;
    std::map<std::string, std::int64_t> servers;
    std::map<std::string, std::int64_t> deployments;
    std::vector<Slice> slices;
    std::int64_t sliceNs = FirstSliceNs;
    std::int64_t lastAnswerNs = 0;

    void wakeAll()
    {
        const std::uint64_t one = WakeToken;
        for (int fd : wakeFds) {
            [[maybe_unused]] const ssize_t r = ::write(fd, &one, sizeof one);
        }
    }

    void fail(const QString &message)
    {
        {
            const std::lock_guard lock(mutex);
            if (report.fatalError.isEmpty())
                report.fatalError = message;
        }
        stopping = true;
        warmedUpChanged.notify_all();
        wakeAll();
    }

    // Blocks until every worker has finished its warm-up; the common start of the measured
    // part, or 0 when the run is stopping.
    std::int64_t arriveWarmedUp()
    {
        std::unique_lock lock(mutex);
        if (++warmedUp == threads) {
            t0 = nowNs();
            lastAnswerNs = t0;
            warmedUpChanged.notify_all();
        } else {
            warmedUpChanged.wait(lock, [this] { return warmedUp == threads || stopping; });
        }
        return warmedUp == threads ? t0 : 0;
    }

    Slice &slice(std::int64_t t) // mutex held
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

    void countSent(bool warmup)
    {
        const std::lock_guard lock(mutex);
        ++(warmup ? report.warmupSent : report.sent);
    }

    void recordAnswer(const HttpResponseParser &p, std::int64_t t, std::int64_t latency,
                      std::int64_t service)
    {
        const std::lock_guard lock(mutex);
        const int status = p.status();
        report.latency.record(latency);
        if (service >= 0)
            report.serviceTime.record(service);
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
            haveFirstError = true;
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
        lastAnswerNs = std::max(lastAnswerNs, t);
    }

    void recordFailure(const QString &kind, const QString &message, std::int64_t t)
    {
        const std::lock_guard lock(mutex);
        ++report.transportErrors;
        ++report.errorsByKind[kind];
        if (report.firstError.isEmpty()) {
            report.firstError = message.isEmpty() ? kind : message;
            haveFirstError = true;
        }
        ++slice(t).transportErrors;
        lastAnswerNs = std::max(lastAnswerNs, t);
    }

    LoadReport snapshot(std::int64_t now, bool final)
    {
        const std::lock_guard lock(mutex);
        LoadReport r = report;
        if (t0 > 0)
            r.elapsedSec =
                double(std::max<std::int64_t>(0, (final ? lastAnswerNs : now) - t0)) / 1e9;
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
        r.canceled = cancelRequested;
        return r;
    }

    LoadReport run(const Progress &progress, int progressIntervalMs);
};

namespace {

// One thread's share of the run: its connections on its own epoll, its part of the requests
// (count), of the warm-up and of the rate (open loop: worker k of T sends requests k, k + T, …).
class Worker
{
public:
    enum class Phase { Warmup, Measured, Draining, Done };
    enum class State { Closed, Connecting, Ready, Writing, Reading, Parked };

    Worker(LoadEngine::Impl &shared, int index)
        : s(shared)
        , m_index(index)
        , m_wakeFd(shared.wakeFds[std::size_t(index)])
    {
        const LoadPlan &plan = s.plan;
        const int threads = s.threads;
        m_connections =
            std::vector<Connection>(std::size_t(share(plan.concurrency, index, threads)));
        m_requests = plan.requests > 0 ? share(plan.requests, index, threads) : 0;
        m_warmupLeft = share(plan.effectiveWarmup(), index, threads);
        m_timeoutNs = std::int64_t(std::max(0, plan.request.timeoutMs)) * Millisecond;
        if (plan.mode == LoadMode::OpenLoop && plan.ratePerSec > 0) {
            const double stepNs = 1e9 / plan.ratePerSec;
            m_dueStepNs = stepNs * threads;
            m_dueOffsetNs = stepNs * index;
            const std::int64_t total =
                plan.requests > 0 ? plan.requests
                                  : std::int64_t(std::ceil(plan.durationSec * plan.ratePerSec));
            m_dueLimit = share(total, index, threads);
        }
    }

    // Runs until this worker's share is done or the run stops; `firstFd` is a connected socket
    // for the first connection (or -1). Only worker 0 reports progress.
    void run(int firstFd, const LoadEngine::Progress &progress, std::int64_t progressNs);
    std::int64_t notSent() const { return m_notSent; }

private:
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

    bool openLoop() const { return s.plan.mode == LoadMode::OpenLoop; }
    std::int64_t due(std::int64_t k) const
    {
        return m_t0 + std::int64_t(m_dueOffsetNs + double(k) * m_dueStepNs);
    }
    std::uint32_t idOf(const Connection &c) const
    {
        return std::uint32_t(&c - m_connections.data());
    }

    // --- sockets ---------------------------------------------------------------------------

    void setEvents(Connection &c, bool out)
    {
        if (c.fd < 0 || c.wantsOut == out)
            return;
        epoll_event ev{};
        ev.events = EPOLLIN | (out ? EPOLLOUT : 0u);
        ev.data.u32 = idOf(c);
        epoll_ctl(m_epollFd, EPOLL_CTL_MOD, c.fd, &ev);
        c.wantsOut = out;
    }

    void closeSocket(Connection &c)
    {
        if (c.fd >= 0) {
            epoll_ctl(m_epollFd, EPOLL_CTL_DEL, c.fd, nullptr);
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
        ev.data.u32 = idOf(c);
        epoll_ctl(m_epollFd, EPOLL_CTL_ADD, fd, &ev);
    }

    // Starts connecting; 0 on success (or in progress), else errno.
    int connectSocket(Connection &c)
    {
        const int fd = newSocket(s.target.family);
        if (fd < 0)
            return errno;
        if (::connect(fd, reinterpret_cast<const sockaddr *>(&s.target.address), s.target.length) ==
            0) {
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

    QString cannotConnect(int e) const
    {
        return QStringLiteral("cannot connect to %1: %2").arg(s.target.text, errnoKind(e));
    }

    // --- requests --------------------------------------------------------------------------

    void assign(Connection &c, bool warmup, std::int64_t dueAt)
    {
        c.hasRequest = true;
        c.warmup = warmup;
        c.retried = false;
        c.dueNs = dueAt;
        c.written = 0;
        c.deadlineNs =
            m_timeoutNs ? nowNs() + m_timeoutNs : std::numeric_limits<std::int64_t>::max();
        c.parser.reset(true, s.haveFirstError ? 0 : KeepErrorBody);
        ++m_inFlight;
        if (warmup) {
            --m_warmupLeft;
            ++m_warmupInFlight;
        } else {
            ++m_sent;
        }
        s.countSent(warmup);
        start(c);
    }

    void start(Connection &c)
    {
        if (c.fd < 0) {
            if (const int e = connectSocket(c)) {
                requestFailed(c, errnoKind(e), cannotConnect(e), true);
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
            if (m_timeoutNs)
                c.deadlineNs = c.startNs + m_timeoutNs;
        }
        const std::string &bytes = s.request;
        const ssize_t n =
            ::send(c.fd, bytes.data() + c.written, bytes.size() - c.written, MSG_NOSIGNAL);
        if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) {
            const int e = errno;
            if (retryOnStaleSocket(c))
                return;
            requestFailed(c, errnoKind(e), errnoKind(e) + QStringLiteral(" while sending"), false);
            return;
        }
        if (n > 0)
            c.written += std::size_t(n);
        if (c.written == bytes.size()) {
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
        c.parser.reset(true, s.haveFirstError ? 0 : KeepErrorBody);
        start(c);
        return true;
    }

    void read(Connection &c)
    {
        const ssize_t n = ::recv(c.fd, m_buffer.data(), m_buffer.size(), 0);
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
        if (!c.hasRequest) { // bytes nobody asked for: the socket can no longer be trusted
            closeSocket(c);
            return;
        }
        if (!c.warmup)
            m_bytes += n;
        const std::size_t used = c.parser.feed(m_buffer.data(), std::size_t(n));
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
        c.hasRequest = false;
        --m_inFlight;
        if (c.warmup) {
            --m_warmupInFlight;
        } else {
            const std::int64_t latency = t - (openLoop() ? c.dueNs : c.startNs);
            s.recordAnswer(c.parser, t, latency, openLoop() ? t - c.startNs : -1);
        }
        c.reused = true;
        c.idleSinceNs = t;
        c.state = State::Ready;
        if (!c.parser.keepAlive())
            closeSocket(c);
        release(c);
    }

    void requestFailed(Connection &c, const QString &kind, const QString &message, bool connect)
    {
        const std::int64_t t = nowNs();
        c.hasRequest = false;
        --m_inFlight;
        closeSocket(c);
        if (c.warmup) {
            --m_warmupInFlight;
            s.fail(QStringLiteral("warm-up request failed: ") + message);
            m_phase = Phase::Done;
            return;
        }
        s.recordFailure(kind, message, t);
        // The slot goes on from the loop, not from here (no recursion through failing sends);
        // after a failed connect it waits a little so that a refusing server is not flooded.
        c.state = State::Parked;
        c.retryAtNs = connect ? t + RetryNs : t;
        ++m_parked;
    }

    // Parked slots whose wait is over go back to work; returns when the next wait ends.
    std::int64_t unpark(std::int64_t t)
    {
        std::int64_t next = std::numeric_limits<std::int64_t>::max();
        if (m_parked == 0)
            return next;
        for (Connection &c : m_connections) {
            if (c.state != State::Parked)
                continue;
            if (c.retryAtNs <= t) {
                c.state = State::Closed;
                --m_parked;
                release(c);
                if (m_phase == Phase::Done)
                    break;
            } else {
                next = std::min(next, c.retryAtNs);
            }
        }
        return next;
    }

    bool closedLoopWantsMore(std::int64_t t) const
    {
        if (m_requests > 0)
            return m_sent < m_requests;
        return s.plan.requests == 0 && t < m_endNs;
    }

    // A connection is free: give it the next request, or keep it for later.
    void release(Connection &c)
    {
        if (m_phase == Phase::Warmup) {
            if (m_warmupLeft > 0) {
                assign(c, true, 0);
                return;
            }
            m_idle.push_back(int(idOf(c)));
            if (m_warmupInFlight == 0)
                beginMeasured();
            return;
        }
        if (m_phase == Phase::Measured) {
            const std::int64_t t = nowNs();
            if (!openLoop()) {
                if (closedLoopWantsMore(t)) {
                    assign(c, false, 0);
                    return;
                }
            } else if (m_dueIndex < m_dueLimit && due(m_dueIndex) <= t &&
                       due(m_dueIndex) < m_endNs) {
                assign(c, false, due(m_dueIndex++));
                return;
            }
        }
        m_idle.push_back(int(idOf(c)));
    }

    void beginMeasured()
    {
        // Every worker ends its warm-up before any measures: one start for all.
        m_t0 = s.arriveWarmedUp();
        if (m_t0 == 0) {
            m_phase = Phase::Done;
            return;
        }
        m_phase = Phase::Measured;
        if (s.plan.requests == 0 && s.plan.durationSec > 0)
            m_endNs = m_t0 + std::int64_t(s.plan.durationSec * 1e9);
        if (openLoop()) {
            pump();
            return;
        }
        std::vector<int> free;
        free.swap(m_idle);
        for (int i : free)
            release(m_connections[std::size_t(i)]);
    }

    // Open loop: every request now due goes to a free connection.
    void pump()
    {
        if (m_phase != Phase::Measured || !openLoop())
            return;
        const std::int64_t t = nowNs();
        while (!m_idle.empty() && m_dueIndex < m_dueLimit && due(m_dueIndex) <= t) {
            Connection &c = m_connections[std::size_t(m_idle.back())];
            m_idle.pop_back();
            assign(c, false, due(m_dueIndex++));
        }
    }

    void onTick(std::int64_t t)
    {
        for (Connection &c : m_connections) {
            if (c.hasRequest && c.deadlineNs <= t) {
                const QString text =
                    QStringLiteral("no answer within %1 ms").arg(s.plan.request.timeoutMs);
                requestFailed(c, QStringLiteral("timed out"), text, false);
            }
            if (m_phase == Phase::Done)
                return;
        }
        if (m_phase == Phase::Measured && t >= m_endNs) {
            if (openLoop())
                m_notSent = std::max<std::int64_t>(0, m_dueLimit - m_dueIndex);
            m_phase = Phase::Draining;
        }
    }

    bool measuredDone() const
    {
        if (m_phase == Phase::Draining)
            return m_inFlight == 0;
        if (m_phase != Phase::Measured || m_inFlight != 0)
            return false;
        if (openLoop())
            return m_dueIndex >= m_dueLimit;
        return !closedLoopWantsMore(nowNs());
    }

    void armTimer(std::int64_t at)
    {
        if (at == m_armedNs)
            return;
        itimerspec spec{};
        spec.it_value.tv_sec = time_t(at / 1'000'000'000);
        spec.it_value.tv_nsec = long(at % 1'000'000'000);
        timerfd_settime(m_timerFd, TFD_TIMER_ABSTIME, &spec, nullptr);
        m_armedNs = at;
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
                requestFailed(c, errnoKind(e), cannotConnect(e), true);
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

    LoadEngine::Impl &s;
    int m_index;
    int m_wakeFd;
    int m_epollFd = -1;
    int m_timerFd = -1;
    std::vector<Connection> m_connections;
    std::vector<int> m_idle;
    std::vector<char> m_buffer;
    Phase m_phase = Phase::Warmup;
    std::int64_t m_requests = 0; // this worker's share of a counted run
    std::int64_t m_sent = 0;
    std::int64_t m_warmupLeft = 0;
    std::int64_t m_warmupInFlight = 0;
    std::int64_t m_inFlight = 0;
    std::int64_t m_timeoutNs = 0;
    std::int64_t m_t0 = 0;
    std::int64_t m_endNs = std::numeric_limits<std::int64_t>::max();
    double m_dueStepNs = 0;
    double m_dueOffsetNs = 0;
    std::int64_t m_dueIndex = 0;
    std::int64_t m_dueLimit = 0;
    std::int64_t m_notSent = 0;
    std::int64_t m_armedNs = -1;
    std::int64_t m_bytes = 0;
    int m_parked = 0;
};

void Worker::run(int firstFd, const LoadEngine::Progress &progress, std::int64_t progressNs)
{
    m_buffer.resize(64 * 1024);
    m_epollFd = epoll_create1(EPOLL_CLOEXEC);
    m_timerFd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
    if (m_epollFd < 0 || m_timerFd < 0) {
        s.fail(QStringLiteral("cannot set up the load engine: ") + errnoKind(errno));
        if (firstFd >= 0)
            ::close(firstFd);
    } else {
        epoll_event ev{};
        ev.events = EPOLLIN;
        ev.data.u32 = WakeId;
        epoll_ctl(m_epollFd, EPOLL_CTL_ADD, m_wakeFd, &ev);
        ev.data.u32 = TimerId;
        epoll_ctl(m_epollFd, EPOLL_CTL_ADD, m_timerFd, &ev);
        if (firstFd >= 0 && !m_connections.empty())
            adopt(m_connections.front(), firstFd, false);

        m_phase = Phase::Warmup;
        if (m_warmupLeft == 0) {
            for (std::size_t i = 0; i < m_connections.size(); ++i)
                m_idle.push_back(int(i));
            beginMeasured();
        } else {
            for (Connection &c : m_connections) {
                if (m_phase != Phase::Warmup)
                    break;
                release(c);
            }
        }

        std::int64_t nextTick = nowNs() + TickNs;
        std::int64_t nextProgress = nowNs() + progressNs;
        std::vector<epoll_event> events(256);
        while (m_phase != Phase::Done && !s.stopping) {
            const std::int64_t t = nowNs();
            if (t >= nextTick) {
                onTick(t);
                nextTick = t + TickNs;
                if (m_phase == Phase::Done)
                    break;
            }
            if (progress && t >= nextProgress) {
                progress(s.snapshot(t, false));
                nextProgress = t + progressNs;
            }
            const std::int64_t retryAt = unpark(t);
            if (m_phase == Phase::Done)
                break;
            pump();
            if (measuredDone())
                break;
            std::int64_t wake = std::min({nextTick, m_endNs, retryAt});
            if (progress)
                wake = std::min(wake, nextProgress);
            if (openLoop() && m_phase == Phase::Measured && !m_idle.empty() &&
                m_dueIndex < m_dueLimit)
                wake = std::min(wake, due(m_dueIndex));
            armTimer(wake);
            const int n = epoll_wait(m_epollFd, events.data(), int(events.size()), -1);
            if (n < 0) {
                if (errno == EINTR)
                    continue;
                s.fail(QStringLiteral("epoll_wait failed: ") + errnoKind(errno));
                break;
            }
            for (int i = 0; i < n; ++i) {
                const std::uint32_t id = events[std::size_t(i)].data.u32;
                const std::uint32_t what = events[std::size_t(i)].events;
                if (id == WakeId || id == TimerId) {
                    std::uint64_t value = 0;
                    [[maybe_unused]] const ssize_t r =
                        ::read(id == WakeId ? m_wakeFd : m_timerFd, &value, sizeof value);
                    if (id == TimerId)
                        m_armedNs = -1;
                    continue;
                }
                handle(m_connections[id], what);
                if (m_phase == Phase::Done)
                    break;
            }
        }
        if (openLoop() && m_phase == Phase::Measured)
            m_notSent = std::max<std::int64_t>(0, m_dueLimit - m_dueIndex);
    }
    for (Connection &c : m_connections)
        closeSocket(c);
    if (m_epollFd >= 0)
        ::close(m_epollFd);
    if (m_timerFd >= 0)
        ::close(m_timerFd);
    {
        const std::lock_guard lock(s.mutex);
        s.report.notSent += m_notSent;
        s.report.bytesReceived += m_bytes;
    }
    // A worker that ends early (its share done) must not hold the others at the warm-up.
    if (m_phase == Phase::Warmup)
        s.fail(s.stopping ? QString() : QStringLiteral("the warm-up did not finish"));
}

} // namespace

LoadReport LoadEngine::Impl::run(const Progress &progress, int progressIntervalMs)
{
    {
        const std::lock_guard lock(mutex);
        report = LoadReport();
        report.plan = plan;
    }
    if (const QString problem = plan.problem(); !problem.isEmpty()) {
        report.fatalError = problem;
        report.finished = true;
        return report;
    }
    const int connectLimitMs =
        plan.request.timeoutMs > 0 ? std::min(plan.request.timeoutMs, 10000) : 10000;
    QString error;
    const int firstFd = resolveAndConnect(plan.request.url, connectLimitMs, &target, &error);
    if (firstFd < 0) {
        report.fatalError = error;
        report.finished = true;
        return report;
    }
    const std::int64_t progressNs = std::int64_t(std::max(20, progressIntervalMs)) * Millisecond;
    std::vector<std::unique_ptr<Worker>> workers;
    for (int i = 0; i < threads; ++i)
        workers.push_back(std::make_unique<Worker>(*this, i));
    std::vector<std::thread> helpers;
    for (int i = 1; i < threads; ++i)
        helpers.emplace_back([&, i] { workers[std::size_t(i)]->run(-1, {}, progressNs); });
    workers.front()->run(firstFd, progress, progressNs);
    // Worker 0 is done; the others finish their shares (or stop with it when it failed).
    for (std::thread &t : helpers)
        t.join();
    LoadReport final = snapshot(nowNs(), true);
    if (t0 == 0)
        final.elapsedSec = 0;
    return final;
}

LoadEngine::LoadEngine(LoadPlan plan)
    : d(std::make_unique<Impl>())
{
    d->plan = std::move(plan);
    d->request = requestBytes(d->plan.request);
    d->threads = d->plan.effectiveThreads();
    // Made here, not in run(), so that cancel() from another thread never sees them change.
    for (int i = 0; i < d->threads; ++i)
        d->wakeFds.push_back(eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC));
}

LoadEngine::~LoadEngine()
{
    for (int fd : d->wakeFds) {
        if (fd >= 0)
            ::close(fd);
    }
}

LoadReport LoadEngine::run(const Progress &progress, int progressIntervalMs)
{
    return d->run(progress, progressIntervalMs);
}

void LoadEngine::cancel()
{
    d->cancelRequested = true;
    d->stopping = true;
    d->warmedUpChanged.notify_all();
    d->wakeAll();
}
