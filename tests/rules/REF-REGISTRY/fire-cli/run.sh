#!/bin/sh
set -eu
docker run -d --name web ghcr.io/someone/web:3.2.0
