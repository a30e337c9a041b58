#!/bin/sh
# start the service on this host
set -eu

docker run -d --name cadvisor --cgroupns=host gcr.io/cadvisor/cadvisor:v0.47.2
