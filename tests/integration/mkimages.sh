# tests/integration/mkimages.sh - test images built on the test engine (lib.sh's dockerd_start)
# with no network: the root filesystem is Debian's busybox-static binary plus files written
# here, imported with `docker import`, and a second layer comes from `docker build` FROM the
# imported image (local, so nothing is pulled). Sourced after lib.sh; functions only.
#
#   mk_planted   -> image planted:test, $T/planted.tar (docker save), $T/planted-oci (OCI
#                   layout dir), $T/planted-oci.tar (the same as a tar)
#   mk_clean     -> image clean:test, $T/clean.tar
#   PLANTED_RULES  the rule ids the planted image must get; CLEAN_NOT_RULES those the clean
#                  image must not get (the same list: the clean image fixes every mistake)
#
# Secrets (the private key, the AWS-style value) are generated at test time and live only
# in $T: no key material is committed.

# Every planted mistake and the rule that should report it; see mk_planted for where each is.
PLANTED_RULES="IMG-UID0 IMG-EMPTYPW IMG-SUID IMG-SECRET-FILE IMG-SECRET-ENV IMG-JUNK \
BUILD-INSECURE-FETCH IMG-EOL IMG-SSHD BUILD-USER OTH-HEALTH IMG-TOOLS"
CLEAN_NOT_RULES=$PLANTED_RULES
# RULE=TEXT: a finding of RULE must name TEXT (in its message or location path), so the rule
# fired for the planted mistake and not for something else in the image.
PLANTED_EVIDENCE="IMG-UID0=toor IMG-EMPTYPW=guest IMG-SUID=/usr/local/bin/suidtool \
IMG-SECRET-FILE=/root/.ssh/id_rsa IMG-SECRET-ENV=AWS_SECRET_ACCESS_KEY IMG-JUNK=/app/.git \
BUILD-INSECURE-FETCH=/etc/apk/repositories IMG-EOL=3.12 IMG-SSHD=22 BUILD-USER=root \
OTH-HEALTH=HEALTHCHECK IMG-TOOLS=wget"

# The clean image links only these applets: no package manager (dpkg, rpm), no network
# tools (wget, nc, telnet, tftp, ftpget, httpd), no su - all IMG-TOOLS material.
CLEAN_APPLETS="sh ash cat cp echo env false id ln ls mkdir mv ps pwd rm sleep test true"

