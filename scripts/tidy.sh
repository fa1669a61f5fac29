#!/usr/bin/env bash
# clang-tidy over gdos' public headers with the repository's .clang-tidy; exits non-zero on any
# finding (the configuration turns every warning into an error).
#
# Each header in include/gdos/ gets a translation unit of its own holding just its #include, so
# a header is checked alone (and must compile alone). tests/consumers/common/consumer.cpp is
# checked too: it instantiates the templates the way a user does, which the include-only units
# cannot. Findings are reported only in include/gdos/ (HeaderFilterRegex) and in that one file.
#
#   CLANG_TIDY  the clang-tidy binary (default clang-tidy-19)
#   GDOS_JOBS   parallel clang-tidy processes (default 2)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
tidy=${CLANG_TIDY:-clang-tidy-19}
jobs=${GDOS_JOBS:-2}

work=$(mktemp -d "${TMPDIR:-/tmp}/gdos-tidy.XXXXXX")
trap 'rm -rf "$work"' EXIT

units=()
for header in include/gdos/*.hpp; do
  name=$(basename "$header" .hpp)
  printf '#include <gdos/%s.hpp>\n' "$name" >"$work/header_$name.cpp"
  units+=("$work/header_$name.cpp")
done
units+=("$root/tests/consumers/common/consumer.cpp")

# --config-file: the generated units live outside the tree, where clang-tidy would not find
# .clang-tidy by itself.
# The "N warnings generated." counts are about suppressed (non-gdos) code: filtered out.
set +e +o pipefail
printf '%s\0' "${units[@]}" |
  xargs -0 -P "$jobs" -I{} "$tidy" --quiet --config-file="$root/.clang-tidy" {} -- \
    -std=c++20 -I"$root/include" 2>&1 |
  grep -v '^[0-9]* warnings\? generated\.$'
status=${PIPESTATUS[1]}
set -e -o pipefail
if [[ $status -ne 0 ]]; then
  echo "clang-tidy: findings above (see .clang-tidy for the checks and why)" >&2
  exit 1
fi
echo "clang-tidy: ${#units[@]} translation units, no findings"
