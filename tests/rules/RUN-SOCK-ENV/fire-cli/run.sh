#!/bin/sh
set -eu
docker run --rm \
  -e DOCKER_HOST=tcp://10.0.0.5:2375 \
  registry.example.com/deployer:1.0.0
