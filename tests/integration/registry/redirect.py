#!/usr/bin/env python3
"""Two loopback HTTP servers for the redirect checks of the registry integration test.

ORIGIN (a small fake registry, Basic auth USER:PASS on /v2/...):
  /v2/fake/img/manifests/v1   a Docker v2 manifest: one config, one gzip tar layer
  /v2/fake/img/blobs/<digest> 307 to STORAGE (as registries do with blob storage)
  /v2/fake/bad/...            the same manifest, but by digest it and the config are
                              served with a byte added (digest mismatch)
  /redir                      307 to STORAGE /data
  /rel                        302 to the relative "/local"; /local answers 200
  /loop                       302 to itself, forever
  /big                        200, BIG_BYTES of deterministic data
STORAGE answers any GET with the bytes it holds, but with 400 and a log line
"LEAK <path>" when the request carries an Authorization header.
Every request is logged as "<server> <path> auth=<yes|no>" to LOG; the digests
and sizes of what is served go to OUT as "name value" lines.

usage: redirect.py ORIGIN_PORT STORAGE_PORT USER PASS LOG OUT
"""
import base64
import gzip
import hashlib
import io
import json
import random
import sys
import tarfile
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

OPORT, SPORT, USER, PASS, LOG, OUT = sys.argv[1:7]
BIG_BYTES = 5 * 1024 * 1024 + 123

rng = random.Random(42)
big = bytes(rng.getrandbits(8) for _ in range(BIG_BYTES))

tbuf = io.BytesIO()
with tarfile.open(fileobj=tbuf, mode="w", format=tarfile.PAX_FORMAT) as tf:
    data = b"hello from the fake registry\n"
    ti = tarfile.TarInfo("etc/hello.txt")
    ti.size = len(data)
    ti.mtime = 0
    tf.addfile(ti, io.BytesIO(data))
diff_id = "sha256:" + hashlib.sha256(tbuf.getvalue()).hexdigest()
layer = gzip.compress(tbuf.getvalue(), mtime=0)
layer_digest = "sha256:" + hashlib.sha256(layer).hexdigest()
config = json.dumps({"architecture": "amd64", "os": "linux",
                     "config": {"Env": ["PATH=/usr/bin:/bin"]},
                     "rootfs": {"type": "layers", "diff_ids": [diff_id]},
                     "history": [{"created_by": "fake layer"}]}).encode()
config_digest = "sha256:" + hashlib.sha256(config).hexdigest()
manifest = json.dumps({
    "schemaVersion": 2,
    "mediaType": "application/vnd.docker.distribution.manifest.v2+json",
    "config": {"mediaType": "application/vnd.docker.container.image.v1+json",
               "size": len(config), "digest": config_digest},
    "layers": [{"mediaType": "application/vnd.docker.image.rootfs.diff.tar.gzip",
                "size": len(layer), "digest": layer_digest}]}).encode()
manifest_digest = "sha256:" + hashlib.sha256(manifest).hexdigest()
stored = {"/config": config, "/layer": layer, "/data": b"stored data\n"}

with open(OUT, "w") as f:
    f.write("manifest %s\nconfig %s\nlayer %s\nbig-sha256 sha256:%s\nbig-bytes %d\n" % (
        manifest_digest, config_digest, layer_digest, hashlib.sha256(big).hexdigest(), len(big)))

lock = threading.Lock()


def log(line):
    with lock, open(LOG, "a") as f:
        f.write(line + "\n")


class Base(BaseHTTPRequestHandler):
    name = "?"

    def log_message(self, *args):
        pass

    def reply(self, code, body=b"", headers=()):
        self.send_response(code)
        for k, v in headers:
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)


class Origin(Base):
    def do_GET(self):
        auth = self.headers.get("Authorization")
        log("origin %s auth=%s" % (self.path, "yes" if auth else "no"))
        storage = "http://127.0.0.1:%s" % SPORT
        if self.path == "/redir":
            return self.reply(307, headers=[("Location", storage + "/data")])
        if self.path == "/rel":
            return self.reply(302, headers=[("Location", "/local")])
        if self.path == "/local":
            return self.reply(200, b"local data\n")
        if self.path == "/loop":
            return self.reply(302, headers=[("Location", "/loop")])
        if self.path == "/big":
            return self.reply(200, big, [("Content-Type", "application/octet-stream")])
        if not self.path.startswith("/v2/"):
            return self.reply(404)
        want = "Basic " + base64.b64encode(("%s:%s" % (USER, PASS)).encode()).decode()
        if auth != want:
            body = b'{"errors":[{"code":"UNAUTHORIZED","message":"authentication required"}]}'
            return self.reply(401, body, [("WWW-Authenticate", 'Basic realm="fake"'),
                                          ("Content-Type", "application/json")])
        if self.path == "/v2/fake/img/manifests/v1":
            return self.reply(200, manifest, [
                ("Content-Type", "application/vnd.docker.distribution.manifest.v2+json"),
                ("Docker-Content-Digest", manifest_digest)])
        if self.path == "/v2/fake/img/blobs/" + config_digest:
            return self.reply(307, headers=[("Location", storage + "/config?X-Sig=secret")])
        if self.path == "/v2/fake/img/blobs/" + layer_digest:
            return self.reply(307, headers=[("Location", storage + "/layer?X-Sig=secret")])
        # fake/bad: the same image, but what is served does not match its digest
        if self.path == "/v2/fake/bad/manifests/v1":
            return self.reply(200, manifest, [
                ("Content-Type", "application/vnd.docker.distribution.manifest.v2+json")])
        if self.path == "/v2/fake/bad/manifests/" + manifest_digest:
            return self.reply(200, manifest + b" ", [
                ("Content-Type", "application/vnd.docker.distribution.manifest.v2+json")])
        if self.path == "/v2/fake/bad/blobs/" + config_digest:
            return self.reply(200, config + b" ")
        return self.reply(404, b'{"errors":[{"code":"BLOB_UNKNOWN","message":"unknown"}]}')


class Storage(Base):
    def do_GET(self):
        auth = self.headers.get("Authorization")
        path = self.path.split("?")[0]
        log("storage %s auth=%s" % (self.path, "yes" if auth else "no"))
        if auth:
            log("LEAK %s" % path)
            return self.reply(400, b"authorization leaked\n")
        if path in stored:
            return self.reply(200, stored[path])
        return self.reply(404)


s1 = ThreadingHTTPServer(("127.0.0.1", int(SPORT)), Storage)
threading.Thread(target=s1.serve_forever, daemon=True).start()
ThreadingHTTPServer(("127.0.0.1", int(OPORT)), Origin).serve_forever()
