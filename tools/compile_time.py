#!/usr/bin/env python3
"""Measure what including gdos costs at compile time.

Compiles two translation units several times each and prints the median CPU time and the ratio:

  gdos      includes <gdos/gdos.hpp> and parses a GetDetailedOrderStatus reply;
  baseline  includes exactly the standard headers that gdos' own headers include (collected from
            their #include <...> lines), and does the same trivial I/O-free work without gdos.

The budget (the project's rule) is gdos <= 1.5 x baseline. With --breakdown it also times each
standard header alone and each gdos header alone, to show where the time goes; with
--references, some well-known headers for scale (<string>, Boost.URL, cpp-httplib) when they are
installed. With --floor it times, against the same baseline in the same rounds, what no parser
with gdos' API can avoid:

  declarations  includes <gdos/gdos.hpp> and calls nothing (what the declarations alone cost);
  toy parser    the baseline's standard headers plus a minimal typed parser written here: without
                gdos; after <gdos/request.hpp> (form and request, as if the response and
                transport layers cost nothing); after <gdos/gdos.hpp> (the least a parser inside
                gdos could cost):
                it splits the body, reads the X_ and X_Y_ indices, matches a few names and stores
                views and progress values into nested vectors of structs with optional members,
                keeping unknown fields; no errors, limits, decoding, out-of-order keys or
                duplicates. A lower bound on what any typed parser's instantiation costs;
  parsing header  includes only <gdos/parse_response.hpp> (the reply model and its parsers) and
                calls gdos::parse_response: what a unit that only reads replies pays; timed
                twice: header-only (the default), and with GDOS_SEPARATE_COMPILATION=1 (opt-in:
                the call goes to the parser compiled once in the file with gdos/src.hpp, whose
                own cost, paid once per program, is timed apart);
  peer splits   (when installed) Boost.URL's params_view and cpp-httplib's parse_query_text
                splitting the same body into decoded (name, value) strings, untyped.

    python3 tools/compile_time.py                       # g++ -O2, 5 runs each
    python3 tools/compile_time.py --cxx clang++-19 --runs 9 --breakdown
    python3 tools/compile_time.py --floor               # what the budget leaves room for
    python3 tools/compile_time.py --enforce             # exit 1 when over budget
    python3 tools/compile_time.py --floor --compare /tmp/old/include   # before/after, one run
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

SEPARATE_LABEL = "  opt-in GDOS_SEPARATE_COMPILATION=1, same unit"

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


PARSE_ONLY_TU = """\
{define}#include <gdos/parse_response.hpp>

int main(int argc, char**) {{
  const std::string_view body = "{reply}";
{body}
}}
"""

DECLARATIONS_TU = """\
#include <gdos/gdos.hpp>

int main(int argc, char**) {{
  const std::string_view body = "{reply}";
  return static_cast<int>(body.substr(static_cast<std::size_t>(argc - 1)).find('&'));
}}
"""

# The floor: the least a typed parser of this API instantiates (see the module docstring).
TOY_PARSER_TU = """\
{includes}

