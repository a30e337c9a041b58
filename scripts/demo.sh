#!/usr/bin/env bash
# The demo: installs missing Debian packages, builds bulkhead, and scans
# examples/ - the unsafe inputs produce findings, the fixed ones none.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/deps.sh build
# sources are globbed: reconfigure so new modules are picked up
if [ -f build/release/build.ninja ]; then
    meson setup --reconfigure build/release >/dev/null
else
    meson setup build/release --buildtype=release -Dtests=false >/dev/null
fi
ninja -C build/release >/dev/null
bh=build/release/bulkhead
echo "### bulkhead config examples/unsafe"
rc=0; "$bh" config --color=always examples/unsafe || rc=$?
echo "(exit code $rc: findings remain)"
echo
echo "### bulkhead config examples/fixed"
rc=0; "$bh" config --color=always examples/fixed || rc=$?
echo "(exit code $rc)"
echo
# images are built from the specs in examples/*-image/ (no daemon, no network)
imgdir=build/release/examples
mkdir -p "$imgdir"
python3 tests/images/mkimage.py examples/unsafe-image/image.json "$imgdir/unsafe-image.tar"
python3 tests/images/mkimage.py examples/fixed-image/image.json "$imgdir/fixed-image.tar"
echo "### bulkhead image $imgdir/unsafe-image.tar"
rc=0; "$bh" image --color=always "$imgdir/unsafe-image.tar" || rc=$?
echo "(exit code $rc: findings remain)"
echo
echo "### bulkhead image $imgdir/fixed-image.tar"
rc=0; "$bh" image --color=always "$imgdir/fixed-image.tar" || rc=$?
echo "(exit code $rc)"
