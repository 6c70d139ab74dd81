#!/usr/bin/env python3
"""Endpoint Studio scoring server: the azmlinfsrv (azureml-inference-server-http 1.5.1) contract
in one standard-library Python file (Python >= 3.8).

    python3 scoring_server.py --entry_script score.py [--port 5001] [--model_dir DIR] [--worker_count N]

Environment (as azmlinfsrv): AML_APP_ROOT, AZUREML_ENTRY_SCRIPT, AZUREML_MODEL_DIR, WORKER_COUNT,
SCORING_TIMEOUT_MS, SERVICE_NAME, SERVICE_VERSION, SERVICE_PATH_PREFIX,
SERVER_VERSION_LOG_RESPONSE_ENABLED, AZUREML_LOG_LEVEL.

Limits (environment, e.g. the deployment's environment_variables; each default says whose it is):
  STUDIO_MAX_BODY_BYTES    104857600  a request body above it gets 413, before it is read
                                      (Azure's: the nginx in front of azmlinfsrv in Azure's
                                      inference images has client_max_body_size 100m)
  STUDIO_HEADER_TIMEOUT_S  30         a request head must arrive within it and its body may not
                                      pause longer, else 408 and close (the studio's)
  STUDIO_IDLE_TIMEOUT_S    60         a connection with no request in progress is closed (the
                                      studio's)
  STUDIO_WRITE_TIMEOUT_S   30         a client that takes no response bytes for this long is
                                      dropped (the studio's); writes never block the worker
  STUDIO_MAX_CONNECTIONS   1000       open connections per worker; beyond it the worker stops
                                      accepting and new ones wait in the listen backlog (2048)
                                      (the studio's, after gunicorn's worker_connections and
                                      backlog defaults)
Out of file descriptors (EMFILE), a worker stops accepting for 0.25 s instead of spinning. Header
fields with CR, LF or other control characters (HTAB allowed) get 400; response header values a
script returns are put on one line.

Exit codes: 0 after SIGTERM/SIGINT (in-flight requests finished), 1 bad arguments,
3 the user script could not be loaded or its init() failed.
"""
import argparse
import collections
import ctypes
import errno
import http.server
import importlib.util
import inspect
import json
import logging
import mmap
import os
import re
import select
import selectors
import signal
import socket
import struct
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

sys.dont_write_bytecode = True  # the server folder may be read-only; keep it free of .pyc files
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
    _ACCESS["enabled"] = access_log.isEnabledFor(logging.INFO)
    _ACCESS["pid"] = os.getpid()
    sys.stdout = _LineWriter(logging.getLogger(SERVER_NAME + ".print"), logging.INFO)
    sys.stderr = _LineWriter(logging.getLogger(SERVER_NAME + ".print"), logging.WARNING)


_ACCESS = {"enabled": True, "pid": os.getpid()}
_ts_cache = (None, "")


def access_line(rid, method, target, status, ms, nbytes):
    """The per-request access line, formatted by hand: the logging module's per-record work
    was ~40% of the server's CPU time per request. Same format as every other line."""
    global _ts_cache
    if not _ACCESS["enabled"]:
        return
    now = time.time()
    sec = int(now)
    cached = _ts_cache
    if cached[0] != sec:
        cached = _ts_cache = (sec, time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(sec)))
    line = "%s,%03d I [%d] azmlinfsrv.access - [%s] %s %s %d %.2fms %d\n" % (
        cached[1], int((now - sec) * 1000), _ACCESS["pid"], rid, method, target, status, ms,
        nbytes)
    with _out_lock:
        _real_stdout.write(line)
        _real_stdout.flush()


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
        if name in sys.modules or not name.isidentifier():
            name = "entry_module"  # never shadow an already imported module (json.py, ...)
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
# run(): called in the worker's main thread, one request at a time, as a gunicorn sync worker
# does; a worker busy in run() answers nothing else (its health probes wait too), the other
# workers go on accepting. SCORING_TIMEOUT_MS is enforced with SIGALRM, as azmlinfsrv does:
# the alarm raises ScoringTimeout inside run() (pure Python stops at once, time.sleep is
# interrupted; a long C call stops when it returns).
# ------------------------------------------------------------------------------------------
class Job:
    __slots__ = ("result", "exc", "ms")

    def __init__(self):
        self.result = None
        self.exc = None
        self.ms = 0.0


_in_run = [False]


def _on_alarm(_signum, _frame):
    if _in_run[0]:
        _in_run[0] = False
        raise ScoringTimeout()


def call_run(kwargs):
    job = Job()
    beats = STATE.beats
    timeout_s = STATE.timeout_ms / 1000.0 if STATE.alarm else 0
    if beats is not None:
        beats.busy(STATE.slot)
    t0 = time.perf_counter()
    _in_run[0] = True
    if timeout_s > 0:
        signal.setitimer(signal.ITIMER_REAL, timeout_s)
    try:
        job.result = STATE.script.run(**kwargs)
        _in_run[0] = False
    except BaseException as e:  # includes ScoringTimeout; at most one alarm fires
        _in_run[0] = False
        job.exc = e
    if timeout_s > 0:
        signal.setitimer(signal.ITIMER_REAL, 0)
    job.ms = (time.perf_counter() - t0) * 1000.0
    if beats is not None:
        beats.idle(STATE.slot)
    return job


