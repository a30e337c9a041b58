#!/usr/bin/env bash
# Config benchmark. For each kind (dockerfile, compose, kubernetes; default all)
# it generates N realistic files (default 10000), times `bulkhead config -f json`
# over them (release build) and, in the same run, a floor that does only the
# unavoidable part: `cat` of the same Dockerfiles, and libfyaml's own event
# parse of the same YAML files (build/release/yaml-floor). Prints files/s and
# the ratio bulkhead/floor for each of R runs (default 5) and their medians.
#   bash bench/config.sh [N] [R] [KIND...]
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-10000}; runs=${2:-5}; shift $(( $# > 2 ? 2 : $# )) || true
kinds=("$@"); [ ${#kinds[@]} -gt 0 ] || kinds=(dockerfile compose kubernetes)
bash scripts/deps.sh build
if [ -f build/release/build.ninja ]; then # sources are globbed: pick up new modules
    meson setup --reconfigure build/release >/dev/null
else
    meson setup build/release --buildtype=release -Dtests=false >/dev/null
fi
ninja -C build/release >/dev/null
bh=$PWD/build/release/bulkhead floor_yaml=$PWD/build/release/yaml-floor
med() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }
for kind in "${kinds[@]}"; do
    dir=$(mktemp -d /tmp/bh-bench.XXXXXX)
    case $kind in
    dockerfile) /usr/bin/python3 bench/gen_dockerfiles.py "$dir" "$n"; floor="cat" ;;
    compose) /usr/bin/python3 bench/gen_manifests.py "$dir" compose "$n"; floor="libfyaml parse" ;;
    kubernetes) /usr/bin/python3 bench/gen_manifests.py "$dir" k8s "$n"; floor="libfyaml parse" ;;
    *) echo "unknown kind $kind" >&2; exit 2 ;;
    esac
    bytes=$(find "$dir" -type f -printf "%s\n" | awk '{s+=$1} END {print s}')
    echo "== $kind: $n files, $bytes bytes; floor: $floor of the same files"
    find "$dir" -type f -print0 | xargs -0 cat >/dev/null # warm the page cache
    ratios=(); rates=()
    for i in $(seq 1 "$runs"); do
        t0=$(date +%s.%N)
        if [ "$kind" = dockerfile ]; then
            (cd "$dir" && find . -type f -print0 | xargs -0 cat >/dev/null)
        else
            (cd "$dir" && find . -type f | "$floor_yaml" >/dev/null)
        fi
        t1=$(date +%s.%N)
        rc=0; (cd "$dir" && "$bh" config -f json . >/dev/null) || rc=$?
        t2=$(date +%s.%N)
        [ "$rc" -le 1 ] || { echo "bulkhead exited $rc on $kind" >&2; exit 1; }
        fl=$(echo "$t1 - $t0" | bc -l); bt=$(echo "$t2 - $t1" | bc -l)
        rate=$(echo "$n / $bt" | bc -l); ratio=$(echo "$bt / $fl" | bc -l)
        printf 'run %d: bulkhead %.3fs (%.0f files/s), floor %.3fs, ratio %.2f\n' "$i" "$bt" "$rate" "$fl" "$ratio"
        rates+=("$rate"); ratios+=("$ratio")
    done
    printf 'median %s: %.0f files/s, ratio to the %s floor %.2f (over %d runs)\n' "$kind" \
        "$(med "${rates[@]}")" "$floor" "$(med "${ratios[@]}")" "$runs"
    rm -rf "$dir"
done
