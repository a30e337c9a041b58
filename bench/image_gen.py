#!/usr/bin/env python3
"""Inputs for bench/image.sh: docker-save archives built without a daemon or network.

    image_gen.py pkgset SEED...              installed packages: Priority required/important
                                             plus SEED, closed over Depends/Pre-Depends (first
                                             installed alternative of each | group); one a line
    image_gen.py rootfs OUT.tar PKG...       a rootfs tar of these installed packages (dpkg -L,
                                             merged /usr kept), system accounts locked, dpkg
                                             database restricted to PKG
    image_gen.py debian ROOTFS.tar OUTDIR    split a rootfs tar of this host's packages into
                                             5 gzip -6 layers like a real image (base, libs,
                                             toolchain, tools, app) + docker-save archive
    image_gen.py smallfiles N LAYERS OUTDIR  N small text files over LAYERS layers (raw tar
                                             writer) + docker-save archive
    image_gen.py tiny OUTDIR                 a one-file image (the RSS baseline)

Each OUTDIR gets layer-K.tar.gz (the blobs, also read by the igzip floor), image.tar (the
archive) and layers.txt (blob paths, one a line). The layer split of `debian` follows the
owning package of each path (/var/lib/dpkg/info/*.list of this host): paths no package owns
go to the base layer, directories to the first layer that needs them, hard links to their
target's layer.
"""
import hashlib
import io
import json
import os
import re
import subprocess
import sys
import tarfile

MTIME = 1717200000  # 2024-06-01, fixed so the archives are reproducible
CREATED = "2024-06-01T00:00:00Z"


class LayerOut:
    """A layer being written: tar bytes -> sha256 (diff_id) -> gzip -6 -> file."""

    def __init__(self, path):
        self.path = path
        self.f = open(path, "wb")
        self.gz = subprocess.Popen(["gzip", "-6", "-n", "-c"], stdin=subprocess.PIPE,
                                   stdout=self.f, bufsize=1 << 20)
        self.h = hashlib.sha256()
        self.n = 0

    def write(self, b):
        self.h.update(b)
        self.gz.stdin.write(b)
        self.n += len(b)
        return len(b)

    def close(self):
        self.gz.stdin.close()
        if self.gz.wait() != 0:
            raise SystemExit("image_gen: gzip failed for " + self.path)
        self.f.close()
        return "sha256:" + self.h.hexdigest()


