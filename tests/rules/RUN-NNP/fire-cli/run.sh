#!/bin/sh
# start the service on this host
set -eu

docker run -d --name web nginx:1.25.4
