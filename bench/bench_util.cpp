#include "bench_util.hpp"

#include <cstdio>
#include <cstdlib>
#include <exception>
#include <fstream>
#include <iterator>
#include <map>
#include <utility>

namespace gdos_bench {

namespace {

std::map<std::string, std::string, std::less<>>& bodies() {
  static std::map<std::string, std::string, std::less<>> m;
  return m;
}

std::map<std::string, std::string>& verdicts() {
  static std::map<std::string, std::string> m;
  return m;
}

int g_failed = 0;

}  // namespace

bool load_bodies(const std::string& dir) {
  for (const char* label : body_labels) {
    const std::string path = dir + "/" + label + ".txt";
    std::ifstream in(path, std::ios::binary);
    std::string text;
    if (in) text.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    if (text.empty()) {
      std::fprintf(stderr,
                   "gdos_bench: cannot read %s (python3 bench/data/gen_bodies.py makes it)\n",
                   path.c_str());
      return false;
    }
    bodies()[label] = std::move(text);
  }
  return true;
}

const std::string& body(std::string_view label) {
  const auto it = bodies().find(label);
  if (it == bodies().end()) {
    std::fprintf(stderr, "gdos_bench: no body called %.*s\n", static_cast<int>(label.size()),
                 label.data());
    std::abort();
  }
  return it->second;
}

const body_shape& shape(std::string_view label) {
  for (const body_shape& s : body_shapes)
    if (label == s.label) return s;
  std::fprintf(stderr, "gdos_bench: no shape for body %.*s\n", static_cast<int>(label.size()),
               label.data());
  std::abort();
}

bool check_once(benchmark::State& state, const std::string& key,
                const std::function<std::string()>& check) {
  auto [it, first] = verdicts().try_emplace(key);
  if (first) {
    // Peers throw on input they reject (Boost.URL, Poco): that is a failed check, not a crash.
    try {
      it->second = check();
    } catch (const std::exception& e) {
      it->second = key + " threw: " + e.what();
    }
    if (!it->second.empty()) ++g_failed;
  }
  if (it->second.empty()) return true;
  state.SkipWithError(it->second.c_str());
  return false;
}

int failed_checks() noexcept { return g_failed; }

void report(benchmark::State& state, std::size_t body_bytes, std::size_t items,
            std::uint64_t before) {
  const std::uint64_t allocations = allocation_count() - before;
  const auto iterations = static_cast<std::int64_t>(state.iterations());
  state.SetBytesProcessed(iterations * static_cast<std::int64_t>(body_bytes));
  state.SetItemsProcessed(iterations * static_cast<std::int64_t>(items));
  state.counters["allocs"] =
      iterations == 0 ? 0.0 : static_cast<double>(allocations) / static_cast<double>(iterations);
}

}  // namespace gdos_bench
