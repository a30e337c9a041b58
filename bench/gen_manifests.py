#!/usr/bin/env python3
"""Writes N Compose files (DIR/compose/NNNNN/compose.yaml) or N Kubernetes
manifests (DIR/k8s/NNNNN.yaml) of realistic shape and size: several services
or workloads each, security settings, ports, volumes, env, anchors in
Compose `x-` fields, multi-document manifests with Services. Deterministic."""
import os
import random
import sys

IMAGES = ["nginx:1.27", "redis:7", "postgres:16", "ghcr.io/acme/api:2.3.1", "busybox",
          "registry.example.com:5000/worker", "python:3.12-slim"]


def compose(r):
    out = ["x-common: &common", "  restart: unless-stopped",
           "  logging:", "    driver: json-file", "services:"]
    for s in range(r.randint(2, 7)):
        out.append("  svc%d:" % s)
        out.append("    <<: *common")
        out.append("    image: %s" % r.choice(IMAGES))
        if r.random() < .2:
            out.append("    privileged: true")
        if r.random() < .5:
            out.append("    user: \"%s\"" % r.choice(["10001:10001", "0:0", "app", "root"]))
        if r.random() < .4:
            out.append("    cap_add: [%s]" % r.choice(["NET_ADMIN", "sys_admin", "SYS_PTRACE"]))
        if r.random() < .5:
            out.append("    cap_drop: [ALL]")
        out.append("    ports:")
        for _ in range(r.randint(1, 3)):
            out.append("      - \"%s%d:%d\"" % (r.choice(["", "127.0.0.1:", "0.0.0.0:"]),
                                              r.randint(1024, 9999), r.choice([80, 443, 8080])))
        out.append("    volumes:")
        for _ in range(r.randint(1, 3)):
            out.append("      - %s" % r.choice(["data:/var/lib/data", "./conf:/etc/app:ro",
                                               "/var/run/docker.sock:/var/run/docker.sock",
                                               "/srv/logs:/logs"]))
        out.append("    environment:")
        for k in range(r.randint(1, 5)):
            out.append("      APP_%d: \"%s\"" % (k, r.choice(["1", "prod", "x" * 12])))
        if r.random() < .5:
            out.append("    security_opt: [\"no-new-privileges:true\"]")
        if r.random() < .5:
            out.append("    read_only: true")
    out += ["volumes:", "  data: {}"]
    return "\n".join(out) + "\n"


def k8s(r):
    docs = []
    for w in range(r.randint(1, 3)):
        kind = r.choice(["Deployment", "StatefulSet", "DaemonSet", "Job"])
        d = ["apiVersion: apps/v1" if kind != "Job" else "apiVersion: batch/v1",
             "kind: %s" % kind, "metadata:", "  name: app%d" % w, "  labels:", "    app: app%d" % w,
             "spec:", "  template:", "    metadata:", "      labels:", "        app: app%d" % w,
             "    spec:"]
        if r.random() < .2:
            d.append("      hostNetwork: true")
        d.append("      securityContext:")
        d.append("        runAsNonRoot: %s" % r.choice(["true", "false"]))
        d.append("      containers:")
        for c in range(r.randint(1, 3)):
            d += ["      - name: c%d" % c, "        image: %s" % r.choice(IMAGES),
                  "        ports:", "        - containerPort: %d" % r.choice([80, 8080, 443]),
                  "        env:", "        - name: MODE", "          value: prod",
                  "        securityContext:",
                  "          allowPrivilegeEscalation: %s" % r.choice(["false", "true"]),
                  "          readOnlyRootFilesystem: true",
                  "          capabilities:", "            drop: [ALL]",
                  "        resources:", "          limits:", "            memory: 256Mi",
                  "            cpu: 500m", "        volumeMounts:", "        - name: data",
                  "          mountPath: /data"]
        d += ["      volumes:", "      - name: data",
              "        %s" % r.choice(["emptyDir: {}", "hostPath:\n          path: /var/lib/app"])]
        docs.append("\n".join(d))
    docs.append("\n".join(["apiVersion: v1", "kind: Service", "metadata:", "  name: web",
                           "spec:", "  type: %s" % r.choice(["ClusterIP", "NodePort"]),
                           "  ports:", "  - port: 80", "    targetPort: 8080"]))
    return "\n---\n".join(docs) + "\n"


def main():
    d, kind, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
    r = random.Random(n * 7 + len(kind))
    for i in range(n):
        if kind == "compose":
            sub = os.path.join(d, "%05d" % i)
            os.makedirs(sub)
            with open(os.path.join(sub, "compose.yaml"), "w") as f:
                f.write(compose(r))
        else:
            os.makedirs(d, exist_ok=True)
            with open(os.path.join(d, "%05d.yaml" % i), "w") as f:
                f.write(k8s(r))


if __name__ == "__main__":
    main()
