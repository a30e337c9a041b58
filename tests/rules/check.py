#!/usr/bin/env python3
"""Rule fixtures: every rule has tests/rules/<ID>/fire*/ and pass*/ cases.

A case directory holds the input files (a Dockerfile, ...), optionally `args`
(extra command-line arguments, one line, shell words) and, for fire cases,
optionally `expect` (one line number a line: a finding of the rule must be on
each). `cmd` may name the subcommand (default: config). The case is scanned
from inside its directory with `-f json .`; a case with `image.json` is an
image built by tests/images/mkimage.py and scanned with `bulkhead image`
(SOURCE_DATE_EPOCH is 2025-01-01 for every case); a case with a `vulndb/` directory gets
`--db` of a database built from it with `bulkhead db build`; a fire case must report the rule
(unsuppressed), a pass case must not. With `cmd` "host" the case directory is scanned as a
host's root (`bulkhead host --root .`); a `hostfixture` file names a tree under
tests/fixtures/hosts to use instead (laid out with its setup by tests/host/lay.sh). A case with a
`statedir/` directory is an engine's data-root (containers/ID/config.v2.json and
hostconfig.json) scanned offline with `bulkhead engine --state-dir statedir`. A case with an
`api/` directory is a live engine: a fake engine on a unix socket answers each GET with the file
at api/<request path> ("/v1.41/containers/ID/changes" -> api/containers/ID/changes; the API
version and the query are dropped) or 404, and the case is scanned with `bulkhead engine --host unix://SOCK --all`. Every rule in
`bulkhead rules` must have
at least one of each, and a docs/rules/<ID>.md page.
Prints "ok ..." / "not ok ..." lines.
"""
import http.server
import json
import os
import re
import shlex
import socketserver
import subprocess
import sys
import tempfile
import threading

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BH = os.environ["BULKHEAD"]


def rule_ids():
    out = subprocess.run([BH, "rules", "-f", "json"], capture_output=True, text=True)
    if out.returncode != 0:
        print("not ok rules: `bulkhead rules -f json` failed: " + out.stderr.strip())
        return []
    return [r["id"] for r in json.loads(out.stdout)]


class _FakeEngine(http.server.BaseHTTPRequestHandler):
    """GET only: the file under the case's api/ directory named by the request path."""

    def do_GET(self):
        root = self.server.root
        req = re.sub(r"^/v[0-9]+\.[0-9]+/", "/", self.path.split("?")[0])
        p = os.path.normpath(os.path.join(root, req.lstrip("/")))
        code, body = 404, b'{"message": "not found"}'
        if p.startswith(root + os.sep) and os.path.isfile(p):
            with open(p, "rb") as f:
                code, body = 200, f.read()
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


class _UnixServer(socketserver.ThreadingMixIn, socketserver.UnixStreamServer):
    daemon_threads = True


