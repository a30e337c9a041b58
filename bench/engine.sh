#!/usr/bin/env bash
# Engine benchmark (issue 6, acceptance 4). Starts a private dockerd (tests/integration/lib.sh:
# vfs storage, no iptables, no bridge, all state under one temporary directory; needs root),
# imports a busybox-static image (nothing pulled) and creates N containers (default 500) with
# settings that give the RUN-* rules work: privileged, published ports on 0.0.0.0 and [::],
# bind mounts (the engine socket, /etc), added capabilities, host network, root user with
# seccomp off, a hardened one, labels and environment; RUNNING of them (default 5) are started
# and one of those drops a file into /usr/local/bin (RUN-DRIFT reads /changes). Then, over R
# runs (default 5), each timed by wall clock:
#   floor     docker inspect $(docker ps -aq) > /dev/null   (the CLI lists, then inspects
#             every container - the least a tool that judges each container must fetch)
#   live      bulkhead engine --all --host unix://SOCK -f json > /dev/null
#   state-dir bulkhead engine --state-dir DATA-ROOT -f json > /dev/null   (no engine at all)
# and prints each run, the medians and the ratios bulkhead/floor (medians of the per-run
# ratios), plus bulkhead's CPU time and peak RSS. Method and figures:
# docs/internals/bench-engine.md.
#   sudo bash bench/engine.sh [N] [R]
# BULKHEAD=path overrides the binary (default: build/release/bulkhead, built if missing);
# RUNNING=K starts K containers; JOBS=P creates P containers at a time (default 2 x CPUs).
set -uo pipefail
cd "$(dirname "$0")/.." || exit 2
N=${1:-500}
R=${2:-5}
RUNNING=${RUNNING:-5}
JOBS=${JOBS:-$(($(nproc) * 2))}
[ "$N" -ge 10 ] || { echo "engine.sh: N must be at least 10" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "engine.sh: /usr/bin/time not found (apt-get install time)" >&2; exit 2; }
if [ -n "${BULKHEAD:-}" ]; then
    bh=$(realpath "$BULKHEAD")
else
    if [ -f build/release/build.ninja ]; then
        meson setup --reconfigure build/release >/dev/null
    else
        meson setup build/release --buildtype=release >/dev/null
    fi
    ninja -C build/release bulkhead >/dev/null || { echo "engine.sh: build failed" >&2; exit 2; }
    bh=$PWD/build/release/bulkhead
fi
export BULKHEAD=$bh
# shellcheck source=tests/integration/lib.sh
source tests/integration/lib.sh
# shellcheck source=tests/integration/mkimages.sh
source tests/integration/mkimages.sh
unset DOCKER_HOST DOCKER_TLS_VERIFY DOCKER_CERT_PATH
it_init engine-bench

med() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }
now() { date +%s.%N; }

echo "machine: $(nproc) CPUs, $(awk '/MemTotal/ {printf "%.0f GB", $2 / 1048576}' /proc/meminfo) RAM, load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "engine: $(dockerd --version); client: $("$DOCKER" --version)"
echo "bulkhead: $bh"
t_start=$(now)
dockerd_start "" # no daemon.json: the defaults
SOCK="unix://$T/d.sock"
mk_rootfs "$T/rootfs-bb" sh sleep true || it_fail "cannot build the busybox rootfs"
mk_import "$T/rootfs-bb" bb:1.0 'CMD ["sleep", "3600"]' || it_fail "docker import failed"

# One line of `docker create` arguments per container; ten kinds in turn. Nothing here is
# started except the RUNNING ones below: port publishers and socket mounts would bind host
# ports or create paths on this machine, and created containers are judged all the same.
for ((i = 0; i < N; i++)); do
    name=$(printf 'c%05d' "$i")
    case $((i % 10)) in
    0) extra="--privileged" ;;
    1) extra="-p 0.0.0.0:$((20000 + i)):80 -p 127.0.0.1:$((40000 + i)):81" ;;
    2) extra="-p [::]:$((20000 + i)):443 -e APP_MODE=prod" ;;
    3) extra="-v /var/run/docker.sock:/run/docker.sock" ;;
    4) extra="--cap-add SYS_ADMIN --cap-add NET_ADMIN -l tier=backend" ;;
    5) extra="--net=host -v /etc:/host/etc:ro" ;;
    6) extra="-u 0 --security-opt seccomp=unconfined --pid=host" ;;
    7) extra="--read-only --cap-drop ALL --security-opt no-new-privileges -u 1000:1000 --network none --memory 64m --pids-limit 64" ;;
    8) extra="--tmpfs /run -e TOKEN=x$i --restart unless-stopped" ;;
    9) extra="--ipc=host --device /dev/null:/dev/xnull" ;;
    esac
    echo "--name $name $extra bb:1.0 sleep 3600"
done >"$T/create.args"
t0=$(now)
# shellcheck disable=SC2016 # expanded by the inner shell
xargs -P "$JOBS" -L 1 sh -c 's=$1; shift; "$0" -H "$s" create "$@" >/dev/null || exit 255' \
    "$DOCKER" "$SOCK" \
    <"$T/create.args" 2>"$T/create.err" \
    || it_fail "docker create failed: $(head -c 400 "$T/create.err")"
