#!/usr/bin/env bash
# tests/integration/engine/run.sh - `bulkhead engine` against a real engine. A private dockerd
# (tests/integration/lib.sh) with a daemon.json gets a tiny busybox image (no network) and
# containers with known mistakes plus a hardened one; some are started. Then:
# - `bulkhead engine --host unix://$T/d.sock --all -f json` reports exactly the expected
#   (container, rule) pairs, and without --all only the running containers;
# - what only the live API shows is RUN-DRIFT: a running container that dropped a new
#   executable into /usr/local/bin (and one that wrote only to a tmpfs, a volume, /tmp and logs
#   does not drift), root and privileged exec sessions, a container whose image tag was moved
#   to a newer import, one whose image lost its tag (dangling); IMG-AGE of the containers'
#   images with the scan time moved 200 days on; REF-LATEST for a container of `bb` (latest);
# - `bulkhead engine --state-dir DATA-ROOT` reports the same pairs minus those live-only ones,
#   with no socket at all;
# - through a logging proxy socket (getproxy.py) the client sends only GET requests, and the
#   same pairs come back; a container that vanishes (the proxy answers its inspect with 404)
#   is a report error naming it (exit 2) while the others are still judged;
# - an unreachable engine and a missing state directory are exit 2 errors.
source "$(dirname "$0")/../lib.sh"
source "$IT_LIB_DIR/mkimages.sh"
it_init engine
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
unset DOCKER_HOST DOCKER_TLS_VERIFY DOCKER_CERT_PATH
start=$(it_time_ms)

# A daemon.json with weaknesses of its own (the host rules judge those; here it only has to be
# the configuration the containers are created under).
cat >"$T/daemon.json" <<'EOF'
{
  "insecure-registries": ["10.0.0.1:5000"],
  "log-level": "warn"
}
EOF
dockerd_start "$T/daemon.json"
DATA_ROOT="$T/data" # lib.sh: --data-root "$T/data"
SOCK="unix://$T/d.sock"

# bb:1.0: busybox-static with sh and sleep only, imported (nothing pulled)
mk_rootfs "$T/rootfs-bb" sh sleep true || it_fail "cannot build the busybox rootfs"
mk_import "$T/rootfs-bb" bb:1.0 'CMD ["sleep", "3600"]' || it_fail "docker import failed"

# mk NAME START ARGS...: create container NAME with ARGS (before the image), start it when
# START is "run". Port publishers and the socket mount are only created: starting them would
# bind host ports or make dockerd create /var/run/docker.sock as a directory on this host.
# The privileged and CAP_SYS_ADMIN ones are only created too: inside a container (CI) runc
# cannot grant capabilities it does not hold. Created containers are judged all the same.
mk() {
    local name=$1 how=$2; shift 2
    dk create --name "$name" "$@" bb:1.0 sleep 3600 >/dev/null || it_fail "create $name failed"
    if [ "$how" = run ]; then dk start "$name" >/dev/null || it_fail "start $name failed"; fi
}
mk priv created --privileged
mk sockmount created -v /var/run/docker.sock:/run/x.sock
mk hostnet run --net=host
mk capsys created --cap-add sys_admin
mk pub4 created -p 0.0.0.0:8080:80
mk pub6 created -p '[::]:8443:443'
mk rootuser run -u 0
mk noseccomp run --security-opt seccomp=unconfined
mk hardened run --read-only --cap-drop ALL --security-opt no-new-privileges -u 1000:1000 \
    --network none --cgroupns private --memory 64m --cpus 0.5 --pids-limit 64
# RUN-DRIFT material. drifter: a running container that drops a new executable into
# /usr/local/bin through docker exec (as the container's user, root).
mk drifter run
dk exec drifter sh -c '/bin/busybox cp /bin/busybox /usr/local/bin/x && /bin/busybox chmod +x /usr/local/bin/x' \
    || it_fail "docker exec into drifter failed"
# quietwriter: writes only to a tmpfs, a named volume, /tmp, a log and pid files - noise
# and mounts, so no drift (its own command writes, no exec session)
dk run -d --name quietwriter --tmpfs /scratch -v qvol:/data bb:1.0 sh -c '
    /bin/busybox mkdir -p /var/log /run /scratch/bin
    echo a >/scratch/bin/tool; echo b >/data/b.so; echo c >/tmp/c
    echo d >>/var/log/app.log; echo $$ >/run/app.pid; echo e >/var/app.pid
    echo done >/tmp/ready; exec sleep 3600' >/dev/null || it_fail "run quietwriter failed"
