"""Tests of resources/scoring/scoring_server.py over real HTTP on loopback (stdlib unittest).

Run: cd tests/python && /usr/bin/python3 -m unittest -v test_scoring_server
"""
import http.client
import json
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
SERVER = os.path.normpath(os.path.join(HERE, "..", "..", "resources", "scoring",
                                       "scoring_server.py"))
FIXTURES = os.path.join(HERE, "fixtures")
PYTHON = sys.executable or "/usr/bin/python3"
LINE_RE = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} [DIWEC] \[\d+\] [\w.\-]+ - ")
ACCESS_RE = re.compile(r"azmlinfsrv\.access - \[(?P<id>[^\]]+)\] (?P<method>[A-Z]+) (?P<path>\S+) "
                       r"(?P<status>\d{3}) (?P<ms>\d+\.\d\d)ms (?P<bytes>\d+)$")


def read_text(path):
    with open(path) as f:
        return f.read()


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class ServerProcess:
    """Starts the scoring server with a fixture script; log goes to a temp file."""

    def __init__(self, script, env=None, args=(), wait_ready=True):
        self.port = free_port()
        self.logfile = tempfile.NamedTemporaryFile("w+", prefix="scoring-", suffix=".log",
                                                   delete=False)
        full_env = dict(os.environ)
        full_env.pop("AZUREML_MODEL_DIR", None)
        full_env.pop("WORKER_COUNT", None)
        full_env.pop("SCORING_TIMEOUT_MS", None)
        full_env["PYTHONUNBUFFERED"] = "1"
        full_env.update(env or {})
        cmd = [PYTHON, SERVER, "--entry_script", os.path.join(FIXTURES, script), "--port",
               str(self.port), "--host", "127.0.0.1"] + list(args)
        self.proc = subprocess.Popen(cmd, stdout=self.logfile, stderr=subprocess.STDOUT,
                                     env=full_env, cwd=FIXTURES)
        if wait_ready:
            self.wait_for("ready for serving traffic", 10)

    def log(self):
        with open(self.logfile.name) as f:
            return f.read()

    def wait_for(self, text, timeout):
        deadline = time.time() + timeout
        while time.time() < deadline:
            if text in self.log():
                return
            if self.proc.poll() is not None:
                raise AssertionError("server exited with %s before '%s':\n%s"
                                     % (self.proc.returncode, text, self.log()))
            time.sleep(0.02)
        raise AssertionError("timed out waiting for '%s':\n%s" % (text, self.log()))

    def wait_workers(self, n, timeout=15):
        """Until n workers said they serve (each loads the script and runs init() itself)."""
        deadline = time.time() + timeout
        while self.log().count("ready for serving traffic") < n:
            if time.time() > deadline:
                raise AssertionError("%d workers never got ready:\n%s" % (n, self.log()))
            if self.proc.poll() is not None:
                raise AssertionError("server exited with %s:\n%s"
                                     % (self.proc.returncode, self.log()))
            time.sleep(0.02)

    def conn(self, timeout=10):
        return http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)

    def request(self, method, path, body=None, headers=None):
        c = self.conn()
        try:
            c.request(method, path, body=body, headers=headers or {})
            r = c.getresponse()
            return r.status, dict((k.lower(), v) for k, v in r.getheaders()), r.read()
        finally:
            c.close()

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.logfile.close()
        os.unlink(self.logfile.name)


class ServerCase(unittest.TestCase):
    script = "echo_score.py"
    env = None
    args = ()

    @classmethod
    def setUpClass(cls):
        cls.server = ServerProcess(cls.script, cls.env, cls.args)

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()

    def post(self, data, headers=None, path="/score"):
        if not isinstance(data, (bytes, str)):
            data = json.dumps(data)
        return self.server.request("POST", path, data, headers)


