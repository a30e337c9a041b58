#!/bin/sh
set -eu
docker run -d --name worker \
  --memory 256m --cpus 0.5 --pids-limit -1 \
  registry.example.com/worker:1.8.0
