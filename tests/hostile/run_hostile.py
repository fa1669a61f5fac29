#!/usr/bin/env python3
"""Runs gdos' clients against tests/hostile/hostile_server.py and checks how each case ends.

    run_hostile.py [--sanitized] cases WORK_DIR SPAWN KIND=PROGRAM...
    run_hostile.py [--sanitized] ca-exclusive WORK_DIR SPAWN KIND=PROGRAM...
    run_hostile.py [--sanitized] residue WORK_DIR SPAWN RESIDUE_PROGRAM

KIND: curl, httplib (the example programs), gdos (`gdos query`).

SPAWN is tests/hostile/spawn.cpp (hostile_spawn): every client runs under it, which reports the
client's own peak RSS (wait4's ru_maxrss; forked from the driver, a client would be charged
the driver's ~22 MiB too) and wall time.

`cases`: for every client and every hostile case, the call must end in its typed error, within
its deadline, with the client's peak RSS under 64 MiB, and
the password (in any of the encodings the server echoes, or the first 4 bytes of one) in none of
its output. `ca-exclusive`: in a private mount namespace whose /etc/ssl/certs trusts a "system" CA,
a client given another CA file must refuse a certificate only the system CA signed (and, as a
control, accept it with no CA file). Needs root or unprivileged user namespaces; exits 77
(skipped, for ctest's SKIP_RETURN_CODE and Meson) when neither is available. `residue`: after
one call through each example transport, no copy of the password is left in the client's
writable memory, and a server closing under the request does not kill the client by SIGPIPE.

--sanitized (an ASan build): peak RSS is printed but not held to 64 MiB (ASan's shadow and
quarantine are not the program's), and `residue` is skipped (exit 77): the quarantine keeps
every freed block as it was, so the scan would measure ASan rather than the transports.

Certificates are made with openssl in WORK_DIR at each run; the server listens on 127.0.0.1
only, on ports the kernel picks, and stops by itself.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import hostile_server  # noqa: E402  (for echoes(): the forms to look for in the output)

PASSWORD = 'pa ss/S3cr&t<"x'
LOGIN = "alice"
MAX_RSS_KB = 64 * 1024
HARD_LIMIT_S = 60.0  # a client still running then is killed (and the case fails)
SKIP = 77
SANITIZED = False  # set by main()


# ---- certificates ---------------------------------------------------------------------------

def openssl(*args: str, cwd: Path) -> None:
    subprocess.run(["openssl", *args], cwd=cwd, check=True, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL)


def make_ca(d: Path, name: str) -> None:
    openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
            "-keyout", f"{name}.key", "-out", f"{name}.pem", "-days", "2", "-subj",
            f"/CN=gdos hostile test {name}", "-addext", "basicConstraints=critical,CA:TRUE",
            "-addext", "keyUsage=critical,keyCertSign", cwd=d)


def make_leaf(d: Path, name: str, ca: str, cn: str, san: str) -> None:
    (d / f"{name}.ext").write_text(f"extendedKeyUsage=serverAuth\nsubjectAltName={san}\n")
    openssl("req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout",
            f"{name}.key", "-out", f"{name}.csr", "-subj", f"/CN={cn}", cwd=d)
    openssl("x509", "-req", "-in", f"{name}.csr", "-CA", f"{ca}.pem", "-CAkey", f"{ca}.key",
            "-CAcreateserial", "-days", "2", "-out", f"{name}.pem", "-extfile", f"{name}.ext",
            cwd=d)


def make_certs(d: Path, system_ca: bool) -> None:
    if d.exists():
        shutil.rmtree(d)
    d.mkdir(parents=True)
    make_ca(d, "ca")
    make_leaf(d, "srv", "ca", "localhost", "DNS:localhost,IP:127.0.0.1")
    # The CN names the host, the SAN does not: RFC 6125 6.4.4 forbids falling back to the CN.
    make_leaf(d, "cnonly", "ca", "127.0.0.1", "DNS:other.example")
    if system_ca:
        make_ca(d, "sysca")
        make_leaf(d, "sysonly", "sysca", "127.0.0.1", "IP:127.0.0.1")


# ---- the server -------------------------------------------------------------------------------

class HostileServer:
    def __init__(self, work: Path, cert_dir: Path) -> None:
        self.log = work / "server.log"
        self.proc = subprocess.Popen(
            [sys.executable, str(Path(__file__).with_name("hostile_server.py")), str(cert_dir),
             str(self.log), "--seconds", "300"],
            stdout=subprocess.PIPE, text=True)
        line = self.proc.stdout.readline().split()
        if not line or line[0] != "ports":
            raise SystemExit("hostile server did not start")
        self.ports = dict(item.split("=") for item in line[1:])

    def url(self, server: str, path: str) -> str:
        return f"https://127.0.0.1:{self.ports[server]}{path}"

    def requests(self) -> list[str]:
        return self.log.read_text().splitlines()

    def stop(self) -> None:
        self.proc.kill()
        self.proc.wait()


# ---- clients ----------------------------------------------------------------------------------

@dataclass
class Outcome:
    status: int
    seconds: float
    max_rss_kb: int
    out: str
    err: str

    def code(self) -> tuple[str, str]:
        """(call_errc, transport_errc or '') read from the client's one error line."""
        for line in self.err.splitlines():
            if line.startswith("error ("):  # the example programs
                code = line[len("error ("):line.index(")")]
                sub = ""
                if "no reply (" in line:
                    rest = line[line.index("no reply (") + len("no reply ("):]
                    sub = rest[:rest.index(")")]
                return code, sub
            if line.startswith("gdos: ") and ":" in line[6:]:  # gdos query
                kind = line[6:line.index(":", 6)]
                code, _, sub = kind.partition("/")
                return code, sub
        return "", ""


