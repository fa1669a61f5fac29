#!/usr/bin/env bash
# The whole gdos test suite, what CI runs (after scripts/install-deps.sh all). Every stage is an
# everyday command (CMake workflow presets, meson test, the fuzzers, the benchmark binary), so any
# failure can be rerun on its own. Stops at the first failing stage.
#
#   GDOS_FUZZ_SECONDS  seconds each fuzz target runs (default 60)
#   GDOS_JOBS          parallel compile jobs for Meson (default 2; CMake presets use 2)
set -euo pipefail
cd "$(dirname "$0")/.."

fuzz_seconds=${GDOS_FUZZ_SECONDS:-60}
jobs=${GDOS_JOBS:-2}
passed=0
current=""
summary=()
total_start=$SECONDS

finish() {
  local rc=$?
  echo
  echo "==== summary"
  if [ ${#summary[@]} -gt 0 ]; then printf '%s\n' "${summary[@]}"; fi
  if [ -n "$current" ]; then
    echo "FAILED $current (exit $rc)"
    echo "$passed passed, 1 failed"
  else
    echo "total $((SECONDS - total_start)) s"
    echo "$passed passed, 0 failed"
  fi
}
trap finish EXIT

# stage <name> <function>: runs the function with errexit in force (never as an `if` condition,
# where bash would ignore errexit inside it).
stage() {
  current=$1
  local start=$SECONDS
  echo
  echo "==== [$((passed + 1))] $current"
  "$2"
  passed=$((passed + 1))
  summary+=("ok   $(printf '%-34s' "$current") $((SECONDS - start)) s")
  current=""
}

cpp_files() {
  if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
    git ls-files -z -- '*.hpp' '*.cpp' ':!:single_include/**'
  else
    find . \( -path ./single_include -o -path './build*' -o -path ./.git \) -prune -o \
      -type f \( -name '*.hpp' -o -name '*.cpp' \) -print0
  fi
}

# The full package set (scripts/install-deps.sh all): nothing to do when it is installed, so the
# README's quick start (demo.sh installs only the demo's packages) holds for this script too.
packages() { bash scripts/install-deps.sh all; }

single_include() { python3 tools/amalgamate.py --check; }

format() { cpp_files | xargs -0 -r clang-format-19 --dry-run -Werror; }

# Also runs the consumer projects (tests/consumers/, ctest label "consumer"): install, find_package,
# add_subdirectory, FetchContent, pkg-config, Meson, the single header.
cmake_gcc() { cmake --workflow --preset gcc; }

meson_clang() {
  local dir=build/meson-clang
  if [ -f "$dir/build.ninja" ]; then
    meson setup --reconfigure "$dir" -Dwerror=true
  else
    CXX=clang++-19 meson setup "$dir" -Dwerror=true
  fi
  meson compile -C "$dir" -j "$jobs"
  meson test -C "$dir" --print-errorlogs
}

asan() { cmake --workflow --preset asan; }

# clang-tidy-19 over every public header (.clang-tidy says which checks and why).
tidy() { bash scripts/tidy.sh; }

# The API reference, warnings as errors (docs/Doxyfile): lands in build/gcc/docs/html/.
docs() { cmake --build --preset gcc --target docs; }

# The test suite as C++23 (g++, tests only): gdos' cxx_std_20 is a floor, not a pin. Built with
# GDOS_NO_SIMD, so the portable code paths that every other stage replaces with the SIMD kernels
# (include/gdos/detail/simd.hpp) are tested too, at no extra build.
cxx23() { cmake --workflow --preset cxx23; }

# What <gdos/gdos.hpp> plus a parse costs to compile, against the standard headers it includes
# (budget 1.5 x), and the floor: gdos' declarations alone and a toy typed parser after them
# (bench/README.md, "Compile time"). Reported, not enforced: the floor is over the budget.
compile_time() {
  local out
  out=$(python3 tools/compile_time.py --runs 5 --floor)
  echo "$out"
  summary+=("     compile time: $(grep -m1 "^ratio" <<<"$out" | tr -s " ")")
  summary+=("     compile time floor: $(grep -m1 "toy typed parser after <gdos/gdos.hpp>" <<<"$out" | tr -s " ")")
  # #14: the parsing header + parse_response against Boost.URL's split (when Boost is installed),
  # header-only and with the opt-in GDOS_SEPARATE_COMPILATION.
  summary+=("     parsing unit / Boost.URL split: $( (grep -m2 "^parsing header.*/ Boost.URL" <<<"$out" || true) | sed 's/.*(\(.*\)) \/.*: /\1: /' | paste -sd ';' -)")
}

fuzz() {
  # Builds the libFuzzer binaries and replays each corpus (ctest), then fuzzes each target for
  # $fuzz_seconds on a scratch copy of its corpus, so the checked-in seeds never change.
  cmake --workflow --preset fuzz
  local src target exe work dict stats
  for src in fuzz/fuzz_*.cpp; do
    target=$(basename "$src" .cpp)
    target=${target#fuzz_}
    exe=build/fuzz/fuzz/fuzz_$target
    work=build/fuzz/run/$target
    if [ ! -x "$exe" ]; then
      echo "$src was not built: add gdos_add_fuzzer($target) to fuzz/CMakeLists.txt" >&2
      return 1
    fi
    rm -rf "$work"
    mkdir -p "$work/corpus" "$work/artifacts"
    if [ -d "fuzz/corpus/$target" ]; then cp -R "fuzz/corpus/$target/." "$work/corpus/"; fi
    dict=()
    if [ -f "fuzz/$target.dict" ]; then dict=("-dict=fuzz/$target.dict"); fi
    echo "--- fuzz_$target for ${fuzz_seconds} s"
    "$exe" "${dict[@]}" -max_total_time="$fuzz_seconds" -print_final_stats=1 \
      -artifact_prefix="$work/artifacts/" "$work/corpus" 2>"$work/log" ||
      { tail -n 60 "$work/log"; return 1; }
    stats=$(grep -m1 '^stat::number_of_executed_units:' "$work/log" | awk '{print $2}')
    echo "fuzz_$target: ${stats:-?} executions in ${fuzz_seconds} s"
    summary+=("     fuzz_$target: ${stats:-?} executions in ${fuzz_seconds} s")
  done
}

bench() {
  cmake --workflow --preset bench
  if [ -x build/bench/bench/gdos_bench ]; then
    # libbenchmark 1.7.1 takes a plain number of seconds (the "0.01s" form came in 1.8).
    build/bench/bench/gdos_bench --benchmark_min_time=0.01
  else
    echo "no gdos_bench target yet (bench/CMakeLists.txt lists no bench_*.cpp): nothing to run"
  fi
}

stage "packages (install-deps.sh all)" packages
stage "single header up to date" single_include
stage "clang-format-19" format
stage "CMake g++ (werror) + ctest" cmake_gcc
stage "clang-tidy-19 (headers)" tidy
stage "Doxygen API reference" docs
stage "C++23 (g++, GDOS_NO_SIMD) + ctest" cxx23
stage "compile time (gdos vs std headers)" compile_time
stage "Meson clang++-19 (werror) + test" meson_clang
stage "ASan+UBSan (clang++-19) + ctest" asan
stage "libFuzzer (clang++-19)" fuzz
stage "benchmarks (Release)" bench