class TestRoutes(ServerCase):
    script = "echo_score.py"

    def test_health_get_root(self):
        status, headers, body = self.server.request("GET", "/")
        self.assertEqual(status, 200)
        self.assertEqual(body, b"Healthy")
        self.assertTrue(headers["x-ms-server-version"].startswith("azmlinfsrv/"))

    def test_post_score_echo(self):
        status, headers, body = self.post({"a": [1, 2, 3]})
        self.assertEqual(status, 200)
        self.assertEqual(json.loads(body), {"a": [1, 2, 3]})
        self.assertEqual(headers["content-type"], "application/json")
        self.assertEqual(headers["x-ms-run-function-failed"], "False")
        self.assertRegex(headers["x-ms-run-fn-exec-ms"], r"^\d+\.\d{3}$")

    def test_get_score_query_becomes_json_string(self):
        status, _, body = self.server.request("GET", "/score?a=1&b=text&a=2&c=%7B%22k%22%3A1%7D")
        self.assertEqual(status, 200)
        self.assertEqual(json.loads(body), {"a": [1, 2], "b": "text", "c": {"k": 1}})

    def test_options_score(self):
        status, _, body = self.server.request("OPTIONS", "/score")
        self.assertEqual(status, 200)
        self.assertEqual(body, b"")

    def test_swagger_versions(self):
        for version, key, value in (("2", "swagger", "2.0"), ("3", "openapi", "3.0.1"),
                                    ("3.1", "openapi", "3.1.0"), ("2.0", "swagger", "2.0")):
            status, headers, body = self.server.request("GET", "/swagger.json?version=" + version)
            self.assertEqual(status, 200, version)
            doc = json.loads(body)
            self.assertEqual(doc[key], value)
            self.assertTrue(any(p.endswith("/score") for p in doc["paths"]))
        status, _, body = self.server.request("GET", "/swagger.json")
        self.assertEqual(json.loads(body)["swagger"], "2.0")

    def test_swagger_unknown_version_404(self):
        status, _, body = self.server.request("GET", "/swagger.json?version=9")
        self.assertEqual(status, 404)
        self.assertIn("message", json.loads(body))

    def test_unknown_route_404_json(self):
        status, headers, body = self.server.request("GET", "/nope")
        self.assertEqual(status, 404)
        self.assertEqual(headers["content-type"], "application/json")
        self.assertIn("not found", json.loads(body)["message"])

    def test_wrong_method_405_json(self):
        for method, path in (("PUT", "/score"), ("DELETE", "/score"), ("POST", "/")):
            status, _, body = self.server.request(method, path, b"x")
            self.assertEqual(status, 405, (method, path))
            self.assertIn("not allowed", json.loads(body)["message"])

    def test_request_id_generated_and_echoed(self):
        _, headers, _ = self.post("{}")
        self.assertRegex(headers["x-request-id"], r"^[0-9a-f\-]{36}$")
        self.assertEqual(headers["x-ms-request-id"], headers["x-request-id"])
        _, headers, _ = self.post("{}", {"x-request-id": "rid-1", "x-ms-client-request-id": "c-1",
                                         "TraceId": "trace-9"})
        self.assertEqual(headers["x-request-id"], "rid-1")
        self.assertEqual(headers["x-ms-client-request-id"], "c-1")
        self.assertEqual(headers["traceid"], "trace-9")
        _, headers, _ = self.post("{}", {"x-ms-request-id": "legacy-1"})
        self.assertEqual(headers["x-ms-request-id"], "legacy-1")
        self.assertEqual(headers["x-ms-client-request-id"], "legacy-1")

    def test_long_request_id_431(self):
        for name in ("x-request-id", "x-ms-request-id", "x-ms-client-request-id"):
            status, _, body = self.post("{}", {name: "r" * 101})
            self.assertEqual(status, 431, name)
            self.assertIn(name, json.loads(body)["message"])
        status, _, _ = self.post("{}", {"x-request-id": "r" * 100})
        self.assertEqual(status, 200)

    def test_non_utf8_body_400(self):
        status, _, body = self.post(b"\xff\xfe\xfa")
        self.assertEqual(status, 400)
        self.assertEqual(json.loads(body), {"message": "Input cannot be decoded as UTF-8"})

    def test_keep_alive_reuses_connection(self):
        c = self.server.conn()
        try:
            c.request("GET", "/")
            r = c.getresponse()
            r.read()
            sock = c.sock
            self.assertIsNotNone(sock)
            for i in range(5):
                c.request("POST", "/score", body=json.dumps({"i": i}))
                r = c.getresponse()
                self.assertEqual(json.loads(r.read()), {"i": i})
                self.assertIs(c.sock, sock, "connection was not reused")
            self.assertEqual(r.getheader("Connection"), "keep-alive")
        finally:
            c.close()

    def test_chunked_and_expect_continue(self):
        s = socket.create_connection(("127.0.0.1", self.server.port), timeout=5)
        try:
            s.sendall(b"POST /score HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n"
                      b"Expect: 100-continue\r\nConnection: close\r\n\r\n"
                      b"4\r\n{\"a\"\r\n3\r\n: 5\r\n1\r\n}\r\n0\r\n\r\n")
            data = b""
            while True:
                chunk = s.recv(65536)
                if not chunk:
                    break
                data += chunk
        finally:
            s.close()
        self.assertTrue(data.startswith(b"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK"), data)
        self.assertTrue(data.endswith(b'{"a": 5}'), data)

    def _raw(self, payload):
        s = socket.create_connection(("127.0.0.1", self.server.port), timeout=5)
        try:
            s.sendall(payload)
            data = b""
            while True:
                chunk = s.recv(65536)
                if not chunk:
                    break
                data += chunk
            return data
        finally:
            s.close()

    def test_pipelined_requests_answered_in_order(self):
        data = self._raw(b"POST /score HTTP/1.1\r\nContent-Length: 3\r\n\r\n[1]"
                         b"POST /score HTTP/1.1\r\nContent-Length: 3\r\n\r\n[2]"
                         b"GET / HTTP/1.1\r\nConnection: close\r\n\r\n")
        self.assertEqual(data.count(b"HTTP/1.1 200 OK"), 3, data)
        self.assertLess(data.index(b"\r\n\r\n[1]"), data.index(b"\r\n\r\n[2]"))
        self.assertTrue(data.endswith(b"Healthy"), data)

    def test_http10_closes_connection(self):
        data = self._raw(b"GET / HTTP/1.0\r\n\r\n")
        self.assertTrue(data.startswith(b"HTTP/1.1 200 OK"), data)
        self.assertIn(b"Connection: close", data)

    def test_bad_request_line_400(self):
        data = self._raw(b"NONSENSE\r\n\r\n")
        self.assertTrue(data.startswith(b"HTTP/1.1 400 "), data)

    def test_large_body(self):
        payload = json.dumps({"x": "a" * 3000000})
        status, _, body = self.post(payload)
        self.assertEqual(status, 200)
        self.assertEqual(len(body), len(payload))

    def test_log_lines_format(self):
        self.post("{}", {"x-request-id": "log-check-1"})
        self.server.wait_for("log-check-1] POST /score 200", 5)
        text = self.server.log()
        lines = text.splitlines()
        self.assertTrue(any("Azure ML Inferencing HTTP server v" in l for l in lines))
        self.assertIn("Server Settings", lines)
        self.assertIn("Server Routes", lines)
        started = [l for l in lines if LINE_RE.match(l)]
        messages = [l.split(" - ", 1)[1] for l in started]
        for expected in ("Found user script at ", "Invoking user's init function",
                         "Users's init has completed successfully"):
            self.assertTrue(any(m.startswith(expected) for m in messages), expected)
        self.assertTrue(any("ready for serving traffic" in m for m in messages))
        # user's print() and logging output at INFO, with the logger names
        self.assertTrue(any(re.search(r" I \[\d+\] azmlinfsrv\.print - init print line$", l)
                            for l in lines))
        self.assertTrue(any(re.search(r" I \[\d+\] userlogger - user logger in init$", l)
                            for l in lines))
        self.assertTrue(any(re.search(r" I \[\d+\] root - root logger in init$", l) for l in lines))
        # lines emitted while handling the request carry its id
        self.assertTrue(any(re.search(r" I \[\d+\] azmlinfsrv\.print - \[log-check-1\] run print "
                                      r"line$", l) for l in lines))
        self.assertTrue(any(re.search(r" root - \[log-check-1\] root logger in run$", l)
                            for l in lines))
        access = [ACCESS_RE.search(l) for l in lines]
        access = [m for m in access if m and m.group("id") == "log-check-1"]
        self.assertEqual(len(access), 1)
        self.assertEqual(access[0].group("method"), "POST")
        self.assertEqual(access[0].group("path"), "/score")
        self.assertEqual(access[0].group("status"), "200")
        self.assertEqual(access[0].group("bytes"), "2")
        # every line after the banner is a formatted log line
        after = lines[lines.index("Server Routes") + 5:]
        for l in after:
            self.assertRegex(l, LINE_RE, l)

    def test_one_access_line_per_request(self):
        for i in range(3):
            self.server.request("GET", "/", headers={"x-request-id": "acc-%d" % i})
        self.server.wait_for("[acc-2] GET / 200", 5)
        for i in range(3):
            self.assertEqual(self.server.log().count("[acc-%d] GET / 200 " % i), 1)


