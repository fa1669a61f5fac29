// A stand-in for libFuzzer's main when the compiler has no -fsanitize=fuzzer (g++, or clang
// without compiler-rt): runs LLVMFuzzerTestOneInput once over every file given, or found under a
// directory given, so every build replays the seed corpus and the saved crashes.
//
// Arguments starting with '-' are ignored, so a libFuzzer command line (-runs=0, -dict=...)
// works with either main. Exits non-zero when no input was run: a replay of nothing proves
// nothing.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <string>
#include <system_error>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

namespace {

namespace fs = std::filesystem;

bool run_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    std::fprintf(stderr, "replay: cannot read %s\n", path.c_str());
    return false;
  }
  const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  // An exactly-sized heap block, as libFuzzer gives: a sanitizer flags the first byte past it.
  const auto copy = std::make_unique<std::uint8_t[]>(bytes.size());
  std::copy(bytes.begin(), bytes.end(), reinterpret_cast<char*>(copy.get()));
  LLVMFuzzerTestOneInput(copy.get(), bytes.size());
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  std::size_t ran = 0;
  bool failed = false;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg.starts_with('-')) continue;
    std::error_code ec;
    if (fs::is_directory(arg, ec)) {
      // Sorted, so a failure reproduces in the same order on every machine.
      std::vector<fs::path> files;
      for (const auto& entry : fs::recursive_directory_iterator(arg, ec)) {
        if (entry.is_regular_file()) files.push_back(entry.path());
      }
      std::sort(files.begin(), files.end());
      for (const auto& file : files) {
        if (run_file(file))
          ++ran;
        else
          failed = true;
      }
    } else if (fs::is_regular_file(arg, ec)) {
      if (run_file(arg))
        ++ran;
      else
        failed = true;
    } else {
      std::fprintf(stderr, "replay: no such file or directory: %s\n", arg.c_str());
      failed = true;
    }
  }
  std::printf("replay: ran %zu inputs\n", ran);
  if (ran == 0) std::fprintf(stderr, "replay: no inputs given, nothing was tested\n");
  return failed || ran == 0 ? 1 : 0;
}
