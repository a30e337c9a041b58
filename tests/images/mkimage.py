#!/usr/bin/env python3
"""Build a container image from a JSON spec, without a daemon, for tests.

    mkimage.py SPEC.json OUT [--format docker-archive|oci-dir|oci-tar] [--compress gzip|zstd|none]

SPEC: {"config": {...}, "layers": [[entry, ...], ...], "tamper": {...}, "format": ..., "compress": ...}
- "config" is merged over a minimal image config (os linux, architecture amd64,
  created 2024-01-01); rootfs.diff_ids and, when "history" is absent, one history
  entry per layer are filled in.
- an entry: {"path": "etc/passwd", "type": "file"|"dir"|"symlink"|"hardlink"|
  "whiteout"|"opaque", "mode": "0644", "uid": 0, "gid": 0, "content": "text",
  "size": N (content of N 'x' bytes), "link": "target", "xattrs": {"name": "base64"}}.
- config "created": "now" stands for the time of the build.
  Whiteouts and opaque markers are written as the OCI layer spec names them.
- "tamper": {"layer": i, "digest": true} declares a wrong digest for layer i in the
  manifest; {"layer": i, "diff_id": true} a wrong diff id in the config.

The archive is what `docker save` writes (manifest.json with <hex>.json config and
blobs/sha256/<hex> layers, uncompressed unless --compress says otherwise) or an OCI
image layout (directory, or a tar of it). Deterministic: same spec, same bytes.
"""
import base64
import gzip
import hashlib
import io
import json
import os
import subprocess
import sys
import tarfile

MTIME = 1704067200  # 2024-01-01T00:00:00Z


def layer_tar(entries):
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=tarfile.PAX_FORMAT) as tf:
        for e in entries:
            path = e["path"].lstrip("/")
            kind = e.get("type", "file")
            if kind == "whiteout":
                d, b = os.path.split(path)
                path = os.path.join(d, ".wh." + b)
                kind = "file"
            elif kind == "opaque":
                path = os.path.join(path, ".wh..wh..opq")
                kind = "file"
            ti = tarfile.TarInfo(path)
            ti.mtime = MTIME
            ti.uid = int(e.get("uid", 0))
            ti.gid = int(e.get("gid", 0))
            ti.uname = ti.gname = ""
            data = b""
            if kind == "file":
                ti.type = tarfile.REGTYPE
                if "size" in e:
                    data = b"x" * int(e["size"])
                else:
                    data = e.get("content", "").encode()
                ti.size = len(data)
                ti.mode = int(e.get("mode", "0644"), 8)
            elif kind == "dir":
                ti.type = tarfile.DIRTYPE
                ti.mode = int(e.get("mode", "0755"), 8)
            elif kind == "symlink":
                ti.type = tarfile.SYMTYPE
                ti.linkname = e["link"]
                ti.mode = 0o777
            elif kind == "hardlink":
                ti.type = tarfile.LNKTYPE
                ti.linkname = e["link"]
                ti.mode = int(e.get("mode", "0755"), 8)
            else:
                raise SystemExit("mkimage: unknown entry type %r" % kind)
            if e.get("xattrs"):
                ti.pax_headers = {"SCHILY.xattr." + k: base64.b64decode(v).decode("latin-1")
                                  for k, v in e["xattrs"].items()}
            tf.addfile(ti, io.BytesIO(data) if kind == "file" else None)
    return buf.getvalue()


def compress(data, how):
    if how == "gzip":
        out = io.BytesIO()
        with gzip.GzipFile(fileobj=out, mode="wb", mtime=0) as g:
            g.write(data)
        return out.getvalue()
    if how == "zstd":
        return subprocess.run(["zstd", "-q", "-c"], input=data, capture_output=True,
                              check=True).stdout
    return data


def sha(data):
    return "sha256:" + hashlib.sha256(data).hexdigest()


