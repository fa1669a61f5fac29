#!/usr/bin/env python3
"""Run gdos_bench in many memory layouts and report every target as the worst of them.

    python3 bench/layout_sweep.py --bench build/bench/bench/gdos_bench \\
        [--cold build/bench/bench/gdos_cold_start] [--out DIR] [options]

A case can be fast or slow depending on where the stack and the heap happen to sit relative to
each other (4K aliasing between stores and loads, cache-line splits, set conflicts): one process
can show a lucky layout. So this script runs gdos_bench as several processes:

- the layout sweep: with ASLR off (`setarch -R`), so each layout is reproducible, once for each
  environment padding in --stack-pads (a variable of that many bytes moves the stack) and each
  heap padding in --heap-pads (GDOS_BENCH_HEAP_PAD: a block allocated before the bodies moves
  everything the cases allocate);
- --fresh N ordinary processes with ASLR on, as users run them;
- with --cold, gdos_cold_start --cold-runs times on each body of --cold-bodies (the first parse of
  a process against the warm median).

Each process writes DIR/<layout>.json; the cold runs append to DIR/cold.jsonl. Then
bench/ratios.py computes every ratio inside each process and reports the worst over all of them
(also written to DIR/report.md), followed by the spread of each case's time over the processes
(best, worst, worst/best): a bimodal case shows up there. Exits with ratios.py's status (1 when a
target is missed in some process).

Cost: about (stack pads x heap pads + fresh) x the time of one gdos_bench run with the given
--min-time and --repetitions; the defaults (8 x 2 + 10 processes, 0.05 s x 3) take about 10 min
on the 2-core machine of bench/README.md.
"""

import argparse
import os
import pathlib
import platform
import shutil
import statistics
import subprocess
import sys

HERE = pathlib.Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import ratios  # noqa: E402  (bench/ratios.py)


def int_list(text):
    """'0:4096:512' (start:stop:step, stop excluded) or '0,100,200'."""
    if ":" in text:
        start, stop, step = (int(x) for x in text.split(":"))
        return list(range(start, stop, step))
    return [int(x) for x in text.split(",") if x]


def run(cmd, env, out_json):
    proc = subprocess.run(cmd + ["--benchmark_out=%s" % out_json,
                                 "--benchmark_out_format=json"],
                          env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    if proc.returncode != 0:
        sys.stderr.write(proc.stderr)
        raise SystemExit("layout_sweep: %s failed (exit %d)" % (cmd[0], proc.returncode))


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--bench", required=True, help="the gdos_bench binary")
    ap.add_argument("--cold", help="the gdos_cold_start binary (optional)")
    ap.add_argument("--out", default="build/layout_sweep", help="directory for the outputs")
    ap.add_argument("--stack-pads", default="0:4096:512",
                    help="environment paddings in bytes, start:stop:step or a,b,c")
    ap.add_argument("--heap-pads", default="0,2064", help="heap paddings in bytes")
    ap.add_argument("--fresh", type=int, default=10, help="processes with ASLR on")
    ap.add_argument("--filter", default="", help="--benchmark_filter for every process")
    ap.add_argument("--min-time", default="0.05", help="--benchmark_min_time (seconds)")
    ap.add_argument("--repetitions", type=int, default=3, help="--benchmark_repetitions")
    ap.add_argument("--cold-runs", type=int, default=10, help="gdos_cold_start runs per body")
    ap.add_argument("--cold-bodies", default="small,large,org_details,no_escapes",
                    help="bench/data bodies for gdos_cold_start")
    args = ap.parse_args(argv[1:])

    setarch = shutil.which("setarch")
    stack_pads = int_list(args.stack_pads)
    heap_pads = int_list(args.heap_pads)
    if not setarch and (stack_pads or heap_pads):
        raise SystemExit("layout_sweep: setarch (util-linux) is needed for the layout sweep")
    out = pathlib.Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    for old in list(out.glob("*.json")) + list(out.glob("cold.jsonl")):
        old.unlink()

    bench = [os.path.abspath(args.bench), "--benchmark_min_time=%s" % args.min_time,
             "--benchmark_repetitions=%d" % args.repetitions,
             "--benchmark_report_aggregates_only=true"]
    if args.filter:
        bench.append("--benchmark_filter=%s" % args.filter)
    base_env = dict(os.environ)
    base_env.pop("GDOS_BENCH_HEAP_PAD", None)
    base_env.pop("GDOS_BENCH_ENV_PAD", None)

    files = []
    total = len(stack_pads) * len(heap_pads) + args.fresh
    done = 0
    for heap in heap_pads:
        for stack in stack_pads:
            env = dict(base_env, GDOS_BENCH_ENV_PAD="x" * stack, GDOS_BENCH_HEAP_PAD=str(heap))
            path = out / ("layout-stack%d-heap%d.json" % (stack, heap))
            run([setarch, platform.machine(), "-R"] + bench, env, str(path))
            files.append(str(path))
            done += 1
            print("layout_sweep: %d/%d %s" % (done, total, path.name), file=sys.stderr)
    for i in range(args.fresh):
        path = out / ("fresh-%02d.json" % i)
        run(bench, base_env, str(path))
        files.append(str(path))
        done += 1
        print("layout_sweep: %d/%d %s" % (done, total, path.name), file=sys.stderr)

    cold_file = None
    if args.cold:
        cold_file = out / "cold.jsonl"
        with open(cold_file, "w", encoding="utf-8") as f:
            for body in [b for b in args.cold_bodies.split(",") if b]:
                path = HERE / "data" / (body + ".txt")
                for _ in range(args.cold_runs):
                    proc = subprocess.run([os.path.abspath(args.cold), str(path)], env=base_env,
                                          capture_output=True, text=True, check=True)
                    f.write(proc.stdout)

    # The report: ratios.py over every process, then the spread of each case.
    report = out / "report.md"
    with open(report, "w", encoding="utf-8") as f:
        stdout = sys.stdout
        sys.stdout = Tee(stdout, f)
        try:
            print("# gdos_bench over %d processes (%d layouts with ASLR off, %d fresh)\n" % (
                len(files), len(files) - args.fresh, args.fresh))
            print("Command: `%s`\n" % " ".join(["python3", "bench/layout_sweep.py"] + argv[1:]))
            status = ratios.main(["ratios.py"] + (["--cold", str(cold_file)] if cold_file else [])
                                 + files)
            print_spread(files)
        finally:
            sys.stdout = stdout
    print("layout_sweep: report in %s" % report, file=sys.stderr)
    return status


class Tee:
    def __init__(self, *streams):
        self.streams = streams

    def write(self, text):
        for s in self.streams:
            s.write(text)

    def flush(self):
        for s in self.streams:
            s.flush()


def print_spread(files):
    """Each case's median time in every process: best, worst and where."""
    times = {}
    for path in files:
        _, runs = ratios.load(path)
        for name, r in runs.items():
            if r:
                times.setdefault(name, []).append((r["cpu_ns"], os.path.basename(path)))
    print("\n### Spread of each case over the processes\n")
    print("| case | best | median | worst | worst / best | worst in |")
    print("|---|---:|---:|---:|---:|---|")
    for name, values in times.items():
        values.sort()
        best, worst = values[0][0], values[-1][0]
        print("| %s | %s | %s | %s | %.2f | %s |" % (
            name, ratios.fmt_time(best), ratios.fmt_time(statistics.median(v for v, _ in values)),
            ratios.fmt_time(worst), worst / best, values[-1][1]))


if __name__ == "__main__":
    sys.exit(main(sys.argv))