namespace toy {{
enum class progress : int {{ not_required = -1, not_completed, completed, in_progress, other }};
struct unknown {{ std::string_view name, value; }};
struct certificate {{
  std::uint32_t index = 0;
  std::optional<std::string_view> serial_number, fqdn, certificate_status;
  std::optional<progress> csr_status, dcv_status;
  std::vector<unknown> unknown_fields;
}};
struct order {{
  std::uint32_t index = 0;
  std::optional<std::string_view> order_number, order_date_time, order_status;
  std::vector<certificate> certificates;
  std::vector<unknown> unknown_fields;
}};
struct response {{
  long error_code = 0;
  std::optional<std::string_view> error_message;
  std::vector<order> orders;
  std::vector<unknown> unknown_fields;
}};

inline bool take_index(std::string_view& key, std::uint32_t& index) {{
  std::size_t i = 0;
  index = 0;
  for (; i < key.size() && key[i] >= '0' && key[i] <= '9'; ++i)
    index = index * 10 + static_cast<std::uint32_t>(key[i] - '0');
  if (i == 0 || i >= key.size() || key[i] != '_') return false;
  key.remove_prefix(i + 1);
  return true;
}}

inline progress to_progress(std::string_view v) {{
  if (v == "-1") return progress::not_required;
  if (v == "0") return progress::not_completed;
  if (v == "1") return progress::completed;
  if (v == "2") return progress::in_progress;
  return progress::other;
}}

inline response parse(std::string_view body) {{
  response r;
  while (!body.empty()) {{
    const std::size_t amp = body.find('&');
    const std::string_view piece = body.substr(0, amp);
    body = amp == std::string_view::npos ? std::string_view{{}} : body.substr(amp + 1);
    const std::size_t eq = piece.find('=');
    std::string_view key = piece.substr(0, eq);
    const std::string_view value = eq == std::string_view::npos ? std::string_view{{}} : piece.substr(eq + 1);
    std::uint32_t x = 0, y = 0;
    if (!take_index(key, x)) {{
      if (key == "errorCode") {{
        long v = 0;
        for (const char c : value) v = v * 10 + (c - '0');
        r.error_code = v;
      }} else if (key == "errorMessage") {{
        r.error_message = value;
      }} else {{
        r.unknown_fields.push_back({{key, value}});
      }}
      continue;
    }}
    if (r.orders.empty() || r.orders.back().index != x) r.orders.emplace_back().index = x;
    order& o = r.orders.back();
    if (!take_index(key, y)) {{
      if (key == "orderNumber") o.order_number = value;
      else if (key == "orderDateTime") o.order_date_time = value;
      else if (key == "orderStatus") o.order_status = value;
      else o.unknown_fields.push_back({{key, value}});
      continue;
    }}
    if (o.certificates.empty() || o.certificates.back().index != y) o.certificates.emplace_back().index = y;
    certificate& c = o.certificates.back();
    if (key == "serialNumber") c.serial_number = value;
    else if (key == "FQDN") c.fqdn = value;
    else if (key == "certificateStatus") c.certificate_status = value;
    else if (key == "csrStatus") c.csr_status = to_progress(value);
    else if (key == "dcvStatus") c.dcv_status = to_progress(value);
    else c.unknown_fields.push_back({{key, value}});
  }}
  return r;
}}
}}  // namespace toy

int main(int argc, char**) {{
  const std::string_view body = "{reply}";
  const toy::response r = toy::parse(body.substr(static_cast<std::size_t>(argc - 1)));
  return static_cast<int>(r.orders.size());
}}
"""

# Peers splitting the same body into decoded (name, value) strings, untyped.
PEER_SPLIT_TUS = {
    "Boost.URL params_view": ("boost/url.hpp", """\
#include <boost/url.hpp>
#include <string>
#include <utility>
#include <vector>

int main(int argc, char**) {{
  const std::string_view body = "{reply}";
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto p : boost::urls::params_view(body.substr(static_cast<std::size_t>(argc - 1))))
    out.emplace_back(p.key, p.value);
  return static_cast<int>(out.size());
}}
"""),
    "cpp-httplib parse_query_text": ("httplib.h", """\
#include <httplib.h>

