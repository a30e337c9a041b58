#!/bin/sh
set -eu
docker run -d --name web nginx:1.25.4@sha256:0d8f3e4ed7dc7d9a12c1ea4db0d3f6dcc18d2c1d19b2a5f4c3b1a09fb6bb6b2e
