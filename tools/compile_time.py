#!/usr/bin/env python3
"""Measure what including gdos costs at compile time.

Compiles two translation units several times each and prints the median wall time and the ratio:

  gdos      includes <gdos/gdos.hpp> and parses a GetDetailedOrderStatus reply;
  baseline  includes exactly the standard headers that gdos' own headers include (collected from
            their #include <...> lines), and does the same trivial I/O-free work without gdos.

The budget (the project's rule) is gdos <= 1.5 x baseline. With --breakdown it also times each
standard header alone and each gdos header alone, to show where the time goes; with
--references, some well-known headers for scale (<string>, Boost.URL, cpp-httplib) when they are
installed.

    python3 tools/compile_time.py                       # g++ -O2, 5 runs each
    python3 tools/compile_time.py --cxx clang++-19 --runs 9 --breakdown
    python3 tools/compile_time.py --enforce             # exit 1 when over budget
"""

from __future__ import annotations

import argparse
import os
import re
import shlex
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
INCLUDE = ROOT / "include"
STD_INCLUDE_RE = re.compile(r"^\s*#\s*include\s*<([^>]+)>", re.M)

# A url-encoded reply (responseFormat=1) with one order and one certificate.
REPLY = (
    "errorCode=0&1_orderNumber=1234567&1_orderDateTime=2025-06-11+11%3A57&1_orderStatus=Valid"
    "&1_1_serialNumber=00AB&1_1_FQDN=www.example.com&1_1_certificateStatus=Issued"
    "&1_1_dcvStatus=1&1_1_csrStatus=1\\n"
)

GDOS_TU = """\
#include <gdos/gdos.hpp>

int main(int argc, char**) {{
  const std::string_view body = "{reply}";
{body}
}}
"""

PARSE_RESPONSE = """\
  const auto r = gdos::parse_response(body.substr(static_cast<std::size_t>(argc - 1)));
  return r ? static_cast<int>(r->orders.size()) : 1;"""

# Used only while the umbrella header has no response layer yet (the report says so).
PARSE_FORM = """\
  int n = 0;
  for (const auto& f : gdos::form::fields(body.substr(static_cast<std::size_t>(argc - 1))))
    n += f.value.equals_decoded("1") ? 1 : 0;
  return n;"""

BASELINE_TU = """\
{includes}

int main(int argc, char**) {{
  const std::string_view body = "{reply}";
  return static_cast<int>(body.substr(static_cast<std::size_t>(argc - 1)).find('&'));
}}
"""


def gdos_headers() -> list[Path]:
    return sorted((INCLUDE / "gdos").glob("*.hpp"))


def umbrella_headers() -> list[Path]:
    """The gdos headers <gdos/gdos.hpp> pulls in, transitively."""
    seen: list[Path] = []

    def visit(path: Path) -> None:
        if path in seen:
            return
        seen.append(path)
        for name in STD_INCLUDE_RE.findall(path.read_text(encoding="utf-8")):
            if name.startswith("gdos/") and (INCLUDE / name).is_file():
                visit(INCLUDE / name)

    visit(INCLUDE / "gdos" / "gdos.hpp")
    return seen


def std_headers(headers: list[Path]) -> list[str]:
    names: set[str] = set()
    for h in headers:
        for name in STD_INCLUDE_RE.findall(h.read_text(encoding="utf-8")):
            if not name.startswith("gdos/"):
                names.add(name)
    return sorted(names)


def compile_once(cmd: list[str]) -> float:
    """CPU seconds (user + system) one compilation took.

    CPU time rather than wall time: the compiler is single-threaded, so on an idle machine the
    two agree, and on a busy one (CI, other builds) CPU time is far less disturbed.
    """
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    assert proc.stderr is not None
    err = proc.stderr.read()
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        sys.exit(f"compile_time.py: {shlex.join(cmd)} failed:\n{err.decode(errors='replace')}")
    return usage.ru_utime + usage.ru_stime


def compile_cmd(cxx: list[str], flags: list[str], source: Path) -> list[str]:
    return [*cxx, *flags, "-I", str(INCLUDE), "-c", str(source), "-o", os.devnull]


