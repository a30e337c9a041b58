#!/usr/bin/env python3
"""A logging proxy between a client and a Docker engine's unix socket.

    getproxy.py LISTEN_SOCK ENGINE_SOCK LOG [VANISH_ID]

Every request the client sends is logged as one line "METHOD TARGET" (the request
line without the HTTP version) and forwarded unchanged; the engine's answers go back
unchanged. Requests are parsed one after another on each connection (keep-alive),
bodies skipped by Content-Length; a chunked request body is logged as "CHUNKED" and
ends the connection. With VANISH_ID, GET /.../containers/VANISH_ID/json is answered
with the engine's 404 for a removed container instead of being forwarded, so a
container that disappears between the list and its inspect can be tested.
Stops on SIGTERM.
"""
import os
import signal
import socket
import sys
import threading

LISTEN, ENGINE, LOG = sys.argv[1], sys.argv[2], sys.argv[3]
VANISH = sys.argv[4] if len(sys.argv) > 4 else None
log_lock = threading.Lock()


def log(line):
    with log_lock, open(LOG, "a") as f:
        f.write(line + "\n")


def pump(src, dst):
    """engine -> client, bytes as they come"""
    try:
        while True:
            b = src.recv(65536)
            if not b:
                break
            dst.sendall(b)
    except OSError:
        pass
    for s in (dst, src):
        try:
            s.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass


def vanish_reply(client, target):
    body = b'{"message":"No such container: %s"}\n' % VANISH.encode()
    client.sendall(b"HTTP/1.1 404 Not Found\r\nContent-Type: application/json\r\n"
                   b"Content-Length: %d\r\n\r\n" % len(body) + body)


def requests(client, engine):
    """client -> engine, one request at a time"""
    buf = b""
    try:
        while True:
            while b"\r\n\r\n" not in buf:
                b = client.recv(65536)
                if not b:
                    return
                buf += b
            head, buf = buf.split(b"\r\n\r\n", 1)
            lines = head.split(b"\r\n")
            parts = lines[0].decode("latin-1").split(" ")
            method, target = parts[0], parts[1] if len(parts) > 1 else ""
            log("%s %s" % (method, target))
            headers = {}
            for h in lines[1:]:
                k, _, v = h.decode("latin-1").partition(":")
                headers[k.strip().lower()] = v.strip()
            if "chunked" in headers.get("transfer-encoding", "").lower():
                log("CHUNKED %s" % target)
                return
            n = int(headers.get("content-length", "0") or "0")
            while len(buf) < n:
                b = client.recv(65536)
                if not b:
                    return
                buf += b
            body, buf = buf[:n], buf[n:]
            if VANISH and method == "GET" and target.endswith("/containers/%s/json" % VANISH):
                vanish_reply(client, target)
                continue
            engine.sendall(head + b"\r\n\r\n" + body)
    except OSError:
        pass
    finally:
        try:
            engine.shutdown(socket.SHUT_WR)
        except OSError:
            pass


def serve(client):
    engine = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    engine.connect(ENGINE)
    t = threading.Thread(target=pump, args=(engine, client), daemon=True)
    t.start()
    requests(client, engine)
    t.join()
    client.close()
    engine.close()


def main():
    signal.signal(signal.SIGTERM, lambda *_: os._exit(0))
    if os.path.exists(LISTEN):
        os.unlink(LISTEN)
    srv = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    srv.bind(LISTEN)
    srv.listen(64)
    while True:
        c, _ = srv.accept()
        threading.Thread(target=serve, args=(c,), daemon=True).start()


if __name__ == "__main__":
    main()
