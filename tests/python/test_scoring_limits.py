"""The scoring server's limits and request hygiene (issue 14), over real sockets on loopback.

Run: cd tests/python && /usr/bin/python3 -m unittest -v test_scoring_limits
"""
import os
import resource
import socket
import subprocess
import sys
import time
import unittest

from test_scoring_server import SERVER, ServerProcess

sys.path.insert(0, os.path.dirname(SERVER))
import scoring_server  # noqa: E402  (its Limits class: the documented defaults)


def raw(port, data, timeout=5.0, read=True):
    """Sends data on a new connection; returns everything read until close or timeout."""
    s = socket.create_connection(("127.0.0.1", port), timeout=timeout)
    try:
        if data:
            s.sendall(data)
        if not read:
            return s
        out = b""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                chunk = s.recv(65536)
            except socket.timeout:
                break
            if not chunk:
                break
            out += chunk
        return out
    finally:
        if read:
            s.close()


def status_of(response):
    return int(response.split(b" ", 2)[1]) if response.startswith(b"HTTP/1.1 ") else None


class FewDescriptorsServer(ServerProcess):
    """The scoring server with RLIMIT_NOFILE lowered (set in the child before exec)."""

    def __init__(self, descriptors, env):
        real_popen = subprocess.Popen

        def popen(*args, **kwargs):
            kwargs["preexec_fn"] = lambda: resource.setrlimit(resource.RLIMIT_NOFILE,
                                                              (descriptors, descriptors))
            return real_popen(*args, **kwargs)

        subprocess.Popen = popen
        try:
            super().__init__("echo_score.py", env)
        finally:
            subprocess.Popen = real_popen


def _stat(pid):
    with open("/proc/%d/stat" % pid) as f:
        return f.read().rsplit(")", 1)[1].split()


def cpu_seconds(pid):
    """CPU time of the server: the master and its workers (the workers run the event loops)."""
    pids = [pid]
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                if int(_stat(int(entry))[1]) == pid:
                    pids.append(int(entry))
            except (OSError, IndexError, ValueError):
                pass
    total = 0
    for p in pids:
        try:
            fields = _stat(p)
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])
    return total / os.sysconf("SC_CLK_TCK")


class TestDefaults(unittest.TestCase):
    def test_documented_defaults(self):
        limits = scoring_server.Limits({})
        self.assertEqual(limits.max_body, 100 * 1024 * 1024)  # Azure images: nginx 100m
        self.assertEqual(limits.header_timeout, 30.0)
        self.assertEqual(limits.idle_timeout, 60.0)
        self.assertEqual(limits.write_timeout, 30.0)
        self.assertEqual(limits.max_connections, 1000)  # gunicorn worker_connections

    def test_bad_setting_is_refused(self):
        server = ServerProcess("echo_score.py", {"STUDIO_MAX_BODY_BYTES": "lots"},
                               wait_ready=False)
        try:
            server.proc.wait(15)
            self.assertNotEqual(server.proc.returncode, 0)
            self.assertIn("STUDIO_MAX_BODY_BYTES must be a number", server.log())
        finally:
            server.stop()


