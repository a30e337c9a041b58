#!/bin/sh
set -eu
docker run -d --name web \
  -v /srv/site:/usr/share/nginx/html:ro \
  nginx:1.25.4
