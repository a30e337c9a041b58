#!/usr/bin/env bash
# tests/rootfs/run.sh - `bulkhead rootfs` and the package list of `bulkhead image` against
# package lists computed without bulkhead: the real Alpine minirootfs tarballs in
# ../shared/testdata (their installed database read with awk), a Debian-like tree holding this
# Debian host's dpkg status (dpkg-query), and a docker-save image of the host's packages
# (tests/images/debian-from-host.sh) with a second layer holding a Go binary and a Java archive,
# compared with dpkg-query and `go version -m`.
set -uo pipefail
. "$(dirname "$0")/../lib.sh"

T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
ROOTFS="$SHARED/testdata/rootfs"

# packages NAME JSON: "name<TAB>version<TAB>src_name" of every package, sorted
packages() {
    python3 - "$1" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
rows = []
for t in d["targets"]:
    for p in t.get("packages", []):
        rows.append("%s\t%s\t%s" % (p["name"], p["version"], p.get("src_name", "")))
print("\n".join(sorted(rows)))
PY
}

# json_field JSON EXPR: evaluate EXPR (python, d = the report) and print it
json_field() {
    python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' "$1" "$2"
}

# ---- Alpine minirootfs tarballs ------------------------------------------------------------
alpine_case() { # NAME TARBALL VERSION [TSV]
    local name=$1 tarball=$2 version=$3 tsv=${4:-} dir="$T/$1" rc
    if [ ! -f "$tarball" ]; then
        not_ok "rootfs $name: test data missing: $tarball (see ../shared/testdata/README.md)"
        return
    fi
    mkdir -p "$dir"
    tar -xzf "$tarball" -C "$dir" --no-same-owner 2>/dev/null
    "$BULKHEAD" rootfs -q -f json -o "$T/$name.json" "$dir"
    rc=$?
    check "rootfs $name: exit 0 or 1 (no errors)" test "$rc" -le 1
    check "rootfs $name: no report errors" test "$(json_field "$T/$name.json" 'len(d["errors"])')" = 0
    check "rootfs $name: target kind rootfs" \
        test "$(json_field "$T/$name.json" 'd["targets"][0]["kind"]')" = rootfs
    packages "$T/$name.json" >"$T/$name.got"
    if [ -n "$tsv" ]; then
        tail -n +2 "$tsv" | cut -f1-3 | sort >"$T/$name.want"
    else
        # the installed database itself: P (name), V (version), o (origin) of each record
        awk -F: '/^P:/{n=substr($0,3)} /^V:/{v=substr($0,3)} /^o:/{o=substr($0,3)}
                 /^$/{if(n!="")print n"\t"v"\t"o; n=v=o=""} END{if(n!="")print n"\t"v"\t"o}' \
            "$dir/lib/apk/db/installed" | sort >"$T/$name.want"
    fi
    check "rootfs $name: expectation not empty" test -s "$T/$name.want"
    if diff "$T/$name.want" "$T/$name.got" >"$T/$name.diff"; then
        ok "rootfs $name: packages (name, version, origin) as installed ($(wc -l <"$T/$name.want"))"
    else
        not_ok "rootfs $name: packages differ: $(head -c 600 "$T/$name.diff")"
    fi
    check "rootfs $name: every purl names alpine $version" test "$(json_field "$T/$name.json" \
        'all(("distro=alpine-'"$version"'" in p["purl"]) and p["purl"].startswith("pkg:apk/alpine/") for p in d["targets"][0]["packages"])')" = True
    check "rootfs $name: os alpine $version" test "$(json_field "$T/$name.json" \
        '(d["targets"][0].get("os") or {}).get("version_id")')" = "$version"
    check "rootfs $name: no IMG-AGE or IMG-INTEGRITY without a config" test "$(json_field \
        "$T/$name.json" 'sum(f["rule"] in ("IMG-AGE","IMG-INTEGRITY") for f in d["targets"][0]["findings"])')" = 0
}
alpine_case alpine-3.20 "$ROOTFS/alpine-v3.20-x86_64/alpine-minirootfs-3.20.3-x86_64.tar.gz" 3.20.3 \
    "$ROOTFS/alpine-v3.20-x86_64/packages.derived.tsv"
alpine_case alpine-3.7 "$ROOTFS/alpine-v3.7-x86_64/alpine-minirootfs-3.7.3-x86_64.tar.gz" 3.7.3