# ------------------------------------------------------------------------------------------
# Processes, as azmlinfsrv runs under gunicorn (sync workers, --timeout WORKER_TIMEOUT): the
# master binds the port, forks WORKER_COUNT workers and watches them. Each worker loads the
# script and runs its own init(), then serves. A worker whose init() or run() lasts past
# WORKER_TIMEOUT is killed ("WORKER TIMEOUT (pid:N)", its stack logged) and a new one boots in
# its place, as gunicorn's arbiter does; a worker whose script cannot load or whose init()
# raised exits with 3 and the master stops the server with 3 ("Worker failed to boot."); a
# worker killed while booting by anyone else (the kernel's OOM killer) stops it too.
# ------------------------------------------------------------------------------------------
class Heartbeats:
    """One slot per worker in memory shared across fork(): (since, state). since is a
    CLOCK_MONOTONIC time (system-wide) while the worker boots or runs run(), else 0."""
    IDLE, BOOT, RUN = 0.0, 1.0, 2.0

    def __init__(self, count):
        self.mem = mmap.mmap(-1, 16 * count)

    def set(self, slot, since, state):
        struct.pack_into("dd", self.mem, 16 * slot, since, state)

    def get(self, slot):
        return struct.unpack_from("dd", self.mem, 16 * slot)

    def boot(self, slot):
        self.set(slot, time.monotonic(), self.BOOT)

    def busy(self, slot):
        self.set(slot, time.monotonic(), self.RUN)

    def idle(self, slot):
        self.set(slot, 0.0, self.IDLE)


def _emergency_line(level, message):
    """A log line written with one write(2): safe inside a signal handler, whatever the
    interrupted code held."""
    now = time.time()
    line = "%s,%03d %s [%d] azmlinfsrv - %s\n" % (
        time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(now)), int((now % 1) * 1000), level,
        os.getpid(), message)
    try:
        os.write(_real_stdout.fileno(), line.encode("utf-8", "replace"))
    except OSError:
        pass


def _on_abort(_signum, frame):
    """The master's WORKER TIMEOUT: say where the worker was stuck, then go."""
    since, state = STATE.beats.get(STATE.slot) if STATE.beats is not None else (0.0, 0.0)
    what = "init()" if state == Heartbeats.BOOT else "run()"
    stuck = time.monotonic() - since if since else 0.0
    _emergency_line("C", "Worker with pid %d was stopped by WORKER TIMEOUT after %.1f s in %s; "
                    "it was at:\n%s" % (os.getpid(), stuck, what,
                                       "".join(traceback.format_stack(frame)).rstrip()))
    os._exit(1)


