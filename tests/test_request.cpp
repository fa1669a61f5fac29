// Tests of the request layer, include/gdos/request.hpp. The header comes first to prove it is
// self-contained. Each check is a constexpr function run twice: by static_assert at compile
// time and by doctest at run time (fast_float's habit), so both paths are exercised. Run-time
// parser inputs sit against a guard page (tests/guard_page.hpp).
#include <gdos/request.hpp>
//
#include <doctest/doctest.h>

#include <array>
#include <climits>
#include <cstdint>
#include <limits>
#include <memory_resource>
#include <random>
#include <sstream>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "guard_page.hpp"

using namespace std::literals;
using gdos::api_code;
using gdos::request_errc;
using gdos::request_field;

#include "constexpr_check.hpp"

static_assert(std::is_aggregate_v<gdos::request>);
static_assert(std::is_trivially_copyable_v<gdos::request>);
static_assert(std::is_trivially_copyable_v<gdos::parsed_request>);
static_assert(std::is_trivially_copyable_v<gdos::api_error>);

// A request borrows its strings: from lvalues and views yes, from temporary strings never.
static_assert(std::is_convertible_v<std::string&, gdos::borrowed_string>);
static_assert(std::is_convertible_v<const std::string&, gdos::borrowed_string>);
static_assert(std::is_convertible_v<std::string_view, gdos::borrowed_string>);
static_assert(std::is_convertible_v<const char*, gdos::borrowed_string>);
static_assert(std::is_convertible_v<std::pmr::string&, gdos::borrowed_string>);
static_assert(!std::is_convertible_v<std::string, gdos::borrowed_string>);
static_assert(!std::is_convertible_v<const std::string, gdos::borrowed_string>);
static_assert(!std::is_constructible_v<gdos::borrowed_string, std::string&&>);
static_assert(!std::is_constructible_v<gdos::borrowed_string, std::pmr::string&&>);
static_assert(!std::is_constructible_v<gdos::borrowed_string, std::nullptr_t>);
static_assert(std::is_convertible_v<gdos::borrowed_string, std::string_view>);