# ---- a Debian-like tree with this host's dpkg database -------------------------------------
# installed = dpkg's own status word "installed" (half-configured and config-files are not)
dpkg_installed() { # [dpkg-query options...]
    dpkg-query "$@" -W -f '${db:Status-Status}\t${Package}\t${Version}\n' |
        awk -F'\t' '$1 == "installed" { print $2 "\t" $3 }' | sort
}
name_version() { # JSON: "name<TAB>version" of the dpkg packages
    python3 -c 'import json,sys
d = json.load(open(sys.argv[1]))
print("\n".join(sorted("%s\t%s" % (p["name"], p["version"]) for t in d["targets"]
                        for p in t.get("packages", []) if p["type"] == sys.argv[2])))' "$1" "$2"
}
if command -v dpkg-query >/dev/null && [ -r /var/lib/dpkg/status ] && [ -r /etc/os-release ]; then
    D="$T/debian"
    mkdir -p "$D/etc" "$D/var/lib/dpkg"
    cp /var/lib/dpkg/status "$D/var/lib/dpkg/status"
    cp /etc/os-release "$D/etc/os-release"
    "$BULKHEAD" rootfs -q -f json -o "$T/debian.json" "$D"
    check "rootfs debian-tree: exit 0 or 1" test $? -le 1
    dpkg_installed >"$T/debian.want"
    name_version "$T/debian.json" deb >"$T/debian.got"
    check "rootfs debian-tree: expectation not empty" test -s "$T/debian.want"
    if diff "$T/debian.want" "$T/debian.got" >"$T/debian.diff"; then
        ok "rootfs debian-tree: packages equal dpkg-query -W ($(wc -l <"$T/debian.want"))"
    else
        not_ok "rootfs debian-tree: packages differ from dpkg-query: $(head -c 600 "$T/debian.diff")"
    fi
    id=$(. /etc/os-release; echo "$ID-$VERSION_ID")
    check "rootfs debian-tree: purls carry distro=$id" test "$(json_field "$T/debian.json" \
        'all("distro='"$id"'" in p["purl"] for p in d["targets"][0]["packages"])')" = True
else
    not_ok "rootfs debian-tree: this test needs a Debian host (dpkg-query, /var/lib/dpkg/status)"
fi

# ---- a broken database is a report error naming the file; the others still listed ----------
B="$T/broken"
mkdir -p "$B/var/lib/dpkg" "$B/lib/apk/db"
printf 'Package: a\nStatus: install ok installed\nVersion: 1\n\nno colon here\n' \
    >"$B/var/lib/dpkg/status"
printf 'P:musl\nV:1.2.5-r0\no:musl\n\n' >"$B/lib/apk/db/installed"
"$BULKHEAD" rootfs -q -f json -o "$T/broken.json" "$B" 2>/dev/null
check "rootfs broken-db: exit 2" test $? = 2
check "rootfs broken-db: error names the file and line" test "$(json_field "$T/broken.json" \
    '[(e["line"], "var/lib/dpkg/status" in e["message"]) for e in d["errors"]]')" = "[(5, True)]"
check "rootfs broken-db: the apk package still listed" \
    test "$(json_field "$T/broken.json" '[p["name"] for p in d["targets"][0]["packages"]]')" = "['musl']"

# ---- an archive whose packages cannot be read is a report error naming it; the rest listed ---
J="$T/brokenjar"
mkdir -p "$J/app" "$J/lib/apk/db" "$T/jars"
printf 'P:musl\nV:1.2.5-r0\no:musl\n\n' >"$J/lib/apk/db/installed"
python3 - "$T/jars" <<'PY'
import os, sys, zipfile
out = sys.argv[1]
def jar(path, artifact, extra=()):
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("META-INF/maven/org.example/%s/pom.properties" % artifact,
                   "groupId=org.example\nartifactId=%s\nversion=1.0\n" % artifact)
        z.writestr("org/example/Data.class", os.urandom(20000))
        for name, data in extra:
            z.writestr(name, data)
