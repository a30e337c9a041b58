#!/usr/bin/env python3
"""Writes the seed corpus of fuzz_imgsrc (tests/fuzz/corpus/imgsrc/): small tars shaped like
docker save archives and OCI layouts, plain and gzip, with the links, long names, duplicates
and hostile names the reader must handle. Run once; the seeds are committed, not regenerated."""
import gzip
import io
import json
import os
import sys
import tarfile

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "corpus", "imgsrc")
HEX = "0123456789abcdef" * 4  # 64 hex digits, a made-up digest


def layer_tar():
    b = io.BytesIO()
    with tarfile.open(fileobj=b, mode="w", format=tarfile.USTAR_FORMAT) as t:
        add(t, "etc/os-release", b"ID=alpine\n")
        used = t.offset
    return b.getvalue()[:used] + bytes(1024)


def add(t, name, data=b"", kind=tarfile.REGTYPE, link=""):
    ti = tarfile.TarInfo(name)
    ti.type = kind
    ti.linkname = link
    ti.mtime = 0
    ti.mode = 0o755 if kind == tarfile.DIRTYPE else 0o644
    if kind == tarfile.REGTYPE:
        ti.size = len(data)
        t.addfile(ti, io.BytesIO(data))
    else:
        t.addfile(ti)


def write(name, entries, fmt=tarfile.GNU_FORMAT, gz=False):
    b = io.BytesIO()
    with tarfile.open(fileobj=b, mode="w", format=fmt) as t:
        for e in entries:
            add(t, *e)
        used = t.offset
    # drop tarfile's record padding: keep the blocks in use and the two end-of-archive blocks
    data = b.getvalue()[:used] + bytes(1024)
    if gz:
        data = gzip.compress(data, mtime=0)
    with open(os.path.join(OUT, name), "wb") as f:
        f.write(data)


def docker_entries(layer_dir=HEX):
    cfg = json.dumps({"os": "linux", "rootfs": {"type": "layers", "diff_ids": []}}).encode()
    man = json.dumps([{"Config": HEX[::-1] + ".json", "RepoTags": ["x:1"],
                       "Layers": [layer_dir + "/layer.tar"]}]).encode()
    return [
        (layer_dir + "/", b"", tarfile.DIRTYPE),
        (layer_dir + "/VERSION", b"1.0"),
        (layer_dir + "/layer.tar", layer_tar()),
        (HEX[::-1] + ".json", cfg),
        ("manifest.json", man),
        ("repositories", b'{"x":{"1":"' + HEX.encode() + b'"}}'),
    ]


def oci_entries(extra=()):
    blob = layer_tar()
    idx = json.dumps({"schemaVersion": 2, "manifests": [
        {"mediaType": "application/vnd.oci.image.manifest.v1+json",
         "digest": "sha256:" + HEX, "size": 2}]}).encode()
    return [
        ("oci-layout", b'{"imageLayoutVersion":"1.0.0"}'),
        ("index.json", idx),
        ("blobs/", b"", tarfile.DIRTYPE),
        ("blobs/sha256/", b"", tarfile.DIRTYPE),
        ("blobs/sha256/" + HEX, b"{}"),
        ("blobs/sha256/" + HEX[::-1], blob),
    ] + list(extra)


def main():
    os.makedirs(OUT, exist_ok=True)
    write("docker-gnu.tar", docker_entries())
    write("docker-ustar.tar", docker_entries(), fmt=tarfile.USTAR_FORMAT)
    write("docker.tar.gz", docker_entries(), gz=True)
    write("oci-pax.tar", oci_entries(), fmt=tarfile.PAX_FORMAT)
    write("oci.tar.gz", oci_entries(), gz=True)
    write("docker25-both.tar", oci_entries(docker_entries()[3:]))
    sym = docker_entries("b" * 64) + [
        ("a" * 64 + "/layer.tar", b"", tarfile.SYMTYPE, "../" + "b" * 64 + "/layer.tar"),
        ("hard", b"", tarfile.LNKTYPE, "manifest.json"),
    ]
    write("docker-links.tar", sym)
    write("docker-links.tar.gz", sym, gz=True)
    write("longnames-gnu.tar", docker_entries() + [("d/" + "n" * 300, b"long")])
    write("longnames-pax.tar", docker_entries() + [("d/" + "n" * 300, b"long")],
          fmt=tarfile.PAX_FORMAT)
    write("duplicates.tar", [("manifest.json", b"[1]"), ("./manifest.json", b"[2]"),
                             ("x//y/./z", b"z")])
    write("loop.tar", [("manifest.json", b"", tarfile.SYMTYPE, "a"),
                       ("a", b"", tarfile.SYMTYPE, "manifest.json")])
    write("escape.tar", [("manifest.json", b"[]"),
                         ("l", b"", tarfile.SYMTYPE, "../../etc/passwd")])
    write("traversal.tar", [("manifest.json", b"[]"), ("../evil", b"x")])
    write("legacy-repositories.tar", docker_entries()[:3] + [docker_entries()[5]])
    return 0


if __name__ == "__main__":
    sys.exit(main())
