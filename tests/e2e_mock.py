#!/usr/bin/env python3
"""End-to-end tests of the mock endpoint (gdos-mock and `gdos mock`) through real sockets.

    e2e_mock.py GDOS GDOS_MOCK [TEST ...]

Each test starts its own mocks on 127.0.0.1 with kernel-chosen ports and stops them; every
socket has a timeout and every loop a bound. Python 3 standard library only. Prints one line per
test and exits non-zero when any failed.
"""

import http.client
import json
import os
import select
import signal
import socket
import ssl
import subprocess
import sys
import tempfile
import threading
import time
import traceback
import urllib.parse

GDOS, GDOS_MOCK = sys.argv[1], sys.argv[2]
ONLY = set(sys.argv[3:])
WORK = tempfile.mkdtemp(prefix="gdos-e2e-mock-")
PATH = "/products/!GetDetailedOrderStatus"
PASSWORD = "Demo pass&word 42!"  # the built-in fixture's demo account
LOGIN = "loginName=demo_reseller&loginPassword=Demo+pass%26word+42%21"
SECOND = "loginName=second_reseller&loginPassword=another-secret"

running = []  # every process started, killed at exit


def heap_measuring_env():
    """The environment for a mock whose peak RSS a test bounds. Under ASan the asan preset's
    detect_stack_use_after_return=1 gives each worker thread a fake stack whose frames rotate
    through megabytes of pages as the thread works, whatever the mock keeps of a request. Those
    tests measure what the mock keeps, so they turn that one check off for their own mock; every
    other test, and every other ASan check of theirs, still runs with it. Measured under load
    (three busy loops on two cores), head_limit after warm_workers(): +1.4 to +3.1 MB with it,
    +0.84 to +1.02 MB without."""
    env = dict(os.environ)
    if "ASAN_OPTIONS" in env:  # set by the sanitizer presets; later options override earlier
        env["ASAN_OPTIONS"] += ":detect_stack_use_after_return=0"
    return env


def warm_workers(m, body):
    """Posts `body` 40 times, one connection after another, before a test reads the mock's
    peak RSS as its baseline. The mock serves connections on 32 threads, woken in turn, so a
    single warm-up leaves 31 threads that have never served anything: the first request each
    serves touches its stack and per-thread allocator caches, which would count as growth
    caused by whatever the test sends next. Under ASan and load, with one warm-up request, the
    baselines ranged 31-36.5 MB against a steady 37-38 MB after (head_limit grew by up to
    8.7 MB, past its 8 MB bound, in a CI run); with these 40, by 0.84-1.02 MB."""
    for _ in range(40):
        post(m, body)


class Failure(Exception):
    pass


def check(cond, what):
    if not cond:
        raise Failure(what)


class Mock:
    """A mock program in the background; the first stdout line (JSON) says where it listens."""

    def __init__(self, *args, program=None, name="mock", expect_start=True, env=None):
        self.name = name
        self.ca = os.path.join(WORK, name + "-ca.pem")
        self.err_path = os.path.join(WORK, name + ".err")
        if "--ca-out" in args:
            self.ca = args[list(args).index("--ca-out") + 1]
        cmd = list(program or [GDOS_MOCK])
        for option, value in (("--port", "0"), ("--http-port", "0"), ("--ca-out", self.ca),
                              ("--seconds", "60")):
            if option not in args:
                cmd += [option, value]
        self.proc = subprocess.Popen(
            cmd + list(args),
            stdout=subprocess.PIPE, stderr=open(self.err_path, "wb"), stdin=subprocess.DEVNULL,
            env=env)
        running.append(self.proc)
        self.ready = None
        if expect_start:
            line = self.readline(15)
            check(line, name + ": no first line on stdout; stderr: " + self.err())
            try:
                self.ready = json.loads(line)
                self.json_line = True
            except ValueError:
                # Not the machine-readable line (test_ready_line_and_url_file fails then): the
                # human lines still say where it listens, so the other tests can run.
                self.json_line = False
                self.ready = {"ca_file": self.ca}
                for _ in range(10):
                    for key, prefix in (("url", "URL: "), ("http_url", "HTTP URL: ")):
                        if line.startswith(prefix):
                            self.ready[key] = line[len(prefix):].strip()
                    if "url" in self.ready and "http_url" in self.ready:
                        break
                    line = self.readline(5)
                check("url" in self.ready, name + ": no URL printed")
                self.ready["https_port"] = int(self.ready["url"].split(":")[2].split("/")[0])
                self.ready["http_port"] = int(self.ready["http_url"].split(":")[2].split("/")[0])
            self.url = self.ready["url"]
            self.port = self.ready["https_port"]

    def readline(self, timeout):
        end = time.monotonic() + timeout
        buf = b""
        fd = self.proc.stdout.fileno()
        while not buf.endswith(b"\n") and time.monotonic() < end:
            r, _, _ = select.select([fd], [], [], max(0.0, end - time.monotonic()))
            if not r:
                break
            chunk = os.read(fd, 1)
            if not chunk:
                break
            buf += chunk
        return buf.decode()

    def err(self):
        with open(self.err_path, "rb") as f:
            return f.read().decode(errors="replace")

    def rss_kb(self, key):
        with open("/proc/%d/status" % self.proc.pid) as f:
            for line in f:
                if line.startswith(key + ":"):
                    return int(line.split()[1])
        raise Failure("no %s for pid %d" % (key, self.proc.pid))

    def context(self):
        return ssl.create_default_context(cafile=self.ca)

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
        try:
            return self.proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(timeout=5)
            raise Failure(self.name + " did not stop within 15 s of SIGTERM")


