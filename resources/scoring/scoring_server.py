#!/usr/bin/env python3
"""Endpoint Studio scoring server: the azmlinfsrv (azureml-inference-server-http 1.5.1) contract
in one standard-library Python file (Python >= 3.8).

    python3 scoring_server.py --entry_script score.py [--port 5001] [--model_dir DIR] [--worker_count N]

Environment (as azmlinfsrv): AML_APP_ROOT, AZUREML_ENTRY_SCRIPT, AZUREML_MODEL_DIR, WORKER_COUNT,
SCORING_TIMEOUT_MS, SERVICE_NAME, SERVICE_VERSION, SERVICE_PATH_PREFIX,
SERVER_VERSION_LOG_RESPONSE_ENABLED, AZUREML_LOG_LEVEL.

Exit codes: 0 after SIGTERM/SIGINT (in-flight requests finished), 1 bad arguments,
3 the user script could not be loaded or its init() failed.
"""
import argparse
import ctypes
import http.server
import importlib.util
import inspect
import json
import logging
import os
import queue
import signal
import socket
import sys
import threading
import time
import traceback
import uuid
from urllib.parse import parse_qsl

SERVER_NAME = "azmlinfsrv"
SERVER_VERSION = "1.5.1-studio"
VERSION_HEADER = "%s/%s" % (SERVER_NAME, SERVER_VERSION)
MAX_ID_LEN = 100
MAX_LINE = 65536
MAX_HEADERS = 200
EXIT_USER_SCRIPT = 3

_here = os.path.dirname(os.path.abspath(__file__))
if _here not in sys.path:
    sys.path.insert(0, _here)

from azureml_inference_server_http.api.aml_request import AMLRequest, Headers  # noqa: E402
from azureml_inference_server_http.api.aml_response import AMLResponse  # noqa: E402

MSG_RUN_FAILED = "An unexpected error occurred in scoring script. Check the logs for more info."
MSG_INTERNAL = "An unexpected internal error occurred. Check the logs for more info."
MSG_NOT_FOUND = ("The requested URL was not found on the server. If you entered the URL manually "
                 "please check your spelling and try again.")
MSG_METHOD = "The method is not allowed for the requested URL."

# ------------------------------------------------------------------------------------------
# Logging: "YYYY-MM-DD HH:MM:SS,mmm L [pid] logger - [request-id] message", UTC, flushed.
# ------------------------------------------------------------------------------------------
_tls = threading.local()
_real_stdout = sys.stdout
_out_lock = threading.Lock()


def _current_request_id():
    return getattr(_tls, "request_id", None)


class _Formatter(logging.Formatter):
    converter = time.gmtime

    def __init__(self):
        super().__init__("%(asctime)s %(levelname).1s [%(process)d] %(name)s - %(message)s")

    def format(self, record):
        rid = getattr(record, "request_id", None) or _current_request_id()
        if rid:
            record.msg = "[%s] %s" % (rid, record.getMessage())
            record.args = None
        return super().format(record)


class _Handler(logging.Handler):
    """Writes each record as whole lines to the real stdout, flushing every record."""

    def emit(self, record):
        try:
            text = self.format(record) + "\n"
            with _out_lock:
                _real_stdout.write(text)
                _real_stdout.flush()
        except Exception:  # pragma: no cover - never let logging kill a request
            self.handleError(record)


class _LineWriter:
    """File-like object that turns print() output into log lines of one logger."""

    def __init__(self, logger, level):
        self._logger = logger
        self._level = level
        self._buf = threading.local()
        self.encoding = "utf-8"
        self.errors = "replace"

    def write(self, s):
        if not isinstance(s, str):
            s = str(s)
        pending = getattr(self._buf, "text", "") + s
        *lines, rest = pending.split("\n")
        for line in lines:
            self._logger.log(self._level, line)
        self._buf.text = rest
        return len(s)

    def flush(self):
        rest = getattr(self._buf, "text", "")
        if rest:
            self._buf.text = ""
            self._logger.log(self._level, rest)

    def isatty(self):
        return False

    def writable(self):
        return True

    def fileno(self):
        return _real_stdout.fileno()


log = logging.getLogger(SERVER_NAME)
user_log = logging.getLogger(SERVER_NAME + ".user_script")
access_log = logging.getLogger(SERVER_NAME + ".access")
swagger_log = logging.getLogger(SERVER_NAME + ".swagger")


def setup_logging():
    global _real_stdout
    try:
        sys.stdout.reconfigure(line_buffering=True)
    except Exception:
        pass
    _real_stdout = sys.stdout
    handler = _Handler()
    handler.setFormatter(_Formatter())
    root = logging.getLogger()
    for h in list(root.handlers):
        root.removeHandler(h)
    root.addHandler(handler)
    level = os.environ.get("AZUREML_LOG_LEVEL", "INFO").upper()
    root.setLevel(getattr(logging, level, logging.INFO))
    sys.stdout = _LineWriter(logging.getLogger(SERVER_NAME + ".print"), logging.INFO)
    sys.stderr = _LineWriter(logging.getLogger(SERVER_NAME + ".print"), logging.WARNING)


