#!/usr/bin/env bash
# tests/host: `bulkhead host --root` on fixture host trees (tests/fixtures/hosts/NAME).
# Owners, modes, sockets and ACLs cannot live in git, so each tree is copied to a temporary
# directory first: a fixture with a `base` file starts from that fixture's tree (and its
# setup.sh), then its own files are laid over it and its own setup.sh runs in the copy
# (chmod, chown, a python3 socket bind, setfacl). expected.txt lists exactly the findings
# expected, one "RULE LOCATION" per line (LOCATION = file[:line]); messages.txt (optional)
# lists "RULE TEXT" pairs whose TEXT must appear in a message of that rule, and
# severities.txt (optional) "RULE LOCATION SEVERITY"; rc (optional) the exit code when it is
# not 1 (findings) / 0 (none) / 2 (report errors). Needs root for chown.
source "$(dirname "$0")/../lib.sh"
FIX="$ROOT/tests/fixtures/hosts"
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
META="base setup.sh expected.txt messages.txt severities.txt needs rc"

if [ "$(id -u)" != 0 ]; then
    not_ok "host fixtures: need root to chown fixture files"
    exit 1
fi

# lay fixture $1 into directory $2 (its base first): tests/host/lay.sh, shared with tests/rules
lay() { bash "$ROOT/tests/host/lay.sh" "$1" "$2"; }

# "RULE file[:line]" per finding, sorted; "ERROR ..." per report error
actual() {
    python3 -c '
import json, sys
r = json.load(open(sys.argv[1]))
out = []
for t in r["targets"]:
    for f in t["findings"]:
        loc = f.get("location") or {}
        where = loc.get("file") or "-"
        if loc.get("line"):
            where += ":%d" % loc["line"]
        out.append("%s %s" % (f["rule"], where))
for e in r.get("errors") or []:
    out.append("ERROR %s" % e.get("message"))
    if not e.get("line"):
        out.append("ERROR without a line")
print("\n".join(sorted(out)))' "$1"
}

# messages.txt / severities.txt checks
extra() {
    python3 -c '
import json, os, sys
r = json.load(open(sys.argv[1]))
fs = [f for t in r["targets"] for f in t["findings"]]
def where(f):
    loc = f.get("location") or {}
    w = loc.get("file") or "-"
    return w + (":%d" % loc["line"] if loc.get("line") else "")
bad = []
if os.path.exists(sys.argv[2]):
    for ln in open(sys.argv[2]):
        ln = ln.strip()
        if not ln or ln.startswith("#"):
            continue
        rule, text = ln.split(" ", 1)
        if not any(f["rule"] == rule and text in f["message"] for f in fs):
            bad.append("no %s message with %r" % (rule, text))
if os.path.exists(sys.argv[3]):
    for ln in open(sys.argv[3]):
        ln = ln.strip()
        if not ln or ln.startswith("#"):
            continue
        rule, w, sev = ln.split()
        if not any(f["rule"] == rule and where(f) == w and f["severity"] == sev for f in fs):
            bad.append("no %s at %s with severity %s" % (rule, w, sev))
print("; ".join(bad))' "$@"
}

for dir in "$FIX"/*/; do
    name=$(basename "$dir")
    [ -f "$dir/expected.txt" ] || continue
    if [ -f "$dir/needs" ] && ! command -v "$(cat "$dir/needs")" >/dev/null; then
        not_ok "host $name: needs $(cat "$dir/needs") (scripts/deps.sh test installs it)"
        continue
    fi
    tree="$TMP/$name"
    mkdir -p "$tree"
    if ! lay "$name" "$tree"; then
        not_ok "host $name: cannot lay out the fixture"
        continue
    fi
    "$BULKHEAD" host --root "$tree" -f json -o "$TMP/$name.json" --quiet 2>"$TMP/$name.err"
    rc=$?
    grep -v '^\s*#' "$dir/expected.txt" | sed '/^\s*$/d' | sort >"$TMP/$name.want"
    actual "$TMP/$name.json" | sed '/^$/d' >"$TMP/$name.got"
    if diff -u "$TMP/$name.want" "$TMP/$name.got" >"$TMP/$name.diff"; then
        ok "host $name: $(wc -l <"$TMP/$name.want") findings as expected"
    else
        not_ok "host $name: findings differ: $(grep '^[-+][^-+]' "$TMP/$name.diff" | tr '\n' ' ')"
    fi
    want_rc=1
    [ -s "$TMP/$name.want" ] || want_rc=0
    grep -q '^ERROR' "$TMP/$name.want" && want_rc=2
    [ -f "$dir/rc" ] && want_rc=$(cat "$dir/rc") # info findings alone do not fail a run
    check "host $name: exit code $want_rc (got $rc)" test "$rc" = "$want_rc"
    if [ -f "$dir/messages.txt" ] || [ -f "$dir/severities.txt" ]; then
        problems=$(extra "$TMP/$name.json" "$dir/messages.txt" "$dir/severities.txt")
        check "host $name: messages and severities${problems:+: $problems}" test -z "$problems"
    fi
done

# the target is named after the root, and a root that is not a directory is a report error
"$BULKHEAD" host --root "$FIX/clean" -f json -o "$TMP/t.json" --quiet
check "host target is host:ROOT" python3 -c '
import json, sys
t = json.load(open(sys.argv[1]))["targets"][0]
sys.exit(not (t["target"] == "host:" + sys.argv[2] and t["kind"] == "host"))' "$TMP/t.json" "$FIX/clean"
"$BULKHEAD" host --root "$TMP/does-not-exist" -f json -o "$TMP/none.json" --quiet 2>/dev/null
check "host --root on a missing directory exits 2" test $? = 2
"$BULKHEAD" host extra-arg >/dev/null 2>&1
check "host with a positional argument is a usage error" test $? = 2