def _die_with_parent():
    """A worker must not outlive its master (it would keep the port): SIGKILL on its death."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def _stop_requested(_signum=None, _frame=None):
    STATE.stop_requested = True


def worker_main(slot, lsock, script_path, app_root):
    """The body of a forked worker; never returns."""
    code = 1
    try:
        code = _worker(slot, lsock, script_path, app_root)
    except BaseException:
        log.critical("Worker with pid %d failed", os.getpid(), exc_info=True)
    finally:
        try:
            logging.shutdown()
            _real_stdout.flush()
        except Exception:
            pass
        os._exit(code)


def _worker(slot, lsock, script_path, app_root):
    pid = os.getpid()
    _ACCESS["pid"] = pid
    STATE.slot = slot
    STATE.alarm = True
    signal.signal(signal.SIGTERM, _stop_requested)
    signal.signal(signal.SIGINT, _stop_requested)
    signal.signal(signal.SIGHUP, signal.SIG_IGN)  # the master reloads
    signal.signal(signal.SIGABRT, _on_abort)
    signal.signal(signal.SIGALRM, _on_alarm)
    signal.signal(signal.SIGCHLD, signal.SIG_DFL)
    log.info("Booting worker with pid: %d", pid)
    if not load_script(script_path, app_root):
        return EXIT_USER_SCRIPT
    STATE.beats.idle(slot)
    loop = EventLoop(lsock)
    log.info("Worker with pid %d ready for serving traffic", pid)
    loop.run()
    return 0


def load_script(script_path, app_root):
    """Loads the user script and runs its init(); False (logged) when that failed."""
    script = UserScript(script_path)
    try:
        script.load()
        script.call_init()
    except UserScriptError:
        return False
    STATE.script = script
    STATE.swaggers = Swaggers(script, app_root)
    log.info("Scoring timeout is set to %d", STATE.timeout_ms)
    return True


class Arbiter:
    """The master process: forks, watches, replaces and stops the workers."""

    GRACEFUL_S = 30.0  # gunicorn's --graceful-timeout default

    def __init__(self, lsock, count, worker_timeout, script_path, app_root):
        self.lsock = lsock
        self.count = count
        self.worker_timeout = worker_timeout
        self.script_path = script_path
        self.app_root = app_root
        self.beats = Heartbeats(count)
        STATE.beats = self.beats
        self.pids = [0] * count
        self.aborted = {}  # pid -> monotonic time of the SIGABRT
        self.stopping = False
        self.quiet = False  # workers are being stopped: their exits are expected
        self.reload = False
        self.halt = None

    def spawn(self, slot):
        self.beats.boot(slot)
        pid = os.fork()
        if pid == 0:
            signal.set_wakeup_fd(-1)
            os.close(self.wake_r)
            os.close(self.wake_w)
            _die_with_parent()
            worker_main(slot, self.lsock, self.script_path, self.app_root)
        self.pids[slot] = pid

    def run(self):
        self.wake_r, self.wake_w = os.pipe()
        os.set_blocking(self.wake_r, False)
        os.set_blocking(self.wake_w, False)
        signal.set_wakeup_fd(self.wake_w)

        def on_stop(signum, _frame):
            log.info("Handling signal: %s", signal.Signals(signum).name.lower()[3:])
            self.stopping = True

        def on_hup(_signum, _frame):
            self.reload = True

        signal.signal(signal.SIGTERM, on_stop)
        signal.signal(signal.SIGINT, on_stop)
        signal.signal(signal.SIGHUP, on_hup)
        signal.signal(signal.SIGCHLD, lambda *_: None)  # wakes the select through the pipe
        for slot in range(self.count):
            self.spawn(slot)
        while True:
            try:
                select.select([self.wake_r], [], [], 0.25)
                while os.read(self.wake_r, 512):
                    pass
            except (BlockingIOError, InterruptedError):
                pass
            self.reap()
            if self.halt is not None:
                self.stop_workers(5.0)
                return self.halt
            if self.stopping:
                self.stop_workers(self.GRACEFUL_S)
                return 0
            if self.reload:
                self.reload = False
                log.info("Handling signal: hup; reloading: the workers stop and new ones load "
                         "the script and run init() again")
                self.stop_workers(self.GRACEFUL_S)
            self.murder()
            for slot, pid in enumerate(self.pids):
                if pid == 0:
                    self.spawn(slot)

    def _slot_of(self, pid):
        for slot, p in enumerate(self.pids):
            if p == pid:
                return slot
        return -1

    def reap(self):
        while True:
            try:
                pid, status = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                return
            if pid == 0:
                return
            slot = self._slot_of(pid)
            if slot < 0:
                continue
            self.pids[slot] = 0
            since, state = self.beats.get(slot)
            timed_out = self.aborted.pop(pid, None) is not None
            if os.WIFEXITED(status) and os.WEXITSTATUS(status) == EXIT_USER_SCRIPT:
                log.error("Worker with pid %d failed to boot (exit code 3): the server stops.",
                          pid)
                self.halt = EXIT_USER_SCRIPT
            elif timed_out:
                log.warning("Worker with pid %d was terminated after WORKER TIMEOUT; a new "
                            "worker takes its place", pid)
            elif os.WIFSIGNALED(status):
                sig = os.WTERMSIG(status)
                name = signal.Signals(sig).name if sig in signal.Signals._value2member_map_ \
                    else str(sig)
                if self.quiet:
                    continue
                hint = " Perhaps out of memory?" if sig == signal.SIGKILL else ""
                if state == Heartbeats.BOOT:
                    log.error("Worker with pid %d was killed by %s while starting (loading the "
                              "script or in init()).%s The server stops.", pid, name, hint)
                    self.halt = 128 + sig
                else:
                    log.error("Worker with pid %d was killed by %s%s.%s A new worker takes its "
                              "place.", pid, name,
                              " while in run()" if state == Heartbeats.RUN else "", hint)
            elif not self.quiet:
                log.warning("Worker with pid %d exited with code %d; a new worker takes its "
                            "place", pid, os.WEXITSTATUS(status) if os.WIFEXITED(status) else -1)

    def murder(self):
        if self.worker_timeout <= 0:
            return
        now = time.monotonic()
        for slot, pid in enumerate(self.pids):
            if pid == 0:
                continue
            if pid in self.aborted:
                if now - self.aborted[pid] > 2.0:
                    self._kill(pid, signal.SIGKILL)
                continue
            since, state = self.beats.get(slot)
            if since > 0 and now - since > self.worker_timeout:
                log.critical("WORKER TIMEOUT (pid:%d): %s ran past WORKER_TIMEOUT (%d s); the "
                             "worker is killed", pid,
                             "init()" if state == Heartbeats.BOOT else "run()",
                             self.worker_timeout)
                self.aborted[pid] = now
                self._kill(pid, signal.SIGABRT)

    @staticmethod
    def _kill(pid, sig):
        try:
            os.kill(pid, sig)
        except ProcessLookupError:
            pass

    def stop_workers(self, grace_s):
        """SIGTERM to every worker (in-flight requests finish), SIGKILL after grace_s."""
        for pid in self.pids:
            if pid:
                self._kill(pid, signal.SIGTERM)
        deadline = time.monotonic() + grace_s
        self.quiet = True
        while any(self.pids):
            self.reap()
            if not any(self.pids):
                break
            if time.monotonic() > deadline:
                for pid in self.pids:
                    if pid:
                        self._kill(pid, signal.SIGKILL)
                deadline = time.monotonic() + 5.0
            time.sleep(0.02)
        self.quiet = False
        self.aborted.clear()


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
# HTTP: one event-loop thread (selectors/epoll) accepts, reads and parses requests and answers
# the cheap routes itself; /score requests go to the run() workers, which write the response.
# Every response is written with one send() of one buffer; sockets have TCP_NODELAY.
# Requests on one connection are answered in order (HTTP/1.1 pipelining is honoured).
# ------------------------------------------------------------------------------------------
REASONS = {code: phrase for code, (phrase, _d) in http.server.BaseHTTPRequestHandler.responses.items()}
REASONS[431] = "Request Header Fields Too Large"
STATUS_LINES = {code: ("HTTP/1.1 %d %s\r\n" % (code, phrase)) for code, phrase in REASONS.items()}
MAX_HEAD = 64 * 1024


class Limits:
    """The limits of the module's docstring, read from the environment."""

    def __init__(self, environ=None):
        env = os.environ if environ is None else environ
        self.max_body = self._number(env, "STUDIO_MAX_BODY_BYTES", 100 * 1024 * 1024, int)
        self.header_timeout = self._number(env, "STUDIO_HEADER_TIMEOUT_S", 30.0, float)
        self.idle_timeout = self._number(env, "STUDIO_IDLE_TIMEOUT_S", 60.0, float)
        self.write_timeout = self._number(env, "STUDIO_WRITE_TIMEOUT_S", 30.0, float)
        self.max_connections = self._number(env, "STUDIO_MAX_CONNECTIONS", 1000, int)

    @staticmethod
    def _number(env, name, default, kind):
        text = env.get(name)
        if text is None or text.strip() == "":
            return default
        try:
            value = kind(text)
        except ValueError:
            raise ValueError("%s must be a number, not %r" % (name, text))
        if not value > 0:
            raise ValueError("%s must be positive, not %r" % (name, text))
        return value