def post(mock, body, host="127.0.0.1", path=PATH, method="POST", headers=None, timeout=10):
    """One HTTPS request with http.client: (status, reply body as text)."""
    c = http.client.HTTPSConnection(host, mock.port, context=mock.context(), timeout=timeout)
    try:
        h = {"Content-Type": "application/x-www-form-urlencoded"}
        h.update(headers or {})
        c.request(method, path, body=body, headers=h)
        r = c.getresponse()
        return r.status, r.read().decode(errors="replace")
    finally:
        c.close()


def tls_socket(mock, timeout=10):
    raw = socket.create_connection(("127.0.0.1", mock.port), timeout=timeout)
    return mock.context().wrap_socket(raw, server_hostname="127.0.0.1")


def recv_all(s, limit=1 << 20):
    """What the peer sends until it closes (or the socket's timeout, a failure)."""
    data = b""
    while len(data) < limit:
        try:
            chunk = s.recv(65536)
        except (ConnectionResetError, ssl.SSLError, BrokenPipeError):
            break
        if not chunk:
            break
        data += chunk
    return data


def run(cmd, timeout=20):
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=timeout,
                       stdin=subprocess.DEVNULL)
    return p.returncode, p.stdout.decode(errors="replace"), p.stderr.decode(errors="replace")


def write(name, text):
    path = os.path.join(WORK, name)
    with open(path, "w") as f:
        f.write(text)
    return path


# ---- exclusive bind, ready line, --url-file --------------------------------------------------

def test_exclusive_bind():
    a = Mock(name="first")
    try:
        for prog in ([GDOS_MOCK], [GDOS, "mock"]):
            t = time.monotonic()
            rc, out, err = run(prog + ["--port", str(a.port), "--http-port", "-1", "--seconds", "5"])
            check(rc == 4, "%s on a busy port: exit %d, expected 4; %s" % (prog, rc, err))
            check("address already in use" in err, "%s: message: %s" % (prog, err))
            check(time.monotonic() - t < 5, "%s on a busy port did not fail at once" % prog)
        # The busy one may also be the plain-HTTP port.
        rc, _, err = run([GDOS_MOCK, "--port", "0", "--http-port", str(a.ready["http_port"]),
                          "--seconds", "5"])
        check(rc == 4 and "address already in use" in err, "busy HTTP port: %d %s" % (rc, err))
        # Every request still reaches the first mock.
        for _ in range(10):
            status, body = post(a, LOGIN + "&orderNumber=1000001&queryType=0")
            check(status == 200 and "1_orderStatus=Pending" in body, "first mock: " + body)
    finally:
        a.stop()


def test_ready_line_and_url_file():
    url_file = os.path.join(WORK, "url.txt")
    m = Mock("--url-file", url_file, name="ready")
    try:
        check(m.json_line, "the first line is not a JSON object")
        r = m.ready
        check(r["url"] == "https://127.0.0.1:%d%s" % (r["https_port"], PATH), "url: %r" % r)
        check(r["http_url"] == "http://127.0.0.1:%d%s" % (r["http_port"], PATH), "http: %r" % r)
        check(r["ca_file"] == m.ca and r["pid"] == m.proc.pid, "ca_file/pid: %r" % r)
        with open(url_file) as f:
            check(f.read() == r["url"] + "\n", "--url-file holds the URL and a newline")
        status, body = post(m, LOGIN + "&orderNumber=1000002")
        check(status == 200 and body.startswith("errorCode=0&"), "query: " + body)
    finally:
        check(m.stop() == 0, "exit status after SIGTERM")
    check(not os.path.exists(url_file), "--url-file removed at exit")
    n = Mock("--http-port", "-1", name="no-http")
    try:
        check(n.ready["http_url"] is None and n.ready["http_port"] == -1, "no HTTP: %r" % n.ready)
    finally:
        n.stop()


def test_output_files_replace_symlinks():
    # A symlink planted where the mock writes its CA or URL file is replaced, never written
    # through (run as root in a shared directory, that would clobber any file).
    victim = write("victim.txt", "precious\n")
    ca, url = os.path.join(WORK, "link-ca.pem"), os.path.join(WORK, "link-url.txt")
    os.symlink(victim, ca)
    os.symlink(victim, url)
    m = Mock("--ca-out", ca, "--url-file", url, name="links")
    try:
        with open(victim) as f:
            check(f.read() == "precious\n", "the symlink's target was written")
        check(not os.path.islink(ca) and not os.path.islink(url), "the symlinks are still there")
        with open(ca) as f:
            check(f.read().startswith("-----BEGIN CERTIFICATE-----"), "no CA in " + ca)
        status, body = post(m, LOGIN + "&orderNumber=1000002")
        check(body.startswith("errorCode=0&"), "query with the CA written there: " + body)
    finally:
        m.stop()
    check([f for f in os.listdir(WORK) if ".tmp." in f] == [], "temporary files left behind")


# ---- exit statuses: gdos mock == gdos-mock -----------------------------------------------------

def test_exit_statuses():
    bad = write("bad.json", '{"accounts": [{"loginName": "a", "loginPassword": "b"}], "orders": 7}')
    busy = Mock(name="busy")
    try:
        cases = [
            ("help", ["--help"], 0, ""),
            ("unknown option", ["--frobnicate"], 2, "frobnicate"),
            ("bad port", ["--port", "70000"], 2, "--port"),
            ("bad timeout", ["--request-timeout", "0"], 2, "--request-timeout"),
            ("missing fixture", ["--fixture", os.path.join(WORK, "nope.json")], 3, "cannot open"),
            ("invalid fixture", ["--fixture", bad], 3, "$.orders: expected an array"),
            ("busy port", ["--port", str(busy.port)], 4, "address already in use"),
            ("unknown host", ["--host", "no-such-host.invalid"], 4, "cannot listen on"),
            ("CA file not writable", ["--ca-out", os.path.join(WORK, "no", "dir", "ca.pem")], 5,
             "cannot write the CA"),
        ]
        for what, args, want, text in cases:
            got = []
            for prog in ([GDOS_MOCK], [GDOS, "mock"]):
                rc, out, err = run(prog + ["--http-port", "-1", "--seconds", "3"] + args
                                   if what != "help" else prog + args)
                check(rc == want, "%s: %s exit %d, expected %d; %s" % (what, prog, rc, want, err))
                check(text in err + out, "%s: %s lacks %r: %s" % (what, prog, text, err))
                got.append(rc)
            check(got[0] == got[1], what + ": the two programs differ")
    finally:
        busy.stop()


