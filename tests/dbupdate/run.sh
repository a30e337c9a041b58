#!/usr/bin/env bash
# `bulkhead db update` against a mirror served on 127.0.0.1 by this test (python3 http.server
# with a handler that can stall or cut a download): a good update, the mirror's SHA256SUMS
# refusing a tampered feed, a missing feed, and kill -9 at many moments of an update - after
# each, the database must be the old one or a complete new one, never broken, and no
# temporary files may pile up. Then the scan side: age warnings and --strict-db-age.
# Feeds are made from the real data in ../shared/testdata/vulndata.
source "$(dirname "$0")/../lib.sh"
PY=/usr/bin/python3
DATA="$SHARED/testdata/vulndata"
ROOTFS="$SHARED/testdata/rootfs/alpine-v3.10-x86_64"

missing=()
for t in "$PY" curl sha256sum; do command -v "$t" >/dev/null || missing+=("$t"); done
[ -d "$DATA/osv/pypi-advisory-database/json" ] || missing+=("$DATA/osv/pypi-advisory-database/json")
[ -f "$DATA/alpine-secdb/v3.10/main.yaml" ] || missing+=("$DATA/alpine-secdb/v3.10/main.yaml")
"$PY" -c 'import yaml' 2>/dev/null || missing+=("python3-yaml")
if [ ${#missing[@]} -ne 0 ]; then
    not_ok "dbupdate: prerequisites missing: ${missing[*]}"
    exit 1
fi

work=$(mktemp -d)
pids=()
cleanup() {
    local p
    for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done
    for p in "${pids[@]}"; do wait "$p" 2>/dev/null; done
    rm -rf "$work"
}
trap cleanup EXIT

# The mirror tree: osv/PyPI/all.zip, osv/Go/all.zip, alpine/v3.10/{main,community}.json.
mirror="$work/mirror"
"$PY" - "$DATA" "$mirror" <<'EOF'
import json, os, sys, zipfile, yaml, hashlib
data, out = sys.argv[1], sys.argv[2]
def zipdir(src, dst, limit=None):
    os.makedirs(os.path.dirname(dst), exist_ok=True)
    names = sorted(n for n in os.listdir(src) if n.endswith(".json"))[:limit]
    with zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as z:
        for n in names:
            z.write(os.path.join(src, n), n)
    return len(names)
zipdir(f"{data}/osv/pypi-advisory-database/json", f"{out}/osv/PyPI/all.zip")
zipdir(f"{data}/osv/go-vulndb", f"{out}/osv/Go/all.zip")
for repo in ("main", "community"):
    os.makedirs(f"{out}/alpine/v3.10", exist_ok=True)
    with open(f"{data}/alpine-secdb/v3.10/{repo}.yaml") as f:
        doc = yaml.safe_load(f)
    with open(f"{out}/alpine/v3.10/{repo}.json", "w") as f:
        json.dump(doc, f)
with open(f"{out}/SHA256SUMS", "w") as s:
    for root, _, files in sorted(os.walk(out)):
        for n in sorted(files):
            p = os.path.join(root, n)
            if n == "SHA256SUMS":
                continue
            h = hashlib.sha256(open(p, "rb").read()).hexdigest()
            s.write(f"{h}  {os.path.relpath(p, out)}\n")
EOF

# The server: serves $mirror; with STALL=1 it sends half of each zip, then waits 60 s.
cat >"$work/serve.py" <<'EOF'
import http.server, os, sys, time, functools
class H(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *a): pass
    def copyfile(self, src, dst):
        if os.environ.get("STALL") and self.path.endswith(".zip"):
            data = src.read()
            dst.write(data[: len(data) // 2]); dst.flush()
            time.sleep(60)
            dst.write(data[len(data) // 2 :])
        else:
            super().copyfile(src, dst)
port, root = int(sys.argv[1]), sys.argv[2]
http.server.ThreadingHTTPServer(("127.0.0.1", port), functools.partial(H, directory=root)).serve_forever()
EOF
free_port() {
    "$PY" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}
serve() { # serve ROOT [STALL] -> prints the URL
    local port
    port=$(free_port)
    STALL=${2:-} "$PY" "$work/serve.py" "$port" "$1" >/dev/null 2>&1 &
    pids+=($!)
    for _ in $(seq 1 100); do
        curl -s -o /dev/null --max-time 1 "http://127.0.0.1:$port/" && break
        sleep 0.1
    done
    echo "http://127.0.0.1:$port"
}
url=$(serve "$mirror")
stall_url=$(serve "$mirror" 1)

db="$work/cache/vuln.db"
upd=("$BULKHEAD" db update --db "$db" --ecosystems PyPI,Go --alpine v3.10 -q)

# 1. A good update creates the database (and its directory).
"${upd[@]}" --mirror "$url" 2>"$work/err1"; rc=$?
check "dbupdate: first update succeeds (exit $rc: $(head -c 300 "$work/err1"))" test "$rc" -eq 0
"$BULKHEAD" db info --db "$db" -f json >"$work/info1.json" 2>"$work/ierr"; rc=$?
check "dbupdate: db info reads the new database" test "$rc" -eq 0
"$PY" - "$work/info1.json" "$DATA" <<'EOF' >"$work/infocheck" 2>&1
import json, os, sys, yaml
info = json.load(open(sys.argv[1])); data = sys.argv[2]
names = sorted(s["name"] for s in info["sources"])
want = sorted(["osv:PyPI", "osv:Go", "alpine-secdb:v3.10/main", "alpine-secdb:v3.10/community"])
assert names == want, (names, want)
# the feed's own record counts, computed here from the files
def osv_count(d):
    n = 0
    for f in os.listdir(d):
        if f.endswith(".json") and not json.load(open(os.path.join(d, f))).get("withdrawn"):
            n += 1
    return n
src = {s["name"]: s for s in info["sources"]}
assert src["osv:Go"]["records"] == osv_count(f"{data}/osv/go-vulndb"), src["osv:Go"]
assert src["osv:PyPI"]["records"] == osv_count(f"{data}/osv/pypi-advisory-database/json"), src["osv:PyPI"]
for s in info["sources"]:
    assert s["location"].startswith("http://127.0.0.1:"), s
    assert len(s.get("sha256") or "") >= 64, s
print("ok")
EOF
check "dbupdate: sources and record counts match the feeds ($(tail -1 "$work/infocheck"))" \
    grep -qx ok "$work/infocheck"
sum1=$(sha256sum "$db" | cut -d' ' -f1)
leftovers() { find "$(dirname "$db")" -name '.bulkhead-update-*' | wc -l; }
check "dbupdate: no temporary files after a good update" test "$(leftovers)" -eq 0

# 2. A tampered feed: the mirror's SHA256SUMS no longer matches; the database is unchanged.
bad="$work/bad"
cp -r "$mirror" "$bad"
printf '\n' >>"$bad/alpine/v3.10/main.json"
bad_url=$(serve "$bad")
"${upd[@]}" --mirror "$bad_url" 2>"$work/err2"; rc=$?
check "dbupdate: tampered feed refused (exit $rc)" test "$rc" -eq 2
check "dbupdate: the message names the feed" grep -q "alpine/v3.10/main.json" "$work/err2"
check "dbupdate: database unchanged after a refused update" \
    test "$(sha256sum "$db" | cut -d' ' -f1)" = "$sum1"

# 3. A feed the mirror does not have (404).
"${upd[@]}" --mirror "$url" --alpine v3.99 2>"$work/err3"; rc=$?
check "dbupdate: missing feed is an error (exit $rc)" test "$rc" -eq 2
check "dbupdate: the message gives the HTTP status" grep -q "404" "$work/err3"
check "dbupdate: database unchanged after a missing feed" \
    test "$(sha256sum "$db" | cut -d' ' -f1)" = "$sum1"

# 4. kill -9 at many moments: while downloading (stalled server) and during the build.
killed_ok=0 killed_total=0
for delay in 0.05 0.2 0.5 1 1.5 2 3 4; do
    for which in "$stall_url" "$url"; do
        "${upd[@]}" --mirror "$which" 2>/dev/null &
        p=$!
        sleep "$delay"
        kill -9 "$p" 2>/dev/null
        wait "$p" 2>/dev/null
        killed_total=$((killed_total + 1))
        if "$BULKHEAD" db info --db "$db" >/dev/null 2>&1 &&
            "$PY" -c 'import sqlite3,sys; c=sqlite3.connect("file:"+sys.argv[1]+"?mode=ro", uri=True); sys.exit(0 if c.execute("pragma integrity_check").fetchone()[0]=="ok" else 1)' "$db"; then
            killed_ok=$((killed_ok + 1))
        fi
    done
done
check "dbupdate: database readable and intact after each of $killed_total kill -9s ($killed_ok ok)" \
    test "$killed_ok" -eq "$killed_total"
"${upd[@]}" --mirror "$url" 2>/dev/null; rc=$?
check "dbupdate: an update after the kills succeeds and cleans up (exit $rc)" test "$rc" -eq 0
check "dbupdate: no temporary files left after the kills" test "$(leftovers)" -eq 0

# 5. Database age on the scan side: 4 days old is fine, 6 days warns, --strict-db-age fails.
if [ -d "$ROOTFS" ]; then
    rootfs="$work/rootfs"
    mkdir -p "$rootfs"
    tar -xzf "$ROOTFS"/alpine-minirootfs-*.tar.gz -C "$rootfs" 2>/dev/null
    built=$("$PY" -c 'import json,sys; print(json.load(open(sys.argv[1]))["built_unix"])' "$work/info1.json")
    SOURCE_DATE_EPOCH=$((built + 4 * 86400)) "$BULKHEAD" rootfs --db "$db" -f json "$rootfs" \
        >/dev/null 2>"$work/age4"
    check "dbupdate: a 4-day-old database gives no age warning" bash -c "! grep -qi 'old' '$work/age4'"
    SOURCE_DATE_EPOCH=$((built + 6 * 86400)) "$BULKHEAD" rootfs --db "$db" -f json "$rootfs" \
        >/dev/null 2>"$work/age6"; rc=$?
    check "dbupdate: a 6-day-old database warns (exit $rc)" grep -qi "old" "$work/age6"
    check "dbupdate: the warning alone does not fail the scan" test "$rc" -ne 2
    SOURCE_DATE_EPOCH=$((built + 6 * 86400)) "$BULKHEAD" rootfs --db "$db" --strict-db-age \
        -f json "$rootfs" >/dev/null 2>&1; rc=$?
    check "dbupdate: --strict-db-age fails an old database (exit $rc)" test "$rc" -eq 2
    SOURCE_DATE_EPOCH=$((built + 6 * 86400)) "$BULKHEAD" rootfs --db "$db" --db-max-age 7 \
        -f json "$rootfs" >/dev/null 2>"$work/age7"
    check "dbupdate: --db-max-age 7 accepts a 6-day-old database" bash -c "! grep -qi 'old' '$work/age7'"
else
    not_ok "dbupdate: $ROOTFS missing (shared test data)"
fi
