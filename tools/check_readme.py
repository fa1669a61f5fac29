#!/usr/bin/env python3
"""Check that every ```cpp block of README.md appears in one of tests/readme_*.cpp.

The README's C++ snippets are compiled and run as tests/readme_snippets.cpp (and, for a layer
whose author keeps them apart, tests/readme_<layer>.cpp); this keeps the two from drifting apart. A block matches when its lines, stripped of leading and trailing
whitespace, occur as consecutive lines of the test file (so clang-format's indentation there
does not matter). Exit status 1 lists the blocks that were not found.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
SNIPPETS = sorted((ROOT / "tests").glob("readme_*.cpp"))

BLOCK_RE = re.compile(r"^```cpp\n(.*?)^```", re.M | re.S)


def normalized(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def contains(haystack: list[str], needle: list[str]) -> bool:
    n = len(needle)
    return any(haystack[i:i + n] == needle for i in range(len(haystack) - n + 1))


def main() -> int:
    blocks = BLOCK_RE.findall(README.read_text(encoding="utf-8"))
    codes = [normalized(path.read_text(encoding="utf-8")) for path in SNIPPETS]
    missing = [b for b in blocks if not any(contains(code, normalized(b)) for code in codes)]
    for block in missing:
        first = normalized(block)[0] if normalized(block) else "(empty block)"
        print(f"README.md snippet not in tests/readme_*.cpp: {first}", file=sys.stderr)
    print(f"check_readme: {len(blocks) - len(missing)} of {len(blocks)} C++ snippets found")
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
