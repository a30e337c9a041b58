#!/bin/sh
set -eu
docker run --rm -e DEPLOY_ENV=staging registry.example.com/deployer:1.0.0