class TestResponseRules(ServerCase):
    script = "returns_score.py"
    env = {"SCORING_TIMEOUT_MS": "500"}

    def test_none_becomes_empty_object(self):
        status, _, body = self.post({"kind": "none"})
        self.assertEqual((status, body), (200, b"{}"))

    def test_string_is_double_encoded(self):
        status, _, body = self.post({"kind": "str"})
        self.assertEqual((status, body), (200, b'"hello"'))

    def test_non_serialisable_500(self):
        status, headers, body = self.post({"kind": "unserialisable"})
        self.assertEqual(status, 500)
        self.assertEqual(json.loads(body)["message"],
                         "An unexpected internal error occurred. Check the logs for more info.")
        self.assertEqual(headers["x-ms-run-function-failed"], "False")
        self.assertNotIn("x-ms-run-fn-exec-ms", headers)

    def test_run_exception_500_and_traceback_logged(self):
        status, headers, body = self.post({"kind": "raise"}, {"x-request-id": "raise-1"})
        self.assertEqual(status, 500)
        self.assertEqual(json.loads(body), {"message": "An unexpected error occurred in scoring "
                                                       "script. Check the logs for more info."})
        self.assertEqual(headers["x-ms-run-function-failed"], "True")
        # azmlinfsrv (microsoft/azureml-inference-server, server/routes.py handle_score) adds
        # x-ms-run-fn-exec-ms after a run() that returned; its UserScriptException branch
        # answers ErrorResponse(500, …) without it. Load runs read the header as the server time.
        self.assertNotIn("x-ms-run-fn-exec-ms", headers)
        self.server.wait_for("[raise-1] POST /score 500", 5)
        log = self.server.log()
        self.assertRegex(log, r" E \[\d+\] azmlinfsrv\.user_script - \[raise-1\] Encountered "
                              r"Exception: Traceback")
        self.assertIn("ValueError: boom from run", log)
        self.assertNotIn(b"boom", body)

    def test_timeout_500(self):
        t0 = time.time()
        status, headers, body = self.post({"kind": "sleep", "seconds": 1.5})
        elapsed = time.time() - t0
        self.assertEqual(status, 500)
        self.assertEqual(json.loads(body), {"message": "Scoring timeout after 500 ms"})
        self.assertEqual(headers["x-ms-run-function-failed"], "True")
        self.assertLess(elapsed, 1.4)
        time.sleep(1.1)  # let the sleeping run() finish before the next test uses the worker

    def test_timeout_interrupts_busy_run(self):
        status, _, body = self.post({"kind": "spin", "seconds": 5})
        self.assertEqual(status, 500)
        self.assertEqual(json.loads(body), {"message": "Scoring timeout after 500 ms"})
        # the spinning run() was interrupted, so the single worker is free again quickly
        t0 = time.time()
        status, _, body = self.post({"kind": "echo"})
        self.assertEqual(status, 200)
        self.assertLess(time.time() - t0, 1.0)


