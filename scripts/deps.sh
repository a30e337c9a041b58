#!/usr/bin/env bash
# Installs the Debian packages bulkhead needs to build and test, when missing.
# Usage: scripts/deps.sh [build|test]   (test adds what only the test suite needs)
set -euo pipefail
want=(gcc clang meson ninja-build pkg-config libfyaml-dev libjansson-dev libarchive-dev libisal-dev
      libzstd-dev libssl-dev libcurl4-openssl-dev libvectorscan-dev libsqlite3-dev python3 bc)
if [ "${1:-build}" = test ]; then
    want+=(libcmocka-dev libclang-rt-14-dev python3 python3-jsonschema npm time
           docker.io docker-registry skopeo busybox-static apache2-utils
           python3-cryptography python3-yaml curl openssl zstd isal golang-go acl)
fi
missing=()
for p in "${want[@]}"; do
    if [ "$p" = npm ] && command -v npm >/dev/null 2>&1; then continue; fi
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
    echo "bulkhead: installing Debian packages: ${missing[*]}" >&2
    if [ "$(id -u)" -ne 0 ]; then SUDO=sudo; else SUDO=; fi
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
fi
