#!/usr/bin/env bash
# tests/integration/sources/run.sh - one image, every source, the same findings (issue 4,
# acceptance 1 and 2). A private dockerd (lib.sh) builds, with no network, the planted and
# clean busybox images (mkimages.sh) and a Debian image imported from this host's own
# packages (tests/images/debian-from-host.sh). Each image is then read by `bulkhead image
# -f json` as: docker-save archive (plain layers), OCI layout dir (skopeo, gzip layers), OCI
# tar (skopeo, zstd layers), docker:NAME from the engine, and pushed with skopeo to three
# docker-registry instances on 127.0.0.1: anonymous (Docker v2 schema 2, gzip), htpasswd
# Basic auth and token (bearer) auth (both OCI, zstd), credentials from a temporary
# DOCKER_CONFIG. Findings (rule, severity, message, location path and line; target name and
# digests normalised out, norm.py) must be identical across sources; REF-* rules only exist
# for references and are compared among those. Then: every planted mistake in every source,
# none for the clean image, no IMG-INTEGRITY for untampered images, and an archive with one
# flipped byte in a layer gives IMG-INTEGRITY (critical, exit 1) with all other findings kept.
# Layer digests in messages differ by source (blob digest of a plain vs a compressed layer)
# and are normalised; the rules that carry them are logged. SOURCES_KEEP=DIR keeps reports.
# REG_ADDR_* are set by registry_start_named (printf -v); it_defer commands expand later
# shellcheck disable=SC2154,SC2016
source "$(dirname "$0")/../lib.sh"
source "$IT_LIB_DIR/mkimages.sh"
it_init sources
HERE="$ROOT/tests/integration/sources"
cd "$T" || it_fail "cd $T"  # no .bulkheadignore of the caller's directory applies
unset DOCKER_HOST DOCKER_TLS_VERIFY DOCKER_CERT_PATH
# one "now" for every scan, so IMG-AGE / IMG-EOL messages cannot differ by the clock
export SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-$(date +%s)}
USER_=tester
PASS_="pw-$RANDOM-$RANDOM"
start=$(it_time_ms)
# SOURCES_KEEP=DIR: keep the reports (and normalised findings) in DIR for a post-mortem
[ -n "${SOURCES_KEEP:-}" ] && it_defer 'rm -rf "$SOURCES_KEEP" && cp -r "$T/out" "$SOURCES_KEEP"'
lap() { it_log "$1: $(($(it_time_ms) - start)) ms"; }
it_defer 'lap "checks done, cleaning up"'
SKOPEO=(skopeo --insecure-policy)

IMAGES="planted clean debian"
SOURCES="archive oci-dir oci-tar docker reg-anon reg-basic reg-bearer"
REF_SOURCES="docker reg-anon reg-basic reg-bearer"

# the Debian rootfs needs no engine: make it while the engine and the other images come up
( if "$ROOT/tests/images/debian-from-host.sh" "$T/debian-rootfs.tar" >"$T/debian-rootfs.log" 2>&1
  then touch "$T/debian-rootfs.ok"; else touch "$T/debian-rootfs.failed"; fi ) &
deb_pid=$!
it_defer 'wait "$deb_pid" 2>/dev/null'  # (a few seconds) so cleanup does not race its writes

dockerd_start
registry_start_named anon
registry_start_htpasswd basic "$USER_" "$PASS_"
registry_start_token token "$USER_" "$PASS_"
docker_config_auth "$T/cfg-auth" "$REG_ADDR_basic" "$USER_" "$PASS_" \
    "$REG_ADDR_token" "$USER_" "$PASS_"
mkdir -p "$T/cfg-none" "$T/out"
echo '{"auths": {}}' >"$T/cfg-none/config.json"
lap "engine and registries up"

# mk_debian: a clean-ish image. import --change sets a non-root USER; the HEALTHCHECK comes
# from a RUN-less build so that history[] records it too: skopeo's conversion to an OCI
# config drops the Healthcheck field (the OCI image spec has none), so an import-only
# HEALTHCHECK would make the OCI copies a different image (OTH-HEALTH there, not in the
# docker-save archive).
mk_debian() {
    while [ ! -e "$T/debian-rootfs.ok" ]; do
        if [ -e "$T/debian-rootfs.failed" ]; then
            it_log "debian-from-host.sh failed: $(tail -c 400 "$T/debian-rootfs.log")"
            return 1
        fi
        sleep 0.1
    done
    dk import --change 'USER 1000:1000' --change 'WORKDIR /' --change 'ENV LANG=C.UTF-8' \
        --change 'CMD ["/bin/bash"]' "$T/debian-rootfs.tar" debian-base:test >/dev/null || return 1
    rm -f "$T/debian-rootfs.tar"
    mk_build debian:test 'FROM debian-base:test
HEALTHCHECK --interval=30s --timeout=3s CMD ["/usr/bin/test", "-d", "/"]' || return 1
    dk save -o "$T/debian.tar" debian:test
}

