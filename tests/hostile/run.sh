#!/usr/bin/env bash
# Hostile images (issue 4, acceptance 3): images generated here, at test time, by gen.py
# (truncated and corrupt layers, decompression bombs, path traversal, symlink loops, a
# million files, a 100 MB file, absurd tar headers, broken manifests and configs) are each
# scanned with `bulkhead image -f json`. Every case asserts: no crash (exit 0, 1 or 2, no
# signal, no sanitizer report, a complete JSON report), time and peak RSS (/usr/bin/time)
# within bounds, and then what the case must give: exit 2 with an error naming the target
# (and layer) for input that cannot be read, or a clean scan with the findings that show
# the hostile part was contained.
source "$(dirname "$0")/../lib.sh"
HERE="$ROOT/tests/hostile"
PY=python3
[ -x /usr/bin/python3 ] && PY=/usr/bin/python3
# the settings scripts/test.sh uses, when run on its own
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1:strict_string_checks=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}"
# the optimised build, for the RSS of the million-file layer (acceptance 4's target)
RELEASE="${BULKHEAD_RELEASE:-$ROOT/build/release/bulkhead}"
TIMEOUT=60
SAN='runtime error:|AddressSanitizer|LeakSanitizer|UndefinedBehaviorSanitizer|ThreadSanitizer|SUMMARY: '
MIB=1024 # KiB

work=$(mktemp -d /tmp/bh-hostile.XXXXXX)
trap 'rm -rf "$work"' EXIT

declare -A TARGET
# gen CASE...: generate the cases into $work, filling TARGET[CASE]
gen() {
    if ! "$PY" "$HERE/gen.py" "$work" "$@" >"$work/gen.out" 2>"$work/gen.err"; then
        not_ok "hostile: gen.py $*: $(tail -1 "$work/gen.err")"
        return 1
    fi
    while IFS=$'\t' read -r c t; do TARGET[$c]=$t; done <"$work/gen.out"
}

# scan CASE [BINARY [TAG]]: sets RC, MS, KB and the report/stderr files OUT, ERR
scan() {
    local c=$1 bin=${2:-$BULKHEAD} tag=${3:-} start
    OUT="$work/$c$tag.json"
    ERR="$work/$c$tag.err"
    start=$(date +%s%N)
    /usr/bin/time -f 'maxrss_kb=%M' -o "$work/$c$tag.time" \
        timeout -k 5 "$TIMEOUT" "$bin" image -f json "${TARGET[$c]}" >"$OUT" 2>"$ERR"
    RC=$?
    MS=$((($(date +%s%N) - start) / 1000000))
    KB=$(sed -n 's/^maxrss_kb=//p' "$work/$c$tag.time")
    KB=${KB:-0}
}

# survived MAX_MS MAX_KB: no hang, no signal, no sanitizer report, a whole JSON report, and
# within the bounds; else false with the reason in WHY (the stderr goes to our stderr).
survived() {
    WHY=""
    if [ "$RC" -eq 124 ] || [ "$RC" -eq 137 ]; then
        WHY="hung: killed after ${TIMEOUT} s"
    elif grep -qE "$SAN" "$ERR"; then
        WHY="exit $RC, sanitizer: $(grep -m1 -E "$SAN" "$ERR" | sed -e "s|$ROOT/||" -e 's|\.\./||g'), in $(grep -m1 -o 'in [a-z_0-9]* [^ ]*src/[^ ]*' "$ERR" | sed -e 's|^in ||' -e 's|\.\./||g')"
    elif [ "$RC" -gt 2 ]; then
        WHY="exit $RC$([ "$RC" -gt 128 ] && echo " (signal $((RC - 128)))")"
    elif ! "$PY" "$HERE/check.py" "$OUT" rules >/dev/null; then
        WHY="exit $RC without a complete JSON report"
    elif [ "$MS" -gt "$1" ]; then
        WHY="took $MS ms (bound $1 ms)"
    elif [ "$KB" -gt "$2" ]; then
        WHY="peak RSS $KB KiB (bound $2 KiB)"
    fi
    if [ -n "$WHY" ]; then
        sed 's/^/# /' "$ERR" | head -30 >&2
        return 1
    fi
}

stats() { echo "$MS ms, peak RSS $((KB / MIB)) MiB"; }
rules() { "$PY" "$HERE/check.py" "$OUT" rules; }
has_rule() { case " $(rules) " in *" $1 "*) return 0 ;; esac; return 1; }