LIMITS = Limits({})
LISTEN_BACKLOG = 2048  # gunicorn's --backlog default
# Response bytes kept for a connection before the worker stops reading its requests (a client
# that pipelines requests and never reads the answers).
MAX_OUTPUT = 4 * 1024 * 1024
LINGER_S = 2.0  # after a closing answer, unread request bytes are drained this long


class HttpError(Exception):
    def __init__(self, status, message):
        super().__init__(message)
        self.status = status
        self.message = message


class Request:
    __slots__ = ("method", "target", "path", "query", "version", "headers", "hmap", "body",
                 "keep_alive", "t0", "rid", "extra", "error", "chunked", "length")

    def __init__(self):
        self.error = None
        self.body = b""
        self.rid = None
        self.extra = []
        self.method = "-"
        self.target = "-"
        self.keep_alive = False


class Conn:
    __slots__ = ("sock", "fd", "buf", "cur", "pending", "busy", "lock", "closing", "addr",
                 "out", "close_after_flush", "eof", "dead", "lingering", "idle_since",
                 "request_since", "last_read", "write_since")

    def __init__(self, sock, addr):
        self.sock = sock
        self.fd = sock.fileno()
        self.addr = addr
        self.buf = bytearray()
        self.cur = None
        self.pending = collections.deque()
        self.busy = False
        self.lock = threading.Lock()
        self.closing = False
        self.out = bytearray()  # response bytes the peer has not taken yet
        self.close_after_flush = False
        self.eof = False  # the peer sent FIN
        self.dead = False  # the socket failed: close it
        self.lingering = None  # when the closing answer went out (reads are drained)
        now = time.monotonic()
        self.idle_since = now  # no request in progress since
        self.request_since = now  # the first byte of the request being read
        self.last_read = now
        self.write_since = now  # the last progress of pending output


class State:
    """Server-wide state."""

    def __init__(self):
        self.script = None
        self.swaggers = None
        self.timeout_ms = 3600000
        self.version_header = True
        self.stopping = False  # this worker closes its connections after answering
        self.stop_requested = False  # SIGTERM/SIGINT arrived
        self.prefix = ""
        self.beats = None  # Heartbeats shared with the master
        self.slot = 0  # this worker's heartbeat slot
        self.alarm = False  # SCORING_TIMEOUT_MS by SIGALRM (the main thread runs run())


STATE = State()


def _json_message(msg):
    return json.dumps({"message": msg}).encode("utf-8")


def write(conn, data, close=False):
    """Sends what the socket takes now; the event loop sends the rest when the socket is
    writable. Never blocks: a client that does not read holds only its own connection."""
    if conn.dead:
        return
    if conn.out:
        conn.out += data
    else:
        try:
            n = conn.sock.send(data)
        except (BlockingIOError, InterruptedError):
            n = 0
        except OSError:
            conn.dead = True  # the peer is gone
            return
        if n < len(data):
            conn.out += memoryview(data)[n:]
            conn.write_since = time.monotonic()
    if close:
        conn.close_after_flush = True


_CONTROL = re.compile(r"[\x00-\x08\x0a-\x1f\x7f]")


def _clean_header_value(value):
    """A response header value on one line: a script's CR or LF cannot add header lines."""
    value = str(value)
    return _CONTROL.sub(" ", value) if _CONTROL.search(value) else value


def respond(conn, req, status, body, ctype, extra):
    """Write one response (one buffer), log the access line, release the connection."""
    keep = req.keep_alive and not STATE.stopping and req.error is None
    out = [STATUS_LINES.get(status) or "HTTP/1.1 %d Unknown\r\n" % status]
    if ctype:
        out.append("Content-Type: %s\r\n" % _clean_header_value(ctype))
    out.append("Content-Length: %d\r\n" % len(body))
    for k, v in extra:
        out.append("%s: %s\r\n" % (_clean_header_value(k), _clean_header_value(v)))
    if STATE.version_header:
        out.append("x-ms-server-version: " + VERSION_HEADER + "\r\n")
    out.append("Connection: keep-alive\r\n\r\n" if keep else "Connection: close\r\n\r\n")
    data = "".join(out).encode("latin-1", "replace")
    if req.method != "HEAD":
        data += body
    # Logged before it is sent: whoever got the answer finds its line in the log.
    ms = (time.perf_counter() - req.t0) * 1000.0
    access_line(req.rid or "-", req.method, req.target, status, ms, len(body))
    write(conn, data, close=not keep)  # the event loop closes the connection once it is out
    with conn.lock:
        conn.busy = False
        conn.idle_since = time.monotonic()
        if not keep:
            conn.closing = True
            conn.pending.clear()


def pump(conn):
    """Handle queued requests of a connection in order while it is not busy."""
    while True:
        with conn.lock:
            if conn.busy or conn.closing or not conn.pending:
                return
            req = conn.pending.popleft()
            conn.busy = True
        _tls.request_id = req.rid
        try:
            handle(conn, req)
        except Exception:
            log.error("Unhandled error while handling %s %s", req.method, req.target,
                      exc_info=True)
            req.keep_alive = False
            respond(conn, req, 500, _json_message(MSG_INTERNAL), "application/json", req.extra)
        _tls.request_id = None


