#!/usr/bin/env bash
# The whole test suite: installs missing Debian packages, builds bulkhead with
# ASan+UBSan, runs every suite (unit, CLI golden, rule fixtures, schema
# validation, docs, fuzz replay + short fuzzing) and ends with
# "N passed, N failed". Exit status 0 only when nothing failed.
set -uo pipefail
cd "$(dirname "$0")/.."
bash scripts/deps.sh test || { echo "0 passed, 1 failed"; exit 1; }

results=$(mktemp)
trap 'rm -f "$results"' EXIT
build=build/asan
fuzzbuild=build/fuzz

step() { echo "== $*" >&2; }
record() { tee -a "$results"; }
fail_build() { echo "not ok build: $1" | record; }

step "build (ASan+UBSan)"
if [ ! -f "$build/build.ninja" ]; then
    meson setup "$build" -Db_sanitize=address,undefined -Db_lundef=false --buildtype=debug >&2 \
        || fail_build "meson setup $build"
else
    meson setup --reconfigure "$build" >&2 || fail_build "meson reconfigure $build"
fi
if ninja -C "$build" >&2; then echo "ok build: asan+ubsan" | record; else fail_build "ninja $build"; fi

export BULKHEAD="$PWD/$build/bulkhead"
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:strict_string_checks=1
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
export NO_COLOR=

if [ -x "$BULKHEAD" ]; then
    step "unit"
    bash tests/run-unit.sh "$build" | record
    for suite in tests/*/run.sh tests/integration/*/run.sh; do
        [ -f "$suite" ] || continue
        case "$suite" in tests/fuzz/*) continue ;; esac
        step "$suite"
        bash "$suite" | record
    done
fi

# the demo's release build: -O3 finds warnings (maybe-uninitialized, ...) a debug build does not
step "build (release, -O3)"
relbuild=build/release-check
if [ ! -f "$relbuild/build.ninja" ]; then
    meson setup "$relbuild" --buildtype=release -Dtests=false >&2 || echo "not ok build: release setup" | record
else
    meson setup --reconfigure "$relbuild" >&2 || echo "not ok build: release reconfigure" | record
fi
if ninja -C "$relbuild" >&2; then echo "ok build: release -O3" | record; else echo "not ok build: release -O3" | record; fi

step "fuzz (clang, libFuzzer, ASan+UBSan)"
if [ ! -f "$fuzzbuild/build.ninja" ]; then
    CC=clang meson setup "$fuzzbuild" -Dfuzz=true -Dtests=false \
        -Db_sanitize=address,undefined -Db_lundef=false --buildtype=debug >&2 \
        || echo "not ok build: fuzz setup" | record
else
    meson setup --reconfigure "$fuzzbuild" >&2 || echo "not ok build: fuzz reconfigure" | record
fi
if ninja -C "$fuzzbuild" >&2; then
    echo "ok build: fuzz targets" | record
    bash tests/fuzz/run.sh "$fuzzbuild" | record
else
    echo "not ok build: fuzz targets" | record
fi

passed=$(grep -c '^ok ' "$results")
failed=$(grep -c '^not ok ' "$results")
if [ "$failed" -gt 0 ]; then
    echo "failures:" >&2
    grep '^not ok ' "$results" >&2
fi
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