def command(kind: str, program: str, url: str, ca: str | None, timeout: int) -> list[str]:
    if kind == "gdos":
        cmd = [program, "query", "--order", "1", "--endpoint", url, "--timeout", str(timeout)]
        return cmd + (["--ca-file", ca] if ca else [])
    return [program, "--timeout", str(timeout), "1", url] + ([ca] if ca else [])


SPAWN = ""  # set by main()


def run(cmd: list[str], work: Path, name: str, wrapper: list[str] | None = None,
        stdin: bytes | None = None) -> Outcome:
    """Runs cmd under SPAWN; the password goes on stdin when given, else in the environment
    (where the programs read it)."""
    env = dict(os.environ, GDOS_LOGIN_NAME=LOGIN)
    env.pop("GDOS_LOGIN_PASSWORD", None)
    # Meson sets it; glibc then fills freed memory, which would hide a residue of the password.
    env.pop("MALLOC_PERTURB_", None)
    if stdin is None:
        env["GDOS_LOGIN_PASSWORD"] = PASSWORD
    for proxy in ("https_proxy", "http_proxy", "HTTPS_PROXY", "HTTP_PROXY", "ALL_PROXY",
                  "all_proxy"):
        env.pop(proxy, None)
    out_path, err_path = work / f"{name}.out", work / f"{name}.err"
    report = work / f"{name}.rusage"
    with open(out_path, "wb") as out, open(err_path, "wb") as err:
        proc = subprocess.run([SPAWN, str(report), str(HARD_LIMIT_S)] + (wrapper or []) + cmd,
                              env=env, input=stdin,
                              stdin=None if stdin is not None else subprocess.DEVNULL,
                              stdout=out, stderr=err, timeout=HARD_LIMIT_S + 10)
    max_rss_kb, seconds = report.read_text().split()
    return Outcome(proc.returncode, float(seconds), int(max_rss_kb),
                   out_path.read_text(errors="replace"), err_path.read_text(errors="replace"))


def leaks(o: Outcome) -> list[str]:
    """Forms of the password (or their first 4 bytes: a cut echo) found in the client's output."""
    forms = set(hostile_server.echoes(PASSWORD).split(" | "))
    found = []
    for form in forms:
        for needle in {form, form[:4]}:
            if needle in o.out or needle in o.err:
                found.append(needle)
    return found


# ---- the cases --------------------------------------------------------------------------------

