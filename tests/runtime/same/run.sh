#!/bin/sh
docker run -d --name agent --privileged --pid=host --network host -u 0:0 \
  --cap-add SYS_ADMIN -p 2375:2375 \
  -v /var/run/docker.sock:/var/run/docker.sock:ro -v /etc:/host/etc \
  -e AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY \
  acme/agent:latest
