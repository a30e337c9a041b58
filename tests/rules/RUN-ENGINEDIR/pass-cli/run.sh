#!/bin/sh
set -eu
docker run -d --name web \
  -v /srv/web:/usr/share/nginx/html:ro \
  nginx:1.25.4
