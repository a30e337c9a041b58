#!/bin/sh
set -eu
docker run -d --name plugin \
  --mount type=bind,source=/mnt/volumes,target=/mnt/volumes,bind-propagation=rshared \
  registry.example.com/storage-plugin:1.0.2