for ((i = 0; i < 100; i++)); do
    dk diff quietwriter 2>/dev/null | grep -q '/tmp/ready' && break
    sleep 0.1
done
# mover: its tag bb:moving is imported again after it was created (the tag points elsewhere)
mk_import "$T/rootfs-bb" bb:moving 'CMD ["sleep", "3600"]' || it_fail "import bb:moving failed"
dk create --name mover bb:moving >/dev/null || it_fail "create mover failed"
mk_import "$T/rootfs-bb" bb:moving 'CMD ["sleep", "3601"]' || it_fail "re-import bb:moving failed"
# orphan: its image's tag moved to another image, which was then removed, so the image it
# runs has no tag (a dangling image) and the tag names nothing
mk_import "$T/rootfs-bb" bb:orphan 'CMD ["sleep", "3602"]' || it_fail "import bb:orphan failed"
dk create --name orphan bb:orphan >/dev/null || it_fail "create orphan failed"
mk_import "$T/rootfs-bb" bb:orphan 'CMD ["sleep", "3603"]' || it_fail "re-import bb:orphan failed"
dk rmi bb:orphan >/dev/null || it_fail "rmi bb:orphan failed"
# rmimage: its image was removed with rmi --force (the engine lists it no more)
mk_import "$T/rootfs-bb" bb:gone 'CMD ["sleep", "3604"]' || it_fail "import bb:gone failed"
dk create --name rmimage bb:gone >/dev/null || it_fail "create rmimage failed"
dk rmi -f bb:gone >/dev/null || it_fail "rmi -f bb:gone failed"
# latest: created from `bb`, i.e. bb:latest (REF-LATEST through the same check as compose)
dk tag bb:1.0 bb:latest || it_fail "docker tag failed"
dk create --name latest bb sleep 3600 >/dev/null || it_fail "create latest failed"
RUNNING="drifter hardened hostnet noseccomp quietwriter rootuser"
# exec sessions still running while bulkhead reads (GET /exec/ID/json): as root in rootuser,
# privileged in hostnet (inside a CI container runc cannot grant the capabilities and the
# engine drops the failed session, so it is expected only when it started), none in hardened
# (its user is 1000)
dk exec -d -u 0 rootuser sleep 600 || it_fail "docker exec failed"
PRIVEXEC=1
dk exec -d --privileged -u 1000 hostnet sleep 600 2>"$T/privexec.err" || {
    PRIVEXEC=0
    it_log "privileged exec did not start (no privileged session to see): $(head -c 200 "$T/privexec.err")"
}
dk exec -d hardened sleep 600 || it_fail "docker exec into hardened failed"
t_setup=$(it_time_ms)
it_log "engine up and 15 containers made in $((t_setup - start)) ms"

# The findings each container must get, and no others. What `docker run` leaves at its
# defaults: OTH-LIMITS (no memory/CPU/PIDs limit), REF-DIGEST (bb:1.0 is a tag, not a digest),
# RUN-CAPDROP (default capabilities kept), RUN-NNP (no no-new-privileges), RUN-RWROOTFS
# (writable root filesystem), RUN-DEFBRIDGE (the default network mode) - the same as
# `bulkhead config` reports for the equivalent `docker run` line. An unset user is the
# image's (RUN-ROOT only for an explicit -u 0); --privileged is reported once, by RUN-PRIV,
# not again as kept capabilities or a missing no-new-privileges; a bind mount is also
# RUN-HOSTPATH (info).
D="OTH-LIMITS REF-DIGEST RUN-CAPDROP RUN-NNP RUN-RWROOTFS"
declare -A EXPECT=(
    [priv]="OTH-LIMITS REF-DIGEST RUN-RWROOTFS RUN-PRIV RUN-DEFBRIDGE"
    [sockmount]="$D RUN-SOCK RUN-HOSTPATH RUN-DEFBRIDGE"
    [hostnet]="$D RUN-HOSTNET"
    [capsys]="$D RUN-CAPADD RUN-DEFBRIDGE"
    [pub4]="$D RUN-PORTS-ALL RUN-DEFBRIDGE"
    [pub6]="$D RUN-PORTS-ALL RUN-DEFBRIDGE"
    [rootuser]="$D RUN-ROOT RUN-DEFBRIDGE"
    [noseccomp]="$D RUN-SECCOMP RUN-DEFBRIDGE"
    [hardened]="REF-DIGEST"
    [drifter]="$D RUN-DEFBRIDGE"
    [quietwriter]="$D RUN-DEFBRIDGE"
    [mover]="$D RUN-DEFBRIDGE"
    [orphan]="$D RUN-DEFBRIDGE"
    [rmimage]="$D RUN-DEFBRIDGE"
    [latest]="$D REF-LATEST RUN-DEFBRIDGE"
)
# What only the live API shows (changes, exec sessions, the image list): RUN-DRIFT.
declare -A LIVE=(
    [drifter]="RUN-DRIFT"
    [rootuser]="RUN-DRIFT"
    [mover]="RUN-DRIFT"
    [orphan]="RUN-DRIFT"
    [rmimage]="RUN-DRIFT"
)
[ "$PRIVEXEC" = 1 ] && LIVE[hostnet]="RUN-DRIFT"
# The cgroup namespace is the engine's choice unless given: dockerd 20.10 shares the host's on
# cgroup v1 hosts and makes a private one on cgroup v2. RUN-HOSTUSERNS is expected exactly for
# the containers the docker CLI says got the host's (the hardened one asks for a private one).
cgroupns_host() { [ "$(dk inspect -f '{{.HostConfig.CgroupnsMode}}' "$1")" = host ]; }

