#!/bin/sh
# start the service on this host
set -eu

docker network create appnet || true
docker run -d --name dns --network appnet -p 127.0.0.1:5353:53/udp example/dns:2.90
