#!/bin/sh
# start the service on this host
set -eu

docker run -d --name web --sysctl net.ipv4.ip_unprivileged_port_start=0 nginx:1.25.4