# A control character other than HTAB, or a CR or LF that is not part of a CRLF line end.
_BAD_HEAD_BYTE = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]|\r(?!\n)|(?<!\r)\n")
_DIGITS = re.compile(r"[0-9]+")
_HEX = re.compile(rb"[0-9a-fA-F]+")


def _control_character_error(head, pos):
    """400 naming the header with a control character: a bare LF inside x-request-id would
    otherwise come back as a header line of its own (header injection)."""
    start = head.rfind(b"\r\n", 0, pos)
    if start < 0:
        return HttpError(400, "Bad request line: it contains a control character (byte 0x%02x)."
                         % head[pos])
    name = head[start + 2:pos].partition(b":")[0].decode("latin-1").strip()
    shown = "".join(c if " " <= c < "\x7f" else "?" for c in name[:100])
    return HttpError(400, "Bad header '%s': header fields may not contain CR, LF or other "
                     "control characters (byte 0x%02x)." % (shown, head[pos]))


def parse_head(head):
    req = Request()
    req.t0 = time.perf_counter()
    bad = _BAD_HEAD_BYTE.search(head)
    if bad:
        raise _control_character_error(head, bad.start())
    lines = head.split(b"\r\n")
    parts = lines[0].decode("latin-1").split()
    if len(parts) != 3 or not parts[2].startswith("HTTP/"):
        raise HttpError(400, "Bad request syntax.")
    req.method, req.target, req.version = parts
    headers = []
    hmap = {}
    for raw in lines[1:]:
        if raw[:1] in (b" ", b"\t") and headers:  # obsolete line folding
            k, v = headers[-1]
            headers[-1] = (k, v + " " + raw.decode("latin-1").strip())
            hmap[k.lower()] = headers[-1][1]
            continue
        name, sep, value = raw.decode("latin-1").partition(":")
        if not sep:
            raise HttpError(400, "Bad header line.")
        name = name.strip()
        value = value.strip()
        headers.append((name, value))
        lk = name.lower()
        hmap[lk] = hmap[lk] + ", " + value if lk in hmap else value
    req.headers = headers
    req.hmap = hmap
    conn_hdr = hmap.get("connection", "").lower()
    if req.version == "HTTP/1.0":
        req.keep_alive = "keep-alive" in conn_hdr
    else:
        req.keep_alive = "close" not in conn_hdr
    path, _, query = req.target.partition("?")
    if path.startswith(("http://", "https://")):
        pieces = path.split("/", 3)
        path = "/" + (pieces[3] if len(pieces) > 3 else "")
    req.path = path
    req.query = query
    req.chunked = "chunked" in hmap.get("transfer-encoding", "").lower()
    req.length = 0
    if not req.chunked:
        cl = hmap.get("content-length")
        if cl:
            if not _DIGITS.fullmatch(cl):
                raise HttpError(400, "Bad Content-Length.")
            req.length = int(cl)
    rid = hmap.get("x-request-id") or str(uuid.uuid4())
    req.rid = rid
    return req


def take_chunked(buf):
    """Decode a complete chunked body at the start of buf: (body, consumed) or None."""
    pos = 0
    chunks = []
    total = 0
    while True:
        eol = buf.find(b"\r\n", pos)
        if eol < 0:
            if len(buf) - pos > MAX_LINE:
                raise HttpError(400, "Bad chunked encoding.")
            return None
        digits = bytes(buf[pos:eol]).split(b";", 1)[0].strip()
        if not _HEX.fullmatch(digits):
            raise HttpError(400, "Bad chunked encoding.")
        size = int(digits, 16)
        total += size
        if total > LIMITS.max_body:
            raise _too_large()
        pos = eol + 2
        if size == 0:
            while True:  # trailers up to an empty line
                eol = buf.find(b"\r\n", pos)
                if eol < 0:
                    return None
                line_empty = eol == pos
                pos = eol + 2
                if line_empty:
                    return b"".join(chunks), pos
        if len(buf) < pos + size + 2:
            return None
        chunks.append(bytes(buf[pos:pos + size]))
        pos += size + 2


def _too_large(length=None):
    return HttpError(413, "The request body is %s; the limit is %d bytes (STUDIO_MAX_BODY_BYTES)."
                     % ("%d bytes" % length if length is not None else "larger", LIMITS.max_body))


def parse_available(conn, limit=32):
    """Turn buffered bytes into complete requests on conn.pending, at most `limit` of them (the
    rest stays buffered)."""
    buf = conn.buf
    while buf and len(conn.pending) < limit:
        req = conn.cur
        if req is None:
            while buf[:2] == b"\r\n":
                del buf[:2]
            idx = buf.find(b"\r\n\r\n")
            if idx < 0:
                if len(buf) > MAX_HEAD:
                    raise HttpError(431, "Request header fields too large.")
                return
            if idx > MAX_HEAD:
                raise HttpError(431, "Request header fields too large.")
            head = bytes(buf[:idx])
            del buf[:idx + 4]
            req = parse_head(head)
            if not req.chunked and req.length > LIMITS.max_body:
                raise _too_large(req.length)
            conn.cur = req
            if (req.chunked or req.length > len(buf)) and \
                    req.hmap.get("expect", "").lower() == "100-continue":
                write(conn, b"HTTP/1.1 100 Continue\r\n\r\n")
        if req.chunked:
            got = take_chunked(buf)
            if got is None:
                return
            req.body, used = got
            del buf[:used]
        else:
            n = req.length
            if len(buf) < n:
                return
            if n:
                req.body = bytes(buf[:n])
                del buf[:n]
        conn.cur = None
        conn.pending.append(req)
        conn.request_since = time.monotonic()  # what is left starts the next request


