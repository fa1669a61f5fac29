// Tests of the retry policy, include/gdos/retry.hpp. The header comes first to prove it is
// self-contained. Rules are constexpr functions run by static_assert at compile time and by
// doctest at run time; the backoff is checked with fixed seeds against exact delays (computed
// independently, with the Python in the comment below) and, over many seeds and policies,
// against its bounds: never above the ceiling or max_delay, jitter within its range, expected
// delay growing with the number of failures.
#include <gdos/retry.hpp>
//
#include <doctest/doctest.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "constexpr_check.hpp"

using namespace std::literals;
using gdos::api_code;
using gdos::call_errc;
using gdos::response_errc;
using gdos::retry_verdict;
using gdos::transport_errc;
using ms = std::chrono::milliseconds;

// ---- classification ---------------------------------------------------------------------------

namespace {

constexpr bool api_codes_sort_into_retry_permanent_and_fatal() {
  using gdos::classify;
  return classify(api_code::unknown_error) == retry_verdict::retry &&
         classify(gdos::api_call_limit) == retry_verdict::retry &&
         gdos::to_int(gdos::api_call_limit) == -42 &&
         classify(api_code::permission_denied) == retry_verdict::fatal &&
         classify(api_code::not_https) == retry_verdict::permanent &&
         classify(api_code::unrecognised_argument) == retry_verdict::permanent &&
         classify(api_code::missing_argument) == retry_verdict::permanent &&
         classify(api_code::invalid_argument) == retry_verdict::permanent &&
         classify(api_code::get_not_post) == retry_verdict::permanent &&
         // Codes the API does not document for this call: the same request, the same answer.
         classify(static_cast<api_code>(-15)) == retry_verdict::permanent &&
         classify(static_cast<api_code>(-91)) == retry_verdict::permanent &&
         classify(api_code::success) == retry_verdict::permanent &&
         gdos::to_string(retry_verdict::fatal) == "fatal" &&
         gdos::to_string(retry_verdict::retry) == "retry" &&
         gdos::to_string(retry_verdict::permanent) == "permanent";
}

constexpr bool transport_failures_retry_unless_retrying_cannot_help() {
  using gdos::classify;
  return classify(transport_errc::resolve) == retry_verdict::retry &&
         classify(transport_errc::connect) == retry_verdict::retry &&
         classify(transport_errc::timeout) == retry_verdict::retry &&
         classify(transport_errc::tls_handshake) == retry_verdict::retry &&
         classify(transport_errc::send) == retry_verdict::retry &&
         classify(transport_errc::receive) == retry_verdict::retry &&
         classify(transport_errc::other) == retry_verdict::retry &&
         classify(transport_errc::invalid_url) == retry_verdict::permanent &&
         classify(transport_errc::tls_verification) == retry_verdict::permanent &&
         classify(transport_errc::too_large) == retry_verdict::permanent;
}

constexpr bool http_5xx_408_and_429_retry_other_statuses_do_not() {
  using gdos::classify_http_status;
  return classify_http_status(500) == retry_verdict::retry &&
         classify_http_status(502) == retry_verdict::retry &&
         classify_http_status(503) == retry_verdict::retry &&
         classify_http_status(599) == retry_verdict::retry &&
         classify_http_status(408) == retry_verdict::retry &&
         classify_http_status(429) == retry_verdict::retry &&
         classify_http_status(400) == retry_verdict::permanent &&
         classify_http_status(403) == retry_verdict::permanent &&
         classify_http_status(404) == retry_verdict::permanent &&
         classify_http_status(301) == retry_verdict::permanent &&
         classify_http_status(600) == retry_verdict::permanent &&
         classify_http_status(0) == retry_verdict::permanent;
}

constexpr std::array<api_code, 1> only_credit = {static_cast<api_code>(-15)};
constexpr std::array<api_code, 2> fatal_too = {api_code::permission_denied, api_code::not_https};
constexpr std::array<int, 1> only_409 = {409};
constexpr std::array<transport_errc, 1> only_timeouts = {transport_errc::timeout};

constexpr bool the_lists_are_the_callers_data() {
  using gdos::classify;
  const gdos::retry_policy p{.retry_codes = only_credit,
                             .fatal_codes = fatal_too,
                             .retry_transport_failures = only_timeouts,
                             .retry_http_statuses = only_409,
                             .retry_http_5xx = false};
  // A code in both lists is fatal.
  const gdos::retry_policy both{.retry_codes = fatal_too, .fatal_codes = fatal_too};
  return classify(static_cast<api_code>(-15), p) == retry_verdict::retry &&
         classify(api_code::unknown_error, p) == retry_verdict::permanent &&
         classify(api_code::not_https, p) == retry_verdict::fatal &&
         classify(transport_errc::timeout, p) == retry_verdict::retry &&
         classify(transport_errc::connect, p) == retry_verdict::permanent &&
         gdos::classify_http_status(503, p) == retry_verdict::permanent &&
         gdos::classify_http_status(409, p) == retry_verdict::retry &&
         gdos::classify_http_status(429, p) == retry_verdict::permanent &&
         classify(api_code::not_https, both) == retry_verdict::fatal;
}

}  // namespace

