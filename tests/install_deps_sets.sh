#!/usr/bin/env bash
# scripts/install-deps.sh's sets: `demo` is enough for what scripts/demo.sh builds and holds
# none of the CI-only toolchain; `all` holds `demo` and what CI needs besides.
#
# Enough is checked on this machine: the demo's configuration (scripts/demo.sh's cmake options)
# is run in a scratch directory, every file CMake found for it is traced to its Debian package
# (dpkg -S), and each package must be in the demo set or what the demo set depends on (apt-cache
# depends --recurse). A new dependency of the tools that the demo set lacks fails here.
#
#   install_deps_sets.sh [SOURCE_DIR]       (~15 s: one CMake configure, one apt-cache walk)
set -euo pipefail

src=$(cd "${1:-$(dirname "$0")/..}" && pwd)
deps=$src/scripts/install-deps.sh
failures=0
fail() {
  echo "FAIL: $*" >&2
  failures=$((failures + 1))
}

mapfile -t demo < <(bash "$deps" --print demo)
mapfile -t all < <(bash "$deps" --print all)
mapfile -t default_set < <(bash "$deps" --print)
[ ${#demo[@]} -gt 0 ] || fail "the demo set is empty"
[ "${default_set[*]}" = "${all[*]}" ] || fail "the default set is not 'all'"
for p in "${demo[@]}"; do
  [[ " ${all[*]} " == *" $p "* ]] || fail "demo has $p, all does not"
done
# What the demo must not pull in: the CI-only toolchain the quick start used to install.
for p in clang-19 libclang-rt-19-dev clang-format-19 clang-tidy-19 doxygen meson doctest-dev \
  libbenchmark-dev libboost-url1.81-dev libglib2.0-dev libpoco-dev python3-jsonschema; do
  [[ " ${demo[*]} " != *" $p "* ]] || fail "the demo set installs $p"
  [[ " ${all[*]} " == *" $p "* ]] || fail "the full set lacks $p"
done
grep -q 'install-deps.sh demo' "$src/scripts/demo.sh" || fail "scripts/demo.sh does not use the demo set"
grep -q 'install-deps.sh all' "$src/.ci/run" || fail ".ci/run does not install the full set"
if bash "$deps" --print bogus >/dev/null 2>&1; then fail "an unknown set is accepted"; fi

if ! command -v dpkg >/dev/null || ! command -v apt-cache >/dev/null; then
  echo "install_deps_sets: SKIPPED the sufficiency check: no dpkg/apt-cache (not Debian)" >&2
  [ "$failures" -eq 0 ]
  exit
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/gdos-deps-XXXXXX")
trap 'rm -rf "$work"' EXIT

# scripts/demo.sh's configuration (its build step is what the e2e tests already cover); each
# option below must be demo.sh's, so that the two cannot drift apart.
for option in -DGDOS_BUILD_TOOLS=ON -DGDOS_BUILD_TESTS=OFF -DGDOS_BUILD_FUZZERS=OFF \
  -DGDOS_BUILD_BENCHMARKS=OFF -DGDOS_BUILD_EXAMPLES=ON; do
  grep -q -- "$option" "$src/scripts/demo.sh" || fail "scripts/demo.sh does not configure $option"
done
if ! cmake -S "$src" -B "$work/build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DGDOS_BUILD_TOOLS=ON -DGDOS_BUILD_TESTS=OFF -DGDOS_BUILD_FUZZERS=OFF \
  -DGDOS_BUILD_BENCHMARKS=OFF -DGDOS_BUILD_EXAMPLES=ON >"$work/configure.log" 2>&1; then
  cat "$work/configure.log" >&2
  fail "the demo configuration fails"
  exit 1
fi

# Everything the demo set brings: the set and its Depends/Pre-Depends, recursively.
apt-cache depends --recurse --no-recommends --no-suggests --no-conflicts --no-breaks \
  --no-replaces --no-enhances "${demo[@]}" 2>/dev/null |
  sed -n 's/^\([a-z0-9][^ :]*\).*/\1/p' | sort -u >"$work/closure"

# Files and package directories CMake found. Optional finds (the API reference, clang-format
# targets) are not part of the demo build.
optional='^(DOXYGEN_|GDOS_CLANG_FORMAT|Python3_|CMAKE_INSTALL_|CMAKE_HOME_|CMAKE_CACHEFILE_|CMAKE_PROJECT_)'
found=0
while IFS= read -r line; do
  key=${line%%:*}
  value=${line#*=}
  [[ $key =~ $optional ]] && continue
  [[ $value == "$work"* || $value == "$src"* ]] && continue
  [ -e "$value" ] || continue
  # A directory is traced through a file in it (a config package's *Config.cmake).
  if [ -d "$value" ]; then
    value=$(find "$value" -maxdepth 1 -name '*onfig.cmake' -print -quit)
    [ -n "$value" ] || continue
  fi
  file=$(readlink -f "$value")
  owner=$(dpkg -S "$file" 2>/dev/null | head -n1 | cut -d: -f1 || true)
  if [ -z "$owner" ]; then
    # /usr/bin/c++ and the like resolve through /etc/alternatives; dpkg knows the link too.
    owner=$(dpkg -S "$value" 2>/dev/null | head -n1 | cut -d: -f1 || true)
  fi
  [ -n "$owner" ] || continue
  found=$((found + 1))
  grep -qx "$owner" "$work/closure" ||
    fail "the demo build uses $value ($key) from $owner, which the demo set does not bring"
done < <(grep -E '^[A-Za-z0-9_.+-]+:(FILEPATH|PATH)=/' "$work/build/CMakeCache.txt")
[ "$found" -ge 8 ] || fail "only $found files traced to packages: the check saw too little"

echo "install_deps_sets: demo ${#demo[@]} packages, all ${#all[@]}; $found files of the demo build traced to the demo set's $(wc -l <"$work/closure") packages; $failures failures"
[ "$failures" -eq 0 ]
