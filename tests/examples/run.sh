#!/usr/bin/env bash
# The demo's promise: the unsafe examples produce findings (in every file),
# the fixed ones none.
source "$(dirname "$0")/../lib.sh"
cd "$ROOT" || exit 1
out=$("$BULKHEAD" config -f json examples/fixed); rc=$?
n=$(printf '%s' "$out" | /usr/bin/python3 -c 'import json,sys; r=json.load(sys.stdin); print(sum(1 for t in r["targets"] for f in t["findings"] if f["suppressed"] is None))' 2>/dev/null)
if [ "$rc" = 0 ] && [ "$n" = 0 ]; then ok "examples/fixed: no findings"; else
    not_ok "examples/fixed: exit $rc, $n findings"
    printf '%s\n' "$out" | grep -E '"(rule|message|line)"' >&2; fi
out=$("$BULKHEAD" config -f json examples/unsafe); rc=$?
files=$(printf '%s' "$out" | /usr/bin/python3 -c 'import json,sys; r=json.load(sys.stdin); print(" ".join(sorted(t["target"] for t in r["targets"] if t["findings"])))' 2>/dev/null)
want=$(cd examples/unsafe && ls | grep -v -e '^README' -e '^policy' | sed 's|^|examples/unsafe/|' | sort | tr '\n' ' ' | sed 's/ $//')
if [ "$rc" = 1 ] && [ "$files" = "$want" ]; then ok "examples/unsafe: findings in every file"; else
    not_ok "examples/unsafe: exit $rc, files with findings '$files', expected '$want'"; fi
# the image examples: built from their specs, then scanned like the demo does
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for kind in unsafe fixed; do
    if ! python3 tests/images/mkimage.py "examples/$kind-image/image.json" "$tmp/$kind.tar"; then
        not_ok "examples/$kind-image: mkimage failed"; continue; fi
    out=$("$BULKHEAD" image -f json "$tmp/$kind.tar"); rc=$?
    rules=$(printf '%s' "$out" | /usr/bin/python3 -c 'import json,sys; r=json.load(sys.stdin); print(" ".join(sorted(set(f["rule"] for t in r["targets"] for f in t["findings"] if f["suppressed"] is None))))' 2>/dev/null)
    if [ "$kind" = fixed ]; then
        if [ "$rc" = 0 ] && [ -z "$rules" ]; then ok "examples/fixed-image: no findings"
        else not_ok "examples/fixed-image: exit $rc, rules: $rules"; fi
    else
        missing=""
        for r in IMG-SECRET-FILE IMG-SECRET-ENV IMG-SUID IMG-UID0 IMG-EMPTYPW IMG-SSHD IMG-EOL \
                 IMG-AGE IMG-TOOLS IMG-JUNK BUILD-INSECURE-FETCH BUILD-USER; do
            case " $rules " in *" $r "*) ;; *) missing+=" $r" ;; esac
        done
        if [ "$rc" = 1 ] && [ -z "$missing" ]; then ok "examples/unsafe-image: every planted mistake found"
        else not_ok "examples/unsafe-image: exit $rc, missing:$missing"; fi
    fi
done
