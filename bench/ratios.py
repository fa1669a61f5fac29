#!/usr/bin/env python3
"""Every target of gdos_bench (bench/README.md), as the worst over one or more runs.

    python3 bench/ratios.py [--cold cold.jsonl] [--section all|form|response|request] RUN.json...

Each RUN.json is one gdos_bench process (`--benchmark_out=RUN.json --benchmark_out_format=json`,
with or without repetitions: the median of a process's repetitions is used). Every ratio is
computed inside each process, where both sides ran under the same conditions, and the report
gives the WORST of the processes (and the median and best, to show the spread), so a lucky
memory layout or a quiet moment cannot make a target look met. bench/layout_sweep.py makes such a
set of processes: one per memory layout of a sweep, plus fresh processes with ASLR.

Targets (issue #15), per body unless said otherwise:
  response_parse / floor_memchr                           <= 1.5
  fastest peer / response_parse_decode                    >= 8
  fastest peer / response_in_place                        >= 8
  fastest peer / gdos_decode                              >= 8
  decode_values / floor_memcpy_values                     <= 2
  gdos_fields / floor_memchr                              <= 2   (the form layer's older target)
  ns per body byte, large body / small body               <= 1.15 (every gdos case)
  glib / request gdos_encode_to                           >= 5,  gdos_encode_to allocs == 0
  first parse of a process / warm median (--cold file)    <= 1.5 (each body measured)
"Fastest peer" is the fastest library of boost_url, cpp_httplib, glib, poco and libcurl in that
process on that body. Exits 1 when a target is missed in any process, 2 on bad usage.
"""

import argparse
import json
import os
import statistics
import sys

PEERS = ["boost_url", "cpp_httplib", "glib", "poco", "libcurl"]
FORM_CASES = ["floor_memchr", "gdos_fields", "gdos_decode", "floor_memcpy_values", "decode_values"]
RESPONSE_CASES = ["response_parse", "response_parse_decode", "response_in_place"]
GDOS_CASES = ["gdos_fields", "gdos_decode", "decode_values"] + RESPONSE_CASES
REQUEST_CASES = ["gdos_encode_to", "gdos_encode_to_exact", "gdos_encode", "glib", "libcurl",
                 "boost_url", "cpp_httplib"]


