#!/usr/bin/env bash
# Docs agree with the binary (see check.py), and every header compiles alone.
source "$(dirname "$0")/../lib.sh"
/usr/bin/python3 "$ROOT/tests/docs/check.py"
/usr/bin/python3 "$ROOT/tests/docs/cis_check.py"
cd "$ROOT/src" || exit 1
for h in */*.h; do
    if echo "#include \"$h\"" | cc -std=c11 -Wall -Werror -fsyntax-only -I. -include core/compat.h \
        $(pkg-config --cflags libfyaml) -x c - 2>/tmp/bh-hdr.err; then
        ok "header $h compiles alone"
    else
        not_ok "header $h compiles alone: $(head -3 /tmp/bh-hdr.err | tr '\n' ' ')"
    fi
done
