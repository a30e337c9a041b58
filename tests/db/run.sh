#!/usr/bin/env bash
# `bulkhead db build` and `db info` (issue 5, acceptance 4): a database built from the real
# feeds in ../shared/testdata/vulndata holds exactly the records, withdrawn counts and merged
# per-ecosystem entries that expect.py computes from the same files on its own; `db info -f
# json` reports them; a corrupt source fails with exit 2 naming the file and leaves the old
# database byte-identical and no temporary file behind; an interrupted build leaves nothing.
source "$(dirname "$0")/../lib.sh"
HERE="$ROOT/tests/db"
PY=python3
[ -x /usr/bin/python3 ] && PY=/usr/bin/python3
VD="$SHARED/testdata/vulndata"
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}"
export SOURCE_DATE_EPOCH=1700000000

work=$(mktemp -d /tmp/bh-db.XXXXXX)
trap 'rm -rf "$work"' EXIT

if [ ! -d "$VD/osv/go-vulndb" ] || [ ! -d "$VD/alpine-secdb/v3.10" ]; then
    not_ok "db: test data missing: $VD (needs ../shared/testdata next to the repository)"
    exit 0
fi

SECDB="$VD/alpine-secdb/v3.10"
GO="$VD/osv/go-vulndb"
PYPI="$VD/osv/pypi-advisory-database/json"
OFFLINE="$VD/osv/osv-scanner-offline-dbs"

# no temporary files next to the database
no_temps() { [ -z "$(find "$1" -name '*.tmp-*' -print -quit)" ]; }

# ---- build from every feed and compare with the independent counts ----
"$PY" "$HERE/expect.py" secdb "$SECDB" osv "$GO" osv "$PYPI" osv "$OFFLINE" >"$work/expect.json" \
    2>"$work/expect.err" || not_ok "db: expect.py failed: $(tail -1 "$work/expect.err")"
mkdir -p "$work/out"
"$BULKHEAD" db build -o "$work/out/vuln.db" "$SECDB" "$GO" "$PYPI" "$OFFLINE" \
    >"$work/build.out" 2>"$work/build.err"
rc=$?
check "db build: exit 0 (got $rc: $(tail -2 "$work/build.err" | tr '\n' ' '))" [ "$rc" = 0 ]
check "db build: the database exists" [ -s "$work/out/vuln.db" ]
check "db build: only the database in its directory (no -wal, -shm, -journal, temp files)" \
    [ "$(ls -A "$work/out")" = "vuln.db" ]
check "db build: nothing on stdout" [ ! -s "$work/build.out" ]
check "db build: summary on stderr names the records and advisories" \
    grep -Eq 'records read, [0-9]+ withdrawn skipped.*advisories after merging' "$work/build.err"

"$BULKHEAD" db info --db "$work/out/vuln.db" -f json >"$work/info.json" 2>"$work/info.err"
rc=$?
check "db info -f json: exit 0 (got $rc: $(head -1 "$work/info.err"))" [ "$rc" = 0 ]

# every comparison in one python run, one line per assertion
"$PY" - "$work/expect.json" "$work/info.json" "$work/out/vuln.db" <<'EOF'
import json, sqlite3, sys
exp = json.load(open(sys.argv[1]))
try:
    info = json.load(open(sys.argv[2]))
except Exception as e:
    print("not ok db info: output is not JSON: %s" % e)
    sys.exit(0)

def check(name, cond, detail=""):
    print(("ok " if cond else "not ok ") + name + ("" if cond else ": " + detail))

check("db info: schema 1", info.get("schema") == 1, repr(info.get("schema")))
check("db info: built is SOURCE_DATE_EPOCH", info.get("built_unix") == 1700000000
      and info.get("built") == "2023-11-14T22:13:20Z", "%r %r" % (info.get("built_unix"), info.get("built")))
check("db info: age_seconds is 0 at SOURCE_DATE_EPOCH", info.get("age_seconds") == 0,
      repr(info.get("age_seconds")))
src = info.get("sources") or []
check("db info: one source per SOURCE argument", len(src) == len(exp["sources"]),
      "%d vs %d" % (len(src), len(exp["sources"])))
for s, e in zip(src, exp["sources"]):
    loc = e["location"]
    check("db info: source %s location" % loc, s.get("location") == loc, repr(s.get("location")))
    check("db info: source %s records %d" % (loc, e["records"]), s.get("records") == e["records"],
          repr(s.get("records")))
    check("db info: source %s withdrawn %d" % (loc, e["withdrawn"]),
          s.get("withdrawn") == e["withdrawn"], repr(s.get("withdrawn")))
    check("db info: source %s has a name and a fetched time" % loc,
          bool(s.get("name")) and str(s.get("fetched", "")).endswith("Z"), repr(s))
check("db info: secdb source named alpine-secdb:Alpine:v3.10",
      src and src[0].get("name") == "alpine-secdb:Alpine:v3.10", repr(src[:1]))
check("db info: go-vulndb source named osv:Go", len(src) > 1 and src[1].get("name") == "osv:Go",
      repr(src[1:2]))