@dataclass
class Case:
    path: str
    code: tuple[str, str]
    server: str = "srv"
    timeout: int = 20  # the client's whole-call deadline, seconds
    min_s: float = 0.0  # ends no sooner (the deadline, not an early error, ended it)
    max_s: float = 15.0  # ends no later
    contains: str = ""  # the error message holds this


CASES = [
    Case("/big", ("transport", "too_large")),
    Case("/chunked", ("transport", "too_large")),
    # Not inflated: the 64 KiB as they came are no url-encoded reply.
    Case("/gzip", ("malformed_reply", "")),
    Case("/headers", ("transport", "too_large")),
    Case("/drip", ("transport", "timeout"), timeout=3, min_s=2.5, max_s=6.0),
    # Not even a TLS handshake: the deadline covers connecting too.
    Case("/ok", ("transport", "timeout"), server="silent", timeout=3, min_s=2.5, max_s=6.0),
    Case("/redirect", ("http_status", ""), contains="307"),
    Case("/ok", ("transport", "tls_verification"), server="cnonly"),
    Case("/echo", ("api_error", ""), contains="***"),
    Case("/echo-html", ("http_status", ""), contains="***"),
]


def check_cases(work: Path, clients: list[tuple[str, str]]) -> int:
    make_certs(work / "certs", system_ca=False)
    server = HostileServer(work, work / "certs")
    failures = 0
    ca = str(work / "certs" / "ca.pem")
    try:
        for kind, program in clients:
            for case in CASES:
                name = f"{kind}{case.path.replace('/', '_')}_{case.server}"
                before = len(server.requests())
                o = run(command(kind, program, server.url(case.server, case.path), ca,
                                case.timeout), work, name)
                got = o.code()
                problems = []
                if got != case.code:
                    problems.append(f"ended in {got}, expected {case.code}")
                if not case.min_s <= o.seconds <= case.max_s:
                    problems.append(f"took {o.seconds:.2f} s, expected {case.min_s}-{case.max_s}")
                if o.max_rss_kb >= MAX_RSS_KB and not SANITIZED:
                    problems.append(f"peak RSS {o.max_rss_kb} KB, limit {MAX_RSS_KB}")
                if case.contains and case.contains not in o.err:
                    problems.append(f"error lacks {case.contains!r}")
                found = leaks(o)
                if found:
                    problems.append(f"password in the output: {found}")
                seen = server.requests()[before:]
                if case.server == "cnonly" and any("cnonly" in s for s in seen):
                    problems.append(f"the mismatched server got a request: {seen}")
                if case.path == "/redirect" and len(seen) != 1:
                    problems.append(f"requests seen: {seen} (a redirect must not be followed)")
                status = "FAIL" if problems else "ok  "
                print(f"{status} {name:28} {o.seconds:6.2f} s  {o.max_rss_kb / 1024:5.1f} MiB  "
                      f"{got[0]}{'/' + got[1] if got[1] else ''}", flush=True)
                for p in problems:
                    print(f"     {p}")
                if problems:
                    failures += 1
                    print("     stderr: " + o.err.strip().replace("\n", "\n             "))
    finally:
        server.stop()
    return failures