def run_case(rid, case, path):
    args = []
    if os.path.exists(os.path.join(path, "args")):
        with open(os.path.join(path, "args")) as f:
            args = shlex.split(f.read())
    cmd = "config"
    if os.path.exists(os.path.join(path, "cmd")):
        with open(os.path.join(path, "cmd")) as f:
            cmd = f.read().strip()
    name = "rule %s %s" % (rid, case)
    target = "."
    tmp = None
    spec = os.path.join(path, "image.json")
    if os.path.exists(spec):
        # image cases: the image is built from the spec by tests/images/mkimage.py
        tmp = tempfile.TemporaryDirectory()
        target = os.path.join(tmp.name, "image.tar")
        b = subprocess.run([sys.executable, os.path.join(ROOT, "tests", "images", "mkimage.py"),
                            spec, target], capture_output=True, text=True)
        if b.returncode != 0:
            print("not ok %s: mkimage failed: %s" % (name, b.stderr.strip()[:500]))
            return
        cmd = "image"
    feeds = os.path.join(path, "vulndb")
    if os.path.isdir(feeds):
        # vulnerability cases: a database built from the case's advisory files
        if tmp is None:
            tmp = tempfile.TemporaryDirectory()
        db = os.path.join(tmp.name, "vuln.db")
        b = subprocess.run([BH, "db", "build", "-q", "-o", db, feeds], capture_output=True,
                           text=True)
        if b.returncode != 0:
            print("not ok %s: db build failed: %s" % (name, b.stderr.strip()[:500]))
            return
        args = ["--db", db] + args
    # host cases: the case directory is the host's "/" (bulkhead host --root .), or, with a
    # `hostfixture` file, the fixture host tree it names laid out by tests/host/lay.sh
    targets = ["--root", "."] if cmd == "host" else [target]
    fixture = os.path.join(path, "hostfixture")
    if os.path.exists(fixture):
        with open(fixture) as f:
            fname = f.read().strip()
        if tmp is None:
            tmp = tempfile.TemporaryDirectory()
        root = os.path.join(tmp.name, "host")
        os.mkdir(root)
        b = subprocess.run(["bash", os.path.join(ROOT, "tests", "host", "lay.sh"), fname, root],
                           capture_output=True, text=True)
        if b.returncode != 0:
            print("not ok %s: cannot lay out host fixture %s: %s" % (name, fname,
                                                                     b.stderr.strip()[:300]))
            return
        cmd = "host"
        targets = ["--root", root]
    # engine cases: the case's statedir/ is an engine data-root, read with no socket
    if os.path.isdir(os.path.join(path, "statedir")):
        cmd = "engine"
        targets = ["--state-dir", "statedir"]
    server = None
    if os.path.isdir(os.path.join(path, "api")):
        if tmp is None:
            tmp = tempfile.TemporaryDirectory()
        sock = os.path.join(tmp.name, "engine.sock")
        server = _UnixServer(sock, _FakeEngine)
        server.root = os.path.abspath(os.path.join(path, "api"))
        threading.Thread(target=server.serve_forever, daemon=True).start()
        cmd = "engine"
        targets = ["--host", "unix://" + sock, "--all"]
    p = subprocess.run([BH, cmd, "-f", "json"] + args + targets, cwd=path,
                       capture_output=True, text=True,
                       env=dict(os.environ, SOURCE_DATE_EPOCH="1735689600"))
    if server:
        server.shutdown()
        server.server_close()
    if tmp:
        tmp.cleanup()
    if p.returncode not in (0, 1):
        print("not ok %s: exit %d: %s" % (name, p.returncode, p.stderr.strip()[:500]))
        return
    try:
        rep = json.loads(p.stdout)
    except ValueError as e:
        print("not ok %s: output is not JSON (%s)" % (name, e))
        return
    hits = [f for t in rep["targets"] for f in t["findings"]
            if f["rule"] == rid and f.get("suppressed") is None]
    if case.startswith("fire"):
        if not hits:
            print("not ok %s: %s did not fire" % (name, rid))
            return
        exp = os.path.join(path, "expect")
        if os.path.exists(exp):
            with open(exp) as f:
                want = sorted(int(x) for x in f.read().split())
            got = sorted(set(f["location"].get("line", 0) for f in hits))
            missing = [w for w in want if w not in got]
            if missing:
                print("not ok %s: expected findings on lines %s, got lines %s" % (name, want, got))
                return
        print("ok %s" % name)
    else:
        if hits:
            print("not ok %s: %s fired: %s" % (name, rid, "; ".join(
                "%s:%s %s" % (h["location"].get("file"), h["location"].get("line"), h["message"])
                for h in hits)))
        else:
            print("ok %s" % name)


def main():
    ids = rule_ids()
    if not ids:
        print("not ok rules: the rule table is empty")
    base = os.path.join(ROOT, "tests", "rules")
    for rid in ids:
        d = os.path.join(base, rid)
        cases = sorted(c for c in os.listdir(d)) if os.path.isdir(d) else []
        fires = [c for c in cases if c.startswith("fire")]
        passes = [c for c in cases if c.startswith("pass")]
        if not fires:
            print("not ok rule %s: no fire fixture in tests/rules/%s/fire*/" % (rid, rid))
        if not passes:
            print("not ok rule %s: no pass fixture in tests/rules/%s/pass*/" % (rid, rid))
        if not os.path.exists(os.path.join(ROOT, "docs", "rules", rid + ".md")):
            print("not ok rule %s: no docs/rules/%s.md" % (rid, rid))
        for c in fires + passes:
            run_case(rid, c, os.path.join(d, c))
    # fixtures for rules that do not exist are mistakes too
    for d in sorted(os.listdir(base)):
        if os.path.isdir(os.path.join(base, d)) and d not in ids:
            print("not ok rule %s: fixtures for a rule that is not in the table" % d)


if __name__ == "__main__":
    main()
