#!/usr/bin/env bash
# clang-tidy over gdos' headers with the repository's .clang-tidy; exits non-zero on any finding
# (the configuration turns every warning into an error).
#
# Each header under include/gdos/ (the public ones, impl/ and detail/) gets a translation unit of
# its own holding just its #include, so a header is checked alone (and must compile alone).
# tests/consumers/common/consumer.cpp is checked too: it instantiates the templates the way a
# user does, which the include-only units cannot. Findings are reported only in include/gdos/ and
# its folders (HeaderFilterRegex) and in that one file.
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
while IFS= read -r -d '' header; do
  rel=${header#include/}
  unit="$work/header_$(tr '/' '_' <<<"${rel%.hpp}").cpp"
  printf '#include <%s>\n' "$rel" >"$unit"
  units+=("$unit")
done < <(find include/gdos -name '*.hpp' -print0 | sort -z)
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
