#!/bin/sh
# start the service on this host
set -eu

docker run -d --name chrome --cap-drop ALL example/headless-chrome:122.0
