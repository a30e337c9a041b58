#!/bin/sh
# start the service on this host
set -eu

docker run -d --name agent --pid host example/agent:5.0.0
docker run -d --name app --pid container:agent example/app:2.3.1
