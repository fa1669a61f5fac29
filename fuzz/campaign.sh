#!/usr/bin/env bash
# A deep fuzz campaign over every target of fuzz/: far more executions than CI's 60 s per target,
# then the corpus merged and minimized so every later run (CI's included) starts from it.
#
#   bash fuzz/campaign.sh [options] [target...]      (default: every fuzz/fuzz_*.cpp)
#
#   --fast-runs N     executions with the throughput build (preset fuzz-fast: libFuzzer without
#                     sanitizers, invariant checks and GDOS_DEVELOPMENT_CHECKS on); default 9000000
#   --asan-runs N     executions with the ASan+UBSan build (preset fuzz); default 1000000
#   --update-corpus   replace fuzz/corpus/<target>/ with the minimized corpus
#   --out DIR         working directory (default build/campaign)
#
# Per target: the throughput build runs --fast-runs inputs from a copy of fuzz/corpus/<target>,
# the sanitizer build then --asan-runs more from the grown corpus, libFuzzer's -merge=1 adds to
# the checked-in seeds the fewest inputs that cover every feature found, and the sanitizer build
# replays that set once. One process at a time (no -jobs/-workers: the machine
# is shared). Each target's logs and findings (crash-*, leak-*, timeout-*, oom-*) stay in
# DIR/<target>/. The summary table (target, executions, of them under ASan+UBSan, cov and ft
# of the minimized corpus, its size, findings) goes to stdout and DIR/summary.md, with the date
# and commit: the form of fuzz/README.md's table. Exits 1 when anything was found.
set -euo pipefail
cd "$(dirname "$0")/.."

fast_runs=9000000
asan_runs=1000000
update=0
out=build/campaign
targets=()
while [ $# -gt 0 ]; do
  case $1 in
    --fast-runs) fast_runs=$2; shift 2 ;;
    --asan-runs) asan_runs=$2; shift 2 ;;
    --update-corpus) update=1; shift ;;
    --out) out=$2; shift 2 ;;
    -h|--help) sed -n '2,21p' "$0"; exit 0 ;;
    -*) echo "campaign.sh: unknown option $1" >&2; exit 2 ;;
    *) targets+=("$1"); shift ;;
  esac
done
if [ ${#targets[@]} -eq 0 ]; then
  for src in fuzz/fuzz_*.cpp; do
    t=$(basename "$src" .cpp)
    targets+=("${t#fuzz_}")
  done
fi

echo "==== building the sanitizer (build/fuzz) and throughput (build/fuzz-fast) fuzzers"
cmake --preset fuzz >/dev/null
cmake --preset fuzz-fast >/dev/null
cmake --build --preset fuzz
cmake --build --preset fuzz-fast

mkdir -p "$out"
commit=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
if [ -n "$(git status --porcelain -- include fuzz 2>/dev/null)" ]; then commit="$commit+changes"; fi
date=$(date -u +%Y-%m-%d)
summary="$out/summary.md"
{
  echo "| target | executions | of them ASan+UBSan | cov | ft | corpus (files, KiB) | findings | date | commit |"
  echo "|---|---:|---:|---:|---:|---:|---:|---|---|"
} >"$summary"
found_any=0

# The number after `key:` on the last line of a log that has it.
last_stat() { grep -o "$2: *[0-9]*" "$1" | tail -n 1 | grep -o '[0-9]*$' || echo 0; }

for t in "${targets[@]}"; do
  fast=build/fuzz-fast/fuzz/fuzz_$t
  asan=build/fuzz/fuzz/fuzz_$t
  if [ ! -x "$fast" ] || [ ! -x "$asan" ]; then
    echo "campaign.sh: fuzz_$t was not built (gdos_add_fuzzer($t) in fuzz/CMakeLists.txt?)" >&2
    exit 2
  fi
  work=$out/$t
  rm -rf "$work"
  mkdir -p "$work/corpus" "$work/min" "$work/artifacts"
  if [ -d "fuzz/corpus/$t" ]; then cp -R "fuzz/corpus/$t/." "$work/corpus/"; fi
  dict=()
  if [ -f "fuzz/$t.dict" ]; then dict=("-dict=fuzz/$t.dict"); fi
  common=("${dict[@]}" -print_final_stats=1 -timeout=10 -rss_limit_mb=2048
          "-artifact_prefix=$work/artifacts/")

  echo "==== fuzz_$t: $fast_runs runs without sanitizers, then $asan_runs with ASan+UBSan"
  start=$SECONDS
  "$fast" "${common[@]}" -runs="$fast_runs" "$work/corpus" 2>"$work/fast.log" || true
  "$asan" "${common[@]}" -runs="$asan_runs" "$work/corpus" 2>"$work/asan.log" || true
  # The checked-in seeds (kept: their names say what they test), plus the fewest inputs of the
  # grown corpus that add every feature the seeds miss; then that set replayed once under the
  # sanitizers.
  if [ -d "fuzz/corpus/$t" ]; then cp -R "fuzz/corpus/$t/." "$work/min/"; fi
  "$fast" -merge=1 "$work/min" "$work/corpus" 2>"$work/merge.log" || true
  "$asan" -runs=0 "$work/min" 2>"$work/replay.log" || true
  "$fast" -runs=0 "$work/min" 2>"$work/cov.log" || true

  fast_execs=$(last_stat "$work/fast.log" 'stat::number_of_executed_units')
  asan_execs=$(last_stat "$work/asan.log" 'stat::number_of_executed_units')
  cov=$(grep -o 'INITED cov: [0-9]*' "$work/cov.log" | grep -o '[0-9]*$' || echo 0)
  ft=$(grep -o 'INITED cov: [0-9]* ft: [0-9]*' "$work/cov.log" | grep -o '[0-9]*$' || echo 0)
  files=$(find "$work/min" -type f | wc -l)
  kib=$(( ($(find "$work/min" -type f -printf '%s\n' | awk '{s += $1} END {print s + 0}') + 1023) / 1024 ))
  findings=$(find "$work/artifacts" -type f | wc -l)
  if ! grep -q 'Done [0-9]* runs' "$work/replay.log"; then
    echo "fuzz_$t: the minimized corpus does not replay cleanly under ASan+UBSan:" >&2
    tail -n 30 "$work/replay.log" >&2
    findings=$((findings + 1))
  fi
  if [ "$findings" -ne 0 ]; then
    found_any=1
    echo "fuzz_$t: $findings finding(s) in $work/artifacts (logs: $work/*.log)" >&2
  fi
  printf '| %s | %s | %s | %s | %s | %s, %s | %s | %s | %s |\n' "fuzz_$t" \
    "$((fast_execs + asan_execs))" "$asan_execs" "$cov" "$ft" "$files" "$kib" "$findings" \
    "$date" "$commit" | tee -a "$summary"
  echo "     ($((SECONDS - start)) s)"

  if [ "$update" -eq 1 ] && [ "$findings" -eq 0 ]; then
    mkdir -p "fuzz/corpus/$t"
    cp -R "$work/min/." "fuzz/corpus/$t/"
  fi
done

echo
cat "$summary"
exit "$found_any"
