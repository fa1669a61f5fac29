#!/usr/bin/env python3
"""A CONNECT-only HTTP proxy on 127.0.0.1 for the CLI's end-to-end tests (--proxy and libcurl's
https_proxy variable): it tunnels bytes it cannot read (TLS stays end to end).

    connect_proxy.py PORT_FILE SECONDS

Writes the port (chosen by the kernel) to PORT_FILE once listening; logs one line per request
on stderr (`CONNECT host:port`, or the method it refused); exits after SECONDS. Tunnels only to
127.0.0.1 and localhost.
"""
import os
import socket
import sys
import threading

PORT_FILE, SECONDS = sys.argv[1], float(sys.argv[2])


def pipe(a, b):
    try:
        while True:
            data = a.recv(65536)
            if not data:
                break
            b.sendall(data)
    except OSError:
        pass
    finally:
        for s in (a, b):
            try:
                s.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass


def handle(client):
    client.settimeout(10)
    head = b""
    while b"\r\n\r\n" not in head and len(head) < 8192:
        data = client.recv(4096)
        if not data:
            return
        head += data
    line = head.split(b"\r\n", 1)[0].decode("latin-1")
    parts = line.split(" ")
    print(" ".join(parts[:2]), file=sys.stderr, flush=True)
    host, _, port = parts[1].rpartition(":") if len(parts) > 1 else ("", "", "")
    if parts[0] != "CONNECT" or host not in ("127.0.0.1", "localhost"):
        client.sendall(b"HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n")
        client.close()
        return
    upstream = socket.create_connection((host, int(port)), timeout=10)
    client.sendall(b"HTTP/1.1 200 Connection established\r\n\r\n")
    client.settimeout(None)
    upstream.settimeout(None)
    threading.Thread(target=pipe, args=(client, upstream), daemon=True).start()
    pipe(upstream, client)


listener = socket.create_server(("127.0.0.1", 0))
with open(PORT_FILE + ".tmp", "w") as f:
    f.write(str(listener.getsockname()[1]))
os.rename(PORT_FILE + ".tmp", PORT_FILE)
threading.Timer(SECONDS, lambda: os._exit(0)).start()
while True:
    conn, _ = listener.accept()
    threading.Thread(target=handle, args=(conn,), daemon=True).start()
