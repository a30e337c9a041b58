#!/bin/sh
set -eu
docker run -d --name web \
  -p 127.0.0.1:8080:80 \
  nginx:1.25.4
