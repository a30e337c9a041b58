#!/usr/bin/env bash
# CLI golden tests: each tests/cli/NNNN-name/ has `cmd` (one shell line run in
# that directory, where `bulkhead` is the binary under test), its inputs, and
# expected-stdout, expected-stderr, expected-exit. UPDATE_GOLDEN=1 rewrites
# the expected files for review instead of comparing.
source "$(dirname "$0")/../lib.sh"
bulkhead() { "$BULKHEAD" "$@"; }
export -f bulkhead
export NO_COLOR=
# the default vulnerability database path is under the cache directory: pin it to one that
# never exists, so goldens do not depend on the machine (image scans print a note about it)
export XDG_CACHE_HOME=/nonexistent/bulkhead-cli-cache
for dir in "$ROOT"/tests/cli/[0-9]*/; do
    name=$(basename "$dir")
    [ -f "$dir/cmd" ] || { not_ok "cli $name: no cmd file"; continue; }
    out=$(mktemp); err=$(mktemp)
    (cd "$dir" && bash -c "$(cat cmd)" >"$out" 2>"$err" </dev/null)
    rc=$?
    if [ -n "${UPDATE_GOLDEN:-}" ]; then
        cp "$out" "$dir/expected-stdout"; cp "$err" "$dir/expected-stderr"
        echo "$rc" >"$dir/expected-exit"
        ok "cli $name (golden updated)"
    else
        problems=""
        [ "$rc" = "$(cat "$dir/expected-exit" 2>/dev/null)" ] \
            || problems+=" exit $rc, expected $(cat "$dir/expected-exit" 2>/dev/null);"
        diff -u "$dir/expected-stdout" "$out" >/tmp/bh-cli-diff 2>&1 || {
            problems+=" stdout differs;"; cat /tmp/bh-cli-diff >&2; }
        diff -u "$dir/expected-stderr" "$err" >/tmp/bh-cli-diff 2>&1 || {
            problems+=" stderr differs;"; cat /tmp/bh-cli-diff >&2; }
        if [ -z "$problems" ]; then ok "cli $name"; else not_ok "cli $name:$problems"; fi
    fi
    rm -f "$out" "$err"
done
