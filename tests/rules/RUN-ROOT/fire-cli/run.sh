#!/bin/sh
set -eu
docker run --rm \
  -u 0 \
  registry.example.com/app:2.0.1 migrate
