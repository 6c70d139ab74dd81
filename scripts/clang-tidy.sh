#!/usr/bin/env bash
# clang-tidy over the product's sources with the checks of .clang-tidy (every warning fails).
# Usage: scripts/clang-tidy.sh BUILD_DIR      (after a build: it reads the compile commands and
# Ninja's header dependencies)
#
# A file is checked again only when something that can change the result changed: the file,
# a project header it includes, its compile command, .clang-tidy or clang-tidy itself. Results
# are remembered in $STUDIO_TIDY_CACHE (default /var/cache/endpoint-studio/clang-tidy), so a
# second run on a fresh clone checks nothing that an earlier run checked.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${1:?usage: scripts/clang-tidy.sh BUILD_DIR}
CACHE=${STUDIO_TIDY_CACHE:-/var/cache/endpoint-studio/clang-tidy}
command -v clang-tidy >/dev/null || { echo "clang-tidy missing: apt-get install clang-tidy" >&2; exit 1; }
mkdir -p "$CACHE"

start=$SECONDS
# One line per product source: "<cache key> <file>". Python reads the compile commands and
# Ninja's dependency log once for all files.
plan=$(/usr/bin/python3 - "$BUILD" "$PWD" <<'EOF'
import hashlib, json, os, re, subprocess, sys
build, root = sys.argv[1], sys.argv[2]
commands = json.load(open(os.path.join(build, "compile_commands.json")))
deps, current = {}, None
for line in subprocess.run(["ninja", "-C", build, "-t", "deps"], capture_output=True,
                           text=True, check=True).stdout.splitlines():
    if line and not line.startswith(" "):
        current = line.split(":")[0]
        deps[current] = []
    elif line.strip() and current:
        deps[current].append(line.strip())
def digest(path):
    try:
        with open(path, "rb") as f:
            return hashlib.sha256(f.read()).hexdigest()
    except OSError:
        return "missing"
base = hashlib.sha256()
base.update(open(os.path.join(root, ".clang-tidy"), "rb").read())
base.update(subprocess.run(["clang-tidy", "--version"], capture_output=True).stdout)
for entry in commands:
    source = os.path.relpath(entry["file"], root)
    if not re.match(r"(app|models|widgets|ui)/.*\.cpp$", source):
        continue
    key = base.copy()
    key.update(re.sub(r"\S*ccache\s+", "", entry["command"]).encode())
    key.update(digest(entry["file"]).encode())
    obj = re.search(r"\s-o\s+(\S+)", entry["command"])
    for dep in deps.get(obj.group(1) if obj else "", []):
        path = os.path.normpath(os.path.join(build, dep))
        if path.startswith(root + "/") and not path.startswith(os.path.abspath(build)):
            key.update(path.encode() + digest(path).encode())
    print(key.hexdigest()[:32], source)
EOF
)
total=$(printf '%s\n' "$plan" | grep -c . || true)
todo=$(printf '%s\n' "$plan" | while read -r key file; do
    [ -n "$key" ] && [ ! -e "$CACHE/$key" ] && echo "$key $file"; done || true)
count=$(printf '%s\n' "$todo" | grep -c . || true)
echo "clang-tidy: $total files, $count to check ($((total - count)) unchanged since a clean run)"
if [ "$count" -gt 0 ]; then
    out=$(mktemp -d)
    trap 'rm -rf "$out"' EXIT
    # Each file's result in its own file; a clean file's key goes into the cache.
    printf '%s\n' "$todo" | xargs -P "$(nproc)" -L 1 bash -c '
        key=$1 file=$2
        if clang-tidy --quiet --use-color=false -p "'"$BUILD"'" "$file" >"'"$out"'/$key.log" 2>&1 &&
           ! grep -q "warning:\|error:" "'"$out"'/$key.log"; then
            touch "'"$CACHE"'/$key"
        else
            echo "$file" >"'"$out"'/$key.failed"
        fi' _
    failed=$(cat "$out"/*.failed 2>/dev/null | sort || true)
    if [ -n "$failed" ]; then
        for key in $(ls "$out" | sed -n 's/\.failed$//p'); do
            grep -B1 -A3 "warning:\|error:" "$out/$key.log" | grep -v "^Suppressed\|^Use -header" || true
        done
        echo "clang-tidy: findings in $(printf '%s\n' "$failed" | wc -l) file(s):" $failed >&2
        echo "fix them, or (for a check that does not fit the code) change .clang-tidy" >&2
        exit 1
    fi
fi
echo "clang-tidy: clean in $((SECONDS - start)) s"
