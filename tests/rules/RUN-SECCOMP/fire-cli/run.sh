#!/bin/sh
# start the service on this host
set -eu

docker run -d --name chrome --security-opt seccomp=unconfined example/headless-chrome:122.0