# ---- numbers: decimal only, as the gdos CLI reads its own (tools/cli/numbers.hpp) -------------

def test_numeric_options_are_decimal():
    # Each was accepted before the mock shared the CLI's reader (CLI11's strtoll with base 0:
    # 0x10 is 16, 010 is 8, -1 wraps to 2^64-1 in an unsigned option, spaces and + pass).
    refused = [
        ("--port", "0x10", "not a decimal integer"),
        ("--port", "0X10", "not a decimal integer"),
        ("--port", "0b1", "not a decimal integer"),
        ("--port", "+16", "not a decimal integer"),
        ("--port", " 16", "not a decimal integer"),
        ("--port", "16.0", "not a decimal integer"),
        ("--port", "1e3", "not a decimal integer"),
        ("--port", "70000", "out of range"),
        ("--port", "99999999999999999999", "too large"),
        ("--request-timeout", "0x10", "not a decimal integer"),
        ("--max-requests", "-1", "not a decimal integer"),
        ("--max-requests", "0x10", "not a decimal integer"),
        ("--seconds", "0x10", "not a decimal integer"),
        ("--http-port", "0x10", "not a decimal integer"),
        ("--http-port", "-2", "out of range"),
        ("--http-port", "--1", "not a decimal integer"),
    ]
    for option, value, why in refused:
        base = {"--http-port": ["--seconds", "3"], "--seconds": ["--http-port", "-1"]}.get(
            option, ["--http-port", "-1", "--seconds", "3"])
        for prog in ([GDOS_MOCK], [GDOS, "mock"]):
            rc, out, err = run(prog + base + ["%s=%s" % (option, value)])
            check(rc == 2, "%s %s=%r: exit %d, expected 2 (usage); %s" % (prog, option, value, rc, err))
            check(option in err and why in err and "a decimal integer from" in err,
                  "%s %s=%r: message %r lacks the option, %r or the range" % (prog, option, value, err, why))
    # Leading zeros are decimal: --max-requests 010 is ten requests (octal would be eight).
    m = Mock("--max-requests", "010", "--http-port", "-1", name="decimal")
    try:
        for i in range(10):
            status, body = post(m, LOGIN + "&orderNumber=1000002")
            check(status == 200 and body.startswith("errorCode=0&"), "request %d: %s" % (i + 1, body))
        check(m.proc.wait(timeout=10) == 0, "the mock did not stop after 10 requests")
    finally:
        m.stop()


# ---- fidelity --------------------------------------------------------------------------------

def test_empty_post():
    m = Mock(name="empty")
    try:
        want = "errorCode=-3&errorMessage=The+%27loginName%27+argument+is+missing%21"
        for headers in ({"Content-Length": "0"}, {}):
            t = time.monotonic()
            c = http.client.HTTPSConnection("127.0.0.1", m.port, context=m.context(), timeout=10)
            # http.client sends no Content-Length for a POST without a body when told so.
            c.putrequest("POST", PATH)
            for k, v in headers.items():
                c.putheader(k, v)
            c.endheaders()
            r = c.getresponse()
            body = r.read().decode()
            c.close()
            check(r.status == 200 and body == want, "empty POST %r: %d %s" % (headers, r.status, body))
            check(time.monotonic() - t < 3, "empty POST %r took %.1f s" % (headers, time.monotonic() - t))
    finally:
        m.stop()


def test_accounts_own_orders():
    m = Mock(name="owners")
    try:
        cases = [
            (SECOND + "&orderNumber=1000001", "errorCode=-4&errorMessage=The+value+of+the+%27orderNumber%27+argument+is+invalid%21"),
            (SECOND + "&certificateID=5100001", "errorCode=-4&errorMessage=The+value+of+the+%27certificateID%27+argument+is+invalid%21"),
            (LOGIN + "&orderNumber=2000001", "errorCode=-4&errorMessage=The+value+of+the+%27orderNumber%27+argument+is+invalid%21"),
            (LOGIN + "&certificateID=5200001", "errorCode=-4&errorMessage=The+value+of+the+%27certificateID%27+argument+is+invalid%21"),
        ]
        for body, want in cases:
            status, got = post(m, body)
            check(got == want, "%s: %s" % (body.split("&", 2)[2], got))
        # Exactly the reply for an order that does not exist.
        _, none = post(m, SECOND + "&orderNumber=4242")
        check(none == cases[0][1], "another reseller's order differs from a missing one")
        status, own = post(m, SECOND + "&orderNumber=2000001&queryType=0")
        check(own.startswith("errorCode=0&1_orderNumber=2000001&"), "own order: " + own)
    finally:
        m.stop()