def file_sha(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for b in iter(lambda: f.read(1 << 20), b""):
            h.update(b)
    return "sha256:" + h.hexdigest()


def write_archive(outdir, blobs, diff_ids, history, config, tag):
    """docker save layout: manifest.json, <hex>.json config, blobs/sha256/<hex> layers."""
    cfg = {"architecture": "amd64", "os": "linux", "created": CREATED, "config": config,
           "rootfs": {"type": "layers", "diff_ids": diff_ids}, "history": history}
    cfg_bytes = json.dumps(cfg, separators=(",", ":")).encode()
    cfg_name = hashlib.sha256(cfg_bytes).hexdigest() + ".json"
    names = ["blobs/sha256/" + file_sha(b).split(":")[1] for b in blobs]
    man = json.dumps([{"Config": cfg_name, "RepoTags": [tag], "Layers": names}]).encode()
    tmp = os.path.join(outdir, "image.tar.tmp")
    with tarfile.open(tmp, "w", format=tarfile.PAX_FORMAT) as tf:
        def add_bytes(name, data):
            ti = tarfile.TarInfo(name)
            ti.size, ti.mtime, ti.mode = len(data), MTIME, 0o644
            tf.addfile(ti, io.BytesIO(data))
        add_bytes(cfg_name, cfg_bytes)
        for n, b in zip(names, blobs):
            ti = tarfile.TarInfo(n)
            ti.size, ti.mtime, ti.mode = os.path.getsize(b), MTIME, 0o644
            with open(b, "rb") as f:
                tf.addfile(ti, f)
        add_bytes("manifest.json", man)
    os.rename(tmp, os.path.join(outdir, "image.tar"))
    with open(os.path.join(outdir, "layers.txt"), "w") as f:
        f.write("".join(os.path.abspath(b) + "\n" for b in blobs))


# ---- package set ---------------------------------------------------------------------------

def installed():
    fmt = "${db:Status-Abbrev}\t${Package}\t${Provides}\t${Pre-Depends}\t${Depends}\t" \
          "${Priority}\t${Section}\n"
    out = subprocess.run(["dpkg-query", "-W", "-f=" + fmt], capture_output=True, text=True,
                         check=True).stdout
    pkgs, provides = {}, {}
    for line in out.splitlines():
        st, name, prov, pre, dep, prio, sec = line.split("\t")
        if not st.startswith("ii"):
            continue
        pkgs[name] = {"deps": ", ".join(x for x in (pre, dep) if x), "prio": prio, "sec": sec}
        for p in prov.split(","):
            p = p.strip().split(" ")[0]
            if p:
                provides.setdefault(p, []).append(name)
    return pkgs, provides


def pkgset(seed):
    pkgs, provides = installed()
    want = [n for n, p in pkgs.items() if p["prio"] in ("required", "important")]
    want += [s for s in seed if s in pkgs]
    done = set()
    while want:
        n = want.pop()
        if n in done:
            continue
        done.add(n)
        for group in pkgs[n]["deps"].split(","):
            for alt in group.split("|"):
                a = alt.strip().split(" ")[0].split(":")[0]
                if a in pkgs:
                    want.append(a)
                    break
                if a in provides:
                    want.append(provides[a][0])
                    break
    print("\n".join(sorted(done)))


# ---- rootfs from installed packages ------------------------------------------------------

def rootfs(out, pkgs):
    # top-level symlinks of a merged-/usr host (bin -> usr/bin): a listed /bin/x is stored as
    # usr/bin/x, and the links themselves are stored once
    links = {n: os.readlink("/" + n) for n in os.listdir("/") if os.path.islink("/" + n)
             and os.readlink("/" + n).lstrip("/").startswith("usr/")}
    keep = set(pkgs)
    want = {}
    def add(host):
        d, b = os.path.split(host)
        img = os.path.join(os.path.realpath(d), b).lstrip("/")
        if not img or img.split("/")[0] in links or img in want:
            return
        if not os.path.lexists(host):
            return
        want[img] = host
        d = os.path.dirname(img)
        while d and d not in want:
            want[d] = "/" + d
            d = os.path.dirname(d)
    lists = subprocess.run(["dpkg", "-L"] + pkgs, capture_output=True, text=True,
                           errors="surrogateescape").stdout
    for line in lists.splitlines():
        if line.startswith("/") and line not in ("/", "/."):
            add(line)
    for d in ("root", "tmp", "home", "var/tmp", "var/log", "var/cache/apt", "var/lib/apt/lists",
              "proc", "sys", "dev", "run", "mnt", "srv", "opt", "usr/local/bin"):
        if os.path.isdir("/" + d):
            add("/" + d)
    info = "/var/lib/dpkg/info"
    for fn in os.listdir(info):
        if fn.rpartition(".")[0].split(":")[0] in keep:
            add(os.path.join(info, fn))
    gen = {}
    # accounts: Debian's shipped defaults (base-passwd), every password locked
    pw = open("/usr/share/base-passwd/passwd.master").read()
    gr = open("/usr/share/base-passwd/group.master").read()
    gen["etc/passwd"] = pw.encode()
    gen["etc/group"] = gr.encode()
    gen["etc/shadow"] = "".join("%s:*:19800:0:99999:7:::\n" % l.split(":")[0]
                                for l in pw.splitlines() if l).encode()
    paras = open("/var/lib/dpkg/status", errors="surrogateescape").read().split("\n\n")
    gen["var/lib/dpkg/status"] = "\n\n".join(
        p for p in paras if re.search(r"^Package: (\S+)$", p, re.M)
        and re.search(r"^Package: (\S+)$", p, re.M).group(1) in keep).encode(
        errors="surrogateescape")
    for k in gen:
        want.pop(k, None)
    n = 0
    with tarfile.open(out, "w", format=tarfile.PAX_FORMAT) as tf:
        for name in sorted(links):
            ti = tarfile.TarInfo(name)
            ti.type, ti.linkname, ti.mode, ti.mtime = tarfile.SYMTYPE, links[name], 0o777, MTIME
            tf.addfile(ti)
        for img in sorted(want):
            try:
                ti = tf.gettarinfo(want[img], arcname=img)
            except OSError:
                continue
            if ti is None:  # sockets, fifos
                continue
            ti.uname = ti.gname = ""
            if ti.isreg():
                with open(want[img], "rb") as f:
                    tf.addfile(ti, f)
            else:
                tf.addfile(ti)
            n += 1
        for name, data in sorted(gen.items()):
            ti = tarfile.TarInfo(name)
            ti.size, ti.mtime, ti.mode = len(data), MTIME, 0o640 if "shadow" in name else 0o644
            tf.addfile(ti, io.BytesIO(data))
    sys.stderr.write("rootfs: %d packages, %d entries\n" % (len(pkgs), n + len(gen)))


# ---- debian: split a rootfs into layers ----------------------------------------------------

LAYERS = ["base", "libs", "toolchain", "tools", "app"]


def pkg_layer(name, p):
    if p["prio"] in ("required", "important"):
        return 0
    if p["sec"] in ("libs", "oldlibs") and not name.endswith("-dev"):
        return 1
    if p["sec"] in ("devel", "libdevel", "interpreters", "python", "perl", "java", "rust",
                    "golang", "javascript") or name.startswith(("gcc", "g++", "cpp", "binutils",
                                                                   "python3", "perl", "lib")):
        return 2
    return 3


def path_layers():
    pkgs, _ = installed()
    owner = {}
    info = "/var/lib/dpkg/info"
    for fn in os.listdir(info):
        if not fn.endswith(".list"):
            continue
        name = fn[:-5].split(":")[0]
        if name not in pkgs:
            continue
        k = pkg_layer(name, pkgs[name])
        with open(os.path.join(info, fn), errors="surrogateescape") as f:
            for line in f:
                p = line.rstrip("\n").lstrip("/")
                if p and owner.get(p, 9) > k:
                    owner[p] = k
        for ext in (".md5sums", ".conffiles", ".postinst", ".prerm", ".postrm", ".preinst",
                    ".triggers", ".shlibs", ".symbols", ".list", ".templates", ".config"):
            owner["var/lib/dpkg/info/" + fn[:-5] + ext] = k
    return owner


def app_layer(tf):
    """The image's own layer: an application and the usual apt clean-up (whiteouts)."""
    def add(name, data=None, mode=0o644, kind=tarfile.REGTYPE):
        ti = tarfile.TarInfo(name)
        ti.mtime, ti.mode, ti.type = MTIME, mode, kind
        if data is not None:
            ti.size = len(data)
        tf.addfile(ti, io.BytesIO(data) if data is not None else None)
    add("app", mode=0o755, kind=tarfile.DIRTYPE)
    for i in range(200):
        body = "".join("def handler_%d_%d(req):\n    return {'status': %d, 'id': req.get('id')}\n\n"
                       % (i, j, 200 + j) for j in range(30))
        add("app/svc/mod%03d.py" % i, body.encode())
    add("app/requirements.txt", b"flask==3.0.3\nrequests==2.32.3\ngunicorn==22.0.0\n")
    add("app/config.yaml", b"listen: 0.0.0.0:8080\nlog_level: info\nworkers: 4\n")
    add("var/lib/apt/lists/.wh..wh..opq", b"")
    add("var/cache/apt/.wh.pkgcache.bin", b"")
    add("var/cache/apt/.wh.srcpkgcache.bin", b"")


def debian(rootfs, outdir):
    owner = path_layers()
    paths = [os.path.join(outdir, "layer-%d.tar.gz" % (i + 1)) for i in range(len(LAYERS))]
    outs = [LayerOut(p) for p in paths]
    tfs = [tarfile.open(fileobj=o, mode="w|", format=tarfile.PAX_FORMAT) for o in outs]
    placed = {}
    counts = [0] * len(LAYERS)
    with tarfile.open(rootfs, mode="r|*") as src:
        for m in src:
            name = m.name.lstrip("./").rstrip("/")
            if not name:
                continue
            if m.islnk():
                k = placed.get(m.linkname.lstrip("./"), 0)
            else:
                k = owner.get(name, 0)
            m.name = name
            placed[name] = k
            tfs[k].addfile(m, src.extractfile(m) if m.isreg() else None)
            counts[k] += 1
    app_layer(tfs[4])
    counts[4] += 205
    diff_ids = []
    for t, o in zip(tfs, outs):
        t.close()
        diff_ids.append(o.close())
    history = [
        {"created": CREATED, "created_by": "/bin/sh -c #(nop) ADD file:4b03b5f551e3fbdf47ec6"
         "09e17fb1d2ad83a5316c5df4ad1e5c4d9fdb0bcf1cd in / "},
        {"created": CREATED, "created_by": "/bin/sh -c #(nop)  CMD [\"bash\"]",
         "empty_layer": True},
        {"created": CREATED, "created_by": "RUN /bin/sh -c apt-get update && apt-get install "
         "-y --no-install-recommends libssl3 libffi8 libsqlite3-0 zlib1g # buildkit"},
        {"created": CREATED, "created_by": "RUN /bin/sh -c apt-get update && apt-get install "
         "-y gcc g++ make python3 python3-pip perl # buildkit"},
        {"created": CREATED, "created_by": "RUN /bin/sh -c apt-get update && apt-get install "
         "-y curl wget git openssh-client gnupg ca-certificates # buildkit"},
        {"created": CREATED, "created_by": "ENV APP_HOME=/app", "empty_layer": True},
        {"created": CREATED, "created_by": "COPY . /app # buildkit"},
        {"created": CREATED, "created_by": "WORKDIR /app", "empty_layer": True},
        {"created": CREATED, "created_by": "CMD [\"python3\" \"-m\" \"svc\"]",
         "empty_layer": True},
    ]
    config = {"Env": ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
                      "APP_HOME=/app"],
              "Cmd": ["python3", "-m", "svc"], "WorkingDir": "/app"}
    write_archive(outdir, paths, diff_ids, history, config, "bench-debian:bookworm")
    for n, c, o in zip(LAYERS, counts, outs):
        print("  layer %-9s %7d entries %6d MB tar" % (n, c, o.n >> 20))


