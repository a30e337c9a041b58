#!/bin/sh
# start the service on this host
set -eu

docker run -d --name agent --uts=host example/agent:5.0.0
