#!/bin/sh
# start the service on this host
set -eu

docker run -d --name dind \
  --privileged \
  -e DOCKER_TLS_CERTDIR=/certs \
  docker:24.0.7-dind
