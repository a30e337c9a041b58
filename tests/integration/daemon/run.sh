#!/usr/bin/env bash
# tests/integration/daemon/run.sh - `docker:NAME` against a real engine. A private dockerd
# (tests/integration/lib.sh) gets the planted and clean images (mkimages.sh, no network);
# then:
# - input/daemon.c alone (the dsave driver): the stream equals `docker save` member by
#   member, for names with a registry and path, for IDs; a missing image is exit 2 "no such
#   image"; an unreachable engine is exit 2 naming the socket; bh_daemon_addr's parsing;
# - `bulkhead image -f json` on the same image as docker-save tar, OCI layout directory, OCI
#   tar and docker:NAME reports the same rule ids, every planted mistake's rule among them,
#   and none of them for the clean image.
source "$(dirname "$0")/../lib.sh"
source "$IT_LIB_DIR/mkimages.sh"
it_init daemon
# the dsave driver, built with the tests (tests/meson.build) next to $BULKHEAD under tests/
DSAVE=${DSAVE:-$(dirname "$BULKHEAD")/tests/dsave}
[ -x "$DSAVE" ] || it_fail "driver DSAVE=$DSAVE not built (meson -Dtests=true)"
unset DOCKER_HOST DOCKER_TLS_VERIFY DOCKER_CERT_PATH
start=$(it_time_ms)

# expect NAME WANT_RC WANT_TEXT CMD...: rc must be WANT_RC and stdout+stderr contain WANT_TEXT
expect() {
    local name=$1 want_rc=$2 want=$3 out rc; shift 3
    out=$("$@" 2>&1); rc=$?
    if [ "$rc" -eq "$want_rc" ] && [[ "$out" == *"$want"* ]]; then
        ok "daemon: $name"
    else
        not_ok "daemon: $name: exit $rc, wanted $want_rc and '$want' in: $(printf '%s' "$out" | head -c 400)"
    fi
}

# --- bh_daemon_addr (no engine needed)
expect "addr default socket" 0 "unix=/var/run/docker.sock url=http://localhost " "$DSAVE" -a
expect "addr DOCKER_HOST honoured" 0 "unix=- url=http://10.1.2.3:2375 " \
    env DOCKER_HOST=tcp://10.1.2.3 "$DSAVE" -a
expect "addr argument beats DOCKER_HOST" 0 "unix=/run/x.sock " \
    env DOCKER_HOST=tcp://10.1.2.3:1 "$DSAVE" -a unix:///run/x.sock
expect "addr ipv6 literal" 0 "url=http://[::1]:2375 " "$DSAVE" -a "tcp://[::1]:2375"
mkdir -p "$T/certs" && touch "$T/certs/ca.pem" "$T/certs/cert.pem" "$T/certs/key.pem"
expect "addr TLS files from DOCKER_CERT_PATH" 0 \
    "url=https://h:2376 ca=$T/certs/ca.pem cert=$T/certs/cert.pem key=$T/certs/key.pem" \
    env DOCKER_TLS_VERIFY=1 DOCKER_CERT_PATH="$T/certs" "$DSAVE" -a tcp://h
expect "addr TLS without the files is a usage error" 2 "$T/nocerts/ca.pem" \
    env DOCKER_TLS_VERIFY=1 DOCKER_CERT_PATH="$T/nocerts" "$DSAVE" -a tcp://h:2376
for bad in ssh://user@host npipe:////./pipe/docker_engine fd:// unix:// tcp://h:0 tcp://h:99999 \
    tcp://h/path "tcp://a b:1" http://h:2375; do
    expect "addr refuses '$bad'" 2 "docker host '$bad'" "$DSAVE" -a "$bad"
done

# --- images on a private engine
dockerd_start
t_engine=$(it_time_ms)
mk_planted || it_fail "building the planted image failed"
mk_clean || it_fail "building the clean image failed"
t_images=$(it_time_ms)
it_log "engine up in $((t_engine - start)) ms, images built in $((t_images - t_engine)) ms"
SOCK="unix://$T/d.sock"