class TestBodyLimit(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = ServerProcess("echo_score.py", {"STUDIO_MAX_BODY_BYTES": "1000"})

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()

    def test_at_the_limit_is_served(self):
        body = b'"' + b"x" * 998 + b'"'
        status, _, _ = self.server.request("POST", "/score", body)
        self.assertEqual(status, 200)

    def test_over_the_limit_is_413(self):
        status, _, body = self.server.request("POST", "/score", b"x" * 1001)
        self.assertEqual(status, 413)
        self.assertIn(b"STUDIO_MAX_BODY_BYTES", body)

    def test_huge_content_length_is_refused_before_the_body(self):
        # 10^12 bytes announced: answered at once, nothing buffered.
        t0 = time.monotonic()
        out = raw(self.server.port, b"POST /score HTTP/1.1\r\nHost: x\r\n"
                  b"Content-Length: 1000000000000\r\n\r\n")
        self.assertEqual(status_of(out), 413, out)
        self.assertIn(b"1000000000000 bytes", out)
        self.assertLess(time.monotonic() - t0, 3)

    def test_chunked_over_the_limit_is_413(self):
        chunks = b"".join(b"100\r\n" + b"y" * 256 + b"\r\n" for _ in range(5)) + b"0\r\n\r\n"
        out = raw(self.server.port, b"POST /score HTTP/1.1\r\nHost: x\r\n"
                  b"Transfer-Encoding: chunked\r\n\r\n" + chunks)
        self.assertEqual(status_of(out), 413, out)

    def test_negative_chunk_size_is_400(self):
        out = raw(self.server.port, b"POST /score HTTP/1.1\r\nHost: x\r\n"
                  b"Transfer-Encoding: chunked\r\n\r\n-5\r\nabc\r\n0\r\n\r\n")
        self.assertEqual(status_of(out), 400, out)


class TestTimeouts(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = ServerProcess("echo_score.py", {"STUDIO_HEADER_TIMEOUT_S": "1",
                                                     "STUDIO_IDLE_TIMEOUT_S": "1.5"})

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()

    def test_slow_head_gets_408(self):
        t0 = time.monotonic()
        out = raw(self.server.port, b"GET / HTTP/1.1\r\nHost: x\r\n", timeout=6)
        self.assertEqual(status_of(out), 408, out)
        self.assertIn(b"STUDIO_HEADER_TIMEOUT_S", out)
        self.assertLess(time.monotonic() - t0, 4)

    def test_stalled_body_gets_408(self):
        out = raw(self.server.port, b"POST /score HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n"
                  b"\r\nabc", timeout=6)
        self.assertEqual(status_of(out), 408, out)

    def test_idle_keep_alive_connection_is_closed(self):
        s = raw(self.server.port, b"GET / HTTP/1.1\r\nHost: x\r\n\r\n", read=False)
        try:
            s.settimeout(6)
            first = s.recv(65536)
            self.assertEqual(status_of(first), 200)
            t0 = time.monotonic()
            self.assertEqual(s.recv(65536), b"")  # closed by the server, no bytes
            self.assertLess(time.monotonic() - t0, 4)
        finally:
            s.close()

    def test_silent_connection_is_closed(self):
        t0 = time.monotonic()
        self.assertEqual(raw(self.server.port, b"", timeout=6), b"")
        self.assertLess(time.monotonic() - t0, 4)


class TestConnectionCap(unittest.TestCase):
    def test_back_pressure_then_served(self):
        server = ServerProcess("echo_score.py", {"STUDIO_MAX_CONNECTIONS": "3"})
        held = []
        try:
            for _ in range(3):
                held.append(raw(server.port, b"", read=False))
            time.sleep(0.3)
            waiting = raw(server.port, b"GET / HTTP/1.1\r\nHost: x\r\n\r\n", read=False)
            waiting.settimeout(0.8)
            with self.assertRaises(socket.timeout):
                waiting.recv(65536)  # parked in the listen backlog, not refused
            held.pop().close()
            waiting.settimeout(5)
            self.assertEqual(status_of(waiting.recv(65536)), 200)
            waiting.close()
            self.assertIn("STUDIO_MAX_CONNECTIONS", server.log())
        finally:
            for s in held:
                s.close()
            server.stop()


class TestOutOfDescriptors(unittest.TestCase):
    def test_no_busy_loop_and_recovery(self):
        # 48 descriptors, 80 idle connections: accept() fails with EMFILE. Before, the loop woke
        # at once forever (92 % CPU) and refused everyone; now it pauses, and once the idle
        # connections time out the readiness route answers again.
        server = FewDescriptorsServer(48, {"STUDIO_IDLE_TIMEOUT_S": "2"})
        held = []
        try:
            for _ in range(80):
                held.append(raw(server.port, b"", read=False))
            time.sleep(0.3)
            before = cpu_seconds(server.proc.pid)
            time.sleep(1.5)
            used = cpu_seconds(server.proc.pid) - before
            self.assertLess(used, 0.5, "the server spun: %.2f s CPU in 1.5 s" % used)
            self.assertIn("Cannot accept connections", server.log())
            status, _, body = server.request("GET", "/")  # waits while idle ones time out
            self.assertEqual((status, body), (200, b"Healthy"))
        finally:
            for s in held:
                s.close()
            server.stop()


class TestSlowReader(unittest.TestCase):
    def test_event_loop_keeps_answering_and_drops_the_reader(self):
        server = ServerProcess("echo_score.py", {"STUDIO_WRITE_TIMEOUT_S": "4"})
        try:
            reader = socket.socket()
            reader.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
            reader.connect(("127.0.0.1", server.port))
            # Thousands of pipelined health checks, never read: their answers fill the socket.
            reader.setblocking(False)
            request = b"GET / HTTP/1.1\r\nHost: x\r\n\r\n" * 2000
            # Until the server stops taking them (its answers have nowhere to go) for 1 s.
            deadline = time.monotonic() + 20
            stalled_since = None
            while time.monotonic() < deadline:
                try:
                    reader.send(request)
                    stalled_since = None
                except ConnectionResetError:
                    self.fail("the server dropped the reader before it stalled")
                except BlockingIOError:
                    stalled_since = stalled_since or time.monotonic()
                    if time.monotonic() - stalled_since > 1.0:
                        break
                    time.sleep(0.01)
            t0 = time.monotonic()
            status, _, _ = server.request("GET", "/")
            self.assertEqual(status, 200)
            self.assertLess(time.monotonic() - t0, 1.0, "the event loop was blocked")
            server.wait_for("took no data", 10)
            reader.close()
        finally:
            server.stop()


class TestHeaderHygiene(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = ServerProcess("echo_score.py")

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()

    def test_bare_lf_in_request_id_is_400_not_injected(self):
        out = raw(self.server.port, b"GET / HTTP/1.1\r\nHost: x\r\n"
                  b"x-request-id: abc\nSet-Cookie: injected=1\r\n\r\n")
        self.assertEqual(status_of(out), 400, out)
        self.assertNotIn(b"Set-Cookie", out)
        self.assertIn(b"x-request-id", out)

    def test_control_characters_are_400(self):
        for value in (b"a\rb", b"a\x01b", b"a\x7fb", b"a\x00b"):
            out = raw(self.server.port, b"GET / HTTP/1.1\r\nHost: x\r\nTraceId: " + value +
                      b"\r\n\r\n")
            self.assertEqual(status_of(out), 400, (value, out))

    def test_tab_is_allowed(self):
        out = raw(self.server.port, b"GET / HTTP/1.1\r\nHost: x\r\nTraceId: a\tb\r\n"
                  b"Connection: close\r\n\r\n")
        self.assertEqual(status_of(out), 200, out)
        self.assertIn(b"TraceId: a\tb\r\n", out)


if __name__ == "__main__":
    unittest.main()
