// Tests of include/gdos/common.hpp: gdos::result (accessors on lvalues and temporaries,
// value_or / error_or, misuse that traps with a message), api_code's vocabulary and the
// enumeration printer. The header comes first to prove it is self-contained.
#include <gdos/common.hpp>
//
#include <doctest/doctest.h>

#include <csignal>
#include <cstdio>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "constexpr_check.hpp"
#if defined(__unix__)
#include "death_test.hpp"
#endif

using namespace std::literals;
using gdos::api_code;

namespace {

using int_result = gdos::result<int, api_code>;
using string_result = gdos::result<std::string, int>;

// ---- what each accessor returns ------------------------------------------------------------

// On an lvalue, references into the result; on a temporary, the value itself (moved out), so a
// reference bound to it or to one of its members keeps it alive.
static_assert(std::is_same_v<decltype(std::declval<string_result&>().value()), std::string&>);
static_assert(
    std::is_same_v<decltype(std::declval<const string_result&>().value()), const std::string&>);
static_assert(std::is_same_v<decltype(std::declval<string_result>().value()), std::string>);
static_assert(std::is_same_v<decltype(std::declval<const string_result>().value()), std::string>);
static_assert(std::is_same_v<decltype(*std::declval<string_result&>()), std::string&>);
static_assert(std::is_same_v<decltype(*std::declval<string_result>()), std::string>);
static_assert(std::is_same_v<decltype(std::declval<const string_result&>().error()), const int&>);
static_assert(std::is_same_v<decltype(std::declval<string_result>().error()), int>);

// `->` exists on lvalues only: a pointer into a temporary would dangle after the statement.
template <class R>
concept arrow_works = requires(R&& r) { std::forward<R>(r).operator->(); };
static_assert(arrow_works<string_result&>);
static_assert(arrow_works<const string_result&>);
static_assert(!arrow_works<string_result>);
static_assert(!arrow_works<const string_result>);

constexpr bool accessors_give_the_value_or_the_error() {
  int_result ok = 7;
  const int_result bad = api_code::permission_denied;
  ok.value() += 1;
  *ok += 1;
  return ok.has_value() && static_cast<bool>(ok) && *ok == 9 && ok.value() == 9 &&
         *ok.operator->() == 9 && !bad.has_value() && !bad &&
         bad.error() == api_code::permission_denied && int_result(5).value() == 5 &&
         *int_result(6) == 6 && int_result(api_code::not_https).error() == api_code::not_https;
}

constexpr bool value_or_and_error_or_never_trap() {
  const int_result ok = 7;
  const int_result bad = api_code::permission_denied;
  return ok.value_or(0) == 7 && bad.value_or(0) == 0 && int_result(8).value_or(0) == 8 &&
         ok.error_or(api_code::success) == api_code::success &&
         bad.error_or(api_code::success) == api_code::permission_denied &&
         int_result(api_code::not_https).error_or(api_code::success) == api_code::not_https;
}

TEST_CASE("result hands out the side it holds, at compile time and at run time") {
  CHECK_BOTH_WAYS(accessors_give_the_value_or_the_error);
  CHECK_BOTH_WAYS(value_or_and_error_or_never_trap);
}

TEST_CASE("a temporary result gives its value by moving it out, not a dangling reference") {
  const auto make = [] { return string_result(std::string(100, 'x')); };
  // Bound to a reference: the moved-out string lives as long as the reference.
  const std::string& s = *make();
  CHECK(s == std::string(100, 'x'));
  const std::string& t = make().value();
  CHECK(t.size() == 100);
  // Moved, not copied: the capacity (a heap buffer) is the one the result held.
  string_result r = std::string(100, 'y');
  const char* buffer = r->data();
  const std::string moved = std::move(r).value();
  CHECK(moved.data() == buffer);
  CHECK(string_result(1).value_or("fallback") == "fallback");
  CHECK(string_result(std::string("v")).value_or("fallback") == "v");
}

struct with_member {
  std::vector<int> items;
};

TEST_CASE("a member of a temporary result's value stays alive when bound to a reference") {
  const auto make = [] { return gdos::result<with_member, int>(with_member{{1, 2, 3}}); };
  // (*make()).items: a member of the moved-out prvalue, whose life the reference extends. The
  // same with make()->items does not compile (see tests/lifetime_misuse.cpp).
  const std::vector<int>& items = (*make()).items;
  CHECK(items == std::vector<int>{1, 2, 3});
}

// ---- api_code -------------------------------------------------------------------------------

constexpr bool api_codes_have_identifiers_and_sentences() {
  return gdos::to_string(api_code::permission_denied) == "permission_denied" &&
         gdos::to_string(static_cast<api_code>(-42)) == "unknown" &&
         gdos::message(api_code::not_https) == "the request was not made over https" &&
         gdos::message(static_cast<api_code>(-42)).find("does not know") !=
             std::string_view::npos &&
         gdos::is_known(api_code::get_not_post) && !gdos::is_known(static_cast<api_code>(-15)) &&
         gdos::to_int(api_code::get_not_post) == -17;
}

TEST_CASE("api_code: identifiers, sentences, and undocumented codes kept as integers") {
  CHECK_BOTH_WAYS(api_codes_have_identifiers_and_sentences);
  for (int c : {0, -1, -2, -3, -4, -14, -16, -17}) {
    const auto code = static_cast<api_code>(c);
    CHECK(gdos::is_known(code));
    CHECK(gdos::to_string(code) != "unknown");
    CHECK(!gdos::message(code).empty());
    CHECK(gdos::message(code).back() != '.');
  }
}

// A stream that is not a std::ostream: printing needs only `<< std::string_view`.
struct collecting_stream {
  std::string text;
  collecting_stream& operator<<(std::string_view s) {
    text += s;
    return *this;
  }
};

TEST_CASE("api_code prints as its identifier, or as its integer when undocumented") {
  std::ostringstream os;
  os << api_code::permission_denied << ' ' << static_cast<api_code>(-42) << ' '
     << static_cast<api_code>(-2147483647 - 1);
  CHECK(os.str() == "permission_denied -42 -2147483648");
  collecting_stream cs;
  cs << api_code::success << static_cast<api_code>(7);
  CHECK(cs.text == "success7");
}

// ---- misuse at run time ---------------------------------------------------------------------

#if defined(__unix__)

using gdos_test::death;
using gdos_test::run_in_child;

// __builtin_trap is an illegal instruction on x86 (SIGILL) and a breakpoint on some other
// architectures (SIGTRAP).
bool trapped(const death& d) { return d.signalled && (d.signal == SIGILL || d.signal == SIGTRAP); }

// Volatile, so the compiler cannot prove which side the result holds and fold the trap away.
int_result volatile_error() {
  volatile int code = -16;
  return static_cast<api_code>(code);
}
int_result volatile_value() {
  volatile int v = 3;
  return static_cast<int>(v);
}

constexpr std::string_view value_message =
    "gdos: result::value(), * or -> used on a result that holds an error (test the result, or "
    "use value_or(), first)\n";
constexpr std::string_view error_message =
    "gdos: result::error() used on a result that holds a value (test the result, or use "
    "error_or(), first)\n";

TEST_CASE("value(), * and -> on an error print one line naming gdos, then trap") {
  const death by_value = run_in_child([] {
    const int_result r = volatile_error();
    std::printf("%d\n", r.value());
  });
  CHECK(trapped(by_value));
  CHECK(by_value.stderr_text == value_message);

  const death by_star = run_in_child([] {
    int_result r = volatile_error();
    std::printf("%d\n", *r);
  });
  CHECK(trapped(by_star));
  CHECK(by_star.stderr_text == value_message);

  const death by_arrow = run_in_child([] {
    volatile int e = 1;
    const gdos::result<with_member, int> r = static_cast<int>(e);
    std::printf("%zu\n", r->items.size());
  });
  CHECK(trapped(by_arrow));
  CHECK(by_arrow.stderr_text == value_message);

  const death by_temporary = run_in_child([] { std::printf("%d\n", *volatile_error()); });
  CHECK(trapped(by_temporary));
  CHECK(by_temporary.stderr_text == value_message);
}

TEST_CASE("error() on a value prints one line naming gdos, then traps") {
  const death d = run_in_child([] {
    const int_result r = volatile_value();
    std::printf("%d\n", gdos::to_int(r.error()));
  });
  CHECK(trapped(d));
  CHECK(d.stderr_text == error_message);
}

TEST_CASE("used correctly, nothing is printed and the child exits normally") {
  const death d = run_in_child([] {
    const int_result r = volatile_value();
    std::printf("%d\n", r.value() + r.value_or(0) + gdos::to_int(r.error_or(api_code::success)));
  });
  CHECK(!d.signalled);
  CHECK(d.stderr_text.empty());
}

#endif  // __unix__

}  // namespace