# members NAME.tar -> "member sha256" lines, sorted (regular files only; directory mtimes
# and member order are not part of the promise)
members() {
    python3 - "$1" <<'EOF'
import hashlib, sys, tarfile
with tarfile.open(sys.argv[1]) as t:
    for m in sorted(t.getmembers(), key=lambda m: m.name):
        if m.isfile():
            print(m.name, hashlib.sha256(t.extractfile(m).read()).hexdigest())
EOF
}
member_sha() { tar -xOf "$1" "$2" | sha256sum | cut -d' ' -f1; }

# same_as_save NAME DSAVE_ARGS...: dsave's stream of NAME equals `docker save NAME`
same_as_save() {
    local name=$1 ref; shift
    ref="$T/ref.tar"
    dk save -o "$ref" "$name" || { not_ok "daemon: docker save $name"; return; }
    if ! "$DSAVE" "$@" >"$T/ds.tar" 2>"$T/ds.err"; then
        not_ok "daemon: stream of $name: $(head -c 400 "$T/ds.err")"
        return
    fi
    local a b
    a=$(member_sha "$T/ds.tar" manifest.json) b=$(member_sha "$ref" manifest.json)
    if [ -n "$a" ] && [ "$a" = "$b" ]; then
        ok "daemon: $name: manifest.json sha256 equals docker save's (${a:0:12})"
    else
        not_ok "daemon: $name: manifest.json sha256 '$a' != docker save's '$b'"
    fi
    if diff <(members "$T/ds.tar") <(members "$ref") >"$T/diff" 2>&1; then
        ok "daemon: $name: every member equals docker save's ($(members "$ref" | wc -l) files)"
    else
        not_ok "daemon: $name: members differ from docker save: $(head -c 400 "$T/diff")"
    fi
}
same_as_save planted:test -H "$SOCK" planted:test
# DOCKER_HOST instead of -H; a reference with registry, port and path ('/' and ':' escaped)
dk tag planted:test 127.0.0.1:5000/bh/team/planted:v1
DOCKER_HOST=$SOCK same_as_save 127.0.0.1:5000/bh/team/planted:v1 127.0.0.1:5000/bh/team/planted:v1
# the image really is the one named: RepoTags in the stream's manifest
if tar -xOf "$T/ds.tar" manifest.json | grep -q '"127.0.0.1:5000/bh/team/planted:v1"'; then
    ok "daemon: escaped name reaches the engine intact (RepoTags)"
else
    not_ok "daemon: RepoTags of the stream: $(tar -xOf "$T/ds.tar" manifest.json | head -c 300)"
fi
id=$(dk inspect --format '{{.Id}}' clean:test)
same_as_save "$id" -H "$SOCK" "$id"

expect "missing image is exit 2 'no such image'" 2 "no such image: nosuch:1" \
    "$DSAVE" -H "$SOCK" nosuch:1
expect "unreachable engine names the socket" 2 "unix://$T/nope.sock" \
    "$DSAVE" -H "unix://$T/nope.sock" planted:test
port=$(free_port)
expect "unreachable tcp engine names the address" 2 "http://127.0.0.1:$port" \
    "$DSAVE" -H "tcp://127.0.0.1:$port" planted:test
expect "empty name is a usage error" 2 "no image name" "$DSAVE" -H "$SOCK" ""
expect "control bytes in a name are refused" 2 "invalid image name" \
    "$DSAVE" -H "$SOCK" "$(printf 'a\033[31mb')"

# bounded memory: a 48 MiB layer of random bytes streams through in far less than 48 MiB
# (ASan's quarantine would keep freed chunks and hide the difference, so it is kept small)
mkdir -p "$T/big" && head -c $((48 * 1024 * 1024)) /dev/urandom >"$T/big/blob"
tar -C "$T/big" -cf - . | dk import - big:test >/dev/null && rm -rf "$T/big"
size=$(ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}quarantine_size_mb=1" \
    /usr/bin/time -f '%M' -o "$T/rss" "$DSAVE" -H "$SOCK" big:test | wc -c)
rss=$(tail -n 1 "$T/rss")
if [ "$size" -gt $((48 * 1024 * 1024)) ] && [ "${rss:-999999}" -lt $((40 * 1024)) ]; then
    ok "daemon: $((size / 1048576)) MiB image streamed with peak RSS ${rss} KiB"
else
    not_ok "daemon: big image: $size bytes streamed, peak RSS ${rss:-?} KiB (want < 40 MiB)"
