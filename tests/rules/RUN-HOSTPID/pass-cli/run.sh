#!/bin/sh
# start the service on this host
set -eu

docker run -d --name app example/app:2.3.1
docker run -d --name debug --pid container:app busybox:1.36 sleep 3600