# expected live|offline [NAMES...]: the sorted "NAME RULE" lines for the named containers
expected() {
    local how=$1 n r
    shift
    for n in "$@"; do
        for r in ${EXPECT[$n]}; do echo "$n $r"; done
        if [ "$how" = live ]; then for r in ${LIVE[$n]:-}; do echo "$n $r"; done; fi
        if cgroupns_host "$n"; then echo "$n RUN-HOSTUSERNS"; fi
    done | sort -u
}
ALL_NAMES="priv sockmount hostnet capsys pub4 pub6 rootuser noseccomp hardened drifter \
quietwriter mover orphan rmimage latest"
# shellcheck disable=SC2086
expected live $ALL_NAMES >"$T/want-all"
# shellcheck disable=SC2086
expected offline $ALL_NAMES >"$T/want-offline"
# shellcheck disable=SC2086
expected live $RUNNING >"$T/want-running"
dk ps -a --no-trunc --format '{{.ID}} {{.Names}}' >"$T/ids"

# same NAME WANT GOT: GOT (pairs.py output) equals the WANT file
same() {
    local name=$1 want=$2 got=$3
    if diff -u "$want" "$got" >"$T/diff"; then
        ok "engine: $name ($(wc -l <"$want") container/rule pairs)"
    else
        not_ok "engine: $name: wanted (-) and got (+): $(grep '^[-+][^-+]' "$T/diff" | head -20 | tr '\n' ';')"
    fi
}

# scan NAME OUT WANT_RC ARGS...: bulkhead engine -f json ARGS > OUT; the exit code must be WANT_RC
scan() {
    local name=$1 out=$2 want_rc=$3 rc; shift 3
    "$BULKHEAD" engine -f json "$@" >"$out" 2>"$out.err"; rc=$?
    if [ "$rc" -ne "$want_rc" ]; then
        not_ok "engine: $name: exit $rc, wanted $want_rc: $(head -c 400 "$out.err")"
        return 1
    fi
    return 0
}

# --- live, every container, then running ones only
t0=$(it_time_ms)
if scan "live --all" "$T/live.json" 1 --host "$SOCK" --all; then
    python3 "$HERE/pairs.py" "$T/live.json" >"$T/got-live"
    same "live --all reports exactly the expected pairs" "$T/want-all" "$T/got-live"
fi
t_live=$(it_time_ms)
if scan "live running" "$T/running.json" 1 --host "$SOCK"; then
    python3 "$HERE/pairs.py" "$T/running.json" >"$T/got-running"
    same "live without --all: only the running containers" "$T/want-running" "$T/got-running"
fi
# the finding is located where the rule says: HostConfig.NetworkMode of the inspect document
if python3 - "$T/live.json" <<'EOF'; then ok "engine: RUN-DEFBRIDGE located at HostConfig.NetworkMode of 'container priv'"; else not_ok "engine: RUN-DEFBRIDGE location"; fi
import json, sys
rep = json.load(open(sys.argv[1]))
locs = [f["location"] for t in rep["targets"] if t["target"] == "container priv"
        for f in t["findings"] if f["rule"] == "RUN-DEFBRIDGE"]