check("db info: per-ecosystem counts equal the independent merge",
      info.get("ecosystems") == exp["ecosystems"],
      "db %r, expected %r" % (info.get("ecosystems"), exp["ecosystems"]))
total = sum(exp["ecosystems"].values())
check("db info: affected = sum over ecosystems (%d)" % total, info.get("affected") == total,
      repr(info.get("affected")))
# advisories < affected: several packages share one advisory row; > 0
check("db info: advisories counted", 0 < info.get("advisories", 0) <= total, repr(info.get("advisories")))

# the file itself, read with Python's sqlite3: our format marks, the index, a plain file
db = sqlite3.connect("file:%s?mode=ro" % sys.argv[3], uri=True)
check("db file: application_id BHVD", db.execute("PRAGMA application_id").fetchone()[0] == 0x42485644)
check("db file: not WAL", db.execute("PRAGMA journal_mode").fetchone()[0] != "wal")
check("db file: no staging tables left",
      not db.execute("SELECT name FROM sqlite_master WHERE name LIKE 'stage%'").fetchall())
plan = " ".join(r[3] for r in db.execute(
    "EXPLAIN QUERY PLAN SELECT * FROM affected WHERE ecosystem = 'Go' AND name = 'x'"))
check("db file: (ecosystem, name) lookups use the index", "affected_pkg" in plan, plan)
# one CVE, one advisory per package: no (ecosystem, name) has two rows sharing an id
dup = db.execute("""SELECT f.ecosystem, f.name, a.vid, count(*) FROM affected f
    JOIN advisories a ON a.id = f.advisory GROUP BY 1, 2, 3 HAVING count(*) > 1""").fetchall()
check("db file: no package lists one primary id twice", not dup, repr(dup[:3]))
# the go-vulndb record GO-2022-0493 names CVE-2022-29526: stored under the CVE, aliases kept
row = db.execute("""SELECT a.vid, a.aliases FROM affected f JOIN advisories a ON a.id = f.advisory
    WHERE f.ecosystem = 'Go' AND f.name = 'golang.org/x/sys'
    AND (a.vid = 'GO-2022-0493' OR a.aliases LIKE '%GO-2022-0493%')""").fetchall()
check("db file: GO-2022-0493 is CVE-2022-29526 with its other ids as aliases",
      len(row) == 1 and row[0][0] == "CVE-2022-29526" and "GO-2022-0493" in row[0][1].split("\n")
      and "GHSA-p782-xgp4-8hr8" in row[0][1].split("\n"), repr(row))
EOF

# db info text, and a missing database
"$BULKHEAD" db info --db "$work/out/vuln.db" >"$work/info.txt" 2>&1
check "db info (text): exit 0 and names schema and sources" \
    grep -q '^schema     1' "$work/info.txt"
"$BULKHEAD" db info --db "$work/nosuch.db" >"$work/o" 2>"$work/e"
rc=$?
check "db info: missing database is exit 2 (got $rc)" [ "$rc" = 2 ]
check "db info: missing database says how to get one" grep -q 'bulkhead db update' "$work/e"
printf 'not a database at all, just text\n%.0s' {1..10} >"$work/garbage.db"
"$BULKHEAD" db info --db "$work/garbage.db" >"$work/o" 2>"$work/e"
rc=$?
check "db info: a foreign file is exit 2 (got $rc) and refused by name" \
    [ "$rc" = 2 -a -n "$(grep "garbage.db.*not a bulkhead vulnerability database" "$work/e")" ]
"$BULKHEAD" db info --db "$work/out/vuln.db" -f yaml >"$work/o" 2>"$work/e"
check "db info: unknown format is exit 2" [ $? = 2 ]

# the default path: XDG_CACHE_HOME, else HOME/.cache
mkdir -p "$work/xdg/bulkhead" "$work/home/.cache/bulkhead"
cp "$work/out/vuln.db" "$work/xdg/bulkhead/vuln.db"
XDG_CACHE_HOME="$work/xdg" "$BULKHEAD" db info -f json >"$work/o" 2>"$work/e"
check "db info: default path under XDG_CACHE_HOME" grep -q "\"path\": \"$work/xdg/bulkhead/vuln.db\"" "$work/o"
env -u XDG_CACHE_HOME HOME="$work/home" "$BULKHEAD" db info >"$work/o" 2>"$work/e"
check "db info: default path under HOME/.cache (missing there: exit 2 naming it)" \
    grep -q "$work/home/.cache/bulkhead/vuln.db" "$work/e"

# ---- a corrupt source: exit 2 naming the file, old database untouched, no temp file ----
cp "$work/out/vuln.db" "$work/before.db"
mkdir -p "$work/bad"
cp "$GO/GO-2022-0493.json" "$work/bad/GO-2022-0493.json"
printf '{"id": "GO-BROKEN", "affected": [' >"$work/bad/GO-9999-9999.json"
"$BULKHEAD" db build -q -o "$work/out/vuln.db" "$PYPI" "$work/bad" >"$work/o" 2>"$work/e"
rc=$?
check "db build: corrupt source is exit 2 (got $rc)" [ "$rc" = 2 ]
check "db build: the error names the corrupt file ($(head -1 "$work/e"))" \
    grep -q 'GO-9999-9999.json' "$work/e"
