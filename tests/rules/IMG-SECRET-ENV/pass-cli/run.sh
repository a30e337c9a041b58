#!/bin/sh
set -eu
docker run --rm -e AWS_SECRET_ACCESS_KEY -e AWS_ACCESS_KEY_ID amazon/aws-cli:2.15.30 s3 ls
