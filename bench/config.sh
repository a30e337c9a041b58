#!/usr/bin/env bash
# Config benchmark: generates N realistic Dockerfiles (default 10000), times
# `bulkhead config` over them (release build, JSON to /dev/null) and, in the
# same run, the floor: reading the same files with `cat`. Prints files/s and
# the ratio bulkhead/floor for each of R runs (default 5) and their medians.
#   bash bench/config.sh [N] [R]
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-10000}; runs=${2:-5}
bash scripts/deps.sh build
[ -f build/release/build.ninja ] || meson setup build/release --buildtype=release -Dtests=false >/dev/null
ninja -C build/release >/dev/null
bh=$PWD/build/release/bulkhead
dir=$(mktemp -d /tmp/bh-bench.XXXXXX)
trap 'rm -rf "$dir"' EXIT
/usr/bin/python3 bench/gen_dockerfiles.py "$dir" "$n"
bytes=$(find "$dir" -type f -printf "%s\n" | awk "{s+=\$1} END {print s}")
echo "corpus: $n Dockerfiles, $bytes bytes in $dir"
# warm the page cache so both sides read from memory
find "$dir" -type f -print0 | xargs -0 cat >/dev/null
ratios=(); rates=()
for i in $(seq 1 "$runs"); do
    t0=$(date +%s.%N)
    (cd "$dir" && find . -type f -print0 | xargs -0 cat >/dev/null)
    t1=$(date +%s.%N)
    rc=0; (cd "$dir" && "$bh" config -f json . >/dev/null) || rc=$?
    t2=$(date +%s.%N)
    [ "$rc" -le 1 ] || { echo "bulkhead exited $rc" >&2; exit 1; }
    floor=$(echo "$t1 - $t0" | bc -l); bht=$(echo "$t2 - $t1" | bc -l)
    rate=$(echo "$n / $bht" | bc -l); ratio=$(echo "$bht / $floor" | bc -l)
    printf 'run %d: bulkhead %.3fs (%.0f files/s), cat floor %.3fs, ratio %.2f\n' "$i" "$bht" "$rate" "$floor" "$ratio"
    rates+=("$rate"); ratios+=("$ratio")
done
med() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }
printf 'median: %.0f files/s, ratio to cat floor %.2f (over %d runs)\n' "$(med "${rates[@]}")" "$(med "${ratios[@]}")" "$runs"
