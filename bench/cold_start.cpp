// gdos_cold_start: how much the first parse of a process costs against the warm ones.
//
//   gdos_cold_start [body.txt]      (default: bench/data/small.txt)
//
// Reads the body, then times gdos::parse_response() on it: the first call of the process (the
// allocator has served nothing but the body's read, the parser's code and data are cold), then
// `warm` more calls, and prints one JSON object: the first call's time, the median of the warm
// ones, and their ratio. One process gives one sample: bench/layout_sweep.py --cold N runs it N
// times and reports the worst ratio. Nothing else runs before the first parse, so the figure is
// what a short-lived program (a CLI call, a cron job) pays.
#include <gdos/response.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#ifndef GDOS_BENCH_DATA_DIR
#error "GDOS_BENCH_DATA_DIR must name the directory holding the bench/data bodies"
#endif

namespace {

using clock_type = std::chrono::steady_clock;

bool read_file(const char* path, std::string& out) {
  std::FILE* f = std::fopen(path, "rb");
  if (f == nullptr) return false;
  char chunk[65536];
  std::size_t n = 0;
  while ((n = std::fread(chunk, 1, sizeof chunk, f)) != 0) out.append(chunk, n);
  const bool ok = std::ferror(f) == 0;
  std::fclose(f);
  return ok && !out.empty();
}

// One parse, timed; the result is checked so that the call cannot be optimized away.
double timed_parse(const std::string& body, bool& ok) {
  const auto t0 = clock_type::now();
  const auto r = gdos::parse_response(body);
  const auto t1 = clock_type::now();
  ok = ok && r.has_value() && !r->orders.empty();
  return std::chrono::duration<double, std::nano>(t1 - t0).count();
}

}  // namespace

int main(int argc, char** argv) {
  const std::string path =
      argc > 1 ? std::string(argv[1]) : std::string(GDOS_BENCH_DATA_DIR) + "/small.txt";
  constexpr int warm = 1001;
  std::string body;
  if (!read_file(path.c_str(), body)) {
    std::fprintf(stderr, "gdos_cold_start: cannot read %s\n", path.c_str());
    return 1;
  }
  // The clock's own first call (vDSO page) is not the parser's cost.
  (void)clock_type::now();
  bool ok = true;
  const double first = timed_parse(body, ok);
  std::vector<double> times(warm);
  for (double& t : times) t = timed_parse(body, ok);
  if (!ok) {
    std::fprintf(stderr, "gdos_cold_start: %s did not parse into orders\n", path.c_str());
    return 1;
  }
  std::nth_element(times.begin(), times.begin() + warm / 2, times.end());
  const double median = times[warm / 2];
  std::printf(
      "{\"body\": \"%s\", \"bytes\": %zu, \"first_ns\": %.0f, \"warm_median_ns\": %.0f, "
      "\"ratio\": %.3f}\n",
      path.c_str(), body.size(), first, median, first / median);
  return 0;
}
