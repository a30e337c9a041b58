#!/usr/bin/env python3
"""Tamper with one layer of a docker-save archive, keeping every tar valid.

usage: tamper.py IN.tar OUT.tar MEMBER

Copies IN.tar to OUT.tar, finds the first layer (in manifest.json order) holding
MEMBER (a regular file of at least one byte, e.g. app/run.sh) and flips the low
bit of the member's first data byte in place. Headers (and their checksums) are
untouched, so both the archive and the layer still read as tars; manifest.json,
the config's rootfs.diff_ids and the layer's name keep the old digest. Layers
must be stored uncompressed (docker save). Prints "LAYERPATH MEMBER OLD NEW".
"""
import json
import shutil
import sys
import tarfile

src, dst, member = sys.argv[1:4]
shutil.copyfile(src, dst)
with tarfile.open(dst) as outer:
    manifest = json.load(outer.extractfile("manifest.json"))
    for layer in manifest[0]["Layers"]:
        lm = outer.getmember(layer)
        while lm.issym() or lm.islnk():  # newer engines link blobs; follow to the data
            lm = outer.getmember(lm.linkname if lm.islnk() else
                                 tarfile.os.path.normpath(tarfile.os.path.join(
                                     tarfile.os.path.dirname(layer), lm.linkname)))
        with tarfile.open(fileobj=outer.extractfile(lm)) as inner:
            names = {m.name.lstrip("./"): m for m in inner.getmembers()}
            im = names.get(member)
            if im is None or not im.isfile() or im.size < 1:
                continue
            pos = lm.offset_data + im.offset_data
            break
    else:
        sys.exit("tamper.py: no layer of %s holds %s" % (src, member))
with open(dst, "r+b") as f:
    f.seek(pos)
    old = f.read(1)
    f.seek(pos)
    f.write(bytes([old[0] ^ 1]))
print(layer, member, old.hex(), "%02x" % (old[0] ^ 1))
