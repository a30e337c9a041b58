#!/usr/bin/env bash
# Replays every fuzz corpus (committed seeds and crash regressions) and then
# fuzzes each target for FUZZ_SECONDS (default 20) under ASan+UBSan.
set -u
build=${1:?usage: run.sh FUZZ_BUILD_DIR}
secs=${FUZZ_SECONDS:-20}
here=$(cd "$(dirname "$0")" && pwd)
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}
for t in "$build"/tests/fuzz/fuzz_*; do
    [ -f "$t" ] && [ -x "$t" ] || continue
    name=$(basename "$t"); reader=${name#fuzz_}
    corpus="$here/corpus/$reader"
    if [ ! -d "$corpus" ] || [ -z "$(ls -A "$corpus")" ]; then
        echo "not ok fuzz $reader: no committed seed corpus in tests/fuzz/corpus/$reader"
        continue
    fi
    dict=(); [ -f "$here/$reader.dict" ] && dict=(-dict="$here/$reader.dict")
    if "$t" "${dict[@]}" -runs=0 "$corpus" >/tmp/bh-fuzz-$reader.log 2>&1; then
        echo "ok fuzz $reader: corpus replay ($(ls "$corpus" | wc -l) inputs)"
    else
        echo "not ok fuzz $reader: corpus replay"; tail -40 /tmp/bh-fuzz-$reader.log >&2
    fi
    work=$(mktemp -d)
    if "$t" "${dict[@]}" -max_total_time="$secs" -max_len=65536 -timeout=10 -rss_limit_mb=2048 \
        -artifact_prefix="$work/" "$work" "$corpus" >/tmp/bh-fuzz-$reader.log 2>&1; then
        echo "ok fuzz $reader: ${secs}s of fuzzing"
    else
        echo "not ok fuzz $reader: crash found (see stderr; minimise it into tests/fuzz/corpus/$reader)"
        tail -60 /tmp/bh-fuzz-$reader.log >&2
        ls "$work" >&2
    fi
    rm -rf "$work"
done
