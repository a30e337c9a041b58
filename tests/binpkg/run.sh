#!/usr/bin/env bash
# Packages in binaries (input/pkgdb/gobin.c, java.c) on real files:
# - Go programs built here with Debian's `go` (offline: dependencies come from a file://
#   module proxy written by mkfixtures.py; a release, a pseudo-version, a +incompatible
#   version, a module replaced by another module and one replaced by a directory), for
#   linux/amd64 and cross-built for 386 (ELF32), ppc64 (big-endian ELF64), windows (PE) and
#   darwin (Mach-O), plus a GOPATH-mode build without modules. The expectation is parsed
#   from `go version -m BINARY`, independently of bulkhead.
# - Java archives written by mkfixtures.py with zipfile (pom.properties, MANIFEST.MF,
#   file names, a shaded jar, WAR and EAR nesting, too-deep nesting), compared with the
#   expectation file the generator writes next to them.
# Needs BINPKG_DUMP (the test driver; default next to BULKHEAD under tests/), go, python3.
source "$(dirname "$0")/../lib.sh"
HERE="$ROOT/tests/binpkg"
DUMP=${BINPKG_DUMP:-$(dirname "$BULKHEAD")/tests/binpkg_dump}
PY=/usr/bin/python3

missing=()
command -v go >/dev/null || missing+=("go (Debian golang-go; scripts/deps.sh test)")
[ -x "$PY" ] || missing+=("$PY")
[ -x "$DUMP" ] || missing+=("BINPKG_DUMP=$DUMP (build with -Dtests=true)")
if [ ${#missing[@]} -ne 0 ]; then
    not_ok "binpkg: prerequisites missing: ${missing[*]}"
    exit 1
fi

work=$(mktemp -d)
trap 'chmod -R u+w "$work" 2>/dev/null; rm -rf "$work"' EXIT

# ---- Go -----------------------------------------------------------------------------------
export GOPATH="$work/gopath" GOCACHE="$work/gocache" GOPROXY="file://$work/proxy"
export GOSUMDB=off GONOSUMDB='*' GOFLAGS=-mod=mod GOTOOLCHAIN=local GO111MODULE=on
export CGO_ENABLED=0 GOWORK=off
"$PY" "$HERE/mkfixtures.py" goproxy "$work/proxy"
app="$work/app"
mkdir -p "$app/local"
cat >"$app/go.mod" <<'EOF'
module example.com/app

go 1.18

require (
	example.com/dep v1.2.3
	example.com/incompat v2.0.0+incompatible
	example.com/local v1.1.0
	example.com/old v1.0.0
	example.com/pseudo v0.0.0-20200101000000-abcdefabcdef
)

replace example.com/old v1.0.0 => example.com/Fork v1.5.0

replace example.com/local => ./local
EOF
cat >"$app/main.go" <<'EOF'
package main

import (
	"fmt"

	"example.com/dep"
	"example.com/incompat"
	"example.com/local"
	"example.com/old"
	"example.com/pseudo"
)

func main() { fmt.Println(dep.Hello(), incompat.M, local.L, old.Name(), pseudo.N) }
EOF
printf 'module example.com/local\n\ngo 1.18\n' >"$app/local/go.mod"
printf 'package local\n\nconst L = 3\n' >"$app/local/local.go"

# expectation from `go version -m`: "NAME<TAB>VERSION<TAB>PURL" per module, sorted
expect_go() {
    go version -m "$1" | "$PY" -c '
import re, sys, urllib.parse
rows, cur = [], None
lines = sys.stdin.read().split("\n")
m = re.match(r"^.*: (go[^ ]*)", lines[0])
for l in lines[1:]:
    f = l.strip("\t").split("\t")
    if f[0] in ("mod", "dep"):
        if cur: rows.append(cur)
        cur = [f[1], f[2]]
    elif f[0] == "=>":
        if f[1].startswith((".", "/")):   # a directory: local code under the old name
            cur[1] = "(devel)"
        else:
            cur = [f[1], f[2]]
if cur: rows.append(cur)
g = re.match(r"go(\d+)(?:\.(\d+))?(?:\.(\d+))?", m.group(1))
rows.append(["stdlib", "v%s.%s.%s" % (g.group(1), g.group(2) or 0, g.group(3) or 0)])
for n, v in sorted(rows):
    print("%s\t%s\tpkg:golang/%s@%s" % (n, v, n.lower(), urllib.parse.quote(v, safe="")))
'
}
got_go() {
    "$DUMP" --label "$2" "$1" | awk -F'\t' -v want="$2" '
        $1 != "golang" || $5 != want { print "BAD ROW: " $0; next }
        { print $2 "\t" $3 "\t" $4 }' | sort
}
go_case() { # go_case NAME BINARY: compare; the expectation must hold the modules built in
    local name=$1 bin=$2 exp got
    exp=$(expect_go "$bin")
    got=$(got_go "$bin" "usr/bin/$name")
    if [ -n "$exp" ] && [ "$exp" = "$got" ]; then
        ok "binpkg: go $name: $(printf '%s\n' "$got" | wc -l) modules as go version -m lists"
    else
        not_ok "binpkg: go $name"
        diff <(printf '%s\n' "$exp") <(printf '%s\n' "$got") >&2
    fi
}

if ! (cd "$app" && go mod tidy >"$work/tidy.log" 2>&1 &&
      go build -buildvcs=false -o "$work/app-amd64" . >>"$work/tidy.log" 2>&1); then
    not_ok "binpkg: go build of the test program failed"
    cat "$work/tidy.log" >&2
    exit 1
fi
go_case app-amd64 "$work/app-amd64"
# the expectation itself must hold what the module graph says (guards the parser above)
exp=$(expect_go "$work/app-amd64")
for want in $'example.com/dep\tv1.2.3' $'example.com/pseudo\tv0.0.0-20200101000000-abcdefabcdef' \
    $'example.com/incompat\tv2.0.0+incompatible' $'example.com/Fork\tv1.5.0' \
    $'example.com/local\t(devel)' $'example.com/app\t(devel)'; do
    check "binpkg: go: expectation holds '${want//$'\t'/ }'" grep -qF "$want" <<<"$exp"
done
check "binpkg: go: the replaced module's old name is not listed" \
    bash -c '! grep -q "example.com/old" <<<"$1"' _ "$(got_go "$work/app-amd64" x)"

for target in linux/386 linux/ppc64 windows/amd64 darwin/arm64; do
    out="$work/app-${target//\//-}"
    if (cd "$app" && GOOS=${target%/*} GOARCH=${target#*/} go build -buildvcs=false -o "$out" . \
        >"$work/cross.log" 2>&1); then
        go_case "app-${target//\//-}" "$out"
    else
        not_ok "binpkg: go cross build for $target"
        tail -5 "$work/cross.log" >&2
    fi
done
check "binpkg: go: ppc64 binary is big-endian ELF64" \
    bash -c '[ "$(od -An -tx1 -j4 -N2 "$1" | tr -d " ")" = 0202 ]' _ "$work/app-linux-ppc64"

# stripped of symbols and DWARF (-s -w): the section is still there
(cd "$app" && go build -buildvcs=false -ldflags='-s -w' -o "$work/app-stripped" . 2>/dev/null) &&
    go_case app-stripped "$work/app-stripped"

# GOPATH mode: no module information, only the toolchain
mkdir -p "$GOPATH/src/plain"
printf 'package main\n\nfunc main() { println("plain") }\n' >"$GOPATH/src/plain/main.go"
if (cd "$GOPATH/src/plain" && GO111MODULE=off GOFLAGS= go build -o "$work/plain" . \
    >"$work/plain.log" 2>&1); then
    got=$(got_go "$work/plain" usr/bin/plain)
    if [ "$(printf '%s\n' "$got" | cut -f1)" = stdlib ] && [ "$got" = "$(expect_go "$work/plain")" ]; then
        ok "binpkg: go: GOPATH-mode binary lists only stdlib"
    else
        not_ok "binpkg: go: GOPATH-mode binary: got '$got'"
    fi
else
    not_ok "binpkg: go: GOPATH-mode build"
    tail -5 "$work/plain.log" >&2
fi

# not Go: a C program, and a shell script
check "binpkg: go: a non-Go executable lists nothing" \
    bash -c '[ -z "$("$1" "$2")" ]' _ "$DUMP" "$(command -v ls)"
check "binpkg: go: a script lists nothing" bash -c '[ -z "$("$1" "$2")" ]' _ "$DUMP" "$0"

# ---- Java ---------------------------------------------------------------------------------
jars="$work/jars"
"$PY" "$HERE/mkfixtures.py" jars "$jars"
for f in $(cut -f1 "$jars/expected.tsv" | sort -u); do
    exp=$(awk -F'\t' -v f="$f" '$1 == f { print $2 "\t" $3 "\t" $4 }' "$jars/expected.tsv" | sort)
    got=$(cd "$jars" && "$DUMP" --label "$f" "$f" | awk -F'\t' '
        $1 != "maven" { print "BAD ROW: " $0; next }
        { print $2 "\t" $3 "\t" $5 }' | sort)
    if [ "$exp" = "$got" ]; then
        ok "binpkg: java $f: $(printf '%s\n' "$got" | wc -l) packages"
    else
        not_ok "binpkg: java $f"
        diff <(printf '%s\n' "$exp") <(printf '%s\n' "$got") >&2
    fi
done
purl=$(cd "$jars" && "$DUMP" lib-a-1.2.3.jar | cut -f4)
check "binpkg: java: purl has the group as namespace" [ "$purl" = "pkg:maven/org.example/lib-a@1.2.3" ]
err=$(cd "$jars" && "$DUMP" deep.jar 2>&1 >/dev/null)
check "binpkg: java: nesting past BH_MAX_JAR_DEPTH fails naming the limit" \
    grep -q "limit.*BH_MAX_JAR_DEPTH" <<<"$err"
# cut inside the deflated data of WEB-INF/lib/lib-a-1.2.3.jar (members end near byte 620)
head -c 450 "$jars/shop-web-1.0.war" >"$jars/cut.war"
check "binpkg: java: an archive cut inside a member is an error" bash -c '! "$1" "$2" 2>/dev/null' _ "$DUMP" "$jars/cut.war"
