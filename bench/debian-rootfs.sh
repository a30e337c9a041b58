#!/usr/bin/env bash
# bench/debian-rootfs.sh OUT.tar - a Debian rootfs tar from the packages installed on this host,
# without network, for the image benchmark: Priority required/important plus a development
# image's usual set (perl, python3 + pip, gcc/g++, make, git, curl, wget, openssl, gnupg, ssh
# client, locales, tzdata, ...) closed over Depends (first installed alternative). About 600 MB
# and 40k files on a Debian 12 host with a build toolchain, the size of buildpack-deps:bookworm.
# (tests/images/debian-from-host.sh gives the small base set used by the integration tests.)
set -euo pipefail
[ $# -eq 1 ] || { echo "usage: $0 OUT.tar" >&2; exit 2; }
here=$(dirname "$0")
seed="perl python3 python3-pip python3-venv gcc g++ make apt curl wget openssl ca-certificates
git gnupg openssh-client procps less locales tzdata xz-utils bzip2 unzip libssl-dev libc6-dev
file patch"
# shellcheck disable=SC2086
mapfile -t pkgs < <(python3 "$here/image_gen.py" pkgset $seed)
python3 "$here/image_gen.py" rootfs "$1.tmp" "${pkgs[@]}"
mv -f "$1.tmp" "$1"
