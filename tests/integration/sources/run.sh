#!/usr/bin/env bash
# tests/integration/sources/run.sh - one image, every source, the same findings (issue 4,
# acceptance 1 and 2). A private dockerd (lib.sh) builds, with no network, the planted and
# clean busybox images (mkimages.sh) and a Debian image imported from this host's own
# packages (tests/images/debian-from-host.sh). Each image is then read by `bulkhead image
# -f json` as: docker-save archive, OCI layout dir (skopeo, layers as stored), OCI tar
# (skopeo, gzip layers), docker:NAME from the engine, and pushed with skopeo to three
# docker-registry instances on 127.0.0.1: anonymous (Docker v2 schema 2 manifest), htpasswd
# Basic auth and token (bearer) auth (both OCI manifests), credentials from a temporary
# DOCKER_CONFIG. Findings (rule, severity, message, location path and line; target name and
# digests normalised out, norm.py) must be identical across sources; REF-* rules only exist
# for references and are compared among those. Then: every planted mistake in every source,
# none for the clean image, no IMG-INTEGRITY for untampered images, and an archive with one
# flipped byte in a layer gives IMG-INTEGRITY (critical, exit 1) with all other findings kept.
source "$(dirname "$0")/../lib.sh"
source "$IT_LIB_DIR/mkimages.sh"
it_init sources
HERE="$ROOT/tests/integration/sources"
unset DOCKER_HOST DOCKER_TLS_VERIFY DOCKER_CERT_PATH
# one "now" for every scan, so IMG-AGE / IMG-EOL messages cannot differ by the clock
export SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-$(date +%s)}
USER_=tester
PASS_="pw-$RANDOM-$RANDOM"
start=$(it_time_ms)
lap() { it_log "$1: $(($(it_time_ms) - start)) ms"; }
SKOPEO=(skopeo --insecure-policy)

# the Debian rootfs needs no engine: make it while the engine and the busybox images come up
"$ROOT/tests/images/debian-from-host.sh" "$T/debian-rootfs.tar" >"$T/debian-rootfs.log" 2>&1 &
deb_pid=$!

dockerd_start
registry_start_named anon
registry_start_htpasswd basic "$USER_" "$PASS_"
registry_start_token token "$USER_" "$PASS_"
lap "engine and registries up"
mk_planted || it_fail "building the planted image failed"
mk_clean || it_fail "building the clean image failed"
wait "$deb_pid" || it_fail "debian-from-host.sh failed: $(tail -c 400 "$T/debian-rootfs.log")"
# a clean-ish image: no Dockerfile, only import --change (HEALTHCHECK is not accepted there
# by this engine, so a RUN-less build adds it, as mkimages.sh does for the clean image)
dk import --change 'USER 1000:1000' --change 'WORKDIR /' --change 'ENV LANG=C.UTF-8' \
    --change 'CMD ["/bin/bash"]' "$T/debian-rootfs.tar" debian-base:test >/dev/null \
    || it_fail "docker import of the Debian rootfs failed"
mk_build debian:test 'FROM debian-base:test
HEALTHCHECK --interval=30s --timeout=3s CMD ["/usr/bin/test", "-d", "/"]' \
    || it_fail "adding HEALTHCHECK to the Debian image failed"
dk save -o "$T/debian.tar" debian:test || it_fail "docker save debian:test"
lap "images built"

IMAGES="planted clean debian"
SOURCES="archive oci-dir oci-tar docker reg-anon reg-basic reg-bearer"
REF_SOURCES="docker reg-anon reg-basic reg-bearer"
docker_config_auth "$T/cfg-auth" "$REG_ADDR_basic" "$USER_" "$PASS_" \
    "$REG_ADDR_token" "$USER_" "$PASS_"
mkdir -p "$T/cfg-none" "$T/out"
echo '{"auths": {}}' >"$T/cfg-none/config.json"

# export IMAGE: OCI dir (layers as docker save stored them), OCI tar (gzip), three pushes.
# The anonymous push comes from the archive (skopeo compresses, v2s2 manifest); the others
# from the OCI tar (its gzip blobs are reused, OCI manifest).
export_image() {
    local n=$1 a="$T/$1.tar"
    rm -rf "$T/src-$n-oci"
    "${SKOPEO[@]}" copy -q docker-archive:"$a" oci:"$T/src-$n-oci:$n" || return 1
    "${SKOPEO[@]}" copy -q --dest-compress docker-archive:"$a" oci-archive:"$T/src-$n-oci.tar:$n" \
        || return 1
    "${SKOPEO[@]}" copy -q --dest-tls-verify=false docker-archive:"$a" \
        "docker://$REG_ADDR_anon/test/$n:1.0" &
    local p1=$!
    "${SKOPEO[@]}" copy -q --dest-tls-verify=false --dest-creds "$USER_:$PASS_" \
        oci-archive:"$T/src-$n-oci.tar:$n" "docker://$REG_ADDR_basic/test/$n:1.0" &
    local p2=$!
    "${SKOPEO[@]}" copy -q --dest-tls-verify=false --dest-creds "$USER_:$PASS_" \
        oci-archive:"$T/src-$n-oci.tar:$n" "docker://$REG_ADDR_token/test/$n:1.0" &
    local p3=$! rc=0
    wait $p1 || rc=1; wait $p2 || rc=1; wait $p3 || rc=1
    return $rc
}
pids=()
for n in $IMAGES; do
    export_image "$n" >"$T/export-$n.log" 2>&1 &
    pids+=($!)