def namespace_wrapper(fake_certs: Path) -> list[str] | None:
    """A command prefix running its command with fake_certs mounted on /etc/ssl/certs, in a
    private mount namespace (the host's store untouched), or None when this cannot be done."""
    script = 'mount --bind "$0" /etc/ssl/certs && exec "$@"'
    for unshare in (["unshare", "-m"], ["unshare", "-m", "-r"]):
        wrapper = unshare + ["sh", "-c", script, str(fake_certs)]
        probe = subprocess.run(wrapper + ["ls", "/etc/ssl/certs/sysca.pem"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        if probe.returncode == 0:
            return wrapper
    return None


def check_ca_exclusive(work: Path, clients: list[tuple[str, str]]) -> int:
    if shutil.which("unshare") is None:
        print("SKIPPED: no unshare(1)")
        return SKIP
    make_certs(work / "certs", system_ca=True)
    fake = work / "fake-etc-ssl-certs"
    fake.mkdir()
    shutil.copy(work / "certs" / "sysca.pem", fake / "sysca.pem")
    shutil.copy(work / "certs" / "sysca.pem", fake / "ca-certificates.crt")
    openssl("rehash", str(fake), cwd=work)
    wrapper = namespace_wrapper(fake)
    if wrapper is None:
        print("SKIPPED: cannot mount a private /etc/ssl/certs (needs root, or unprivileged "
              "user namespaces for unshare -m -r)")
        return SKIP
    server = HostileServer(work, work / "certs")
    failures = 0
    other_ca = str(work / "certs" / "ca.pem")  # did not sign the server's certificate
    url = server.url("sysonly", "/ok")
    try:
        for kind, program in clients:
            # The control: relying on the (private) system store, TLS passes.
            control = run(command(kind, program, url, None, 20), work, f"{kind}_system_store",
                          wrapper)
            # Given a CA file, that file must be the only trust anchor.
            exclusive = run(command(kind, program, url, other_ca, 20), work,
                            f"{kind}_ca_file_only", wrapper)
            problems = []
            if control.status != 0:
                problems.append("control: the system store in the namespace was not trusted: "
                                + control.err.strip())
            if exclusive.code() != ("transport", "tls_verification"):
                problems.append(f"with a CA file: ended in {exclusive.code()}, expected "
                                "transport/tls_verification (the system store was still trusted)")
            for o in (control, exclusive):
                if leaks(o):
                    problems.append(f"password in the output: {leaks(o)}")
            print(f"{'FAIL' if problems else 'ok  '} {kind:8} system store: exit {control.status}"
                  f"; CA file only: {'/'.join(exclusive.code())}", flush=True)
            for p in problems:
                print(f"     {p}")
            failures += bool(problems)
    finally:
        server.stop()
    return failures


def check_residue(work: Path, program: str) -> int:
    if SANITIZED:
        print("SKIPPED: a sanitizer build (ASan's quarantine keeps freed blocks as they were)")
        return SKIP
    make_certs(work / "certs", system_ca=False)
    server = HostileServer(work, work / "certs")
    failures = 0
    try:
        for kind in ("curl", "httplib"):
            o = run([program, kind, server.url("srv", "/ok"), str(work / "certs" / "ca.pem")],
                    work, f"residue_{kind}", stdin=PASSWORD.encode())
            ok = o.status == 0 and not leaks(o)
            print(f"{'ok  ' if ok else 'FAIL'} {kind:8} {o.seconds:5.2f} s  "
                  + (o.out + o.err).strip().replace("\n", "\n              "), flush=True)
            failures += not ok
            # hostile_residue does not ignore SIGPIPE: a server closing under the request must
            # give a failed call (exit 3), not a process killed by SIGPIPE (128 + 13).
            for attempt in range(3):
                o = run([program, kind, server.url("closer", "/ok"),
                         str(work / "certs" / "ca.pem")], work, f"sigpipe_{kind}_{attempt}",
                        stdin=PASSWORD.encode())
                ok = o.status == 3
                print(f"{'ok  ' if ok else 'FAIL'} {kind:8} server closes after the handshake: "
                      f"exit {o.status}" + (" (SIGPIPE)" if o.status == 141 else ""), flush=True)
                failures += not ok
    finally:
        server.stop()
    return failures


def main(argv: list[str]) -> int:
    if len(argv) < 4:
        print(__doc__)
        return 2
    global SPAWN, SANITIZED
    if argv and argv[0] == "--sanitized":
        SANITIZED = True
        argv = argv[1:]
    if len(argv) < 4:
        print(__doc__)
        return 2
    mode, work, SPAWN = argv[0], Path(argv[1]), argv[2]
    if work.exists():
        shutil.rmtree(work)
    work.mkdir(parents=True)
    start = time.monotonic()
    if mode == "residue":
        failures = check_residue(work, argv[3])
    else:
        clients = [tuple(a.split("=", 1)) for a in argv[3:]]
        if mode == "cases":
            failures = check_cases(work, clients)
        elif mode == "ca-exclusive":
            failures = check_ca_exclusive(work, clients)
        else:
            print(__doc__)
            return 2
    if failures == SKIP and mode in ("ca-exclusive", "residue"):
        return SKIP
    print(f"run_hostile {mode}: {failures} failure(s), {time.monotonic() - start:.1f} s")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