def handle(conn, req):
    """Route one request: answer it now, or hand /score to a worker (which answers it)."""
    if req.error is not None:
        status, message = req.error
        respond(conn, req, status, _json_message(message), "application/json", [])
        return
    hmap = req.hmap
    rid = req.rid
    extra = req.extra = [("x-request-id", rid)]
    legacy = hmap.get("x-ms-request-id")
    client = hmap.get("x-ms-client-request-id")
    for name, value in (("x-request-id", hmap.get("x-request-id")),
                        ("x-ms-request-id", legacy), ("x-ms-client-request-id", client)):
        if value is not None and len(value) > MAX_ID_LEN:
            req.extra = []
            respond(conn, req, 431, _json_message(
                "Header '%s' is too long: %d characters, the maximum is %d."
                % (name, len(value), MAX_ID_LEN)), "application/json", [])
            return
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
    prefix = STATE.prefix
    if prefix and path.startswith(prefix):
        path = path[len(prefix):] or "/"
    m = req.method
    if path == "/score":
        if m not in ("GET", "POST", "OPTIONS"):
            respond(conn, req, 405, _json_message(MSG_METHOD), "application/json", extra)
            return
        start_score(conn, req)
        return
    if path == "/":
        if m not in ("GET", "HEAD"):
            respond(conn, req, 405, _json_message(MSG_METHOD), "application/json", extra)
        else:
            respond(conn, req, 200, b"Healthy", "text/plain; charset=utf-8", extra)
        return
    if path == "/swagger.json":
        if m not in ("GET", "HEAD"):
            respond(conn, req, 405, _json_message(MSG_METHOD), "application/json", extra)
            return
        version = "2"
        for k, v in parse_qsl(req.query, keep_blank_values=True):
            if k == "version":
                version = v
        doc = STATE.swaggers.get(version) if STATE.swaggers else None
        if doc is None:
            respond(conn, req, 404, _json_message("Swagger version [%s] is not valid. Supported "
                                                  "versions: [2, 3, 3.1]" % version),
                    "application/json", extra)
        else:
            respond(conn, req, 200, doc, "application/json", extra)
        return
    respond(conn, req, 404, _json_message(MSG_NOT_FOUND), "application/json", extra)


def start_score(conn, req):
    script = STATE.script
    extra = req.extra
    if req.method == "OPTIONS" and not script.rawhttp:
        respond(conn, req, 200, b"", None, extra + [("Allow", "GET, POST, OPTIONS")])
        return
    headers = None
    if script.rawhttp or script.wants_headers:
        headers = Headers((k.title(), v) for k, v in req.headers)
    kwargs = {}
    if script.rawhttp:
        kwargs[script.data_param] = AMLRequest(req.method, req.target, headers, req.body,
                                               conn.addr[0] if conn.addr else None,
                                               req.hmap.get("host"))
    elif script.schema:
        err = schema_params(req, kwargs)
        if err:
            respond(conn, req, err[0], _json_message(err[1]), "application/json", extra)
            return
    elif req.method == "GET":
        data = {}
        for k, v in parse_qsl(req.query, keep_blank_values=True):
            try:
                v = json.loads(v)
            except ValueError:
                pass
            data.setdefault(k, []).append(v)
        kwargs[script.data_param] = json.dumps(
            {k: (v[0] if len(v) == 1 else v) for k, v in data.items()})
    else:
        try:
            kwargs[script.data_param] = req.body.decode("utf-8")
        except UnicodeDecodeError:
            respond(conn, req, 400, _json_message("Input cannot be decoded as UTF-8"),
                    "application/json", extra)
            return
    if script.wants_headers:
        kwargs["request_headers"] = dict(headers)
    job = call_run(kwargs)
    try:
        response = finish_score(req, job)
    except Exception:
        log.error("Internal error while encoding the response", exc_info=True)
        response = (500, _json_message(MSG_INTERNAL), "application/json", req.extra)
    respond(conn, req, *response)


def finish_score(req, job):
    """Turn a finished run() into (status, body, content type, headers)."""
    extra = req.extra
    exc = job.exc
    # As azmlinfsrv's handle_score (server/routes.py): the time of run() goes only on answers
    # that run() produced, never on its exceptions, timeouts or an unencodable result.
    timing = ("x-ms-run-fn-exec-ms", "%.3f" % job.ms)
    if exc is not None:
        if isinstance(exc, ScoringTimeout):
            log.error("Scoring timeout after %d ms", STATE.timeout_ms)
            return (500, _json_message("Scoring timeout after %d ms" % STATE.timeout_ms),
                    "application/json", extra + [("x-ms-run-function-failed", "True")])
        user_log.error("Encountered Exception: %s", "".join(
            traceback.format_exception(type(exc), exc, exc.__traceback__)).rstrip())
        return (500, _json_message(MSG_RUN_FAILED), "application/json",
                extra + [("x-ms-run-function-failed", "True")])
    result = job.result
    if isinstance(result, AMLResponse):
        failed = result.run_function_failed or result.status_code >= 500
        return (result.status_code, result.data, result.content_type,
                extra + result.headers + [("x-ms-run-function-failed", str(failed)), timing])
    if result is None:
        body = b"{}"
    else:
        try:
            body = json.dumps(result).encode("utf-8")
        except (TypeError, ValueError, OverflowError, RecursionError):
            log.error("run() returned a value that cannot be encoded as JSON (%s); return "
                      "lists/dicts/str/numbers (e.g. call .tolist() on numpy arrays).",
                      type(result).__name__, exc_info=True)
            return (500, _json_message(MSG_INTERNAL), "application/json",
                    extra + [("x-ms-run-function-failed", "False")])
    return 200, body, "application/json", extra + [("x-ms-run-function-failed", "False"), timing]


