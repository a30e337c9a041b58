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
