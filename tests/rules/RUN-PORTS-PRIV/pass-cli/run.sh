#!/bin/sh
set -eu
docker run -d --name web -p 8080:80 nginx:1.25.4
