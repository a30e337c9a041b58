# tests/integration/lib.sh - shared by the integration tests (tests/integration/*/run.sh):
# a private, throw-away Docker engine and Docker registry per test, started and
# stopped by the test itself, with every byte of state under one temporary
# directory $T. Network use is loopback only.
#
#   source "$(dirname "$0")/../lib.sh"
#   it_init                      # $T, traps; fails (not skips) when not root
#   dockerd_start [daemon.json]  # engine on unix://$T/d.sock; dk ... runs the docker CLI on it
#   registry_start               # docker-registry on 127.0.0.1:$REG_PORT, storage in $T
#   (everything is stopped and removed on exit, also after a failure or a signal)
#
# Why these choices:
# - our own containerd: with no --containerd, dockerd 20.10 uses a system containerd when
#   /run/containerd/containerd.sock exists (a fresh CI VM with docker.io has one), which would
#   put task state outside $T and share the "moby" namespace with the system engine;
# - vfs storage needs no overlay/kernel support and is fine for images of a few MB;
# - --iptables=false --bridge=none: no host network changes; builds then run with no network;
# - mktemp -d /tmp/bh.XXXXXX keeps unix socket paths far below the 108-byte limit.
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"

IT_LIB_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# Debian's client (docker.io) matches the engine; a newer client elsewhere on PATH would
# prefer BuildKit/buildx, which this engine does not need.
if [ -z "${DOCKER:-}" ]; then
    if [ -x /usr/bin/docker ]; then DOCKER=/usr/bin/docker; else DOCKER=$(command -v docker); fi
fi
DOCKERD_TIMEOUT=${DOCKERD_TIMEOUT:-30}
T=""
IT_PIDS=()      # processes we started, stopped in reverse order
IT_DEFERRED=()  # extra cleanup commands (it_defer)

it_log() { echo "# $*" >&2; }

# it_fail MSG: a "not ok" line for the whole test, then exit (cleanup runs from the trap).
it_fail() {
    not_ok "$IT_NAME: $*"
    exit 1
}

# it_init NAME: create $T and install the traps. Integration tests need root (dockerd);
# without it they fail, saying so, rather than skip.
it_init() {
    IT_NAME=$1
    if [ "$(id -u)" -ne 0 ]; then not_ok "$IT_NAME: integration tests need root (dockerd)"; exit 1; fi
    local tool
    for tool in dockerd containerd "$DOCKER" docker-registry skopeo /bin/busybox curl python3 \
        openssl; do
        command -v "$tool" >/dev/null 2>&1 || { not_ok "$IT_NAME: $tool not installed"; exit 1; }
    done
    T=$(mktemp -d /tmp/bh.XXXXXX) || { not_ok "$IT_NAME: mktemp"; exit 1; }
    trap it_cleanup EXIT
    trap 'exit 130' INT
    trap 'exit 143' TERM
}

# it_defer CMD...: run CMD (eval'd) at cleanup, before the daemons stop.
it_defer() { IT_DEFERRED+=("$*"); }

# it_spawn NAME LOG CMD...: start CMD in the background, remember its pid.
it_spawn() {
    local name=$1 log=$2; shift 2
    "$@" >"$log" 2>&1 &
    IT_PIDS+=("$name:$!")
    eval "${name}_PID=$!"
}

# it_stop_pid PID [SECONDS]: TERM, wait, then KILL. Only pids we started are passed here.
it_stop_pid() {
    local pid=$1 secs=${2:-15} i
    kill -0 "$pid" 2>/dev/null || { wait "$pid" 2>/dev/null; return 0; }
    kill -TERM "$pid" 2>/dev/null
    for ((i = 0; i < secs * 10; i++)); do
        kill -0 "$pid" 2>/dev/null || break
        # our own children are reaped by wait; others (shims) just disappear
        sleep 0.1
    done
    if kill -0 "$pid" 2>/dev/null; then
        it_log "pid $pid did not stop in ${secs}s; killing it"
        kill -KILL "$pid" 2>/dev/null
    fi
    wait "$pid" 2>/dev/null
    return 0
}

