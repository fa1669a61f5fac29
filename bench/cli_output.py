#!/usr/bin/env python3
"""Times `gdos decode` (table and --json) on the security probe's adversarial replies, to show
the CLI's output is near-linear (issue #11: a 4 MiB reply prints in under 1 s).

    python3 bench/cli_output.py GDOS [--runs N] [--gdos-old OLD_GDOS]

Bodies (generated, written to a temporary directory):
  names   99,990 distinct top-level unknown names with a 10-escape common prefix (3.8 MB)
  levels  50,000 certificates in 50 orders, one certificate-level and 49,000 top-level unknown
          fields interleaved (1.1 MB)
  known   a realistic shape at the size limit: 400 orders of 100 certificates, known fields only
          (80,800 fields, 4.1 MB)
Each is run N times (default 5) per mode, one process at a time; the worst and the best wall
time are reported (a shared machine is noisy: read the worst). With --gdos-old, an older gdos
binary is timed once per case alongside, for a before/after figure.
"""
import argparse
import os
import subprocess
import sys
import tempfile
import time


def bodies():
    names = "errorCode=0" + "".join("&" + "%41" * 10 + str(99990 - i) + "=1" for i in range(99990))
    levels = ("errorCode=0&1_1_zz=1" +
              "".join("&%d_%d_FQDN=a" % (x, y) for x in range(1, 51) for y in range(1, 1001)) +
              "".join("&u%d=1" % i for i in range(49000)))
    # 400 orders x 100 certificates with long host names: just under the 4 MiB default limit.
    parts = ["errorCode=0"]
    for x in range(1, 401):
        parts.append("&%d_orderNumber=%d&%d_orderStatus=Pending" % (x, 1000000 + x, x))
        for y in range(1, 101):
            parts.append("&%d_%d_FQDN=host-%05d.department-of-widgets.example-widgets-and-gadgets.co.uk"
                         "&%d_%d_dcvStatus=2" % (x, y, y, x, y))
    big = "".join(parts)
    return {"names": names, "levels": levels, "known": big}


def run(gdos, path, json):
    args = [gdos, "decode", path] + (["--json"] if json else [])
    t = time.perf_counter()
    p = subprocess.run(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    took = time.perf_counter() - t
    if p.returncode != 0:
        sys.exit("%s: exit status %d: %s" % (" ".join(args), p.returncode, p.stderr.decode()[:200]))
    return took


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("gdos")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--gdos-old")
    a = ap.parse_args()
    with tempfile.TemporaryDirectory() as d:
        print("| body | size | mode | best | worst |%s" % (" before |" if a.gdos_old else ""))
        print("|---|---|---|---|---|%s" % ("---|" if a.gdos_old else ""))
        for name, text in bodies().items():
            path = os.path.join(d, name + ".txt")
            with open(path, "w") as f:
                f.write(text)
            for json in (False, True):
                times = [run(a.gdos, path, json) for _ in range(a.runs)]
                old = ""
                if a.gdos_old:
                    old = " %.2f s |" % run(a.gdos_old, path, json)
                print("| %s | %.2f MB | %s | %.2f s | %.2f s |%s" %
                      (name, len(text) / 1e6, "json" if json else "table", min(times), max(times), old))


if __name__ == "__main__":
    main()