def banner(line=""):
    with _out_lock:
        _real_stdout.write(line + "\n")
        _real_stdout.flush()


# ------------------------------------------------------------------------------------------
# User script
# ------------------------------------------------------------------------------------------
class UserScriptError(Exception):
    pass


class ScoringTimeout(BaseException):
    """Raised asynchronously inside a run() that exceeded SCORING_TIMEOUT_MS."""


class UserScript:
    def __init__(self, path):
        self.path = path
        self.module = None
        self.run = None
        self.rawhttp = False
        self.schema = False
        self.data_param = None
        self.params = []
        self.wants_headers = False
        self.input_schema = None
        self.output_schema = None

    def load(self):
        if not os.path.isfile(self.path):
            log.error("User script not found at %s. Set AML_APP_ROOT/AZUREML_ENTRY_SCRIPT or "
                      "--entry_script to an existing file.", self.path)
            log.error("AML_APP_ROOT: %s; PYTHONPATH: %s", os.environ.get("AML_APP_ROOT", ""),
                      os.environ.get("PYTHONPATH", ""))
            raise UserScriptError("script not found")
        log.info("Found user script at %s", self.path)
        script_dir = os.path.dirname(self.path)
        if script_dir not in sys.path:
            sys.path.insert(1, script_dir)
        name = os.path.splitext(os.path.basename(self.path))[0] or "main"
        spec = importlib.util.spec_from_file_location(name, self.path)
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        try:
            spec.loader.exec_module(module)
        except ModuleNotFoundError as e:
            missing = (e.name or "").split(".")[0]
            if missing == "inference_schema":
                log.error("The user script uses the 'inference-schema' package (module "
                          "'inference_schema'), which is not installed in this Python. Install "
                          "it in the image (pip install inference-schema) or remove "
                          "@input_schema/@output_schema from the script.", exc_info=True)
            else:
                log.error("Failed to import the user script %s: module '%s' is not installed.",
                          self.path, e.name, exc_info=True)
            raise UserScriptError("import failed")
        except BaseException:
            log.error("Failed to import the user script %s.", self.path, exc_info=True)
            raise UserScriptError("import failed")
        self.module = module
        init = getattr(module, "init", None)
        run = getattr(module, "run", None)
        if not callable(init):
            log.error("The user script %s does not define an init() function.", self.path)
            raise UserScriptError("no init")
        if not callable(run):
            log.error("The user script %s does not define a run() function.", self.path)
            raise UserScriptError("no run")
        self.init = init
        self.run = run
        self._analyse_run()

    def _analyse_run(self):
        run = self.run
        self.rawhttp = bool(getattr(run, "__aml_rawhttp__", False))
        self.schema = False
        try:
            from inference_schema import schema_util  # type: ignore
            self.schema = bool(schema_util.is_schema_decorated(run))
            if self.schema:
                self.input_schema = schema_util.get_input_schema(run)
                self.output_schema = schema_util.get_output_schema(run)
        except ImportError:
            pass
        except Exception:
            log.warning("Could not read the inference_schema decorations of run().", exc_info=True)
        if self.rawhttp and self.schema:
            log.error("run() cannot be decorated with both @rawhttp and @input_schema.")
            raise UserScriptError("rawhttp+schema")
        try:
            sig = inspect.signature(run)
        except (TypeError, ValueError):
            log.error("Cannot read the signature of run().")
            raise UserScriptError("bad signature")
        params = list(sig.parameters.values())
        for p in params:
            if p.kind in (p.VAR_POSITIONAL, p.VAR_KEYWORD):
                log.error("run() cannot use variable arguments (*%s / **%s). Declare the input "
                          "parameter by name, e.g. def run(data) or def run(data, request_headers).",
                          p.name, p.name)
                raise UserScriptError("varargs")
            if p.kind == p.POSITIONAL_ONLY:
                log.error("run() cannot use positional-only parameters ('%s').", p.name)
                raise UserScriptError("positional only")
        self.wants_headers = "request_headers" in sig.parameters
        data_params = [p for p in params if p.name != "request_headers"]
        self.params = data_params
        if self.schema:
            log.info("run() is decorated with @input_schema. Server will invoke it with the "
                     "following arguments: %s.", ", ".join(p.name for p in data_params))
            return
        if not data_params:
            log.error("run() must take one input parameter, e.g. def run(data).")
            raise UserScriptError("no input param")
        for p in data_params[1:]:
            if p.default is p.empty:
                log.error("run() must take exactly one input parameter without a default "
                          "(plus optional request_headers); '%s' has no default.", p.name)
                raise UserScriptError("too many params")
        self.data_param = data_params[0].name
        if self.rawhttp:
            log.info("run() is decorated with @rawhttp. Server will invoke it with the "
                     "AMLRequest object.")
        else:
            log.info("run() is not decorated. Server will invoke it with the input in JSON string.")

    def call_init(self):
        log.info("Invoking user's init function")
        try:
            self.init()
        except BaseException:
            log.error("User's init function failed")
            log.error("Encountered Exception %s", traceback.format_exc().rstrip())
            model_dir = os.environ.get("AZUREML_MODEL_DIR")
            if model_dir and os.path.isdir(model_dir):
                lines = []
                for root, dirs, files in os.walk(model_dir):
                    dirs.sort()
                    depth = os.path.relpath(root, model_dir).count(os.sep)
                    lines.append("%s%s/" % ("  " * depth, os.path.basename(root) or root))
                    for f in sorted(files):
                        lines.append("%s%s" % ("  " * (depth + 1), f))
                    if len(lines) > 200:
                        break
                log.error("Model Directory Contents (%s):\n%s", model_dir, "\n".join(lines[:200]))
            raise UserScriptError("init failed")
        log.info("Users's init has completed successfully")


