#!/usr/bin/env bash
# tests/images/debian-from-host.sh OUT.tar - a Debian root filesystem as a plain tar (for
# `docker import`), made WITHOUT network from the packages installed on this Debian host.
#
# The package set is a realistic minimal system (the seeds below) plus the closure of their
# Depends/Pre-Depends that is installed here (first installed alternative wins). Files come
# from `dpkg -L`; paths are mapped through the host's merged-/usr symlinks (/bin -> usr/bin,
# ...) so the tar is a proper merged-/usr tree with those symlinks at the top. Listed files
# that are missing on the host are skipped. /etc/passwd, group, shadow and gshadow are copies
# reduced to system accounts (uid/gid < 1000, and nobody/nogroup) with every password locked;
# /var/lib/dpkg/status and info/*.list|md5sums are restricted to the chosen packages.
# Entries are sorted by path and carry the host's mtimes, modes and numeric owners (no
# names), so two runs on the same host give the same bytes. Needs root (to read
# /etc/shadow and 0700 directories), dpkg-query and python3. Used by
# tests/integration/sources/run.sh and the image benchmark.
set -euo pipefail

if [ $# -ne 1 ] || [ -z "$1" ]; then
    echo "usage: $0 OUT.tar" >&2
    exit 2
fi
OUT=$1
SEEDS="base-files base-passwd bash coreutils dash debianutils diffutils dpkg findutils grep gzip
hostname libc-bin libc6 login mawk ncurses-base passwd perl-base sed tar util-linux zlib1g apt
gpgv libssl3 ca-certificates openssl curl"

for t in dpkg-query python3; do
    command -v "$t" >/dev/null || { echo "$0: $t not found (a Debian host is needed)" >&2; exit 1; }
done
[ -r /etc/shadow ] || { echo "$0: cannot read /etc/shadow (run as root)" >&2; exit 1; }

tmp="$OUT.tmp.$$"
trap 'rm -f "$tmp"' EXIT
# shellcheck disable=SC2086
python3 - "$tmp" $SEEDS <<'PYEOF'
import os, re, stat, subprocess, sys, tarfile, io

out, seeds = sys.argv[1], sys.argv[2:]

def query(fmt, pkgs):
    r = subprocess.run(["dpkg-query", "-W", "-f", fmt] + pkgs, capture_output=True, text=True)
    return r.stdout

# --- the package closure (installed packages only; virtual or absent ones are skipped)
installed = {}
for line in query("${Package}\t${Architecture}\t${db:Status-Abbrev}\n", []).splitlines():
    name, arch, st = (line.split("\t") + ["", "", ""])[:3]
    if st.startswith("ii"):
        installed.setdefault(name, arch)
missing_seeds = [p for p in seeds if p not in installed]
if missing_seeds:
    sys.stderr.write("debian-from-host: seed packages not installed: %s\n" % " ".join(missing_seeds))
    sys.exit(1)

def deps(pkg):
    txt = query("${Pre-Depends}, ${Depends}", [pkg])
    res = []
    for clause in txt.split(","):
        clause = clause.strip()
        if not clause:
            continue
        for alt in clause.split("|"):
            name = re.sub(r"\(.*?\)", "", alt).strip().split(":")[0]
            if name in installed:
                res.append(name)
                break
    return res

chosen, todo = set(), list(seeds)
while todo:
    p = todo.pop()
    if p in chosen:
        continue
    chosen.add(p)
    todo.extend(d for d in deps(p) if d not in chosen)
pkgs = sorted(chosen)

# --- host paths -> image paths (merged /usr: resolve the directory part on the host)
topLinks = {}
for name in sorted(os.listdir("/")):
    p = "/" + name
    if os.path.islink(p):
        tgt = os.readlink(p)
        if tgt.startswith("usr/") or tgt.startswith("/usr/"):
            topLinks[name] = tgt.lstrip("/")

def image_path(p):
    d, b = os.path.split(p)
    d = os.path.realpath(d) if d != "/" else "/"
    if not d.startswith("/"):
        return None
    ip = os.path.normpath(os.path.join(d, b))
    return ip.lstrip("/")

entries = {}  # image path (no leading /) -> host path or ("data", bytes, mode, uid, gid)
def add_host(hp):
    ip = image_path(hp)
    if not ip or ip in entries or ip.split("/")[0] in topLinks:
        return
    try:
        st = os.lstat(hp)
    except OSError:
        return
    if not (stat.S_ISREG(st.st_mode) or stat.S_ISDIR(st.st_mode) or stat.S_ISLNK(st.st_mode)):
        return
    entries[ip] = hp
    # every parent directory too
    parent = os.path.dirname(ip)
    while parent and parent not in entries:
        entries[parent] = "/" + parent
        parent = os.path.dirname(parent)

for p in pkgs:
    r = subprocess.run(["dpkg", "-L", p], capture_output=True, text=True)
    for line in r.stdout.splitlines():
        if line.startswith("/") and line not in ("/", "/."):
            add_host(line)

# standard directories of any root filesystem
for d in ["etc", "root", "tmp", "home", "var/tmp", "var/log", "var/cache", "proc", "sys", "dev",
          "run", "mnt", "srv", "opt", "media", "usr/local/bin", "var/lib/dpkg/info",
          "var/lib/dpkg/updates", "var/lib/dpkg/triggers"]:
    if not os.path.isdir("/" + d):
        continue
    add_host("/" + d)

# --- sanitised account databases
def sys_id(v):
    try:
        n = int(v)
    except ValueError:
        return False
    return n < 1000 or n == 65534

def read(p):
    with open(p, encoding="utf-8", errors="replace") as f:
        return f.read().splitlines()

users, text = set(), []
for line in read("/etc/passwd"):
    f = line.split(":")
    if len(f) >= 7 and sys_id(f[2]):
        users.add(f[0]); text.append(line)
files = {"etc/passwd": ("\n".join(text) + "\n", 0o644, 0)}
groups, text = set(), []
for line in read("/etc/group"):
    f = line.split(":")
    if len(f) >= 4 and sys_id(f[2]):
        f[3] = ",".join(m for m in f[3].split(",") if m in users)
        groups.add(f[0]); text.append(":".join(f))
files["etc/group"] = ("\n".join(text) + "\n", 0o644, 0)
shadow_gid = int(next((l.split(":")[2] for l in read("/etc/group") if l.startswith("shadow:")), "0"))
text = []
for line in read("/etc/shadow"):
    f = line.split(":")
    if len(f) >= 9 and f[0] in users:
        f[1] = "*" if not f[1].startswith("!") and f[1] != "*" else f[1]
        if f[1].startswith("!"):
            f[1] = "!*" if f[1] != "!" else "!"
        text.append(":".join(f))
# an account in passwd without a shadow line gets a locked one
have = {l.split(":")[0] for l in text}
for u in sorted(users - have):
    text.append("%s:*:19000:0:99999:7:::" % u)
files["etc/shadow"] = ("\n".join(text) + "\n", 0o640, shadow_gid)
if os.path.exists("/etc/gshadow"):
    text = []
    for line in read("/etc/gshadow"):
        f = line.split(":")
        if len(f) >= 4 and f[0] in groups:
            f[1] = "*"
            f[2] = ",".join(m for m in f[2].split(",") if m in users)
            f[3] = ",".join(m for m in f[3].split(",") if m in users)
            text.append(":".join(f))
    files["etc/gshadow"] = ("\n".join(text) + "\n", 0o640, shadow_gid)

# --- dpkg database restricted to the chosen packages
keep = set(pkgs)
paras, cur = [], []
for line in read("/var/lib/dpkg/status") + [""]:
    if line == "":
        if cur:
            paras.append(cur)
        cur = []
    else:
        cur.append(line)
status = []
for para in paras:
    name = next((l[9:] for l in para if l.startswith("Package: ")), "")
    st = next((l[8:] for l in para if l.startswith("Status: ")), "")
    if name in keep and st.endswith(" installed"):
        status.append("\n".join(para))
files["var/lib/dpkg/status"] = ("\n\n".join(status) + "\n", 0o644, 0)
info = "/var/lib/dpkg/info"
for fn in sorted(os.listdir(info)):
    base, _, ext = fn.rpartition(".")
    if ext in ("list", "md5sums", "conffiles") and base.split(":")[0] in keep:
        add_host(os.path.join(info, fn))
# /etc/os-release is in base-files (a symlink to ../usr/lib/os-release); make sure
if not any(k in entries for k in ("etc/os-release", "usr/lib/os-release")):
    sys.stderr.write("debian-from-host: no os-release on this host\n"); sys.exit(1)

for k in files:
    entries[k] = None
    parent = os.path.dirname(k)
    while parent and parent not in entries:
        entries[parent] = "/" + parent
        parent = os.path.dirname(parent)

# --- the tar: sorted, numeric owners, host mtimes clamped to the last dpkg run (directories
# such as /tmp and /etc change whenever anything is written there)
clamp = int(os.stat("/var/lib/dpkg/status").st_mtime)
with tarfile.open(out, "w", format=tarfile.PAX_FORMAT) as tar:
    for name, tgt in sorted(topLinks.items()):
        if not any(k == tgt or k.startswith(tgt + "/") for k in entries):
            continue  # e.g. /lib32 on a host with multilib, empty here
        ti = tarfile.TarInfo(name)
        ti.type, ti.linkname, ti.mode = tarfile.SYMTYPE, tgt, 0o777
        ti.mtime = min(clamp, int(os.lstat("/" + name).st_mtime))
        tar.addfile(ti)
    for ip in sorted(entries):
        if entries[ip] is None:
            data, mode, gid = files[ip]
            b = data.encode()
            ti = tarfile.TarInfo(ip)
            ti.size, ti.mode, ti.uid, ti.gid = len(b), mode, 0, gid
            ti.mtime = clamp
            tar.addfile(ti, io.BytesIO(b))
            continue
        hp = entries[ip]
        try:
            ti = tar.gettarinfo(hp, arcname=ip)
        except OSError:
            continue
        if ti is None:
            continue
        ti.uname = ti.gname = ""
        ti.mtime = min(clamp, int(ti.mtime))
        if ti.isreg():
            with open(hp, "rb") as f:
                tar.addfile(ti, f)
        else:
            tar.addfile(ti)
sys.stderr.write("debian-from-host: %d packages, %d entries\n" % (len(pkgs), len(entries)))
PYEOF
mv -f "$tmp" "$OUT"
trap - EXIT
