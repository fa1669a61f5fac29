#!/usr/bin/env python3
"""Check that every ```cpp block of README.md is compiled and run by the test of its section.

The rule: a block belongs to the README section it sits in, named by the header in the section's
heading (`### Response layer (`gdos/response.hpp`)`), or by the example file in a subsection's
heading (`#### libcurl transport (`examples/curl_transport.hpp`)`); SECTION_FILES below says
which tests/readme_*.cpp holds that section's blocks. A block matches when its lines, stripped of
leading and trailing whitespace, occur as consecutive lines of that file (so clang-format's
indentation there does not matter). Exit status 1 lists the blocks not found where they belong,
and sections the table does not know.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
TESTS = ROOT / "tests"

# The header (or example) a README section documents -> the test that compiles its snippets.
SECTION_FILES = {
    "gdos/form.hpp": "readme_snippets.cpp",
    "gdos/request.hpp": "readme_snippets.cpp",
    "gdos/response.hpp": "readme_response.cpp",
    "gdos/transport.hpp": "readme_transport.cpp",
    "gdos/progress.hpp": "readme_progress.cpp",
    "gdos/retry.hpp": "readme_progress.cpp",
    "examples/": "readme_examples.cpp",  # the example transports, run against the mock
}

HEADING_RE = re.compile(r"^(#{2,4}) (.*)$")
PATH_RE = re.compile(r"`((?:gdos|examples)/[^`]*)`")


def normalized(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def contains(haystack: list[str], needle: list[str]) -> bool:
    n = len(needle)
    return any(haystack[i:i + n] == needle for i in range(len(haystack) - n + 1))


def blocks_by_section(text: str) -> list[tuple[str | None, int, str]]:
    """(section key, line number, block) for each ```cpp block, the key from the headings."""
    out = []
    keys: dict[int, str | None] = {}
    lines = text.splitlines(keepends=True)
    i = 0
    while i < len(lines):
        heading = HEADING_RE.match(lines[i])
        if heading:
            level = len(heading.group(1))
            path = PATH_RE.search(heading.group(2))
            key = None
            if path:
                key = "examples/" if path.group(1).startswith("examples/") else path.group(1)
            # A subsection without a path of its own belongs to its section's.
            keys = {k: v for k, v in keys.items() if k < level}
            keys[level] = key if key or level <= 2 else keys.get(level - 1)
        if lines[i].startswith("```cpp"):
            start = i
            i += 1
            body = []
            while i < len(lines) and not lines[i].startswith("```"):
                body.append(lines[i])
                i += 1
            key = next((keys[k] for k in sorted(keys, reverse=True) if keys[k]), None)
            out.append((key, start + 1, "".join(body)))
        i += 1
    return out


def main() -> int:
    blocks = blocks_by_section(README.read_text(encoding="utf-8"))
    problems = []
    for key, line, block in blocks:
        first = normalized(block)[0] if normalized(block) else "(empty block)"
        name = SECTION_FILES.get(key or "")
        if name is None:
            problems.append(f"README.md:{line}: a C++ block in a section the rule does not know "
                            f"({key or 'no header in its heading'}): add it to SECTION_FILES")
            continue
        path = TESTS / name
        if not path.is_file() or not contains(normalized(path.read_text(encoding="utf-8")),
                                              normalized(block)):
            problems.append(f"README.md:{line}: snippet not in tests/{name}: {first}")
    for problem in problems:
        print(problem, file=sys.stderr)
    print(f"check_readme: {len(blocks) - len(problems)} of {len(blocks)} C++ snippets found "
          "in their section's test")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
