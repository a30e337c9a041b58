#!/bin/sh
set -eu
docker run -d --name app \
  registry.example.com/app:2.0.1
