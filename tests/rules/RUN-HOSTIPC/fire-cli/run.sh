#!/bin/sh
# start the service on this host
set -eu

docker run -d --name cache --ipc=host example/cache:7.2
