#!/usr/bin/env python3
"""Wrap plain layer tars into a `docker save` archive, for tests/rootfs/run.sh.

    mkarchive.py OUT.tar LAYER.tar...

Each LAYER.tar becomes one uncompressed layer, in order; the config is minimal (linux/amd64,
a fixed created time, one history entry per layer) with the layers' sha256 as diff_ids.
Deterministic: the same layers give the same bytes.
"""
import hashlib
import io
import json
import sys
import tarfile


def add(tf, name, data):
    ti = tarfile.TarInfo(name)
    ti.size = len(data)
    ti.mtime = 0
    ti.mode = 0o644
    tf.addfile(ti, io.BytesIO(data))


def main():
    if len(sys.argv) < 3:
        sys.stderr.write(__doc__)
        return 2
    out, layers = sys.argv[1], sys.argv[2:]
    blobs = []
    for path in layers:
        with open(path, "rb") as f:
            data = f.read()
        blobs.append((hashlib.sha256(data).hexdigest(), data))
    config = {
        "architecture": "amd64", "os": "linux", "created": "2024-01-01T00:00:00Z",
        "config": {"User": "1000"},
        "rootfs": {"type": "layers", "diff_ids": ["sha256:" + h for h, _ in blobs]},
        "history": [{"created": "2024-01-01T00:00:00Z", "created_by": "layer %d" % i}
                    for i in range(len(blobs))],
    }
    cfg = json.dumps(config, sort_keys=True).encode()
    cfg_hex = hashlib.sha256(cfg).hexdigest()
    manifest = [{"Config": cfg_hex + ".json", "RepoTags": ["bulkhead-test/rootfs:latest"],
                 "Layers": ["%s/layer.tar" % h for h, _ in blobs]}]
    with tarfile.open(out, "w", format=tarfile.PAX_FORMAT) as tf:
        add(tf, cfg_hex + ".json", cfg)
        for h, data in blobs:
            add(tf, "%s/layer.tar" % h, data)
        add(tf, "manifest.json", json.dumps(manifest).encode())
    return 0


if __name__ == "__main__":
    sys.exit(main())