class TestClientGoesAway(ServerCase):
    script = "returns_score.py"

    def test_client_disconnects_during_run(self):
        s = socket.create_connection(("127.0.0.1", self.server.port), timeout=5)
        body = json.dumps({"kind": "sleep", "seconds": 0.3}).encode()
        s.sendall(b"POST /score HTTP/1.1\r\nContent-Length: %d\r\n\r\n" % len(body) + body)
        s.close()
        time.sleep(0.5)
        status, _, body = self.post({"kind": "echo"})
        self.assertEqual(status, 200)
        self.assertEqual(self.server.proc.poll(), None)


class TestRawHttp(ServerCase):
    script = "raw_score.py"

    def test_rawhttp_post_amlresponse_json(self):
        status, headers, body = self.post({"x": 1}, {"Content-Type": "application/json"})
        self.assertEqual(status, 201)
        self.assertEqual(json.loads(body), {"echo": {"x": 1}, "ctype": "application/json"})
        self.assertEqual(headers["content-type"], "application/json")

    def test_rawhttp_comma_header_split(self):
        c = self.server.conn()
        try:
            c.request("POST", "/score", body='{"x": 1}', headers={"Content-Type":
                                                                   "application/json"})
            r = c.getresponse()
            r.read()
            self.assertEqual([v for k, v in r.getheaders() if k == "X-Custom"], ["a", "b"])
        finally:
            c.close()

    def test_rawhttp_get_args(self):
        status, _, body = self.server.request("GET", "/score?q=hello")
        self.assertEqual((status, body), (200, b"got hello"))

    def test_rawhttp_options_reaches_run(self):
        c = self.server.conn()
        try:
            c.request("OPTIONS", "/score")
            r = c.getresponse()
            r.read()
            self.assertEqual(r.status, 204)
            # comma-separated AMLResponse header values are sent as repeated headers
            self.assertEqual([v for k, v in r.getheaders() if k == "Allow"],
                             ["GET", "POST", "OPTIONS"])
        finally:
            c.close()

    def test_rawhttp_error_status(self):
        status, headers, body = self.post({"fail": True}, {"Content-Type": "application/json"})
        self.assertEqual((status, body), (422, b"bad input here"))
        self.assertEqual(headers["x-ms-run-function-failed"], "False")