def build(spec, fmt, how):
    layers = [layer_tar(l) for l in spec.get("layers", [])]
    blobs = [compress(l, how) for l in layers]
    tamper = spec.get("tamper", {})
    cfg = {"architecture": "amd64", "os": "linux", "created": "2024-01-01T00:00:00Z",
           "config": {}}
    cfg.update(spec.get("config", {}))
    if cfg.get("created") == "now":  # a fresh image, for examples judged against today
        import time
        cfg["created"] = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    diff_ids = [sha(l) for l in layers]
    if tamper.get("diff_id"):
        diff_ids[tamper["layer"]] = "sha256:" + "0" * 64
    cfg["rootfs"] = {"type": "layers", "diff_ids": diff_ids}
    if "history" not in cfg:
        cfg["history"] = [{"created": cfg["created"], "created_by": "mkimage layer %d" % i}
                          for i in range(len(layers))]
    cfg_bytes = json.dumps(cfg, indent=None, separators=(",", ":")).encode()
    digests = [sha(b) for b in blobs]
    declared = list(digests)
    if tamper.get("digest"):
        declared[tamper["layer"]] = "sha256:" + "f" * 64
    files = {}
    if fmt == "docker-archive":
        cfg_name = hashlib.sha256(cfg_bytes).hexdigest() + ".json"
        files[cfg_name] = cfg_bytes
        names = []
        for d, b in zip(declared, blobs):
            n = "blobs/sha256/" + d.split(":")[1]
            files[n] = b
            names.append(n)
        files["manifest.json"] = json.dumps([{
            "Config": cfg_name, "RepoTags": spec.get("repo_tags", ["bulkhead-test:1"]),
            "Layers": names}]).encode()
    else:
        mt = {"gzip": "application/vnd.oci.image.layer.v1.tar+gzip",
              "zstd": "application/vnd.oci.image.layer.v1.tar+zstd",
              "none": "application/vnd.oci.image.layer.v1.tar"}[how]
        files["blobs/sha256/" + sha(cfg_bytes).split(":")[1]] = cfg_bytes
        for d, b in zip(declared, blobs):
            files["blobs/sha256/" + d.split(":")[1]] = b
        man = {"schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
               "config": {"mediaType": "application/vnd.oci.image.config.v1+json",
                          "digest": sha(cfg_bytes), "size": len(cfg_bytes)},
               "layers": [{"mediaType": mt, "digest": d, "size": len(b)}
                          for d, b in zip(declared, blobs)]}
        mb = json.dumps(man).encode()
        files["blobs/sha256/" + sha(mb).split(":")[1]] = mb
        files["index.json"] = json.dumps({"schemaVersion": 2, "manifests": [{
            "mediaType": "application/vnd.oci.image.manifest.v1+json", "digest": sha(mb),
            "size": len(mb), "annotations": {
                "org.opencontainers.image.ref.name": spec.get("ref_name", "test")}}]}).encode()
        files["oci-layout"] = b'{"imageLayoutVersion":"1.0.0"}'
    return files


def write(files, out, fmt):
    if fmt == "oci-dir":
        for name, data in files.items():
            p = os.path.join(out, name)
            os.makedirs(os.path.dirname(p), exist_ok=True)
            with open(p, "wb") as f:
                f.write(data)
        return
    with tarfile.open(out, "w", format=tarfile.PAX_FORMAT) as tf:
        for name in sorted(files):
            ti = tarfile.TarInfo(name)
            ti.size = len(files[name])
            ti.mtime = MTIME
            ti.mode = 0o644
            tf.addfile(ti, io.BytesIO(files[name]))


def main(argv):
    if len(argv) < 3:
        raise SystemExit(__doc__)
    with open(argv[1]) as f:
        spec = json.load(f)
    fmt = spec.get("format", "docker-archive")
    how = spec.get("compress", "none")
    rest = argv[3:]
    while rest:
        if rest[0] == "--format":
            fmt = rest[1]
        elif rest[0] == "--compress":
            how = rest[1]
        else:
            raise SystemExit("mkimage: unknown option " + rest[0])
        rest = rest[2:]
    files = build(spec, "docker-archive" if fmt == "docker-archive" else "oci", how)
    write(files, argv[2], fmt)


if __name__ == "__main__":
    main(sys.argv)
