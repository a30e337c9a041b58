#!/bin/sh
set -eu
docker run -d --name dev \
  -p 2222:22 \
  registry.example.com/devbox:1.3.0