sys.exit(0 if locs == [{"file": "container priv", "path": "HostConfig.NetworkMode"}] else 1)
EOF

# RUN-DRIFT says what it saw, at the severity and location each case has
if python3 - "$T/live.json" "$PRIVEXEC" <<'EOF'; then ok "engine: RUN-DRIFT names the new executable, the exec sessions, the moved tag and the dangling image"; else not_ok "engine: RUN-DRIFT messages"; fi
import json, sys
rep = json.load(open(sys.argv[1]))
got = {}
for t in rep["targets"]:
    for f in t["findings"]:
        if f["rule"] == "RUN-DRIFT":
            got.setdefault(t["target"][len("container "):], []).append(
                (f["severity"], f["message"], f["location"].get("path")))
want = {
    "drifter": [("high", "in 1 place that should not change at run time (1 executable): "
                 "/usr/local/bin/x (new executable)", None)],
    "rootuser": [("medium", "runs as root (user \"0\"): a command added after the start, "
                  "outside what the image runs: sleep 600", "ExecIDs")],
    "mover": [("medium", "the image tag now points elsewhere: 'bb:moving' names", "Image")],
    "orphan": [("low", "runs a dangling image", "Image")],
    "rmimage": [("low", "which the engine no longer lists", "Image")],
}
if sys.argv[2] == "1":
    want["hostnet"] = [("high", "is privileged (docker exec --privileged)", "ExecIDs")]
ok = True
for name, exp in want.items():
    for sev, text, path in exp:
        if not any(s == sev and text in m and p == path for s, m, p in got.get(name, [])):
            print("# %s: no %s RUN-DRIFT finding with %r at %r; got %r" % (
                name, sev, text, path, got.get(name)), file=sys.stderr)
            ok = False
# drifter: besides the new file only the (ended) root exec session that made it may be listed
for s, m, p in got.get("drifter", []):
    if "/usr/local/bin/x" not in m and "exec session" not in m:
        print("# drifter: unexpected %r" % m, file=sys.stderr)
        ok = False
    if "/usr/local/bin/x" in m and ("/usr/local/bin (" in m or "/usr (" in m):
        print("# drifter: directories named: %r" % m, file=sys.stderr)
        ok = False
sys.exit(0 if ok else 1)
EOF

# IMG-AGE: the containers' images were imported minutes ago; 200 days on every container of
# the live engine runs an image older than the default 90 days, and a policy allowing 365
# days silences it again.
later=$(($(date +%s) + 200 * 86400))
if SOURCE_DATE_EPOCH=$later scan "200 days on" "$T/aged.json" 1 --host "$SOCK" --all; then
    python3 "$HERE/pairs.py" "$T/aged.json" | grep ' IMG-AGE$' >"$T/got-aged"
    # (not rmimage: the engine no longer lists its image, so nothing dates it)
    for n in $ALL_NAMES; do [ "$n" = rmimage ] || echo "$n IMG-AGE"; done | sort >"$T/want-aged"
    same "IMG-AGE for every container's image 200 days on" "$T/want-aged" "$T/got-aged"
fi
printf 'images:\n  max_age_days: 365\n' >"$T/policy.yaml"
if SOURCE_DATE_EPOCH=$later scan "200 days on, policy 365" "$T/aged2.json" 1 --host "$SOCK" \
    --all --policy "$T/policy.yaml"; then
    if python3 "$HERE/pairs.py" "$T/aged2.json" | grep -q ' IMG-AGE$'; then
        not_ok "engine: IMG-AGE despite images.max_age_days: 365"
    else
        ok "engine: images.max_age_days: 365 keeps IMG-AGE quiet 200 days on"
    fi
fi

# --- offline, from the data-root: the same pairs, targets named by config.v2.json paths
t1=$(it_time_ms)
if scan "state-dir" "$T/offline.json" 1 --state-dir "$DATA_ROOT"; then
    python3 "$HERE/pairs.py" "$T/offline.json" "$T/ids" >"$T/got-offline"
    same "--state-dir reports the live API's pairs but RUN-DRIFT" "$T/want-offline" \
        "$T/got-offline"
fi
t_off=$(it_time_ms)
it_log "live scan $((t_live - t0)) ms, offline scan $((t_off - t1)) ms"