# the running ones: plain sleepers; the first also drops an executable (RUN-DRIFT)
for ((i = 0; i < RUNNING; i++)); do
    name=$(printf 'r%02d' "$i")
    if [ "$i" -eq 0 ]; then
        dk run -d --name "$name" bb:1.0 sh -c 'echo x >/usr/local/bin/dropped; exec sleep 3600' \
            >/dev/null || it_fail "docker run $name failed"
    else
        dk run -d --name "$name" -u 0 bb:1.0 >/dev/null || it_fail "docker run $name failed"
    fi
done
t1=$(now)
# stop the sleepers at the end with KILL: sleep as PID 1 ignores TERM, so dockerd would wait 10s
it_defer "dk kill \$(dk ps -q) >/dev/null 2>&1"
total=$(dk ps -aq | wc -l)
[ "$total" -eq $((N + RUNNING)) ] || it_fail "wanted $((N + RUNNING)) containers, the engine has $total"
printf 'setup: engine and image %.1fs, %d containers created (%d running) in %.1fs with %d jobs\n' \
    "$(echo "$t0 - $t_start" | bc -l)" "$total" "$RUNNING" "$(echo "$t1 - $t0" | bc -l)" "$JOBS"

# scan OUT ARGS...: bulkhead engine -f json ARGS -> OUT; sets W (wall s), C (cpu s), M (peak RSS KB)
scan() {
    local out=$1 rc=0 a b; shift
    a=$(now)
    /usr/bin/time -f '%M %U %S' -o "$T/time" "$bh" engine -q -f json --exit-code 0 "$@" \
        >"$out" 2>"$T/scan.err" || rc=$?
    b=$(now)
    [ "$rc" -eq 0 ] || it_fail "bulkhead engine $* exited $rc: $(head -c 400 "$T/scan.err")"
    W=$(echo "$b - $a" | bc -l)
    read -r M C < <(tail -1 "$T/time" | awk '{print $1, $2 + $3}')
}
# a warm-up pass that also checks bulkhead judged every container and reported no error
for mode in live state; do
    if [ "$mode" = live ]; then scan "$T/$mode.json" --all --host "$SOCK"
    else scan "$T/$mode.json" --state-dir "$T/data"; fi
    read -r nt ne nf < <(python3 -c 'import json, sys
r = json.load(open(sys.argv[1]))
print(len(r["targets"]), len(r.get("errors", [])), sum(len(t["findings"]) for t in r["targets"]))' \
        "$T/$mode.json")
    if [ "${nt:-0}" -ne "$total" ] || [ "${ne:-1}" -ne 0 ]; then
        it_fail "$mode: ${nt:-?} targets and ${ne:-?} errors, wanted $total targets and none"
    fi
    echo "check $mode: $nt containers judged, $nf findings, no errors"
done
# shellcheck disable=SC2046 # one argument per id
"$DOCKER" -H "$SOCK" inspect $("$DOCKER" -H "$SOCK" ps -aq) >/dev/null || it_fail "docker inspect failed"

fl=() lv=() st=() rl=() rs=() lc=() sc=() lr=() sr=()
echo "runs: floor = docker inspect \$(docker ps -aq); live = engine --all --host; state = engine --state-dir"
for r in $(seq "$R"); do
    a=$(now)
    # shellcheck disable=SC2046 # one argument per id
    "$DOCKER" -H "$SOCK" inspect $("$DOCKER" -H "$SOCK" ps -aq) >/dev/null || it_fail "docker inspect failed"
    b=$(now)
    fl+=("$(echo "$b - $a" | bc -l)")
    scan /dev/null --all --host "$SOCK"
    lv+=("$W") lc+=("$C") lr+=("$M")
    scan /dev/null --state-dir "$T/data"
    st+=("$W") sc+=("$C") sr+=("$M")
    rl+=("$(echo "${lv[-1]} / ${fl[-1]}" | bc -l)") rs+=("$(echo "${st[-1]} / ${fl[-1]}" | bc -l)")
    printf 'run %d: floor %6.3fs | live %6.3fs (cpu %5.2fs, %3d MB) | state %6.3fs (cpu %5.2fs, %3d MB) | ratio live %.2f state %.2f\n' \
        "$r" "${fl[-1]}" "${lv[-1]}" "${lc[-1]}" $((lr[-1] / 1024)) "${st[-1]}" "${sc[-1]}" \
        $((sr[-1] / 1024)) "${rl[-1]}" "${rs[-1]}"
done
mf=$(med "${fl[@]}") ml=$(med "${lv[@]}") ms=$(med "${st[@]}")
printf 'median over %d runs, %d containers: floor %.3fs (%.2f ms/container); live %.3fs (%.2f ms/container, cpu %.2fs, peak RSS %.0f MB); state-dir %.3fs (%.2f ms/container, cpu %.2fs, peak RSS %.0f MB)\n' \
    "$R" "$total" "$mf" "$(echo "$mf * 1000 / $total" | bc -l)" "$ml" "$(echo "$ml * 1000 / $total" | bc -l)" \
    "$(med "${lc[@]}")" "$(echo "$(med "${lr[@]}") / 1024" | bc -l)" "$ms" \
    "$(echo "$ms * 1000 / $total" | bc -l)" "$(med "${sc[@]}")" "$(echo "$(med "${sr[@]}") / 1024" | bc -l)"
printf 'median ratio to the floor: live %.2f, state-dir %.2f\n' "$(med "${rl[@]}")" "$(med "${rs[@]}")"
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg); total $(printf '%.0f' "$(echo "$(now) - $t_start" | bc -l)")s"
