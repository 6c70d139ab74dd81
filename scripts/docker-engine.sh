#!/usr/bin/env bash
# start: make sure a Docker engine answers; starts dockerd in the background when none does
#        and records its pid so that `stop` ends only the engine this script started.
# stop:  stops the engine started by `start`, if any.
set -euo pipefail
state=${STUDIO_DOCKERD_STATE:-/run/endpoint-studio-dockerd.pid}

answers() { timeout 20 docker version --format '{{.Server.Version}}' >/dev/null 2>&1; }

case "${1:-start}" in
start)
    if answers; then
        echo "docker engine: answering"
        exit 0
    fi
    command -v dockerd >/dev/null || { echo "dockerd missing: apt-get install docker.io" >&2; exit 1; }
    echo "docker engine: not answering, starting dockerd"
    nohup dockerd >/var/log/endpoint-studio-dockerd.log 2>&1 &
    echo $! >"$state"
    for _ in $(seq 1 60); do
        answers && { echo "docker engine: started (pid $(cat "$state"))"; exit 0; }
        sleep 1
    done
    echo "dockerd did not answer within 60 s; see /var/log/endpoint-studio-dockerd.log" >&2
    tail -n 20 /var/log/endpoint-studio-dockerd.log >&2 || true
    exit 1
    ;;
stop)
    if [ -f "$state" ]; then
        pid=$(cat "$state")
        rm -f "$state"
        kill "$pid" 2>/dev/null && echo "docker engine: stopped the dockerd this run started" || true
        for _ in $(seq 1 20); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    fi
    ;;
esac
