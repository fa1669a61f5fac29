// gdos_bench's main: loads the bodies, runs every registered benchmark, and fails the process
// when a case's check failed (a skipped row alone is easy to miss in CI logs and scripts).
#include "bench_util.hpp"

#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>

#ifndef GDOS_BENCH_DATA_DIR
#error "GDOS_BENCH_DATA_DIR must name the directory holding the bench/data bodies"
#endif

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  // GDOS_BENCH_HEAP_PAD=n: n bytes allocated (and kept) before anything else, so the bodies and
  // everything the cases allocate sit n bytes further on. bench/layout_sweep.py varies it (and
  // the environment's size, which moves the stack) to find layouts a case is sensitive to.
  const char* heap_pad = std::getenv("GDOS_BENCH_HEAP_PAD");
  const std::size_t pad = heap_pad != nullptr ? std::strtoull(heap_pad, nullptr, 10) : 0;
  std::unique_ptr<char[]> pad_block;
  if (pad != 0) {
    pad_block = std::make_unique<char[]>(pad);
    benchmark::DoNotOptimize(pad_block.get());
  }
  benchmark::AddCustomContext("heap_pad", std::to_string(pad) + " bytes");
  // GDOS_BENCH_DATA overrides the build-time directory, e.g. to run an installed binary.
  const char* env = std::getenv("GDOS_BENCH_DATA");
  const std::string dir = env != nullptr && *env != '\0' ? env : GDOS_BENCH_DATA_DIR;
  if (!gdos_bench::load_bodies(dir)) return 1;
  for (const char* label : gdos_bench::body_labels) {
    const std::string& text = gdos_bench::body(label);
    benchmark::AddCustomContext(std::string("body_") + label,
                                std::to_string(text.size()) + " bytes");
  }
  benchmark::AddCustomContext("allocs_counted", gdos_bench::counts_malloc()
                                                    ? "operator new and the malloc family"
                                                    : "operator new only (sanitizer build)");
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  if (gdos_bench::failed_checks() != 0) {
    std::fprintf(stderr, "gdos_bench: %d check(s) failed, see the error rows above\n",
                 gdos_bench::failed_checks());
    return 1;
  }
  return 0;
}
