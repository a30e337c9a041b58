#!/usr/bin/env python3
"""Writes N Dockerfiles of realistic shape and size (10-80 lines: multi-stage
builds, package installs with continuations, heredocs, COPY/ENV/ARG/LABEL)
into DIR/NNNN/Dockerfile. Deterministic for a given N (seeded)."""
import os
import random
import sys

BASES = ["debian:12", "ubuntu:22.04", "alpine:3.20", "python:3.12-slim", "node:20",
         "golang:1.22", "nginx", "registry.example.com:5000/base", "eclipse-temurin:21-jre"]
PKGS = ["curl", "ca-certificates", "git", "build-essential", "libpq-dev", "openssl", "tzdata",
        "gnupg", "unzip", "jq", "less", "procps", "vim", "wget", "python3-pip"]


def apt(r):
    pk = r.sample(PKGS, r.randint(2, 8))
    lines = ["RUN apt-get update \\", "    && apt-get install -y %s\\" %
             ("--no-install-recommends " if r.random() < .5 else "")]
    lines += ["        %s \\" % p for p in pk]
    lines.append("    && rm -rf /var/lib/apt/lists/*")
    return lines


def apk(r):
    return ["RUN apk add %s%s" % ("--no-cache " if r.random() < .6 else "",
                                 " ".join(r.sample(PKGS, r.randint(1, 5))))]


def stage(r, i, last):
    out = ["FROM %s%s" % (r.choice(BASES), "" if last else " AS stage%d" % i)]
    for _ in range(r.randint(3, 12)):
        k = r.random()
        if k < .2:
            out += apt(r)
        elif k < .3:
            out += apk(r)
        elif k < .45:
            out.append("COPY %s /app/%s" % (r.choice(["src/", "package.json", ".", "requirements.txt"]),
                                            r.choice(["", "src/"])))
        elif k < .55:
            out.append("ENV APP_%d=%s" % (r.randint(1, 99), r.choice(["1", "prod", "/opt/app"])))
        elif k < .62:
            out.append("ARG VERSION_%d=%d.%d" % (r.randint(1, 9), r.randint(0, 9), r.randint(0, 9)))
        elif k < .7:
            out.append('LABEL org.opencontainers.image.title="svc%d"' % r.randint(1, 999))
        elif k < .78:
            out += ["RUN <<EOF", "set -eux", "mkdir -p /app/data", "echo ready > /app/data/state",
                    "EOF"]
        elif k < .85:
            out.append("RUN pip install %s flask==3.0.%d" % (
                "--no-cache-dir" if r.random() < .5 else "", r.randint(0, 3)))
        elif k < .9:
            out.append("WORKDIR /app")
        else:
            out.append("RUN curl -fsSL https://example.com/x.sh -o /tmp/x.sh && sh /tmp/x.sh")
    if last:
        if r.random() < .6:
            out.append("USER %s" % r.choice(["app", "10001", "root", "0:0", "nobody"]))
        out.append("EXPOSE %d" % r.choice([80, 8080, 3000, 22]))
        out.append('CMD ["/app/run"]')
    return out


def main():
    d, n = sys.argv[1], int(sys.argv[2])
    r = random.Random(n)
    for i in range(n):
        lines = ["# syntax=docker/dockerfile:1"] if r.random() < .3 else []
        ns = r.choice([1, 1, 2, 2, 3])
        for s in range(ns):
            lines += stage(r, s, s == ns - 1) + [""]
        sub = os.path.join(d, "%05d" % i)
        os.makedirs(sub)
        with open(os.path.join(sub, "Dockerfile"), "w") as f:
            f.write("\n".join(lines))


if __name__ == "__main__":
    main()
