#!/usr/bin/env python3
"""The response layer's targets, from one gdos_bench JSON output (bench/README.md, "Response parsing").

    gdos_bench --benchmark_filter='^(floor_memchr|boost_url|cpp_httplib|glib|poco|libcurl|response_.*)/' \\
               --benchmark_repetitions=5 --benchmark_report_aggregates_only=true \\
               --benchmark_out=results.json --benchmark_out_format=json
    python3 bench/response_ratios.py results.json

Uses the median CPU time of each case. Prints one Markdown table per body and the targets:
  (a) response_parse / floor_memchr                       <= 2     (each body)
  (b) fastest peer / response_parse_decode                >= 5     (each body; also shown for
                                                                    response_in_place)
  (c) response_parse ns/byte, large body / small body     <= 1.25
and the allocations per parse. Exits 1 when a target is missed.
"""

import json
import sys

PEERS = ["boost_url", "cpp_httplib", "glib", "poco", "libcurl"]
OURS = ["response_parse", "response_parse_decode", "response_in_place"]


def load(path):
    with open(path, encoding="utf-8") as f:
        data = json.load(f)
    runs = {}
    for b in data["benchmarks"]:
        if b.get("error_occurred"):
            runs[b["run_name"]] = None
            continue
        if b.get("run_type") == "aggregate" and b.get("aggregate_name") != "median":
            continue
        scale = {"ns": 1.0, "us": 1e3, "ms": 1e6, "s": 1e9}[b.get("time_unit", "ns")]
        runs[b["run_name"]] = {"cpu_ns": b["cpu_time"] * scale, "allocs": b.get("allocs", 0.0)}
    return data.get("context", {}), runs


def body_bytes(context, body):
    return float(context.get("body_" + body, "0 bytes").split()[0])


def main(argv):
    if len(argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    context, runs = load(argv[1])
    ok = True
    per_byte = {}
    for body in ["small", "large"]:
        size = body_bytes(context, body)
        print("\n### %s body (%d bytes)\n" % (body, size))
        print("| case | CPU time (median) | ns/byte | allocs/parse | time / floor_memchr |")
        print("|---|---:|---:|---:|---:|")
        floor = runs.get("floor_memchr/" + body)
        for case in ["floor_memchr"] + OURS + PEERS:
            r = runs.get(case + "/" + body)
            if r is None:
                print("| %s | failed or missing | | | |" % case)
                continue
            rel = "%.2fx" % (r["cpu_ns"] / floor["cpu_ns"]) if floor else "-"
            print("| %s | %.0f ns | %.3f | %.0f | %s |" % (
                case, r["cpu_ns"], r["cpu_ns"] / size, r["allocs"], rel))
        parse = runs.get("response_parse/" + body)
        decode = runs.get("response_parse_decode/" + body)
        in_place = runs.get("response_in_place/" + body)
        peers = [(runs[p + "/" + body]["cpu_ns"], p) for p in PEERS if runs.get(p + "/" + body)]
        print()
        if floor and parse:
            a = parse["cpu_ns"] / floor["cpu_ns"]
            ok &= a <= 2.0
            print("(a) response_parse / floor_memchr = %.2f (target <= 2: %s)"
                  % (a, "met" if a <= 2 else "MISSED"))
            per_byte[body] = parse["cpu_ns"] / size
        if peers and decode:
            fastest, name = min(peers)
            b = fastest / decode["cpu_ns"]
            ok &= b >= 5.0
            print("(b) %s (fastest peer) / response_parse_decode = %.2f (target >= 5: %s)"
                  % (name, b, "met" if b >= 5 else "MISSED"))
            if in_place:
                print("    %s / response_in_place = %.2f" % (name, fastest / in_place["cpu_ns"]))
        if parse:
            print("    allocations per parse: %.0f" % parse["allocs"])
    if "small" in per_byte and "large" in per_byte:
        c = per_byte["large"] / per_byte["small"]
        ok &= c <= 1.25
        print("\n(c) response_parse ns/byte, large / small = %.3f / %.3f = %.2f (target <= 1.25: %s)"
              % (per_byte["large"], per_byte["small"], c, "met" if c <= 1.25 else "MISSED"))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
