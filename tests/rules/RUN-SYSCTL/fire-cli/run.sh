#!/bin/sh
# start the service on this host
set -eu

docker run -d --name router --sysctl net.ipv4.ip_forward=1 example/router:1.2.0
