#!/usr/bin/env python3
"""A plain-HTTP server on 127.0.0.1 that answers every POST with a canned reply, for the CLI's
end-to-end tests (tests/e2e_cli.sh): replies a real endpoint could send but the mock does not.

    reply_server.py DIR PORT_FILE SECONDS

POST /NAME answers HTTP 200 with the bytes of DIR/NAME.body and the Content-Type in DIR/NAME.type
(default application/x-www-form-urlencoded). POST /hold/N answers after N seconds (a slow
server). The port (chosen by the kernel) is written to PORT_FILE once listening. One log line
per request on stderr: the path and whether a loginPassword arrived, never the body. Exits after
SECONDS; request bodies over 64 KiB are refused.
"""
import http.server
import os
import sys
import threading
import time

DIR, PORT_FILE, SECONDS = sys.argv[1], sys.argv[2], float(sys.argv[3])


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def do_POST(self):
        length = int(self.headers.get("Content-Length", "0"))
        if length > 65536:
            self.send_error(413)
            return
        body = self.rfile.read(length)
        print("POST %s%s" % (self.path, " (loginPassword received)" if b"loginPassword=" in body
                               else ""), file=sys.stderr, flush=True)
        if self.path.startswith("/hold/"):
            time.sleep(min(float(self.path[6:]), SECONDS))
            reply, ctype = b"errorCode=0", "application/x-www-form-urlencoded"
        else:
            name = os.path.basename(self.path)
            try:
                reply = open(os.path.join(DIR, name + ".body"), "rb").read()
            except OSError:
                self.send_error(404)
                return
            try:
                ctype = open(os.path.join(DIR, name + ".type")).read().strip()
            except OSError:
                ctype = "application/x-www-form-urlencoded"
        self.send_response(200)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(reply)))
        self.end_headers()
        self.wfile.write(reply)


server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
server.daemon_threads = True
with open(PORT_FILE + ".tmp", "w") as f:
    f.write(str(server.server_address[1]))
os.rename(PORT_FILE + ".tmp", PORT_FILE)
threading.Timer(SECONDS, server.shutdown).start()
server.serve_forever()
