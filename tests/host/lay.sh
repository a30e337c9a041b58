#!/usr/bin/env bash
# Lay out fixture host tree NAME (tests/fixtures/hosts/NAME) into directory DEST: its `base`
# fixture first, then its own files, then its `remove` list and its setup.sh run inside DEST
# (owners, modes, sockets and ACLs cannot live in git). Used by tests/host and tests/rules.
#   lay.sh NAME DEST
FIX="$(cd "$(dirname "$0")/../fixtures/hosts" && pwd)"
META="base setup.sh expected.txt messages.txt severities.txt needs rc"
# lay fixture $1 into directory $2 (its base first)
lay() {
    local name=$1 dest=$2 m
    if [ -f "$FIX/$name/base" ]; then
        lay "$(cat "$FIX/$name/base")" "$dest" || return 1
    fi
    cp -a "$FIX/$name/." "$dest/" || return 1
    for m in $META; do rm -f "$dest/$m"; done
    # a fixture removes base files by listing them in its `remove` file
    if [ -f "$dest/remove" ]; then
        (cd "$dest" && xargs -r rm -rf <remove && rm -f remove) || return 1
    fi
    if [ -f "$FIX/$name/setup.sh" ]; then
        (cd "$dest" && bash -e "$FIX/$name/setup.sh") || return 1
    fi
}

lay "$1" "$2"
