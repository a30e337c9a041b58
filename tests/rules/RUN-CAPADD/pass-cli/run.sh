#!/bin/sh
# start the service on this host
set -eu

docker run -d --name web --cap-drop ALL --cap-add NET_BIND_SERVICE nginx:1.25.4