# ---- many small files -------------------------------------------------------------------

def tar_header(name, size, typ, mode):
    """A ustar header; name <= 100 bytes (the generator keeps it so)."""
    h = bytearray(512)
    nb = name.encode()
    h[0:len(nb)] = nb
    h[100:108] = b"%07o\0" % mode
    h[108:116] = b"0000000\0"
    h[116:124] = b"0000000\0"
    h[124:136] = b"%011o\0" % size
    h[136:148] = b"%011o\0" % MTIME
    h[148:156] = b"        "
    h[156:157] = typ
    h[257:265] = b"ustar\x0000"
    h[148:156] = b"%06o\0 " % sum(h)
    return bytes(h)


def smallfiles(n, nlayers, outdir):
    per_dir = 1000
    paths = [os.path.join(outdir, "layer-%d.tar.gz" % (i + 1)) for i in range(nlayers)]
    diff_ids = []
    f = 0
    for li, p in enumerate(paths):
        o = LayerOut(p)
        end = n * (li + 1) // nlayers
        buf = []
        d = -1
        for i in range(f, end):
            if i // per_dir != d:
                d = i // per_dir
                buf.append(tar_header("srv/data/part%d/d%04d/" % (li, d), 0, b"5", 0o755))
            body = b"id=%d\nname=record-%d\nvalue=%d\nchecksum=%08x\n" % (
                i, i, i * 7919 % 100003, (i * 2654435761) & 0xffffffff)
            buf.append(tar_header("srv/data/part%d/d%04d/r%07d.txt" % (li, d, i), len(body),
                                  b"0", 0o644))
            buf.append(body + b"\0" * (-len(body) % 512))
            if len(buf) > 4096:
                o.write(b"".join(buf))
                buf = []
        buf.append(b"\0" * 1024)
        o.write(b"".join(buf))
        diff_ids.append(o.close())
        f = end
    history = [{"created": CREATED, "created_by": "COPY data/part%d /srv/data/part%d # buildkit"
                % (i, i)} for i in range(nlayers)]
    write_archive(outdir, paths, diff_ids, history, {"User": "1000:1000"},
                  "bench-smallfiles:%d" % n)


