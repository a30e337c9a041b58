#!/usr/bin/env bash
# The registry client (input/registry.c, net/http.c) against real registries on loopback:
# Debian's docker-registry three times (anonymous, htpasswd Basic auth, token auth with a
# token server started here), images pushed with skopeo, digests compared with what skopeo
# reports; then redirects and digest mismatches against a small fake registry
# (redirect.py). Needs REGFETCH (the regfetch test driver; default next to BULKHEAD under
# tests/). Network: 127.0.0.1 only. Everything started here is stopped on exit.
source "$(dirname "$0")/../../lib.sh"
HERE="$ROOT/tests/integration/registry"
REGFETCH=${REGFETCH:-$(dirname "$BULKHEAD")/tests/regfetch}
PY=/usr/bin/python3
ALPINE_GZ="$SHARED/testdata/images/trivy-fanal-testdata/alpine-311.tar.gz"
MULTI_OCI="$SHARED/testdata/images/stereoscope/pkg-image-oci-testdata/multiplatform_oci_dir"
USER_=tester
PASS_=s3cret-pw

missing=()
for t in docker-registry skopeo htpasswd openssl curl "$PY"; do
    command -v "$t" >/dev/null || missing+=("$t")
done
[ -x "$REGFETCH" ] || missing+=("REGFETCH=$REGFETCH (build with -Dtests=true)")
"$PY" -c 'import cryptography' 2>/dev/null || missing+=("python3-cryptography")
[ -f "$ALPINE_GZ" ] || missing+=("$ALPINE_GZ")
[ -d "$MULTI_OCI" ] || missing+=("$MULTI_OCI")
if [ ${#missing[@]} -ne 0 ]; then
    not_ok "registry: prerequisites missing: ${missing[*]}"
    exit 1
fi

work=$(mktemp -d)
pids=()
cleanup() {
    local p
    for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done
    for p in "${pids[@]}"; do wait "$p" 2>/dev/null; done
    rm -rf "$work"
}
trap cleanup EXIT

free_port() {
    "$PY" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}
wait_http() { # wait_http URL: until anything answers over HTTP (10 s)
    local i
    for i in $(seq 1 100); do
        curl -s -o /dev/null --max-time 1 "$1" && return 0
        sleep 0.1
    done
    return 1
}
start_registry() { # start_registry NAME PORT AUTH_YAML -> registry on 127.0.0.1:PORT
    local name=$1 port=$2 auth=$3
    mkdir -p "$work/$name/data"
    cat >"$work/$name/config.yml" <<EOF
version: 0.1
log:
  level: warn
storage:
  filesystem:
    rootdirectory: $work/$name/data
http:
  addr: 127.0.0.1:$port
$auth
EOF
    docker-registry serve "$work/$name/config.yml" >"$work/$name/log" 2>&1 &
    pids+=($!)
    wait_http "http://127.0.0.1:$port/v2/"
}
field() { # field NAME FILE: the value of the "NAME value" line
    sed -n "s/^$1 //p" "$2" | head -1
}
json_get() { # json_get PYEXPR < JSON
    "$PY" -c "import json,sys; d=json.load(sys.stdin); print($1)"
}
# check_image NAME OUT MANIFEST CONFIG: regfetch output OUT names manifest and config digests
# as expected, the config bytes hash to their digest, and every layer hashes to its digest.
check_image() {
    local name=$1 out=$2 want_m=$3 want_c=$4 m c cs nl bad
    m=$(field manifest "$out"); c=$(field config "$out"); cs=$(field config-sha256 "$out")
    if [ -n "$want_m" ] && [ "$m" = "$want_m" ]; then ok "$name: manifest digest $m"; else not_ok "$name: manifest digest '$m', want '$want_m'"; fi
    if [ -n "$want_c" ] && [ "$c" = "$want_c" ] && [ "$cs" = "$c" ]; then ok "$name: config digest verified ($c)"; else not_ok "$name: config '$c' (bytes hash to '$cs'), want '$want_c'"; fi
    nl=$(grep -c '^layer ' "$out")
    bad=$(awk '$1 == "layer" && $3 != $4' "$out")
    if [ "$nl" -gt 0 ] && [ -z "$bad" ]; then ok "$name: $nl layer stream(s) hash to their manifest digests"; else not_ok "$name: layers: $nl, mismatched: $bad"; fi
}
expect_fail() { # expect_fail NAME PATTERN CMD...: exit 2 and stderr matching PATTERN, no password
    local name=$1 pat=$2 rc; shift 2
    "$@" >"$work/ef.out" 2>"$work/ef.err"; rc=$?
    if [ $rc -eq 2 ] && grep -qE -- "$pat" "$work/ef.err" && ! grep -q -- "$PASS_" "$work/ef.err"; then
        ok "$name: exit 2: $(head -c 300 "$work/ef.err")"
    else
        not_ok "$name: exit $rc, stderr: $(head -c 300 "$work/ef.err") (want /$pat/)"
    fi
}

gunzip -c "$ALPINE_GZ" >"$work/alpine.tar" || { not_ok "registry: cannot gunzip $ALPINE_GZ"; exit 1; }

# ---------------------------------------------------------------- anonymous registry
P1=$(free_port)
if start_registry anon "$P1" ""; then ok "anon: docker-registry up on 127.0.0.1:$P1"; else not_ok "anon: docker-registry did not start: $(cat "$work/anon/log")"; exit 1; fi
R1=127.0.0.1:$P1
skopeo copy -q --dest-tls-verify=false docker-archive:"$work/alpine.tar" docker://$R1/test/alpine:3.11 >"$work/push.log" 2>&1 &&
    skopeo copy -q --all --dest-tls-verify=false oci:"$MULTI_OCI" docker://$R1/test/multi:latest >>"$work/push.log" 2>&1
check "anon: skopeo pushed alpine:3.11 and a two-platform OCI index" [ $? -eq 0 ]

alpine_m=$(skopeo inspect --tls-verify=false docker://$R1/test/alpine:3.11 | json_get 'd["Digest"]')
alpine_c=$(skopeo inspect --tls-verify=false --raw docker://$R1/test/alpine:3.11 | json_get 'd["config"]["digest"]')
skopeo inspect --tls-verify=false --raw docker://$R1/test/multi:latest >"$work/index.json"
index_d="sha256:$(sha256sum <"$work/index.json" | cut -d' ' -f1)"
amd64_m=$(json_get '[m["digest"] for m in d["manifests"] if m["platform"]["architecture"] == "amd64"][0]' <"$work/index.json")
arm64_m=$(json_get '[m["digest"] for m in d["manifests"] if m["platform"]["architecture"] == "arm64"][0]' <"$work/index.json")
amd64_c=$(skopeo inspect --tls-verify=false --raw docker://$R1/test/multi@"$amd64_m" | json_get 'd["config"]["digest"]')
arm64_c=$(skopeo inspect --tls-verify=false --raw docker://$R1/test/multi@"$arm64_m" | json_get 'd["config"]["digest"]')

"$REGFETCH" image --insecure $R1/test/alpine:3.11 >"$work/a.out" 2>"$work/a.err"
check "anon: resolve alpine:3.11 (exit 0)" [ $? -eq 0 ]
check_image "anon alpine" "$work/a.out" "$alpine_m" "$alpine_c"
check "anon alpine: no index for a plain manifest" [ "$(field index "$work/a.out")" = "-" ]

"$REGFETCH" image --insecure $R1/test/alpine@"$alpine_m" >"$work/ad.out" 2>&1
check_image "anon alpine by digest" "$work/ad.out" "$alpine_m" "$alpine_c"

case "$(uname -m)" in x86_64) host_m=$amd64_m host_c=$amd64_c ;; aarch64) host_m=$arm64_m host_c=$arm64_c ;; *) host_m="" host_c="" ;; esac
if [ -n "$host_m" ]; then
    "$REGFETCH" image --insecure $R1/test/multi >"$work/m.out" 2>&1
    check_image "anon multi (host platform, implicit latest)" "$work/m.out" "$host_m" "$host_c"
    check "anon multi: index digest is the index's sha256" [ "$(field index "$work/m.out")" = "$index_d" ]
fi
"$REGFETCH" image --insecure --platform linux/arm64 $R1/test/multi:latest >"$work/m2.out" 2>&1
check_image "anon multi --platform linux/arm64" "$work/m2.out" "$arm64_m" "$arm64_c"
"$REGFETCH" image --insecure --platform linux/amd64 $R1/test/multi:latest >"$work/m3.out" 2>&1
check_image "anon multi --platform linux/amd64" "$work/m3.out" "$amd64_m" "$amd64_c"
expect_fail "anon multi: no linux/s390x" "no image for platform 'linux/s390x'.*linux/amd64, linux/arm64" \
    "$REGFETCH" image --insecure --platform linux/s390x $R1/test/multi:latest
expect_fail "anon: unknown tag names the registry's error" "status 404 \(MANIFEST_UNKNOWN" \
    "$REGFETCH" image --insecure $R1/test/alpine:nope
expect_fail "anon: https is the default (the plain-http registry fails the TLS handshake)" "cannot fetch 'https://$R1/v2/" \
    "$REGFETCH" image $R1/test/alpine:3.11
expect_fail "--insecure refused for a non-loopback registry" "only for loopback" \
    "$REGFETCH" image --insecure registry.example.com/test/alpine:3.11

# ---------------------------------------------------------------- htpasswd (Basic auth)
P2=$(free_port)
htpasswd -Bbn "$USER_" "$PASS_" >"$work/htpasswd"
if start_registry basic "$P2" "auth:
  htpasswd:
    realm: bulkhead-test
    path: $work/htpasswd"; then ok "basic: docker-registry with htpasswd up on 127.0.0.1:$P2"; else not_ok "basic: did not start: $(cat "$work/basic/log")"; exit 1; fi
R2=127.0.0.1:$P2
skopeo copy -q --dest-tls-verify=false --dest-creds "$USER_:$PASS_" docker-archive:"$work/alpine.tar" docker://$R2/test/alpine:3.11 >"$work/push2.log" 2>&1
check "basic: skopeo pushed with credentials" [ $? -eq 0 ]
b_m=$(skopeo inspect --tls-verify=false --creds "$USER_:$PASS_" docker://$R2/test/alpine:3.11 | json_get 'd["Digest"]')
b_c=$(skopeo inspect --tls-verify=false --creds "$USER_:$PASS_" --raw docker://$R2/test/alpine:3.11 | json_get 'd["config"]["digest"]')

"$REGFETCH" image --insecure --user "$USER_" --pass "$PASS_" $R2/test/alpine:3.11 >"$work/b.out" 2>&1
check_image "basic: explicit credentials" "$work/b.out" "$b_m" "$b_c"
expect_fail "basic: wrong password refused" "authentication to '$R2' refused.*credentials from the given username" \
    "$REGFETCH" image --insecure --user "$USER_" --pass wrong-pw $R2/test/alpine:3.11
auth=$(printf '%s:%s' "$USER_" "$PASS_" | base64 -w0)
mkdir -p "$work/dc1" "$work/dc2" "$work/dc3"
printf '{"auths": {"other.example:5000": {"auth": "eDp5"}, "%s": {"auth": "%s"}}}\n' "$R2" "$auth" >"$work/dc1/config.json"
printf '{"auths": {"https://%s/v2/": {"auth": "%s"}}}\n' "$R2" "$auth" >"$work/dc2/config.json"
printf '{"auths": {"%s": {}}, "credsStore": "desktop"}\n' "$R2" >"$work/dc3/config.json"
"$REGFETCH" image --insecure --docker-config "$work/dc1/config.json" $R2/test/alpine:3.11 >"$work/b1.out" 2>&1
check_image "basic: credentials from config.json auths[host]" "$work/b1.out" "$b_m" "$b_c"
DOCKER_CONFIG="$work/dc2" HOME=/nonexistent "$REGFETCH" image --insecure $R2/test/alpine:3.11 >"$work/b2.out" 2>&1
check_image "basic: credentials from \$DOCKER_CONFIG, key https://host/v2/" "$work/b2.out" "$b_m" "$b_c"
expect_fail "basic: credsStore is named when auth fails" "credsStore \('desktop'\) is not run" \
    env DOCKER_CONFIG="$work/dc3" "$REGFETCH" image --insecure $R2/test/alpine:3.11
expect_fail "basic: no config, anonymous refused" "refused: basic authentication required \(no username given and no '" \
    env DOCKER_CONFIG="$work/none" "$REGFETCH" image --insecure $R2/test/alpine:3.11

# ---------------------------------------------------------------- token auth
P3=$(free_port); PT=$(free_port)
openssl req -x509 -newkey rsa:2048 -nodes -keyout "$work/token.key" -out "$work/token.crt" \
    -days 1 -subj /CN=bulkhead-test-token-issuer >/dev/null 2>&1
"$PY" "$HERE/tokenserver.py" "$PT" "$work/token.key" "$work/token.crt" bh-issuer "$USER_" "$PASS_" "$work/token.log" &
pids+=($!)
wait_http "http://127.0.0.1:$PT/" || not_ok "token: token server did not start"
if start_registry token "$P3" "auth:
  token:
    realm: http://127.0.0.1:$PT/token
    service: bh-registry
    issuer: bh-issuer
    rootcertbundle: $work/token.crt"; then ok "token: docker-registry with token auth up on 127.0.0.1:$P3"; else not_ok "token: did not start: $(cat "$work/token/log")"; exit 1; fi
R3=127.0.0.1:$P3
skopeo copy -q --dest-tls-verify=false --dest-creds "$USER_:$PASS_" docker-archive:"$work/alpine.tar" docker://$R3/test/alpine:3.11 >"$work/push3.log" 2>&1
check "token: skopeo pushed through the token flow" [ $? -eq 0 ]
t_m=$(skopeo inspect --tls-verify=false --creds "$USER_:$PASS_" docker://$R3/test/alpine:3.11 | json_get 'd["Digest"]')
t_c=$(skopeo inspect --tls-verify=false --creds "$USER_:$PASS_" --raw docker://$R3/test/alpine:3.11 | json_get 'd["config"]["digest"]')
: >"$work/token.log"
"$REGFETCH" image --insecure --user "$USER_" --pass "$PASS_" $R3/test/alpine:3.11 >"$work/t.out" 2>&1
check_image "token: bearer token from the realm" "$work/t.out" "$t_m" "$t_c"
check "token: asked for service=bh-registry and scope repository:test/alpine:pull with basic credentials" \
    grep -q '^/token?service=bh-registry&scope=repository%3Atest%2Falpine%3Apull auth=basic$' "$work/token.log"
expect_fail "token: wrong password refused by the token server" "refused: the token server refused" \
    "$REGFETCH" image --insecure --user "$USER_" --pass wrong-pw $R3/test/alpine:3.11
expect_fail "token: anonymous token grants nothing, refused" "refused: status 401 .* with a token" \
    env DOCKER_CONFIG="$work/none" "$REGFETCH" image --insecure $R3/test/alpine:3.11

# ---------------------------------------------------------------- redirects, fake registry
PO=$(free_port); PS=$(free_port)
"$PY" "$HERE/redirect.py" "$PO" "$PS" "$USER_" "$PASS_" "$work/redirect.log" "$work/fake.txt" &
pids+=($!)
wait_http "http://127.0.0.1:$PO/local" && wait_http "http://127.0.0.1:$PS/"
check "fake: origin and storage servers up" [ $? -eq 0 ]
O=http://127.0.0.1:$PO
H="Authorization: Bearer not-for-storage"
out=$("$REGFETCH" http --follow --drop-auth -H "$H" $O/redir 2>&1)
want="sha256:$(printf 'stored data\n' | sha256sum | cut -d' ' -f1)"
if printf '%s\n' "$out" | grep -qx "status 200" && printf '%s\n' "$out" | grep -qx "sha256 $want" &&
    ! grep -q LEAK "$work/redirect.log" && grep -q '^origin /redir auth=yes$' "$work/redirect.log"; then
    ok "http: 307 to another origin followed, Authorization sent to the first and not to the target"
else
    not_ok "http: drop_auth_on_redirect: $out / $(cat "$work/redirect.log")"
fi
out=$("$REGFETCH" http --follow -H "$H" $O/redir 2>&1)
if printf '%s\n' "$out" | grep -qx "status 400" && grep -q LEAK "$work/redirect.log"; then
    ok "http: without drop_auth_on_redirect the header does reach the target (the check above can fail)"
else
    not_ok "http: expected the storage server to see Authorization: $out"
fi
: >"$work/redirect.log"
out=$("$REGFETCH" http $O/redir 2>&1)
check "http: redirects not followed unless asked (status 307, Location kept)" \
    sh -c 'printf "%s\n" "$1" | grep -qx "status 307" && printf "%s\n" "$1" | grep -qx "location http://127.0.0.1:$2/data"' _ "$out" "$PS"
out=$("$REGFETCH" http --follow $O/rel 2>&1)
check "http: relative Location resolved against the request URL" \
    sh -c 'printf "%s\n" "$1" | grep -qx "status 200" && printf "%s\n" "$1" | grep -qx "effective-url $2/local"' _ "$out" "$O"
expect_fail "http: redirect loop stops at BH_MAX_HTTP_REDIRECTS" "more than 8 redirects" \
    "$REGFETCH" http --follow $O/loop
big_sha=$(field big-sha256 "$work/fake.txt"); big_n=$(field big-bytes "$work/fake.txt")
for mode in --stream ""; do
    out=$("$REGFETCH" http $mode $O/big 2>&1)
    if printf '%s\n' "$out" | grep -qx "sha256 $big_sha" && printf '%s\n' "$out" | grep -qx "bytes $big_n" &&
        printf '%s\n' "$out" | grep -qx "content-length $big_n"; then
        ok "http${mode:+ $mode}: $big_n-byte body intact (sha256 and Content-Length)"
    else
        not_ok "http${mode:+ $mode}: big body: $out"
    fi
done
: >"$work/redirect.log"
"$REGFETCH" image --insecure --user "$USER_" --pass "$PASS_" 127.0.0.1:$PO/fake/img:v1 >"$work/f.out" 2>&1
check_image "fake: basic auth, config and layer behind 307 redirects" "$work/f.out" \
    "$(field manifest "$work/fake.txt")" "$(field config "$work/fake.txt")"
if grep -q '^storage /layer?X-Sig=secret auth=no$' "$work/redirect.log" &&
    grep -q '^storage /config?X-Sig=secret auth=no$' "$work/redirect.log" && ! grep -q LEAK "$work/redirect.log"; then
    ok "fake: blob redirects reached storage without Authorization"
else
    not_ok "fake: blob redirect log: $(cat "$work/redirect.log")"
fi
expect_fail "fake: config whose bytes do not match its digest" "config from '127.0.0.1:$PO' has digest sha256:[0-9a-f]{64}, expected" \
    "$REGFETCH" image --insecure --user "$USER_" --pass "$PASS_" 127.0.0.1:$PO/fake/bad:v1
expect_fail "fake: manifest fetched by digest that does not match it" "manifest from '127.0.0.1:$PO' has digest" \
    "$REGFETCH" image --insecure --user "$USER_" --pass "$PASS_" 127.0.0.1:$PO/fake/bad@"$(field manifest "$work/fake.txt")"
