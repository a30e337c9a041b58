#!/usr/bin/env bash
# Image benchmark (issue 4, acceptance 4). Builds once, without network, and caches under
# ${XDG_CACHE_HOME:-~/.cache}/bulkhead-bench/ (BENCH_CACHE overrides) three docker-save archives:
#   debian-dev   a Debian bookworm image of this host's packages (bench/debian-rootfs.sh: base +
#                perl, python3, gcc/g++, git, curl, ... ~600 MB) in 5 gzip -6 layers
#   debian-base  the same from tests/images/debian-from-host.sh (small base set), when present
#   small-N      N small text files (default 1,000,000) in 4 gzip -6 layers
# plus a one-file image for the RSS baseline. Then, over R runs (default 3), for each image:
#   floor seq   igzip -dc of the image's layer blobs to /dev/null, one after another
#   floor par   the same, one igzip per layer, all at once (bulkhead reads layers in parallel)
#   bulkhead    build/release/bulkhead image (wall time, peak RSS by /usr/bin/time -f %M)
#   no-secret   the same with --no-secret-scan (what content scanning costs)
#   cpu ratio   user+sys CPU seconds of bulkhead / of the seq floor (less sensitive to load)
# and prints each run and the medians: ratio bulkhead/floor (the main figure uses the seq
# floor), peak RSS, and for small-N RSS per file = (RSS - RSS of the one-file image) / N.
# Targets (issue 4): ratio <= 1.3, RSS <= 64 MB + 64 B per file.
#   bash bench/image.sh [R] [N]
#   bash bench/image.sh --layer-pass [R] [DIR...]   the layer pass alone (bench/layer_pass.c)
# BULKHEAD=path overrides the binary; SKIP_SMALL=1 skips the N-file image.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v igzip >/dev/null || { echo "image.sh: igzip not found (apt-get install isal)" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "image.sh: /usr/bin/time not found (apt-get install time)" >&2; exit 2; }
med() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }
now() { date +%s.%N; }
release() { # build only what is missing or stale; sources are globbed, so reconfigure
    if [ -f build/release/build.ninja ]; then
        meson setup --reconfigure build/release >/dev/null
    else
        meson setup build/release --buildtype=release >/dev/null
    fi
    ninja -C build/release "$@" >/dev/null
}