# mk_rootfs DIR [APPLET...]: /bin/busybox (from busybox-static) and its applet symlinks
# (every applet when none are named), plus the directories a Linux image has.
mk_rootfs() {
    local dir=$1 bb=/bin/busybox path name; shift
    # busybox-static's binary: the image has no libc, so it must be the static build
    [ -x "$bb" ] || { it_log "$bb missing (Debian package busybox-static)"; return 1; }
    mkdir -p "$dir"/{bin,sbin,usr/bin,usr/sbin,usr/local/bin,etc,root,tmp,home,var,proc,sys,dev}
    chmod 1777 "$dir/tmp"
    chmod 0700 "$dir/root"
    install -m 0755 "$bb" "$dir/bin/busybox"
    if [ $# -eq 0 ]; then
        while IFS= read -r path; do
            [ "$path" = bin/busybox ] && continue
            mkdir -p "$dir/$(dirname "$path")"
            ln -sf /bin/busybox "$dir/$path"
        done < <("$dir/bin/busybox" --list-full)
    else
        for name in "$@"; do
            path=$("$dir/bin/busybox" --list-full | grep -m1 "/$name\$") || continue
            ln -sf /bin/busybox "$dir/$path"
        done
    fi
}

# mk_import DIR IMAGE CHANGE...: tar DIR as root-owned files and `docker import` it.
mk_import() {
    local dir=$1 image=$2 c; shift 2
    local args=()
    for c in "$@"; do args+=(--change "$c"); done
    tar --numeric-owner --owner=0 --group=0 -C "$dir" -cf - . \
        | dk import "${args[@]}" - "$image" >/dev/null
}

# mk_build IMAGE DOCKERFILE_TEXT: a legacy (non-BuildKit) build with no network.
mk_build() {
    local image=$1 text=$2 ctx
    ctx=$(mktemp -d "$T/ctx.XXXXXX")
    printf '%s\n' "$text" >"$ctx/Dockerfile"
    DOCKER_BUILDKIT=0 dk build -q --network none -t "$image" "$ctx" >"$ctx/build.log" 2>&1 || {
        sed 's/^/#   /' "$ctx/build.log" >&2
        return 1
    }
}

mk_planted() {
    local r="$T/rootfs-planted" secret
    mk_rootfs "$r" || return 1
    # IMG-UID0: "toor" is a second UID-0 account (a classic backdoor name).
    # IMG-EMPTYPW: "guest" has an empty password field in /etc/shadow.
    cat >"$r/etc/passwd" <<'EOF'
root:x:0:0:root:/root:/bin/sh
toor:x:0:0:second root:/root:/bin/sh
guest:x:1001:1001:guest:/home/guest:/bin/sh
nobody:x:65534:65534:nobody:/:/sbin/nologin
EOF
    cat >"$r/etc/shadow" <<'EOF'
root:*:19000:0:99999:7:::
toor:*:19000:0:99999:7:::
guest::19000:0:99999:7:::
nobody:*:19000:0:99999:7:::
EOF
    chmod 0640 "$r/etc/shadow"
    printf 'root:x:0:\nguest:x:1001:\nnogroup:x:65534:\n' >"$r/etc/group"
    # IMG-SUID: a setuid-root copy of busybox (not a distro-owned name like passwd or su).
    install -m 4755 "$r/bin/busybox" "$r/usr/local/bin/suidtool"
    # IMG-SECRET-FILE: an RSA private key as ~/.ssh/id_rsa in this (first) layer, deleted by
    # the second layer's RUN; the whiteout hides it from the merged tree, the blob keeps it.
    mkdir -p "$r/root/.ssh" && chmod 0700 "$r/root/.ssh"
    # (openssl, not ssh-keygen: openssh-client is not among the test dependencies)
    openssl genrsa -traditional -out "$r/root/.ssh/id_rsa" 2048 2>/dev/null || return 1
    chmod 0600 "$r/root/.ssh/id_rsa"
    # IMG-JUNK: a .git directory shipped with the application.
    mkdir -p "$r/app/.git/refs/heads" "$r/app/.git/objects"
    echo 'ref: refs/heads/main' >"$r/app/.git/HEAD"
    printf '[core]\n\trepositoryformatversion = 0\n\tbare = false\n' >"$r/app/.git/config"
    echo 'echo hello' >"$r/app/run.sh"
    # BUILD-INSECURE-FETCH: apk fetches its index and packages over plain http.
    mkdir -p "$r/etc/apk"
    printf 'http://dl-cdn.alpinelinux.org/alpine/v3.12/main\nhttp://dl-cdn.alpinelinux.org/alpine/v3.12/community\n' \
        >"$r/etc/apk/repositories"
    # IMG-EOL: claims to be Alpine 3.12 (end of life 2022-05-01).
    cat >"$r/etc/os-release" <<'EOF'
NAME="Alpine Linux"
ID=alpine
VERSION_ID=3.12.12
PRETTY_NAME="Alpine Linux v3.12"
HOME_URL="https://alpinelinux.org/"
BUG_REPORT_URL="https://gitlab.alpinelinux.org/alpine/aports/-/issues"
EOF
    echo 3.12.12 >"$r/etc/alpine-release"
    # IMG-SSHD: an sshd configuration (and EXPOSE 22 below).
    mkdir -p "$r/etc/ssh"
    printf 'Port 22\nPermitRootLogin yes\n' >"$r/etc/ssh/sshd_config"
    # IMG-TOOLS: the full applet set links wget, nc, telnet, tftp, dpkg, rpm, su into PATH.
    # IMG-SECRET-ENV: an AWS secret key in the config's Env (random, made now).
    secret=$(head -c 30 /dev/urandom | base64 | tr -d '\n/+=' | head -c 40)
    PLANTED_SECRET=$secret
    # BUILD-USER: USER root. OTH-HEALTH: no HEALTHCHECK anywhere. IMG-SSHD: EXPOSE 22.
    mk_import "$r" planted-base:test "USER root" "ENV AWS_SECRET_ACCESS_KEY=$secret" \
        "EXPOSE 22" "WORKDIR /app" 'CMD ["/bin/sh", "/app/run.sh"]' || return 1
    # second layer: the key removed too late (RUN runs busybox sh in the imported image)
    mk_build planted:test "FROM planted-base:test
RUN rm -f /root/.ssh/id_rsa && echo removed >/root/.ssh/README" || return 1
    dk save -o "$T/planted.tar" planted:test || return 1
    skopeo --insecure-policy copy -q docker-archive:"$T/planted.tar" oci:"$T/planted-oci:planted" \
        || return 1
    tar -C "$T/planted-oci" -cf "$T/planted-oci.tar" . || return 1
}

mk_clean() {
    local r="$T/rootfs-clean"
    # shellcheck disable=SC2086
    mk_rootfs "$r" $CLEAN_APPLETS || return 1
    # one root account with a locked password, an unprivileged "app" user; no os-release
    # (busybox has none, so IMG-EOL has nothing to judge), no keys, no .git, no sshd
    printf 'root:x:0:0:root:/root:/bin/sh\napp:x:1000:1000:app:/home/app:/bin/sh\n' >"$r/etc/passwd"
    printf 'root:*:19000:0:99999:7:::\napp:!:19000:0:99999:7:::\n' >"$r/etc/shadow"
    chmod 0640 "$r/etc/shadow"
    printf 'root:x:0:\napp:x:1000:\n' >"$r/etc/group"
    mkdir -p "$r/home/app" "$r/app"
    echo 'echo hello' >"$r/app/run.sh"
    mk_import "$r" clean-base:test "USER 1000:1000" "WORKDIR /app" 'CMD ["/bin/sh", "/app/run.sh"]' \
        || return 1
    # HEALTHCHECK is not an import --change instruction; a build without RUN adds it
    mk_build clean:test 'FROM clean-base:test
HEALTHCHECK --interval=30s --timeout=3s CMD ["/bin/true"]
USER 1000:1000' || return 1
    dk save -o "$T/clean.tar" clean:test || return 1
}
