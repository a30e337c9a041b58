#!/usr/bin/env bash
# Vulnerability database benchmark (issue 5, acceptance 5), from the real feeds in
# ../shared/testdata/vulndata (Go vulndb, PyPI advisories, Alpine secdb v3.10, osv-scanner's
# offline records):
#   build     `bulkhead db build` of all of them: records/s and MB/s, against the floor of
#             reading and parsing the same JSON files with the same JSON reader and no database
#             (vuln-bench parse); ratio = build / floor
#   size      database bytes per stored advisory
#   match     open the database + match 1,000 packages (434 PyPI, 400 Go, 166 Alpine 3.10 apk,
#             named after packages the feeds cover, at old versions so most of them match),
#             against the floor of opening it and doing the same 1,000 index lookups without
#             evaluating any range; target <= 20 ms
# Medians over R runs (default 5).   bash bench/vuln.sh [R]
set -euo pipefail
cd "$(dirname "$0")/.."
R=${1:-5}
DATA=../shared/testdata/vulndata
[ -d "$DATA/osv/go-vulndb" ] || { echo "vuln.sh: $DATA not found (the shared test data)" >&2; exit 2; }
med() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }
now() { date +%s.%N; }
if [ -f build/release/build.ninja ]; then meson setup --reconfigure build/release >/dev/null
else meson setup build/release --buildtype=release >/dev/null; fi
ninja -C build/release bulkhead vuln-bench >/dev/null
B=build/release/bulkhead
VB=build/release/vuln-bench
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
sources=("$DATA/osv/go-vulndb" "$DATA/osv/pypi-advisory-database/json"
         "$DATA/alpine-secdb/v3.10" "$DATA/osv/osv-scanner-offline-dbs")
mapfile -t jsons < <(find "$DATA/osv/go-vulndb" "$DATA/osv/pypi-advisory-database/json" \
                          "$DATA/osv/osv-scanner-offline-dbs" -name '*.json' | sort)
bytes=$(cat "${jsons[@]}" "$DATA"/alpine-secdb/v3.10/*.yaml | wc -c)

tb=() tf=()
for i in $(seq 1 "$R"); do
    rm -f "$work/db"
    t0=$(now); "$B" db build -q -o "$work/db" "${sources[@]}"; t1=$(now)
    tb+=("$(echo "$t1 - $t0" | bc -l)")
    t0=$(now); "$VB" parse "${jsons[@]}" >/dev/null; t1=$(now)
    tf+=("$(echo "$t1 - $t0" | bc -l)")
done
"$B" db info --db "$work/db" -f json >"$work/info.json"
read -r records advisories < <(python3 -c '
import json,sys; i=json.load(open(sys.argv[1]))
print(sum(s["records"] for s in i["sources"]), i["advisories"])' "$work/info.json")
size=$(stat -c %s "$work/db")
mb=$(med "${tb[@]}"); mf=$(med "${tf[@]}")
printf 'build: %d records (%d advisories after merging), %.1f MB of feeds\n' "$records" "$advisories" "$(echo "$bytes/1048576" | bc -l)"
printf 'build: median %.2f s = %.0f records/s, %.1f MB/s; parse-only floor %.2f s; ratio %.2f\n' \
    "$mb" "$(echo "$records/$mb" | bc -l)" "$(echo "$bytes/1048576/$mb" | bc -l)" "$mf" "$(echo "$mb/$mf" | bc -l)"
printf 'size: %d bytes, %.0f bytes per advisory\n' "$size" "$(echo "$size/$advisories" | bc -l)"

python3 - "$DATA" >"$work/pkgs.tsv" <<'PY'
import json, os, sys, yaml
d = sys.argv[1]
out = []
seen = set()
for f in sorted(os.listdir(f"{d}/osv/pypi-advisory-database/json")):
    r = json.load(open(f"{d}/osv/pypi-advisory-database/json/{f}"))
    for a in r.get("affected", []):
        n = a["package"]["name"]
        if ("pypi", n) not in seen and len(out) < 400:
            seen.add(("pypi", n)); out.append(f"pypi\t{n}\t0.1")
for f in sorted(os.listdir(f"{d}/osv/go-vulndb")):
    r = json.load(open(f"{d}/osv/go-vulndb/{f}"))
    for a in r.get("affected", []):
        n = a["package"]["name"]
        if ("golang", n) not in seen and len(out) < 800:
            seen.add(("golang", n)); out.append(f"golang\t{n}\tv0.0.1")
doc = yaml.safe_load(open(f"{d}/alpine-secdb/v3.10/main.yaml"))
for p in doc["packages"]:
    n = p["pkg"]["name"]
    if len(out) < 1000 and ("apk", n) not in seen:
        seen.add(("apk", n)); out.append(f"apk\t{n}\t0.0.1-r0\t{n}")
# the v3.10 secdb names fewer packages than that: more PyPI names make up the 1,000
for f in sorted(os.listdir(f"{d}/osv/pypi-advisory-database/json")):
    r = json.load(open(f"{d}/osv/pypi-advisory-database/json/{f}"))
    for a in r.get("affected", []):
        n = a["package"]["name"]
        if ("pypi", n) not in seen and len(out) < 1000:
            seen.add(("pypi", n)); out.append(f"pypi\t{n}\t0.1")
print("\n".join(out))
PY
echo "match, worst case (old versions, most match): $("$VB" match "$work/db" "$work/pkgs.tsv" alpine 3.10.9 21 | tr '\n' ';' )"
# the same names at versions above every fix: every range is still evaluated, nothing matches
awk -F'\t' 'BEGIN{OFS="\t"} {v = ($1 == "golang") ? "v999.0.0" : ($1 == "apk") ? "999.0-r0" : "999.0"; $3 = v; print}' \
    "$work/pkgs.tsv" >"$work/pkgs-new.tsv"
echo "match, patched (same names, newer than every fix): $("$VB" match "$work/db" "$work/pkgs-new.tsv" alpine 3.10.9 21 | tr '\n' ';' )"
