#!/bin/sh
set -eu
docker run -d --name watcher \
  -v /mnt/volumes:/mnt/volumes:rslave \
  registry.example.com/watcher:1.0.2
