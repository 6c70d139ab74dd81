#!/usr/bin/env bash
# `make test`: everything the tests need, then a -Werror ASan+UBSan build and ctest.
set -euo pipefail
cd "$(dirname "$0")/.."
# ccache (when installed) shares objects between clones: paths are made relative to here.
export CCACHE_BASEDIR="$PWD" CCACHE_NOHASHDIR=1
BUILD=${TEST_BUILD_DIR:-build-test}

scripts/install-deps.sh --test
scripts/check-format.sh
scripts/docker-engine.sh start
ROOT=$PWD
# The trap runs wherever the script stands at exit, so it names the script by absolute path.
trap '"$ROOT/scripts/docker-engine.sh" stop' EXIT
scripts/build-base-images.sh

cmake -S . -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=Debug -DSTUDIO_WERROR=ON \
    -DSTUDIO_SANITIZE=ON >/dev/null
cmake --build "$BUILD" --parallel "$(nproc)"

export QT_QPA_PLATFORM=offscreen
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=0:abort_on_error=0:strict_string_checks=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
ctest --test-dir "$BUILD" --output-on-failure --timeout 900 ${CTEST_ARGS:-}
# Proof in the output that the Docker path ran (ctest hides the output of passing tests).
grep -h "docker run of .* printed" "$BUILD/Testing/Temporary/LastTest.log" 2>/dev/null |
    sed 's/^/docker smoke test: /' || true
