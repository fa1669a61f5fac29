#!/usr/bin/env python3
"""Turn gdos_bench's JSON output into the tables and ratios of bench/README.md.

    gdos_bench --benchmark_repetitions=5 --benchmark_report_aggregates_only=true \\
               --benchmark_out=results.json --benchmark_out_format=json
    python3 bench/summarize.py results.json

Uses the median CPU time of each case (CPU, not wall time: the machine is shared). Prints, per
body, one Markdown table and the two ratios the targets are set on:
  (a) gdos_fields / floor_memchr        target <= 2
  (b) fastest peer / gdos_decode        target >= 5   (peers: the libraries; the hand-written
                                                       naive_std loop is shown but not a peer)
Exits 1 when a target is missed, so it can gate a script.
"""

import json
import sys

PEERS = ["boost_url", "cpp_httplib", "glib", "poco", "libcurl"]
ORDER = ["floor_memchr", "gdos_fields", "gdos_decode"] + PEERS + ["naive_std"]


def load(path):
    with open(path, encoding="utf-8") as f:
        data = json.load(f)
    runs = {}
    for b in data["benchmarks"]:
        if b.get("error_occurred"):
            runs[b["run_name"]] = None
            continue
        # With aggregates, keep the median; a plain run has no aggregate_name.
        if b.get("run_type") == "aggregate" and b.get("aggregate_name") != "median":
            continue
        scale = {"ns": 1.0, "us": 1e3, "ms": 1e6, "s": 1e9}[b.get("time_unit", "ns")]
        runs[b["run_name"]] = {
            "cpu_ns": b["cpu_time"] * scale,
            "bytes_per_second": b.get("bytes_per_second", 0.0),
            "items_per_second": b.get("items_per_second", 0.0),
            "allocs": b.get("allocs", 0.0),
        }
    return data.get("context", {}), runs


def fmt_time(ns):
    return "%.2f us" % (ns / 1e3) if ns >= 1e3 else "%.0f ns" % ns


def main(argv):
    if len(argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    context, runs = load(argv[1])
    ok = True
    for body in ["small", "large"]:
        size = context.get("body_" + body, "?")
        print("\n### %s body (%s)\n" % (body, size))
        print("| case | CPU time (median) | MB/s | Mfields/s | allocs/iter | time / gdos_decode |")
        print("|---|---:|---:|---:|---:|---:|")
        base = runs.get("gdos_decode/" + body)
        for case in ORDER:
            r = runs.get(case + "/" + body)
            if r is None:
                print("| %s | failed or missing | | | | |" % case)
                continue
            rel = "%.2fx" % (r["cpu_ns"] / base["cpu_ns"]) if base else "-"
            print("| %s | %s | %.0f | %.1f | %.0f | %s |" % (
                case, fmt_time(r["cpu_ns"]), r["bytes_per_second"] / 1e6,
                r["items_per_second"] / 1e6, r["allocs"], rel))
        floor = runs.get("floor_memchr/" + body)
        fields = runs.get("gdos_fields/" + body)
        peers = [(runs[p + "/" + body]["cpu_ns"], p) for p in PEERS if runs.get(p + "/" + body)]
        print()
        if floor and fields:
            a = fields["cpu_ns"] / floor["cpu_ns"]
            ok &= a <= 2.0
            print("(a) gdos_fields / floor_memchr = %.2f (target <= 2: %s)" % (a, "met" if a <= 2 else "MISSED"))
        if base and peers:
            fastest, name = min(peers)
            b = fastest / base["cpu_ns"]
            ok &= b >= 5.0
            print("(b) fastest peer (%s) / gdos_decode = %.2f (target >= 5: %s)" % (name, b, "met" if b >= 5 else "MISSED"))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
