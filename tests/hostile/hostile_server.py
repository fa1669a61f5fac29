#!/usr/bin/env python3
"""A hostile HTTPS server for gdos' transport tests: loopback only, every reply bounded.

    hostile_server.py CERT_DIR LOG_FILE [--seconds N]

Listens on 127.0.0.1 with kernel-chosen ports, one per certificate found in CERT_DIR
(srv: SAN matches 127.0.0.1; cnonly: CN=127.0.0.1 but SAN DNS:other.example; sysonly: signed
by the "system" CA of the CA-exclusivity test), plus `closer` (srv's certificate: completes the
TLS handshake, then closes at once, so a client writing its request gets EPIPE) and `silent`
(accepts connections and never says a word, not even the TLS handshake), prints one line
`ports NAME=PORT ...` on stdout,
and serves until N seconds (default 120) have passed. Each request is logged to LOG_FILE as
`NAME PATH password|nopassword` when its body has been read, so a test can tell what reached
the server. Paths (POST):

  /ok        a url-encoded success reply
  /big       Content-Length: 1 GiB, then at most 64 MiB of body
  /chunked   an endless chunked body, stopped at 64 MiB
  /gzip      Content-Encoding: gzip although none was asked for: 64 KiB that inflate to 64 MiB
  /headers   an endless header section of 18-byte lines, stopped at 32 MiB
  /drip      Content-Length: 1000, then one byte per second, for at most 30 s
  /redirect  307 to http://127.0.0.1:9/ (nothing listens there)
  /echo      a -4 reply whose errorMessage echoes the password in many encodings
  /echo-html a 500 HTML page echoing the request body with the password across byte 200

Everything a reply sends is bounded in bytes and time; a client that goes away ends it.
"""

from __future__ import annotations

import html
import http.server
import json
import os
import re
import socket
import ssl
import sys
import threading
import time
import urllib.parse
import zlib

FORM = "application/x-www-form-urlencoded"
BLOCK = b"A" * 65536
MAX_STREAM = 64 << 20
MAX_HEADERS = 32 << 20
DRIP_SECONDS = 30


