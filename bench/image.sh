#!/usr/bin/env bash
# Layer-pass benchmark. Generates (once per run, in a temp dir) realistic gzip layers: tars of
# directories of this machine (default /usr/share and parts of /usr/lib, several hundred MB
# uncompressed) compressed with gzip -6, then times over R runs (default 5):
#   floor:    igzip -dc of the same layers to /dev/null (ISA-L's own CLI, Debian package isal)
#   bulkhead: build/release/layer-pass over the same layers (gzip via ISA-L, both SHA-256
#             digests, libarchive tar parse, every file's content pulled), one thread
# and prints MB/s of uncompressed bytes for each and the ratio bulkhead/floor, with medians.
#   bash bench/image.sh [R] [DIR...]
# LAYER_PASS=path overrides the driver (default build/release/layer-pass, bench/layer_pass.c).
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5}; shift $(( $# > 0 ? 1 : 0 )) || true
srcs=("$@"); [ ${#srcs[@]} -gt 0 ] || srcs=(/usr/share /usr/lib/gcc /usr/lib/python3)
command -v igzip >/dev/null || { echo "image.sh: igzip not found (apt-get install isal)" >&2; exit 2; }
lp=${LAYER_PASS:-}
if [ -z "$lp" ]; then
    if [ -f build/release/build.ninja ]; then # sources are globbed: pick up new modules
        meson setup --reconfigure build/release >/dev/null
    else
        meson setup build/release --buildtype=release -Dtests=false >/dev/null
    fi
    ninja -C build/release layer-pass >/dev/null
    lp=$PWD/build/release/layer-pass
fi
med() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }
now() { date +%s.%N; }
dir=$(mktemp -d /tmp/bh-bench-image.XXXXXX)
trap 'rm -rf "$dir"' EXIT
layers=()
i=0
for s in "${srcs[@]}"; do
    [ -d "$s" ] || { echo "image.sh: no directory $s" >&2; exit 2; }
    i=$((i + 1))
    # a layer as an image builder writes it: paths relative to the root, numeric owners
    tar -C / --numeric-owner -cf - "${s#/}" 2>/dev/null | gzip -6 > "$dir/layer$i.tar.gz" || true
    layers+=("$dir/layer$i.tar.gz")
done
zbytes=$(cat "${layers[@]}" | wc -c)
ubytes=$(for l in "${layers[@]}"; do igzip -dc "$l"; done | wc -c)
echo "layers: ${#layers[@]}, compressed $((zbytes / 1000000)) MB, uncompressed $((ubytes / 1000000)) MB (gzip -6)"
"$lp" -v "${layers[@]}" | sed 's/^/  /'
fl=() bh=() ra=()
for r in $(seq "$runs"); do
    cat "${layers[@]}" > /dev/null # page cache warm for both
    t0=$(now); for l in "${layers[@]}"; do igzip -dc "$l" > /dev/null; done; t1=$(now)
    "$lp" "${layers[@]}" > /dev/null; t2=$(now)
    f=$(echo "$ubytes / 1000000 / ($t1 - $t0)" | bc -l)
    b=$(echo "$ubytes / 1000000 / ($t2 - $t1)" | bc -l)
    x=$(echo "($t2 - $t1) / ($t1 - $t0)" | bc -l)
    fl+=("$f") bh+=("$b") ra+=("$x")
    printf 'run %d: floor (igzip -dc) %7.1f MB/s  bulkhead layer pass %7.1f MB/s  time ratio %.2f\n' \
        "$r" "$f" "$b" "$x"
done
printf 'median: floor %.1f MB/s, bulkhead %.1f MB/s, bulkhead/floor time %.2fx (uncompressed MB/s)\n' \
    "$(med "${fl[@]}")" "$(med "${bh[@]}")" "$(med "${ra[@]}")"