if [ "${1:-}" = --layer-pass ]; then # the layer pass alone, one thread (see bench/layer_pass.c)
    shift
    runs=${1:-5}; shift $(( $# > 0 ? 1 : 0 )) || true
    srcs=("$@"); [ ${#srcs[@]} -gt 0 ] || srcs=(/usr/share /usr/lib/gcc /usr/lib/python3)
    lp=${LAYER_PASS:-}
    [ -n "$lp" ] || { release layer-pass; lp=$PWD/build/release/layer-pass; }
    dir=$(mktemp -d /tmp/bh-bench-image.XXXXXX)
    trap 'rm -rf "$dir"' EXIT
    layers=(); i=0
    for s in "${srcs[@]}"; do
        [ -d "$s" ] || { echo "image.sh: no directory $s" >&2; exit 2; }
        i=$((i + 1))
        tar -C / --numeric-owner -cf - "${s#/}" 2>/dev/null | gzip -6 > "$dir/layer$i.tar.gz" || true
        layers+=("$dir/layer$i.tar.gz")
    done
    ubytes=$(for l in "${layers[@]}"; do igzip -dc "$l"; done | wc -c)
    "$lp" -v "${layers[@]}" | sed 's/^/  /'
    fl=() ra=()
    for r in $(seq "$runs"); do
        cat "${layers[@]}" > /dev/null
        t0=$(now); for l in "${layers[@]}"; do igzip -dc "$l" > /dev/null; done; t1=$(now)
        "$lp" "${layers[@]}" > /dev/null; t2=$(now)
        fl+=("$(echo "$ubytes / 1000000 / ($t1 - $t0)" | bc -l)")
        ra+=("$(echo "($t2 - $t1) / ($t1 - $t0)" | bc -l)")
        printf 'run %d: floor %.1f MB/s, layer pass / floor time %.2f\n' "$r" "${fl[-1]}" "${ra[-1]}"
    done
    printf 'median: floor %.1f MB/s, layer pass / floor time %.2fx\n' "$(med "${fl[@]}")" "$(med "${ra[@]}")"
    exit 0
fi

runs=${1:-3}; nfiles=${2:-1000000}
if [ -n "${BULKHEAD:-}" ]; then bh=$BULKHEAD; else release bulkhead; bh=$PWD/build/release/bulkhead; fi
# the cache key covers the generators, so changing one rebuilds what it makes
key=$(cat bench/image_gen.py bench/debian-rootfs.sh | sha256sum | cut -c1-12)
cache=${BENCH_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/bulkhead-bench}/image-$key
mkdir -p "$cache"
gen() { # NAME COMMAND... : build $cache/NAME once (image.tar is renamed into place last)
    local name=$1; shift
    [ -f "$cache/$name/image.tar" ] && return 0
    echo "building $name (once, cached in $cache/$name) ..." >&2
    rm -rf "${cache:?}/$name"; mkdir -p "$cache/$name"
    "$@" "$cache/$name" >&2
    # sizes for the report: compressed, uncompressed, entries
    local z u e ls
    mapfile -t ls < "$cache/$name/layers.txt"
    z=$(cat "${ls[@]}" | wc -c)
    u=$(for l in "${ls[@]}"; do igzip -dc "$l"; done | wc -c)
    e=$(for l in "${ls[@]}"; do igzip -dc "$l" | tar -tf -; done | wc -l)
    echo "$z $u $e" > "$cache/$name/meta"
}
mk_dev() {
    bash bench/debian-rootfs.sh "$1/rootfs.tar"
    python3 bench/image_gen.py debian "$1/rootfs.tar" "$1"; rm -f "$1/rootfs.tar"
}
mk_base() {
    bash tests/images/debian-from-host.sh "$1/rootfs.tar" 2>/dev/null
    python3 bench/image_gen.py debian "$1/rootfs.tar" "$1"; rm -f "$1/rootfs.tar"
}
gen tiny python3 bench/image_gen.py tiny
gen debian-dev mk_dev
images=(debian-dev)
if [ -f tests/images/debian-from-host.sh ]; then gen debian-base mk_base; images+=(debian-base); fi
if [ "${SKIP_SMALL:-0}" != 1 ]; then
    gen "small-$nfiles" python3 bench/image_gen.py smallfiles "$nfiles" 4; images+=("small-$nfiles")
fi

tmp=$(mktemp -d /tmp/bh-bench-image.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
scan() { # IMAGE [OPTION...] -> "wall_seconds rss_kb cpu_seconds"
    local img=$1; shift
    local t0 t1 rc=0
    t0=$(now)
    /usr/bin/time -f '%M %U %S' -o "$tmp/rss" "$bh" image -q -f json -o "$tmp/out.json" \
        --exit-code 0 "$@" "$img" 2>"$tmp/err" || rc=$?
    t1=$(now)
    [ "$rc" -eq 0 ] || { echo "image.sh: bulkhead exited $rc on $img:" >&2; cat "$tmp/err" >&2; exit 1; }
    echo "$(echo "$t1 - $t0" | bc -l) $(tail -1 "$tmp/rss" | awk '{print $1, $2 + $3}')"
}
floor_seq() { # LAYER... : igzip -dc one after another; CPU seconds into $tmp/fcpu
    # shellcheck disable=SC2016 # $l is the inner shell's
    /usr/bin/time -f '%U %S' -o "$tmp/fcpu" bash -c 'for l; do igzip -dc "$l" > /dev/null; done' _ "$@"
}
echo "machine: $(nproc) CPUs, load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "bulkhead: $bh (--parallel default: one layer per CPU); $runs runs; medians"
read -r _ base_rss _ < <(scan "$cache/tiny/image.tar")
echo "baseline: one-file image peak RSS $((base_rss / 1024)) MB"
for name in "${images[@]}"; do
    dir=$cache/$name
    mapfile -t layers < "$dir/layers.txt"
    read -r zb ub entries < "$dir/meta"
    printf '\n== %s: %d layers, %d MB gzip, %d MB tar, %d entries\n' "$name" "${#layers[@]}" \
        $((zb / 1000000)) $((ub / 1000000)) "$entries"
    cat "${layers[@]}" "$dir/image.tar" > /dev/null # page cache warm for all
    fs=() fp=() bt=() br=() nt=() nr=() rs=() rp=() cr=()
    for r in $(seq "$runs"); do
        t0=$(now); floor_seq "${layers[@]}"; t1=$(now)
        for l in "${layers[@]}"; do igzip -dc "$l" > /dev/null & done; wait; t2=$(now)
        fcpu=$(awk '{print $1 + $2}' "$tmp/fcpu")
        read -r b brss bcpu < <(scan "$dir/image.tar")
        read -r n nrss _ < <(scan "$dir/image.tar" --no-secret-scan)
        cr+=("$(echo "$bcpu / $fcpu" | bc -l)")
        fs+=("$(echo "$t1 - $t0" | bc -l)") fp+=("$(echo "$t2 - $t1" | bc -l)")
        bt+=("$b") br+=("$brss") nt+=("$n") nr+=("$nrss")
        rs+=("$(echo "$b / ${fs[-1]}" | bc -l)") rp+=("$(echo "$b / ${fp[-1]}" | bc -l)")
        printf 'run %d: floor seq %6.2fs  par %6.2fs | bulkhead %6.2fs %5d MB | no-secret %6.2fs %5d MB | ratio seq %.2f par %.2f cpu %.2f\n' \
            "$r" "${fs[-1]}" "${fp[-1]}" "$b" $((brss / 1024)) "$n" $((nrss / 1024)) "${rs[-1]}" "${rp[-1]}" "${cr[-1]}"
    done
    mb=$(med "${bt[@]}") mn=$(med "${nt[@]}") mr=$(med "${br[@]}")
    printf 'median %s: floor seq %.2fs, floor par %.2fs; bulkhead %.2fs (%.0f MB/s of tar), ratio %.2f to the seq floor (%.2f to the par floor); peak RSS %.0f MB\n' \
        "$name" "$(med "${fs[@]}")" "$(med "${fp[@]}")" "$mb" "$(echo "$ub / 1000000 / $mb" | bc -l)" \
        "$(med "${rs[@]}")" "$(med "${rp[@]}")" "$(echo "$mr / 1024" | bc -l)"
    printf 'median %s: CPU time (user+sys) bulkhead/igzip %.2f (load-independent; wall ratio < cpu ratio means the layers overlapped)\n' \
        "$name" "$(med "${cr[@]}")"
    printf 'median %s --no-secret-scan: %.2fs, peak RSS %.0f MB; secret scanning costs %.0f%% of the wall time\n' \
        "$name" "$mn" "$(echo "$(med "${nr[@]}") / 1024" | bc -l)" "$(echo "($mb - $mn) * 100 / $mb" | bc -l)"
    if [ "$name" = "small-$nfiles" ]; then
        printf 'median %s: RSS per file %.1f B ((%d - %d KB baseline) / %d files); target RSS <= %d MB (64 MB + 64 B/file)\n' \
            "$name" "$(echo "($mr - $base_rss) * 1024 / $nfiles" | bc -l)" "$mr" "$base_rss" "$nfiles" \
            $(( 64 + 64 * nfiles / 1048576 ))
    fi
done
echo
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