def test_response_formats():
    # Sectigo documents responseFormat 1 (url-encoded, the default) and 2 (JSON) for this call,
    # and the JSON reply's MIME type but not its shape: the mock answers 2 with the reply of 1.
    m = Mock(name="formats")
    try:
        c = http.client.HTTPSConnection("127.0.0.1", m.port, context=m.context(), timeout=10)
        replies = {}
        for fmt in ("1", "2"):
            c.request("POST", PATH, body=LOGIN + "&orderNumber=1000001&queryType=0&responseFormat=" + fmt,
                      headers={"Content-Type": "application/x-www-form-urlencoded"})
            r = c.getresponse()
            replies[fmt] = (r.status, r.getheader("Content-Type"), r.read().decode())
        c.close()
        check(replies["1"][2].startswith("errorCode=0&1_orderNumber=1000001&"), "format 1: %r" % (replies["1"],))
        check(replies["2"] == replies["1"], "format 2 differs from 1: %r" % (replies["2"],))
        invalid = "errorCode=-4&errorMessage=The+value+of+the+%27responseFormat%27+argument+is+invalid%21"
        for fmt in ("0", "3"):
            _, body = post(m, LOGIN + "&orderNumber=1000001&responseFormat=" + fmt)
            check(body == invalid, "format %s: %s" % (fmt, body))
    finally:
        m.stop()


def test_fixture_replaced_by_and_account():
    acc = '"accounts": [{"loginName": "a", "loginPassword": "b"}, {"loginName": "c", "loginPassword": "d"}]'
    cases = [
        ('{%s, "orders": [{"orderNumber": 1, "orderStatus": "x", "replacedBy": [1]}]}' % acc,
         "$.orders[0].replacedBy[0]: an order cannot replace itself"),
        ('{%s, "orders": [{"orderNumber": 1, "orderStatus": "x", "replacedBy": [2, 2]}, '
         '{"orderNumber": 2, "orderStatus": "y"}]}' % acc,
         "$.orders[0].replacedBy[1]: order 2 is listed twice"),
        ('{%s, "orders": [{"orderNumber": 1, "orderStatus": "x", "replacedBy": [2]}, '
         '{"orderNumber": 2, "orderStatus": "y", "account": "c"}]}' % acc,
         "$.orders: order 1 is replaced by 2, which belongs to another account"),
        ('{%s, "orders": [{"orderNumber": 1, "orderStatus": "x", "account": "zz"}]}' % acc,
         '$.orders[0].account: no account with loginName "zz" in $.accounts'),
    ]
    for i, (text, want) in enumerate(cases):
        path = write("replaced%d.json" % i, text)
        rc, _, err = run([GDOS_MOCK, "--fixture", path, "--seconds", "1"])
        check(rc == 3 and want in err, "fixture %d: exit %d: %s" % (i, rc, err))


def test_ipv6_url():
    try:
        s = socket.socket(socket.AF_INET6, socket.SOCK_STREAM)
        s.bind(("::1", 0))
        s.close()
    except OSError as e:
        print("    SKIPPED the request over ::1: this machine cannot bind ::1 (%s)" % e)
        rc, _, err = run([GDOS_MOCK, "--host", "::1", "--seconds", "1"])
        check(rc == 4, "--host ::1 without IPv6: exit %d" % rc)
        return
    m = Mock("--host", "::1", name="ipv6")
    try:
        check(m.url == "https://[::1]:%d%s" % (m.port, PATH), "URL: " + m.url)
        check("not a loopback" not in m.err(), "::1 warned as non-loopback")
        status, body = post(m, LOGIN + "&orderNumber=1000002", host="::1")
        check(body.startswith("errorCode=0&"), "query over ::1: " + body)
    finally:
        m.stop()
    # The URL as printed is what clients take.
    m = Mock("--host", "::1", "--http-port", "-1", name="ipv6b")
    try:
        env = dict(os.environ, GDOS_LOGIN_NAME="demo_reseller", GDOS_LOGIN_PASSWORD=PASSWORD)
        p = subprocess.run([GDOS, "query", "--order", "1000002", "--endpoint", m.url, "--ca-file",
                            m.ca], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           timeout=30, stdin=subprocess.DEVNULL)
        check(p.returncode == 0, "gdos query over [::1]: %d %s" % (p.returncode, p.stderr))
    finally:
        m.stop()


def test_non_loopback_warns():
    # 192.0.2.1 (TEST-NET-1) is assigned to nobody: the warning comes before the bind, which
    # fails, so nothing is ever reachable from outside.
    for prog in ([GDOS_MOCK], [GDOS, "mock"]):
        rc, _, err = run(prog + ["--host", "192.0.2.1", "--seconds", "1"])
        check("192.0.2.1 is not a loopback address" in err, "%s: no warning: %s" % (prog, err))
        check(rc == 4, "%s: exit %d" % (prog, rc))
    for host in ("127.0.0.1", "localhost"):
        m = Mock("--host", host, name="lo")
        m.stop()
        check("not a loopback" not in m.err(), host + " warned")


# ---- bounds ---------------------------------------------------------------------------------

def test_echoed_name_truncated():
    m = Mock(name="echo")
    try:
        name = "\x01" * 60000
        body = "%01" * 20000 + "=1&" + LOGIN + "&orderNumber=1"
        status, reply = post(m, body)
        check(status == 200 and reply.startswith("errorCode=-2&"), "reply: " + reply[:100])
        check(len(reply) < 400, "a -2 reply of %d bytes for a 60 KB name" % len(reply))
        check("...%27+is+an+unrecognised+argument%21" in reply, "no '...': " + reply)
        del name
    finally:
        m.stop()