fi
dk rmi big:test >/dev/null
t_driver=$(it_time_ms)

# --- bulkhead image on every form of the same image
rules_of() { # rules_of TARGET -> sorted unique rule ids of unsuppressed findings; rc kept
    local out rc
    out=$(DOCKER_HOST=$SOCK "$BULKHEAD" image -f json "$1" 2>"$T/bh.err"); rc=$?
    printf '%s' "$out" >"$T/bh.json"
    [ "$rc" -le 1 ] || return "$rc"
    python3 -c '
import json, sys
r = json.load(open(sys.argv[1]))
print(" ".join(sorted({f["rule"] for t in r["targets"] for f in t["findings"]
                       if f.get("suppressed") is None})))' "$T/bh.json"
}
# evidence_missing REPORT RULE=TEXT... -> " RULE=TEXT" for each pair no finding backs
evidence_missing() {
    python3 - "$@" <<'EOF'
import json, sys
r = json.load(open(sys.argv[1]))
fs = [f for t in r["targets"] for f in t["findings"] if f.get("suppressed") is None]
for pair in sys.argv[2:]:
    rule, text = pair.split("=", 1)
    if not any(f["rule"] == rule and (text in f.get("message", "")
               or text in (f.get("location") or {}).get("path", "")) for f in fs):
        print(" " + pair, end="")
EOF
}
if ! "$BULKHEAD" image --help >/dev/null 2>&1; then
    not_ok "daemon: 'bulkhead image' is not available in $BULKHEAD"
else
    base=""
    for target in "$T/planted.tar" "$T/planted-oci" "$T/planted-oci.tar" docker:planted:test; do
        got=$(rules_of "$target") || {
            not_ok "daemon: bulkhead image $target failed: $(head -c 400 "$T/bh.err")"
            continue
        }
        missing=$(evidence_missing "$T/bh.json" $PLANTED_EVIDENCE)
        if [ -z "$missing" ]; then
            ok "daemon: $(basename "$target"): every planted mistake reported where it is"
        else
            not_ok "daemon: $(basename "$target"): not reported:$missing (got: $got)"
        fi
        # the report names the secret variable but never carries its value
        if grep -qF "$PLANTED_SECRET" "$T/bh.json"; then
            not_ok "daemon: $(basename "$target"): the report contains the planted secret's value"
        else
            ok "daemon: $(basename "$target"): the planted secret's value is not in the report"
        fi
        # REF-* rules judge the reference itself (docker:planted:test is not pinned by digest);
        # a file has none, so they are left out of the comparison
        got=$(printf '%s\n' $got | grep -v '^REF-' | tr '\n' ' ')
        if [ -z "$base" ]; then
            base=$got
        elif [ "$got" = "$base" ]; then
            ok "daemon: $(basename "$target") gets the same rule ids as planted.tar (REF-* aside)"
        else
            not_ok "daemon: $(basename "$target") rule ids differ: '$got' vs planted.tar '$base'"
        fi
    done
    for target in "$T/clean.tar" docker:clean:test; do
        got=$(rules_of "$target") || {
            not_ok "daemon: bulkhead image $target failed: $(head -c 400 "$T/bh.err")"
            continue
        }
        extra=""
        for r in $CLEAN_NOT_RULES; do case " $got " in *" $r "*) extra+=" $r" ;; esac; done
        if [ -z "$extra" ]; then
            ok "daemon: $(basename "$target"): none of the planted rules (got: ${got:-nothing})"
        else
            not_ok "daemon: $(basename "$target"): clean image reports$extra"
        fi
    done
    out=$(DOCKER_HOST=$SOCK "$BULKHEAD" image docker:nosuch:1 2>&1); rc=$?
    if [ "$rc" -eq 2 ] && [[ "$out" == *"no such image"* ]]; then
        ok "daemon: bulkhead image docker:nosuch:1 is exit 2 'no such image'"
    else
        not_ok "daemon: bulkhead image docker:nosuch:1: exit $rc: $(printf '%s' "$out" | head -c 300)"
    fi
fi
end=$(it_time_ms)
it_log "daemon: engine $((t_engine - start)) ms, images $((t_images - t_engine)) ms," \
    "driver $((t_driver - t_images)) ms, bulkhead $((end - t_driver)) ms, total $((end - start)) ms"
