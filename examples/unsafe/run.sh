#!/bin/sh
# Starts the web service by hand, with every shortcut in the book: a privileged
# container that can drive the host's Docker engine, the host's PID namespace,
# no seccomp filter, a port open on every interface, a password in the
# command line and an image tag that can change under you.
set -eu

docker run -d --name web \
    --privileged \
    -v /var/run/docker.sock:/var/run/docker.sock \
    -p 8080:80 \
    --pid=host \
    --security-opt seccomp=unconfined \
    -e DB_PASSWORD=hunter2 \
    nginx:latest