# --- GET only: every request through a logging proxy
it_spawn PROXY "$T/proxy.err" python3 "$HERE/getproxy.py" "$T/p.sock" "$T/d.sock" "$T/requests.log"
for ((i = 0; i < 50; i++)); do [ -S "$T/p.sock" ] && break; sleep 0.1; done
[ -S "$T/p.sock" ] || it_fail "the proxy did not start: $(head -c 300 "$T/proxy.err")"
: >"$T/requests.log"
if scan "through the proxy" "$T/proxied.json" 1 --host "unix://$T/p.sock" --all; then
    python3 "$HERE/pairs.py" "$T/proxied.json" >"$T/got-proxied"
    same "through the proxy: the same pairs" "$T/want-all" "$T/got-proxied"
fi
nreq=$(wc -l <"$T/requests.log")
nonget=$(grep -cv '^GET ' "$T/requests.log")
# /version, the list, 15 inspects, the changes of 6 running containers, 2+ execs, /images/json
if [ "$nreq" -ge 25 ] && [ "$nonget" -eq 0 ]; then
    ok "engine: the client sent only GET ($nreq requests)"
else
    not_ok "engine: GET only: $nreq requests, $nonget not GET: $(grep -v '^GET ' "$T/requests.log" | head -5 | tr '\n' ';')"
fi
for want in "/version" "/containers/json?all=1" "/images/json" "/changes" "/exec/"; do
    if grep -qF -- "$want" "$T/requests.log"; then
        ok "engine: request for $want seen"
    else
        not_ok "engine: no request for $want in: $(head -c 300 "$T/requests.log" | tr '\n' ';')"
    fi
done
# --state-dir never talks to an engine, even with DOCKER_HOST pointing at the proxy
: >"$T/requests.log"
DOCKER_HOST="unix://$T/p.sock" "$BULKHEAD" engine -q -f json --state-dir "$DATA_ROOT" >/dev/null 2>&1
if [ ! -s "$T/requests.log" ]; then
    ok "engine: --state-dir sends no request"
else
    not_ok "engine: --state-dir sent: $(head -3 "$T/requests.log" | tr '\n' ';')"
fi
it_stop_pid "$PROXY_PID"

# --- a container that vanishes between the list and its inspect
gone_id=$(awk '$2 == "pub6" { print $1 }' "$T/ids")
it_spawn PROXY2 "$T/proxy2.err" python3 "$HERE/getproxy.py" "$T/p2.sock" "$T/d.sock" \
    "$T/requests2.log" "$gone_id"
for ((i = 0; i < 50; i++)); do [ -S "$T/p2.sock" ] && break; sleep 0.1; done
if scan "vanished container" "$T/gone.json" 2 --host "unix://$T/p2.sock" --all; then
    python3 "$HERE/pairs.py" "$T/gone.json" >"$T/got-gone"
    grep -v '^ERROR ' "$T/got-gone" >"$T/got-gone-pairs"
    grep -v '^pub6 ' "$T/want-all" >"$T/want-gone"
    same "a vanished container: the others are still judged" "$T/want-gone" "$T/got-gone-pairs"
    if grep -q '^ERROR container pub6: .*no such container' "$T/got-gone"; then
        ok "engine: a vanished container is a report error naming it"
    else
        not_ok "engine: vanished container error: $(grep '^ERROR' "$T/got-gone" | head -3)"
    fi
fi
it_stop_pid "$PROXY2_PID"

# --- engines and directories that cannot be read
if scan "unreachable engine" "$T/nope.json" 2 --host "unix://$T/nope.sock"; then
    if grep -q "cannot reach the docker engine at unix://$T/nope.sock" "$T/nope.json"; then
        ok "engine: an unreachable engine is exit 2 naming the address"
    else
        not_ok "engine: unreachable engine message: $(head -c 300 "$T/nope.json")"
    fi
fi
scan "missing state dir" "$T/nodir.json" 2 --state-dir "$T/no-such-dir" \
    && ok "engine: a missing state directory is exit 2"
"$BULKHEAD" engine --state-dir "$DATA_ROOT" --host "$SOCK" >/dev/null 2>&1; rc=$?
if [ "$rc" -eq 2 ]; then
    ok "engine: --state-dir with --host is a usage error"
else
    not_ok "engine: --state-dir with --host: exit $rc, wanted 2"
fi

dockerd_stop
it_log "engine test took $(($(it_time_ms) - start)) ms"
