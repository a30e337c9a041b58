#!/bin/sh
# The same service started the way bulkhead recommends: a pinned image, a
# read-only root filesystem, no capabilities, no privilege escalation, a
# non-root user, a loopback-only port and resource limits. Secrets come from
# a file mounted at run time, not from the command line.
set -eu

docker run -d --name web \
    --read-only --tmpfs /tmp \
    --cap-drop ALL \
    --security-opt no-new-privileges \
    -u 10001:10001 \
    -p 127.0.0.1:8080:80 \
    --memory 256m --cpus 1 --pids-limit 100 \
    docker.io/nginxinc/nginx-unprivileged@sha256:5f2e8d4a3b4c7e9a1d6f0b8c2e4a6d8f0b2c4e6a8d0f2b4c6e8a0d2f4b6c8e0a
