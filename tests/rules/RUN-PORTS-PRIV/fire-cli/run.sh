#!/bin/sh
set -eu
docker run -d --name mail \
  -p 25:2525 \
  registry.example.com/mail:1.4.0