TEST_CASE("errorCode -14 and the call limit -42 retry, -16 is fatal, the rest permanent") {
  CHECK_BOTH_WAYS(api_codes_sort_into_retry_permanent_and_fatal);
}

TEST_CASE("transport failures retry, except an unusable URL, an untrusted server, a huge reply") {
  CHECK_BOTH_WAYS(transport_failures_retry_unless_retrying_cannot_help);
}

TEST_CASE("HTTP 5xx, 408 and 429 retry; other statuses do not") {
  CHECK_BOTH_WAYS(http_5xx_408_and_429_retry_other_statuses_do_not);
}

TEST_CASE("which codes, statuses and failures retry or stop the run is the caller's data") {
  CHECK_BOTH_WAYS(the_lists_are_the_callers_data);
}

namespace {

gdos::call_error failed_at(call_errc code) {
  gdos::call_error e;
  e.code = code;
  return e;
}

gdos::call_error api_error(api_code code) {
  gdos::call_error e = failed_at(call_errc::api_error);
  e.api = code;
  e.http_status = 200;
  return e;
}

gdos::call_error malformed(response_errc parse, api_code legacy = api_code::success) {
  gdos::call_error e = failed_at(call_errc::malformed_reply);
  e.parse.code = parse;
  e.parse.legacy_code = legacy;
  return e;
}

}  // namespace

TEST_CASE("a call_error is classified by the step that failed") {
  using gdos::classify;
  CHECK(classify(failed_at(call_errc::invalid_request)) == retry_verdict::permanent);
  CHECK(classify(failed_at(call_errc::insecure_url)) == retry_verdict::permanent);
  CHECK(classify(failed_at(static_cast<call_errc>(200))) == retry_verdict::permanent);
  CHECK(classify(failed_at(call_errc::ok)) == retry_verdict::permanent);
  gdos::call_error t = failed_at(call_errc::transport);
  t.transport = transport_errc::timeout;
  CHECK(classify(t) == retry_verdict::retry);
  t.transport = transport_errc::tls_verification;
  CHECK(classify(t) == retry_verdict::permanent);
  gdos::call_error h = failed_at(call_errc::http_status);
  h.http_status = 503;
  CHECK(classify(h) == retry_verdict::retry);
  h.http_status = 404;
  CHECK(classify(h) == retry_verdict::permanent);
  CHECK(classify(failed_at(call_errc::empty_body)) == retry_verdict::retry);
  CHECK(classify(failed_at(call_errc::content_type)) == retry_verdict::retry);
  CHECK(classify(api_error(api_code::unknown_error)) == retry_verdict::retry);
  CHECK(classify(api_error(gdos::api_call_limit)) == retry_verdict::retry);
  CHECK(classify(api_error(api_code::permission_denied)) == retry_verdict::fatal);
  for (const api_code c :
       {api_code::not_https, api_code::unrecognised_argument, api_code::missing_argument,
        api_code::invalid_argument, api_code::get_not_post})
    CHECK(classify(api_error(c)) == retry_verdict::permanent);
  // A legacy-format body carries the code on its first line: -16 there is -16.
  CHECK(classify(malformed(response_errc::legacy_format, api_code::permission_denied)) ==
        retry_verdict::fatal);
  CHECK(classify(malformed(response_errc::legacy_format, api_code::unknown_error)) ==
        retry_verdict::retry);
  // An error page or garbage in place of the reply is transient trouble...
  CHECK(classify(malformed(response_errc::html_body)) == retry_verdict::retry);
  // Asking again gets JSON again: the request must ask for responseFormat=1.
  CHECK(classify(malformed(response_errc::json_body)) == retry_verdict::permanent);
  CHECK(classify(malformed(response_errc::not_urlencoded)) == retry_verdict::retry);
  CHECK(classify(malformed(response_errc::empty_body)) == retry_verdict::retry);
  // ...a reply over the limits or breaking the strict rules comes back the same.
  CHECK(classify(malformed(response_errc::body_too_large)) == retry_verdict::permanent);
  CHECK(classify(malformed(response_errc::duplicate_key)) == retry_verdict::permanent);
  CHECK(classify(malformed(response_errc::too_many_orders)) == retry_verdict::permanent);
}

