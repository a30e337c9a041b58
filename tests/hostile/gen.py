#!/usr/bin/env python3
"""Generate hostile container images for tests/hostile/run.sh.

    gen.py OUTDIR CASE...     (gen.py --list prints the case names)

Writes each case to OUTDIR (a docker-save archive OUTDIR/CASE.tar or an OCI
layout directory OUTDIR/CASE) and prints "CASE<TAB>TARGET" per case. Tar
headers are written byte by byte here, not with tarfile: the cases need fields
tarfile refuses to write (negative base-256 sizes, wrong checksums, devices
with mode 07777), and the million-file layer must be made in seconds, so its
headers come from one template with the checksum adjusted per name.
"""
import hashlib
import json
import os
import struct
import sys
import zlib

MTIME = 1704067200  # 2024-01-01T00:00:00Z
BLOCK = 512


# ---- tar headers ---------------------------------------------------------------------------

def octal(n, width):
    """A NUL-terminated octal field of width bytes."""
    s = b"%0*o" % (width - 1, n)
    if len(s) > width - 1:
        raise ValueError("%d does not fit %d octal digits" % (n, width - 1))
    return s + b"\0"


def b256(n, width):
    """GNU base-256 field: high bit set, two's complement big-endian (negative: 0xff lead)."""
    v = n % (1 << (8 * width))
    raw = v.to_bytes(width, "big")
    return bytes([raw[0] | 0x80]) + raw[1:] if n >= 0 else bytes([0xff]) + raw[1:]


def num(n, width):
    try:
        return octal(n, width)
    except ValueError:
        return b256(n, width)


def header(name, size=0, kind=b"0", mode=0o644, uid=0, gid=0, link=b"", fields=None,
           checksum_delta=0):
    """One 512-byte ustar header. fields overrides raw field bytes (size, uid, ...)."""
    if isinstance(name, str):
        name = name.encode()
    if isinstance(link, str):
        link = link.encode()
    f = {
        "name": name[:100].ljust(100, b"\0"),
        "mode": octal(mode, 8),
        "uid": num(uid, 8),
        "gid": num(gid, 8),
        "size": num(size, 12),
        "mtime": octal(MTIME, 12),
        "chksum": b" " * 8,
        "type": kind,
        "link": link[:100].ljust(100, b"\0"),
        "magic": b"ustar\x0000",
        "uname": b"\0" * 32,
        "gname": b"\0" * 32,
        "devmajor": octal(0, 8),
        "devminor": octal(0, 8),
        "prefix": b"\0" * 155,
    }
    if fields:
        f.update(fields)
    order = ["name", "mode", "uid", "gid", "size", "mtime", "chksum", "type", "link", "magic",
             "uname", "gname", "devmajor", "devminor", "prefix"]
    h = b"".join(f[k] for k in order).ljust(BLOCK, b"\0")
    assert len(h) == BLOCK, (len(h), name)
    if fields and "chksum" in fields:
        return h
    chk = (sum(h) + checksum_delta) % (1 << 18)
    return h[:148] + b"%06o\0 " % chk + h[156:]


def pad(n):
    return b"\0" * (-n % BLOCK)


def member(name, data=b"", **kw):
    return header(name, size=len(data), **kw) + data + pad(len(data))


def pax(records, name="././@PaxHeader"):
    """A pax extended header (type x) with the given (key, value-bytes) records."""
    body = []
    for k, v in records:
        rec = b" " + k.encode() + b"=" + v + b"\n"
        n = len(rec) + 1
        while len(b"%d" % n) + len(rec) != n:
            n += 1
        body.append(b"%d" % n + rec)
    return member(name, b"".join(body), kind=b"x")


END = b"\0" * (2 * BLOCK)


def tar(*members):
    return b"".join(members) + END


# ---- compression ---------------------------------------------------------------------------

def gzip_bytes(data, level=6):
    c = zlib.compressobj(level, zlib.DEFLATED, 31)
    return c.compress(data) + c.flush()


GZ_HEADER = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xff"