class TestRequestHeaders(ServerCase):
    script = "headers_score.py"

    def test_request_headers_parameter(self):
        status, _, body = self.post("payload", {"X-Custom-Thing": "v1", "x-request-id": "h-1"})
        self.assertEqual(status, 200)
        doc = json.loads(body)
        self.assertEqual(doc["data"], "payload")
        self.assertEqual(doc["headers"]["X-Custom-Thing"], "v1")
        self.assertEqual(doc["headers"]["X-Request-Id"], "h-1")


class TestInferenceSchema(ServerCase):
    """@input_schema scripts, with a stand-in inference_schema package on PYTHONPATH."""
    script = "schema_score.py"
    env = {"PYTHONPATH": os.path.join(FIXTURES, "fake_schema_pkg")}
    JSON = {"Content-Type": "application/json"}

    def test_parameters_bound_from_json_object(self):
        status, _, body = self.post({"data": [1, 2, 3], "scale": 10}, self.JSON)
        self.assertEqual((status, json.loads(body)), (200, [10, 20, 30]))
        status, _, body = self.post({"data": [1, 2]}, self.JSON)
        self.assertEqual((status, json.loads(body)), (200, [1, 2]))

    def test_wrong_content_type_415(self):
        status, _, body = self.post({"data": [1]}, {"Content-Type": "text/plain"})
        self.assertEqual(status, 415)
        self.assertEqual(json.loads(body)["message"], "Expects Content-Type to be application/json")

    def test_bad_bodies_400(self):
        cases = (("[1, 2]", "POST body should be a JSON dictionary."),
                 ("", "POST body is empty"),
                 ("{nope", "POST body could not be decoded as JSON"),
                 ('{"scale": 2}', "A value is not provided for the 'data' parameter."))
        for payload, message in cases:
            status, _, body = self.post(payload, self.JSON)
            self.assertEqual(status, 400, payload)
            self.assertTrue(json.loads(body)["message"].startswith(message), (payload, body))

    def test_swagger_describes_schema(self):
        _, _, body = self.server.request("GET", "/swagger.json?version=3")
        schemas = json.loads(body)["components"]["schemas"]
        self.assertEqual(schemas["ServiceInput"]["properties"]["data"]["type"], "array")
        self.assertEqual(schemas["ServiceOutput"]["example"], [2, 4])
        self.assertIn("decorated with @input_schema", self.server.log())