# ------------------------------------------------------------------------------------------
# run() workers: WORKER_COUNT threads take jobs from a queue; the HTTP thread waits with
# the scoring timeout. A timed-out run() gets ScoringTimeout raised inside it.
# ------------------------------------------------------------------------------------------
class Job:
    __slots__ = ("fn", "kwargs", "request_id", "done", "result", "exc", "start", "ms",
                 "thread_id", "abandoned", "state_lock")

    def __init__(self, fn, kwargs, request_id):
        self.fn = fn
        self.kwargs = kwargs
        self.request_id = request_id
        self.done = threading.Lock()
        self.done.acquire()
        self.result = None
        self.exc = None
        self.start = None
        self.ms = 0.0
        self.thread_id = None
        self.abandoned = False
        self.state_lock = threading.Lock()


class Workers:
    def __init__(self, count):
        self.queue = queue.SimpleQueue()
        self.threads = []
        for i in range(count):
            t = threading.Thread(target=self._loop, name="run-worker-%d" % i, daemon=True)
            t.start()
            self.threads.append(t)

    def _loop(self):
        tid = threading.get_ident()
        while True:
            try:
                while True:
                    job = self.queue.get()
                    self._execute(job, tid)
            except ScoringTimeout:
                continue

    @staticmethod
    def _execute(job, tid):
        _tls.request_id = job.request_id
        job.thread_id = tid
        job.start = time.perf_counter()
        try:
            job.result = job.fn(**job.kwargs)
        except BaseException as e:  # includes ScoringTimeout
            job.exc = e
            job.exc.__traceback__ = e.__traceback__
        finally:
            job.ms = (time.perf_counter() - job.start) * 1000.0
            with job.state_lock:
                job.thread_id = None
            _tls.request_id = None
            job.done.release()

    def submit(self, fn, kwargs, request_id, timeout_s):
        """Run fn(**kwargs) on a worker; returns the finished Job, or None on timeout."""
        job = Job(fn, kwargs, request_id)
        self.queue.put(job)
        wait = timeout_s
        while not job.done.acquire(timeout=wait):
            start = job.start
            now = time.perf_counter()
            if start is None:  # still queued behind other run() calls: the clock has not started
                wait = timeout_s
                continue
            remaining = start + timeout_s - now
            if remaining > 0:
                wait = remaining
                continue
            with job.state_lock:
                job.abandoned = True
                if job.thread_id is not None:
                    ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(job.thread_id),
                                                               ctypes.py_object(ScoringTimeout))
            return None
        return job


# ------------------------------------------------------------------------------------------
# Swagger
# ------------------------------------------------------------------------------------------
def _service_info():
    return (os.environ.get("SERVICE_NAME", "ML service"), os.environ.get("SERVICE_VERSION", "1.0"),
            os.environ.get("SERVICE_PATH_PREFIX", "").rstrip("/"))


