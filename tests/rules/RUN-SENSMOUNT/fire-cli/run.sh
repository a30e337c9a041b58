#!/bin/sh
set -eu
docker run --rm -it \
  -v /:/host \
  alpine:3.19.1 chroot /host