done
i=0
for n in $IMAGES; do
    if wait "${pids[$i]}"; then ok "sources: $n exported (OCI dir, OCI tar, 3 registries)"
    else it_fail "exporting $n failed: $(head -c 600 "$T/export-$n.log")"; fi
    i=$((i + 1))
done
lap "images exported and pushed"

# target IMAGE SOURCE -> the TARGET string for bulkhead
target() {
    case $2 in
        archive) echo "$T/$1.tar" ;;
        oci-dir) echo "$T/src-$1-oci:$1" ;;
        oci-tar) echo "$T/src-$1-oci.tar" ;;
        docker) echo "docker:$1:test" ;;
        reg-anon) echo "$REG_ADDR_anon/test/$1:1.0" ;;
        reg-basic) echo "$REG_ADDR_basic/test/$1:1.0" ;;
        reg-bearer) echo "$REG_ADDR_token/test/$1:1.0" ;;
    esac
}
# scan IMAGE SOURCE: bulkhead's JSON report -> $T/out/IMAGE.SOURCE.{json,err,rc}
scan() {
    local n=$1 s=$2 cfg="$T/cfg-none" tgt
    tgt=$(target "$n" "$s")
    case $s in reg-basic | reg-bearer) cfg="$T/cfg-auth" ;; esac
    DOCKER_CONFIG=$cfg "$BULKHEAD" image -q -f json --insecure --host "unix://$T/d.sock" \
        "$tgt" >"$T/out/$n.$s.json" 2>"$T/out/$n.$s.err"
    echo $? >"$T/out/$n.$s.rc"
}
# the three images' scans run side by side; an image's sources one after another
for n in $IMAGES; do
    (for s in $SOURCES; do scan "$n" "$s"; done) &
    pids+=($!)
done
wait
lap "scans done"

# norm IMAGE SOURCE: normalised findings -> $T/out/IMAGE.SOURCE.{all,ref,img}; registry
# addresses become <REGISTRY>, the docker:NAME reference the registry's repository form
DIGEST_RULES=""
norm() {
    local n=$1 s=$2 tgt base="$T/out/$1.$2"
    tgt=$(target "$n" "$s")
    python3 "$HERE/norm.py" "$base.json" "$tgt" "$REG_ADDR_anon=<REGISTRY>" \
        "$REG_ADDR_basic=<REGISTRY>" "$REG_ADDR_token=<REGISTRY>" >"$base.all" 2>"$base.nerr" \
        || return 1
    DIGEST_RULES="$DIGEST_RULES $(sed -n 's/^digest //p' "$base.nerr")"
    grep -v '^REF-' "$base.all" >"$base.img"
    grep '^REF-' "$base.all" >"$base.ref"
    return 0
}
for n in $IMAGES; do
    for s in $SOURCES; do
        rc=$(cat "$T/out/$n.$s.rc")
        # findings or none; 2 = a target or layer could not be read, 3 = internal error
        if [ "$rc" -gt 1 ] || ! norm "$n" "$s"; then
            not_ok "sources: $n from $s: exit $rc: $(head -c 600 "$T/out/$n.$s.err")"
            : >"$T/out/$n.$s.img"; : >"$T/out/$n.$s.ref"; : >"$T/out/$n.$s.all"
            continue
        fi
        ok "sources: $n from $s: exit $rc, $(wc -l <"$T/out/$n.$s.all") findings"
    done
done

# same IMAGE KIND BASE OTHER: KIND (img|ref) findings of OTHER equal those of BASE
same() {
    local n=$1 k=$2 b=$3 o=$4 what="findings"
    [ "$k" = ref ] && what="REF-* findings"
    if diff -u "$T/out/$n.$b.$k" "$T/out/$n.$o.$k" >"$T/out/diff" 2>&1; then
        ok "sources: $n: $o $what identical to $b ($(wc -l <"$T/out/$n.$o.$k"))"
    else
        not_ok "sources: $n: $o $what differ from $b"
        sed 's/^/#   /' "$T/out/diff"
    fi
}
for n in $IMAGES; do
    for s in $SOURCES; do [ "$s" = archive ] || same "$n" img archive "$s"; done
    for s in $REF_SOURCES; do [ "$s" = reg-anon ] || same "$n" ref reg-anon "$s"; done
    # a finding set that is empty everywhere would compare equal and prove nothing
    check "sources: $n: archive findings not empty" [ -s "$T/out/$n.archive.img" ]
    for s in $SOURCES; do
        if grep -q '^IMG-INTEGRITY' "$T/out/$n.$s.all"; then
            not_ok "sources: $n from $s: IMG-INTEGRITY on an untampered image:"
            grep '^IMG-INTEGRITY' "$T/out/$n.$s.all" | sed 's/^/#   /'
        else
            ok "sources: $n from $s: no IMG-INTEGRITY"
        fi
    done