def gzip_bomb() -> bytes:
    z = zlib.compressobj(9, zlib.DEFLATED, 31)
    parts = [z.compress(b"errorCode=0&x=")]
    parts += [z.compress(BLOCK) for _ in range(MAX_STREAM // len(BLOCK))]
    parts.append(z.flush())
    return b"".join(parts)


BOMB = b""  # built in main(): importing this module (the test driver does) stays cheap


def echoes(password: str) -> str:
    """The password as a server might echo it: literal, percent-encoded in every way, in HTML
    and JSON."""
    quoted_upper = "".join("%%%02X" % b for b in password.encode())
    quoted_lower = "".join("%%%02x" % b for b in password.encode())
    lower_hex = re.sub("%[0-9A-F]{2}", lambda m: m.group(0).lower(),
                       urllib.parse.quote(password, safe=""))
    forms = [
        password,
        urllib.parse.quote_plus(password),
        urllib.parse.quote(password, safe=""),
        lower_hex,
        quoted_upper,
        quoted_lower,
        urllib.parse.quote(urllib.parse.quote(password, safe=""), safe=""),
        html.escape(password),
        "".join("&#%d;" % ord(c) for c in password),
        json.dumps(password)[1:-1].replace("/", "\\/"),
    ]
    return " | ".join(forms)


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "hostile"
    sys_version = ""

    def log_message(self, *args) -> None:  # quiet: the log file says what matters
        pass

    def send(self, code: int, ctype: str, body: bytes, extra=()) -> None:
        self.send_response(code)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for k, v in extra:
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(body)

    def stream(self, chunk: bytes, limit: int) -> None:
        sent = 0
        while sent < limit:
            self.wfile.write(chunk)
            sent += len(chunk)

    def do_POST(self) -> None:
        length = min(int(self.headers.get("Content-Length", "0") or 0), 1 << 16)
        body = self.rfile.read(length)
        with self.server.log_lock:
            with open(self.server.log_file, "a") as log:
                log.write("%s %s %s\n" % (self.server.name, self.path,
                                          "password" if b"loginPassword=" in body else "nopassword"))
        fields = urllib.parse.parse_qs(body.decode("utf-8", "replace"))
        password = fields.get("loginPassword", [""])[0]
        p = self.path
        try:
            if p == "/ok":
                self.send(200, FORM, b"errorCode=0&1_orderNumber=1&1_orderStatus=Issued")
            elif p == "/big":
                self.send_response(200)
                self.send_header("Content-Type", FORM)
                self.send_header("Content-Length", str(1 << 30))
                self.end_headers()
                self.stream(BLOCK, MAX_STREAM)
            elif p == "/chunked":
                self.send_response(200)
                self.send_header("Content-Type", FORM)
                self.send_header("Transfer-Encoding", "chunked")
                self.end_headers()
                self.stream(b"%x\r\n" % len(BLOCK) + BLOCK + b"\r\n", MAX_STREAM)
            elif p == "/gzip":
                self.send(200, FORM, BOMB, [("Content-Encoding", "gzip")])
            elif p == "/headers":
                self.wfile.write(b"HTTP/1.1 200 OK\r\n")
                self.stream(b"X-F: hhhhhhhhhhh\r\n" * 4096, MAX_HEADERS)
            elif p == "/drip":
                self.send_response(200)
                self.send_header("Content-Type", FORM)
                self.send_header("Content-Length", "1000")
                self.end_headers()
                start = time.monotonic()
                while time.monotonic() - start < DRIP_SECONDS:
                    self.wfile.write(b"A")
                    self.wfile.flush()
                    time.sleep(1)
            elif p == "/redirect":
                self.send(307, "text/html", b"moved", [("Location", "http://127.0.0.1:9/x")])
            elif p == "/echo":
                message = "bad password: " + echoes(password)
                self.send(200, FORM, ("errorCode=-4&errorMessage=" +
                                      urllib.parse.quote_plus(message)).encode())
            elif p == "/echo-html":
                raw = body[body.find(b"loginPassword="):] if b"loginPassword=" in body else b""
                # 15 + 156 + 11 + 14: the password starts at byte 196, across gdos' 200-byte cut.
                page = b"<html><body><p>" + b"x" * 156 + b" You sent: " + raw
                page += b"</p><p>(" + html.escape(password).encode() + b")</p></body></html>"
                self.send(500, "text/html", page)
            else:
                self.send(404, "text/plain", b"no such case")
        except OSError:
            pass  # the client went away: that is how most cases end
        self.close_connection = True


def closer(listener: socket.socket, ctx: ssl.SSLContext) -> None:
    while True:
        conn, _ = listener.accept()
        try:
            ctx.wrap_socket(conn, server_side=True).close()
        except OSError:
            conn.close()


def silent(listener: socket.socket) -> None:
    held = []  # kept open, unanswered, until the server stops
    while True:
        held.append(listener.accept()[0])


class Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = False


def main() -> int:
    global BOMB
    BOMB = gzip_bomb()
    cert_dir, log_file = sys.argv[1], sys.argv[2]
    seconds = int(sys.argv[4]) if len(sys.argv) > 4 and sys.argv[3] == "--seconds" else 120
    open(log_file, "w").close()
    lock = threading.Lock()
    servers = []
    for name in ("srv", "cnonly", "sysonly"):
        cert = os.path.join(cert_dir, name + ".pem")
        if not os.path.exists(cert):
            continue
        srv = Server(("127.0.0.1", 0), Handler)
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(cert, os.path.join(cert_dir, name + ".key"))
        srv.socket = ctx.wrap_socket(srv.socket, server_side=True)
        srv.name, srv.log_file, srv.log_lock = name, log_file, lock
        servers.append(srv)
        threading.Thread(target=srv.serve_forever, daemon=True).start()
    ports = ["%s=%d" % (s.name, s.server_address[1]) for s in servers]
    listener = socket.create_server(("127.0.0.1", 0))
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(os.path.join(cert_dir, "srv.pem"), os.path.join(cert_dir, "srv.key"))
    threading.Thread(target=closer, args=(listener, ctx), daemon=True).start()
    ports.append("closer=%d" % listener.getsockname()[1])
    quiet = socket.create_server(("127.0.0.1", 0))
    threading.Thread(target=silent, args=(quiet,), daemon=True).start()
    ports.append("silent=%d" % quiet.getsockname()[1])
    print("ports " + " ".join(ports), flush=True)
    time.sleep(seconds)
    return 0


if __name__ == "__main__":
    sys.exit(main())
