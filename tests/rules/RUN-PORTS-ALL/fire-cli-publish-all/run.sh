#!/bin/sh
set -eu
docker run -d --name web -P nginx:1.25.4
