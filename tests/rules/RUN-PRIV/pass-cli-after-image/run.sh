#!/bin/sh
# start the service on this host
set -eu

# the flag after the image is the container's argument, not docker's
docker run --rm alpine:3.19 echo --privileged
