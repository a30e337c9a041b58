#!/usr/bin/env bash
# Runs every cmocka unit test binary in TAP mode; a binary that crashes or
# exits non-zero without reporting a failing test counts as one failure.
set -u
build=${1:?usage: run-unit.sh BUILD_DIR}
for t in "$build"/tests/test_*; do
    [ -f "$t" ] && [ -x "$t" ] || continue
    name=$(basename "$t")
    out=$(cd "$(dirname "$0")/.." && CMOCKA_MESSAGE_OUTPUT=TAP "$t" 2>&1)
    rc=$?
    printf '%s\n' "$out" | sed -n "s/^ok [0-9]* - \(.*\)/ok $name: \1/p; s/^not ok [0-9]* - \(.*\)/not ok $name: \1/p"
    if [ $rc -ne 0 ] && ! printf '%s\n' "$out" | grep -q '^not ok'; then
        echo "not ok $name: exited $rc"
        printf '%s\n' "$out" | tail -30 >&2
    elif [ $rc -ne 0 ]; then
        printf '%s\n' "$out" | grep -v '^ok' | tail -40 >&2
    fi
done
