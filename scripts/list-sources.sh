#!/bin/sh
# Prints the .c files under the given directories, sorted, one per line.
# Used by meson.build so parallel work on new modules needs no build edits.
cd "$(dirname "$0")/.." || exit 1
for d in "$@"; do find "$d" -name '*.c' 2>/dev/null; done | LC_ALL=C sort