def median_seconds(cxx: list[str], flags: list[str], sources: list[Path], runs: int) -> list[float]:
    """Median CPU time of each source over `runs` rounds. The sources take turns within a round,
    so a change of load on the machine affects them alike; one untimed round warms the caches."""
    samples: list[list[float]] = [[] for _ in sources]
    for round_ in range(runs + 1):
        for i, src in enumerate(sources):
            t = compile_once(compile_cmd(cxx, flags, src))
            if round_ > 0:
                samples[i].append(t)
    return [statistics.median(s) for s in samples]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--cxx", default="g++", help="compiler command (default g++)")
    ap.add_argument("--flags", default="-std=c++20 -O2", help="flags (default '-std=c++20 -O2')")
    ap.add_argument("--runs", type=int, default=5, help="timed runs per unit (default 5)")
    ap.add_argument("--budget", type=float, default=1.5, help="allowed ratio (default 1.5)")
    ap.add_argument("--enforce", action="store_true", help="exit 1 when the ratio is over budget")
    ap.add_argument("--breakdown", action="store_true", help="time each header alone")
    ap.add_argument("--references", action="store_true", help="time well-known headers for scale")
    args = ap.parse_args()

    cxx = shlex.split(args.cxx)
    flags = shlex.split(args.flags)
    umbrella = umbrella_headers()
    std = std_headers(umbrella)
    has_response = any(h.name == "response.hpp" for h in umbrella)
    reply = REPLY

    with tempfile.TemporaryDirectory(prefix="gdos-compile-time.") as tmp:
        work = Path(tmp)

        def unit(name: str, text: str) -> Path:
            path = work / f"{name}.cpp"
            path.write_text(text, encoding="utf-8")
            return path

        gdos_src = unit(
            "gdos",
            GDOS_TU.format(reply=reply, body=PARSE_RESPONSE if has_response else PARSE_FORM),
        )
        base_src = unit(
            "baseline",
            BASELINE_TU.format(includes="\n".join(f"#include <{h}>" for h in std), reply=reply),
        )

        print(f"compiler: {shlex.join(cxx + flags)}; median CPU time of {args.runs} runs each")
        print(f"gdos headers in <gdos/gdos.hpp>: {', '.join(h.name for h in umbrella)}")
        print(f"standard headers they include: {' '.join(f'<{h}>' for h in std)}")
        what = "gdos::parse_response" if has_response else "gdos::form::fields (no response.hpp yet)"
        print(f"the gdos unit calls {what} on a sample reply")
        print()

        base, full = median_seconds(cxx, flags, [base_src, gdos_src], args.runs)
        ratio = full / base
        print(f"{'baseline (standard headers only)':44} {base:6.2f} s")
        print(f"{'gdos (<gdos/gdos.hpp> + a parse)':44} {full:6.2f} s")
        verdict = "within" if ratio <= args.budget else "OVER"
        print(f"{'ratio':44} {ratio:6.2f} x  ({verdict} the {args.budget} x budget)")

        if args.breakdown:
            print()
            print("each header alone (an empty main), to see where the time goes:")
            empty = "\nint main() { return 0; }\n"
            names, srcs = [], []
            for h in std:
                names.append(f"<{h}>")
                srcs.append(unit("std_" + re.sub(r"\W", "_", h), f"#include <{h}>{empty}"))
            for h in gdos_headers():
                names.append(f"<gdos/{h.name}>")
                srcs.append(unit("gdos_" + h.stem, f"#include <gdos/{h.name}>{empty}"))
            rows = zip(names, median_seconds(cxx, flags, srcs, args.runs))
            for name, secs in sorted(rows, key=lambda r: -r[1]):
                print(f"  {name:42} {secs:6.2f} s")

        if args.references:
            print()
            print("for scale (each alone, an empty main):")
            for h in ["string", "boost/url.hpp", "httplib.h"]:
                src = unit("ref_" + re.sub(r"\W", "_", h), f"#include <{h}>\nint main() {{}}\n")
                probe = subprocess.run([*cxx, *flags, "-fsyntax-only", str(src)],
                                       capture_output=True)
                if probe.returncode != 0:
                    print(f"  <{h}>: not installed")
                    continue
                (secs,) = median_seconds(cxx, flags, [src], args.runs)
                print(f"  {'<' + h + '>':42} {secs:6.2f} s")

    if args.enforce and ratio > args.budget:
        print(f"compile_time.py: {ratio:.2f} x is over the {args.budget} x budget", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
