#!/usr/bin/env bash
# `make package`: a Release build in build/ and a .deb of it made by CPack (cmake/Packaging.cmake).
set -euo pipefail
cd "$(dirname "$0")/.."
export CCACHE_BASEDIR="$PWD" CCACHE_NOHASHDIR=1
BUILD=${RUN_BUILD_DIR:-build}
STEP_COMMAND="make package"
source scripts/steps.sh

step "packages" "run as root (or with sudo) on Debian 12, and check that 'apt-get update' works" \
    bash scripts/install-deps.sh --package
step "configure ($BUILD/)" \
    "the CMake error above names what is missing; install its Debian package and add it to scripts/install-deps.sh" \
    quiet cmake -S . -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=Release -DSTUDIO_BUILD_TESTS=OFF -DSTUDIO_SANITIZE=OFF
step "build" "read the first compiler error above" \
    cmake --build "$BUILD" --parallel "$(nproc)"
step "cpack" "read CPack's error above (dpkg-shlibdeps needs dpkg-dev, CPack needs file)" \
    bash -c "cd '$BUILD' && cpack -G DEB"
deb=$(ls -t "$BUILD"/endpoint-studio_*.deb | head -n1)
echo "Package: $PWD/$deb"
echo "Install it with: apt-get install ./$deb   (then: endpoint-studio FOLDER, endpointctl --help)"
