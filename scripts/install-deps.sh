#!/usr/bin/env bash
# The one list of Debian 12 packages the project needs, and their installation.
#
#   install-deps.sh              what `make run` needs: build + runtime + headless
#   install-deps.sh --test       also what `make test` needs (build, runtime, headless, test)
#   install-deps.sh --package    what `make package` needs (build + package)
#   install-deps.sh --check-host what scripts/fresh-machine-check.sh needs on the host
#   install-deps.sh --list GROUP prints one group (build runtime headless test package check-host)
#   install-deps.sh --plan ...   prints what the options would install, installs nothing
#
# Packages are installed with --no-install-recommends, as on a server: whatever the project
# uses must be named here even when another package only recommends it (qt6-base-dev only
# recommends libqt6opengl6-dev, which Qt6Charts needs). scripts/fresh-machine-check.sh proves
# the list on a bare Debian 12 (debootstrap --variant=minbase) at every CI run.
# Safe to run again: only missing packages are installed, and apt's lists are refreshed only
# when something is missing.
set -euo pipefail

# build: CMake configure and compile of both programs and the tests (every find_package,
# pkg_check_modules and find_program of the CMake files).
build=(
    cmake ninja-build g++ pkgconf ccache # toolchain; pkgconf: pkg_check_modules (app/logs/)
    qt6-base-dev                         # Qt6 Core Network Concurrent Gui Widgets PrintSupport Test
    libqt6opengl6-dev                    # Qt6OpenGL(Widgets): Qt6Charts' CMake package needs it
    qt6-charts-dev                       # Qt6 Charts (deployment metrics)
    libqscintilla2-qt6-dev               # the YAML editor (cmake/FindQScintilla.cmake)
    libyaml-cpp-dev libspdlog-dev        # YAML comparison baseline, logging
    libpcre2-dev                         # libpcre2-16 headers for the log search
)

# runtime: what endpoint-studio and endpointctl load or start at run time beyond their shared
# libraries (the .deb of cmake/Packaging.cmake declares these too).
runtime=(
    qt6-qpa-plugins  # the xcb platform plugin (libqxcb.so) and its xcb libraries
    fonts-dejavu-core # a font, so that windows and screenshots show text
    python3          # the scoring server and storage initializer; the process runtime
    nginx-light      # the endpoint gateway in front of the process runtime's servers
)

# headless: `make run` without a display runs the studio under xvfb-run.
headless=(xvfb xauth)

# test: `make test` and the tests, benchmarks and CI checks.
test=(
    docker.io                      # Docker engine: docker-labelled tests (dockerd, docker CLI)
    debootstrap                    # offline base images (scripts/build-base-images.sh) and the fresh-machine check
    git                            # scripts/check-format.sh lists files with git ls-files
    clang-format                   # scripts/check-format.sh
    clang-tidy                     # static analysis
    clang libfuzzer-14-dev         # fuzz targets (-fsanitize=fuzzer)
    curl                           # test_requestsnippets runs the copied curl command; bench_invoke's baseline
    wrk gunicorn python3-flask     # bench_scoring_server.py: load generator and its baseline server
    python3-jmespath               # differential test of endpointctl --query against JMESPath
    python3-debugpy                # debugging score.py in the process runtime
)

# package: `make package` (CPack's DEB generator runs dpkg-shlibdeps, and file to find ELF files).
package=(dpkg-dev file)

# check-host: what scripts/fresh-machine-check.sh needs on the machine that runs it.
check_host=(docker.io debootstrap git)

usage() { sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//'; }

packages=()
plan=0
want_usage=0
[ $# -eq 0 ] && packages+=("${build[@]}" "${runtime[@]}" "${headless[@]}")
while [ $# -gt 0 ]; do
    case "$1" in
    --test) packages+=("${build[@]}" "${runtime[@]}" "${headless[@]}" "${test[@]}") ;;
    --package) packages+=("${build[@]}" "${package[@]}") ;;
    --check-host) packages+=("${check_host[@]}") ;;
    --plan) plan=1 ;;
    --list)
        case "${2:-}" in
        build | runtime | headless | test | package) eval 'printf "%s\n" "${'"$2"'[@]}"' ;;
        check-host) printf '%s\n' "${check_host[@]}" ;;
        *) echo "--list needs a group: build runtime headless test package check-host" >&2; exit 2 ;;
        esac
        exit 0
        ;;
    -h | --help) want_usage=1 ;;
    *) echo "unknown option: $1" >&2; want_usage=2 ;;
    esac
    shift
done
if [ "$want_usage" -ne 0 ]; then
    usage
    exit $((want_usage - 1))
fi
[ ${#packages[@]} -eq 0 ] && packages+=("${build[@]}" "${runtime[@]}" "${headless[@]}")
# Each name once, in the order given.
mapfile -t packages < <(printf '%s\n' "${packages[@]}" | awk '!seen[$0]++')

missing=()
for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ "$plan" -eq 1 ]; then
    if [ ${#missing[@]} -eq 0 ]; then
        echo "packages: all ${#packages[@]} present, nothing to install"
    else
        echo "packages: ${#missing[@]} of ${#packages[@]} to install: ${missing[*]}"
    fi
    exit 0
fi
if [ ${#missing[@]} -eq 0 ]; then
    echo "packages: all ${#packages[@]} present"
    exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
    echo "missing packages: ${missing[*]}" >&2
    echo "run as root, or: sudo apt-get install --no-install-recommends ${missing[*]}" >&2
    exit 1
fi
echo "installing ${#missing[@]} packages: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
log=$(mktemp /tmp/install-deps.XXXXXX.log)
if ! { apt-get update -qq && apt-get install -y -qq --no-install-recommends "${missing[@]}"; } >"$log" 2>&1; then
    tail -n 20 "$log" >&2
    echo "apt-get could not install the packages above (full log: $log)." >&2
    echo "Fix: check that this machine reaches its Debian mirror (apt-get update) and that every" >&2
    echo "name exists in Debian 12 (apt-cache policy NAME); the list is in scripts/install-deps.sh." >&2
    exit 1
fi
rm -f "$log"