it_cleanup() {
    local rc=$? i entry pid f mnt
    trap - EXIT INT TERM
    for ((i = ${#IT_DEFERRED[@]} - 1; i >= 0; i--)); do eval "${IT_DEFERRED[$i]}" || true; done
    # containerd shims of containers that survived the engine (a build killed midway)
    if [ -n "$T" ] && [ -d "$T/ctd" ]; then
        while IFS= read -r f; do
            pid=$(cat "$f" 2>/dev/null) && [ -n "$pid" ] && kill -KILL "$pid" 2>/dev/null
        done < <(find "$T/ctd" -name 'shim.pid' 2>/dev/null)
    fi
    for ((i = ${#IT_PIDS[@]} - 1; i >= 0; i--)); do
        entry=${IT_PIDS[$i]}
        it_stop_pid "${entry#*:}"
    done
    IT_PIDS=()
    if [ -n "$T" ] && [ -d "$T" ]; then
        # anything still mounted under $T (dockerd bind-mounts its data root; vfs and
        # container rootfs mounts after a crash), deepest first
        while IFS= read -r mnt; do
            umount -l "$mnt" 2>/dev/null || it_log "cannot unmount $mnt"
        done < <(awk -v t="$T" 'index($5, t "/") == 1 || $5 == t { print $5 }' /proc/self/mountinfo \
                 | sort -r)
        rm -rf "$T" 2>/dev/null || { chattr -R -i "$T" 2>/dev/null; rm -rf "$T"; }
        [ -e "$T" ] && it_log "could not remove $T"
    fi
    exit "$rc"
}

# free_port: a TCP port on 127.0.0.1 that was free a moment ago.
free_port() {
    python3 -c 'import socket
s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

# dk ARGS...: the docker CLI against the test engine.
dk() { "$DOCKER" -H "unix://$T/d.sock" "$@"; }

# dockerd_start [DAEMON_JSON]: containerd + dockerd with all state under $T. Waits until
# `docker info` answers (DOCKERD_TIMEOUT seconds); on failure prints the logs and fails.
dockerd_start() {
    local cfg=${1:-} i
    mkdir -p "$T/ctd" "$T/data" "$T/exec"
    cat >"$T/ctd/config.toml" <<EOF
version = 2
root = "$T/ctd/root"
state = "$T/ctd/state"
disabled_plugins = ["io.containerd.grpc.v1.cri"]
[grpc]
  address = "$T/ctd/c.sock"
[debug]
  address = "$T/ctd/debug.sock"
EOF
    it_spawn CONTAINERD "$T/containerd.log" containerd --config "$T/ctd/config.toml"
    for ((i = 0; i < DOCKERD_TIMEOUT * 10; i++)); do
        [ -S "$T/ctd/c.sock" ] && break
        kill -0 "$CONTAINERD_PID" 2>/dev/null || break
        sleep 0.1
    done
    if [ ! -S "$T/ctd/c.sock" ]; then
        it_log "containerd did not start; its log:"; sed 's/^/#   /' "$T/containerd.log" >&2
        it_fail "containerd did not start within ${DOCKERD_TIMEOUT}s"
    fi
    local args=(--storage-driver=vfs --iptables=false --ip-masq=false --bridge=none
                --data-root "$T/data" --exec-root "$T/exec" --pidfile "$T/docker.pid"
                --containerd "$T/ctd/c.sock" -H "unix://$T/d.sock")
    [ -n "$cfg" ] && args+=(--config-file "$cfg")
    it_spawn DOCKERD "$T/dockerd.log" dockerd "${args[@]}"
    for ((i = 0; i < DOCKERD_TIMEOUT * 10; i++)); do
        if ! kill -0 "$DOCKERD_PID" 2>/dev/null; then break; fi
        if [ -S "$T/d.sock" ] && dk info >/dev/null 2>&1; then return 0; fi
        sleep 0.1
    done
    it_log "dockerd did not answer; the last lines of its log:"
    tail -n 30 "$T/dockerd.log" | sed 's/^/#   /' >&2
    if kill -0 "$DOCKERD_PID" 2>/dev/null; then
        it_fail "dockerd did not answer 'docker info' within ${DOCKERD_TIMEOUT}s"
    fi
    it_fail "dockerd exited during start-up"
}

# dockerd_stop: stop the engine and its containerd now (cleanup would do it anyway).
dockerd_stop() {
    local keep=() entry
    [ -n "${DOCKERD_PID:-}" ] && it_stop_pid "$DOCKERD_PID"
    [ -n "${CONTAINERD_PID:-}" ] && it_stop_pid "$CONTAINERD_PID"
    for entry in "${IT_PIDS[@]}"; do
        case "$entry" in DOCKERD:* | CONTAINERD:*) ;; *) keep+=("$entry") ;; esac
    done
    IT_PIDS=("${keep[@]}")
    DOCKERD_PID="" CONTAINERD_PID=""
}

# registry_start [HTPASSWD_FILE [TLS_CERT TLS_KEY]]: the Debian docker-registry (distribution
# 2.8) on 127.0.0.1:$REG_PORT, storage under $T/registry. Sets REG_PORT and REG_ADDR
# (host:port) and REG_URL. With an htpasswd file (bcrypt: htpasswd -Bbn) it wants basic
# auth; with cert and key it speaks TLS only.
registry_start() {
    local htpasswd=${1:-} cert=${2:-} key=${3:-} i scheme=http
    REG_PORT=$(free_port)
    REG_ADDR="127.0.0.1:$REG_PORT"
    mkdir -p "$T/registry/data"
    {
        echo "version: 0.1"
        echo "log: {level: warn, accesslog: {disabled: true}}"
        echo "storage:"
        echo "  filesystem: {rootdirectory: $T/registry/data}"
        echo "  delete: {enabled: false}"
        echo "http:"
        echo "  addr: $REG_ADDR"
        if [ -n "$cert" ]; then echo "  tls: {certificate: $cert, key: $key}"; scheme=https; fi
        if [ -n "$htpasswd" ]; then
            echo "auth:"
            echo "  htpasswd: {realm: bulkhead-test, path: $htpasswd}"
        fi
    } >"$T/registry/config.yml"
    REG_URL="$scheme://$REG_ADDR"
    it_spawn REGISTRY "$T/registry.log" docker-registry serve "$T/registry/config.yml"
    for ((i = 0; i < 100; i++)); do
        kill -0 "$REGISTRY_PID" 2>/dev/null || break
        # 200 without auth, 401 with: either way it answers
        case "$(curl -sk -o /dev/null -w '%{http_code}' "$REG_URL/v2/")" in 200 | 401) return 0 ;; esac
        sleep 0.1
    done
    it_log "docker-registry did not answer on $REG_URL; its log:"
    tail -n 30 "$T/registry.log" | sed 's/^/#   /' >&2
    it_fail "docker-registry did not start on $REG_ADDR"
}

# it_time_ms: milliseconds since the epoch (for timing lines).
it_time_ms() { echo $(($(date +%s%N) / 1000000)); }

# --- more than one registry at a time (tests/integration/sources); added after the above.

# registry_start_named NAME [AUTH_YAML]: another docker-registry on 127.0.0.1 with its own
# storage under $T/reg-NAME and an optional `auth:` block (YAML, already indented by two
# spaces under `auth:`). Sets REG_ADDR_<NAME> (host:port); the process is stopped at cleanup.
registry_start_named() {
    local name=$1 auth=${2:-} port addr i dir
    port=$(free_port)
    addr="127.0.0.1:$port"
    dir="$T/reg-$name"
    mkdir -p "$dir/data"
    {
        echo "version: 0.1"
        echo "log: {level: warn, accesslog: {disabled: true}}"
        echo "storage:"
        echo "  filesystem: {rootdirectory: $dir/data}"
        echo "  delete: {enabled: false}"
        echo "http:"
        echo "  addr: $addr"
        if [ -n "$auth" ]; then echo "auth:"; printf '%s\n' "$auth"; fi
    } >"$dir/config.yml"
    it_spawn "REGISTRY_$name" "$dir/log" docker-registry serve "$dir/config.yml"
    printf -v "REG_ADDR_$name" '%s' "$addr"
    local pidvar="REGISTRY_${name}_PID"
    for ((i = 0; i < 100; i++)); do
        kill -0 "${!pidvar}" 2>/dev/null || break
        case "$(curl -s -o /dev/null -w '%{http_code}' "http://$addr/v2/")" in 200 | 401) return 0 ;; esac
        sleep 0.1
    done
    it_log "docker-registry $name did not answer on $addr; its log:"
    tail -n 30 "$dir/log" | sed 's/^/#   /' >&2
    it_fail "docker-registry $name did not start on $addr"
}

# registry_start_htpasswd NAME USER PASS: registry_start_named with Basic auth (bcrypt).
registry_start_htpasswd() {
    local name=$1 user=$2 pass=$3
    command -v htpasswd >/dev/null || it_fail "htpasswd not installed (apache2-utils)"
    mkdir -p "$T/reg-$name"
    htpasswd -Bbn "$user" "$pass" >"$T/reg-$name.htpasswd" || it_fail "htpasswd failed"
    registry_start_named "$name" "  htpasswd: {realm: bulkhead-test, path: $T/reg-$name.htpasswd}"
}

# registry_start_token NAME USER PASS: registry_start_named with token auth, plus the test
# token server (registry/tokenserver.py: RS256 JWTs for USER:PASS, an empty grant for
# anonymous clients) on its own port. Sets TOKEN_ADDR; token requests are logged to
# $T/token-NAME.log.
registry_start_token() {
    local name=$1 user=$2 pass=$3 i
    python3 -c 'import cryptography' 2>/dev/null || it_fail "python3-cryptography not installed"
    openssl req -x509 -newkey rsa:2048 -nodes -keyout "$T/token-$name.key" \
        -out "$T/token-$name.crt" -days 1 -subj /CN=bulkhead-test-token-issuer >/dev/null 2>&1 \
        || it_fail "openssl could not make the token signing certificate"
    TOKEN_ADDR="127.0.0.1:$(free_port)"
    it_spawn "TOKENSERVER_$name" "$T/token-$name.err" python3 "$IT_LIB_DIR/registry/tokenserver.py" \
        "${TOKEN_ADDR#*:}" "$T/token-$name.key" "$T/token-$name.crt" bh-issuer "$user" "$pass" \
        "$T/token-$name.log"
    for ((i = 0; i < 100; i++)); do
        curl -s -o /dev/null --max-time 1 "http://$TOKEN_ADDR/" && break
        sleep 0.1
    done
    curl -s -o /dev/null --max-time 1 "http://$TOKEN_ADDR/" \
        || it_fail "token server did not start: $(head -c 400 "$T/token-$name.err")"
    registry_start_named "$name" "  token:
    realm: http://$TOKEN_ADDR/token
    service: bh-registry
    issuer: bh-issuer
    rootcertbundle: $T/token-$name.crt"
}

# docker_config_auth DIR HOST USER PASS...: write DIR/config.json with `auths` entries for
# the HOST USER PASS triples (DOCKER_CONFIG=DIR then hands them to bulkhead).
docker_config_auth() {
    local dir=$1; shift
    mkdir -p "$dir"
    python3 - "$dir/config.json" "$@" <<'PYEOF'
import base64, json, sys
out, rest = sys.argv[1], sys.argv[2:]
auths = {}
for i in range(0, len(rest) - 2, 3):
    host, user, pw = rest[i:i + 3]
    auths[host] = {"auth": base64.b64encode(("%s:%s" % (user, pw)).encode()).decode()}
with open(out, "w") as f:
    json.dump({"auths": auths}, f)
PYEOF
    chmod 600 "$dir/config.json"
}
