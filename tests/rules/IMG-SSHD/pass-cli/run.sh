#!/bin/sh
set -eu
docker run -d --name git -p 2222:2222 gitea/gitea:1.21.7-rootless
