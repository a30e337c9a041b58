#!/bin/sh
set -eu
docker run -d --name tls-check \
  -v /etc/docker:/etc/docker:ro \
  registry.example.com/tls-check:0.3.0
