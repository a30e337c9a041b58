#!/usr/bin/env bash
# Layout (.clang-format) and the module rules that a compiler does not check:
# each third-party library is included by exactly one module, and only
# src/cmd/ and src/main.c print to the user.
source "$(dirname "$0")/../lib.sh"
cd "$ROOT" || exit 1
bad=()
for f in $(git ls-files 'src/*.c' 'src/*.h' 'tests/unit/*.c' 'tests/fuzz/*.c' 2>/dev/null || find src tests/unit tests/fuzz -name '*.[ch]'); do
    [ -f "$f" ] || continue
    clang-format --style=file "$f" | cmp -s "$f" - || bad+=("$f")
done
if [ ${#bad[@]} -eq 0 ]; then ok "style: clang-format"; else not_ok "style: clang-format differs in ${bad[*]} (run clang-format -i)"; fi
only_in() { # only_in HEADER ALLOWED_FILE...
    local hdr=$1; shift
    local users; users=$(grep -rl --include='*.c' --include='*.h' "#include <$hdr" src | sort | tr '\n' ' ' | sed 's/ $//')
    local want; want=$(printf '%s\n' "$@" | sort | tr '\n' ' ' | sed 's/ $//')
    if [ -z "$users" ] || [ "$users" = "$want" ]; then ok "style: <$hdr> only in $want"; else not_ok "style: <$hdr> included by $users (only $want may)"; fi
}
only_in libfyaml.h src/input/yaml.c
only_in archive.h src/input/imgsrc.c src/input/layer.c src/input/zip.c
only_in archive_entry.h src/input/imgsrc.c src/input/layer.c src/input/zip.c
only_in jansson.h src/input/json.c
only_in isa-l src/input/layer.c
only_in zstd.h src/input/layer.c
only_in openssl/ src/input/layer.c
only_in curl/ src/net/http.c
only_in hs.h src/input/secretscan.c
only_in sqlite3.h src/input/sqlite.c
printers=$(grep -rlE '\b(printf|puts|fputs|fprintf)\s*\((stdout|stderr|")' src --include='*.c' | grep -vE '^src/(cmd/|main\.c|report/)' | tr '\n' ' ')
if [ -z "$printers" ]; then ok "style: only cmd/ and report writers print"; else not_ok "style: library code prints: $printers"; fi
