// The generated single header works on its own: this file is compiled with single_include/ as
// its only gdos include directory, so <gdos/gdos.hpp> below is the amalgamated copy.
#include <gdos/gdos.hpp>

#include <doctest/doctest.h>

#include <array>
#include <span>
#include <string>
#include <string_view>

// Only the generated file defines it: fails to build if include/ was searched instead.
#ifndef GDOS_SINGLE_HEADER
#error "test_single_include must see single_include/gdos/gdos.hpp, not include/gdos/gdos.hpp"
#endif

namespace {

// Compile-time checks go through caller buffers: clang 19 cannot evaluate libstdc++ 12's
// std::string in a constant expression, so std::string-returning functions are run-time only.
constexpr bool encodes_to(std::string_view plain, std::string_view expected) {
  std::array<char, 64> buf{};
  const auto r = gdos::form::encode_to(plain, std::span<char>(buf));
  return r.ok && std::string_view(buf.data(), r.size) == expected;
}

constexpr bool decodes_to(std::string_view encoded, std::string_view expected) {
  std::array<char, 64> buf{};
  const auto r = gdos::form::decode_to(encoded, std::span<char>(buf));
  return r.ok && std::string_view(buf.data(), r.size) == expected;
}

constexpr std::size_t count_fields(std::string_view body) {
  std::size_t n = 0;
  for (const auto& f : gdos::form::fields(body)) n += f.name.empty() ? 0 : 1;
  return n;
}

}  // namespace

static_assert(encodes_to("a b&c=d/\xC3\xA9", "a+b%26c%3Dd%2F%C3%A9"));
static_assert(decodes_to("The+%27loginName%27+argument", "The 'loginName' argument"));
static_assert(decodes_to("x=%", "x=%"));
static_assert(count_fields("errorCode=0&&1_orderNumber=1234567&") == 2);

TEST_CASE("the single header carries the project's version") {
  // GDOS_PROJECT_VERSION comes from the build system's project() version.
  CHECK(std::string_view(GDOS_VERSION_STRING) == GDOS_PROJECT_VERSION);
}

TEST_CASE("the single header encodes and decodes at run time") {
  const std::string plain = "Request was not made over https!";
  const std::string encoded = gdos::form::encode(plain);
  CHECK(encoded == "Request+was+not+made+over+https%21");
  CHECK(gdos::form::decode(encoded) == plain);

  std::array<char, 8> small{};
  const auto r = gdos::form::encode_to(plain, std::span<char>(small));
  CHECK_FALSE(r.ok);
  CHECK(r.size == encoded.size());
}

TEST_CASE("the single header splits a reply body into fields") {
  const std::string_view body =
      "errorCode=-3&errorMessage=The+%27orderNumber%27+argument+is+missing%21";
  auto range = gdos::form::fields(body);
  auto it = range.begin();
  REQUIRE(it != range.end());
  CHECK(it->name.encoded() == "errorCode");
  CHECK(it->value.equals_decoded("-3"));
  ++it;
  REQUIRE(it != range.end());
  CHECK(it->value.decode() == "The 'orderNumber' argument is missing!");
  ++it;
  CHECK(it == range.end());
}
