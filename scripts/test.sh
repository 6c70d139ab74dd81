#!/usr/bin/env bash
# `make test`: everything the tests need, then a -Werror ASan+UBSan build and ctest.
#   test.sh [--no-docker]   --no-docker: no engine, no base images, only the tests that need no
#                           Docker engine (ctest -LE docker); the fresh-machine check uses it
set -euo pipefail
docker=1
[ "${1:-}" = --no-docker ] && docker=0
cd "$(dirname "$0")/.."
# ccache (when installed) shares objects between clones: paths are made relative to here.
export CCACHE_BASEDIR="$PWD" CCACHE_NOHASHDIR=1
BUILD=${TEST_BUILD_DIR:-build-test}
STEP_COMMAND="make test"
source scripts/steps.sh

echo "make test: installs the Debian packages of the build and the tests (scripts/install-deps.sh"
echo "--test), checks formatting, starts Docker, builds the base images, builds with -Werror and"
echo "ASan+UBSan into $BUILD/ and runs every test."
[ $docker = 1 ] || echo "(--no-docker: no Docker engine and no base images; the tests labelled docker are left out)"
bash scripts/install-deps.sh --test --plan
if [ ! -f "$BUILD/build.ninja" ]; then
    echo "The first run takes roughly 35-45 minutes on 2 cores (about 700 MB of packages, two base"
    echo "images, the sanitizer build and about 10 minutes of tests); later runs about 10 minutes."
fi

step "packages" "run as root (or with sudo) on Debian 12, and check that 'apt-get update' works" \
    bash scripts/install-deps.sh --test
step "format" "format the files it lists with clang-format -i (or: make format)" \
    bash scripts/check-format.sh
if [ $docker = 1 ]; then
    step "docker engine" "see the dockerd log it names; 'docker info' must answer" \
        bash scripts/docker-engine.sh start
    ROOT=$PWD
    # The trap runs wherever the script stands at exit, so it names the script by absolute path.
    trap '"$ROOT/scripts/docker-engine.sh" stop' EXIT
    step "base images" "see the debootstrap log it names; the Debian mirror must answer" \
        bash scripts/build-base-images.sh
else
    CTEST_ARGS="-LE docker ${CTEST_ARGS:-}"
fi
step "configure ($BUILD/)" \
    "the CMake error above names what is missing; install its Debian package and add it to scripts/install-deps.sh" \
    quiet cmake -S . -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=Debug -DSTUDIO_WERROR=ON -DSTUDIO_SANITIZE=ON
step "build" "fix the first compiler error or warning above (-Werror)" \
    cmake --build "$BUILD" --parallel "$(nproc)"

export QT_QPA_PLATFORM=offscreen
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=0:abort_on_error=0:strict_string_checks=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
step "tests" \
    "the failing tests are listed above with their output; run one with: ctest --test-dir $BUILD -R NAME --output-on-failure" \
    ctest --test-dir "$BUILD" --output-on-failure --timeout 900 ${CTEST_ARGS:-}
# Proof in the output that the Docker path ran (ctest hides the output of passing tests).
grep -h "docker run of .* printed" "$BUILD/Testing/Temporary/LastTest.log" 2>/dev/null |
    sed 's/^/docker smoke test: /' || true