def schema_params(req, kwargs):
    """Bind an @input_schema run()'s parameters from a JSON object body (azmlinfsrv rules)."""
    if req.method == "GET":
        body = {}
        for k, v in parse_qsl(req.query, keep_blank_values=True):
            try:
                body[k] = json.loads(v)
            except ValueError:
                body[k] = v
    else:
        ctype = req.hmap.get("content-type", "").split(";", 1)[0].strip().lower()
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


class EventLoop:
    """A worker's connections: takes new ones from the listening socket it shares with the other
    workers, parses requests and answers them in order, calling run() inline. Nothing in it
    blocks but run(): answers go out as the socket takes them, and the limits (LIMITS) are
    checked every SWEEP_S."""

    SWEEP_S = 0.25
    MAX_PIPELINED = 32  # requests parsed from one read before they are answered

    def __init__(self, lsock):
        self.lsock = lsock
        self.sel = selectors.DefaultSelector()
        self.sel.register(lsock, selectors.EVENT_READ, None)
        self.accepting = True
        self.resume_at = None  # after EMFILE: when to try accept() again
        self.last_warning = {}
        self.conns = {}
        self.master = os.getppid()
        self.next_sweep = 0.0

    def _warn(self, key, message, *args):
        """A warning at most every 10 s per kind (a flood must not flood the log)."""
        now = time.monotonic()
        if now - self.last_warning.get(key, -10.0) >= 10.0:
            self.last_warning[key] = now
            log.warning(message, *args)

    def _pause_accepting(self, until):
        if self.accepting:
            self.sel.unregister(self.lsock)
            self.accepting = False
        self.resume_at = until

    def _resume_accepting(self):
        if not self.accepting and not STATE.stopping:
            self.sel.register(self.lsock, selectors.EVENT_READ, None)
            self.accepting = True
        self.resume_at = None

    def _accept(self):
        if len(self.conns) >= LIMITS.max_connections:
            # Back-pressure: other workers take new connections, or they wait in the backlog.
            self._warn("cap", "%d connections are open (STUDIO_MAX_CONNECTIONS); worker %d "
                       "accepts new ones when one closes", len(self.conns), os.getpid())
            self._pause_accepting(None)
            return
        # One connection per wake-up: the idle workers share the connections that arrive.
        try:
            sock, addr = self.lsock.accept()
        except (BlockingIOError, InterruptedError):
            return
        except OSError as e:
            if e.errno in (errno.EMFILE, errno.ENFILE, errno.ENOBUFS, errno.ENOMEM):
                # The listening socket stays readable: selecting on it would wake at once,
                # forever. Try again a little later, or as soon as a connection closes.
                self._warn("fds", "Cannot accept connections: %s (%d open); trying again in "
                           "0.25 s or when one closes", e.strerror, len(self.conns))
                self._pause_accepting(time.monotonic() + 0.25)
            return
        sock.setblocking(False)
        try:
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        except OSError:
            pass
        conn = Conn(sock, addr)
        self.conns[conn.fd] = conn
        self.sel.register(sock, selectors.EVENT_READ, conn)

    def _close(self, conn):
        if self.conns.get(conn.fd) is conn:
            del self.conns[conn.fd]
        try:
            self.sel.unregister(conn.sock)
        except (KeyError, ValueError):
            pass
        with conn.lock:
            conn.closing = True
            conn.pending.clear()
        conn.dead = True
        conn.out.clear()
        conn.sock.close()
        if not self.accepting and (self.resume_at is not None or
                                   len(self.conns) < LIMITS.max_connections):
            self._resume_accepting()  # a descriptor, or a place under the cap, came free

    def _update(self, conn):
        """Watch conn for what it waits for now; close it when it is done."""
        if self.conns.get(conn.fd) is not conn:
            return
        if conn.dead:
            self._close(conn)
            return
        if not conn.out and conn.close_after_flush and conn.lingering is None:
            # The closing answer is out: send FIN, then drain what the client still sends
            # (closing with unread bytes would reset the connection and could lose the answer).
            try:
                conn.sock.shutdown(socket.SHUT_WR)
            except OSError:
                self._close(conn)
                return
            conn.lingering = time.monotonic()
        if conn.eof and not conn.out:
            self._close(conn)
            return
        mask = 0
        if conn.out:
            mask |= selectors.EVENT_WRITE
        if not conn.eof and len(conn.out) < MAX_OUTPUT:
            mask |= selectors.EVENT_READ
        if self.sel.get_key(conn.sock).events != mask:
            self.sel.modify(conn.sock, mask, conn)

    def _fail(self, conn, status, message):
        """Answer an unusable request with status; the connection closes after it."""
        req = Request()
        req.t0 = time.perf_counter()
        req.error = (status, message)
        conn.cur = None
        del conn.buf[:]
        conn.pending.append(req)
        pump(conn)

    def _serve(self, conn):
        """Parse and answer the buffered requests while the client takes the answers."""
        while conn.buf and not conn.closing and len(conn.out) < MAX_OUTPUT:
            before = len(conn.buf)
            try:
                parse_available(conn, self.MAX_PIPELINED)
            except HttpError as e:
                self._fail(conn, e.status, e.message)
                break
            if not conn.pending:
                break
            pump(conn)
            if len(conn.buf) == before:
                break
        self._update(conn)

    def _read(self, conn):
        try:
            data = conn.sock.recv(65536)
        except (BlockingIOError, InterruptedError):
            return
        except OSError:
            conn.dead = True
            data = b""
        now = time.monotonic()
        if not data:
            conn.eof = True
            self._update(conn)  # closes it, or after the answer still going out
            return
        conn.last_read = now
        if conn.closing:
            self._update(conn)  # lingering: the bytes are dropped
            return
        if not conn.buf and conn.cur is None:
            conn.request_since = now
        conn.buf += data
        self._serve(conn)

    def _flush(self, conn):
        if conn.out and not conn.dead:
            try:
                n = conn.sock.send(conn.out)
            except (BlockingIOError, InterruptedError):
                n = 0
            except OSError:
                conn.dead = True
                n = 0
            if n:
                del conn.out[:n]
                conn.write_since = time.monotonic()
        if not conn.out and conn.buf and not conn.closing:
            self._serve(conn)  # requests held back while the answers piled up
        else:
            self._update(conn)

    def _sweep(self, now):
        """The limits: 408 for a request that does not arrive in time, close for an idle
        connection, a client that takes no answer, or a lingering close that is over."""
        if self.resume_at is not None and now >= self.resume_at:
            self._resume_accepting()
        for conn in list(self.conns.values()):
            if conn.dead:
                self._close(conn)
            elif conn.out:
                if now - conn.write_since > LIMITS.write_timeout:
                    self._warn("write", "Closing a connection from %s: it took no data for "
                               "%.0f s (STUDIO_WRITE_TIMEOUT_S)",
                               conn.addr[0] if conn.addr else "?", LIMITS.write_timeout)
                    self._close(conn)
            elif conn.lingering is not None:
                if now - conn.lingering > LINGER_S:
                    self._close(conn)
            elif conn.cur is not None:
                if now - conn.last_read > LIMITS.header_timeout:
                    self._fail(conn, 408, "The request body stopped arriving: nothing came for "
                               "%g s (STUDIO_HEADER_TIMEOUT_S)." % LIMITS.header_timeout)
                    self._update(conn)
            elif conn.buf:
                if now - conn.request_since > LIMITS.header_timeout:
                    self._fail(conn, 408, "The request head did not arrive within %g s "
                               "(STUDIO_HEADER_TIMEOUT_S)." % LIMITS.header_timeout)
                    self._update(conn)
            elif now - max(conn.idle_since, conn.last_read) > LIMITS.idle_timeout:
                self._close(conn)

    def run(self):
        select_ = self.sel.select
        deadline = None
        while True:
            events = select_(self.SWEEP_S)
            for key, mask in events:
                conn = key.data
                if conn is None:
                    if self.accepting:
                        self._accept()
                    continue
                if mask & selectors.EVENT_WRITE:
                    self._flush(conn)
                if mask & selectors.EVENT_READ and self.conns.get(conn.fd) is conn:
                    self._read(conn)
            now = time.monotonic()
            if now >= self.next_sweep:
                self.next_sweep = now + self.SWEEP_S
                self._sweep(now)
            if os.getppid() != self.master:
                log.error("The master process is gone; worker %d stops", os.getpid())
                return
            if STATE.stop_requested:
                if deadline is None:
                    STATE.stopping = True
                    if self.accepting:
                        self.sel.unregister(self.lsock)
                        self.accepting = False
                    self.lsock.close()
                    deadline = now + 5.0
                # Requests still arriving get a few seconds; idle connections close now.
                for conn in list(self.conns.values()):
                    if conn.cur is None and not conn.buf and not conn.out:
                        self._close(conn)
                if not self.conns or now > deadline:
                    return


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
    try:
        worker_timeout = int(os.environ.get("WORKER_TIMEOUT", "300"))
    except ValueError:
        parser.error("WORKER_TIMEOUT must be a number of seconds")
    global LIMITS
    try:
        LIMITS = Limits()
    except ValueError as e:
        parser.error(str(e))
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
    banner("Worker Timeout (seconds): %d" % worker_timeout)
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
    try:
        lsock = socket.create_server((args.host, args.port), backlog=LISTEN_BACKLOG,
                                     family=socket.AF_INET6 if ":" in args.host else
                                     socket.AF_INET)
    except OSError as e:
        log.error("Cannot listen on %s:%d: %s. Is the port already in use?", args.host,
                  args.port, e)
        return 1
    lsock.setblocking(False)
    STATE.prefix = os.environ.get("SERVICE_PATH_PREFIX", "").rstrip("/")
    log.info("Listening at: http://%s:%d (%d)", args.host, lsock.getsockname()[1], os.getpid())
    log.info("Limits: request body %d bytes, header timeout %g s, idle timeout %g s, write "
             "timeout %g s, %d connections per worker (STUDIO_MAX_BODY_BYTES, "
             "STUDIO_HEADER_TIMEOUT_S, STUDIO_IDLE_TIMEOUT_S, STUDIO_WRITE_TIMEOUT_S, "
             "STUDIO_MAX_CONNECTIONS)", LIMITS.max_body, LIMITS.header_timeout,
             LIMITS.idle_timeout, LIMITS.write_timeout, LIMITS.max_connections)
    arbiter = Arbiter(lsock, workers, worker_timeout, script_path, app_root)
    code = arbiter.run()
    lsock.close()
    if code == 0:
        log.info("Shutting down: all requests finished")
    else:
        log.error("Shutting down with exit code %d", code)
    logging.shutdown()
    return code


if __name__ == "__main__":
    sys.exit(main())
