#!/bin/sh
# start the service on this host
set -eu

docker run -d --name probe \
  --cap-add=SYS_MODULE \
  example/probe:0.4.1