def gzip_bomb(prefix, zeros, suffix=b""):
    """gzip of prefix + zeros NUL bytes + suffix, made in time proportional to zeros/1 MiB
    compressions of nothing: deflate segments ended by a full flush do not refer back, so
    the segment for 1 MiB of zeros is written once and repeated."""
    mib = 1 << 20
    assert zeros % mib == 0
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    out = [GZ_HEADER, c.compress(prefix) + c.flush(zlib.Z_FULL_FLUSH)]
    seg = c.compress(bytes(mib)) + c.flush(zlib.Z_FULL_FLUSH)
    again = c.compress(bytes(mib)) + c.flush(zlib.Z_FULL_FLUSH)
    assert seg == again
    out.append(seg * (zeros // mib))
    out.append(c.compress(suffix) + c.flush(zlib.Z_FINISH))
    crc = zlib.crc32(prefix)
    z = bytes(mib)
    for _ in range(zeros // mib):
        crc = zlib.crc32(z, crc)
    crc = zlib.crc32(suffix, crc)
    total = len(prefix) + zeros + len(suffix)
    out.append(struct.pack("<II", crc & 0xffffffff, total & 0xffffffff))
    return b"".join(out)


def zstd_rle_bomb(prefix, zeros):
    """A zstd frame by hand: one raw block (prefix), then RLE blocks of 128 KiB zeros, 4 bytes
    each (a ratio of 32768 to 1)."""
    blk = 128 * 1024
    assert zeros % blk == 0 and len(prefix) < blk
    out = [b"\x28\xb5\x2f\xfd", b"\x00", bytes([(17 - 10) << 3])]  # no FCS, window 128 KiB

    def bh(size, kind, last):
        v = (size << 3) | (kind << 1) | (1 if last else 0)
        return v.to_bytes(3, "little")

    n = zeros // blk
    out.append(bh(len(prefix), 0, n == 0) + prefix)
    rle = bh(blk, 1, False) + b"\0"
    out.append(rle * (n - 1))
    out.append(bh(blk, 1, True) + b"\0")
    return b"".join(out)


# ---- images --------------------------------------------------------------------------------

def sha(data):
    return "sha256:" + hashlib.sha256(data).hexdigest()


def config(diff_ids, extra=None):
    cfg = {"architecture": "amd64", "os": "linux", "created": "2024-01-01T00:00:00Z",
           "config": {"User": "1000"},
           "rootfs": {"type": "layers", "diff_ids": diff_ids},
           "history": [{"created": "2024-01-01T00:00:00Z", "created_by": "hostile %d" % i}
                       for i in range(len(diff_ids))]}
    if extra:
        cfg.update(extra)
    return json.dumps(cfg, separators=(",", ":")).encode()


class Blob:
    """A layer blob: bytes in memory, or a file already written (path, digest, size)."""

    def __init__(self, data=None, path=None, digest=None, size=None, diff_id=None):
        self.data, self.path = data, path
        self.digest = digest or sha(data)
        self.size = size if size is not None else len(data)
        self.diff_id = diff_id or self.digest

    def chunks(self):
        if self.data is not None:
            yield self.data
            return
        with open(self.path, "rb") as f:
            while True:
                b = f.read(1 << 20)
                if not b:
                    return
                yield b


def layer(tar_bytes, how="none"):
    if how == "gzip":
        return Blob(gzip_bytes(tar_bytes), diff_id=sha(tar_bytes))
    return Blob(tar_bytes)


def write_docker_archive(out, cfg, blobs, missing=(), manifest=None):
    """docker save layout; blobs listed in missing are named by the manifest but not stored."""
    cfg_name = hashlib.sha256(cfg).hexdigest() + ".json"
    names = ["blobs/sha256/" + b.digest.split(":")[1] for b in blobs]
    man = manifest if manifest is not None else json.dumps(
        [{"Config": cfg_name, "RepoTags": ["hostile:1"], "Layers": names}]).encode()
    with open(out, "wb") as f:
        f.write(member("manifest.json", man))
        f.write(member(cfg_name, cfg))
        for i, (n, b) in enumerate(zip(names, blobs)):
            if i in missing:
                continue
            f.write(header(n, size=b.size))
            for c in b.chunks():
                f.write(c)
            f.write(pad(b.size))
        f.write(END)


def write_oci_dir(out, cfg, blobs, missing=()):
    os.makedirs(os.path.join(out, "blobs", "sha256"), exist_ok=True)

    def put(digest, data=None, blob=None):
        p = os.path.join(out, "blobs", "sha256", digest.split(":")[1])
        if blob is not None and blob.path is not None:
            os.replace(blob.path, p)
            return
        with open(p, "wb") as f:
            f.write(data if data is not None else blob.data)

    put(sha(cfg), cfg)
    for i, b in enumerate(blobs):
        if i not in missing:
            put(b.digest, blob=b)
    man = json.dumps({
        "schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
        "config": {"mediaType": "application/vnd.oci.image.config.v1+json", "digest": sha(cfg),
                   "size": len(cfg)},
        "layers": [{"mediaType": "application/vnd.oci.image.layer.v1.tar", "digest": b.digest,
                    "size": b.size} for b in blobs]}).encode()
    put(sha(man), man)
    with open(os.path.join(out, "index.json"), "wb") as f:
        f.write(json.dumps({"schemaVersion": 2, "manifests": [{
            "mediaType": "application/vnd.oci.image.manifest.v1+json", "digest": sha(man),
            "size": len(man)}]}).encode())
    with open(os.path.join(out, "oci-layout"), "wb") as f:
        f.write(b'{"imageLayoutVersion":"1.0.0"}')


def image(outdir, case, blobs, cfg=None, fmt="docker", **kw):
    cfg = cfg if cfg is not None else config([b.diff_id for b in blobs])
    if fmt == "docker":
        target = os.path.join(outdir, case + ".tar")
        write_docker_archive(target, cfg, blobs, **kw)
    else:
        target = os.path.join(outdir, case)
        write_oci_dir(target, cfg, blobs, **kw)
    return target


# ---- cases ---------------------------------------------------------------------------------

PASSWD_UID0 = b"root:x:0:0:root:/root:/bin/sh\ntoor:x:0:0:backdoor:/:/bin/sh\n"
DEBIAN8 = b'PRETTY_NAME="Debian GNU/Linux 8 (jessie)"\nID=debian\nVERSION_ID="8"\n'


def some_files(n=20, size=16 * 1024):
    """n files of incompressible-ish content, so a cut lands in the middle of the data."""
    out = [member("etc/", kind=b"5", mode=0o755)]
    for i in range(n):
        data = hashlib.sha256(b"%d" % i).digest() * (size // 32)
        out.append(member("data/f%03d.bin" % i, data))
    return tar(*out)


def case_truncated_gzip(d, case):
    gz = gzip_bytes(some_files())
    cut = gz[:len(gz) // 2]
    return image(d, case, [Blob(cut, diff_id=sha(b"x"))])


def case_truncated_tar(d, case):
    t = some_files()
    return image(d, case, [Blob(t[:len(t) // 2 + 100])])


def case_bomb_gzip(d, case):
    gib = 1 << 30
    t = header("bomb.bin", size=gib)
    # the tar's end (2 blocks) comes from the zeros as well
    gz = gzip_bomb(t, gib + (1 << 20))
    return image(d, case, [Blob(gz, diff_id=sha(b"not computed"))])


def case_bomb_zstd(d, case):
    gib = 1 << 30
    t = header("bomb.bin", size=4 * gib)
    z = zstd_rle_bomb(t, 4 * gib + 128 * 1024)
    return image(d, case, [Blob(z, diff_id=sha(b"not computed"))], fmt="oci")


def case_traversal(d, case):
    """Names that climb above the root; none may land in the tree (the passwd would make
    IMG-UID0 fire)."""
    t = tar(member("etc/", kind=b"5", mode=0o755),
            member("etc/passwd", b"root:x:0:0:root:/root:/bin/sh\n"),
            member("../../etc/passwd", PASSWD_UID0),
            member("a/../../etc/passwd", PASSWD_UID0),
            member("./../etc/passwd", PASSWD_UID0),
            member("/abs/../../etc/passwd", PASSWD_UID0),
            member("../../../../../../../../tmp/x", b"x"),
            member("a/../../b", b"b"),
            member("/abs", b"absolute"),
            member("etc/shadow", kind=b"1", link="../../../../etc/shadow"),
            member("etc/group", kind=b"2", link="../../../../../etc/group"),
            member("..", kind=b"5", mode=0o755),
            member("../", kind=b"2", link="/"))
    return image(d, case, [Blob(t)])


def case_whiteout_escape(d, case):
    """Whiteout markers named above the root, or naming "." and "..": none may delete the
    lower layer's /etc/passwd (its extra UID 0 account must still be reported)."""
    low = tar(member("etc/", kind=b"5", mode=0o755), member("etc/passwd", PASSWD_UID0))
    up = tar(member("../.wh.etc", b""),
             member("a/../../.wh.etc", b""),
             member("../etc/.wh.passwd", b""),
             member("../.wh..wh..opq", b""),
             member("etc/.wh..", b""),
             member("etc/.wh.", b""),
             member(".wh..", b""),
             member("etc/.wh..wh.plnk/.wh.passwd", b""))
    return image(d, case, [Blob(low), Blob(up)])


def case_traversal_control(d, case):
    """The same passwd under names that stay inside the root: IMG-UID0 must fire, which
    shows the traversal case would have been caught had the entry landed."""
    t = tar(member("/etc/../etc/passwd", PASSWD_UID0))
    return image(d, case, [Blob(t)])


def symlink_loop_layers(hops):
    """etc/os-release -> chain -> ... -> usr/lib/os-release (Debian 8), self loops, a -> b -> a,
    directory loops and a link chain longer than any lookup follows."""
    m = [member("etc/", kind=b"5", mode=0o755),
         member("usr/lib/os-release", DEBIAN8),
         member("etc/os-release", kind=b"2", link="../chain/l0")]
    for i in range(hops):
        nxt = "l%d" % (i + 1) if i + 1 < hops else "../usr/lib/os-release"
        m.append(member("chain/l%d" % i, kind=b"2", link=nxt))
    m += [member("etc/passwd", kind=b"2", link="passwd"),
          member("etc/shadow", kind=b"2", link="/etc/shadow"),
          member("etc/group", kind=b"2", link="gshadow"),
          member("etc/gshadow", kind=b"2", link="group"),
          member("etc/sudoers", kind=b"2", link="/etc/sudoers.d/x"),
          member("etc/sudoers.d", kind=b"2", link="../etc"),
          member("loop", kind=b"2", link="loop/loop/loop"),
          member("dirloop", kind=b"2", link="."),
          member("up", kind=b"2", link="../../../../.."),
          member("etc/apk/repositories", kind=b"2", link="../../dirloop/etc/apk/repositories")]
    for i in range(2000):
        m.append(member("long/l%d" % i, kind=b"2", link="l%d" % ((i + 1) % 2000)))
    # hard links: to themselves, to each other, to nothing, setuid through a link
    m += [member("hl/self", kind=b"1", link="hl/self"),
          member("hl/a", kind=b"1", link="hl/b"),
          member("hl/b", kind=b"1", link="hl/a"),
          member("hl/none", kind=b"1", link="does/not/exist", mode=0o4755),
          member("hl/dir", kind=b"1", link="etc")]
    return tar(*m)


def case_symlink_loops(d, case):
    # a second layer that links back into the first, so the merge sees the loops too
    t2 = tar(member("usr/lib/x", kind=b"2", link="/chain/l0"),
             member("chain/l0", kind=b"2", link="/etc/os-release"))
    return image(d, case, [Blob(symlink_loop_layers(30)), Blob(t2)])


def case_many_files(d, case, n=1000000, per_dir=1000):
    """n empty files in n/per_dir directories (and etc/passwd last), gzip, streamed to disk in
    slices of one directory."""
    tmp = os.path.join(d, case + ".layer.tmp")
    # templates with the checksum field still blank (8 spaces, as the sum counts it)
    tmpl = header("x", size=0, fields={"chksum": b" " * 8})
    base = sum(tmpl) - ord("x")  # the template's checksum without its name
    before, after = tmpl[100:148], tmpl[156:]
    dtmpl = header("x", kind=b"5", mode=0o755, fields={"chksum": b" " * 8})
    dbase = sum(dtmpl) - ord("x")
    dbefore, dafter = dtmpl[100:148], dtmpl[156:]
    hin, hout = hashlib.sha256(), hashlib.sha256()
    c = zlib.compressobj(1, zlib.DEFLATED, 31)
    size = 0
    with open(tmp, "wb") as f:
        def emit(raw):
            nonlocal size
            hin.update(raw)
            z = c.compress(raw)
            hout.update(z)
            size += len(z)
            f.write(z)

        for di in range(n // per_dir):
            parts = []
            dn = b"d%04d/" % di
            parts.append(dn.ljust(100, b"\0") + dbefore + b"%06o\0 " % (dbase + sum(dn)) +
                         dafter)
            dsum = sum(dn)
            for fi in range(per_dir):
                name = dn + b"f%04d" % fi
                chk = base + dsum + sum(name[6:])
                parts.append(name.ljust(100, b"\0") + before + b"%06o\0 " % chk + after)
            emit(b"".join(parts))
        # last entry: an extra UID 0 account, reported only if the scan reached the end
        emit(member("etc/passwd", PASSWD_UID0) + END)
        z = c.flush()
        hout.update(z)
        size += len(z)
        f.write(z)
    blob = Blob(path=tmp, digest="sha256:" + hout.hexdigest(), size=size,
                diff_id="sha256:" + hin.hexdigest())
    return image(d, case, [blob], fmt="oci")


def big_layer(d, case, name, mib):
    """One uncompressed layer holding one file of mib MiB of zeros, written sparse."""
    tmp = os.path.join(d, case + ".layer.tmp")
    n = mib << 20
    h = hashlib.sha256()
    hdr = header(name, size=n)
    with open(tmp, "wb") as f:
        f.write(hdr)
        h.update(hdr)
        f.truncate(BLOCK + n + len(END))
    z = bytes(1 << 20)
    for _ in range(mib):
        h.update(z)
    h.update(END)
    digest = "sha256:" + h.hexdigest()
    return Blob(path=tmp, digest=digest, size=BLOCK + n + len(END))


def case_big_file(d, case):
    return image(d, case, [big_layer(d, case, "usr/share/big.bin", 100)], fmt="oci")


def case_big_captured(d, case):
    # a path the collector captures and a text-looking file the secret scanner would read:
    # both must stop at their caps instead of holding 100 MB
    return image(d, case, [big_layer(d, case, "etc/passwd", 100)], fmt="oci")


def one_entry(d, case, raw):
    return image(d, case, [Blob(raw)])


def case_hdr_neg_size(d, case):
    return one_entry(d, case, tar(header("neg.bin", fields={"size": b256(-1 << 40, 12)}),
                                  member("after", b"x")))


def case_hdr_huge_size(d, case):
    return one_entry(d, case, tar(header("huge.bin", fields={"size": b256((1 << 62) + 7, 12)}),
                                  member("after", b"x")))


def case_hdr_bad_checksum(d, case):
    return one_entry(d, case, tar(member("bad.bin", b"data", checksum_delta=1)))


def case_hdr_bad_checksum_late(d, case):
    return one_entry(d, case, tar(member("good.bin", b"data"),
                                  member("bad.bin", b"data", checksum_delta=7)))


def case_hdr_pax_path(d, case):
    big = b"p/" * (512 * 1024)  # 1 MiB
    return one_entry(d, case, tar(pax([("path", big)]), member("short", b"x")))


def case_hdr_pax_xattr(d, case):
    val = b"A" * (8 << 20)
    return one_entry(d, case, tar(pax([("SCHILY.xattr.user.big", val),
                                       ("SCHILY.xattr.security.capability", b"\x01" * 20)]),
                                  member("usr/bin/x", b"x", mode=0o755)))


def case_hdr_pax_xattr_900k(d, case):
    """Under libarchive's 1 MiB cap on special headers: read, and the capability still seen."""
    val = b"A" * (900 * 1024)
    return one_entry(d, case, tar(pax([("SCHILY.xattr.user.big", val),
                                       ("SCHILY.xattr.security.capability", b"\x01" * 20)]),
                                  member("usr/bin/x", b"x", mode=0o755)))


def case_hdr_pax_path_8k(d, case):
    """Past BH_MAX_LAYER_PATH (4096) but well under libarchive's caps: bulkhead's own limit."""
    return one_entry(d, case, tar(pax([("path", b"p/" * 4096)]), member("short", b"x")))


def case_hdr_gnu_longname_8k(d, case):
    return one_entry(d, case, tar(member("././@LongLink", b"n/" * 4096 + b"\0", kind=b"L"),
                                  member("short", b"x")))


def case_hdr_symlink_8k(d, case):
    return one_entry(d, case, tar(pax([("linkpath", b"../" * 3000)]),
                                  member("lnk", kind=b"2", link="short")))


def case_hdr_pax_count(d, case):
    recs = [("SCHILY.xattr.user.k%d" % i, b"v") for i in range(30000)]
    return one_entry(d, case, tar(pax(recs), member("many-xattrs", b"x")))


def case_hdr_gnu_longname(d, case):
    name = b"L" * (1 << 20) + b"\0"
    return one_entry(d, case, tar(member("././@LongLink", name, kind=b"L"),
                                  member("short", b"x")))


def case_hdr_gnu_longlink(d, case):
    link = b"k" * (1 << 20) + b"\0"
    return one_entry(d, case, tar(member("././@LongLink", link, kind=b"K"),
                                  member("lnk", kind=b"2", link="short")))


def case_hdr_devices(d, case):
    return one_entry(d, case, tar(
        member("dev/", kind=b"5", mode=0o7777),
        header("dev/sda", kind=b"4", mode=0o7777,
               fields={"devmajor": octal(8, 8), "devminor": octal(0, 8)}),
        header("dev/mem", kind=b"3", mode=0o7777,
               fields={"devmajor": b256(-1, 8), "devminor": b256((1 << 60), 8)}),
        header("dev/fifo", kind=b"6", mode=0o7777),
        header("dev/weird", kind=b"Z", mode=0o7777),
        member("etc/os-release", DEBIAN8, mode=0o7777)))


def case_hdr_uids(d, case):
    return one_entry(d, case, tar(
        member("uidmax", b"x", mode=0o4755, uid=(1 << 32) - 1, gid=(1 << 32) - 1),
        member("uidhuge", b"x", mode=0o4755, uid=(1 << 62), gid=(1 << 40)),
        member("uidneg", b"x", mode=0o4755, fields={"uid": b256(-1, 8), "gid": b256(-2, 8)}),
        member("mode-huge", b"x", fields={"mode": b256((1 << 60) | 0o7777, 8)}),
        member("mtime-neg", b"x", fields={"mtime": b256(-(1 << 60), 12)})))


def case_passwd_empty(d, case):
    """Account files with no account line: an empty passwd, a group of NUL bytes."""
    return one_entry(d, case, tar(member("etc/passwd", b""), member("etc/group", bytes(1024)),
                                  member("etc/shadow", b"\n\n:::\n")))


def case_truncated_second_layer(d, case):
    """A good layer, then a truncated one: the error names layer 1, layer 0 is still checked
    (its extra UID 0 account is reported)."""
    good = tar(member("etc/passwd", PASSWD_UID0))
    gz = gzip_bytes(some_files())
    return image(d, case, [Blob(good), Blob(gz[:len(gz) // 3], diff_id=sha(b"x"))])


def case_empty_layer(d, case):
    return image(d, case, [Blob(b"")])


def case_not_a_tar(d, case):
    return image(d, case, [Blob(b"this is a text file, not a tar archive\n" * 100)])


def case_not_a_tar_gzip(d, case):
    raw = b"this is a text file, not a tar archive\n" * 100
    return image(d, case, [Blob(gzip_bytes(raw), diff_id=sha(raw))])


def case_missing_blob(d, case):
    return image(d, case, [Blob(tar(member("a", b"a"))), Blob(tar(member("b", b"b")))],
                 missing=(1,))


def case_missing_blob_oci(d, case):
    return image(d, case, [Blob(tar(member("a", b"a")))], fmt="oci", missing=(0,))


def case_config_not_json(d, case):
    return image(d, case, [Blob(tar(member("a", b"a")))], cfg=b"this is {not json")


CASES = {name[5:].replace("_", "-"): fn for name, fn in sorted(globals().items())
         if name.startswith("case_")}


def main(argv):
    if len(argv) >= 2 and argv[1] == "--list":
        print("\n".join(CASES))
        return
    if len(argv) < 3:
        raise SystemExit(__doc__)
    d = argv[1]
    os.makedirs(d, exist_ok=True)
    for case in argv[2:]:
        if case not in CASES:
            raise SystemExit("gen.py: unknown case " + case)
        print("%s\t%s" % (case, CASES[case](d, case)), flush=True)


if __name__ == "__main__":
    main(sys.argv)
