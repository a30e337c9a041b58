#!/bin/sh
# start the service on this host
set -eu

docker run -d --name agent --security-opt label=level:s0:c100,c200 example/agent:5.0.0
