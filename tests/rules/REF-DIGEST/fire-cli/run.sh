#!/bin/sh
set -eu
docker run -d --name web nginx:1.25.4