def load(path):
    """{run_name: {cpu_ns, allocs}} of one gdos_bench JSON file, and its context."""
    with open(path, encoding="utf-8") as f:
        data = json.load(f)
    reps = {}
    runs = {}
    for b in data["benchmarks"]:
        name = b["run_name"]
        if b.get("error_occurred"):
            runs[name] = None
            continue
        scale = {"ns": 1.0, "us": 1e3, "ms": 1e6, "s": 1e9}[b.get("time_unit", "ns")]
        entry = {"cpu_ns": b["cpu_time"] * scale, "allocs": b.get("allocs", 0.0)}
        if b.get("run_type") == "aggregate":
            if b.get("aggregate_name") == "median":
                runs[name] = entry
        else:
            reps.setdefault(name, []).append(entry)
    for name, entries in reps.items():
        if name not in runs:  # no aggregate written: take the median repetition ourselves
            entries.sort(key=lambda e: e["cpu_ns"])
            runs[name] = entries[len(entries) // 2]
    return data.get("context", {}), runs


def body_sizes(context):
    sizes = {}
    for key, value in context.items():
        if key.startswith("body_"):
            sizes[key[len("body_"):]] = float(str(value).split()[0])
    return sizes


def cpu(runs, case, body):
    r = runs.get("%s/%s" % (case, body)) if body else runs.get(case)
    return r["cpu_ns"] if r else None


def fastest_peer(runs, body):
    times = [(cpu(runs, p, body), p) for p in PEERS if cpu(runs, p, body)]
    return min(times) if times else (None, None)


def ratios_of(context, runs, section):
    """[(name, body, value, target, kind)] for one process; kind "max" (value <= target) or
    "min" (value >= target)."""
    out = []
    for body in body_sizes(context):
        floor = cpu(runs, "floor_memchr", body)
        peer, peer_name = fastest_peer(runs, body)
        if section in ("all", "response"):
            parse = cpu(runs, "response_parse", body)
            if floor and parse:
                out.append(("response_parse / floor_memchr", body, parse / floor, 1.5, "max"))
            for case in ["response_parse_decode", "response_in_place"]:
                t = cpu(runs, case, body)
                if peer and t:
                    out.append(("fastest peer / %s" % case, body, peer / t, 8.0, "min"))
        if section in ("all", "form"):
            decode = cpu(runs, "gdos_decode", body)
            if peer and decode:
                out.append(("fastest peer / gdos_decode", body, peer / decode, 8.0, "min"))
            fields = cpu(runs, "gdos_fields", body)
            if floor and fields:
                out.append(("gdos_fields / floor_memchr", body, fields / floor, 2.0, "max"))
            dv = cpu(runs, "decode_values", body)
            mc = cpu(runs, "floor_memcpy_values", body)
            if dv and mc:
                out.append(("decode_values / floor_memcpy_values", body, dv / mc, 2.0, "max"))
    sizes = body_sizes(context)
    if "small" in sizes and "large" in sizes:
        cases = {"all": GDOS_CASES, "form": GDOS_CASES[:3], "response": RESPONSE_CASES}.get(
            section, [])
        for case in cases:
            s = cpu(runs, case, "small")
            l = cpu(runs, case, "large")
            if s and l:
                out.append(("%s ns/byte, large / small" % case, "-",
                            (l / sizes["large"]) / (s / sizes["small"]), 1.15, "max"))
    if section in ("all", "request"):
        ours = cpu(runs, "request/gdos_encode_to", None)
        glib = cpu(runs, "request/glib", None)
        if ours and glib:
            out.append(("request glib / gdos_encode_to", "-", glib / ours, 5.0, "min"))
            allocs = runs["request/gdos_encode_to"]["allocs"]
            out.append(("request gdos_encode_to allocs", "-", allocs, 0.0, "max"))
    return out


def cold_ratios(path):
    """[(name, body, value, target, kind)], one per gdos_cold_start line."""
    out = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.strip()
            if line:
                r = json.loads(line)
                body = os.path.splitext(os.path.basename(r["body"]))[0]
                out.append(("first parse / warm median", body, r["ratio"], 1.5, "max"))
    return out


def fmt(v):
    return "%.0f" % v if v >= 100 else "%.2f" % v


def fmt_time(ns):
    return "%.2f us" % (ns / 1e3) if ns >= 1e3 else "%.0f ns" % ns


def case_tables(loaded, section):
    """Per body: each case's median CPU time over processes (median of each process's median),
    the worst process, ns/byte and allocations."""
    sizes = {}
    for context, _, _ in loaded:
        sizes.update(body_sizes(context))
    cases = {"all": FORM_CASES + RESPONSE_CASES, "form": FORM_CASES,
             "response": ["floor_memchr"] + RESPONSE_CASES}.get(section, [])
    if not cases:
        return
    for body, size in sizes.items():
        print("\n### %s body (%d bytes), %d process(es)\n" % (body, size, len(loaded)))
        print("| case | CPU time, median of processes | worst process | ns/byte | allocs |")
        print("|---|---:|---:|---:|---:|")
        for case in cases + PEERS:
            times = [cpu(runs, case, body) for _, runs, _ in loaded]
            times = [t for t in times if t]
            if not times:
                continue
            allocs = loaded[0][1].get("%s/%s" % (case, body)) or {"allocs": float("nan")}
            row = "| %s | %s | %s | %.3f | %.0f |" % (
                case, fmt_time(statistics.median(times)), fmt_time(max(times)),
                statistics.median(times) / size, allocs["allocs"])
            print(row)


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("runs", nargs="+", help="gdos_bench JSON outputs, one per process")
    ap.add_argument("--cold", help="gdos_cold_start output lines (JSON per line)")
    ap.add_argument("--section", default="all", choices=["all", "form", "response", "request"])
    ap.add_argument("--no-tables", action="store_true", help="only the targets")
    args = ap.parse_args(argv[1:])

    loaded = []
    for path in args.runs:
        context, runs = load(path)
        loaded.append((context, runs, os.path.basename(path)))
    if not args.no_tables:
        case_tables(loaded, args.section)

    # name, body -> [(value, run label)]
    table = {}
    meta = {}
    for context, runs, label in loaded:
        for name, body, value, target, kind in ratios_of(context, runs, args.section):
            table.setdefault((name, body), []).append((value, label))
            meta[(name, body)] = (target, kind)
    if args.cold:
        for name, body, value, target, kind in cold_ratios(args.cold):
            table.setdefault((name, body), []).append((value, "cold run"))
            meta[(name, body)] = (target, kind)

    # Ratios in the order they were first met, bodies in gdos_bench's order.
    names = list(dict.fromkeys(name for name, _ in table))
    body_order = ["small", "large", "org_details", "no_escapes", "-"]
    keys = sorted(table, key=lambda k: (names.index(k[0]),
                                        body_order.index(k[1]) if k[1] in body_order else 99))
    ok = True
    print("\n### Targets: worst of %d process(es)%s\n" % (
        len(loaded), " and the cold-start runs" if args.cold else ""))
    print("| ratio | body | target | worst | median | best | worst in | |")
    print("|---|---|---:|---:|---:|---:|---|---|")
    for name, body in keys:
        values = table[(name, body)]
        target, kind = meta[(name, body)]
        values.sort(key=lambda v: v[0], reverse=(kind == "max"))
        worst, where = values[0]
        best = values[-1][0]
        median = statistics.median(v for v, _ in values)
        met = worst <= target if kind == "max" else worst >= target
        ok &= met
        print("| %s | %s | %s %s | %s | %s | %s | %s | %s |" % (
            name, body, "<=" if kind == "max" else ">=", fmt(target), fmt(worst), fmt(median),
            fmt(best), where, "met" if met else "MISSED"))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
