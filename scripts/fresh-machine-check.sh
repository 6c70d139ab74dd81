#!/usr/bin/env bash
# `make fresh-check`: the README's set-up on a Debian 12 machine that has nothing, so that a
# package missing from scripts/install-deps.sh fails here instead of on a newcomer's machine.
#
#  1. A bare Debian 12 root file system (debootstrap --variant=minbase, docker import), built
#     once and tagged with a hash of its recipe.
#  2. A clean export of the committed tree (git archive HEAD, never the working folder) in a
#     throwaway container of it, where the README's steps run as a user (root) runs them:
#     apt-get install git make (the README's prerequisite), the packages and the Release build
#     of `make run`, then `make run` itself on a machine without a display (the studio under
#     xvfb-run) for a few seconds: it must still be running and a screenshot of the virtual
#     screen must show a window (saved for a human to look at). Then `endpointctl --version`,
#     `endpointctl validate` on every example, `make test` without a Docker engine (its packages,
#     format check, sanitizer build and every test that needs no engine: ctest -LE docker), and
#     `make package`.
#  3. The .deb installed with `apt-get install ./….deb` in a second pristine container, where
#     `endpointctl --version` and the studio (a few seconds, screenshot) run too.
#
# Prints one line per step with its time, then PASS, or FAIL with the step, its first error,
# the package that provides a missing file (asked of this machine's dpkg) and the fix.
# Tools that only the check uses (x11-apps for xwd, netpbm) are installed in the containers
# after the step they could otherwise hide a missing package from.
#
# Environment: FRESH_CHECK_OUT (report folder, default build-fresh-check/), FRESH_CHECK_REV
# (commit to export, default HEAD), FRESH_CHECK_CACHE (the downloaded .debs, kept between runs,
# default /var/cache/endpoint-studio), CCACHE_DIR (the compiler cache the first container uses,
# default this machine's; empty folders for both make a cold run), FRESH_CHECK_STUDIO_SECONDS
# (default 8), FRESH_CHECK_KEEP=1 keeps the containers.
set -uo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"

