#!/usr/bin/env python3
"""The before/after table of bench/README.md, "Hostile replies", from gdos_bench JSON runs.

    gdos_bench --benchmark_filter='hostile/' --benchmark_repetitions=3 \\
               --benchmark_out=after1.json --benchmark_out_format=json       # several processes
    python3 bench/hostile_table.py --before before*.json --after after*.json

Each case's figure is its WORST CPU time over every repetition of every file given (the machine
is shared: the worst is what a caller must plan for), in milliseconds; wall time is shown beside
it for the after runs. One row per body, one column pair (before, after) per operation. A case
missing from the before runs (the collide case did not exist) shows '-'.
"""

import argparse
import json
import sys

OPS = ["parse_strict", "parse_lenient", "write", "check", "equal", "collide"]


def load(paths):
    """{case: (worst cpu ms, worst wall ms)} over all repetitions of all files."""
    worst = {}
    for path in paths:
        with open(path, encoding="utf-8") as f:
            data = json.load(f)
        for b in data["benchmarks"]:
            if b.get("run_type") == "aggregate" or b.get("error_occurred"):
                continue
            scale = {"ns": 1e-6, "us": 1e-3, "ms": 1.0, "s": 1e3}[b.get("time_unit", "ns")]
            cpu, wall = b["cpu_time"] * scale, b["real_time"] * scale
            name = b["run_name"]
            old = worst.get(name, (0.0, 0.0))
            worst[name] = (max(old[0], cpu), max(old[1], wall))
    return worst


def fmt(ms):
    if ms is None:
        return "-"
    if ms >= 100:
        return "%.0f" % ms
    if ms >= 1:
        return "%.1f" % ms
    return "%.2f" % ms


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--before", nargs="+", required=True)
    ap.add_argument("--after", nargs="+", required=True)
    args = ap.parse_args()
    before, after = load(args.before), load(args.after)
    bodies = []
    for name in after:
        parts = name.split("/")
        if len(parts) == 3 and parts[0] == "hostile" and parts[2] not in bodies:
            bodies.append(parts[2])
    if not bodies:
        print("no hostile/ cases in the after runs", file=sys.stderr)
        return 1
    print("| body | " + " | ".join(OPS) + " |")
    print("|---|" + "---:|" * len(OPS))
    for body in bodies:
        cells = []
        for op in OPS:
            key = "hostile/%s/%s" % (op, body)
            b = before.get(key, (None, None))[0]
            a = after.get(key)
            cells.append("%s -> **%s**" % (fmt(b), fmt(a[0] if a else None)))
        print("| %s | %s |" % (body, " | ".join(cells)))
    print()
    print("Wall time of the after runs (worst, ms), for comparison with CPU time:")
    print()
    print("| body | " + " | ".join(OPS) + " |")
    print("|---|" + "---:|" * len(OPS))
    for body in bodies:
        cells = [fmt(after.get("hostile/%s/%s" % (op, body), (None, None))[1]) for op in OPS]
        print("| %s | %s |" % (body, " | ".join(cells)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
