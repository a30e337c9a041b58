#!/bin/sh
# start the service on this host
set -eu

docker run --rm \
  --device=/dev/mem \
  example/memdump:0.3