jar(out + "/good.jar", "good")
jar(out + "/whole.jar", "broken")
data = open(out + "/whole.jar", "rb").read()
open(out + "/broken.jar", "wb").write(data[: len(data) // 2])
jar(out + "/web.war", "web", [("WEB-INF/lib/inner.jar", data[: len(data) // 2])])
PY
cp "$T/jars/good.jar" "$J/app/good-1.0.jar"
cp "$T/jars/broken.jar" "$J/app/broken.jar"
cp "$T/jars/web.war" "$J/app/web.war"
"$BULKHEAD" rootfs -q -f json -o "$T/brokenjar.json" "$J" 2>/dev/null
check "rootfs broken-jar: exit 2" test $? = 2
check "rootfs broken-jar: one error per unreadable archive, naming it" test "$(json_field \
    "$T/brokenjar.json" 'sorted(e["message"].split(": ")[0] for e in d["errors"])')" \
    = "['app/broken.jar', 'app/web.war!/WEB-INF/lib/inner.jar']"
check "rootfs broken-jar: the file named once" test "$(json_field "$T/brokenjar.json" \
    'all(e["message"].count("app/") == 1 for e in d["errors"])')" = True
check "rootfs broken-jar: the other files' packages still listed" test "$(json_field \
    "$T/brokenjar.json" 'sorted((p["name"], p.get("path")) for p in d["targets"][0]["packages"] if p["name"] in ("musl", "org.example:good"))')" \
    = "[('musl', 'lib/apk/db/installed'), ('org.example:good', 'app/good-1.0.jar')]"
check "rootfs broken-jar: nothing from the broken archive" test "$(json_field "$T/brokenjar.json" \
    '[p["name"] for p in d["targets"][0]["packages"] if p.get("path") == "app/broken.jar"]')" = "[]"
# the same files as an image layer; a second layer that deletes both archives clears the errors
(cd "$J" && tar --owner=0 --group=0 -cf "$T/brokenjar1.tar" .)
mkdir -p "$T/brokenjar2/app"
: >"$T/brokenjar2/app/.wh.broken.jar"
: >"$T/brokenjar2/app/.wh.web.war"
(cd "$T/brokenjar2" && tar --owner=0 --group=0 -cf "$T/brokenjar2.tar" .)
python3 "$ROOT/tests/rootfs/mkarchive.py" "$T/brokenjar-img.tar" "$T/brokenjar1.tar"
"$BULKHEAD" image -q -f json -o "$T/brokenjar-img.json" "$T/brokenjar-img.tar" 2>/dev/null
check "image broken-jar: exit 2" test $? = 2
check "image broken-jar: the errors name the archives" test "$(json_field \
    "$T/brokenjar-img.json" 'sorted(e["message"].split(": ")[0] for e in d["errors"])')" \
    = "['app/broken.jar', 'app/web.war!/WEB-INF/lib/inner.jar']"
check "image broken-jar: the other packages still listed" test "$(json_field \
    "$T/brokenjar-img.json" 'sorted(p["name"] for p in d["targets"][0]["packages"] if p["name"] in ("musl", "org.example:good"))')" \
    = "['musl', 'org.example:good']"
python3 "$ROOT/tests/rootfs/mkarchive.py" "$T/brokenjar-del.tar" "$T/brokenjar1.tar" \
    "$T/brokenjar2.tar"
"$BULKHEAD" image -q -f json -o "$T/brokenjar-del.json" "$T/brokenjar-del.tar" 2>/dev/null
check "image broken-jar deleted in layer 1: exit 0 or 1" test $? -le 1
check "image broken-jar deleted in layer 1: no report errors" \
    test "$(json_field "$T/brokenjar-del.json" 'len(d["errors"])')" = 0
check "image broken-jar deleted in layer 1: the good archive still listed" test "$(json_field \
    "$T/brokenjar-del.json" '[p["name"] for p in d["targets"][0]["packages"] if p["type"] == "maven"]')" \
    = "['org.example:good']"

check "rootfs missing dir: exit 2" bash -c '"$0" rootfs -q "$1/nope" >/dev/null 2>&1; test $? = 2' \
    "$BULKHEAD" "$T"

# ---- an image built from the host's packages -------------------------------------------------
if "$ROOT/tests/images/debian-from-host.sh" "$T/deb.tar" >"$T/deb.log" 2>&1; then
    L="$T/layer2"
    mkdir -p "$L/app/META-INF/maven/org.example/demo" "$L/usr/local/bin" "$T/jar" "$T/go"
    # a Java archive with the pom.properties Maven writes
    printf 'groupId=org.example\nartifactId=demo\nversion=4.5.6\n' \
        >"$T/jar/pom.properties"
    mkdir -p "$T/jar/META-INF/maven/org.example/demo"
    mv "$T/jar/pom.properties" "$T/jar/META-INF/maven/org.example/demo/"
    (cd "$T/jar" && python3 -c 'import zipfile,sys
z = zipfile.ZipFile(sys.argv[1], "w")
z.write("META-INF/maven/org.example/demo/pom.properties")
z.close()' "$L/app/demo-4.5.6.jar")
    rm -rf "$L/app/META-INF"
    # a Go binary (no dependencies, offline) when the Go toolchain is installed
    have_go=0
    if command -v go >/dev/null; then
        printf 'module example.com/hello\n\ngo 1.18\n' >"$T/go/go.mod"
        printf 'package main\n\nimport "fmt"\n\nfunc main() { fmt.Println("hi") }\n' >"$T/go/main.go"
        if (cd "$T/go" && GOCACHE="$T/gocache" GOPATH="$T/gopath" GOFLAGS=-mod=mod GOPROXY=off \
            CGO_ENABLED=0 go build -o "$L/usr/local/bin/hello" . >"$T/go.log" 2>&1); then
            have_go=1
        fi
    fi
    check "image: Go toolchain built a test binary" test "$have_go" = 1
    (cd "$L" && tar --owner=0 --group=0 -cf "$T/layer2.tar" .)
    # the same files as a root filesystem
    "$BULKHEAD" rootfs -q -f json -o "$T/layer2.json" "$L"
    check "rootfs binaries: the Java archive's package" test "$(json_field "$T/layer2.json" \
        '[(p["name"], p["version"], p["path"]) for p in d["targets"][0]["packages"] if p["type"] == "maven"]')" \
        = "[('org.example:demo', '4.5.6', 'app/demo-4.5.6.jar')]"
    check "rootfs binaries: the Go binary's main module" test "$(json_field "$T/layer2.json" \
        '[(p["version"], p["path"]) for p in d["targets"][0]["packages"] if p["name"] == "example.com/hello"]')" \
        = "[('(devel)', 'usr/local/bin/hello')]"
    python3 "$ROOT/tests/rootfs/mkarchive.py" "$T/image.tar" "$T/deb.tar" "$T/layer2.tar"
    "$BULKHEAD" image -q -f json -o "$T/image.json" "$T/image.tar"
    check "image debian: exit 0 or 1" test $? -le 1
    check "image debian: no report errors" test "$(json_field "$T/image.json" 'len(d["errors"])')" = 0
    mkdir -p "$T/admin"
    tar -xf "$T/deb.tar" -C "$T/admin" ./var/lib/dpkg/status 2>/dev/null ||
        tar -xf "$T/deb.tar" -C "$T/admin" var/lib/dpkg/status
    dpkg_installed --admindir="$T/admin/var/lib/dpkg" >"$T/image.want"
    name_version "$T/image.json" deb >"$T/image.got"
    check "image debian: expectation not empty" test -s "$T/image.want"
    if diff "$T/image.want" "$T/image.got" >"$T/image.diff"; then
        ok "image debian: packages equal dpkg-query -W inside it ($(wc -l <"$T/image.want"))"
    else
        not_ok "image debian: packages differ from dpkg-query: $(head -c 600 "$T/image.diff")"
    fi
    cfg=$(tar -xOf "$T/image.tar" manifest.json |
        python3 -c 'import json,sys; print("sha256:" + json.load(sys.stdin)[0]["Config"][:-5])')
    check "image debian: image_id is the config digest" \
        test "$(json_field "$T/image.json" 'd["targets"][0].get("image_id")')" = "$cfg"
    check "image debian: deb packages in layer 0" test "$(json_field "$T/image.json" \
        'all(p.get("layer") == 0 for p in d["targets"][0]["packages"] if p["type"] == "deb")')" = True
    check "image debian: the Java archive's package, layer 1" test "$(json_field "$T/image.json" \
        '[(p["name"], p["version"], p["layer"], p["path"]) for p in d["targets"][0]["packages"] if p["type"] == "maven"]')" \
        = "[('org.example:demo', '4.5.6', 1, 'app/demo-4.5.6.jar')]"
    if [ "$have_go" = 1 ]; then
        # the expectation from the Go toolchain's own reader
        go version -m "$L/usr/local/bin/hello" | awk '$1 == "mod" { print $2 "\t" $3 }' \
            >"$T/go.want"
        gov=$(go version "$L/usr/local/bin/hello" | awk '{ print $2 }')
        printf 'stdlib\tv%s\n' "${gov#go}" >>"$T/go.want"
        sort -o "$T/go.want" "$T/go.want"
        name_version "$T/image.json" golang >"$T/go.got"
        if diff "$T/go.want" "$T/go.got" >"$T/go.diff"; then
            ok "image debian: Go binary modules equal go version -m ($(wc -l <"$T/go.want"))"
        else
            not_ok "image debian: Go modules differ: $(head -c 400 "$T/go.diff")"
        fi
    fi
else
    not_ok "image debian: tests/images/debian-from-host.sh failed: $(tail -c 400 "$T/deb.log")"
fi