check "db build: the old database is byte-identical" cmp -s "$work/before.db" "$work/out/vuln.db"
check "db build: no temporary file left" no_temps "$work/out"
"$BULKHEAD" db build -q -o "$work/out/vuln.db" "$work/nosuch-feed" >"$work/o" 2>"$work/e"
rc=$?
check "db build: a missing source is exit 2 naming it (got $rc)" \
    [ "$rc" = 2 -a -n "$(grep nosuch-feed "$work/e")" ]
check "db build: still no temporary file" no_temps "$work/out"
check "db build: still the old database" cmp -s "$work/before.db" "$work/out/vuln.db"

# ---- replacing a database: the new one takes its place ----
"$BULKHEAD" db build -q -o "$work/out/vuln.db" "$SECDB" >"$work/o" 2>"$work/e"
rc=$?
check "db build -q: exit 0, nothing on stderr (got $rc)" [ "$rc" = 0 -a ! -s "$work/e" ]
"$BULKHEAD" db info --db "$work/out/vuln.db" -f json >"$work/info2.json" 2>/dev/null
check "db build: the rebuilt database replaced the old one (only the secdb source now)" \
    "$PY" -c 'import json,sys; d=json.load(open(sys.argv[1])); sys.exit(0 if len(d["sources"]) == 1 and list(d["ecosystems"]) == ["Alpine:v3.10"] else 1)' "$work/info2.json"
check "db build: no temporary file after a replace" no_temps "$work/out"

# ---- a zip export (osv.dev's all.zip shape) gives what the directory gives ----
"$PY" -c 'import os, sys, zipfile
z = zipfile.ZipFile(sys.argv[2], "w", zipfile.ZIP_DEFLATED)
for f in sorted(os.listdir(sys.argv[1])):
    z.write(os.path.join(sys.argv[1], f), f)
z.close()' "$GO" "$work/go.zip"
"$BULKHEAD" db build -q -o "$work/zip.db" "$work/go.zip" >"$work/o" 2>"$work/e"
rc=$?
check "db build from a zip: exit 0 (got $rc: $(head -1 "$work/e"))" [ "$rc" = 0 ]
"$BULKHEAD" db info --db "$work/zip.db" -f json >"$work/zip.json" 2>/dev/null
"$PY" - "$work/zip.json" "$work/expect.json" "$work/go.zip" <<'EOF'
import hashlib, json, sys
d = json.load(open(sys.argv[1]))
exp = json.load(open(sys.argv[2]))
s = d["sources"][0] if d.get("sources") else {}
go = [e for e in exp["sources"] if e["location"].endswith("go-vulndb")][0]
def check(name, cond, detail=""):
    print(("ok " if cond else "not ok ") + name + ("" if cond else ": " + detail))
check("db build from a zip: the records and withdrawn of the directory",
      s.get("records") == go["records"] and s.get("withdrawn") == go["withdrawn"], repr(s))
check("db build from a zip: Go entries equal the independent merge",
      d.get("ecosystems") == {"Go": exp["ecosystems"]["Go"]}, repr(d.get("ecosystems")))
want = hashlib.sha256(open(sys.argv[3], "rb").read()).hexdigest()
check("db info: a file source's sha256 is the sha256 of its bytes", s.get("sha256") == want,
      "%r vs %r" % (s.get("sha256"), want))
EOF

# ---- same input, same bytes (SOURCE_DATE_EPOCH pins the build time) ----
"$BULKHEAD" db build -q -o "$work/again.db" "$SECDB" 2>/dev/null
check "db build: reproducible (same feeds, same SOURCE_DATE_EPOCH, same file)" \
    cmp -s "$work/again.db" "$work/out/vuln.db"

# ---- interrupted: SIGTERM mid-build leaves the old file and no temp file ----
cp "$work/before.db" "$work/out/vuln.db"
"$BULKHEAD" db build -q -o "$work/out/vuln.db" "$GO" "$PYPI" "$OFFLINE" "$SECDB" \
    >/dev/null 2>&1 &
pid=$!
for _ in $(seq 1 200); do
    [ -n "$(find "$work/out" -name '*.tmp-*' -print -quit)" ] && break
    sleep 0.01
done
kill -TERM "$pid" 2>/dev/null
wait "$pid"
rc=$?
check "db build: SIGTERM stops the build (exit $rc)" [ "$rc" -ne 0 ]
check "db build: after SIGTERM the old database is byte-identical" \
    cmp -s "$work/before.db" "$work/out/vuln.db"
check "db build: after SIGTERM no temporary file" no_temps "$work/out"

# ---- usage ----
"$BULKHEAD" db build -o "$work/x.db" >"$work/o" 2>"$work/e"
check "db build without SOURCE: exit 2" [ $? = 2 ]
"$BULKHEAD" db frobnicate >"$work/o" 2>"$work/e"
check "db: unknown subcommand is exit 2" [ $? = 2 ]
"$BULKHEAD" db --help >"$work/o" 2>"$work/e"
check "db --help: exit 0 and lists --output" grep -q -- '--output' "$work/o"