int main(int argc, char**) {{
  const std::string body = "{reply}";
  httplib::Params out;
  httplib::detail::parse_query_text(body.substr(static_cast<std::size_t>(argc - 1)), out);
  return static_cast<int>(out.size());
}}
"""),
}


def gdos_headers() -> list[Path]:
    return sorted((INCLUDE / "gdos").glob("*.hpp"))


def included_headers(entry: str = "gdos/gdos.hpp") -> list[Path]:
    """The gdos headers `entry` pulls in, transitively (itself first)."""
    seen: list[Path] = []

    def visit(path: Path) -> None:
        if path in seen:
            return
        seen.append(path)
        for name in STD_INCLUDE_RE.findall(path.read_text(encoding="utf-8")):
            if name.startswith("gdos/") and (INCLUDE / name).is_file():
                visit(INCLUDE / name)

    visit(INCLUDE / entry)
    return seen


def umbrella_headers() -> list[Path]:
    """The gdos headers <gdos/gdos.hpp> pulls in, transitively."""
    return included_headers("gdos/gdos.hpp")


# Includes a default build does not see: the development checks (config.hpp) are off.
OFF_BLOCK_RE = re.compile(r"^\s*#\s*if\s+GDOS_DEVELOPMENT_CHECKS\b.*?^\s*#\s*(?:else|endif)\b",
                          re.M | re.S)


def std_headers(headers: list[Path]) -> list[str]:
    names: set[str] = set()
    for h in headers:
        text = OFF_BLOCK_RE.sub("", h.read_text(encoding="utf-8"))
        for name in STD_INCLUDE_RE.findall(text):
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


# Sources compiled against another include/ tree (--compare): source -> that tree.
OTHER_INCLUDE: dict[Path, Path] = {}


def compile_cmd(cxx: list[str], flags: list[str], source: Path) -> list[str]:
    include = OTHER_INCLUDE.get(source, INCLUDE)
    return [*cxx, *flags, "-I", str(include), "-c", str(source), "-o", os.devnull]


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
    ap.add_argument("--floor", action="store_true",
                    help="also time the declarations alone, a toy parser and peer splits")
    ap.add_argument("--compare", action="append", default=[], metavar="DIR",
                    help="with --floor: also time the parsing-header unit against DIR (another\n"
                         "include/ tree, e.g. `git archive` of an older commit), in the same\n"
                         "rounds; repeatable")
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

        # The floor units take turns with the two above, in the same rounds.
        floor: list[tuple[str, Path]] = []
        if args.floor:
            includes = "\n".join(f"#include <{h}>" for h in std)
            floor.append(("gdos declarations (included, nothing called)",
                          unit("declarations", DECLARATIONS_TU.format(reply=reply))))
            floor.append(("toy typed parser (std headers, no gdos)",
                          unit("toy", TOY_PARSER_TU.format(includes=includes, reply=reply))))
            floor.append(("toy typed parser after <gdos/request.hpp>",
                          unit("toy_request", TOY_PARSER_TU.format(
                              includes=f"{includes}\n#include <gdos/request.hpp>", reply=reply))))
            floor.append(("toy typed parser after <gdos/gdos.hpp>",
                          unit("toy_gdos", TOY_PARSER_TU.format(
                              includes=f"{includes}\n#include <gdos/gdos.hpp>", reply=reply))))
            floor.append(("<gdos/parse_response.hpp> + parse_response",
                          unit("parse_only", PARSE_ONLY_TU.format(define="", reply=reply,
                                                                 body=PARSE_RESPONSE))))
            if (INCLUDE / "gdos" / "src.hpp").is_file():
                separate = "#define GDOS_SEPARATE_COMPILATION 1\n"
                floor.append((SEPARATE_LABEL,
                              unit("parse_only_separate",
                                   PARSE_ONLY_TU.format(define=separate, reply=reply,
                                                        body=PARSE_RESPONSE))))
                floor.append(("  the once-per-program file (gdos/src.hpp)",
                              unit("separate_src", "#include <gdos/src.hpp>\n")))
            for i, other in enumerate(args.compare):
                src = unit(f"parse_only_other{i}",
                           PARSE_ONLY_TU.format(define="", reply=reply, body=PARSE_RESPONSE))
                OTHER_INCLUDE[src] = Path(other).resolve()
                floor.append((f"  same, -I {other}", src))
            for i, (label, (header, text)) in enumerate(PEER_SPLIT_TUS.items()):
                src = unit(f"peer{i}", text.format(reply=reply))
                probe = subprocess.run([*cxx, *flags, "-fsyntax-only", str(src)],
                                       capture_output=True)
                if probe.returncode == 0:
                    floor.append((f"{label} split (untyped)", src))
                else:
                    print(f"(<{header}> not installed: no {label} unit)")

        times = median_seconds(cxx, flags, [base_src, gdos_src, *(s for _, s in floor)], args.runs)
        base, full = times[0], times[1]
        ratio = full / base
        print(f"{'baseline (standard headers only)':44} {base:6.2f} s")
        print(f"{'gdos (<gdos/gdos.hpp> + a parse)':44} {full:6.2f} s")
        verdict = "within" if ratio <= args.budget else "OVER"
        print(f"{'ratio':44} {ratio:6.2f} x  ({verdict} the {args.budget} x budget)")

        if floor:
            print()
            print(f"the floor, against the same baseline (budget {args.budget} x = "
                  f"{args.budget * base:.2f} s, i.e. {(args.budget - 1) * base:.2f} s over it):")
            for (label, _), secs in zip(floor, times[2:]):
                print(f"  {label:46} {secs:6.2f} s  {secs / base:5.2f} x  "
                      f"(+{secs - base:.2f} s)")
            by_label = {label: secs for (label, _), secs in zip(floor, times[2:])}
            parse_only = by_label.get("<gdos/parse_response.hpp> + parse_response")
            peers = {k: v for k, v in by_label.items() if k.endswith("split (untyped)")}
            parsing = {"this tree": parse_only} if parse_only is not None else {}
            parsing.update({k.strip(): v for k, v in by_label.items() if k.startswith("  same")})
            if SEPARATE_LABEL in by_label:
                parsing["opt-in GDOS_SEPARATE_COMPILATION, this tree"] = by_label[SEPARATE_LABEL]
            if parsing and peers:
                print()
                for label, secs in peers.items():
                    for which, mine in parsing.items():
                        print(f"parsing header + parse_response ({which}) / {label}: "
                              f"{mine / secs:.2f} x")

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