def build_swagger(version, script):
    name, svc_version, prefix = _service_info()
    in_schema = {"type": "object", "example": {}}
    out_schema = {"type": "object", "example": {}}
    if script is not None and script.schema:
        try:
            if script.input_schema:
                in_schema = script.input_schema
            if script.output_schema:
                out_schema = script.output_schema
        except Exception:
            swagger_log.warning("Could not convert the inference_schema schemas.", exc_info=True)
    err = {"type": "string", "description": "Error message"}
    if version == "2":
        doc = {
            "swagger": "2.0",
            "info": {"title": name, "description": "API specification for the Azure Machine "
                     "Learning service %s" % name, "version": svc_version},
            "schemes": ["https"], "consumes": ["application/json"], "produces": ["application/json"],
            "securityDefinitions": {"Bearer": {"type": "apiKey", "name": "Authorization",
                                               "in": "header", "description": "For example: "
                                               "Bearer abc123"}},
            "paths": {
                prefix + "/": {"get": {"operationId": "ServiceHealthCheck",
                                       "description": "Simple health check endpoint to ensure "
                                       "the service is up at any given point.",
                                       "responses": {"200": {"description": "If service is up "
                                                             "and running, this response will be "
                                                             "returned with the content 'Healthy'",
                                                             "schema": {"type": "string"},
                                                             "examples": {"application/json":
                                                                          "Healthy"}},
                                                     "default": {"description": "The service "
                                                                 "failed to execute due to an "
                                                                 "error.",
                                                                 "schema": {"$ref": "#/definitions/ErrorResponse"}}}}},
                prefix + "/score": {"post": {
                    "operationId": "RunMLService", "description": "Run web service's model and "
                    "get the prediction output", "security": [{"Bearer": []}],
                    "parameters": [{"name": "serviceInputPayload", "in": "body",
                                    "description": "The input payload for executing the real-time "
                                    "machine learning service.",
                                    "schema": {"$ref": "#/definitions/ServiceInput"}}],
                    "responses": {"200": {"description": "The service processed the input "
                                          "correctly and provided a result prediction, if "
                                          "applicable.",
                                          "schema": {"$ref": "#/definitions/ServiceOutput"}},
                                  "default": {"description": "The service failed to execute due "
                                              "to an error.",
                                              "schema": {"$ref": "#/definitions/ErrorResponse"}}}}},
            },
            "definitions": {"ServiceInput": in_schema, "ServiceOutput": out_schema,
                            "ErrorResponse": {"type": "object",
                                              "properties": {"message": err}}},
        }
        return doc
    openapi = "3.0.1" if version == "3" else "3.1.0"
    return {
        "openapi": openapi,
        "info": {"title": name, "description": "API specification for the Azure Machine Learning "
                 "service %s" % name, "version": svc_version},
        "servers": [{"url": "/"}],
        "paths": {
            prefix + "/": {"get": {"operationId": "ServiceHealthCheck",
                                   "description": "Simple health check endpoint to ensure the "
                                   "service is up at any given point.",
                                   "responses": {"200": {"description": "If service is up and "
                                                         "running, this response will be returned "
                                                         "with the content 'Healthy'",
                                                         "content": {"application/json": {
                                                             "schema": {"type": "string"},
                                                             "example": "Healthy"}}},
                                                 "default": {"description": "The service failed "
                                                             "to execute due to an error.",
                                                             "content": {"application/json": {
                                                                 "schema": {"$ref": "#/components/schemas/ErrorResponse"}}}}}}},
            prefix + "/score": {"post": {
                "operationId": "RunMLService", "description": "Run web service's model and get "
                "the prediction output", "security": [{"Bearer": []}],
                "requestBody": {"description": "The input payload for executing the real-time "
                                "machine learning service.",
                                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ServiceInput"}}}},
                "responses": {"200": {"description": "The service processed the input correctly "
                                      "and provided a result prediction, if applicable.",
                                      "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ServiceOutput"}}}},
                              "default": {"description": "The service failed to execute due to an "
                                          "error.",
                                          "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorResponse"}}}}}}},
        },
        "components": {
            "securitySchemes": {"Bearer": {"type": "apiKey", "name": "Authorization",
                                           "in": "header",
                                           "description": "For example: Bearer abc123"}},
            "schemas": {"ServiceInput": in_schema, "ServiceOutput": out_schema,
                        "ErrorResponse": {"type": "object", "properties": {"message": err}}},
        },
    }


class Swaggers:
    VERSIONS = ("2", "3", "3.1")
    ALIASES = {"2": "2", "2.0": "2", "3": "3", "3.0": "3", "3.1": "3.1"}

    def __init__(self, script, app_root):
        self.docs = {}
        for v in self.VERSIONS:
            body = None
            names = ["swagger%s.json" % v] + (["swagger.json"] if v == "2" else [])
            for n in names:
                p = os.path.join(app_root, n) if app_root else None
                if p and os.path.isfile(p):
                    try:
                        with open(p, "rb") as f:
                            body = json.dumps(json.load(f)).encode("utf-8")
                        swagger_log.info("Using user-provided swagger file %s", p)
                    except Exception:
                        swagger_log.warning("Ignoring unreadable swagger file %s", p, exc_info=True)
                    break
            if body is None:
                body = json.dumps(build_swagger(v, script)).encode("utf-8")
            self.docs[v] = body
        log.info("Swaggers are prepared for the following versions: [2, 3, 3.1].")

    def get(self, version):
        key = self.ALIASES.get(version)
        return self.docs.get(key) if key else None


# ------------------------------------------------------------------------------------------
# HTTP
# ------------------------------------------------------------------------------------------
REASONS = {code: phrase for code, (phrase, _d) in http.server.BaseHTTPRequestHandler.responses.items()}
REASONS[431] = "Request Header Fields Too Large"


class Request:
    __slots__ = ("method", "target", "path", "query", "version", "headers", "body", "keep_alive")


class HttpError(Exception):
    def __init__(self, status, message):
        super().__init__(message)
        self.status = status
        self.message = message


class State:
    """Server-wide state shared by the connection threads."""

    def __init__(self):
        self.script = None
        self.workers = None
        self.swaggers = None
        self.timeout_ms = 3600000
        self.version_header = True
        self.stopping = False
        self.inflight = 0
        self.cond = threading.Condition()
        self.connections = set()


STATE = State()


def _json_message(msg):
    return json.dumps({"message": msg}).encode("utf-8")


