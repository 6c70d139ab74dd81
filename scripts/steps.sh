# Sourced by run.sh, test.sh and package.sh: named steps. A step that fails says which step of
# which command failed and how to fix it, after the tool's own message.
#   step NAME FIX COMMAND...
STEP_COMMAND=${STEP_COMMAND:-make}
step() {
    local name=$1 fix=$2
    shift 2
    local t0=$SECONDS rc=0
    echo "==> $STEP_COMMAND: $name"
    "$@" || rc=$?
    if [ $rc -ne 0 ]; then
        echo >&2
        echo "$STEP_COMMAND failed at step '$name' (exit $rc, after $((SECONDS - t0)) s)." >&2
        echo "Fix: $fix" >&2
        exit $rc
    fi
    [ $((SECONDS - t0)) -lt 5 ] || echo "    ($name took $((SECONDS - t0)) s)"
}
# quiet COMMAND...: the command's standard output hidden (errors still show).
quiet() { "$@" >/dev/null; }