TEST_CASE("real failed calls through get_detailed_order_status are classified") {
  const gdos::request req{.login_name = "reseller", .login_password = "pw", .order_number = 5};
  const auto with_body = [&req](int status, std::string body) {
    auto t = [&](const gdos::http_request&) {
      return gdos::http_response{
          .status = status, .content_type = "application/x-www-form-urlencoded", .body = body};
    };
    return gdos::get_detailed_order_status(t, req);
  };
  const auto verdict = [](const auto& r) {
    REQUIRE(!r);
    return gdos::classify(r.error());
  };
  CHECK(verdict(with_body(200, "errorCode=-42&errorMessage=call+limit")) == retry_verdict::retry);
  CHECK(verdict(with_body(200, "errorCode=-16&errorMessage=Permission+denied%21")) ==
        retry_verdict::fatal);
  CHECK(verdict(with_body(200, "errorCode=-4&errorItem=orderNumber")) == retry_verdict::permanent);
  CHECK(verdict(with_body(200, "-16\nPermission denied!")) == retry_verdict::fatal);
  CHECK(verdict(with_body(200, "<html><body>maintenance</body></html>")) == retry_verdict::retry);
  CHECK(verdict(with_body(503, "busy")) == retry_verdict::retry);
  CHECK(verdict(with_body(200, "")) == retry_verdict::retry);
  auto refused = [](const gdos::http_request&) {
    return gdos::http_response::transport_failure(transport_errc::connect, "refused");
  };
  CHECK(verdict(gdos::get_detailed_order_status(refused, req)) == retry_verdict::retry);
  const gdos::request invalid{.login_name = "", .login_password = "pw", .order_number = 5};
  CHECK(verdict(gdos::get_detailed_order_status(refused, invalid)) == retry_verdict::permanent);
  const auto plain_http =
      gdos::get_detailed_order_status(refused, req, {.url = "http://example.com/"});
  REQUIRE(!plain_http);
  CHECK(plain_http.error().code == call_errc::insecure_url);
  CHECK(gdos::classify(plain_http.error()) == retry_verdict::permanent);
  // A legacy -16 reply behind a wrong Content-Type is still -16.
  auto legacy = [](const gdos::http_request&) {
    return gdos::http_response{
        .status = 200, .content_type = "text/plain", .body = "-16\nPermission denied!"};
  };
  CHECK(verdict(gdos::get_detailed_order_status(legacy, req)) == retry_verdict::fatal);
}

// ---- backoff ----------------------------------------------------------------------------------