def test_payload_limit():
    m = Mock(name="payload")
    try:
        # Up to the limit: read and answered (a -2 on the long name).
        body = "a" * (64 * 1024 - 2) + "=1"
        status, reply = post(m, body)
        check(status == 200 and reply.startswith("errorCode=-2&"), "64 KiB: %d %s" % (status, reply[:80]))
        # One byte more: 413, before or without reading it.
        status, reply = post(m, body + "x")
        check(status == 413, "64 KiB + 1: %d" % status)
        # Chunked: counted while reading.
        c = http.client.HTTPSConnection("127.0.0.1", m.port, context=m.context(), timeout=10)
        c.putrequest("POST", PATH)
        c.putheader("Transfer-Encoding", "chunked")
        c.endheaders()
        try:
            for _ in range(20):
                c.send(b"1000\r\n" + b"a" * 4096 + b"\r\n")
            c.send(b"0\r\n\r\n")
        except OSError:
            pass
        r = c.getresponse()
        check(r.status == 413, "80 KiB chunked: %d" % r.status)
        c.close()
        # Asking first (Expect: 100-continue): refused before the body is sent.
        s = tls_socket(m)
        s.sendall(("POST %s HTTP/1.1\r\nHost: x\r\nContent-Length: %d\r\nExpect: 100-continue\r\n\r\n"
                   % (PATH, 1 << 30)).encode())
        head = recv_all(s)
        s.close()
        check(head.startswith(b"HTTP/1.1 413 "), "Expect with 1 GiB: %r" % head[:40])
    finally:
        m.stop()


def blast(s, chunk, cap):
    """Sends `chunk` until `cap` bytes went out or the peer closes. Kernel buffers on loopback
    hold tens of MiB, so "sent" is no measure of what the peer read: what counts is that it
    closed (a timeout means it stopped reading but kept the connection: a failure)."""
    sent = 0
    try:
        while sent < cap:
            s.sendall(chunk)
            sent += len(chunk)
    except socket.timeout:
        return "timeout", sent
    except (OSError, ssl.SSLError):
        return "closed", sent
    return "sent all", sent


def test_head_limit():
    m = Mock("--quiet", name="head", env=heap_measuring_env())
    try:
        warm_workers(m, LOGIN + "&orderNumber=1000002")
        before = m.rss_kb("VmHWM")
        # Many header lines, then one endless line: both end long before 64 MiB.
        for what, first, chunk in (
                ("header lines", "POST %s HTTP/1.1\r\nHost: x\r\n" % PATH,
                 b"X-Filler: " + b"h" * 1012 + b"\r\n"),
                ("one header line", "POST %s HTTP/1.1\r\nX-Long: " % PATH, b"h" * 4096)):
            s = tls_socket(m)
            s.sendall(first.encode())
            outcome, sent = blast(s, chunk * 16, 64 << 20)
            s.close()
            print("    %s: the mock closed after %.1f MiB had left the client (kernel buffers "
                  "included)" % (what, sent / (1 << 20)))
            check(outcome == "closed", "%s: %s after %d bytes" % (what, outcome, sent))
        after = m.rss_kb("VmHWM")
        print("    VmHWM %d kB before, %d kB after (+%d kB)" % (before, after, after - before))
        check(after - before < 8 * 1024, "peak RSS grew by %d kB" % (after - before))
        status, body = post(m, LOGIN + "&orderNumber=1000002")
        check(body.startswith("errorCode=0&"), "after the big heads: " + body)
    finally:
        m.stop()


def test_peak_rss_under_64_mib_request():
    m = Mock("--quiet", name="rss", env=heap_measuring_env())
    try:
        warm_workers(m, LOGIN + "&orderNumber=1000007&queryType=2")  # TLS, replies, threads
        before = m.rss_kb("VmHWM")
        for how in ("length", "chunked", "no-length"):
            s = tls_socket(m, timeout=20)
            if how == "length":
                s.sendall(("POST %s HTTP/1.1\r\nHost: x\r\nContent-Length: %d\r\n\r\n"
                           % (PATH, 64 << 20)).encode())
            elif how == "chunked":
                s.sendall(("POST %s HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
                           % PATH).encode())
            else:
                s.sendall(("POST %s HTTP/1.1\r\nHost: x\r\n\r\n" % PATH).encode())
            mib = b"\x01" * (1 << 20)
            if how == "chunked":
                mib = b"100000\r\n" + mib + b"\r\n"
            t = time.monotonic()
            sent = 0
            try:
                for _ in range(64):
                    s.sendall(mib)
                    sent += 1
            except OSError:
                pass
            reply = recv_all(s)
            s.close()
            check(time.monotonic() - t < 15, how + ": took %.1f s" % (time.monotonic() - t))
            check(reply.startswith(b"HTTP/1.1 413 ") or reply.startswith(b"HTTP/1.1 200 ") or reply == b"",
                  how + ": %r" % reply[:40])
            print("    64 MiB request (%s): %d MiB sent before the mock closed, reply %r"
                  % (how, sent, reply[:12]))
        after = m.rss_kb("VmHWM")
        print("    VmHWM %d kB before, %d kB after three 64 MiB requests (+%d kB)"
              % (before, after, after - before))
        check(after - before < 16 * 1024, "peak RSS grew by %d kB" % (after - before))
    finally:
        m.stop()


