#!/bin/sh
# start the service on this host
set -eu

docker run -d --name zigbee --device /dev/ttyUSB0:/dev/ttyACM0 example/zigbee2mqtt:1.35.1
