// version.hpp first: it must be self-contained.
#include <gdos/version.hpp>

#include <doctest/doctest.h>

#include <fstream>
#include <string>
#include <string_view>

// The build system passes its own project version (CMake project(), Meson project()), so a
// release that bumps one place and forgets another fails here, under either build system.
#ifndef GDOS_PROJECT_VERSION
#error "the build system must define GDOS_PROJECT_VERSION"
#endif

namespace {

#define GDOS_TEST_STR2(x) #x
#define GDOS_TEST_STR(x) GDOS_TEST_STR2(x)
constexpr std::string_view from_parts = GDOS_TEST_STR(GDOS_VERSION_MAJOR) "." GDOS_TEST_STR(
    GDOS_VERSION_MINOR) "." GDOS_TEST_STR(GDOS_VERSION_PATCH);

// The first "## [x.y.z]" heading of CHANGELOG.md, skipping "## [Unreleased]".
std::string newest_changelog_release(const char* path) {
  std::ifstream in(path);
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("## [", 0) != 0) continue;
    const auto close = line.find(']');
    if (close == std::string::npos) continue;
    std::string v = line.substr(4, close - 4);
    if (v != "Unreleased") return v;
  }
  return "(no release heading in " + std::string(path) + ")";
}

}  // namespace

static_assert(
    from_parts == GDOS_VERSION_STRING,
    "GDOS_VERSION_STRING must be GDOS_VERSION_MAJOR.GDOS_VERSION_MINOR.GDOS_VERSION_PATCH");
static_assert(GDOS_VERSION ==
              GDOS_VERSION_MAJOR * 10000 + GDOS_VERSION_MINOR * 100 + GDOS_VERSION_PATCH);
static_assert(GDOS_VERSION_MINOR < 100 && GDOS_VERSION_PATCH < 100,
              "GDOS_VERSION packs minor and patch in two decimal digits each");

TEST_CASE("version.hpp says the version the build system's project() says") {
  CHECK(std::string_view(GDOS_VERSION_STRING) == std::string_view(GDOS_PROJECT_VERSION));
}

#ifdef GDOS_CHANGELOG_PATH
TEST_CASE("the newest release in CHANGELOG.md is the version in version.hpp") {
  CHECK(newest_changelog_release(GDOS_CHANGELOG_PATH) == GDOS_VERSION_STRING);
}
#endif

#ifdef GDOS_TEST_CXX_STANDARD
// Proves that a build asking for a newer standard really compiles the suite with it: gdos'
// cxx_std_20 is a minimum, not a pin.
TEST_CASE("the suite is compiled with the C++ standard the build asked for") {
#if GDOS_TEST_CXX_STANDARD == 20
  CHECK(__cplusplus == 202002L);
#elif GDOS_TEST_CXX_STANDARD == 23
  CHECK(__cplusplus > 202002L);  // 202100L (g++ 12), 202302L (clang 19)
#else
  CHECK(__cplusplus >= 202002L);
#endif
}
#endif