def test_slow_clients_do_not_stop_the_mock():
    m = Mock("--request-timeout", "2", name="slow")
    try:
        slow = []
        for _ in range(8):
            s = tls_socket(m, timeout=10)
            s.sendall(("POST %s HTTP/1.1\r\n" % PATH).encode())
            slow.append(s)
        closed_at = [None] * len(slow)
        t0 = time.monotonic()

        def drip(i, s):
            # A header byte every second, until the mock hangs up (at most 12 s).
            while time.monotonic() - t0 < 12:
                try:
                    s.sendall(b"X")
                    s.settimeout(1)
                    try:
                        if s.recv(4096) == b"":
                            break
                    except socket.timeout:
                        continue
                    break  # a reply (400): the mock ended it
                except (OSError, ssl.SSLError):
                    break
            closed_at[i] = time.monotonic() - t0

        threads = [threading.Thread(target=drip, args=(i, s)) for i, s in enumerate(slow)]
        for t in threads:
            t.start()
        time.sleep(0.5)
        t = time.monotonic()
        status, body = post(m, LOGIN + "&orderNumber=1000002", timeout=5)
        took = time.monotonic() - t
        check(body.startswith("errorCode=0&"), "a query beside 8 slow clients: " + body)
        check(took < 1.5, "a query beside 8 slow clients took %.2f s" % took)
        for t in threads:
            t.join(20)
        for s in slow:
            s.close()
        print("    8 slow clients cut after %s s (request timeout 2 s); a query beside them took %.2f s"
              % (", ".join("%.1f" % c for c in closed_at), took))
        check(all(c is not None and c < 4.5 for c in closed_at), "slow clients lasted: %r" % closed_at)
        # A client that never even starts TLS is cut as well.
        raw = socket.create_connection(("127.0.0.1", m.port), timeout=10)
        t = time.monotonic()
        check(recv_all(raw) == b"", "silent client got bytes")
        raw.close()
        check(time.monotonic() - t < 4.5, "a silent client lasted %.1f s" % (time.monotonic() - t))
    finally:
        m.stop()


def test_log_names_the_order_asked_for():
    # One line per request, ending in what its body asked for, so that a test can follow each
    # order's requests (and their spacing) from the log; never the login.
    m = Mock(name="asked")
    try:
        post(m, LOGIN + "&orderNumber=1000002")
        post(m, LOGIN + "&certificateID=5100013&queryType=0")
        post(m, LOGIN + "&orderNumber=1000011&certificateID=5100013")
        post(m, SECOND + "&orderNumber=0001000010")  # another account's order: -4, still named
        post(m, "loginName=demo_reseller&loginPassword=wrong&orderNumber=77")  # -16
        post(m, LOGIN + "&orderNumber=0x10")  # refused by parse_request: nothing to name
        post(m, "", method="GET")  # -17: no body to read
    finally:
        m.stop()
    lines = [l for l in m.err().splitlines() if l.startswith("gdos-mock: #")]
    tails = [l.split(" -> ", 1)[1] for l in lines]
    want = ["200 errorCode=0 order=1000002",
            "200 errorCode=0 certificateID=5100013",
            "200 errorCode=0 order=1000011 certificateID=5100013",
            "200 errorCode=-4 order=1000010",
            "200 errorCode=-16 order=77",
            "200 errorCode=-4",
            "200 errorCode=-17"]
    check(tails == want, "log tails %r, expected %r" % (tails, want))
    check("Demo" not in m.err() and "wrong" not in m.err(), "a password reached the log")


def test_log_shows_control_bytes_as_question_marks():
    m = Mock(name="log")
    try:
        status, _ = post(m, "", path="/%1b[2J%1b[31mFAKE%0agdos-mock:%20forged", method="GET")
        check(status == 404, "status %d" % status)
    finally:
        m.stop()
    err = m.err()
    lines = [l for l in err.splitlines() if "FAKE" in l]
    check(len(lines) == 1, "log lines: %r" % err)
    check("\x1b" not in err, "an escape byte reached the log")
    check("/?[2J?[31mFAKE?gdos-mock: forged -> 404" in lines[0], "line: %r" % lines[0])


# ---- scenarios: timelines and faults (#12) ----------------------------------------------------

def fields(body):
    """A reply body as a dict (one value per name, as the mock sends each name once)."""
    return {k: v[0] for k, v in urllib.parse.parse_qs(body, keep_blank_values=True).items()}


def query(m, order, query_type=1, login=LOGIN):
    status, body = post(m, login + "&orderNumber=%d&queryType=%d" % (order, query_type))
    check(status == 200, "order %d: HTTP %d" % (order, status))
    return fields(body)


def test_timeline_by_requests():
    m = Mock(name="steps")
    try:
        seen = []
        for _ in range(5):
            r = query(m, 1000010)
            seen.append((r["1_orderStatus"], r["1_1_dcvStatus"], r.get("1_orderStatusReason", "")))
        want = [("Pending", "0", "Awaiting domain control validation"),
                ("Pending", "2", "Domain control validation in progress"),
                ("Pending", "1", "Validation complete, issuing"),
                ("Issued", "1", ""), ("Issued", "1", "")]
        check(seen == want, "1000010 went %r" % seen)
        # A rejection with its reason, after two replies.
        statuses = [query(m, 1000011) for _ in range(3)]
        check([r["1_orderStatus"] for r in statuses] == ["Pending", "Pending", "Rejected"],
              "1000011: %r" % [r["1_orderStatus"] for r in statuses])
        check(statuses[2]["1_orderStatusReason"] == "Domain control validation failed" and
              statuses[2]["1_1_certificateStatusReason"] == "DCV failed", "reason: %r" % statuses[2])
        # A replacement order that appears on the third reply (queryType 2 sends it as order 2).
        shown = [query(m, 1000012, 2) for _ in range(3)]
        check(["2_orderNumber" in r for r in shown] == [False, False, True], "replacement: %r" % shown)
        check(shown[2]["1_orderStatus"] == "Replaced" and shown[2]["2_orderNumber"] == "1000013" and
              shown[2]["2_orderStatus"] == "Issued", "replaced: %r" % shown[2])
        # Looked up by certificateID, the same order and the same clock.
        _, body = post(m, LOGIN + "&certificateID=5100013&queryType=0")
        check(fields(body)["1_orderStatus"] == "Rejected", "by certificateID: " + body)
        # Another account cannot see it, and that does not move its timeline.
        _, body = post(m, SECOND + "&orderNumber=1000010")
        check(body.startswith("errorCode=-4&"), "second reseller: " + body)
    finally:
        m.stop()