# export IMAGE: OCI dir (skopeo 1.9 always gzips for oci:), OCI tar (zstd), three pushes.
# The anonymous push comes from the archive (skopeo gzips, Docker v2 schema 2 manifest); the
# others from the OCI tar (its zstd blobs are reused, OCI manifest). So the layers are read
# uncompressed (archive, docker:NAME), gzip and zstd, from files, the engine and registries.
export_image() {
    local n=$1 a="$T/$1.tar"
    rm -rf "$T/src-$n-oci"
    "${SKOPEO[@]}" copy -q docker-archive:"$a" oci:"$T/src-$n-oci:$n" || return 1
    "${SKOPEO[@]}" copy -q --dest-compress --dest-compress-format zstd docker-archive:"$a" \
        oci-archive:"$T/src-$n-oci.tar:$n" || return 1
    # the media types the comparison relies on (a skopeo that chose otherwise would make
    # this test weaker without saying so)
    python3 - "$T/src-$n-oci" "$T/src-$n-oci.tar" <<'PYEOF' || return 1
import json, sys, tarfile
def layers(read):
    idx = json.loads(read("index.json"))
    m = json.loads(read("blobs/sha256/" + idx["manifests"][0]["digest"][7:]))
    return {l["mediaType"] for l in m["layers"]}
d = layers(lambda p: open(sys.argv[1] + "/" + p, "rb").read())
t = tarfile.open(sys.argv[2])
z = layers(lambda p: t.extractfile(p).read())
if d != {"application/vnd.oci.image.layer.v1.tar+gzip"} or z != {"application/vnd.oci.image.layer.v1.tar+zstd"}:
    sys.exit("unexpected layer media types: OCI dir %s, OCI tar %s" % (d, z))
PYEOF
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

# pipeline IMAGE: build, tag for docker:NAME (under the registry's repository and tag, so
# REF-* messages compare equal), export; the three images side by side
pipeline() {
    local n=$1
    case $n in
        planted) mk_planted && echo "$PLANTED_SECRET" >"$T/planted.secret" ;;
        clean) mk_clean ;;
        debian) mk_debian ;;
    esac || { it_log "building $n failed"; return 1; }
    dk tag "$n:test" "test/$n:1.0" || return 1
    export_image "$n" || { it_log "exporting $n failed"; return 1; }
}
pids=()
for n in $IMAGES; do
    pipeline "$n" >"$T/pipeline-$n.log" 2>&1 &
    pids+=($!)
done
i=0 failed=""
for n in $IMAGES; do  # all of them waited for before failing: cleanup must not race them
    if wait "${pids[$i]}"; then ok "sources: $n built and exported (archive, OCI dir, OCI tar, 3 registries)"
    else
        not_ok "sources: $n: $(tail -c 800 "$T/pipeline-$n.log")"
        failed="$failed $n"
    fi
    i=$((i + 1))
done
[ -z "$failed" ] || it_fail "building or exporting failed for:$failed"
wait "$deb_pid"
lap "images built, exported and pushed"

# target IMAGE SOURCE -> the TARGET string for bulkhead
target() {
    case $2 in
        archive) echo "$T/$1.tar" ;;
        oci-dir) echo "$T/src-$1-oci:$1" ;;
        oci-tar) echo "$T/src-$1-oci.tar" ;;
        docker) echo "docker:test/$1:1.0" ;;
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
# (not a bare wait: that would wait for the engine and registries too)
for p in "${pids[@]}"; do wait "$p"; done
lap "scans done"

# norm IMAGE SOURCE: normalised findings -> $T/out/IMAGE.SOURCE.{all,ref,img}; registry
# addresses become <REGISTRY>, the docker:NAME reference the registry's repository form
DIGEST_RULES=""
norm() {
    local n=$1 s=$2 tgt base="$T/out/$1.$2"
    tgt=$(target "$n" "$s")
    python3 "$HERE/norm.py" "$base.json" "$tgt" "${tgt#docker:}=<TARGET>" "$REG_ADDR_anon=<REGISTRY>" \
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
        # findings or none; 2 = a target or layer could not be read, 3 = internal error;
        # a sanitizer report (ASan exits 1 by default) is a failure whatever the code
        if [ "$rc" -gt 1 ] || grep -qE 'Sanitizer|runtime error:' "$T/out/$n.$s.err" \
            || ! norm "$n" "$s"; then
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
    # a finding set that is empty everywhere would compare equal and prove nothing, except
    # for the clean image, which must have none at all (REF-* judge the reference, not it)
    if [ "$n" = clean ]; then
        for s in $SOURCES; do
            if [ -s "$T/out/$n.$s.img" ]; then
                not_ok "sources: clean from $s: findings for the clean image:"
                sed 's/^/#   /' "$T/out/$n.$s.img"
            else
                ok "sources: clean from $s: no findings (besides REF-* for references)"
            fi
        done
    else
        check "sources: $n: archive findings not empty" [ -s "$T/out/$n.archive.img" ]
    fi
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
# the ENV secret and the private key are named, never shown
secret=$(cat "$T/planted.secret")
key_line=$(sed -n 2p "$T/rootfs-planted/root/.ssh/id_rsa" 2>/dev/null)
for s in $SOURCES; do
    if [ -z "$secret" ] || [ -z "$key_line" ]; then
        not_ok "sources: planted: the planted secret or key is unknown"; break
    fi
    if grep -qF -e "$secret" -e "$key_line" "$T/out/planted.$s.json"; then
        not_ok "sources: planted from $s: the report contains the planted secret or key material"
    else
        ok "sources: planted from $s: report redacts the ENV secret and the key"
    fi
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
    grep -qE 'Sanitizer|runtime error:' "$T/out/tampered.archive.err" && rc=99
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
# which of them differ between a plain (archive) and a gzip (registry) copy of one image
for s in archive reg-anon; do
    NORM_RAW=1 python3 "$HERE/norm.py" "$T/out/planted.$s.json" "$(target planted "$s")" \
        "${REG_ADDR_anon}=<REGISTRY>" >"$T/out/planted.$s.raw" 2>/dev/null
done
dep=$(diff "$T/out/planted.archive.raw" "$T/out/planted.reg-anon.raw" | sed -n 's/^[<>] //p' \
      | cut -f1 | grep -v '^REF-' | sort -u | tr '\n' ' ')
if [ -n "$dep" ]; then it_log "rules whose messages carry source-dependent (blob) digests: $dep"; fi