class TestConcurrency(unittest.TestCase):
    def _burst(self, workers):
        server = ServerProcess("returns_score.py", {"WORKER_COUNT": str(workers)})
        try:
            server.wait_workers(workers)
            results = []

            def one():
                results.append(server.request("POST", "/score",
                                              json.dumps({"kind": "sleep", "seconds": 0.3}))[0])

            threads = [threading.Thread(target=one) for _ in range(4)]
            t0 = time.time()
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            return time.time() - t0, results
        finally:
            server.stop()

    def test_worker_count_1_serialises_run(self):
        elapsed, results = self._burst(1)
        self.assertEqual(results, [200] * 4)
        self.assertGreaterEqual(elapsed, 1.2)

    def test_worker_count_4_runs_in_parallel(self):
        elapsed, results = self._burst(4)
        self.assertEqual(results, [200] * 4)
        self.assertLess(elapsed, 0.8)

    def test_health_answers_while_another_worker_is_busy(self):
        server = ServerProcess("returns_score.py", {"WORKER_COUNT": "2"})
        try:
            server.wait_workers(2)
            t = threading.Thread(target=server.request, args=(
                "POST", "/score", json.dumps({"kind": "sleep", "seconds": 0.8})))
            t.start()
            time.sleep(0.2)
            t0 = time.time()
            status, _, body = server.request("GET", "/")
            self.assertEqual((status, body), (200, b"Healthy"))
            self.assertLess(time.time() - t0, 0.5)
            t.join(5)
        finally:
            server.stop()

    def test_single_busy_worker_answers_nothing_else(self):
        # A gunicorn sync worker busy in run() reads no other request: with WORKER_COUNT=1 the
        # health probe waits for run() (so a stuck run() fails Azure's liveness probe).
        server = ServerProcess("returns_score.py")
        try:
            t = threading.Thread(target=server.request, args=(
                "POST", "/score", json.dumps({"kind": "sleep", "seconds": 0.8})))
            t.start()
            time.sleep(0.2)
            t0 = time.time()
            status, _, body = server.request("GET", "/")
            self.assertEqual((status, body), (200, b"Healthy"))
            self.assertGreater(time.time() - t0, 0.4)
            t.join(5)
        finally:
            server.stop()

    def test_worker_count_flag(self):
        server = ServerProcess("echo_score.py", args=("--worker_count", "3"))
        try:
            self.assertIn("Worker Count: 3", server.log())
        finally:
            server.stop()