def test_timeline_by_time():
    m = Mock(name="clock")
    try:
        first_seen = {}
        t0 = time.monotonic()
        while time.monotonic() - t0 < 10 and "Issued" not in first_seen:
            r = query(m, 1000009)
            state = r["1_orderStatus"] if r["1_orderStatus"] == "Issued" else "dcv" + r["1_1_dcvStatus"]
            first_seen.setdefault(state, time.monotonic() - t0)
            time.sleep(0.2)
        print("    1000009 first seen: " + ", ".join("%s at %.2f s" % kv for kv in first_seen.items()))
        check(list(first_seen) == ["dcv0", "dcv2", "dcv1", "Issued"], "states: %r" % first_seen)
        # Steps at 1, 2 and 3 s after the first reply: never early, late by a poll at most
        # (bounds generous for a loaded machine).
        for state, at in (("dcv2", 1.0), ("dcv1", 2.0), ("Issued", 3.0)):
            check(at <= first_seen[state] < at + 3.0, "%s at %.2f s" % (state, first_seen[state]))
        r = query(m, 1000009)
        check(r["1_1_certificateStatus"] == "Valid" and r["1_1_serialNumber"], "issued: %r" % r)
    finally:
        m.stop()


def test_faults_of_the_builtin_flaky_order():
    m = Mock(name="flaky")
    try:
        outcomes = []
        for i in range(7):
            t = time.monotonic()
            try:
                status, body = post(m, LOGIN + "&orderNumber=1000014&queryType=0", timeout=10)
                outcome = "HTTP %d" % status if status != 200 else \
                    fields(body).get("1_orderStatus") or "errorCode " + fields(body)["errorCode"]
            except (http.client.RemoteDisconnected, ConnectionResetError, ssl.SSLError) as e:
                outcome = "dropped"
            outcomes.append((outcome, time.monotonic() - t))
        names = [o for o, _ in outcomes]
        check(names == ["HTTP 503", "errorCode -42", "errorCode -14", "dropped", "Pending", "Issued",
                        "Issued"], "1000014: %r" % names)
        check(outcomes[4][1] >= 0.95, "the slow reply came after %.2f s" % outcomes[4][1])
        check(outcomes[5][1] < 0.9, "the reply after the slow one took %.2f s" % outcomes[5][1])
        # Other orders are not affected, and the -42 text is Sectigo's.
        check(query(m, 1000002)["1_orderStatus"] == "Issued", "1000002 affected")
    finally:
        m.stop()
    err = m.err()
    # Faulted requests name their order too (after the note, last on the line).
    for note in ("-> 503 (fault: HTTP 503) order=1000014",
                 "-> 200 errorCode=-42 (fault: errorCode -42) order=1000014",
                 "-> no reply (fault: connection dropped) order=1000014",
                 "(fault: reply delayed 1000 ms) order=1000014",
                 "-> 200 errorCode=0 order=1000002"):
        check(note in err, "log lacks %r" % note)


SCENARIO_ACCOUNTS = '"accounts": [{"loginName": "a", "loginPassword": "b"}]'


def scenario(faults, orders='[{"orderNumber": 1, "orderStatus": "Pending"}]'):
    return '{%s, "orders": %s, "faults": %s}' % (SCENARIO_ACCOUNTS, orders, faults)


def hit_pattern(m, n, body="loginName=a&loginPassword=b&orderNumber=1"):
    out = ""
    for _ in range(n):
        try:
            status, reply = post(m, body)
            out += "." if status == 200 and reply.startswith("errorCode=0&") else "F"
        except (http.client.RemoteDisconnected, ConnectionResetError, ssl.SSLError):
            out += "D"
    return out


def test_fault_schedules():
    path = write("every.json", scenario('[{"fault": "http", "status": 502, "every": 3}]'))
    m = Mock("--fixture", path, name="every")
    try:
        check(hit_pattern(m, 9) == "..F..F..F", "every 3")
        # Requests that are not POSTs count too (the fault comes before the body is looked at).
        status, _ = post(m, "", method="GET")
        check(status == 200, "request 10 (GET): %d" % status)
        check(hit_pattern(m, 2) == ".F", "requests 11, 12")
    finally:
        m.stop()
    # A rate: the same requests for the same seed, another set for another seed.
    patterns = []
    for seed in (7, 7, 8):
        path = write("rate%d.json" % seed, scenario(
            '[{"fault": "errorCode", "errorCode": -14, "rate": 0.5, "seed": %d}]' % seed))
        m = Mock("--fixture", path, "--quiet", name="rate%d" % seed)
        try:
            patterns.append(hit_pattern(m, 40))
        finally:
            m.stop()
    print("    rate 0.5: seed 7 %s, seed 8 %s" % (patterns[0], patterns[2]))
    check(patterns[0] == patterns[1], "seed 7 twice: %r" % patterns[:2])
    check(patterns[0] != patterns[2], "seeds 7 and 8 alike")
    check(all(8 <= p.count("F") <= 32 for p in patterns), "rate 0.5 hit %r" % [p.count("F") for p in patterns])
    # An order's own requests, and a window of time: requests in [1 s, 2 s) after the first.
    orders = '[{"orderNumber": 1, "orderStatus": "Pending"}, {"orderNumber": 2, "orderStatus": "Issued"}]'
    path = write("window.json", scenario(
        '[{"fault": "drop", "orderNumber": 2, "requests": [2]},'
        ' {"fault": "http", "seconds": [1, 2]}]', orders))
    m = Mock("--fixture", path, name="window")
    try:
        check(hit_pattern(m, 1, "loginName=a&loginPassword=b&orderNumber=2") == ".", "order 2, 1st")
        check(hit_pattern(m, 3) == "...", "order 1 unaffected by order 2's fault")
        check(hit_pattern(m, 1, "loginName=a&loginPassword=b&orderNumber=2") == "D", "order 2, 2nd")
        time.sleep(1.2)
        check(hit_pattern(m, 1) == "F", "inside the window")
        time.sleep(1.0)
        check(hit_pattern(m, 1) == ".", "after the window")
    finally:
        m.stop()


