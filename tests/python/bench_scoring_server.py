#!/usr/bin/env python3
"""Benchmark: the studio scoring server vs gunicorn+Flask serving the same score.py (prints a table).

    /usr/bin/python3 tests/python/bench_scoring_server.py [--duration 5] [--threads 2]
        [--suites trivial,linear,cpu,io] [--compare-with OLD/scoring_server.py]

Needs wrk, gunicorn and python3-flask (Debian packages). Each row is one wrk run over keep-alive
connections (`wrk -c <concurrency> --latency`, POST body from a small Lua script). The baseline is
the architecture of Azure's azmlinfsrv: Flask app under gunicorn, 1 worker (WORKER_COUNT=1),
which calls init() once and run(body-as-str) per request: "gunicorn+flask" is gunicorn's default
sync worker (it closes the connection after each response, so wrk reconnects), "gunicorn-gthread"
the same app on a gthread worker with 8 threads and keep-alive (the kindest baseline).
Suites: "trivial" and "linear" (1 worker, concurrency 1 and 8); "cpu", a run() of about 5 ms of
pure Python at concurrency 8: the studio with WORKER_COUNT=1 and 2 against gunicorn+Flask with 2
sync workers (processes, as azmlinfsrv's WORKER_COUNT=2); "io", a run() that sleeps 10 ms, with
WORKER_COUNT=4 at concurrency 8. --compare-with adds rows for another scoring_server.py (e.g. the
previous version, from `git show main:resources/scoring/scoring_server.py`).
Figures only: no pass/fail.
"""
import argparse
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import textwrap
import time
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
SERVER = os.path.normpath(os.path.join(HERE, "..", "..", "resources", "scoring",
                                       "scoring_server.py"))
FIXTURES = os.path.join(HERE, "fixtures")
PYTHON = "/usr/bin/python3"

TRIVIAL = textwrap.dedent('''\
    def init():
        pass


    def run(data):
        return data
    ''')

FLASK_APP = textwrap.dedent('''\
    """Azure azmlinfsrv-style Flask app: load score.py, init() once, run(body str) per request."""
    import importlib.util
    import json
    import os
    import time

    from flask import Flask, Response, request

    spec = importlib.util.spec_from_file_location("score", os.environ["SCORE_SCRIPT"])
    user = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(user)
    user.init()
    app = Flask(__name__)


    @app.route("/", methods=["GET"])
    def health():
        return "Healthy"


    @app.route("/score", methods=["GET", "POST", "OPTIONS"])
    def score():
        data = request.get_data().decode("utf-8")
        t0 = time.perf_counter()
        result = user.run(data)
        ms = (time.perf_counter() - t0) * 1000
        return Response(json.dumps(result), 200, mimetype="application/json",
                        headers={"x-ms-run-fn-exec-ms": "%.3f" % ms,
                                 "x-ms-run-function-failed": "False"})
    ''')

IO = textwrap.dedent('''\
    import time


    def init():
        pass


    def run(data):
        time.sleep(0.01)
        return data
    ''')

LINEAR_BODY = '{"data": [[1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0], [0.5, 0.25, 1.5, 2.5, 3.5, 4.5, 5.5, 6.5]]}'
TRIVIAL_BODY = '{"data": [[1, 2, 3, 4]]}'


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_healthy(port, proc, timeout=20):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if proc.poll() is not None:
            raise RuntimeError("server exited with %s" % proc.returncode)
        try:
            with urllib.request.urlopen("http://127.0.0.1:%d/" % port, timeout=1) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError("server on port %d did not become healthy" % port)


def start_studio(script, logf, workers=1, server=SERVER):
    port = free_port()
    env = dict(os.environ, PYTHONUNBUFFERED="1", WORKER_COUNT=str(workers))
    proc = subprocess.Popen([PYTHON, server, "--entry_script", script, "--port", str(port),
                             "--host", "127.0.0.1"], stdout=logf, stderr=subprocess.STDOUT,
                            env=env)
    return port, proc


