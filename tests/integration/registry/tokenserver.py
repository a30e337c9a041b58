#!/usr/bin/env python3
"""Token server for the registry integration test (docker-registry `auth: token`).

GET /token?service=S&scope=repository:NAME:ACTIONS[&scope=...] with HTTP Basic
credentials USER:PASS answers {"token": JWT} granting exactly the requested
scopes; without credentials it answers a token granting nothing (as Docker Hub
does for anonymous clients), and with wrong ones 401. The JWT is RS256, signed
with KEY, and carries CERT in x5c so the registry can chain it to its
rootcertbundle. Every request is appended to LOG as one line:
"<path+query> auth=<basic|none>".

usage: tokenserver.py PORT KEY CERT ISSUER USER PASS LOG
"""
import base64
import json
import sys
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding

PORT, KEY, CERT, ISSUER, USER, PASS, LOG = sys.argv[1:8]
with open(KEY, "rb") as f:
    key = serialization.load_pem_private_key(f.read(), password=None)
with open(CERT, "rb") as f:
    cert_der = x509.load_pem_x509_certificate(f.read()).public_bytes(serialization.Encoding.DER)


def b64url(b):
    return base64.urlsafe_b64encode(b).rstrip(b"=").decode()


def make_token(service, access):
    header = {"typ": "JWT", "alg": "RS256", "x5c": [base64.b64encode(cert_der).decode()]}
    now = int(time.time())
    claims = {"iss": ISSUER, "sub": USER, "aud": service, "exp": now + 300, "nbf": now - 10,
              "iat": now, "jti": uuid.uuid4().hex, "access": access}
    signing_input = (b64url(json.dumps(header).encode()) + "." +
                     b64url(json.dumps(claims).encode())).encode()
    sig = key.sign(signing_input, padding.PKCS1v15(), hashes.SHA256())
    return signing_input.decode() + "." + b64url(sig)


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def do_GET(self):
        auth = self.headers.get("Authorization")
        with open(LOG, "a") as f:
            f.write("%s auth=%s\n" % (self.path, "basic" if auth else "none"))
        u = urlparse(self.path)
        if u.path != "/token":
            self.send_response(404)
            self.end_headers()
            return
        q = parse_qs(u.query)
        granted = auth is not None
        if auth is not None:
            want = "Basic " + base64.b64encode(("%s:%s" % (USER, PASS)).encode()).decode()
            if auth != want:
                body = b'{"errors":[{"code":"UNAUTHORIZED","message":"bad credentials"}]}'
                self.send_response(401)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
                return
        access = []
        for scope in q.get("scope", []):
            parts = scope.split(":")
            if granted and len(parts) == 3 and parts[0] == "repository":
                access.append({"type": "repository", "name": parts[1],
                               "actions": parts[2].split(",")})
        body = json.dumps({"token": make_token(q.get("service", [""])[0], access),
                           "expires_in": 300}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


ThreadingHTTPServer(("127.0.0.1", int(PORT)), Handler).serve_forever()