def test_scenario_fixture_errors():
    o1 = '{"orderNumber": 1, "orderStatus": "Pending", "certificates": [{"FQDN": "a"}], "timeline": %s}'
    cases = [
        (o1 % '[{"orderStatus": "Issued"}]', "[]",
         '$.orders[0].timeline[0]: missing "after" (requests and/or seconds)'),
        (o1 % '[{"after": {}}]', "[]", '$.orders[0].timeline[0].after: give "requests", "seconds" or both'),
        (o1 % '[{"after": {"requests": 3}}, {"after": {"requests": 2}}]', "[]",
         "$.orders[0].timeline[1].after.requests: fewer than an earlier step's"),
        (o1 % '[{"after": {"seconds": -1}}]', "[]",
         "$.orders[0].timeline[0].after.seconds: expected a number of seconds from 0 to"),
        (o1 % '[{"after": {"requests": 1}, "orderStatus": ""}]', "[]",
         "$.orders[0].timeline[0].orderStatus: an order always has a status"),
        (o1 % '[{"after": {"requests": 1}, "certificates": [{"certificateID": 5}]}]', "[]",
         "$.orders[0].timeline[0].certificates[0].certificateID: a certificate's certificateID cannot change"),
        (o1 % '[{"after": {"requests": 1}, "certificates": [{}, {}, {}]}]', "[]",
         "$.orders[0].timeline[0].certificates: patches go by position: the order has 1 certificate(s)"),
        (o1 % '[{"after": {"requests": 1}, "certificates": [{"extra": {"FQDN": "x"}}]}]', "[]",
         "$.orders[0].timeline[0].certificates[0].extra.FQDN: unknown field named like a known field"),
        (o1 % '[{"after": {"requests": 1}, "certificates": [{"dcvStatus": 3}]}]', "[]",
         "$.orders[0].timeline[0].certificates[0].dcvStatus: expected -1, 0, 1 or 2"),
        (o1 % '[{"after": {"requests": 1}, "replacedBy": [9]}]', "[]",
         "$.orders: order 1 is replaced by 9, which is not in the fixture"),
        (o1 % '[{"after": {"requests": 1}, "replacedBy": [1]}]', "[]",
         "$.orders[0].timeline[0].replacedBy[0]: an order cannot replace itself"),
        (o1 % '[{"after": {"requests": 1}, "frobnicate": 1}]', "[]",
         '$.orders[0].timeline[0]: unknown key "frobnicate"'),
        (o1 % "[]", '[{"fault": "http"}]',
         '$.faults[0]: give exactly one schedule: "requests", "every", "rate" or "seconds"'),
        (o1 % "[]", '[{"fault": "teapot", "every": 1}]',
         '$.faults[0].fault: expected "http", "errorCode", "drop" or "slow"'),
        (o1 % "[]", '[{"fault": "drop", "status": 503, "every": 1}]',
         '$.faults[0].status: only for "fault": "http"'),
        (o1 % "[]", '[{"fault": "http", "status": 200, "every": 1}]',
         "$.faults[0].status: expected an HTTP error status, 400 to 599"),
        (o1 % "[]", '[{"fault": "errorCode", "errorCode": -15, "every": 1}]',
         '$.faults[0]: errorCode -15 has no fixed message here: give "errorMessage"'),
        (o1 % "[]", '[{"fault": "slow", "every": 1}]', '$.faults[0]: missing "delaySeconds"'),
        (o1 % "[]", '[{"fault": "drop", "orderNumber": 9, "every": 1}]',
         "$.faults[0].orderNumber: order 9 is not in the fixture"),
        (o1 % "[]", '[{"fault": "drop", "rate": 1.5}]',
         "$.faults[0].rate: expected a probability above 0, at most 1"),
        (o1 % "[]", '[{"fault": "drop", "requests": [3, 2]}]',
         "$.faults[0].requests[1]: request numbers must ascend"),
        (o1 % "[]", '[{"fault": "drop", "seconds": [2, 1]}]',
         "$.faults[0].seconds: the window ends before it starts"),
        (o1 % "[]", '[{"fault": "drop", "every": 2, "seed": 1}]', '$.faults[0].seed: only with "rate"'),
    ]
    for i, (order, faults, want) in enumerate(cases):
        path = write("scenario%d.json" % i, scenario(faults, "[" + order + "]"))
        rc, _, err = run([GDOS_MOCK, "--fixture", path, "--seconds", "1"])
        check(rc == 3 and want in err, "case %d: exit %d: %s (want %s)" % (i, rc, err.strip(), want))


TESTS = [v for k, v in sorted(globals().items()) if k.startswith("test_")]


def main():
    failures = 0
    start = time.monotonic()
    for t in TESTS:
        name = t.__name__[5:]
        if ONLY and name not in ONLY:
            continue
        t0 = time.monotonic()
        try:
            t()
            print("ok   %-40s %.1f s" % (name, time.monotonic() - t0), flush=True)
        except Exception as e:  # noqa: BLE001 - a failed test, whatever raised
            failures += 1
            detail = str(e) if isinstance(e, Failure) else traceback.format_exc()
            print("FAIL %-40s %s" % (name, detail), flush=True)
        finally:
            for p in running:
                if p.poll() is None:
                    p.kill()
                    p.wait(timeout=5)
            running.clear()
    print("e2e_mock: %d failed, %.1f s" % (failures, time.monotonic() - start))
    subprocess.run(["rm", "-rf", WORK])
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