class Handler(http.server.BaseHTTPRequestHandler):
    """HTTP/1.1 keep-alive handler with a small hand-written parser (the stdlib email-based
    header parser dominates latency) and one sendall() per response."""

    protocol_version = "HTTP/1.1"
    server_version = VERSION_HEADER

    def setup(self):
        super().setup()
        self.busy = False
        with STATE.cond:
            STATE.connections.add(self)

    def finish(self):
        with STATE.cond:
            STATE.connections.discard(self)
        try:
            super().finish()
        except OSError:
            pass

    def handle(self):
        rfile = self.rfile
        while True:
            try:
                line = rfile.readline(MAX_LINE + 1)
            except (OSError, ValueError):
                return
            if not line:
                return
            if line in (b"\r\n", b"\n"):
                continue  # tolerate stray CRLF between pipelined requests
            self.busy = True
            with STATE.cond:
                STATE.inflight += 1
            try:
                keep = self.handle_request(line)
            finally:
                with STATE.cond:
                    STATE.inflight -= 1
                    STATE.cond.notify_all()
                self.busy = False
            if not keep or STATE.stopping:
                return

    # -- parsing ---------------------------------------------------------------------------
    def _parse(self, line):
        if len(line) > MAX_LINE:
            raise HttpError(414, "Request line too long.")
        parts = line.decode("latin-1").rstrip("\r\n").split()
        if len(parts) != 3 or not parts[2].startswith("HTTP/"):
            raise HttpError(400, "Bad request syntax.")
        req = Request()
        req.method, req.target, req.version = parts
        headers = []
        rfile = self.rfile
        while True:
            h = rfile.readline(MAX_LINE + 1)
            if len(h) > MAX_LINE:
                raise HttpError(431, "Request header line too long.")
            if h in (b"\r\n", b"\n", b""):
                break
            if h[0] in (32, 9) and headers:  # obsolete line folding
                k, v = headers[-1]
                headers[-1] = (k, v + " " + h.decode("latin-1").strip())
                continue
            name, sep, value = h.decode("latin-1").partition(":")
            if not sep:
                raise HttpError(400, "Bad header line.")
            headers.append((name.strip(), value.strip()))
            if len(headers) > MAX_HEADERS:
                raise HttpError(431, "Too many headers.")
        hmap = {}
        for k, v in headers:
            lk = k.lower()
            hmap[lk] = hmap[lk] + ", " + v if lk in hmap else v
        req.headers = headers
        conn = hmap.get("connection", "").lower()
        if req.version == "HTTP/1.0":
            req.keep_alive = "keep-alive" in conn
        else:
            req.keep_alive = "close" not in conn
        path, _, query = req.target.partition("?")
        if path.startswith("http://") or path.startswith("https://"):
            path = "/" + path.split("/", 3)[3] if path.count("/") >= 3 else "/"
        req.path = path
        req.query = query
        return req, hmap

    def _read_body(self, hmap):
        if hmap.get("expect", "").lower() == "100-continue":
            self.wfile.write(b"HTTP/1.1 100 Continue\r\n\r\n")
        te = hmap.get("transfer-encoding", "").lower()
        if "chunked" in te:
            chunks = []
            while True:
                size_line = self.rfile.readline(MAX_LINE + 1)
                try:
                    size = int(size_line.split(b";", 1)[0].strip(), 16)
                except ValueError:
                    raise HttpError(400, "Bad chunked encoding.")
                if size == 0:
                    while self.rfile.readline(MAX_LINE + 1) not in (b"\r\n", b"\n", b""):
                        pass
                    break
                chunks.append(self.rfile.read(size))
                self.rfile.readline(MAX_LINE + 1)
            return b"".join(chunks)
        cl = hmap.get("content-length")
        if cl:
            try:
                n = int(cl)
                if n < 0:
                    raise ValueError
            except ValueError:
                raise HttpError(400, "Bad Content-Length.")
            body = self.rfile.read(n)
            if len(body) != n:
                raise HttpError(400, "Incomplete request body.")
            return body
        return b""

    # -- response --------------------------------------------------------------------------
    def _send(self, status, body, content_type, extra, keep_alive, head=False):
        out = ["HTTP/1.1 %d %s\r\n" % (status, REASONS.get(status, "Unknown"))]
        if content_type:
            out.append("Content-Type: %s\r\n" % content_type)
        out.append("Content-Length: %d\r\n" % len(body))
        for k, v in extra:
            out.append("%s: %s\r\n" % (k, v))
        if STATE.version_header:
            out.append("x-ms-server-version: %s\r\n" % VERSION_HEADER)
        out.append("Connection: keep-alive\r\n\r\n" if keep_alive else "Connection: close\r\n\r\n")
        data = "".join(out).encode("latin-1", "replace")
        if not head:
            data += body
        self.wfile.write(data)

    # -- dispatch --------------------------------------------------------------------------
    def handle_request(self, line):
        t0 = time.perf_counter()
        method = "-"
        target = "-"
        rid = None
        status = 500
        nbytes = 0
        keep = False
        try:
            try:
                req, hmap = self._parse(line)
            except HttpError as e:
                body = _json_message(e.message)
                status, nbytes = e.status, len(body)
                self._send(e.status, body, "application/json", [], False)
                return False
            method, target = req.method, req.target
            keep = req.keep_alive
            rid = hmap.get("x-request-id") or str(uuid.uuid4())
            _tls.request_id = rid
            status, body, ctype, extra = self.dispatch(req, hmap, rid)
            if req.body is None and (hmap.get("content-length", "0") not in ("", "0") or
                                     "transfer-encoding" in hmap):
                keep = False  # body not consumed: cannot reuse the connection safely
            if STATE.stopping:
                keep = False
            nbytes = len(body)
            self._send(status, body, ctype, extra, keep, head=(req.method == "HEAD"))
            return keep
        except (ConnectionError, socket.timeout, OSError):
            return False
        except Exception:
            log.error("Unhandled error while handling %s %s", method, target, exc_info=True)
            try:
                body = _json_message(MSG_INTERNAL)
                status, nbytes = 500, len(body)
                self._send(500, body, "application/json", [], False)
            except OSError:
                pass
            return False
        finally:
            ms = (time.perf_counter() - t0) * 1000.0
            access_log.info("%s %s %d %.2fms %d", method, target, status, ms, nbytes)
            _tls.request_id = None

    def dispatch(self, req, hmap, rid):
        extra = [("x-request-id", rid)]
        req.body = None
        # request-id headers (azmlinfsrv 1.x rules)
        legacy = hmap.get("x-ms-request-id")
        client = hmap.get("x-ms-client-request-id")
        for name, value in (("x-request-id", hmap.get("x-request-id")),
                            ("x-ms-request-id", legacy), ("x-ms-client-request-id", client)):
            if value is not None and len(value) > MAX_ID_LEN:
                return self._consume_then(req, hmap, 431, "Header '%s' is too long: %d characters, "
                                          "the maximum is %d." % (name, len(value), MAX_ID_LEN),
                                          [])
        if legacy and not client:
            client = legacy
            log.warning("x-ms-request-id header has been deprecated and will be removed from "
                        "future versions of the server. Please use x-ms-client-request-id.")
        extra.append(("x-ms-request-id", legacy or client or rid))
        if client:
            extra.append(("x-ms-client-request-id", client))
        trace = hmap.get("traceid")
        if trace is not None:
            extra.append(("TraceId", trace))

        path = req.path
        prefix = os.environ.get("SERVICE_PATH_PREFIX", "").rstrip("/")
        if prefix and path.startswith(prefix):
            path = path[len(prefix):] or "/"
        m = req.method
        if path == "/score":
            if m not in ("GET", "POST", "OPTIONS"):
                return self._consume_then(req, hmap, 405, MSG_METHOD, extra)
            req.body = self._read_body(hmap)
            return self.score(req, hmap, rid, extra)
        if path == "/":
            if m not in ("GET", "HEAD"):
                return self._consume_then(req, hmap, 405, MSG_METHOD, extra)
            return 200, b"Healthy", "text/plain; charset=utf-8", extra
        if path == "/swagger.json":
            if m not in ("GET", "HEAD"):
                return self._consume_then(req, hmap, 405, MSG_METHOD, extra)
            version = "2"
            for k, v in parse_qsl(req.query, keep_blank_values=True):
                if k == "version":
                    version = v
            doc = STATE.swaggers.get(version) if STATE.swaggers else None
            if doc is None:
                return (404, _json_message("Swagger version [%s] is not valid. Supported versions: "
                                           "[2, 3, 3.1]" % version), "application/json", extra)
            return 200, doc, "application/json", extra
        return self._consume_then(req, hmap, 404, MSG_NOT_FOUND, extra)

    def _consume_then(self, req, hmap, status, message, extra):
        try:
            req.body = self._read_body(hmap)
        except HttpError:
            req.body = None
        return status, _json_message(message), "application/json", extra

    # -- /score ----------------------------------------------------------------------------
    def score(self, req, hmap, rid, extra):
        script = STATE.script
        if req.method == "OPTIONS" and not script.rawhttp:
            return 200, b"", None, extra + [("Allow", "GET, POST, OPTIONS")]
        headers = Headers((k.title(), v) for k, v in req.headers)
        kwargs = {}
        if script.rawhttp:
            kwargs[script.data_param] = AMLRequest(req.method, req.target, headers, req.body,
                                                   self.client_address[0] if self.client_address
                                                   else None, hmap.get("host"))
        elif script.schema:
            err = self._schema_params(req, hmap, kwargs)
            if err:
                return err[0], _json_message(err[1]), "application/json", extra
        else:
            if req.method == "GET":
                data = {}
                for k, v in parse_qsl(req.query, keep_blank_values=True):
                    try:
                        v = json.loads(v)
                    except ValueError:
                        pass
                    data.setdefault(k, []).append(v)
                data = {k: (v[0] if len(v) == 1 else v) for k, v in data.items()}
                payload = json.dumps(data)
            else:
                try:
                    payload = req.body.decode("utf-8")
                except UnicodeDecodeError:
                    return (400, _json_message("Input cannot be decoded as UTF-8"),
                            "application/json", extra)
            kwargs[script.data_param] = payload
        if script.wants_headers:
            kwargs["request_headers"] = dict(headers)

        job = STATE.workers.submit(script.run, kwargs, rid, STATE.timeout_ms / 1000.0)
        if job is None:
            log.error("Scoring timeout after %d ms", STATE.timeout_ms)
            return (500, _json_message("Scoring timeout after %d ms" % STATE.timeout_ms),
                    "application/json", extra + [("x-ms-run-function-failed", "True")])
        if job.exc is not None:
            exc = job.exc
            if isinstance(exc, ScoringTimeout):
                log.error("Scoring timeout after %d ms", STATE.timeout_ms)
                return (500, _json_message("Scoring timeout after %d ms" % STATE.timeout_ms),
                        "application/json", extra + [("x-ms-run-function-failed", "True")])
            user_log.error("Encountered Exception: %s", "".join(
                traceback.format_exception(type(exc), exc, exc.__traceback__)).rstrip())
            return (500, _json_message(MSG_RUN_FAILED), "application/json",
                    extra + [("x-ms-run-function-failed", "True"),
                             ("x-ms-run-fn-exec-ms", "%.3f" % job.ms)])
        result = job.result
        timing = ("x-ms-run-fn-exec-ms", "%.3f" % job.ms)
        if isinstance(result, AMLResponse):
            failed = result.run_function_failed or result.status_code >= 500
            return (result.status_code, result.data, result.content_type,
                    extra + result.headers + [("x-ms-run-function-failed", str(failed)), timing])
        if result is None:
            return 200, b"{}", "application/json", extra + [("x-ms-run-function-failed", "False"),
                                                           timing]
        try:
            body = json.dumps(result).encode("utf-8")
        except (TypeError, ValueError, OverflowError, RecursionError):
            log.error("run() returned a value that cannot be encoded as JSON (%s); return "
                      "lists/dicts/str/numbers (e.g. call .tolist() on numpy arrays).",
                      type(result).__name__, exc_info=True)
            return (500, _json_message(MSG_INTERNAL), "application/json",
                    extra + [("x-ms-run-function-failed", "False"), timing])
        return 200, body, "application/json", extra + [("x-ms-run-function-failed", "False"),
                                                       timing]

    def _schema_params(self, req, hmap, kwargs):
        """Bind an @input_schema run()'s parameters from a JSON object body (azmlinfsrv rules)."""
        if req.method == "GET":
            body = {}
            for k, v in parse_qsl(req.query, keep_blank_values=True):
                try:
                    body[k] = json.loads(v)
                except ValueError:
                    body[k] = v
        else:
            ctype = hmap.get("content-type", "").split(";", 1)[0].strip().lower()
            if ctype != "application/json":
                return 415, "Expects Content-Type to be application/json"
            if not req.body:
                return 400, "POST body is empty. Please provide a JSON dictionary."
            try:
                body = json.loads(req.body.decode("utf-8"))
            except UnicodeDecodeError:
                return 400, "Input cannot be decoded as UTF-8"
            except ValueError as e:
                return 400, "POST body could not be decoded as JSON: %s" % e
            if not isinstance(body, dict):
                return 400, "POST body should be a JSON dictionary."
        for p in STATE.script.params:
            if p.name in body:
                kwargs[p.name] = body[p.name]
            elif p.default is p.empty:
                return 400, "A value is not provided for the '%s' parameter." % p.name
        return None

    def log_message(self, fmt, *args):  # silence BaseHTTPRequestHandler's stderr logging
        pass


class Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False
    allow_reuse_address = True
    request_queue_size = 128

    def server_bind(self):
        # An IPv6 wildcard also accepts IPv4 where possible; plain IPv4 otherwise.
        socketserver_bind = http.server.socketserver.TCPServer.server_bind
        socketserver_bind(self)
        host, port = self.server_address[:2]
        self.server_name = host
        self.server_port = port


Handler.disable_nagle_algorithm = True


# ------------------------------------------------------------------------------------------
# Main
# ------------------------------------------------------------------------------------------
def parse_args(argv):
    p = argparse.ArgumentParser(prog="scoring_server.py",
                                description="Endpoint Studio scoring server (azmlinfsrv contract).")
    p.add_argument("--entry_script", help="the scoring script (default: AML_APP_ROOT/"
                   "AZUREML_ENTRY_SCRIPT, else main.py)")
    p.add_argument("--model_dir", help="sets AZUREML_MODEL_DIR")
    p.add_argument("--port", type=int, default=5001, help="HTTP port (default 5001)")
    p.add_argument("--worker_count", type=int, default=None,
                   help="concurrent run() calls (default WORKER_COUNT or 1)")
    p.add_argument("--host", default=os.environ.get("SERVER_HOST", "0.0.0.0"),
                   help="bind address (default 0.0.0.0)")
    p.add_argument("--health_port", type=int, help="accepted for compatibility; ignored")
    p.add_argument("--appinsights_instrumentation_key", help="accepted for compatibility; ignored")
    p.add_argument("--access_control_allow_origins", help="accepted for compatibility; ignored")
    p.add_argument("--config_file", help="accepted for compatibility; ignored")
    args = p.parse_args(argv)
    if not 0 < args.port < 65536:
        p.error("invalid port %d" % args.port)
    return args, p


