// Shared by every gdos_bench source: the bodies, check-before-timing, counters.
//
// A benchmark source registers its cases (BENCHMARK or benchmark::RegisterBenchmark at static
// initialization); bench_main.cpp loads the bodies, runs everything and exits non-zero when a
// check failed. A case:
//
//   void my_case(benchmark::State& state, const char* label) {
//     const std::string& body = gdos_bench::body(label);
//     if (!gdos_bench::check_once(state, std::string("my_case/") + label, [&] {
//           return result_is_right ? std::string() : "what differs";
//         }))
//       return;
//     const std::uint64_t before = gdos_bench::allocation_count();
//     for (auto _ : state) { ... }
//     gdos_bench::report(state, body.size(), fields_per_iteration, before);
//   }
#pragma once

#include "alloc_count.hpp"

#include <benchmark/benchmark.h>

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

namespace gdos_bench {

/// Labels of the bodies in bench/data (`<label>.txt`), in the order cases are registered.
inline constexpr const char* body_labels[] = {"small", "large", "org_details", "no_escapes"};

/// What bench/data/gen_bodies.py put in each body: the reply checks compare with it.
struct body_shape {
  const char* label;
  std::size_t orders;
  std::size_t certificates;    ///< per order
  bool suggested_org_details;  ///< every order has one
};
inline constexpr body_shape body_shapes[] = {
    {"small", 2, 3, true},
    {"large", 20, 10, true},
    {"org_details", 8, 2, true},
    {"no_escapes", 10, 5, false},
};

/// The shape of the body called `label` (one of body_labels).
[[nodiscard]] const body_shape& shape(std::string_view label);

/// Reads every body of body_labels from the data directory (GDOS_BENCH_DATA_DIR unless
/// `dir` is given). False, with a message on stderr, when one is missing or empty.
[[nodiscard]] bool load_bodies(const std::string& dir);

/// The body called `label` (one of body_labels), valid until the program ends.
/// Must be called after load_bodies() succeeded.
[[nodiscard]] const std::string& body(std::string_view label);

/// Runs `check` on the first call for `key` only (benchmark calls a case's function several
/// times while it sizes the iteration count) and remembers its verdict: an empty string means
/// it passed. On failure the benchmark is skipped with that message, the program's exit status
/// becomes non-zero, and false is returned: the caller must return without timing.
[[nodiscard]] bool check_once(benchmark::State& state, const std::string& key,
                              const std::function<std::string()>& check);

/// Number of checks that failed so far.
[[nodiscard]] int failed_checks() noexcept;

/// Sets bytes_per_second (body bytes), items_per_second (`items` per iteration) and the
/// `allocs` counter (heap allocations per iteration since allocation_count() was `before`).
void report(benchmark::State& state, std::size_t body_bytes, std::size_t items,
            std::uint64_t before);

}  // namespace gdos_bench