namespace {

// The published splitmix64 reference outputs (Vigna's splitmix64.c): seed 0 starts with
// 0xE220A8397B1DCDAF, seed 1234567 with 6457827717110365317, 3203168211198807973, ...
constexpr bool splitmix64_gives_the_reference_stream() {
  return gdos::splitmix64(0, 1) == 0xE220A8397B1DCDAFu &&
         gdos::splitmix64(0, 2) == 0x6E789E6AA1B965F4u &&
         gdos::splitmix64(1234567, 1) == 6457827717110365317u &&
         gdos::splitmix64(1234567, 2) == 3203168211198807973u &&
         gdos::splitmix64(1234567, 3) == 9817491932198370423u &&
         gdos::splitmix64(1234567, 4) == 4593380528125082431u &&
         gdos::splitmix64(1234567, 5) == 16408922859458223821u;
}

constexpr bool the_ceiling_grows_exponentially_up_to_max_delay() {
  const gdos::retry_policy p;  // 2 s, x2, 5 min
  constexpr std::array<std::int64_t, 11> expected = {0,     2000,   4000,   8000,   16000, 32000,
                                                     64000, 128000, 256000, 300000, 300000};
  for (std::uint32_t n = 0; n < expected.size(); ++n)
    if (gdos::backoff_ceiling(p, n).count() != expected[n]) return false;
  return gdos::backoff_ceiling(p, 1000) == ms(300000) &&
         gdos::backoff_ceiling(p, 0xFFFFFFFFu) == ms(300000);
}

// Exact delays for fixed seeds, computed independently with:
//   M = 2**64 - 1
//   def sm(seed, n):
//       z = (seed + n * 0x9E3779B97F4A7C15) & M
//       z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & M
//       z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & M
//       return z ^ (z >> 31)
//   def ceiling(n, init, mult, cap):  # 0 for n == 0, else min(cap, init * mult**(n-1))
//   def delay(n, seed, j, ...): c = ceiling(n, ...); span = c // 100 * j + c % 100 * j // 100
//       return c if span == 0 else c - sm(seed, n) % (span + 1)
constexpr bool fixed_seeds_give_exact_delays() {
  const gdos::retry_policy p;  // 2 s, x2, 5 min, 50 % jitter
  constexpr std::array<std::int64_t, 11> seed_42 = {0,     1848,   2112,   6792,   8053,  19438,
                                                    62092, 126045, 131870, 159674, 250282};
  for (std::uint32_t n = 0; n < seed_42.size(); ++n)
    if (gdos::backoff_delay(p, n, 42).count() != seed_42[n]) return false;
  const gdos::retry_policy q{
      .initial_delay = 500ms, .multiplier = 3, .max_delay = 60s, .jitter_percent = 100};
  constexpr std::array<std::int64_t, 8> seed_20250611 = {379,   1125,  2061,  1401,
                                                         10483, 11439, 55916, 28465};
  for (std::uint32_t n = 1; n <= seed_20250611.size(); ++n)
    if (gdos::backoff_delay(q, n, 20250611).count() != seed_20250611[n - 1]) return false;
  return true;
}

constexpr bool no_jitter_gives_the_ceiling_and_odd_policies_are_read_sensibly() {
  const gdos::retry_policy exact{.jitter_percent = 0};
  const gdos::retry_policy over{.jitter_percent = 250};                    // read as 100
  const gdos::retry_policy flat{.initial_delay = 700ms, .multiplier = 0};  // read as 1
  const gdos::retry_policy negative{.initial_delay = -5s, .max_delay = -1s};
  const gdos::retry_policy small_cap{.initial_delay = 10s, .max_delay = 3s};
  const gdos::retry_policy huge{.initial_delay = ms::max(), .max_delay = ms::max()};
  return gdos::backoff_delay(exact, 3, 99) == 8s && gdos::backoff_delay(exact, 0, 99) == 0ms &&
         gdos::backoff_delay(over, 2, 7) <= 4s && gdos::backoff_ceiling(flat, 30) == 700ms &&
         gdos::backoff_delay(negative, 4, 1) == 0ms && gdos::backoff_ceiling(small_cap, 1) == 3s &&
         gdos::backoff_ceiling(huge, 40) == ms::max() &&
         gdos::backoff_delay(huge, 40, 5) <= ms::max() && gdos::backoff_delay(huge, 40, 5) >= ms(0);
}

constexpr bool a_zero_ceiling_takes_no_steps() {
  // A ceiling of 0 (initial delay 0 or below) never grows: it must be found without a step per
  // failure. Before, this looped 2^32 - 1 times; in constant evaluation that exceeds every
  // compiler's step limit, so this test did not compile (fuzz_progress found it at run time).
  const gdos::retry_policy zero{.initial_delay = 0ms};
  const gdos::retry_policy below{.initial_delay = -3s, .multiplier = 3};
  return gdos::backoff_ceiling(zero, 0xFFFFFFFFu) == 0ms &&
         gdos::backoff_delay(zero, 0xFFFFFFFFu, 7) == 0ms &&
         gdos::backoff_ceiling(below, 0xFFFFFFFFu) == 0ms && gdos::backoff_ceiling(zero, 1) == 0ms;
}

constexpr bool decide_retry_stops_after_max_retries() {
  // A call_error built field by field: it has std::strings, which clang cannot make constant.
  gdos::call_error e;
  e.code = call_errc::api_error;
  e.api = gdos::api_call_limit;
  const gdos::retry_policy p{.max_retries = 3};
  const auto d1 = gdos::decide_retry(e, 1, 42, p);
  const auto d3 = gdos::decide_retry(e, 3, 42, p);
  const auto d4 = gdos::decide_retry(e, 4, 42, p);
  const auto d0 = gdos::decide_retry(e, 0, 42, p);
  e.api = api_code::permission_denied;
  const auto fatal = gdos::decide_retry(e, 1, 42, p);
  return d1.retry && d1.verdict == retry_verdict::retry &&
         d1.delay == gdos::backoff_delay(p, 1, 42) && d3.retry &&
         d3.delay == gdos::backoff_delay(p, 3, 42) && !d4.retry &&
         d4.verdict == retry_verdict::retry && d4.delay == 0ms && !d0.retry && !fatal.retry &&
         fatal.verdict == retry_verdict::fatal && fatal.delay == 0ms;
}

}  // namespace