DOCKER=${DOCKER:-docker}
REV=${FRESH_CHECK_REV:-HEAD}
OUT=${FRESH_CHECK_OUT:-$ROOT/build-fresh-check}
CACHE=${FRESH_CHECK_CACHE:-/var/cache/endpoint-studio}
STUDIO_SECONDS=${FRESH_CHECK_STUDIO_SECONDS:-8}
SUITE=bookworm
MIRROR=${DEBIAN_MIRROR:-$(awk '/^deb |^URIs:/{for(i=1;i<=NF;i++) if ($i ~ /^https?:\/\//) {print $i; exit}}' /etc/apt/sources.list /etc/apt/sources.list.d/* 2>/dev/null | grep -m1 debian || true)}
MIRROR=${MIRROR:-http://deb.debian.org/debian}
SECURITY_MIRROR=${DEBIAN_SECURITY_MIRROR:-${MIRROR%/debian}/debian-security}
# The clone inside the container is at the same path as here, so that its compile commands are
# those of `make test` on this machine: the objects its sanitizer build leaves in ccache serve
# the `make test` that CI runs next.
SRC=$ROOT
CCACHE_HOST_DIR=${CCACHE_DIR:-$(ccache -k cache_dir 2>/dev/null || echo "$HOME/.cache/ccache")}
NAME=endpoint-studio-fresh-$$
DEB_NAME=endpoint-studio-fresh-deb-$$

step_no=0
failed_step=""

# --- reporting --------------------------------------------------------------------------------
now() { date +%s.%N; }
line() { printf '%-4s %-62s %7s  %s\n' "$@"; }

# The package that provides a file a failed step was missing, asked of this machine's dpkg:
# the machines the code was written on have it, the list does not.
diagnose() {
    local log=$1 names name hits
    # Tools wrap long lines (CMake does): the patterns are searched in the log as one line.
    names=$(grep -ohE \
        -e 'dependency [A-Za-z0-9_]+ could not be found' \
        -e 'provided by "[^"]+"' \
        -e "No package '[^']+' found" \
        -e 'fatal error: [^:]+: No such file' \
        -e 'cannot find -l[A-Za-z0-9_+.-]+' \
        -e 'error while loading shared libraries: [^:]+' \
        -e "No module named '[^']+'" \
        -e '[A-Za-z0-9_.+-]+: (command )?not found' \
        -e 'Could not load the Qt platform plugin "[^"]+"' < <(tr -s ' \n' '  ' <"$log") | awk '!seen[$0]++' | head -n 5)
    [ -n "$names" ] || return 0
    local listed g
    # The list of the exported commit, not of the working folder.
    listed=$(tar -xOf "$OUT/tree.tar" "${SRC#/}/scripts/install-deps.sh" >"$OUT/install-deps.sh" &&
        for g in build runtime headless test package; do bash "$OUT/install-deps.sh" --list $g; done)
    while IFS= read -r m; do
        case "$m" in
        dependency*) name="${m#dependency }"; name="/${name%% *}Config.cmake" ;;
        provided*) name="${m#provided by \"}"; name="/${name%\"}Config.cmake" ;;
        No\ package*) name="${m#No package \'}"; name="/${name%\' found}.pc" ;;
        fatal*) name="${m#fatal error: }"; name="/${name%%: No such file}" ;;
        cannot*) name="/lib${m#cannot find -l}.so" ;;
        error\ while*) name="/${m#error while loading shared libraries: }" ;;
        No\ module*) name="${m#No module named \'}"; name="/${name%\'}"; name="${name//.//}" ;;
        Could*) name="${m#Could not load the Qt platform plugin \"}"; name="/libq${name%\"}.so" ;;
        *) name="/bin/${m%%:*}" ;;
        esac
        hits=$(dpkg -S "*$name" "*$name.py" "*$name/__init__.py" 2>/dev/null | cut -d: -f1 | tr ',' '\n' |
            tr -d ' ' | sort -u | tr '\n' ' ')
        if [ -z "$hits" ]; then
            echo "     missing: ${name#/} ('$m'); this machine has no package with it either:"
            echo "     find the package with: apt-file search ${name#/}"
            continue
        fi
        echo "     missing: ${name#/} ('$m'), which this machine has from: $hits"
        for h in $hits; do
            grep -qx "$h" <<<"$listed" && echo "     ($h is in scripts/install-deps.sh already)" ||
                missing_packages+=" $h"
        done
    done <<<"$names"
}

first_error() {
    grep -m1 -E '(^| )(CMake Error|[Ee]rror:|error while|FAILED|FAIL:|E: |Traceback|fatal|not found|No such file|could not be found|Could not)' "$1" ||
        tail -n 1 "$1"
}

# step TITLE FIX -- COMMAND...: runs COMMAND with its output in a log; one line with the time.
step() {
    local title=$1 fix=$2
    shift 3
    step_no=$((step_no + 1))
    local log
    log=$(printf '%s/logs/%02d-%s.log' "$OUT" "$step_no" "$(echo "$title" | tr -cs 'A-Za-z0-9' '-' | cut -c1-40)")
    local t0 t1 rc
    last_log=$log
    t0=$(now)
    "$@" >"$log" 2>&1
    rc=$?
    t1=$(now)
    local took
    took=$(awk -v a="$t0" -v b="$t1" 'BEGIN{printf "%.1f s", b-a}')
    if [ $rc -eq 0 ]; then
        line "ok" "$title" "$took" ""
        return 0
    fi
    line "FAIL" "$title" "$took" "(exit $rc)"
    echo "---- last lines of $log"
    tail -n 25 "$log" | sed 's/^/     /'
    echo "----"
    echo "FAIL: fresh-machine check, step '$title' (total $(($(date +%s) - started)) s)"
    echo "     first error: $(first_error "$log")"
    missing_packages=""
    diagnose "$log"
    if [ -n "$missing_packages" ]; then
        echo "     fix: add the missing package(s)$missing_packages to scripts/install-deps.sh (group of this step)"
    else
        echo "     fix: $fix"
    fi
    echo "     log: $log"
    failed_step=$title
    exit 1
}

cleanup() {
    if [ "${FRESH_CHECK_KEEP:-0}" = 1 ]; then
        echo "containers kept: $NAME $DEB_NAME (remove with: $DOCKER rm -f $NAME $DEB_NAME)"
    else
        "$DOCKER" rm -f "$NAME" "$DEB_NAME" >/dev/null 2>&1 || true
    fi
    [ -n "${engine_started:-}" ] && "$ROOT/scripts/docker-engine.sh" stop >/dev/null 2>&1
    true
}
trap cleanup EXIT

# --- host -------------------------------------------------------------------------------------
host_tools() {
    bash scripts/install-deps.sh --check-host || return 1
    if ! timeout 20 "$DOCKER" version >/dev/null 2>&1; then
        bash scripts/docker-engine.sh start || return 1
        engine_started=1
    fi
    git rev-parse --verify -q "$REV^{commit}" >/dev/null || { echo "not a commit: $REV"; return 1; }
}

IMAGE_RECIPE="suite=$SUITE variant=minbase sources=$SUITE,$SUITE-updates,$SUITE-security version=1"
IMAGE_HASH=$(printf '%s' "$IMAGE_RECIPE" | sha256sum | cut -c1-12)
IMAGE=endpoint-studio/debian-bare:12-$IMAGE_HASH

bare_image() {
    if "$DOCKER" image inspect "$IMAGE" >/dev/null 2>&1; then
        echo "$IMAGE present"
        return 0
    fi
    local root="$CACHE/rootfs/debian-bare-$IMAGE_HASH"
    rm -rf "$root" && mkdir -p "$root"
    echo "debootstrap --variant=minbase $SUITE from $MIRROR"
    debootstrap --variant=minbase "$SUITE" "$root" "$MIRROR" || return 1
    # The sources of a Debian 12 installation: the release, its updates and security updates.
    rm -f "$root/etc/apt/sources.list"
    cat >"$root/etc/apt/sources.list.d/debian.sources" <<EOF
Types: deb
URIs: $MIRROR
Suites: $SUITE $SUITE-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb
URIs: $SECURITY_MIRROR
Suites: $SUITE-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOF
    rm -rf "$root"/var/cache/apt/archives/*.deb "$root"/var/lib/apt/lists/*
    tar -C "$root" -c . | "$DOCKER" import \
        -c 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
        -c 'ENV LANG=C.UTF-8' -c 'WORKDIR /root' - "$IMAGE" || return 1
    rm -rf "$root"
}

# A container of the bare image. Downloaded .debs and the compiler cache are kept on the host so
# that a second run downloads and compiles less; it still installs and builds everything (a
# cached object needs every header it was made from, so ccache cannot hide a missing package).
start_container() {
    local name=$1
    shift
    mkdir -p "$CACHE/fresh-apt"
    "$DOCKER" run -d --name "$name" --hostname fresh-debian \
        -v "$CACHE/fresh-apt:/var/cache/apt/archives" "$@" \
        "$IMAGE" sleep infinity >/dev/null
}

export_tree() {
    git archive --format=tar --prefix="${SRC#/}/" "$REV" >"$OUT/tree.tar" || return 1
    echo "exported $(git rev-parse --short "$REV") ($(tar -tf "$OUT/tree.tar" | wc -l) entries)"
    if [ -n "$(git status --porcelain --untracked-files=no)" ]; then
        echo "note: uncommitted changes in $ROOT are not part of this check"
    fi
    mkdir -p "$CCACHE_HOST_DIR"
    start_container "$NAME" -v "$CCACHE_HOST_DIR:/root/.cache/ccache" || return 1
    "$DOCKER" exec -i "$NAME" tar -C / -x <"$OUT/tree.tar"
}

# In the container, in the clone, as root, with a login shell's environment.
in_box() { "$DOCKER" exec -w "$SRC" "$NAME" bash -c "$1"; }
in_deb() { "$DOCKER" exec -w /root "$DEB_NAME" bash -c "$1"; }

# Runs in a container: the studio's process must still run, then a screenshot of the display it
# is on (the Xvfb that xvfb-run started: its display and cookie are on its command line).
# Check tools are installed now, after the studio has started with only the product's packages.
SHOT_SCRIPT='
set -uo pipefail
out=$1 secs=$2
find_studio() {
    studio=""
    for p in /proc/[0-9]*; do
        [ "$(cat $p/comm 2>/dev/null)" = endpoint-studio ] || continue
        [ "$(awk "{print \$3}" $p/stat 2>/dev/null)" != Z ] && studio=${p#/proc/}
    done
}
for _ in $(seq 1 100); do [ -s /tmp/studio.pid ] && break; sleep 0.1; done
# make run may still be configuring: the seconds count from the start of the studio.
for waited in $(seq 1 300); do
    find_studio
    [ -n "$studio" ] && break
    if ! kill -0 $(cat /tmp/studio.pid) 2>/dev/null; then
        echo "FAIL: the command ended before endpoint-studio ran; its output:"
        cat /tmp/studio.log
        exit 1
    fi
    sleep 1
done
if [ -z "$studio" ]; then
    echo "FAIL: endpoint-studio did not start within 300 s; the output:"
    cat /tmp/studio.log
    exit 1
fi
echo "endpoint-studio started (pid $studio, after ${waited} s)"
sleep "$secs"
first=$studio
find_studio
if [ "$studio" != "$first" ]; then
    echo "FAIL: endpoint-studio (pid $first) is not running any more after $secs s; its output:"
    cat /tmp/studio.log
    exit 1
fi
echo "endpoint-studio (pid $studio) running after $secs s"
xvfb=""
for p in /proc/[0-9]*; do
    [ "$(cat $p/comm 2>/dev/null)" = Xvfb ] && xvfb=$p
done
[ -n "$xvfb" ] || { echo "FAIL: no Xvfb process"; exit 1; }
args=$(tr "\0" " " <$xvfb/cmdline)
display=$(echo "$args" | grep -oE " :[0-9]+" | head -n1 | tr -d " ")
auth=$(echo "$args" | grep -oE "\-auth [^ ]+" | cut -d" " -f2)
echo "Xvfb: $args"
export DEBIAN_FRONTEND=noninteractive
apt-get install -y -qq --no-install-recommends x11-apps netpbm >/tmp/shot-tools.log 2>&1 ||
    { tail -n 20 /tmp/shot-tools.log; echo "FAIL: could not install the screenshot tools"; exit 1; }
XAUTHORITY=$auth xwd -root -silent -display "$display" >/tmp/screen.xwd || { echo "FAIL: xwd"; exit 1; }
xwdtopnm /tmp/screen.xwd 2>/dev/null >/tmp/screen.ppm && pnmtopng /tmp/screen.ppm >"$out" 2>/dev/null ||
    { echo "FAIL: could not convert the screenshot"; exit 1; }
colours=$(ppmhist -noheader /tmp/screen.ppm | wc -l)
top=$(ppmhist -noheader /tmp/screen.ppm | head -n1 | awk "{print \$5}")
pixels=$(( $(head -c 64 /tmp/screen.ppm | sed -n 2p | tr " " "*") ))
echo "screenshot $out: $colours distinct colours; the commonest covers $top of $pixels pixels"
# A black or blank screen has 1 colour; a window with text has hundreds (anti-aliasing).
if [ "$colours" -lt 64 ] || [ "$top" -gt $((pixels * 98 / 100)) ]; then
    echo "FAIL: the screen shows no window with text ($colours colours)"
    exit 1
fi
'

studio_running() {
    local box=$1 cmd=$2 shot=$3
    # setsid: the studio and its xvfb-run form one group, ended after the screenshot.
    "$DOCKER" exec -d -w "$SRC" "$box" bash -c "unset DISPLAY; setsid $cmd >/tmp/studio.log 2>&1 & echo \$! >/tmp/studio.pid" ||
        return 1
    local rc=0
    "$DOCKER" exec "$box" bash -c "$SHOT_SCRIPT" shot "/tmp/$shot" "$STUDIO_SECONDS" || rc=1
    "$DOCKER" cp "$box:/tmp/$shot" "$OUT/$shot" >/dev/null 2>&1 && echo "saved $OUT/$shot"
    echo "--- studio output"
    "$DOCKER" exec "$box" bash -c 'cat /tmp/studio.log; kill -TERM -- -$(cat /tmp/studio.pid) 2>/dev/null; sleep 1; kill -KILL -- -$(cat /tmp/studio.pid) 2>/dev/null; true'
    return $rc
}

deb_container() {
    start_container "$DEB_NAME" || return 1
    "$DOCKER" cp "$OUT/$deb" "$DEB_NAME:/root/$deb" || return 1
    in_deb "apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -q ./$deb"
}

# --- the steps --------------------------------------------------------------------------------
# One check at a time on a machine (they share the .deb cache, and 2 cores).
mkdir -p "$CACHE" || exit 1
exec 9>"$CACHE/fresh-check.lock"
if ! flock -n 9; then
    echo "another fresh-machine check runs on this machine; waiting for it (2 cores)"
    flock 9
fi
rm -rf "$OUT" && mkdir -p "$OUT/logs"
started=$(date +%s)
echo "fresh-machine check of $(git rev-parse --short "$REV" 2>/dev/null || echo "$REV") on a bare Debian 12 (report: $OUT)"
step "host: docker engine, debootstrap, git" \
    "install them (scripts/install-deps.sh --check-host) and start dockerd" -- host_tools
step "bare Debian 12 image (debootstrap minbase, cached)" \
    "see the debootstrap output above: the mirror $MIRROR must answer" -- bare_image
step "clean export of $REV into a throwaway container" \
    "commit your work: the check runs the committed tree" -- export_tree
step "README prerequisite: apt-get install git make" \
    "check that containers reach $MIRROR" -- \
    in_box "apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends git make &&
        git init -q && git add -A && git -c user.name=check -c user.email=check@localhost commit -qm 'the export' &&
        echo 'a git repository of the export, as a clone is'"
step "make run, 1/2: packages (scripts/install-deps.sh)" \
    "a name in scripts/install-deps.sh is wrong or the mirror does not answer" -- \
    in_box "bash scripts/install-deps.sh"
step "make run, 2/2: Release build (scripts/run.sh --build-only)" \
    "a package the build needs is missing from scripts/install-deps.sh (build group)" -- \
    in_box "bash scripts/run.sh --build-only"
step "make run: the studio under xvfb-run for ${STUDIO_SECONDS} s, screenshot" \
    "a package the studio loads at run time is missing (runtime or headless group); see its output" -- \
    studio_running "$NAME" "make run" studio-make-run.png
step "endpointctl --version" "see its output" -- \
    in_box "build/bin/endpointctl --version | tee /dev/stderr | grep -qE '^endpointctl [0-9]+\.[0-9]+'"
step "endpointctl validate on every example" "an example has errors: fix the YAML it names" -- \
    in_box 'for d in examples/*/; do echo "== $d"; build/bin/endpointctl validate "$d" || exit 1; done'
step "make test without Docker (scripts/test.sh --no-docker: ctest -LE docker)" \
    "the step of make test it names failed: a package the tests need is missing (test group of scripts/install-deps.sh), or a test assumes what the machines it was written on had" -- \
    in_box "bash scripts/test.sh --no-docker"
sed -n 's/^    (\(.*\) took \(.*\))$/       \1: \2/p; s/^\(Total Test time.*\)/       \1/p; s/^\(100% tests passed.*\)/       \1/p' "$last_log"
step "make package (.deb)" "see CPack's output; the package group of scripts/install-deps.sh" -- \
    in_box 'make package && ls build/*.deb'
deb=$("$DOCKER" exec -w "$SRC" "$NAME" bash -c 'cd build && ls endpoint-studio_*.deb' 2>/dev/null | head -n1)
"$DOCKER" cp "$NAME:$SRC/build/$deb" "$OUT/$deb" >/dev/null 2>&1
step "second bare container: apt-get install ./$deb" \
    "the .deb's dependencies (cmake/Packaging.cmake) or its files are wrong" -- deb_container
step ".deb: endpointctl --version" "the .deb does not install endpointctl on PATH" -- \
    in_deb "endpointctl --version | tee /dev/stderr | grep -qE '^endpointctl [0-9]+\.[0-9]+'"
step ".deb: xvfb (the check's virtual screen; a desktop has a display)" "check the mirror" -- \
    in_deb "DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends xvfb xauth"
step ".deb: the studio under xvfb-run for ${STUDIO_SECONDS} s, screenshot" \
    "a library or plugin the studio loads is not a dependency of the .deb (cmake/Packaging.cmake)" -- \
    studio_running "$DEB_NAME" \
    "xvfb-run -a -s '-screen 0 1600x1000x24' endpoint-studio /usr/share/endpoint-studio/examples/linear-python" \
    studio-deb.png
echo "PASS: fresh-machine check in $(($(date +%s) - started)) s; screenshots: $OUT/studio-make-run.png $OUT/studio-deb.png; .deb: $OUT/$deb"
