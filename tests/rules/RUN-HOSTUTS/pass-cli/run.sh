#!/bin/sh
# start the service on this host
set -eu

docker run -d --name agent --hostname agent-1 example/agent:5.0.0