def tiny(outdir):
    p = os.path.join(outdir, "layer-1.tar.gz")
    o = LayerOut(p)
    body = b"bench\n"
    o.write(tar_header("etc/", 0, b"5", 0o755) + tar_header("etc/hostname", len(body), b"0", 0o644)
            + body + b"\0" * (512 - len(body)) + b"\0" * 1024)
    write_archive(outdir, [p], [o.close()], [{"created": CREATED, "created_by": "COPY x /"}],
                  {"User": "1000:1000"}, "bench-tiny:1")


def main(argv):
    if len(argv) > 2 and argv[1] != "pkgset":
        os.makedirs(argv[-1] if argv[1] != "rootfs" else ".", exist_ok=True)
    if len(argv) < 2:
        raise SystemExit(__doc__)
    cmd = argv[1]
    if cmd == "pkgset":
        pkgset(argv[2:])
    elif cmd == "rootfs" and len(argv) > 3:
        rootfs(argv[2], argv[3:])
    elif cmd == "debian" and len(argv) == 4:
        debian(argv[2], argv[3])
    elif cmd == "smallfiles" and len(argv) == 5:
        smallfiles(int(argv[2]), int(argv[3]), argv[4])
    elif cmd == "tiny" and len(argv) == 3:
        tiny(argv[2])
    else:
        raise SystemExit(__doc__)


if __name__ == "__main__":
    main(sys.argv)
