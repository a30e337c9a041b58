#!/bin/sh
# start the service on this host
set -eu

docker run --rm --privileged=true -v "$PWD:/src" example/builder:3.1 make