# must_fail CASE WHAT PATTERN [LAYER]: exit 2 and an error for the target whose message
# matches PATTERN (extended regex) and, given LAYER, names "layer LAYER".
must_fail() {
    local c=$1 what=$2 pat=$3 layer=${4:-} errs hit
    scan "$c"
    if ! survived 10000 $((BASE_KB + 64 * MIB)); then
        not_ok "hostile $c ($what): $WHY"
        return
    fi
    errs=$("$PY" "$HERE/check.py" "$OUT" errors)
    hit=$(printf '%s\n' "$errs" | awk -F'\t' -v t="${TARGET[$c]}" '$1 == t' | cut -f2- |
        grep -E -m1 -- "$pat" | grep -F -m1 -- "${layer:+layer $layer }")
    if [ "$RC" -ne 2 ]; then
        not_ok "hostile $c ($what): exit $RC, not 2; errors: ${errs:-none}"
    elif [ -z "$hit" ]; then
        not_ok "hostile $c ($what): no error for ${TARGET[$c]}${layer:+ naming layer $layer} matching /$pat/; errors: ${errs:-none}"
    else
        ok "hostile $c ($what): exit 2, error for the target${layer:+ naming layer $layer} /$pat/, $(stats)"
    fi
}

# must_pass CASE WHAT MAX_MS MAX_KB: exit 0 or 1 and no errors; the caller checks findings.
must_pass() {
    local c=$1 what=$2 errs
    scan "$c"
    if ! survived "$3" "$4"; then
        not_ok "hostile $c ($what): $WHY"
        return 1
    fi
    errs=$("$PY" "$HERE/check.py" "$OUT" errors)
    if [ "$RC" -gt 1 ] || [ -n "$errs" ]; then
        not_ok "hostile $c ($what): exit $RC, errors: ${errs:-none}"
        return 1
    fi
}

# ---- generate ------------------------------------------------------------------------------
mapfile -t small < <("$PY" "$HERE/gen.py" --list | grep -vx 'many-files')
start=$(date +%s%N)
gen "${small[@]}" || exit 0
ok "hostile: generated ${#small[@]} small cases in $((($(date +%s%N) - start) / 1000000)) ms"

# the RSS of a tiny well-formed image: what the binary needs before any layer is read
scan traversal-control
if ! survived 10000 $((2048 * MIB)); then
    not_ok "hostile baseline (traversal-control): $WHY"
    exit 0
fi
BASE_KB=$KB

# ---- corrupt and truncated layers ----------------------------------------------------------
must_fail truncated-gzip "gzip layer cut in half" 'truncated' 0
must_fail truncated-tar "uncompressed tar cut mid-file" 'corrupt or truncated tar' 0
must_fail truncated-second-layer "layer 1 of 2 truncated" 'truncated' 1
if has_rule IMG-UID0; then
    ok "hostile truncated-second-layer: layer 0 still checked (IMG-UID0 from its passwd)"
else
    not_ok "hostile truncated-second-layer: the good layer 0 was not checked (no IMG-UID0; got $(rules))"
fi
must_fail not-a-tar "layer of plain text" 'not a tar archive' 0
must_fail not-a-tar-gzip "gzip of plain text" 'not a tar archive' 0
if must_pass empty-layer "0-byte layer" 10000 $((BASE_KB + 64 * MIB)); then
    if has_rule IMG-INTEGRITY; then
        not_ok "hostile empty-layer: IMG-INTEGRITY for a layer whose digests match: $("$PY" "$HERE/check.py" "$OUT" messages IMG-INTEGRITY | head -1)"
    else
        ok "hostile empty-layer (0-byte layer): scanned as a layer with no entries, digests agree, $(stats)"
    fi
fi

# ---- manifest and config -------------------------------------------------------------------
must_fail missing-blob "docker-save manifest names a blob not in the archive" 'blobs/sha256/[0-9a-f]{64}.*no such'
must_fail missing-blob-oci "OCI manifest names a blob not in the layout" 'blobs/sha256/[0-9a-f]{64}.*no such'
must_fail config-not-json "config blob is not JSON" 'json'

# ---- decompression bombs -------------------------------------------------------------------
# gzip: 1 GiB of zeros in ~1 MB (ratio ~1000:1 of deflate, repeated full-flush segments);
# zstd: 4 GiB of zeros in 128 KiB RLE blocks of 4 bytes (32768:1). Both must stop soon after
# the first MiB (BH_MAX_LAYER_RATIO), in little time and memory.
for c in bomb-gzip bomb-zstd; do
    scan "$c"
    if ! survived 5000 $((BASE_KB + 32 * MIB)); then
        not_ok "hostile $c (decompression bomb over BH_MAX_LAYER_RATIO): $WHY"
    elif [ "$RC" -ne 2 ] || ! "$PY" "$HERE/check.py" "$OUT" errors | grep -q "layer 0 .*BH_MAX_LAYER_RATIO"; then
        not_ok "hostile $c (decompression bomb): exit $RC, errors: $("$PY" "$HERE/check.py" "$OUT" errors)"
    else
        ok "hostile $c (decompression bomb over BH_MAX_LAYER_RATIO): exit 2, layer 0 refused by the ratio limit, $(stats)"
    fi
