#!/bin/sh
set -eu
docker run -d --name web registry.example.com/web:3.2.0
