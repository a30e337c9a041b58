#!/bin/sh
set -eu
docker run -d --name worker \
  registry.example.com/worker:1.8.0
