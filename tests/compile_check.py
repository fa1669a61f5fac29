#!/usr/bin/env python3
"""Compile-time checks ("must not compile" tests) for CMake and Meson alike.

    compile_check.py --succeed -- COMPILER ARGS...
    compile_check.py --fail-with REGEX -- COMPILER ARGS...

The first passes when the command succeeds. The second passes only when the command fails AND
its diagnostics match REGEX, so a file that fails for an unrelated reason (a typo, a missing
header) does not count as the expected error.
"""

import re
import subprocess
import sys


def main() -> int:
    args = sys.argv[1:]
    if "--" not in args:
        sys.exit(__doc__)
    split = args.index("--")
    mode, command = args[:split], args[split + 1 :]
    result = subprocess.run(command, capture_output=True, text=True, timeout=300)
    output = result.stdout + result.stderr
    if mode == ["--succeed"]:
        if result.returncode != 0:
            print(output)
            print("compile_check: expected the compilation to succeed")
            return 1
        print("compile_check: compiled, as expected")
        return 0
    if len(mode) == 2 and mode[0] == "--fail-with":
        if result.returncode == 0:
            print("compile_check: compiled, but it must not")
            return 1
        if not re.search(mode[1], output):
            print(output)
            print(f"compile_check: failed without the expected diagnostic /{mode[1]}/")
            return 1
        print("compile_check: refused with the expected diagnostic")
        return 0
    sys.exit(__doc__)


if __name__ == "__main__":
    sys.exit(main())
