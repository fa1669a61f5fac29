// GDOS_ASSERT (config.hpp), the library's internal preconditions, with GDOS_DEVELOPMENT_CHECKS
// on as the sanitizer and fuzz builds have it: a broken precondition stops the program with one
// line naming it, a kept one costs nothing in a constant expression, and one broken in a
// constant expression does not compile (tests/development_checks_misuse.cpp).
#define GDOS_DEVELOPMENT_CHECKS 1
#include <gdos/gdos.hpp>
//
#include <doctest/doctest.h>

#include <csignal>
#include <cstdlib>
#include <string>
#include <string_view>

#include "constexpr_check.hpp"
#include "death_test.hpp"

namespace {

// Kept preconditions inside constant expressions: the checks compile away to nothing there.
constexpr bool checked_code_runs_at_compile_time() {
  const auto r = gdos::parse_response("errorCode=0&1_1_dcvStatus=2&1_1_slId=7");
  std::array<char, 64> buf{};
  return r && r->orders.size() == 1 && gdos::write_response(*r, buf).size == 38 &&
         gdos::form::encode_to("a b&", buf).size == 6 &&
         gdos::detail::to_decimal(-42).view() == "-42";
}

using gdos_test::death;
using gdos_test::run_in_child;

}  // namespace

TEST_CASE("checked preconditions that hold change nothing, at compile time or at run time") {
  CHECK_BOTH_WAYS(checked_code_runs_at_compile_time);
}

TEST_CASE("a broken precondition aborts with one line naming the check and its place") {
  const death d = run_in_child([] {
    const char* p = "x";
    const char* end = p;  // next_decoded(p, end) needs p != end
    static_cast<void>(gdos::form::detail::next_decoded(p, end));
  });
  CHECK(d.signalled);
  CHECK(d.signal == SIGABRT);
  CHECK(d.stderr_text.find("gdos development check failed: p != end") != std::string::npos);
  CHECK(d.stderr_text.find("detail/form_codec.hpp:") != std::string::npos);
}
