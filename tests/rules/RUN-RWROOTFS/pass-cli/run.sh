#!/bin/sh
set -eu
docker run -d --name app --read-only --tmpfs /tmp registry.example.com/app:2.0.1