done

# has FILE RULE TEXT: a finding of RULE whose message or path contains TEXT
has() { awk -F'\t' -v r="$2" -v t="$3" '$1 == r && (index($3, t) || index($4, t)) { f = 1 }
    END { exit !f }' "$1"; }

# acceptance 2: every planted mistake from every source, with its evidence
for s in $SOURCES; do
    missing=""
    for ev in $PLANTED_EVIDENCE; do
        has "$T/out/planted.$s.all" "${ev%%=*}" "${ev#*=}" || missing="$missing $ev"
    done
    if [ -z "$missing" ]; then ok "sources: planted from $s: all planted mistakes found"
    else not_ok "sources: planted from $s: missing:$missing"; fi
    found=""
    for r in $CLEAN_NOT_RULES; do
        awk -F'\t' -v r="$r" '$1 == r { f = 1 } END { exit !f }' "$T/out/clean.$s.all" \
            && found="$found $r"
    done
    if [ -z "$found" ]; then ok "sources: clean from $s: none of the planted rules"
    else not_ok "sources: clean from $s: reported$found"; grep -F "$found" "$T/out/clean.$s.all" | sed 's/^/#   /'; fi
    # Debian: sanitised accounts, USER 1000, a HEALTHCHECK, no secrets
    found=""
    for r in IMG-UID0 IMG-EMPTYPW IMG-SECRET-ENV IMG-SECRET-FILE BUILD-USER OTH-HEALTH; do
        awk -F'\t' -v r="$r" '$1 == r { f = 1 } END { exit !f }' "$T/out/debian.$s.all" \
            && found="$found $r"
    done
    if [ -z "$found" ]; then ok "sources: debian from $s: no account, secret, user or healthcheck findings"
    else not_ok "sources: debian from $s: reported$found"; fi
done
# the reference rules fire for references only
for s in archive oci-dir oci-tar; do
    check "sources: planted from $s: no REF-* findings for a file target" [ ! -s "$T/out/planted.$s.ref" ]
done

# a tampered layer: one byte of app/run.sh in the first layer flipped, manifest untouched
if info=$(python3 "$HERE/tamper.py" "$T/planted.tar" "$T/tampered.tar" app/run.sh); then
    it_log "tampered: $info"
    "$BULKHEAD" image -q -f json "$T/tampered.tar" >"$T/out/tampered.archive.json" \
        2>"$T/out/tampered.archive.err"
    rc=$?
    check "sources: tampered archive: exit 1 (findings; the layer was still read)" [ "$rc" -eq 1 ]
    if python3 "$HERE/norm.py" "$T/out/tampered.archive.json" "$T/tampered.tar" \
        >"$T/out/tampered.all" 2>/dev/null; then
        awk -F'\t' '$1 == "IMG-INTEGRITY" && $2 == "critical"' "$T/out/tampered.all" >"$T/out/t.int"
        if [ -s "$T/out/t.int" ]; then
            ok "sources: tampered archive: IMG-INTEGRITY critical: $(cut -f3 "$T/out/t.int" | head -1)"
        else
            not_ok "sources: tampered archive: no critical IMG-INTEGRITY"
        fi
        grep -v '^IMG-INTEGRITY' "$T/out/tampered.all" | grep -v '^REF-' >"$T/out/tampered.archive.img"
        if diff -u "$T/out/planted.archive.img" "$T/out/tampered.archive.img" >"$T/out/diff"; then
            ok "sources: tampered archive: every other finding of the planted archive still there"
        else
            not_ok "sources: tampered archive: findings besides IMG-INTEGRITY differ from planted"
            sed 's/^/#   /' "$T/out/diff"
        fi
    else
        not_ok "sources: tampered archive: unreadable report (exit $rc): $(head -c 400 "$T/out/tampered.archive.err")"
    fi
else
    not_ok "sources: could not tamper with planted.tar"
fi

DIGEST_RULES=$(echo "$DIGEST_RULES" | tr ' ' '\n' | sort -u | grep . | tr '\n' ' ')
[ -n "$DIGEST_RULES" ] && it_log "rules whose messages/paths embed digests (normalised): $DIGEST_RULES"
lap "total"