def resolve_script(args):
    app_root = os.environ.get("AML_APP_ROOT")
    if args.entry_script:
        path = args.entry_script
        if not os.path.isabs(path):
            path = os.path.abspath(path)
        if not app_root:
            app_root = os.getcwd()
    else:
        entry = os.environ.get("AZUREML_ENTRY_SCRIPT") or "main.py"
        if not app_root:
            app_root = os.getcwd()
        path = entry if os.path.isabs(entry) else os.path.join(app_root, entry)
    os.environ["AML_APP_ROOT"] = app_root
    os.environ["AZUREML_ENTRY_SCRIPT"] = path
    return os.path.abspath(path), app_root


def main(argv=None):
    args, parser = parse_args(sys.argv[1:] if argv is None else argv)
    setup_logging()
    if args.model_dir:
        os.environ["AZUREML_MODEL_DIR"] = os.path.abspath(args.model_dir)
    workers = args.worker_count
    if workers is None:
        try:
            workers = int(os.environ.get("WORKER_COUNT", "1"))
        except ValueError:
            parser.error("WORKER_COUNT must be an integer")
    if workers < 1:
        parser.error("invalid worker count %d" % workers)
    try:
        timeout_ms = int(os.environ.get("SCORING_TIMEOUT_MS", "3600000"))
    except ValueError:
        timeout_ms = 3600000
    STATE.timeout_ms = timeout_ms
    STATE.version_header = os.environ.get("SERVER_VERSION_LOG_RESPONSE_ENABLED",
                                          "true").lower() == "true"
    script_path, app_root = resolve_script(args)
    model_dir = os.environ.get("AZUREML_MODEL_DIR")

    banner()
    banner("Azure ML Inferencing HTTP server v%s" % SERVER_VERSION)
    banner()
    banner()
    banner("Server Settings")
    banner("---------------")
    banner("Entry Script Name: %s" % script_path)
    banner("Model Directory: %s" % (model_dir or ""))
    banner("Config File: None")
    banner("Worker Count: %d" % workers)
    banner("Worker Timeout (seconds): None")
    banner("Server Port: %d" % args.port)
    banner("Health Port: %d" % args.port)
    banner("Application Insights Enabled: false")
    banner("Application Insights Key: None")
    banner("Inferencing HTTP server version: %s" % VERSION_HEADER)
    banner("CORS for the specified origins: None")
    banner("Create dedicated endpoint for health: None")
    banner()
    banner()
    banner("Server Routes")
    banner("---------------")
    banner("Liveness Probe: GET   127.0.0.1:%d/" % args.port)
    banner("Score:          POST  127.0.0.1:%d/score" % args.port)
    banner()

    if not model_dir:
        log.warning("AZUREML_MODEL_DIR is not set; set --model_dir or AZUREML_MODEL_DIR if "
                    "init() loads a model.")
    if app_root not in sys.path:
        sys.path.insert(1, app_root)
    script = UserScript(script_path)
    try:
        script.load()
        script.call_init()
    except UserScriptError:
        logging.shutdown()
        return EXIT_USER_SCRIPT
    STATE.script = script
    STATE.swaggers = Swaggers(script, app_root)
    log.info("Scoring timeout is set to %d", timeout_ms)
    STATE.workers = Workers(workers)

    try:
        server = Server((args.host, args.port), Handler)
    except OSError as e:
        log.error("Cannot listen on %s:%d: %s. Is the port already in use?", args.host,
                  args.port, e)
        return 1
    stop = threading.Event()

    def on_signal(signum, _frame):
        log.info("Received %s: stopping (in-flight requests will finish)",
                 signal.Signals(signum).name)
        stop.set()

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    serve = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.2},
                             name="accept", daemon=True)
    serve.start()
    log.info("Listening at: http://%s:%d (%d)", args.host, server.server_address[1], os.getpid())
    log.info("Worker with pid %d ready for serving traffic", os.getpid())
    while not stop.wait(1.0):
        pass
    # Graceful stop: no new connections, idle keep-alive connections closed, busy ones finish.
    STATE.stopping = True
    server.shutdown()
    server.server_close()
    with STATE.cond:
        for conn in list(STATE.connections):
            if not conn.busy:
                try:
                    conn.connection.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
        deadline = time.monotonic() + max(30.0, min(timeout_ms / 1000.0, 300.0))
        while STATE.inflight > 0 and time.monotonic() < deadline:
            STATE.cond.wait(0.1)
    log.info("Shutting down: all requests finished")
    logging.shutdown()
    return 0


if __name__ == "__main__":
    sys.exit(main())
