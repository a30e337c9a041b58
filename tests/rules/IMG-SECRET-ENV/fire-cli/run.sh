#!/bin/sh
set -eu
docker run --rm \
  -e AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY \
  amazon/aws-cli:2.15.30 s3 ls