done
# BH_MAX_LAYER_BYTES (64 GiB) is reachable only below the ratio limit, i.e. with >= 64 MiB
# of compressed input decoded and hashed to 64 GiB: minutes, not a unit of this suite.
echo "# SKIP hostile bomb over BH_MAX_LAYER_BYTES: 64 GiB is a compile-time constant with no test override (needs an environment or policy knob to be testable)"

# ---- path traversal ------------------------------------------------------------------------
if must_pass traversal-control "the same passwd under /etc/../etc/passwd" 10000 $((BASE_KB + 64 * MIB)); then
    if has_rule IMG-UID0; then
        ok "hostile traversal-control: a name normalised inside the root lands in the tree (IMG-UID0), $(stats)"
    else
        not_ok "hostile traversal-control: /etc/../etc/passwd with a UID 0 account gives no IMG-UID0 (got $(rules))"
    fi
fi
if must_pass traversal "../../etc/passwd, a/../../etc/passwd, /abs, a/../../b, links above the root" 10000 $((BASE_KB + 64 * MIB)); then
    escaped=$("$PY" "$HERE/check.py" "$OUT" paths | grep -E '(^|/)\.\.(/|$)' | head -1)
    if has_rule IMG-UID0; then
        not_ok "hostile traversal: an entry named above the root replaced /etc/passwd (IMG-UID0: $("$PY" "$HERE/check.py" "$OUT" messages IMG-UID0 | head -1))"
    elif [ -n "$escaped" ]; then
        not_ok "hostile traversal: a finding located at a path above the root: $escaped"
    else
        ok "hostile traversal: names climbing above the root stay out of the tree (no IMG-UID0 from them, no '..' location), $(stats)"
    fi
fi

if must_pass whiteout-escape "whiteouts named above the root, '.wh..', '.wh.', AUFS meta dirs" 10000 $((BASE_KB + 64 * MIB)); then
    if has_rule IMG-UID0; then
        ok "hostile whiteout-escape: no hostile marker removed the lower /etc/passwd (IMG-UID0 kept), $(stats)"
    else
        not_ok "hostile whiteout-escape: a whiteout named outside the tree deleted /etc/passwd (no IMG-UID0; got $(rules))"
    fi
fi

# ---- symbolic link loops -------------------------------------------------------------------
if must_pass symlink-loops "self loops, a->b->a, dir loops, a 2000-link ring, a 30-link chain, hard link cycles" 10000 $((BASE_KB + 64 * MIB)); then
    if has_rule IMG-EOL; then
        ok "hostile symlink-loops: no hang, OS still identified (IMG-EOL, Debian 8), $(stats)"
    else
        not_ok "hostile symlink-loops: the Debian 8 os-release behind the links was not identified (got $(rules))"
    fi
fi

# ---- absurd tar headers --------------------------------------------------------------------
must_fail hdr-neg-size "base-256 size of -2^40" 'not a tar archive|corrupt or truncated tar' 0
must_fail hdr-huge-size "base-256 size of 2^62" 'corrupt or truncated tar' 0
must_fail hdr-bad-checksum "first header's checksum off by one" 'not a tar archive' 0
must_fail hdr-bad-checksum-late "second header's checksum off by 7" 'corrupt or truncated tar' 0
must_fail hdr-pax-path "pax path of 1 MiB" 'not a tar archive|too long' 0
must_fail hdr-pax-path-8k "pax path of 8 KiB" 'entry name too long.*BH_MAX_LAYER_PATH' 0
must_fail hdr-gnu-longname "GNU longname of 1 MiB" 'not a tar archive|too long' 0
must_fail hdr-gnu-longname-8k "GNU longname of 8 KiB" 'entry name too long.*BH_MAX_LAYER_PATH' 0
must_fail hdr-gnu-longlink "GNU longlink of 1 MiB" 'not a tar archive|too long' 0
must_fail hdr-symlink-8k "pax linkpath of 9000 bytes" 'symlink target too long.*BH_MAX_LAYER_PATH' 0
must_fail hdr-pax-xattr "pax xattr of 8 MiB" 'not a tar archive|too long|too large' 0
if must_pass hdr-pax-xattr-900k "pax xattr of 900 KiB next to security.capability" 10000 $((BASE_KB + 64 * MIB)); then
    if "$PY" "$HERE/check.py" "$OUT" messages IMG-SUID | grep -q 'usr/bin/x.*capabilit'; then
        ok "hostile hdr-pax-xattr-900k: read, the capability xattr still seen (IMG-SUID), $(stats)"
    else
        not_ok "hostile hdr-pax-xattr-900k: security.capability next to a big xattr not reported (got $(rules))"
    fi
