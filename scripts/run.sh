#!/usr/bin/env bash
# `make run`: the packages, a Release build, then the studio on the bundled example.
#   run.sh [--build-only]    --build-only stops after the build (the fresh-machine check uses it)
set -euo pipefail
cd "$(dirname "$0")/.."
# ccache (when installed) shares objects between clones: paths are made relative to here.
export CCACHE_BASEDIR="$PWD" CCACHE_NOHASHDIR=1
BUILD=${RUN_BUILD_DIR:-build}
EXAMPLE=${EXAMPLE:-examples/linear-python}
STEP_COMMAND="make run"
source scripts/steps.sh

echo "make run: installs the Debian packages it needs (scripts/install-deps.sh), builds Release into"
echo "$BUILD/ and opens the studio on $EXAMPLE."
bash scripts/install-deps.sh --plan
if [ ! -x "$BUILD/bin/endpoint-studio" ]; then
    echo "The first run takes roughly 10-15 minutes on 2 cores (about 300 MB of packages, then"
    echo "the compile); later runs take seconds."
fi

step "packages" "run as root (or with sudo) on Debian 12, and check that 'apt-get update' works" \
    bash scripts/install-deps.sh
step "configure ($BUILD/)" \
    "the CMake error above names what is missing; install its Debian package and add it to scripts/install-deps.sh. If $BUILD/ was configured on another machine, delete it" \
    quiet cmake -S . -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=Release -DSTUDIO_BUILD_TESTS=OFF -DSTUDIO_SANITIZE=OFF
step "build" \
    "read the first compiler error above; a missing header means a missing -dev package (apt-file search HEADER), to add to scripts/install-deps.sh" \
    cmake --build "$BUILD" --parallel "$(nproc)" --target endpoint-studio endpointctl

echo "Built: $PWD/$BUILD/bin/endpoint-studio and $PWD/$BUILD/bin/endpointctl"
echo "Another folder: $BUILD/bin/endpoint-studio PATH, File > Open Folder in the studio, or"
echo "EXAMPLE=PATH make run. endpointctl: $BUILD/bin/endpointctl --help"
[ "${1:-}" = --build-only ] && exit 0

studio=("$BUILD/bin/endpoint-studio" "$EXAMPLE")
if [ -n "${DISPLAY:-}" ] || [ -n "${WAYLAND_DISPLAY:-}" ]; then
    echo "==> make run: starting the studio on $EXAMPLE"
    exec "${studio[@]}"
elif command -v xvfb-run >/dev/null; then
    echo "No display (DISPLAY is unset): running the studio under xvfb-run, a virtual screen."
    echo "To see the window, run 'make run' from a desktop session or with 'ssh -X'."
    exec xvfb-run -a -s "-screen 0 1600x1000x24" "${studio[@]}"
else
    echo "make run failed at step 'start': DISPLAY is unset and xvfb-run is missing." >&2
    echo "Fix: run 'make run' from a desktop session, or install xvfb (apt-get install xvfb xauth)." >&2
    exit 1
fi