class TestWorkerProcesses(unittest.TestCase):
    """WORKER_COUNT worker processes, each with its own init(), watched by a master (gunicorn's
    sync workers under azmlinfsrv)."""

    def _pids(self, server, n=8):
        results = []

        def one():
            status, _, body = server.request("POST", "/score", json.dumps({"sleep": 0.3}))
            results.append((status, json.loads(body)))

        threads = [threading.Thread(target=one) for _ in range(n)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(20)
        return results

    def test_two_workers_two_pids_each_ran_init(self):
        server = ServerProcess("pid_score.py", {"WORKER_COUNT": "2"})
        try:
            server.wait_workers(2)
            results = self._pids(server)
            self.assertEqual([s for s, _ in results], [200] * 8)
            pids = {doc["pid"] for _, doc in results}
            self.assertEqual(len(pids), 2, results)
            for _, doc in results:
                self.assertEqual(doc["pid"], doc["init_pid"])  # its own init()
            self.assertNotIn(server.proc.pid, pids)  # the master serves nothing itself
            log = server.log()
            init_pids = set(re.findall(r"\[(\d+)\] azmlinfsrv - Users's init has completed", log))
            self.assertEqual(init_pids, {str(p) for p in pids})
            self.assertEqual(set(re.findall(r"pid fixture init in (\d+)", log)),
                             {str(p) for p in pids})
        finally:
            server.stop()

    def test_worker_timeout_kills_and_replaces_the_worker(self):
        # gunicorn's arbiter (azmlinfsrv passes --timeout WORKER_TIMEOUT; gunicorn/arbiter.py
        # murder_workers + reap_workers) kills a worker past the timeout and boots another one,
        # which runs init() again; the client of the stuck request loses its connection.
        server = ServerProcess("pid_score.py", {"WORKER_TIMEOUT": "1"})
        try:
            _, _, body = server.request("GET", "/score")
            first = json.loads(body)["pid"]
            t0 = time.time()
            with self.assertRaises((http.client.RemoteDisconnected, ConnectionError)):
                server.request("POST", "/score", json.dumps({"sleep": 30}))
            self.assertLess(time.time() - t0, 5)
            server.wait_for("Booting worker with pid", 5)
            server.wait_workers(2)
            status, _, body = server.request("GET", "/score")
            self.assertEqual(status, 200)
            second = json.loads(body)
            self.assertNotEqual(second["pid"], first)
            self.assertEqual(second["init_pid"], second["pid"])
            log = server.log()
            self.assertRegex(log, r" C \[%d\] azmlinfsrv - WORKER TIMEOUT \(pid:%d\): run\(\) ran "
                                  r"past WORKER_TIMEOUT \(1 s\)" % (server.proc.pid, first))
            # the killed worker says where run() was stuck
            self.assertRegex(log, r"Worker with pid %d was stopped by WORKER TIMEOUT after "
                                  r"1\.\d s in run\(\); it was at:" % first)
            self.assertIn('pid_score.py", line', log)
            self.assertIn("Worker Timeout (seconds): 1", log)
            self.assertIsNone(server.proc.poll())
        finally:
            server.stop()

    def test_worker_killed_in_run_is_replaced(self):
        server = ServerProcess("pid_score.py")
        try:
            with self.assertRaises((http.client.RemoteDisconnected, ConnectionError)):
                server.request("POST", "/score", json.dumps({"sigkill": True}))
            server.wait_for("killed by SIGKILL while in run(). Perhaps out of memory?", 5)
            server.wait_workers(2)
            self.assertEqual(server.request("GET", "/score")[0], 200)
        finally:
            server.stop()

    def test_worker_killed_while_booting_stops_the_server(self):
        # The kernel's OOM killer picks the largest process: an init() that loads too much.
        server = ServerProcess("pid_score.py", {"FIXTURE_INIT_SIGKILL": "1"}, wait_ready=False)
        try:
            self.assertEqual(server.proc.wait(15), 128 + signal.SIGKILL)
            log = server.log()
            self.assertIn("was killed by SIGKILL while starting (loading the script or in "
                          "init()). Perhaps out of memory? The server stops.", log)
            self.assertNotIn("ready for serving traffic", log)
        finally:
            server.stop()

    def test_hup_reloads_workers_with_the_new_script(self):
        tmp = tempfile.mkdtemp(prefix="reload-")
        script = os.path.join(tmp, "score.py")
        with open(os.path.join(FIXTURES, "pid_score.py")) as f:
            text = f.read()
        with open(script, "w") as f:
            f.write(text)
        server = ServerProcess(script, {"WORKER_COUNT": "2"})
        try:
            server.wait_workers(2)
            self.assertEqual(json.loads(server.request("GET", "/score")[2])["version"], 1)
            with open(script, "w") as f:
                f.write(text.replace("VERSION = 1", "VERSION = 2"))
            server.proc.send_signal(signal.SIGHUP)
            server.wait_for("reloading", 5)
            server.wait_workers(4)
            self.assertEqual(json.loads(server.request("GET", "/score")[2])["version"], 2)
            self.assertIsNone(server.proc.poll())
        finally:
            server.stop()

    def test_workers_die_with_the_master(self):
        server = ServerProcess("pid_score.py", {"WORKER_COUNT": "2"})
        try:
            server.wait_workers(2)
            pids = {doc["pid"] for _, doc in self._pids(server, 4)}
            server.proc.kill()
            server.proc.wait(5)
            deadline = time.time() + 5
            while any(os.path.exists("/proc/%d" % p) and
                      read_text("/proc/%d/stat" % p).split()[2] != "Z" for p in pids):
                self.assertLess(time.time(), deadline, "a worker outlived its master")
                time.sleep(0.05)
            with self.assertRaises(OSError):
                socket.create_connection(("127.0.0.1", server.port), timeout=1).close()
        finally:
            server.stop()


class TestGracefulStop(unittest.TestCase):
    def test_sigterm_during_slow_request(self):
        server = ServerProcess("returns_score.py")
        try:
            result = {}

            def slow():
                result["r"] = server.request("POST", "/score",
                                             json.dumps({"kind": "sleep", "seconds": 0.8}))

            # an idle keep-alive connection must not keep the server alive
            idle = server.conn()
            idle.request("GET", "/")
            idle.getresponse().read()
            t = threading.Thread(target=slow)
            t.start()
            time.sleep(0.3)
            server.proc.send_signal(signal.SIGTERM)
            t.join(10)
            self.assertEqual(server.proc.wait(10), 0)
            status, _, body = result["r"]
            self.assertEqual(status, 200)
            self.assertEqual(json.loads(body), {"slept": 0.8})
            with self.assertRaises(OSError):
                socket.create_connection(("127.0.0.1", server.port), timeout=1).close()
            idle.close()
        finally:
            server.stop()


class TestStartupFailures(unittest.TestCase):
    def _fails(self, script, expected):
        server = ServerProcess(script, wait_ready=False)
        try:
            rc = server.proc.wait(15)
            log = server.log()
            self.assertEqual(rc, 3, log)
            self.assertNotIn("ready for serving traffic", log)
            self.assertIn(expected, log)
            self.assertRegex(log, r" E \[\d+\] azmlinfsrv - ")
            return log
        finally:
            server.stop()

    def test_missing_script_exit_3(self):
        self._fails("does_not_exist.py", "User script not found")

    def test_syntax_error_exit_3(self):
        log = self._fails("syntax_error_score.py", "SyntaxError")
        self.assertIn("Traceback", log)

    def test_missing_run_exit_3(self):
        self._fails("no_run_score.py", "does not define a run() function")

    def test_missing_init_exit_3(self):
        self._fails("no_init_score.py", "does not define an init() function")

    def test_init_exception_exit_3(self):
        log = self._fails("init_raises_score.py", "User's init function failed")
        self.assertIn("RuntimeError: model file is missing", log)

    def test_varargs_rejected(self):
        self._fails("varargs_score.py", "variable arguments")

    def test_kwargs_rejected(self):
        self._fails("kwargs_score.py", "variable arguments")

    def test_inference_schema_missing_named(self):
        try:
            import inference_schema  # noqa: F401
            self.skipTest("inference_schema is installed here; the missing-package case cannot "
                          "be exercised")
        except ImportError:
            pass
        log = self._fails("schema_score.py", "'inference-schema' package")
        self.assertIn("pip install inference-schema", log)


class TestEnvironment(unittest.TestCase):
    def test_app_root_and_entry_script_env(self):
        port = free_port()
        with tempfile.NamedTemporaryFile("w+", suffix=".log") as logf:
            env = dict(os.environ, AML_APP_ROOT=FIXTURES, AZUREML_ENTRY_SCRIPT="echo_score.py",
                       AZUREML_MODEL_DIR="/tmp")
            proc = subprocess.Popen([PYTHON, SERVER, "--port", str(port), "--host", "127.0.0.1"],
                                    stdout=logf, stderr=subprocess.STDOUT, env=env, cwd="/")
            try:
                deadline = time.time() + 10
                while "ready for serving traffic" not in read_text(logf.name):
                    self.assertIsNone(proc.poll(), read_text(logf.name))
                    self.assertLess(time.time(), deadline)
                    time.sleep(0.02)
                c = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
                c.request("POST", "/score", body="[1]")
                self.assertEqual(c.getresponse().read(), b"[1]")
                c.close()
                self.assertIn("Model Directory: /tmp", read_text(logf.name))
            finally:
                proc.send_signal(signal.SIGTERM)
                self.assertEqual(proc.wait(10), 0)


if __name__ == "__main__":
    unittest.main()
