#!/bin/sh
set -eu
docker run --rm -u 10001:10001 registry.example.com/app:2.0.1 migrate
