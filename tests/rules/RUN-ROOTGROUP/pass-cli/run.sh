#!/bin/sh
set -eu
docker run --rm -u 1000:1000 --group-add 2000 registry.example.com/app:2.0.1