TEST_CASE("splitmix64 gives the reference stream, any element directly from the counter") {
  CHECK_BOTH_WAYS(splitmix64_gives_the_reference_stream);
  // Same as a stateful splitmix64 generator.
  std::uint64_t state = 0xDEADBEEF;
  for (std::uint64_t n = 1; n <= 1000; ++n) {
    std::uint64_t z = (state += 0x9E3779B97F4A7C15u);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9u;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBu;
    z ^= z >> 31;
    REQUIRE(gdos::splitmix64(0xDEADBEEF, n) == z);
  }
}

TEST_CASE("the delay ceiling doubles from 2 s up to 5 min by default") {
  CHECK_BOTH_WAYS(the_ceiling_grows_exponentially_up_to_max_delay);
}

TEST_CASE("a fixed seed gives exact delays") { CHECK_BOTH_WAYS(fixed_seeds_give_exact_delays); }

TEST_CASE("no jitter gives the ceiling; out-of-range policy values are read sensibly") {
  CHECK_BOTH_WAYS(no_jitter_gives_the_ceiling_and_odd_policies_are_read_sensibly);
}

TEST_CASE("an initial delay of 0 gives 0 after any number of failures, in a few steps") {
  CHECK_BOTH_WAYS(a_zero_ceiling_takes_no_steps);
}

TEST_CASE("decide_retry retries while max_retries allows, after the backoff delay") {
  CHECK_BOTH_WAYS_STRING(decide_retry_stops_after_max_retries);
}

TEST_CASE("delays stay within the ceiling and the jitter range, and grow on average") {
  std::vector<gdos::retry_policy> policies = {
      gdos::retry_policy{},
      gdos::retry_policy{
          .initial_delay = 100ms, .multiplier = 3, .max_delay = 10s, .jitter_percent = 100},
      gdos::retry_policy{
          .initial_delay = 1s, .multiplier = 2, .max_delay = 1h, .jitter_percent = 10},
      gdos::retry_policy{
          .initial_delay = 3ms, .multiplier = 10, .max_delay = 7s, .jitter_percent = 75},
  };
  constexpr std::uint64_t seeds = 4000;
  for (const gdos::retry_policy& p : policies) {
    double previous_mean = 0;
    for (std::uint32_t n = 1; n <= 24; ++n) {
      const auto ceiling = gdos::backoff_ceiling(p, n);
      CHECK(ceiling <= p.max_delay);
      CHECK(ceiling >= gdos::backoff_ceiling(p, n - 1));
      const std::int64_t span = ceiling.count() * p.jitter_percent / 100;
      std::int64_t lo = ceiling.count();
      std::int64_t hi = 0;
      double sum = 0;
      std::array<std::uint64_t, 10> buckets{};
      for (std::uint64_t s = 0; s < seeds; ++s) {
        const auto d = gdos::backoff_delay(p, n, gdos::splitmix64(777, s)).count();
        lo = std::min(lo, d);
        hi = std::max(hi, d);
        sum += static_cast<double>(d);
        if (span >= 1000)
          ++buckets[static_cast<std::size_t>((ceiling.count() - d) * 10 / (span + 1))];
      }
      CAPTURE(n);
      CAPTURE(ceiling.count());
      // Never above the ceiling, never below the jitter range; the range is used.
      CHECK(hi <= ceiling.count());
      CHECK(lo >= ceiling.count() - span);
      CHECK(static_cast<double>(hi) >=
            static_cast<double>(ceiling.count()) - 0.01 * static_cast<double>(span) - 1);
      CHECK(static_cast<double>(lo) <=
            static_cast<double>(ceiling.count() - span) + 0.01 * static_cast<double>(span) + 1);
      // Uniform jitter: the mean is the middle of the range (within 3 %), and each tenth of
      // the range gets a tenth of the draws (within a fifth; for ranges of 1000 ms or more, where
      // whole milliseconds split evenly enough).
      const double mean = sum / static_cast<double>(seeds);
      const double expected = static_cast<double>(ceiling.count()) - static_cast<double>(span) / 2;
      CHECK(mean == doctest::Approx(expected).epsilon(0.03));
      if (span >= 1000)
        for (const std::uint64_t b : buckets)
          CHECK(static_cast<double>(b) ==
                doctest::Approx(static_cast<double>(seeds) / 10).epsilon(0.2));
      // Expected growth: the mean never falls as failures accumulate (up to sampling noise
      // once the ceiling is capped).
      CHECK(mean >= previous_mean * 0.97);
      previous_mean = mean;
    }
  }
}