namespace {

constexpr bool borrowed_strings_compare_their_texts() {
  const gdos::borrowed_string a = "abc";
  const std::string_view view = "abc";
  const gdos::borrowed_string b = view;
  return a == b && a == "abc" && "abc" == a && a != "abd" && a == view && a.size() == 3 &&
         !a.empty() && gdos::borrowed_string().empty() && a.view() == "abc" &&
         std::string_view(a).data() == a.data();
}

TEST_CASE("a borrowed_string views its text and compares by content") {
  CHECK_BOTH_WAYS(borrowed_strings_compare_their_texts);
  const std::string s = "secret";
  const gdos::borrowed_string b = s;
  CHECK(b.data() == s.data());  // a view, not a copy
  CHECK(b == s);
}

constexpr gdos::request sample{
    .login_name = "alice",
    .login_password = "s3cret",
    .order_number = 1234567,
};
constexpr std::string_view sample_body =
    "loginName=alice&loginPassword=s3cret&orderNumber=1234567&queryType=1&responseFormat=1";

// ---- helpers: encoding into fixed arrays (works in constant expressions on both compilers) ----

template <std::size_t N = 2048>
struct encoded {
  std::array<char, N> buf{};
  gdos::encode_result result{};
  [[nodiscard]] constexpr std::string_view view() const {
    return result ? std::string_view(buf.data(), result.size) : std::string_view();
  }
};

template <std::size_t N = 2048>
constexpr encoded<N> encode_fixed(const gdos::request& r) {
  encoded<N> e;
  e.result = gdos::encode_request_to(r, e.buf);
  return e;
}

constexpr bool body_is(const gdos::request& r, std::string_view expected) {
  const auto e = encode_fixed(r);
  return e.result && e.view() == expected && e.result.size == gdos::encoded_size(r);
}

constexpr bool refused_by_validation(const gdos::request& r, request_errc ec, request_field f) {
  const gdos::validation_result v = gdos::validate(r);
  return !v && v.code == ec && v.field == f;
}

// Parses `body` and checks the error against Comodo's: the code, the argument, and for
// arguments named from the body, that the view points into the body.
constexpr bool refused(std::string_view body, api_code code, std::string_view argument) {
  const auto p = gdos::parse_request(body);
  if (p) return false;
  const gdos::api_error& e = p.error();
  if (e.code != code || e.argument != argument) return false;
  if (code != api_code::missing_argument) {
    // Pointer comparisons between unrelated objects are not constant expressions; comparing
    // offsets computed inside the body is.
    bool inside = false;
    for (std::size_t i = 0; i + e.argument.size() <= body.size(); ++i)
      if (body.data() + i == e.argument.data()) inside = true;
    if (!inside) return false;
  }
  return true;
}

// The same at run time, with the body ending at a guard page.
bool refused_guarded(std::string_view body, api_code code, std::string_view argument) {
  const gdos_test::guarded_input in(body);
  return refused(in.view(), code, argument);
}

#define CHECK_REFUSED(body, code, argument)     \
  static_assert(refused(body, code, argument)); \
  CHECK(refused_guarded(body, code, argument))

constexpr bool accepted_as(std::string_view body, const gdos::request& expected) {
  const auto p = gdos::parse_request(body);
  return p && *p == expected;
}

bool accepted_as_guarded(std::string_view body, const gdos::request& expected) {
  const gdos_test::guarded_input in(body);
  return accepted_as(in.view(), expected);
}

#define CHECK_ACCEPTED(body, expected)        \
  static_assert(accepted_as(body, expected)); \
  CHECK(accepted_as_guarded(body, expected))

template <std::size_t N = 512>
constexpr bool message_is(const gdos::api_error& e, std::string_view expected) {
  std::array<char, N> buf{};
  const auto w = e.message_to(buf);
  return w.ok && w.size == e.message_size() && std::string_view(buf.data(), w.size) == expected;
}

template <std::size_t N = 512>
constexpr bool reply_is(const gdos::api_error& e, std::string_view expected) {
  std::array<char, N> buf{};
  const auto w = gdos::error_reply_to(e, buf);
  return w.ok && w.size == gdos::error_reply_size(e) &&
         std::string_view(buf.data(), w.size) == expected;
}

constexpr gdos::request with_name(std::string_view name) {
  gdos::request r = sample;
  r.login_name = name;
  return r;
}

constexpr gdos::request with_password(std::string_view password) {
  gdos::request r = sample;
  r.login_password = password;
  return r;
}

// Encodes r, parses the body back and compares (the round-trip property, one request).
constexpr bool round_trips(const gdos::request& r) {
  const auto e = encode_fixed(r);
  if (!e.result) return false;
  const auto p = gdos::parse_request(e.view());
  if (!p || !(*p == r)) return false;
  std::array<char, 1024> storage{};
  const auto back = p->to_request(storage);
  return back && *back == r;
}

// ================================================================================================
// The call
// ================================================================================================

constexpr bool the_call_is_a_form_post_to_either_documented_host() {
  return gdos::request_method == "POST" &&
         gdos::request_content_type == "application/x-www-form-urlencoded" &&
         gdos::comodo_url == "https://secure.comodo.net/products/!GetDetailedOrderStatus" &&
         gdos::trust_provider_url ==
             "https://secure.trust-provider.com/products/!GetDetailedOrderStatus" &&
         gdos::comodo_endpoint ==
             gdos::endpoint{"POST", gdos::comodo_url, "application/x-www-form-urlencoded"} &&
         gdos::trust_provider_endpoint ==
             gdos::endpoint{"POST", gdos::trust_provider_url, "application/x-www-form-urlencoded"};
}

TEST_CASE("the call is a POST of a form body to either documented host") {
  CHECK_BOTH_WAYS(the_call_is_a_form_post_to_either_documented_host);
}

// ================================================================================================
// Encoding
// ================================================================================================

// The exact body of a sample request, fixed at compile time on both compilers.
static_assert(encode_fixed(sample).view() == sample_body);

constexpr bool a_typical_request_encodes_to_the_documented_fields_in_order() {
  return body_is(sample, sample_body);
}

TEST_CASE("a typical request encodes to the documented fields in the documented order") {
  CHECK_BOTH_WAYS(a_typical_request_encodes_to_the_documented_fields_in_order);
}

constexpr bool every_field_set_gives_the_full_order() {
  return body_is({.login_name = "bob",
                  .login_password = "pw",
                  .order_number = 42,
                  .certificate_id = 9'999'999'999'999'999,
                  .query_type = gdos::query_type::detailed_with_replacements,
                  .show_validity_period = gdos::yes_no::yes,
                  .response_format = gdos::response_format::url_encoded},
                 "loginName=bob&loginPassword=pw&orderNumber=42&certificateID=9999999999999999"
                 "&queryType=2&showValidityPeriod=Y&responseFormat=1");
}

constexpr bool optional_fields_are_sent_only_when_set() {
  return body_is({.login_name = "bob", .login_password = "pw", .certificate_id = 7},
                 "loginName=bob&loginPassword=pw&certificateID=7&queryType=1&responseFormat=1") &&
         body_is({.login_name = "bob",
                  .login_password = "pw",
                  .order_number = 1,
                  .query_type = gdos::query_type::detailed,
                  .show_validity_period = gdos::yes_no::no},
                 "loginName=bob&loginPassword=pw&orderNumber=1&queryType=1"
                 "&showValidityPeriod=N&responseFormat=1");
}

constexpr bool response_format_is_1_by_default_and_can_be_omitted_or_2() {
  gdos::request r = sample;
  if (!body_is(r, sample_body)) return false;
  r.response_format = gdos::response_format::omitted;
  if (!body_is(r, "loginName=alice&loginPassword=s3cret&orderNumber=1234567&queryType=1"))
    return false;
  r.response_format = gdos::response_format::json;
  return body_is(r,
                 "loginName=alice&loginPassword=s3cret&orderNumber=1234567&queryType=1"
                 "&responseFormat=2");
}

constexpr bool query_type_is_1_by_default() {
  return gdos::request{}.query_type == gdos::query_type::detailed &&
         body_is({.login_name = "a", .login_password = "b", .order_number = 1},
                 "loginName=a&loginPassword=b&orderNumber=1&queryType=1&responseFormat=1");
}

constexpr bool the_sid_is_sent_last_and_escaped_when_set() {
  gdos::request r = sample;
  r.sid = "s&d=1 %";
  return body_is(r,
                 "loginName=alice&loginPassword=s3cret&orderNumber=1234567&queryType=1"
                 "&responseFormat=1&SID=s%26d%3D1+%25") &&
         // Exactly sized: the SID is the last value, nothing may be written past it.
         encode_fixed<sample_body.size() + 18>(r).view().size() == sample_body.size() + 18;
}

constexpr bool integers_are_written_in_plain_decimal() {
  gdos::request r = sample;
  r.order_number = std::numeric_limits<std::int64_t>::max();
  return body_is(r,
                 "loginName=alice&loginPassword=s3cret&orderNumber=9223372036854775807"
                 "&queryType=1&responseFormat=1");
}

TEST_CASE("optional fields are sent only when set, responseFormat=1 unless omitted") {
  CHECK_BOTH_WAYS(every_field_set_gives_the_full_order);
  CHECK_BOTH_WAYS(optional_fields_are_sent_only_when_set);
  CHECK_BOTH_WAYS(response_format_is_1_by_default_and_can_be_omitted_or_2);
  CHECK_BOTH_WAYS(query_type_is_1_by_default);
  CHECK_BOTH_WAYS(the_sid_is_sent_last_and_escaped_when_set);
  CHECK_BOTH_WAYS(integers_are_written_in_plain_decimal);
}

constexpr bool values_are_escaped_by_the_form_layer() {
  return body_is(with_name("a&queryType=0"),
                 "loginName=a%26queryType%3D0&loginPassword=s3cret&orderNumber=1234567"
                 "&queryType=1&responseFormat=1") &&
         body_is(with_password("p w+%=\xC3\xA9\x01\x7F"),
                 "loginName=alice&loginPassword=p+w%2B%25%3D%C3%A9%01%7F&orderNumber=1234567"
                 "&queryType=1&responseFormat=1") &&
         body_is(with_name("A-z_0.9*"),
                 "loginName=A-z_0.9*&loginPassword=s3cret&orderNumber=1234567&queryType=1"
                 "&responseFormat=1");
}

TEST_CASE("every value is escaped by the form layer") {
  CHECK_BOTH_WAYS(values_are_escaped_by_the_form_layer);
}

TEST_CASE("every byte value is escaped exactly as form::encode escapes it") {
  // The encoder's run-time table path against the form layer, one byte at a time and in a run
  // (whose stores overlap), with a guard byte after the room the table path may overwrite.
  std::string all;
  for (int i = 0; i < 256; ++i) all += static_cast<char>(i);
  for (std::size_t i = 0; i <= all.size(); ++i) {
    const std::string_view plain = i < all.size() ? std::string_view(all).substr(i, 1) : all;
    const std::string expected = gdos::form::encode(plain);
    CHECK(gdos::form::encoded_size(plain) == expected.size());
    std::string out(expected.size() + 4, '#');
    const char* end = gdos::form::detail::encode_with_slack(plain, out.data());
    REQUIRE(end == out.data() + expected.size());
    CHECK(out.substr(0, expected.size()) == expected);
    CHECK(out.back() == '#');
  }
}

constexpr bool no_value_can_inject_a_field() {
  // Whatever the strings hold, the body has exactly the fields the request sets.
  constexpr std::array<std::string_view, 12> nasty = {"a&queryType=0",
                                                      "=",
                                                      "%",
                                                      "+",
                                                      "a b",
                                                      "&&",
                                                      "%41%zz%",
                                                      "\0x"sv,
                                                      "\r\n",
                                                      "\xC3\xA9\xE2\x82\xAC\xF0\x9F\x94\x91",
                                                      "\xFF\xC3",
                                                      "&loginPassword=x"};
  // Each string as the login name and as the password (every pair is too many steps for
  // clang's constant evaluator; the random round-trip test below mixes them at run time).
  for (std::size_t i = 0; i < nasty.size(); ++i) {
    gdos::request r = sample;
    r.login_name = nasty[i];
    r.login_password = nasty[nasty.size() - 1 - i];
    const auto e = encode_fixed(r);
    if (!e.result) return false;
    std::size_t count = 0;
    for (const auto& f : gdos::form::fields(e.view())) {
      (void)f;
      ++count;
    }
    if (count != 5 || !round_trips(r)) return false;
  }
  return true;
}

TEST_CASE("no value can inject a field: nasty strings round-trip exactly") {
  CHECK_BOTH_WAYS(no_value_can_inject_a_field);
}

constexpr bool encoded_size_is_what_is_written() {
  constexpr std::array<gdos::request, 4> rs = {
      sample,
      gdos::request{.login_name = "x y", .login_password = "\xE2\x82\xAC", .certificate_id = 1},
      gdos::request{.login_name = "n",
                    .login_password = "p",
                    .order_number = 10,
                    .certificate_id = 100,
                    .show_validity_period = gdos::yes_no::no,
                    .response_format = gdos::response_format::omitted},
      gdos::request{.login_name = "%%%", .login_password = "+++", .order_number = 9}};
  for (const auto& r : rs) {
    const auto e = encode_fixed(r);
    if (!e.result || e.result.size != gdos::encoded_size(r)) return false;
  }
  return true;
}

TEST_CASE("encoded_size is exactly the number of bytes written") {
  CHECK_BOTH_WAYS(encoded_size_is_what_is_written);
}

constexpr bool a_short_buffer_reports_the_size_needed_and_stays_untouched() {
  std::array<char, sample_body.size()> exact{};
  std::array<char, sample_body.size() - 1> short_by_one{};
  for (char& c : short_by_one) c = '#';
  const auto too_small = gdos::encode_request_to(sample, short_by_one);
  if (too_small || too_small.code != request_errc::buffer_too_small ||
      too_small.size != sample_body.size() || !too_small.validation())
    return false;
  for (char c : short_by_one)
    if (c != '#') return false;
  const auto fits = gdos::encode_request_to(sample, exact);
  const auto none = gdos::encode_request_to(sample, std::span<char>());
  return fits && fits.size == sample_body.size() &&
         std::string_view(exact.data(), exact.size()) == sample_body &&
         none.code == request_errc::buffer_too_small && none.size == sample_body.size();
}

TEST_CASE("encode_request_to reports the size it needs and writes nothing when it does not fit") {
  CHECK_BOTH_WAYS(a_short_buffer_reports_the_size_needed_and_stays_untouched);
}

constexpr bool every_buffer_size_gives_the_same_body_or_the_size_needed() {
  // Buffers that hold the worst case are written in one pass, smaller ones are sized first:
  // both must agree, at every size around the two thresholds.
  const gdos::request r{.login_name = "\x01 %&=+\xC3\xA9",
                        .login_password = "\xFF\xFE~*",
                        .order_number = 9'223'372'036'854'775'807,
                        .certificate_id = 9'999'999'999'999'999,
                        .query_type = gdos::query_type::detailed,
                        .show_validity_period = gdos::yes_no::no};
  const std::size_t n = gdos::encoded_size(r);
  const std::size_t worst = gdos::detail::max_encoded_size(r);
  if (worst < n) return false;
  std::array<char, 512> full{};
  const auto reference = gdos::encode_request_to(r, full);
  if (!reference || reference.size != n) return false;
  const std::string_view body(full.data(), n);
  for (std::size_t size :
       {std::size_t{0}, std::size_t{1}, n - 1, n, n + 1, worst - 1, worst, worst + 1}) {
    std::array<char, 512> buf{};
    const auto e = gdos::encode_request_to(r, std::span<char>(buf.data(), size));
    if (size < n) {
      if (e.code != request_errc::buffer_too_small || e.size != n) return false;
    } else if (!e || e.size != n || std::string_view(buf.data(), n) != body) {
      return false;
    }
  }
  return true;
}

TEST_CASE("every buffer size gives the same body, or says the size it needs") {
  CHECK_BOTH_WAYS(every_buffer_size_gives_the_same_body_or_the_size_needed);
}

constexpr bool an_invalid_request_is_an_error_and_never_a_body() {
  gdos::request r = sample;
  r.order_number = 0;
  std::array<char, 256> buf{};
  for (char& c : buf) c = '#';
  const auto e = gdos::encode_request_to(r, buf);
  if (e || e.code != request_errc::not_positive || e.field != request_field::order_number ||
      e.size != 0 || e.validation() != gdos::validate(r))
    return false;
  for (char c : buf)
    if (c != '#') return false;
  // Validation comes before sizing: a too small buffer still reports the invalid field.
  const auto both = gdos::encode_request_to(r, std::span<char>());
  return both.code == request_errc::not_positive && both.field == request_field::order_number;
}

TEST_CASE("encoding an invalid request is an error, never a body") {
  CHECK_BOTH_WAYS(an_invalid_request_is_an_error_and_never_a_body);
}

constexpr bool encode_request_returns_the_same_body_as_encode_request_to() {
  const auto s = gdos::encode_request(sample);
  gdos::request bad = sample;
  bad.login_password = "";
  const auto e = gdos::encode_request(bad);
  return s && *s == sample_body && !e &&
         e.error() == gdos::validation_result{request_errc::missing, request_field::login_password};
}

TEST_CASE("encode_request returns the same body as a std::string, or the validation error") {
  CHECK_BOTH_WAYS_STRING(encode_request_returns_the_same_body_as_encode_request_to);
}

// ================================================================================================
// Validation
// ================================================================================================

constexpr bool a_typical_request_is_valid() {
  return static_cast<bool>(gdos::validate(sample)) &&
         gdos::validate(sample) == gdos::validation_result{};
}

TEST_CASE("a typical request is valid") { CHECK_BOTH_WAYS(a_typical_request_is_valid); }

// n copies of `unit`, in a constexpr-friendly fixed buffer.
struct repeated {
  std::array<char, 1024> buf{};
  std::size_t size = 0;
  constexpr repeated(std::string_view unit, std::size_t n) {
    for (std::size_t i = 0; i < n; ++i)
      for (char c : unit) buf[size++] = c;
  }
  [[nodiscard]] constexpr std::string_view view() const { return {buf.data(), size}; }
};

constexpr bool login_name_has_1_to_64_characters_counted_as_utf8() {
  using e = request_errc;
  const auto f = request_field::login_name;
  const repeated ascii64("a", 64), ascii65("a", 65);
  const repeated e_acute64("\xC3\xA9", 64), e_acute65("\xC3\xA9", 65);          // 2 bytes each
  const repeated key64("\xF0\x9F\x94\x91", 64), key65("\xF0\x9F\x94\x91", 65);  // 4 bytes each
  const repeated ff64("\xFF", 64), ff65("\xFF", 65);  // invalid: one character per byte
  // A truncated sequence is one character (one U+FFFD), not one per byte.
  const repeated cut64("\xE2\x82", 64), cut65("\xE2\x82", 65);
  return refused_by_validation(with_name(""), e::missing, f) && gdos::validate(with_name("a")) &&
         gdos::validate(with_name(ascii64.view())) &&
         refused_by_validation(with_name(ascii65.view()), e::too_long, f) &&
         gdos::validate(with_name(e_acute64.view())) &&
         refused_by_validation(with_name(e_acute65.view()), e::too_long, f) &&
         gdos::validate(with_name(key64.view())) &&
         refused_by_validation(with_name(key65.view()), e::too_long, f) &&
         gdos::validate(with_name(ff64.view())) &&
         refused_by_validation(with_name(ff65.view()), e::too_long, f) &&
         gdos::validate(with_name(cut64.view())) &&
         refused_by_validation(with_name(cut65.view()), e::too_long, f);
}

TEST_CASE("loginName must have 1 to 64 characters, counted as UTF-8 code points") {
  CHECK_BOTH_WAYS(login_name_has_1_to_64_characters_counted_as_utf8);
}

constexpr bool login_password_has_1_to_128_characters() {
  using e = request_errc;
  const auto f = request_field::login_password;
  const repeated ascii128("p", 128), ascii129("p", 129);
  const repeated euro128("\xE2\x82\xAC", 128), euro129("\xE2\x82\xAC", 129);
  const repeated ctl128("\x01", 128);
  return refused_by_validation(with_password(""), e::missing, f) &&
         gdos::validate(with_password(ascii128.view())) &&
         refused_by_validation(with_password(ascii129.view()), e::too_long, f) &&
         gdos::validate(with_password(euro128.view())) &&
         refused_by_validation(with_password(euro129.view()), e::too_long, f) &&
         gdos::validate(with_password(ctl128.view()));
}

TEST_CASE("loginPassword must have 1 to 128 characters") {
  CHECK_BOTH_WAYS(login_password_has_1_to_128_characters);
}

constexpr bool order_number_or_certificate_id_is_required() {
  gdos::request r = sample;
  r.order_number.reset();
  if (!refused_by_validation(r, request_errc::missing, request_field::order_number)) return false;
  r.certificate_id = 5;
  return static_cast<bool>(gdos::validate(r));
}

TEST_CASE("at least one of orderNumber and certificateID is required") {
  CHECK_BOTH_WAYS(order_number_or_certificate_id_is_required);
}

constexpr bool order_number_must_be_positive() {
  gdos::request r = sample;
  for (std::int64_t bad :
       {std::int64_t{0}, std::int64_t{-1}, std::numeric_limits<std::int64_t>::min()}) {
    r.order_number = bad;
    if (!refused_by_validation(r, request_errc::not_positive, request_field::order_number))
      return false;
  }
  r.order_number = 1;
  if (!gdos::validate(r)) return false;
  r.order_number = std::numeric_limits<std::int64_t>::max();
  return static_cast<bool>(gdos::validate(r));
}

TEST_CASE("orderNumber must be a positive integer") {
  CHECK_BOTH_WAYS(order_number_must_be_positive);
}

constexpr bool certificate_id_is_positive_with_at_most_16_digits() {
  gdos::request r = sample;
  r.order_number.reset();
  r.certificate_id = 9'999'999'999'999'999;
  if (!gdos::validate(r)) return false;
  r.certificate_id = 10'000'000'000'000'000;
  if (!refused_by_validation(r, request_errc::too_long, request_field::certificate_id))
    return false;
  r.certificate_id = 0;
  if (!refused_by_validation(r, request_errc::not_positive, request_field::certificate_id))
    return false;
  r.certificate_id = -5;
  return refused_by_validation(r, request_errc::not_positive, request_field::certificate_id);
}

TEST_CASE("certificateID must be a positive integer of at most 16 digits") {
  CHECK_BOTH_WAYS(certificate_id_is_positive_with_at_most_16_digits);
}

constexpr bool enumerations_must_hold_named_values() {
  gdos::request r = sample;
  for (auto q : {gdos::query_type::status, gdos::query_type::detailed,
                 gdos::query_type::detailed_with_replacements}) {
    r.query_type = q;
    if (!gdos::validate(r)) return false;
  }
  r.query_type = static_cast<gdos::query_type>(3);
  if (!refused_by_validation(r, request_errc::out_of_range, request_field::query_type))
    return false;
  r = sample;
  r.show_validity_period = static_cast<gdos::yes_no>(3);
  if (!refused_by_validation(r, request_errc::out_of_range, request_field::show_validity_period))
    return false;
  r = sample;
  r.response_format = gdos::response_format::json;
  if (!gdos::validate(r)) return false;
  r.response_format = static_cast<gdos::response_format>(3);
  if (!refused_by_validation(r, request_errc::out_of_range, request_field::response_format))
    return false;
  r.response_format = static_cast<gdos::response_format>(0);
  return refused_by_validation(r, request_errc::out_of_range, request_field::response_format);
}

TEST_CASE("queryType is 0 to 2, and showValidityPeriod and responseFormat hold named values") {
  CHECK_BOTH_WAYS(enumerations_must_hold_named_values);
}

constexpr bool validation_reports_the_first_broken_rule_in_field_order() {
  const gdos::request r{.login_name = "",
                        .login_password = "",
                        .order_number = -1,
                        .query_type = static_cast<gdos::query_type>(9)};
  gdos::request no_password = r;
  no_password.login_name = "x";
  return refused_by_validation(r, request_errc::missing, request_field::login_name) &&
         refused_by_validation(no_password, request_errc::missing, request_field::login_password);
}

TEST_CASE("validate reports the first broken rule, in field order") {
  CHECK_BOTH_WAYS(validation_reports_the_first_broken_rule_in_field_order);
}

constexpr bool fields_have_their_wire_names() {
  return gdos::field_name(request_field::login_name) == "loginName" &&
         gdos::field_name(request_field::login_password) == "loginPassword" &&
         gdos::field_name(request_field::order_number) == "orderNumber" &&
         gdos::field_name(request_field::certificate_id) == "certificateID" &&
         gdos::field_name(request_field::query_type) == "queryType" &&
         gdos::field_name(request_field::show_validity_period) == "showValidityPeriod" &&
         gdos::field_name(request_field::response_format) == "responseFormat" &&
         gdos::field_name(request_field::sid) == "SID" &&
         gdos::to_string(request_field::sid) == "sid" &&
         gdos::to_string(request_errc::too_long) == "too_long" &&
         gdos::message(request_errc::too_long) == "too long";
}

TEST_CASE("validation errors name the field by its wire name") {
  CHECK_BOTH_WAYS(fields_have_their_wire_names);
}

TEST_CASE("a validation error printed holds the field and the problem, never the password") {
  const std::string secret = "hunter2-" + std::string(130, 'z');  // too long: refused
  const auto v = gdos::validate(with_password(secret));
  std::ostringstream os;
  os << v;
  CHECK(os.str() == "loginPassword: too long");
  std::ostringstream ok;
  ok << gdos::validate(sample);
  CHECK(ok.str() == "ok");
  CHECK(v.message() == "loginPassword: too long");
  CHECK(gdos::validate(sample).message() == "ok");
}

TEST_CASE("an encode result says in one line what happened, and prints it") {
  std::array<char, 8> small{};
  const gdos::encode_result too_small = gdos::encode_request_to(sample, small);
  CHECK(too_small.message() ==
        "buffer too small: " + std::to_string(sample_body.size()) + " bytes needed");
  std::array<char, 256> big{};
  CHECK(gdos::encode_request_to(sample, big).message() == "ok");
  std::ostringstream os;
  os << gdos::encode_request_to(with_password(""), big);
  CHECK(os.str() == "loginPassword: missing");
}

// ================================================================================================
// Printing
// ================================================================================================

// A minimal stream: the template operator<< needs nothing but `<< std::string_view`.
struct collecting_stream {
  std::string text;
  collecting_stream& operator<<(std::string_view s) {
    text += s;
    return *this;
  }
};

TEST_CASE("printing a request masks the password and escapes the login name") {
  std::ostringstream os;
  gdos::request r = sample;
  r.login_name = "a&b c";
  r.certificate_id = 77;
  r.show_validity_period = gdos::yes_no::yes;
  os << r;
  CHECK(os.str() ==
        "loginName=a%26b+c&loginPassword=***&orderNumber=1234567&certificateID=77&queryType=1"
        "&showValidityPeriod=Y&responseFormat=1");
  CHECK(os.str().find("s3cret") == std::string::npos);

  collecting_stream cs;
  cs << with_password("") << with_password(std::string_view("very secret"));
  CHECK(cs.text.find("secret") == std::string::npos);
  CHECK(cs.text.find("loginPassword=***&") != std::string::npos);
}

TEST_CASE("printing a request masks a set SID like the password") {
  std::ostringstream os;
  gdos::request r = sample;
  r.sid = "session-handle-123";
  os << r;
  CHECK(os.str() ==
        "loginName=alice&loginPassword=***&orderNumber=1234567&queryType=1&responseFormat=1"
        "&SID=***");
}

TEST_CASE("printing an invalid request shows the bad values as numbers") {
  gdos::request r = sample;
  r.order_number = std::numeric_limits<std::int64_t>::min();
  r.query_type = static_cast<gdos::query_type>(7);
  r.show_validity_period = static_cast<gdos::yes_no>(9);
  r.response_format = gdos::response_format::omitted;
  collecting_stream cs;
  cs << r;
  CHECK(cs.text ==
        "loginName=alice&loginPassword=***&orderNumber=-9223372036854775808&queryType=7"
        "&showValidityPeriod=9");
}

TEST_CASE("printing a long login name escapes all of it") {
  const std::string name(150, ' ');  // 150 spaces: longer than one print chunk
  collecting_stream cs;
  cs << with_name(name);
  CHECK(cs.text.substr(0, 160) == "loginName=" + std::string(150, '+'));
}

// ================================================================================================
// Server side: accepting
// ================================================================================================

TEST_CASE("parse_request accepts what encode_request_to writes") {
  CHECK_ACCEPTED(sample_body, sample);
  CHECK_ACCEPTED(
      "loginName=bob&loginPassword=pw&orderNumber=42&certificateID=9999999999999999"
      "&queryType=2&showValidityPeriod=Y&responseFormat=1",
      (gdos::request{.login_name = "bob",
                     .login_password = "pw",
                     .order_number = 42,
                     .certificate_id = 9'999'999'999'999'999,
                     .query_type = gdos::query_type::detailed_with_replacements,
                     .show_validity_period = gdos::yes_no::yes}));
}

constexpr gdos::request server_view(std::string_view name, std::string_view password,
                                    std::int64_t order) {
  return {.login_name = name,
          .login_password = password,
          .order_number = order,
          .query_type = gdos::query_type::status,
          .response_format = gdos::response_format::omitted};
}

TEST_CASE("argument names are case-insensitive and may be percent-encoded; values are not") {
  CHECK_ACCEPTED("LOGINNAME=Alice&loginpassword=PW&OrderNumber=5", server_view("Alice", "PW", 5));
  CHECK_ACCEPTED("login%4Eame=a&login%70assword=b&orderNumber=5", server_view("a", "b", 5));
  CHECK_ACCEPTED("loginName=a&loginPassword=b&orderNumber=5&SHOWVALIDITYPERIOD=N&QueryType=1",
                 (gdos::request{.login_name = "a",
                                .login_password = "b",
                                .order_number = 5,
                                .query_type = gdos::query_type::detailed,
                                .show_validity_period = gdos::yes_no::no,
                                .response_format = gdos::response_format::omitted}));
  CHECK_REFUSED("loginName=a&loginPassword=b&orderNumber=5&showValidityPeriod=y",
                api_code::invalid_argument, "showValidityPeriod");
}

TEST_CASE("responseFormat=2 (JSON) and an SID are accepted, as Sectigo documents since v1.08") {
  CHECK_ACCEPTED("loginName=a&loginPassword=b&orderNumber=5&responseFormat=2&sid=x%26y",
                 (gdos::request{.login_name = "a",
                                .login_password = "b",
                                .order_number = 5,
                                .query_type = gdos::query_type::status,
                                .response_format = gdos::response_format::json,
                                .sid = "x&y"}));
  CHECK_REFUSED("loginName=a&loginPassword=b&orderNumber=5&SID=1&Sid=2", api_code::invalid_argument,
                "Sid");
}

TEST_CASE("omitted optional arguments take their documented defaults") {
  // queryType: status, showValidityPeriod: unset, responseFormat: omitted.
  CHECK_ACCEPTED("loginName=a&loginPassword=b&certificateID=12",
                 (gdos::request{.login_name = "a",
                                .login_password = "b",
                                .certificate_id = 12,
                                .query_type = gdos::query_type::status,
                                .response_format = gdos::response_format::omitted}));
}

TEST_CASE("fields may come in any order, empty pieces are skipped, and values are decoded") {
  CHECK_ACCEPTED("&&orderNumber=%35&&loginPassword=p+q%21&loginName=%C3%A9%20x&",
                 server_view("\xC3\xA9 x", "p q!", 5));
  CHECK_ACCEPTED("loginName=a&loginPassword=b&orderNumber=007", server_view("a", "b", 7));
  CHECK_ACCEPTED("loginName=a%zz&loginPassword=100%&orderNumber=1", server_view("a%zz", "100%", 1));
  CHECK_ACCEPTED("loginName=a=b&loginPassword=c&orderNumber=1", server_view("a=b", "c", 1));
}

constexpr bool plain_values_are_views_into_the_body() {
  const std::string_view body = sample_body;
  const auto p = gdos::parse_request(body);
  if (!p || p->decoding_buffer_size() != 0) return false;
  const auto r = p->to_request(std::span<char>());
  return r && *r == sample && r->login_name.data() == body.data() + 10 &&
         r->login_password.data() == body.data() + 30;
}

TEST_CASE("plain values are views into the body: accepting copies nothing") {
  CHECK_BOTH_WAYS(plain_values_are_views_into_the_body);
}

constexpr bool encoded_values_decode_into_the_callers_buffer() {
  constexpr std::string_view body = "loginName=plain&loginPassword=p%26w+d&orderNumber=1";
  const auto p = gdos::parse_request(body);
  if (!p || p->decoding_buffer_size() != 5) return false;
  std::array<char, 4> small{};
  const auto too_small = p->to_request(small);
  if (too_small || too_small.error() != gdos::form::write_result{5, false}) return false;
  std::array<char, 5> exact{};
  const auto r = p->to_request(exact);
  return r && r->login_password == "p&w d" && r->login_password.data() == exact.data() &&
         r->login_name.data() == body.data() + 10 && *p == *r;
}

TEST_CASE("values that need decoding are decoded into the caller's buffer") {
  CHECK_BOTH_WAYS(encoded_values_decode_into_the_callers_buffer);
  const std::string body = "loginName=%E2%82%AC&loginPassword=a+b&orderNumber=3";
  const auto p = gdos::parse_request(body);
  REQUIRE(p);
  std::string storage;
  const gdos::request r = p->to_request(storage);
  CHECK(r.login_name == "\xE2\x82\xAC");
  CHECK(r.login_password == "a b");
  CHECK(storage.size() == 6);
}

// ================================================================================================
// Server side: Comodo's refusals
// ================================================================================================

TEST_CASE("an unrecognised argument is refused with -2, naming it as sent") {
  CHECK_REFUSED("loginName=a&loginPassword=b&orderNumber=1&foo=1", api_code::unrecognised_argument,
                "foo");
  CHECK_REFUSED("bar&loginName=a", api_code::unrecognised_argument, "bar");
  CHECK_REFUSED("login%5Fname=a", api_code::unrecognised_argument, "login%5Fname");
  CHECK_REFUSED("loginNameX=a", api_code::unrecognised_argument, "loginNameX");
  CHECK_REFUSED("=x&loginName=a", api_code::unrecognised_argument, "");
  CHECK_REFUSED("showValidityPeriodX=Y", api_code::unrecognised_argument, "showValidityPeriodX");
}

TEST_CASE(
    "A missing argument is refused with -3: loginName, then loginPassword, then orderNumber") {
  CHECK_REFUSED("", api_code::missing_argument, "loginName");
  CHECK_REFUSED("loginPassword=b&orderNumber=1", api_code::missing_argument, "loginName");
  CHECK_REFUSED("loginName=a&orderNumber=1", api_code::missing_argument, "loginPassword");
  CHECK_REFUSED("loginName=a&loginPassword=b", api_code::missing_argument, "orderNumber");
  CHECK_REFUSED("loginName=a&loginPassword=b&queryType=1", api_code::missing_argument,
                "orderNumber");
  // An argument with an empty value is not sent.
  CHECK_REFUSED("loginName=&loginPassword=b&orderNumber=1", api_code::missing_argument,
                "loginName");
  CHECK_REFUSED("loginName=a&loginPassword&orderNumber=1", api_code::missing_argument,
                "loginPassword");
  CHECK_REFUSED("loginName=a&loginPassword=b&orderNumber=&certificateID=",
                api_code::missing_argument, "orderNumber");
}

TEST_CASE("an invalid value is refused with -4, naming the argument as sent") {
  constexpr auto invalid = api_code::invalid_argument;
  // Not an integer.
  CHECK_REFUSED("loginName=a&loginPassword=b&orderNumber=12a", invalid, "orderNumber");
  CHECK_REFUSED("loginName=a&loginPassword=b&orderNumber=+12", invalid, "orderNumber");
  CHECK_REFUSED("loginName=a&loginPassword=b&orderNumber=%2B12", invalid, "orderNumber");
  CHECK_REFUSED("loginName=a&loginPassword=b&orderNumber=-12", invalid, "orderNumber");
  CHECK_REFUSED("loginName=a&loginPassword=b&orderNumber=1.0", invalid, "orderNumber");
  CHECK_REFUSED("loginName=a&loginPassword=b&ORDERNUMBER=%", invalid, "ORDERNUMBER");
  // Out of range or too long.
  CHECK_REFUSED("loginName=a&loginPassword=b&orderNumber=0", invalid, "orderNumber");
  CHECK_REFUSED("loginName=a&loginPassword=b&orderNumber=9223372036854775808", invalid,
                "orderNumber");
  CHECK_REFUSED("loginName=a&loginPassword=b&orderNumber=00000000000000000001", invalid,
                "orderNumber");
  CHECK_REFUSED("loginName=a&loginPassword=b&certificateID=10000000000000000", invalid,
                "certificateID");
  CHECK_REFUSED("loginName=a&loginPassword=b&certificateID=0", invalid, "certificateID");
  CHECK_REFUSED("loginName=a&loginPassword=b&orderNumber=1&queryType=3", invalid, "queryType");
  CHECK_REFUSED("loginName=a&loginPassword=b&orderNumber=1&queryType=x", invalid, "queryType");
  CHECK_REFUSED("loginName=a&loginPassword=b&orderNumber=1&showValidityPeriod=X", invalid,
                "showValidityPeriod");
  CHECK_REFUSED("loginName=a&loginPassword=b&orderNumber=1&showValidityPeriod=YES", invalid,
                "showValidityPeriod");
  CHECK_REFUSED("loginName=a&loginPassword=b&orderNumber=1&responseFormat=3", invalid,
                "responseFormat");
  // 0 (newline-delimited) is not documented for this call.
  CHECK_REFUSED("loginName=a&loginPassword=b&orderNumber=1&responseFormat=0", invalid,
                "responseFormat");
  CHECK_REFUSED("loginName=a&loginPassword=b&orderNumber=1&responseFormat=1%0A", invalid,
                "responseFormat");
  // Strings longer than their limit, decoded or not.
  CHECK_REFUSED(
      "loginName=aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa&loginPassword=b"
      "&orderNumber=1",
      invalid, "loginName");
  CHECK_REFUSED(
      "loginName=%61%61%61%61%61%61%61%61%61%61%61%61%61%61%61%61%61%61%61%61%61%61%61%61%61%61"
      "%61%61%61%61%61%61%61%61%61%61%61%61%61%61%61%61%61%61%61%61%61%61%61%61%61%61%61%61%61"
      "%61%61%61%61%61%61%61%61%61%61",
      invalid, "loginName");
}

TEST_CASE("strings at their limits are accepted, one character more is refused") {
  std::string name(64, 'n');
  std::string body =
      "loginName=" + name + "&loginPassword=" + std::string(128, 'p') + "&orderNumber=1";
  const auto ok = gdos::parse_request(gdos_test::guarded_input(body).view());
  CHECK(static_cast<bool>(ok));
  // 64 two-byte characters, percent-encoded: 384 bytes of text, 64 characters.
  std::string euros;
  for (int i = 0; i < 64; ++i) euros += "%C3%A9";
  CHECK(static_cast<bool>(gdos::parse_request(
      gdos_test::guarded_input("loginName=" + euros + "&loginPassword=p&orderNumber=1").view())));
  CHECK(refused_guarded("loginName=" + euros + "%C3%A9&loginPassword=p&orderNumber=1",
                        api_code::invalid_argument, "loginName"));
  CHECK(refused_guarded("loginName=n&loginPassword=" + std::string(129, 'p') + "&orderNumber=1",
                        api_code::invalid_argument, "loginPassword"));
  // 128 four-byte characters sent raw (512 bytes) are within the limit; 129 are not.
  std::string keys;
  for (int i = 0; i < 128; ++i) keys += "\xF0\x9F\x94\x91";
  CHECK(static_cast<bool>(gdos::parse_request(
      gdos_test::guarded_input("loginName=n&loginPassword=" + keys + "&orderNumber=1").view())));
  CHECK(refused_guarded("loginName=n&loginPassword=" + keys + "\xF0\x9F\x94\x91&orderNumber=1",
                        api_code::invalid_argument, "loginPassword"));
}

TEST_CASE("a repeated argument is refused with -4, whatever its case") {
  CHECK_REFUSED("loginName=a&LOGINNAME=b&loginPassword=c&orderNumber=1", api_code::invalid_argument,
                "LOGINNAME");
  CHECK_REFUSED("loginName=a&loginPassword=c&orderNumber=1&orderNumber=1",
                api_code::invalid_argument, "orderNumber");
  CHECK_REFUSED("loginName=a&loginPassword=c&orderNumber=&orderNumber=1",
                api_code::invalid_argument, "orderNumber");
  CHECK_REFUSED("queryType=1&loginName=a&loginPassword=c&orderNumber=1&query%54ype=1",
                api_code::invalid_argument, "query%54ype");
}

TEST_CASE("refusals follow the body's order, then the missing-argument checks") {
  CHECK_REFUSED("foo=1&orderNumber=x", api_code::unrecognised_argument, "foo");
  CHECK_REFUSED("orderNumber=x&foo=1", api_code::invalid_argument, "orderNumber");
  CHECK_REFUSED("queryType=9&loginName=a&loginName=b", api_code::invalid_argument, "queryType");
  CHECK_REFUSED("loginName=a&loginName=b&queryType=9", api_code::invalid_argument, "loginName");
  CHECK_REFUSED("orderNumber=1&bar", api_code::unrecognised_argument, "bar");
}

TEST_CASE("malformed bodies are refused with -2 or -4 and never read past the end") {
  CHECK_REFUSED("%", api_code::unrecognised_argument, "%");
  CHECK_REFUSED("%4", api_code::unrecognised_argument, "%4");
  CHECK_REFUSED("=", api_code::unrecognised_argument, "");
  CHECK_REFUSED("==&&==", api_code::unrecognised_argument, "");
  CHECK_REFUSED("loginName%", api_code::unrecognised_argument, "loginName%");
  CHECK_REFUSED("\xFF\xFE=1", api_code::unrecognised_argument, "\xFF\xFE");
  CHECK_REFUSED("loginName=a&loginPassword=b&orderNumber=1%", api_code::invalid_argument,
                "orderNumber");
  CHECK_REFUSED("loginName=a&loginPassword=b&orderNumber=%3", api_code::invalid_argument,
                "orderNumber");
  CHECK_REFUSED("loginName=a&loginPassword=b&orderNumber=1&queryType=%", api_code::invalid_argument,
                "queryType");
  CHECK_REFUSED("\0=1"sv, api_code::unrecognised_argument, "\0"sv);
  CHECK_REFUSED("&&&", api_code::missing_argument, "loginName");
  CHECK_REFUSED("loginName=a&loginPassword=b&orderNumber=1\n", api_code::invalid_argument,
                "orderNumber");
  // A long run of bytes with no structure at all.
  std::string junk(5000, '%');
  CHECK(refused_guarded(junk, api_code::unrecognised_argument, junk));
  std::string long_name(100000, 'a');
  CHECK(refused_guarded(long_name + "=1", api_code::unrecognised_argument, long_name));
}

TEST_CASE("the password never appears in an error") {
  // Whatever goes wrong after (or before) the password, the message names an argument only.
  const std::string password = "hunter2-pass";
  const std::vector<std::string> bodies = {
      "loginName=a&loginPassword=" + password + "&orderNumber=x",
      "loginName=a&loginPassword=" + password + "&orderNumber=1&foo=2",
      "loginName=a&loginPassword=" + password + "&loginPassword=" + password + "&orderNumber=1",
      "loginName=a&loginPassword=" + password,
      "loginPassword=" + password + "&orderNumber=1",
      "loginName=a&loginPassword=" + password + std::string(130, 'x') + "&orderNumber=1",
      "loginName=a&loginPassword=" + password + "&orderNumber=1&queryType=" + password,
  };
  for (const std::string& body : bodies) {
    const gdos_test::guarded_input in(body);
    const auto p = gdos::parse_request(in.view());
    REQUIRE_FALSE(p);
    const std::string message = p.error().message();
    const std::string reply = gdos::error_reply(p.error());
    std::ostringstream printed;
    printed << p.error();
    CAPTURE(body);
    CHECK(message.find("hunter2") == std::string::npos);
    CHECK(reply.find("hunter2") == std::string::npos);
    CHECK(printed.str() == message);
    CHECK(gdos::is_known(p.error().code));
  }
}

// ================================================================================================
// Server side: messages and reply bodies
// ================================================================================================

constexpr bool messages_are_comodos_exact_text() {
  using gdos::api_error;
  return message_is(api_error{api_code::unrecognised_argument, "xxxx"},
                    "'xxxx' is an unrecognised argument!") &&
         message_is(api_error{api_code::missing_argument, "orderNumber"},
                    "The 'orderNumber' argument is missing!") &&
         message_is(api_error{api_code::invalid_argument, "queryType"},
                    "The value of the 'queryType' argument is invalid!") &&
         message_is(api_error{api_code::not_https, {}}, "Request was not made over https!") &&
         message_is(api_error{api_code::unknown_error, {}}, "An unknown error occurred!") &&
         message_is(api_error{api_code::permission_denied, {}}, "Permission denied!") &&
         message_is(api_error{api_code::get_not_post, {}}, "Request used GET rather than POST!") &&
         message_is(api_error{static_cast<api_code>(-42), "x"}, "") &&
         message_is(api_error{api_code::success, {}}, "");
}

TEST_CASE("api_error::message writes Comodo's exact text") {
  CHECK_BOTH_WAYS(messages_are_comodos_exact_text);
}

constexpr bool a_message_that_does_not_fit_is_not_written() {
  const gdos::api_error e{api_code::missing_argument, "loginName"};
  std::array<char, 10> small{};
  for (char& c : small) c = '#';
  const auto w = e.message_to(small);
  for (char c : small)
    if (c != '#') return false;
  return !w && w.size == "The 'loginName' argument is missing!"sv.size();
}

TEST_CASE("a message that does not fit is not written, and its size is reported") {
  CHECK_BOTH_WAYS(a_message_that_does_not_fit_is_not_written);
}

constexpr bool message_returns_the_text_as_a_string() {
  return gdos::api_error{api_code::missing_argument, "orderNumber"}.message() ==
         "The 'orderNumber' argument is missing!";
}

TEST_CASE("api_error::message returns the text as a std::string") {
  CHECK_BOTH_WAYS_STRING(message_returns_the_text_as_a_string);
}

constexpr bool error_replies_are_url_encoded_code_and_message() {
  using gdos::api_error;
  return reply_is(api_error{api_code::missing_argument, "orderNumber"},
                  "errorCode=-3&errorMessage=The+%27orderNumber%27+argument+is+missing%21") &&
         reply_is(api_error{api_code::unrecognised_argument, "a%26b"},
                  "errorCode=-2&errorMessage=%27a%2526b%27+is+an+unrecognised+argument%21") &&
         reply_is(api_error{api_code::invalid_argument, "queryType"},
                  "errorCode=-4&errorMessage=The+value+of+the+%27queryType%27+argument+is+"
                  "invalid%21") &&
         reply_is(api_error{api_code::get_not_post, {}},
                  "errorCode=-17&errorMessage=Request+used+GET+rather+than+POST%21") &&
         reply_is(api_error{static_cast<api_code>(-42), {}}, "errorCode=-42&errorMessage=") &&
         reply_is(api_error{static_cast<api_code>(2147483647), {}},
                  "errorCode=2147483647&errorMessage=") &&
         reply_is(api_error{static_cast<api_code>(INT32_MIN), {}},
                  "errorCode=-2147483648&errorMessage=");
}

TEST_CASE("error replies are the url-encoded errorCode and errorMessage") {
  CHECK_BOTH_WAYS(error_replies_are_url_encoded_code_and_message);
}

constexpr bool an_error_reply_that_does_not_fit_is_not_written() {
  const gdos::api_error e{api_code::missing_argument, "orderNumber"};
  constexpr std::string_view expected =
      "errorCode=-3&errorMessage=The+%27orderNumber%27+argument+is+missing%21";
  std::array<char, expected.size() - 1> small{};
  const auto w = gdos::error_reply_to(e, small);
  for (char c : small)
    if (c != '\0') return false;
  return !w && w.size == expected.size();
}

TEST_CASE("an error reply that does not fit is not written, and its size is reported") {
  CHECK_BOTH_WAYS(an_error_reply_that_does_not_fit_is_not_written);
}

constexpr bool error_reply_returns_the_body_as_a_string() {
  return gdos::error_reply({api_code::missing_argument, "orderNumber"}) ==
         "errorCode=-3&errorMessage=The+%27orderNumber%27+argument+is+missing%21";
}

TEST_CASE("error_reply returns the body as a std::string") {
  CHECK_BOTH_WAYS_STRING(error_reply_returns_the_body_as_a_string);
  // A refusal's reply parses back, with the form layer, to the code and the message.
  const auto p = gdos::parse_request("loginName=a&loginPassword=b&orderNumber=1&x%26y=1");
  REQUIRE_FALSE(p);
  const std::string reply = gdos::error_reply(p.error());
  auto it = gdos::form::fields(reply).begin();
  CHECK(it->name.encoded() == "errorCode");
  CHECK(it->value.encoded() == "-2");
  ++it;
  CHECK(it->name.encoded() == "errorMessage");
  CHECK(it->value.decode() == "'x%26y' is an unrecognised argument!");
}

// ================================================================================================
// Property: parse_request(encode_request(r)) == r
// ================================================================================================

constexpr bool nasty_requests_round_trip() {
  constexpr std::array<gdos::request, 5> rs = {
      sample,
      gdos::request{.login_name = "a&queryType=0",
                    .login_password = "=%+ \x01\x7F",
                    .certificate_id = 1,
                    .query_type = gdos::query_type::detailed,
                    .show_validity_period = gdos::yes_no::no,
                    .response_format = gdos::response_format::omitted},
      gdos::request{.login_name = "\xE6\x97\xA5\xE6\x9C\xAC",
                    .login_password = "\xF0\x9F\x94\x91\xFF",
                    .order_number = std::numeric_limits<std::int64_t>::max(),
                    .certificate_id = 9'999'999'999'999'999,
                    .query_type = gdos::query_type::detailed_with_replacements,
                    .show_validity_period = gdos::yes_no::yes,
                    .response_format = gdos::response_format::json,
                    .sid = "%zz&SID=1"},
      gdos::request{.login_name = "%41", .login_password = "+", .order_number = 1},
      gdos::request{.login_name = "\0"sv, .login_password = "\r\n&=", .order_number = 2},
  };
  for (const auto& r : rs)
    if (!round_trips(r)) return false;
  return true;
}

TEST_CASE("nasty requests round-trip through encode and parse") {
  CHECK_BOTH_WAYS(nasty_requests_round_trip);
}

// Builds a random valid request; the strings live in the caller's storage.
gdos::request random_request(std::mt19937_64& rng, std::string& name, std::string& password,
                             std::string& sid) {
  static constexpr std::array<std::string_view, 22> pieces = {"a",
                                                              "Z",
                                                              "0",
                                                              " ",
                                                              "+",
                                                              "%",
                                                              "%2",
                                                              "%41",
                                                              "&",
                                                              "=",
                                                              "&queryType=0",
                                                              "\0"sv,
                                                              "\x01",
                                                              "\x7F",
                                                              "\r\n",
                                                              "\xC3\xA9",
                                                              "\xE2\x82\xAC",
                                                              "\xF0\x9F\x94\x91",
                                                              "\xFF",
                                                              "\xC3",
                                                              "*-._",
                                                              "loginPassword"};
  const auto fill = [&](std::string& s, std::size_t max_chars) {
    s.clear();
    const std::size_t n = 1 + rng() % 40;
    for (std::size_t i = 0; i < n; ++i) s += pieces[rng() % pieces.size()];
    // Trim to the limit; cutting a sequence short is fine, it still counts as one character.
    while (gdos::form::utf8_length(s) > max_chars) s.pop_back();
    if (s.empty()) s = "x";
  };
  fill(name, gdos::max_login_name_length);
  fill(password, gdos::max_login_password_length);
  fill(sid, 200);
  gdos::request r;
  r.login_name = name;
  r.login_password = password;
  if (rng() % 2 == 0) r.sid = sid;
  const auto which = rng() % 3;
  // 1 to 19 digits, equally likely, so short and long numbers are both common.
  const auto positive = [&](std::int64_t max) {
    std::uint64_t cap = 1;
    for (auto digits = 1 + rng() % 19; digits > 0; --digits) cap *= 10;
    return static_cast<std::int64_t>(1 + (rng() % cap) % static_cast<std::uint64_t>(max));
  };
  if (which != 1) r.order_number = positive(std::numeric_limits<std::int64_t>::max());
  if (which != 0) r.certificate_id = positive(gdos::max_certificate_id);
  r.query_type = static_cast<gdos::query_type>(rng() % 3);
  r.show_validity_period = static_cast<gdos::yes_no>(rng() % 3);
  constexpr std::array<gdos::response_format, 3> formats = {gdos::response_format::url_encoded,
                                                            gdos::response_format::omitted,
                                                            gdos::response_format::json};
  r.response_format = formats[rng() % 3];
  return r;
}

TEST_CASE("for every valid request r, parse_request(encode_request(r)) gives back r") {
  std::mt19937_64 rng(20250611);
  std::string name, password, sid;
  std::string storage;
  for (int i = 0; i < 20000; ++i) {
    const gdos::request r = random_request(rng, name, password, sid);
    REQUIRE(gdos::validate(r));
    const auto body = gdos::encode_request(r);
    REQUIRE(body);
    CHECK(body->size() == gdos::encoded_size(r));
    const gdos_test::guarded_input in(*body);
    const auto p = gdos::parse_request(in.view());
    REQUIRE(p);
    const bool same = *p == r;
    const gdos::request back = p->to_request(storage);
    if (!same || !(back == r)) {
      CAPTURE(i);
      CAPTURE(*body);
      FAIL("round trip changed the request");
    }
    // And the body is a fixed point: re-encoding the parsed request gives the same bytes.
    const auto again = gdos::encode_request(back);
    REQUIRE(again);
    CHECK(*again == *body);
  }
}

}  // namespace