fi
if must_pass hdr-pax-count "pax header of 30000 xattrs" 10000 $((BASE_KB + 64 * MIB)); then
    ok "hostile hdr-pax-count: read, $(stats)"
fi
if must_pass hdr-devices "devices, fifo, unknown type, all mode 07777, base-256 device numbers" 10000 $((BASE_KB + 64 * MIB)); then
    ok "hostile hdr-devices: read, exit $RC, $(stats)"
fi
if must_pass hdr-uids "setuid files owned by uid 2^32-1, 2^62, base-256 -1; huge mode and mtime" 10000 $((BASE_KB + 64 * MIB)); then
    msgs=$("$PY" "$HERE/check.py" "$OUT" messages IMG-SUID)
    bad=""
    for f in uidmax uidhuge uidneg; do
        printf '%s\n' "$msgs" | grep -q "^/$f is setuid to its owner (mode 4755, owner 4294967295)" || bad+=" $f"
    done
    if [ -z "$bad" ]; then
        ok "hostile hdr-uids: out-of-range and negative owners clamp to 4294967295, never wrap to root, $(stats)"
    else
        not_ok "hostile hdr-uids: owner not clamped to 4294967295 for$bad: $(printf '%s' "$msgs" | tr '\n' ';')"
    fi
fi

# ---- account files with no accounts ------------------------------------------------------
if must_pass passwd-empty "empty /etc/passwd, /etc/group of NUL bytes" 10000 $((BASE_KB + 64 * MIB)); then
    ok "hostile passwd-empty: read, exit $RC, $(stats)"
fi

# ---- big content ---------------------------------------------------------------------------
if must_pass big-file "one 100 MB file, uncompressed layer" 10000 $((BASE_KB + 32 * MIB)); then
    ok "hostile big-file: content streamed, $(stats) (bound: the $((BASE_KB / MIB)) MiB baseline + 32 MiB)"
fi
if must_pass big-captured "a 100 MB /etc/passwd (captured, text-probed)" 10000 $((BASE_KB + 48 * MIB)); then
    ok "hostile big-captured: capture capped, $(stats) (bound: the $((BASE_KB / MIB)) MiB baseline + 48 MiB)"
fi

# ---- a million files -----------------------------------------------------------------------
start=$(date +%s%N)
if gen many-files; then
    gen_ms=$((($(date +%s%N) - start) / 1000000))
    entries=1001001 # 1,000,000 files, 1,000 directories, /etc/passwd
    if [ "$gen_ms" -lt 20000 ]; then
        ok "hostile many-files: generated $entries entries (gzip) in $gen_ms ms"
    else
        not_ok "hostile many-files: generator took $gen_ms ms (bound 20000)"
    fi
    TIMEOUT=120
    # the binary under test (ASan): correctness, and a generous bound on its RSS
    if must_pass many-files "1,000,000 empty files in one layer" 90000 $((1536 * MIB)); then
        if has_rule IMG-UID0; then
            ok "hostile many-files: whole layer read (IMG-UID0 from its last entry), $(stats) ($(basename "$(dirname "$BULKHEAD")") build: bound 1536 MiB, generous for ASan)"
        else
            not_ok "hostile many-files: the passwd after the million files was not seen (got $(rules))"
        fi
    fi
    if [ -x "$RELEASE" ]; then
        # acceptance 4's target: 64 MiB + 64 B per file
        bound=$((64 * MIB + entries * 64 / 1024))
        stale=$(find "$ROOT/src" -name '*.[ch]' -newer "$RELEASE" | head -1)
        scan many-files "$RELEASE" .release
        if ! survived 30000 "$bound"; then
            not_ok "hostile many-files RSS (release build $RELEASE${stale:+, older than ${stale#"$ROOT"/}}): $WHY"
        else
            ok "hostile many-files RSS (release build): $(stats), bound 64 MiB + 64 B x $entries = $((bound / MIB)) MiB${stale:+ (note: binary older than ${stale#"$ROOT"/})}"
        fi
    else
        echo "# no release build at $RELEASE: the million-file RSS was bounded only on the ASan build above"
    fi
    TIMEOUT=60
fi