def wait_workers(logpath, workers, proc, timeout=30):
    """Every worker process has run init() (the first answer may come from the first one)."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        with open(logpath) as f:
            text = f.read()
        if text.count("ready for serving traffic") >= workers:
            return
        if proc.poll() is not None:
            raise RuntimeError("server exited with %s" % proc.returncode)
        time.sleep(0.05)


def start_gunicorn(script, appdir, logf, gthread=False, workers=1):
    port = free_port()
    env = dict(os.environ, SCORE_SCRIPT=script)
    extra = ["--worker-class", "gthread", "--threads", "8", "--keep-alive", "5"] if gthread else []
    proc = subprocess.Popen(["/usr/bin/gunicorn", "--workers", str(workers)] + extra + ["--bind",
                             "127.0.0.1:%d" % port, "--chdir", appdir, "flask_app:app"],
                            stdout=logf, stderr=subprocess.STDOUT, env=env)
    return port, proc


def stop(proc):
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def to_ms(text):
    m = re.match(r"([\d.]+)(us|ms|s)$", text)
    v = float(m.group(1))
    return {"us": v / 1000.0, "ms": v, "s": v * 1000.0}[m.group(2)]


def wrk(port, lua, conc, duration, threads):
    out = subprocess.run(["/usr/bin/wrk", "-t", str(min(threads, conc)), "-c", str(conc), "-d",
                          "%ds" % duration, "--latency", "-s", lua,
                          "http://127.0.0.1:%d/score" % port],
                         stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                         timeout=duration + 30).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    p50 = to_ms(re.search(r"^\s+50%\s+(\S+)", out, re.M).group(1))
    p99 = to_ms(re.search(r"^\s+99%\s+(\S+)", out, re.M).group(1))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    sock_err = re.search(r"Socket errors: (.*)", out)
    note = ""
    if errors:
        note += " non2xx=" + errors.group(1)
    if sock_err:
        note += " sockerr(" + sock_err.group(1).strip() + ")"
    return rps, p50, p99, note


# (suite, server label, kind, workers, concurrencies)
def plan(suites, concs, compare):
    rows = []
    for sname in ("trivial", "linear"):
        if sname in suites:
            for server in ("studio", "gunicorn+flask", "gunicorn-gthread"):
                rows.append((sname, server, server, 1, concs))
            if compare:
                rows.append((sname, "studio-compare", "compare", 1, concs))
    if "cpu" in suites:
        rows.append(("cpu", "studio w1", "studio", 1, [8]))
        rows.append(("cpu", "studio w2", "studio", 2, [8]))
        rows.append(("cpu", "gunicorn+flask w2", "gunicorn+flask", 2, [8]))
        if compare:
            rows.append(("cpu", "studio-compare w2", "compare", 2, [8]))
    if "io" in suites:
        rows.append(("io", "studio w4", "studio", 4, [8]))
        rows.append(("io", "gunicorn+flask w4", "gunicorn+flask", 4, [8]))
        if compare:
            rows.append(("io", "studio-compare w4", "compare", 4, [8]))
    return rows


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--duration", type=int, default=5, help="seconds per wrk run (default 5)")
    ap.add_argument("--threads", type=int, default=2, help="wrk threads (default 2)")
    ap.add_argument("--concurrency", default="1,8", help="comma list (default 1,8)")
    ap.add_argument("--suites", default="trivial,linear,cpu,io",
                    help="comma list of trivial, linear, cpu, io (default: all)")
    ap.add_argument("--compare-with", help="another scoring_server.py to measure in the same run")
    args = ap.parse_args()
    for tool in ("/usr/bin/wrk", "/usr/bin/gunicorn"):
        if not os.path.exists(tool):
            sys.exit("missing %s (apt-get install wrk gunicorn python3-flask)" % tool)
    concs = [int(c) for c in args.concurrency.split(",")]
    suites = set(args.suites.split(","))
    tmp = tempfile.mkdtemp(prefix="bench-scoring-")
    try:
        scripts = {"linear": os.path.join(FIXTURES, "linear_score.py"),
                   "cpu": os.path.join(FIXTURES, "cpu_score.py")}
        for name, text in (("trivial", TRIVIAL), ("io", IO)):
            scripts[name] = os.path.join(tmp, name + "_score.py")
            with open(scripts[name], "w") as f:
                f.write(text)
        compare = None
        if args.compare_with:
            # Next to its own shims, as it is staged.
            compare_dir = os.path.join(tmp, "compare")
            shutil.copytree(os.path.dirname(SERVER), compare_dir)
            compare = os.path.join(compare_dir, "scoring_server.py")
            shutil.copy(args.compare_with, compare)
        with open(os.path.join(tmp, "flask_app.py"), "w") as f:
            f.write(FLASK_APP)
        luas = {}
        for name, body in (("trivial", TRIVIAL_BODY), ("linear", LINEAR_BODY),
                           ("cpu", TRIVIAL_BODY), ("io", TRIVIAL_BODY)):
            luas[name] = os.path.join(tmp, name + ".lua")
            with open(luas[name], "w") as f:
                f.write('wrk.method = "POST"\nwrk.body = \'%s\'\n'
                        'wrk.headers["Content-Type"] = "application/json"\n' % body)
        rows = []
        for sname, label, kind, workers, row_concs in plan(suites, concs, compare):
            logpath = os.path.join(tmp, "%s-%s.log" % (sname, re.sub(r"\W", "-", label)))
            with open(logpath, "w") as logf:
                if kind in ("studio", "compare"):
                    port, proc = start_studio(scripts[sname], logf, workers,
                                              compare if kind == "compare" else SERVER)
                else:
                    port, proc = start_gunicorn(scripts[sname], tmp, logf,
                                                gthread=kind == "gunicorn-gthread",
                                                workers=workers)
                try:
                    wait_healthy(port, proc)
                    if kind in ("studio", "compare"):
                        wait_workers(logpath, workers, proc)
                    else:
                        time.sleep(0.5 * workers)  # each sync worker imports the app itself
                    wrk(port, luas[sname], 2, 1, args.threads)  # warm-up
                    for c in row_concs:
                        rps, p50, p99, note = wrk(port, luas[sname], c, args.duration,
                                                  args.threads)
                        rows.append((sname, label, c, rps, p50, p99, note))
                finally:
                    stop(proc)
        print("scoring server benchmark: wrk %ds per row, keep-alive, POST /score, python %s, "
              "%d CPUs" % (args.duration, sys.version.split()[0], os.cpu_count()))
        print("%-8s %-20s %5s %10s %9s %9s" % ("script", "server", "conc", "req/s", "p50 ms",
                                              "p99 ms"))
        for sname, server, c, rps, p50, p99, note in rows:
            print("%-8s %-20s %5d %10.0f %9.3f %9.3f%s" % (sname, server, c, rps, p50, p99, note))
        print()

        def rate(sname, server, c):
            r = [x for x in rows if x[0] == sname and x[1] == server and x[2] == c]
            return r[0][3] if r else None

        def ratio(sname, a, b, c, target=None):
            ra, rb = rate(sname, a, c), rate(sname, b, c)
            if ra and rb:
                print("%-8s conc %d: %-18s / %-20s throughput = %.2fx%s"
                      % (sname, c, a, b, ra / rb,
                         "" if target is None else "  (target >= %.1fx)" % target))

        for sname in ("trivial", "linear"):
            for c in concs:
                for base in ("gunicorn+flask", "gunicorn-gthread", "studio-compare"):
                    ratio(sname, "studio", base, c, 3.0 if sname == "trivial" and
                          base == "gunicorn+flask" else None)
        ratio("cpu", "studio w2", "gunicorn+flask w2", 8, 1.0)
        ratio("cpu", "studio w2", "studio w1", 8, 1.7)
        ratio("cpu", "studio w2", "studio-compare w2", 8)
        ratio("io", "studio w4", "gunicorn+flask w4", 8)
        ratio("io", "studio w4", "studio-compare w4", 8, 1.0)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
