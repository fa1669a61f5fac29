// gdos_cold_start: how much the first parse of a process costs against the warm ones.
//
//   gdos_cold_start [--code-resident | --warm-code] [body.txt]   (default: bench/data/small.txt)
//
// Reads the body, then times gdos::parse_response() on it: the first call of the process (the
// allocator has served nothing but the body's read, the parser's code and data are cold), then
// `warm` more calls, and prints one JSON object: the first call's time, the median of the warm
// ones, and their ratio. One process gives one sample: bench/layout_sweep.py --cold N runs it N
// times and reports the worst ratio. Nothing else runs before the first parse, so the figure is
// what a short-lived program (a CLI call, a cron job) pays.
//
// --code-resident first reads one byte of every page of the program's executable mappings, so
// the first parse takes no page fault for its code: what remains is the allocator's first
// requests, cold caches and untrained branch predictors (the kernel's page faults for code are
// the larger part of a truly cold first call, and no library can avoid them).
// --warm-code parses a one-certificate reply of 200 bytes first, which runs most of the parser's
// code once (bringing it into the caches and training the branch predictors a little) with
// four small allocations: what is left of the first parse's extra cost is then the data's and
// the allocator's.
#include <gdos/response.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
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

// Reads one byte of each 4 KiB page of every executable mapping listed in /proc/self/maps.
// Returns the number of pages touched (0 where /proc is not there).
std::size_t touch_code_pages() {
  std::FILE* maps = std::fopen("/proc/self/maps", "r");
  if (maps == nullptr) return 0;
  std::size_t pages = 0;
  unsigned sum = 0;
  char line[512];
  while (std::fgets(line, sizeof line, maps) != nullptr) {
    unsigned long lo = 0;
    unsigned long hi = 0;
    char perms[8] = {};
    if (std::sscanf(line, "%lx-%lx %7s", &lo, &hi, perms) != 3 || perms[2] != 'x') continue;
    if (std::strstr(line, "[vsyscall]") != nullptr) continue;
    for (unsigned long a = lo; a < hi; a += 4096, ++pages)
      sum += *reinterpret_cast<const volatile unsigned char*>(a);
  }
  std::fclose(maps);
  return sum == 0xFFFFFFFFu ? 0 : pages;  // keeps the reads
}

}  // namespace

int main(int argc, char** argv) {
  bool code_resident = false;
  bool warm_code = false;
  int arg = 1;
  if (arg < argc && std::strcmp(argv[arg], "--code-resident") == 0) {
    code_resident = true;
    ++arg;
  } else if (arg < argc && std::strcmp(argv[arg], "--warm-code") == 0) {
    warm_code = true;
    ++arg;
  }
  const std::string path =
      arg < argc ? std::string(argv[arg]) : std::string(GDOS_BENCH_DATA_DIR) + "/small.txt";
  constexpr int warm = 1001;
  std::string body;
  if (!read_file(path.c_str(), body)) {
    std::fprintf(stderr, "gdos_cold_start: cannot read %s\n", path.c_str());
    return 1;
  }
  // The clock's own first call (vDSO page) is not the parser's cost.
  (void)clock_type::now();
  const std::size_t touched = code_resident ? touch_code_pages() : 0;
  if (warm_code) {
    const std::string tiny =
        "errorCode=0&1_orderNumber=1234567&1_orderDateTime=2025-06-11+11%3A57&1_orderStatus=Issued"
        "&1_1_serialNumber=0A1B&1_1_FQDN=www.example.com&1_1_certificateStatus=Valid"
        "&1_1_csrStatus=1&1_1_dcvStatus=2&1_1_slId=1234567";
    bool tiny_ok = true;
    (void)timed_parse(tiny, tiny_ok);
    if (!tiny_ok) return 1;
  }
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
      "{\"body\": \"%s\", \"bytes\": %zu, \"mode\": \"%s\", \"code_pages\": %zu, "
      "\"first_ns\": %.0f, \"warm_median_ns\": %.0f, \"ratio\": %.3f}\n",
      path.c_str(), body.size(),
      code_resident ? "code-resident"
      : warm_code   ? "warm-code"
                    : "cold",
      touched, first, median, first / median);
  return 0;
}
