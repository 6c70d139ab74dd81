#!/usr/bin/env bash
# `make run`: a Release build, then the studio on the bundled example.
set -euo pipefail
cd "$(dirname "$0")/.."
# ccache (when installed) shares objects between clones: paths are made relative to here.
export CCACHE_BASEDIR="$PWD" CCACHE_NOHASHDIR=1
BUILD=${RUN_BUILD_DIR:-build}
EXAMPLE=${EXAMPLE:-examples/linear-python}

scripts/install-deps.sh
cmake -S . -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=Release -DSTUDIO_BUILD_TESTS=OFF >/dev/null
cmake --build "$BUILD" --parallel "$(nproc)" --target endpoint-studio endpointctl

studio=("$BUILD/bin/endpoint-studio" "$EXAMPLE")
if [ -n "${DISPLAY:-}" ] || [ -n "${WAYLAND_DISPLAY:-}" ]; then
    exec "${studio[@]}"
elif command -v xvfb-run >/dev/null; then
    echo "No display (DISPLAY is unset): running the studio under xvfb-run, a virtual screen."
    echo "To see the window, run 'make run' from a desktop session or with 'ssh -X'."
    exec xvfb-run -a -s "-screen 0 1600x1000x24" "${studio[@]}"
else
    echo "No display: DISPLAY is unset and xvfb-run is missing." >&2
    echo "Run 'make run' from a desktop session, or install xvfb (apt-get install xvfb)." >&2
    exit 1
fi
