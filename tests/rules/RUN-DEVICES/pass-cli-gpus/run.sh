#!/bin/sh
# start the service on this host
set -eu

docker run --rm --gpus all example/trainer:2.2.1 python train.py
