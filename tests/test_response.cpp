// Tests of the response layer, include/gdos/response.hpp (the umbrella of response_model.hpp,
// parse_response.hpp and write_response.hpp). The header comes first to prove it is
// self-contained. Each rule is a constexpr function run twice, by static_assert at compile time
// and by doctest at run time, where the run-time input sits against a guard page so that any
// read past its end faults.
#include <gdos/response.hpp>
//
#include <doctest/doctest.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdint>
#include <cstring>
#include <deque>
#include <limits>
#include <random>
#include <ranges>
#include <span>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "alloc_counter.hpp"
#include "guard_page.hpp"

using namespace std::literals;
namespace form = gdos::form;
using gdos::api_code;
using gdos::parse_mode;
using gdos::progress_status;
using gdos::response_errc;

#include "constexpr_check.hpp"

// Runs `fn(text)` at compile time and at run time on a copy of `text` against a guard page.
#define CHECK_BOTH_WAYS_ON(fn, text) \
  static_assert(fn(text));           \
  CHECK(fn(gdos_test::guarded_input(text).view()))

static_assert(std::ranges::forward_range<gdos::unknown_fields_view<gdos::unknown_field>>);
static_assert(std::forward_iterator<gdos::unknown_fields_view<gdos::unknown_field>::iterator>);
static_assert(std::is_nothrow_move_constructible_v<gdos::response>);

namespace {

constexpr std::chrono::local_seconds at(int y, unsigned mo, unsigned d, int h, int mi, int s = 0) {
  return std::chrono::local_days{std::chrono::year{y} / std::chrono::month{mo} /
                                 std::chrono::day{d}} +
         std::chrono::hours{h} + std::chrono::minutes{mi} + std::chrono::seconds{s};
}

constexpr bool error_is(const gdos::result<gdos::response, gdos::parse_error>& r,
                        response_errc code) {
  return !r && r.error().code == code;
}

constexpr bool error_is(std::string_view body, response_errc code,
                        const gdos::parse_options& opt = {}) {
  return error_is(gdos::parse_response(body, opt), code);
}

constexpr gdos::parse_options lenient() {
  gdos::parse_options o;
  o.mode = parse_mode::lenient;
  return o;
}

// ---- the documented sample --------------------------------------------------------------------

// The prefix of the example reply in Sectigo's documentation.
constexpr std::string_view sample =
    "errorCode=0&1_orderNumber=7250060&1_orderDateTime=2025-06-11+11%3A57&1_orderStatus=Pending";

constexpr bool sample_reply_gives_one_pending_order(std::string_view body) {
  const auto r = gdos::parse_response(body);
  if (!r || !r->ok() || r->error_code != api_code::success || r->orders.size() != 1) return false;
  const gdos::order& o = r->orders[0];
  return o.index == 1 && o.number == 7250060 && o.date_time->encoded() == "2025-06-11+11%3A57" &&
         o.date_time->equals_decoded("2025-06-11 11:57") && o.status->equals_decoded("Pending") &&
         !o.status_reason && !o.suggested_org_details && o.certificates.empty() &&
         r->unknown_fields.empty() && !r->error_message &&
         o.local_time() == at(2025, 6, 11, 11, 57);
}

// A reply with every documented field.
constexpr std::string_view full_reply =
    "errorCode=0&1_orderNumber=1234567&1_orderDateTime=2025-06-11+11%3A57%3A09"
    "&1_orderStatus=Issued&1_orderStatusReason=&1_suggestedOrgDetails=Status%3DNotFound"
    "&1_1_serialNumber=00AB12&1_1_objectType=SSL+Certificate&1_1_FQDN=www.example.com"
    "&1_1_certificateStatus=Valid&1_1_certificateStatusReason=&1_1_csrStatus=-1"
    "&1_1_dcvStatus=0&1_1_ovCallBackStatus=1&1_1_organizationValidationStatus=2"
    "&1_1_freeDVUPStatus=7&1_1_evClickThroughStatus=-5";

constexpr bool every_documented_field_is_parsed(std::string_view body) {
  const auto r = gdos::parse_response(body);
  if (!r || r->orders.size() != 1 || r->orders[0].certificates.size() != 1) return false;
  const auto& o = r->orders[0];
  const auto& c = o.certificates[0];
  return o.number == 1234567 && o.local_time() == at(2025, 6, 11, 11, 57, 9) &&
         o.status->equals_decoded("Issued") && o.status_reason && o.status_reason->empty() &&
         o.suggested_org_details->equals_decoded("Status=NotFound") && c.index == 1 &&
         c.serial_number->equals_decoded("00AB12") &&
         c.object_type->equals_decoded("SSL Certificate") &&
         c.fqdn->equals_decoded("www.example.com") && c.status->equals_decoded("Valid") &&
         c.status_reason->empty() && c.csr_status == progress_status::not_required &&
         c.dcv_status == progress_status::not_completed &&
         c.ov_callback_status == progress_status::completed &&
         c.organization_validation_status == progress_status::in_progress &&
         c.free_dvup_status == static_cast<progress_status>(7) &&
         c.ev_click_through_status == static_cast<progress_status>(-5) && r->unknown_fields.empty();
}

constexpr bool progress_statuses_are_an_enum_over_int() {
  return gdos::is_known(progress_status::not_required) &&
         gdos::is_known(progress_status::in_progress) &&
         !gdos::is_known(static_cast<progress_status>(3)) &&
         !gdos::is_known(static_cast<progress_status>(-2)) &&
         gdos::to_string(progress_status::completed) == "completed" &&
         gdos::to_string(static_cast<progress_status>(9)) == "unknown" &&
         gdos::to_int(static_cast<progress_status>(-7)) == -7;
}

}  // namespace

TEST_CASE("the documented sample reply gives one pending order with its parsed date and time") {
  CHECK_BOTH_WAYS_ON(sample_reply_gives_one_pending_order, sample);
}

TEST_CASE("every documented order and certificate field is parsed, statuses typed") {
  CHECK_BOTH_WAYS_ON(every_documented_field_is_parsed, full_reply);
  CHECK_BOTH_WAYS(progress_statuses_are_an_enum_over_int);
}

// ---- errorCode and the error fields -----------------------------------------------------------

namespace {

constexpr bool error_replies_keep_code_message_item_and_detail(std::string_view body) {
  const auto r = gdos::parse_response(body);
  return r && !r->ok() && r->error_code == api_code::missing_argument &&
         gdos::is_known(r->error_code) &&
         r->error_message->equals_decoded("The 'loginName' argument is missing!") &&
         r->error_item->equals_decoded("loginName") && r->error_detail->equals_decoded("x=y") &&
         r->orders.empty();
}

constexpr bool undocumented_error_codes_are_kept_as_integers() {
  const auto a = gdos::parse_response("errorCode=-42&errorMessage=call+limit");
  const auto b = gdos::parse_response("errorCode=-2147483648");
  const auto c = gdos::parse_response("errorCode=2147483647");
  return a && gdos::to_int(a->error_code) == -42 && !gdos::is_known(a->error_code) && !a->ok() &&
         b && gdos::to_int(b->error_code) == std::numeric_limits<int>::min() && c &&
         gdos::to_int(c->error_code) == std::numeric_limits<int>::max();
}

constexpr bool error_code_must_be_a_32_bit_integer() {
  return error_is("errorCode=abc", response_errc::invalid_error_code) &&
         error_is("errorCode=", response_errc::invalid_error_code) &&
         error_is("errorCode", response_errc::invalid_error_code) &&
         error_is("errorCode=1.5", response_errc::invalid_error_code) &&
         error_is("errorCode=+1", response_errc::invalid_error_code) &&
         error_is("errorCode=2147483648", response_errc::invalid_error_code) &&
         error_is("errorCode=-2147483649", response_errc::invalid_error_code) &&
         error_is("errorCode=0x10", response_errc::invalid_error_code) &&
         // Not even lenient mode guesses a code.
         error_is("errorCode=zero", response_errc::invalid_error_code, lenient()) &&
         // The value is decoded like any other: %2D is '-'.
         (*gdos::parse_response("errorCode=%2D16")).error_code == api_code::permission_denied;
}

constexpr bool error_offsets_and_keys_point_at_the_field() {
  const auto r = gdos::parse_response("errorCode=0&1_orderNumber=x");
  return !r && r.error().code == response_errc::invalid_value && r.error().offset == 12 &&
         r.error().key == "1_orderNumber";
}

}  // namespace

TEST_CASE("an error reply keeps errorCode, errorMessage, errorItem and errorDetail") {
  CHECK_BOTH_WAYS_ON(
      error_replies_keep_code_message_item_and_detail,
      "errorCode=-3&errorMessage=The+%27loginName%27+argument+is+missing%21&errorItem=loginName"
      "&errorDetail=x%3Dy"sv);
}

TEST_CASE("errorCode values the API does not document are kept as plain integers") {
  CHECK_BOTH_WAYS(undocumented_error_codes_are_kept_as_integers);
}

TEST_CASE("an errorCode that is not a 32-bit decimal integer is a typed error") {
  CHECK_BOTH_WAYS(error_code_must_be_a_32_bit_integer);
}

TEST_CASE("errors give the offending key and its byte offset, with a readable message") {
  CHECK_BOTH_WAYS(error_offsets_and_keys_point_at_the_field);
  const auto r = gdos::parse_response("errorCode=0&1_1_csrStatus=\x01x");
  REQUIRE(!r);
  CHECK(r.error().message() ==
        "value does not parse as its field's type: '1_1_csrStatus' at byte 12");
  CHECK(gdos::to_string(response_errc::duplicate_key) == "duplicate_key");
  CHECK(gdos::message(response_errc::duplicate_key) == "duplicate key");
  for (int i = 0; i <= static_cast<int>(response_errc::buffer_too_small); ++i) {
    CHECK(gdos::to_string(static_cast<response_errc>(i)) != "unknown");
    CHECK(gdos::message(static_cast<response_errc>(i)) != "unknown response error");
  }
  CHECK(gdos::to_string(static_cast<response_errc>(200)) == "unknown");
  const auto h = gdos::parse_response("\x01\x02<html>");
  REQUIRE(!h);
  CHECK(h.error().code == response_errc::not_urlencoded);
  CHECK(h.error().message() == "not a url-encoded reply (no '=' anywhere) at byte 0");
}

TEST_CASE("errors, statuses and modes print with <<, as their message or identifier") {
  std::ostringstream os;
  const auto r = gdos::parse_response("errorCode=0&1_1_csrStatus=\x01x");
  os << r.error() << '|' << r.error().code << '|' << progress_status::in_progress << '|'
     << static_cast<progress_status>(7) << '|' << gdos::org_status::not_found << '|'
     << parse_mode::lenient << '|' << gdos::round_trip_errc::known_name;
  CHECK(os.str() ==
        "value does not parse as its field's type: '1_1_csrStatus' at byte 12|invalid_value|"
        "in_progress|7|not_found|lenient|known_name");
  CHECK(gdos::to_string(parse_mode::strict) == "strict");
  gdos::decoded_response built;
  built.orders.emplace_back().index = 1;
  built.orders[0].status = "Issued";
  built.unknown_fields.push_back({.order = 1, .name = "orderStatus", .value = "x"});
  const gdos::round_trip_check c = gdos::check_round_trip(built);
  CHECK(c.message() == std::string(gdos::message(gdos::round_trip_errc::known_name)) +
                           ": order 1, unknown field 0");
  std::ostringstream printed;
  printed << c << '|' << gdos::check_round_trip(gdos::decoded_response{});
  CHECK(printed.str() == c.message() + "|ok");
  CHECK(gdos::to_string(static_cast<parse_mode>(5)) == "unknown");
}

// ---- finding one unknown field ------------------------------------------------------------------

namespace {

// What the mock sends for showValidityPeriod=Y (Sectigo's pages name no field for it).
constexpr std::string_view validity_body =
    "errorCode=0&top=1&1_slId=7&1_1_FQDN=a.example&1_1_validityPeriodStart=2025-01-15+10%3A05"
    "&1_1_validity%50eriodEnd=2026-01-15+10%3A05&1_1_validityPeriodDays=365&2_1_validityPeriodDays="
    "90";

constexpr bool find_unknown_looks_a_field_up_by_level_and_decoded_name() {
  const auto r = gdos::parse_response(validity_body);
  if (!r) return false;
  const auto* end = r->find_unknown(1, 1, "validityPeriodEnd");  // name escaped in the body
  const auto* days2 = r->find_unknown(2, 1, "validityPeriodDays");
  return end != nullptr && end->value == "2026-01-15 10:05" && days2 != nullptr &&
         days2->value == "90" && r->find_unknown(1, 1, "validityPeriodDays")->value == "365" &&
         r->find_unknown(0, 0, "top") != nullptr && r->find_unknown(1, 0, "slId") != nullptr &&
         // The level must match: slId is the order's, not the certificate's.
         r->find_unknown(1, 1, "slId") == nullptr && r->find_unknown(1, 1, "FQDN") == nullptr &&
         r->find_unknown(3, 1, "validityPeriodDays") == nullptr &&
         // The dates have orderDateTime's shape.
         gdos::parse_date_time(end->value) ==
             gdos::parse_date_time(std::string_view("2026-01-15 10:05"));
}

constexpr bool find_unknown_works_on_plain_strings_and_org_lists() {
  std::array<char, 200> buf{};
  for (std::size_t i = 0; i < validity_body.size(); ++i) buf[i] = validity_body[i];
  const auto plain =
      gdos::parse_response_in_place(std::span<char>(buf.data(), validity_body.size()));
  const auto org = gdos::parse_org_details("Status=Found&1_organizationName=A&1_x%79z=2&note=n");
  return plain && plain->find_unknown(1, 1, "validityPeriodEnd") != nullptr &&
         plain->find_unknown(1, 1, "validityPeriodEnd")->value == "2026-01-15 10:05" && org &&
         org->find_unknown(1, "xyz") != nullptr && org->find_unknown(1, "xyz")->value == "2" &&
         org->find_unknown(0, "note") != nullptr && org->find_unknown(0, "xyz") == nullptr;
}

TEST_CASE("find_unknown looks an unknown field up by its level and decoded name") {
  CHECK_BOTH_WAYS(find_unknown_looks_a_field_up_by_level_and_decoded_name);
  CHECK_BOTH_WAYS(find_unknown_works_on_plain_strings_and_org_lists);
}

}  // namespace

// ---- bodies that are not url-encoded replies --------------------------------------------------

namespace {

constexpr bool the_legacy_newline_format_is_recognised(std::string_view body) {
  const auto r = gdos::parse_response(body);
  return !r && r.error().code == response_errc::legacy_format &&
         r.error().legacy_code == api_code::permission_denied &&
         r.error().legacy_message == "Permission denied!";
}

constexpr bool not_urlencoded_bodies_are_typed_errors() {
  return error_is("", response_errc::empty_body) && error_is("\n", response_errc::empty_body) &&
         error_is("\r\n", response_errc::empty_body) &&
         error_is("<html><body>502 Bad Gateway</body></html>", response_errc::html_body) &&
         error_is("\xEF\xBB\xBF\r\n  <!DOCTYPE html>", response_errc::html_body) &&
         // The reply to responseFormat=2 is JSON: said as such, with where it starts.
         error_is(R"({"errorCode":0,"orders":[]})", response_errc::json_body) &&
         error_is("\xEF\xBB\xBF \r\n{\"errorCode\": -16}", response_errc::json_body) &&
         gdos::parse_response(" \t{}").error().offset == 2 &&
         // A brace later in a url-encoded body is a value like any other.
         gdos::parse_response("errorCode=0&x={}").has_value() &&
         error_is("Service Unavailable", response_errc::not_urlencoded) &&
         error_is("1_orderNumber=5&1_orderStatus=Pending", response_errc::missing_error_code) &&
         error_is("errorcode=0", response_errc::missing_error_code) &&
         error_is("-14\nAn unknown error occurred!", response_errc::legacy_format) &&
         gdos::parse_response("0\n").error().legacy_code == api_code::success;
}

constexpr bool a_trailing_newline_or_crlf_is_accepted() {
  const auto a = gdos::parse_response("errorCode=0&1_orderStatus=Pending\n");
  const auto b = gdos::parse_response("errorCode=0&1_orderStatus=Pending\r\n");
  const auto c = gdos::parse_response("errorCode=-16\n");
  // Only one: a second newline is part of the last value.
  const auto d = gdos::parse_response("errorCode=0&1_orderStatus=Pending\n\n");
  return a && a->orders[0].status->encoded() == "Pending" && b &&
         b->orders[0].status->encoded() == "Pending" && c &&
         c->error_code == api_code::permission_denied && d &&
         d->orders[0].status->encoded() == "Pending\n";
}

constexpr bool bodies_over_max_body_size_are_refused() {
  gdos::parse_options o;
  o.max_body_size = 10;
  const auto r = gdos::parse_response("errorCode=0", o);
  o.max_body_size = 11;
  return !r && r.error().code == response_errc::body_too_large && r.error().offset == 10 &&
         gdos::parse_response("errorCode=0", o).has_value();
}

}  // namespace

TEST_CASE("the legacy newline format is recognised and reported with its code and message") {
  CHECK_BOTH_WAYS_ON(the_legacy_newline_format_is_recognised, "-16\nPermission denied!"sv);
  CHECK_BOTH_WAYS_ON(the_legacy_newline_format_is_recognised, "-16\r\nPermission denied!\r\n"sv);
  const auto r = gdos::parse_response("-16\nPermission denied!");
  CHECK(r.error().message() ==
        "newline-delimited reply (the legacy format), not url-encoded: errorCode -16, "
        "\"Permission denied!\"");
}

TEST_CASE("an empty body, an HTML page, plain text or a body without errorCode is a typed error") {
  CHECK_BOTH_WAYS(not_urlencoded_bodies_are_typed_errors);
}

TEST_CASE("one trailing newline or CRLF is accepted") {
  CHECK_BOTH_WAYS(a_trailing_newline_or_crlf_is_accepted);
}

TEST_CASE("a body over max_body_size is refused before it is read") {
  CHECK_BOTH_WAYS(bodies_over_max_body_size_are_refused);
}

// ---- indices ------------------------------------------------------------------------------------

namespace {

constexpr std::string_view shuffled_sparse =
    "7_2_FQDN=g.example&3_orderNumber=33&errorCode=0&7_orderNumber=77&3_5_FQDN=c5"
    "&1_orderStatus=Pending&3_2_FQDN=c2&7_2_dcvStatus=1&3_5_csrStatus=2";

constexpr bool orders_and_certificates_come_back_in_index_order(std::string_view body) {
  const auto r = gdos::parse_response(body);
  if (!r || r->orders.size() != 3) return false;
  const auto& o = r->orders;
  return o[0].index == 1 && o[0].status->equals_decoded("Pending") && o[0].certificates.empty() &&
         o[1].index == 3 && o[1].number == 33 && o[1].certificates.size() == 2 &&
         o[1].certificates[0].index == 2 && o[1].certificates[0].fqdn->equals_decoded("c2") &&
         o[1].certificates[1].index == 5 && o[1].certificates[1].fqdn->equals_decoded("c5") &&
         o[1].certificates[1].csr_status == progress_status::in_progress && o[2].index == 7 &&
         o[2].number == 77 && o[2].certificates.size() == 1 &&
         o[2].certificates[0].dcv_status == progress_status::completed &&
         r->find_order(3) == &o[1] && r->find_order(2) == nullptr &&
         o[1].find_certificate(5) == &o[1].certificates[1] && o[1].find_certificate(4) == nullptr;
}

// Keys that go back to an index not seen yet: the parser switches to its hash index and sorts
// once at the end.
constexpr bool keys_going_back_to_new_indices_still_give_sorted_orders() {
  const auto r = gdos::parse_response(
      "errorCode=0&5_1_FQDN=e1&5_3_FQDN=e3&2_2_FQDN=b2&9_orderNumber=9&5_2_FQDN=e2&1_1_FQDN=a1"
      "&2_1_FQDN=b1&5_3_dcvStatus=1&2_2_csrStatus=0&1_orderNumber=1");
  if (!r || r->orders.size() != 4) return false;
  const auto& o = r->orders;
  return o[0].index == 1 && o[0].number == 1 && o[0].certificates[0].fqdn->equals_decoded("a1") &&
         o[1].index == 2 && o[1].certificates.size() == 2 &&
         o[1].certificates[0].fqdn->equals_decoded("b1") &&
         o[1].certificates[1].fqdn->equals_decoded("b2") &&
         o[1].certificates[1].csr_status == progress_status::not_completed && o[2].index == 5 &&
         o[2].certificates.size() == 3 && o[2].certificates[0].fqdn->equals_decoded("e1") &&
         o[2].certificates[1].fqdn->equals_decoded("e2") &&
         o[2].certificates[2].fqdn->equals_decoded("e3") &&
         o[2].certificates[2].dcv_status == progress_status::completed && o[3].index == 9 &&
         o[3].number == 9;
}

constexpr bool bad_indices_are_typed_errors_in_strict_mode() {
  const auto at_key = [](std::string_view body, response_errc code, std::string_view key) {
    const auto r = gdos::parse_response(body);
    return !r && r.error().code == code && r.error().key == key &&
           r.error().offset == body.find(key);
  };
  return at_key("errorCode=0&0_FQDN=x", response_errc::index_zero, "0_FQDN") &&
         at_key("errorCode=0&01_orderNumber=1", response_errc::index_leading_zero,
                "01_orderNumber") &&
         at_key("errorCode=0&-1_orderNumber=1", response_errc::index_signed, "-1_orderNumber") &&
         at_key("errorCode=0&%2B1_orderNumber=1", response_errc::index_signed,
                "%2B1_orderNumber") &&
         at_key("errorCode=0&4294967296_orderNumber=1", response_errc::index_overflow,
                "4294967296_orderNumber") &&
         at_key("errorCode=0&99999999999999999999999_x=1", response_errc::index_overflow,
                "99999999999999999999999_x") &&
         at_key("errorCode=0&1000001_orderNumber=1", response_errc::index_too_large,
                "1000001_orderNumber") &&
         at_key("errorCode=0&1_0_FQDN=x", response_errc::index_zero, "1_0_FQDN") &&
         at_key("errorCode=0&1_00_FQDN=x", response_errc::index_leading_zero, "1_00_FQDN") &&
         at_key("errorCode=0&1_-2_FQDN=x", response_errc::index_signed, "1_-2_FQDN") &&
         at_key("errorCode=0&1_1000001_FQDN=x", response_errc::index_too_large, "1_1000001_FQDN") &&
         // Not indices at all: no '_' after the digits, or a space (a '+') before them.
         gdos::parse_response("errorCode=0&12=x&1_2=y&+1_x=z&1_2x_y=w").has_value();
}

constexpr bool lenient_mode_keeps_bad_indices_as_top_level_fields() {
  const auto r =
      gdos::parse_response("errorCode=0&0_FQDN=a&1_01_FQDN=b&-3_x=c&1_orderNumber=5", lenient());
  if (!r || r->orders.size() != 1 || r->unknown_fields.size() != 3) return false;
  const auto& u = r->unknown_fields;
  return u[0].order == 0 && u[0].certificate == 0 && u[0].name.encoded() == "0_FQDN" &&
         u[0].value.encoded() == "a" && u[1].name.encoded() == "1_01_FQDN" && u[1].order == 0 &&
         u[2].name.encoded() == "-3_x" && r->orders[0].number == 5 &&
         r->orders[0].certificates.empty();
}

constexpr bool the_index_limit_is_an_option() {
  gdos::parse_options o;
  o.max_index = 5;
  o.max_orders = 2;
  o.max_certificates = 2;
  o.max_fields = 4;
  return error_is("errorCode=0&6_orderNumber=1", response_errc::index_too_large, o) &&
         gdos::parse_response("errorCode=0&5_orderNumber=1", o).has_value() &&
         error_is("errorCode=0&1_x=1&2_x=1&3_x=1", response_errc::too_many_orders, o) &&
         error_is("errorCode=0&1_1_x=1&1_2_x=1&1_3_FQDN=1", response_errc::too_many_certificates,
                  o) &&
         error_is("errorCode=0&a=1&b=1&c=1&d=1", response_errc::too_many_fields, o) &&
         gdos::parse_response("errorCode=0&a=1&&&&b=1&c=1", o).has_value();
}

constexpr bool keys_are_decoded_before_they_are_classified() {
  const auto r = gdos::parse_response(
      "error%43ode=0&%31_orderNumber=5&1%5F1%5FFQDN=a&1_2_FQD%4E=b&1_1_csr%53tatus=%2D1"
      "&1_suggested+OrgDetails=x");
  if (!r || r->orders.size() != 1) return false;
  const auto& o = r->orders[0];
  return o.number == 5 && o.certificates.size() == 2 && o.certificates[0].fqdn->encoded() == "a" &&
         o.certificates[1].fqdn->encoded() == "b" &&
         o.certificates[0].csr_status == progress_status::not_required &&
         // '+' is a space: "suggested OrgDetails" is not a known name.
         !o.suggested_org_details && r->unknown_fields.size() == 1 &&
         r->unknown_fields[0].name.equals_decoded("suggested OrgDetails") &&
         r->unknown_fields[0].name.encoded() == "suggested+OrgDetails";
}

}  // namespace

TEST_CASE(
    "orders and certificates come back in index order, with sparse indices, keys in any order") {
  CHECK_BOTH_WAYS_ON(orders_and_certificates_come_back_in_index_order, shuffled_sparse);
  CHECK_BOTH_WAYS(keys_going_back_to_new_indices_still_give_sorted_orders);
}

TEST_CASE("an index that is 0, signed, zero-led, overflowing or over the limit is a strict error") {
  CHECK_BOTH_WAYS(bad_indices_are_typed_errors_in_strict_mode);
  CHECK_BOTH_WAYS(the_index_limit_is_an_option);
}

TEST_CASE("lenient mode keeps a key with a bad index as an unknown top-level field") {
  CHECK_BOTH_WAYS(lenient_mode_keeps_bad_indices_as_top_level_fields);
}

TEST_CASE("keys are percent-decoded before their index and name are read") {
  CHECK_BOTH_WAYS(keys_are_decoded_before_they_are_classified);
}

TEST_CASE("many keys out of order still give every order and certificate, sorted") {
  // 300 certificates and 200 orders, each index first met after larger ones.
  // (Appends rather than "literal" + std::string: g++ 12 -O2 -std=c++23 warns wrongly about the
  // latter, -Wrestrict, GCC bug 105329.)
  std::string body = "errorCode=0";
  for (int y = 300; y >= 1; --y)
    body.append("&1_").append(std::to_string(y)).append("_FQDN=c").append(std::to_string(y));
  for (int x = 201; x >= 2; --x)
    body.append("&").append(std::to_string(x)).append("_orderNumber=").append(std::to_string(x));
  for (int y = 1; y <= 300; y += 7)
    body.append("&1_").append(std::to_string(y)).append("_dcvStatus=2");
  const gdos_test::guarded_input in(body);
  const auto r = gdos::parse_response(in.view());
  REQUIRE(r);
  REQUIRE(r->orders.size() == 201);
  for (std::uint32_t x = 1; x <= 201; ++x) {
    CHECK(r->orders[x - 1].index == x);
    if (x > 1) CHECK(r->orders[x - 1].number == static_cast<std::int64_t>(x));
  }
  const auto& certs = r->orders[0].certificates;
  REQUIRE(certs.size() == 300);
  for (std::uint32_t y = 1; y <= 300; ++y) {
    CHECK(certs[y - 1].index == y);
    CHECK(certs[y - 1].fqdn->decode() == std::string("c").append(std::to_string(y)));
    CHECK(certs[y - 1].dcv_status.has_value() == ((y - 1) % 7 == 0));
  }
}

// ---- allocation ---------------------------------------------------------------------------------

TEST_CASE("allocation follows the number of orders and certificates, never an index's value") {
  gdos::parse_options o;
  o.max_index = std::numeric_limits<std::uint32_t>::max();
  std::uint64_t small = 0;
  std::uint64_t huge = 0;
  {
    const gdos_test::guarded_input in("errorCode=0&1_1_FQDN=x");
    const gdos_test::allocation_scope scope;
    const auto r = gdos::parse_response(in.view(), o);
    small = scope.count();
    REQUIRE(r);
  }
  {
    const gdos_test::guarded_input in("errorCode=0&999999999_1_FQDN=x");
    const gdos_test::allocation_scope scope;
    const auto r = gdos::parse_response(in.view(), o);
    huge = scope.count();
    REQUIRE(r);
    CHECK(r->orders.size() == 1);
    CHECK(r->orders[0].index == 999999999);
    CHECK(r->orders[0].certificates[0].fqdn->encoded() == "x");
  }
  // One vector of orders, one of certificates: nothing that grows with 999999999.
  CHECK(small == 2);
  CHECK(huge == small);
  {
    const gdos_test::guarded_input in("errorCode=0&4000000000_4000000000_FQDN=x");
    const gdos_test::allocation_scope scope;
    CHECK(gdos::parse_response(in.view(), o).has_value());
    CHECK(scope.count() == small);
  }
}

TEST_CASE("a reply of 2 orders of 3 certificates allocates once per vector, in place or not") {
  std::string body = "errorCode=0";
  for (int x = 1; x <= 2; ++x)
    for (int y = 1; y <= 3; ++y)
      for (const char* f : {"FQDN=a", "csrStatus=1", "slId=5", "validityPeriodStart=x"})
        body.append("&")
            .append(std::to_string(x))
            .append("_")
            .append(std::to_string(y))
            .append("_")
            .append(f);
  {
    const gdos_test::guarded_input in(body);
    const gdos_test::allocation_scope scope;
    const auto r = gdos::parse_response(in.view());
    REQUIRE(r);
    CHECK(r->unknown_fields.size() == 12);
    // orders, 2 certificate vectors, unknown fields.
    CHECK(scope.count() == 4);
  }
  {
    gdos_test::guarded_buffer buf(body.size(), body);
    const gdos_test::allocation_scope scope;
    const auto r = gdos::parse_response_in_place(std::span<char>(buf.data(), buf.size()));
    REQUIRE(r);
    CHECK(scope.count() == 4);
  }
}

// ---- unknown fields ----------------------------------------------------------------------------

namespace {

constexpr std::string_view with_unknown_fields =
    "errorCode=0&apiVersion=2&1_orderNumber=5&1_1_FQDN=a&1_1_slId=77&1_1_validityPeriodStart="
    "2025-06-01+00%3A00%3A00&1_upsTrackingID=1Z&1_2_qualysCreationDate=d&2_1_slId=88"
    "&1_shippingAddress=here&trailer=yes";

constexpr bool unknown_fields_are_kept_in_order_at_their_level(std::string_view body) {
  const auto r = gdos::parse_response(body);
  if (!r || r->unknown_fields.size() != 8) return false;
  const auto names = [](auto view) {
    std::vector<std::string_view> out;
    for (const auto& u : view) out.push_back(u.name.encoded());
    return out;
  };
  const auto top = names(r->unknown_fields_of());
  const auto order1 = names(r->unknown_fields_of(1));
  const auto cert11 = names(r->unknown_fields_of(1, 1));
  const auto cert12 = names(r->unknown_fields_of(1, 2));
  const auto cert21 = names(r->unknown_fields_of(2, 1));
  // Order 2 and certificate 1_2 exist only through their unknown fields.
  return top == std::vector{"apiVersion"sv, "trailer"sv} &&
         order1 == std::vector{"upsTrackingID"sv, "shippingAddress"sv} &&
         cert11 == std::vector{"slId"sv, "validityPeriodStart"sv} &&
         cert12 == std::vector{"qualysCreationDate"sv} && cert21 == std::vector{"slId"sv} &&
         r->unknown_fields_of(2).empty() && r->orders.size() == 2 &&
         r->orders[0].certificates.size() == 2 && r->orders[1].certificates.size() == 1 &&
         r->unknown_fields[2].value.equals_decoded("2025-06-01 00:00:00");
}

}  // namespace

TEST_CASE("unknown fields are kept in order at their level: reply, order, certificate") {
  CHECK_BOTH_WAYS_ON(unknown_fields_are_kept_in_order_at_their_level, with_unknown_fields);
}

// ---- duplicates -------------------------------------------------------------------------------

namespace {

constexpr bool duplicate_keys_are_strict_errors() {
  const auto dup_at = [](std::string_view body, std::string_view key) {
    const auto r = gdos::parse_response(body);
    return !r && r.error().code == response_errc::duplicate_key && r.error().key == key;
  };
  return dup_at("errorCode=0&errorCode=1", "errorCode") &&
         dup_at("errorCode=0&errorMessage=a&errorMessage=b", "errorMessage") &&
         dup_at("errorCode=0&1_orderNumber=1&1_orderNumber=1", "1_orderNumber") &&
         dup_at("errorCode=0&1_1_FQDN=a&1_1_FQD%4E=b", "1_1_FQD%4E") &&
         dup_at("errorCode=0&1_1_csrStatus=1&1_1_csrStatus=1", "1_1_csrStatus") &&
         dup_at("errorCode=0&1_1_slId=1&1_1_slId=2", "1_1_slId") &&
         dup_at("errorCode=0&x=1&x=2", "x") &&
         // Same name after decoding.
         dup_at("errorCode=0&1_a+b=1&1_a%20b=2", "1_a%20b") &&
         // Different levels are different fields.
         gdos::parse_response("errorCode=0&slId=1&1_slId=1&1_1_slId=1&1_2_slId=1").has_value();
}

constexpr bool the_last_duplicate_wins_in_lenient_mode() {
  const auto r = gdos::parse_response(
      "errorCode=1&errorCode=0&1_1_FQDN=a&1_1_FQD%4E=b&1_1_slId=1&1_1_sl%49d=2&x=1&x=3", lenient());
  return r && r->ok() && r->orders[0].certificates[0].fqdn->encoded() == "b" &&
         r->unknown_fields.size() == 2 && r->unknown_fields[0].name.encoded() == "slId" &&
         r->unknown_fields[0].value.encoded() == "2" && r->unknown_fields[1].value.encoded() == "3";
}

// A level met again after others, or a long run of unknown fields, is checked once at the end.
constexpr bool duplicates_far_apart_are_found_too() {
  std::string_view interleaved = "errorCode=0&1_a=1&2_a=2&1_b=1&1_a=3";
  const auto s = gdos::parse_response(interleaved);
  const auto l = gdos::parse_response(interleaved, lenient());
  if (s || s.error().code != response_errc::duplicate_key || s.error().key != "a") return false;
  if (!l || l->unknown_fields.size() != 3) return false;
  const auto& u = l->unknown_fields;
  return u[0].order == 1 && u[0].name.encoded() == "a" && u[0].value.encoded() == "3" &&
         u[1].order == 2 && u[1].value.encoded() == "2" && u[2].name.encoded() == "b";
}

constexpr std::string_view long_run =
    "errorCode=0&1_1_u1=a&1_1_u2=a&1_1_u3=a&1_1_u4=a&1_1_u5=a&1_1_u6=a&1_1_u7=a&1_1_u8=a"
    "&1_1_u9=a&1_1_u10=a&1_1_u11=a&1_1_u12=a&1_1_u13=a&1_1_u14=a&1_1_u15=a&1_1_u16=a"
    "&1_1_u17=a&1_1_u18=a&1_1_u%31=z&1_1_u19=a";

constexpr bool duplicates_in_a_long_run_are_found_too(std::string_view body) {
  const auto s = gdos::parse_response(body);
  const auto l = gdos::parse_response(body, lenient());
  return !s && s.error().code == response_errc::duplicate_key && s.error().key == "u%31" && l &&
         l->unknown_fields.size() == 19 && l->unknown_fields[0].value.encoded() == "z" &&
         l->unknown_fields[18].name.encoded() == "u19";
}

}  // namespace

TEST_CASE("duplicate keys are a strict error; in lenient mode the last one wins") {
  CHECK_BOTH_WAYS(duplicate_keys_are_strict_errors);
  CHECK_BOTH_WAYS(the_last_duplicate_wins_in_lenient_mode);
  CHECK_BOTH_WAYS(duplicates_far_apart_are_found_too);
  CHECK_BOTH_WAYS_ON(duplicates_in_a_long_run_are_found_too, long_run);
}

// ---- values -------------------------------------------------------------------------------------

namespace {

constexpr bool values_that_do_not_parse_are_strict_errors_and_lenient_unknowns() {
  constexpr std::string_view body =
      "errorCode=0&1_orderNumber=12a&1_1_csrStatus=&1_1_dcvStatus=1&1_1_dcvStatus=x"
      "&1_1_ovCallBackStatus=99999999999";
  const auto s = gdos::parse_response(body);
  const auto l = gdos::parse_response(body, lenient());
  if (s || s.error().code != response_errc::invalid_value || s.error().key != "1_orderNumber")
    return false;
  if (!l || l->unknown_fields.size() != 4) return false;
  const auto& u = l->unknown_fields;
  const auto& c = l->orders[0].certificates[0];
  return !l->orders[0].number && u[0].order == 1 && u[0].certificate == 0 &&
         u[0].name.encoded() == "orderNumber" && u[0].value.encoded() == "12a" &&
         u[1].certificate == 1 && u[1].name.encoded() == "csrStatus" && u[1].value.empty() &&
         c.dcv_status == progress_status::completed && u[2].value.encoded() == "x" &&
         u[3].name.encoded() == "ovCallBackStatus" && !c.ov_callback_status;
}

constexpr bool order_numbers_are_64_bit_integers() {
  const auto r = gdos::parse_response(
      "errorCode=0&1_orderNumber=9223372036854775807&2_orderNumber=-9223372036854775808"
      "&3_orderNumber=%31%32");
  return r && r->orders[0].number == std::numeric_limits<std::int64_t>::max() &&
         r->orders[1].number == std::numeric_limits<std::int64_t>::min() &&
         r->orders[2].number == 12 &&
         error_is("errorCode=0&1_orderNumber=9223372036854775808", response_errc::invalid_value);
}

constexpr bool date_times_parse_without_inventing_a_time_zone() {
  using gdos::parse_date_time;
  return parse_date_time("2025-06-11 11:57"sv) == at(2025, 6, 11, 11, 57) &&
         parse_date_time("2024-02-29 23:59:59"sv) == at(2024, 2, 29, 23, 59, 59) &&
         parse_date_time(form::encoded_view("2025-06-11+11%3A57")) == at(2025, 6, 11, 11, 57) &&
         !parse_date_time("2025-02-29 10:00"sv) && !parse_date_time("2025-06-11T11:57"sv) &&
         !parse_date_time("2025-6-11 11:57"sv) && !parse_date_time("2025-06-11 24:00"sv) &&
         !parse_date_time("2025-06-11 11:60"sv) && !parse_date_time("2025-06-11 11:57:60"sv) &&
         !parse_date_time("2025-06-11 11:57:5"sv) && !parse_date_time(""sv) &&
         !parse_date_time(form::encoded_view("2025-06-11+11%3A57%3A00%3A00"));
}

}  // namespace

TEST_CASE("a value that does not parse as its type is a strict error and a lenient unknown field") {
  CHECK_BOTH_WAYS(values_that_do_not_parse_are_strict_errors_and_lenient_unknowns);
  CHECK_BOTH_WAYS(order_numbers_are_64_bit_integers);
}

TEST_CASE("orderDateTime parses into local date and time values without a time zone") {
  CHECK_BOTH_WAYS(date_times_parse_without_inventing_a_time_zone);
}

// ---- suggestedOrgDetails ------------------------------------------------------------------------

namespace {

// "Acme & Sons = Widgets" and "+1 555": the inner list encodes them, the outer value again.
constexpr std::string_view with_org_details =
    "errorCode=0&1_orderStatus=Issued&1_suggestedOrgDetails=Status%3DFound%261_organizationName"
    "%3DAcme%2B%2526%2BSons%2B%253D%2BWidgets%261_countryName%3DGB%261_telephoneNumber%3D%252B1"
    "%2B555%262_organizationName%3DBeta%262_dunsNumber%3D123456789%262_foo%3Dbar";

constexpr bool org_details_survive_the_double_decoding(std::string_view body) {
  const auto r = gdos::parse_response(body);
  if (!r || !r->orders[0].suggested_org_details) return false;
  const form::encoded_view outer = *r->orders[0].suggested_org_details;
  std::array<char, 256> list{};
  const auto d = gdos::parse_org_details(outer, list);
  if (!d || d->status_kind() != gdos::org_status::found || d->matches.size() != 2) return false;
  const auto& m1 = d->matches[0];
  const auto& m2 = d->matches[1];
  return m1.index == 1 && m1.organization_name->equals_decoded("Acme & Sons = Widgets") &&
         m1.organization_name->encoded() == "Acme+%26+Sons+%3D+Widgets" &&
         m1.country_name->equals_decoded("GB") && m1.telephone_number->equals_decoded("+1 555") &&
         !m1.street_address && m2.index == 2 && m2.organization_name->equals_decoded("Beta") &&
         m2.duns_number->equals_decoded("123456789") && d->unknown_fields.size() == 1 &&
         d->unknown_fields[0].match == 2 && d->unknown_fields[0].name.encoded() == "foo" &&
         !d->unknown_fields_of(2).empty() && d->unknown_fields_of(1).empty();
}

constexpr bool org_status_values_are_classified() {
  const auto kind = [](std::string_view list) {
    const auto d = gdos::parse_org_details(list, lenient());
    return d ? d->status_kind() : gdos::org_status::other;
  };
  return kind("Status=Found") == gdos::org_status::found &&
         kind("Status=NotFound") == gdos::org_status::not_found &&
         kind("Status=NotYetCompleted") == gdos::org_status::not_yet_completed &&
         kind("Status=NotApplicable") == gdos::org_status::not_applicable &&
         kind("Status=Maybe") == gdos::org_status::other &&
         kind("1_organizationName=x") == gdos::org_status::missing &&
         gdos::wire_name(gdos::org_status::not_yet_completed) == "NotYetCompleted" &&
         gdos::to_string(gdos::org_status::not_applicable) == "not_applicable";
}

constexpr bool unindexed_org_names_count_as_match_1() {
  const auto d = gdos::parse_org_details(
      "Status=Found&organizationName=A&postalCode=1&2_organizationName=B&extra=1&1_Status=x");
  if (!d || d->matches.size() != 2) return false;
  return d->matches[0].index == 1 && d->matches[0].organization_name->encoded() == "A" &&
         d->matches[0].postal_code->encoded() == "1" &&
         d->matches[1].organization_name->encoded() == "B" && d->unknown_fields.size() == 2 &&
         d->unknown_fields[0].match == 0 && d->unknown_fields[0].name.encoded() == "extra" &&
         d->unknown_fields[1].match == 1 && d->unknown_fields[1].name.encoded() == "Status" &&
         // match 1 twice, once un-indexed
         gdos::parse_org_details("Status=Found&organizationName=A&1_organizationName=B")
                 .error()
                 .code == response_errc::duplicate_key &&
         gdos::parse_org_details("Status=Found&organizationName=A&1_organizationName=B", lenient())
             .value()
             .matches[0]
             .organization_name->equals_decoded("B");
}

constexpr bool org_details_errors_are_typed() {
  std::array<char, 4> small{};
  const auto b = gdos::parse_org_details(form::encoded_view("Status%3DFound"), small);
  gdos::parse_options few;
  few.max_org_matches = 1;
  return b.error().code == response_errc::buffer_too_small &&
         gdos::parse_org_details("1_organizationName=x").error().code ==
             response_errc::missing_org_status &&
         gdos::parse_org_details("Status=a&Status=b").error().code ==
             response_errc::duplicate_key &&
         gdos::parse_org_details("Status=a&0_organizationName=b").error().code ==
             response_errc::index_zero &&
         gdos::parse_org_details("Status=a&1_x=1&2_x=1", few).error().code ==
             response_errc::too_many_matches &&
         gdos::parse_org_details("Status=a&0_organizationName=b", lenient())
                 .value()
                 .unknown_fields[0]
                 .name.encoded() == "0_organizationName";
}

constexpr bool org_details_parse_in_place_to_plain_text() {
  std::array<char, 64> buf{};
  constexpr std::string_view list = "Status=Found&1_organizationName=A%26B+%2541&1_x%3Dy=1";
  std::copy(list.begin(), list.end(), buf.begin());
  const auto d = gdos::parse_org_details_in_place(std::span<char>(buf.data(), list.size()));
  return d && *d->status == "Found" && *d->matches[0].organization_name == "A&B %41" &&
         d->unknown_fields[0].name == "x=y" && d->unknown_fields[0].match == 1;
}

}  // namespace

TEST_CASE("suggestedOrgDetails is parsed on demand, and %26 or %3D in a name survives") {
  CHECK_BOTH_WAYS_ON(org_details_survive_the_double_decoding, with_org_details);
  // The same through a std::string the caller owns.
  const gdos_test::guarded_input in(with_org_details);
  const auto r = gdos::parse_response(in.view());
  REQUIRE(r);
  const std::string list = r->orders[0].suggested_org_details->decode();
  const auto d = gdos::parse_org_details(list);
  REQUIRE(d);
  CHECK(d->matches[0].organization_name->decode() == "Acme & Sons = Widgets");
}

TEST_CASE("decoding the whole body first, the naive way, corrupts suggestedOrgDetails") {
  const gdos_test::guarded_input in(with_org_details);
  // Decoded once as a whole, the inner list's '&' and '=' split the outer body: the value is
  // cut to "Status=Found" and the matches' fields become fields of orders 1 and 2.
  const std::string once = form::decode(in.view());
  const auto r1 = gdos::parse_response(once, lenient());
  REQUIRE(r1);
  CHECK(r1->orders[0].suggested_org_details->decode() == "Status=Found");
  CHECK(r1->orders.size() == 2);
  // Decoded twice as a whole, the '&' inside the organization's name splits it too.
  const std::string twice = form::decode(once);
  const auto r2 = gdos::parse_response(twice, lenient());
  REQUIRE(r2);
  std::string name;
  for (const auto& u : r2->unknown_fields_of(1))
    if (u.name.decode() == "organizationName") name = u.value.decode();
  CHECK(name == "Acme ");
}

TEST_CASE("Status is classified, other text kept; un-indexed names count as match 1") {
  CHECK_BOTH_WAYS(org_status_values_are_classified);
  CHECK_BOTH_WAYS(unindexed_org_names_count_as_match_1);
}

TEST_CASE("suggestedOrgDetails errors are typed, including a buffer too small") {
  CHECK_BOTH_WAYS(org_details_errors_are_typed);
}

TEST_CASE("parse_org_details_in_place decodes each string once, in the caller's memory") {
  CHECK_BOTH_WAYS(org_details_parse_in_place_to_plain_text);
}

// ---- in place -----------------------------------------------------------------------------------

namespace {

template <std::size_t N>
struct mutable_text {
  std::array<char, N> buf{};
  std::size_t size = 0;
  constexpr explicit mutable_text(std::string_view s) : size(s.size()) {
    std::copy(s.begin(), s.end(), buf.begin());
  }
  constexpr std::span<char> span() { return {buf.data(), size}; }
};

constexpr bool in_place_strings_are_decoded_exactly_once() {
  mutable_text<128> t(
      "errorCode=0&1_1_FQDN=a%2541&1_1_objectType=SSL+Certificate&1_1_x%2B=%26"
      "&1_orderStatus=Pending");
  const auto r = gdos::parse_response_in_place(t.span());
  if (!r) return false;
  const auto& c = r->orders[0].certificates[0];
  return *c.fqdn == "a%41" && *c.object_type == "SSL Certificate" &&
         r->unknown_fields[0].name == "x+" && r->unknown_fields[0].value == "&" &&
         *r->orders[0].status == "Pending";
}

constexpr bool in_place_and_lazy_parses_are_equal(std::string_view body) {
  std::array<char, 1024> buf{};
  std::copy(body.begin(), body.end(), buf.begin());
  const auto lazy = gdos::parse_response(body);
  const auto plain = gdos::parse_response_in_place(std::span<char>(buf.data(), body.size()));
  return lazy && plain && *lazy == *plain && *plain == *lazy;
}

constexpr bool in_place_errors_match_lazy_ones() {
  mutable_text<64> t("errorCode=0&1_0%5FFQDN=x");
  const auto r = gdos::parse_response_in_place(t.span());
  return !r && r.error().code == response_errc::index_zero && r.error().offset == 12 &&
         r.error().key == "1_0_FQDN";
}

}  // namespace

TEST_CASE("the in-place parser decodes every string exactly once into plain views") {
  CHECK_BOTH_WAYS(in_place_strings_are_decoded_exactly_once);
  CHECK_BOTH_WAYS(in_place_errors_match_lazy_ones);
  CHECK_BOTH_WAYS_ON(in_place_and_lazy_parses_are_equal, full_reply);
  CHECK_BOTH_WAYS_ON(in_place_and_lazy_parses_are_equal, with_unknown_fields);
  CHECK_BOTH_WAYS_ON(in_place_and_lazy_parses_are_equal, with_org_details);
  CHECK_BOTH_WAYS_ON(in_place_and_lazy_parses_are_equal, shuffled_sparse);
  gdos_test::guarded_buffer buf(full_reply.size(), full_reply);
  const auto r = gdos::parse_response_in_place(std::span<char>(buf.data(), buf.size()));
  REQUIRE(r);
  CHECK(*r->orders[0].certificates[0].object_type == "SSL Certificate");
}

// ---- writing ------------------------------------------------------------------------------------

namespace {

template <std::size_t N>
struct written {
  std::array<char, N> buf{};
  form::write_result result{};
  [[nodiscard]] constexpr std::string_view view() const { return {buf.data(), result.size}; }
};

template <std::size_t N, class R>
constexpr written<N> write(const R& r) {
  written<N> w;
  w.result = gdos::write_response(r, w.buf);
  return w;
}

// A canonical body (what the writer produces) comes back byte for byte.
constexpr bool parsed_replies_are_written_back_byte_for_byte(std::string_view body) {
  const auto r = gdos::parse_response(body);
  if (!r) return false;
  const auto w = write<1024>(*r);
  return w.result.ok && w.view() == body;
}

constexpr std::string_view canonical =
    "errorCode=0&apiVersion=2&1_orderNumber=5&1_orderStatus=Pending&1_upsTrackingID=1Z"
    "&1_1_FQDN=a.example&1_1_csrStatus=-1&1_1_slId=77&1_2_FQDN=b&2_1_slId=88";

constexpr bool error_replies_are_written() {
  const auto w = write<128>(gdos::make_error_response(
      api_code::missing_argument, "The 'loginName' argument is missing!", "loginName"));
  const auto e = write<64>(gdos::make_error_response(api_code::permission_denied, "Denied"));
  return w.view() ==
             "errorCode=-3&errorMessage=The+%27loginName%27+argument+is+missing%21"
             "&errorItem=loginName" &&
         e.view() == "errorCode=-16&errorMessage=Denied";
}

constexpr bool the_writer_never_truncates() {
  const auto r = gdos::make_error_response(api_code::permission_denied, "Denied");
  std::array<char, 33> exact{};
  std::array<char, 32> one_short{};
  exact.fill('#');
  one_short.fill('#');
  const auto a = gdos::write_response(r, exact);
  const auto b = gdos::write_response(r, one_short);
  return a.ok && a.size == 33 && !b.ok && b.size == 33 &&
         std::all_of(one_short.begin(), one_short.end(), [](char c) { return c == '#'; });
}

// A reply built from plain strings, with a nested org list written by write_org_details().
constexpr bool a_built_reply_round_trips_with_nested_org_details() {
  gdos::decoded_org_details d;
  d.status = "Found";
  d.matches.resize(2);
  d.matches[0].index = 1;
  d.matches[0].organization_name = "A&B = C, Ltd.";
  d.matches[0].telephone_number = "+44 20 7946 0000";
  d.matches[1].index = 3;
  d.matches[1].country_name = "GB";
  d.unknown_fields.push_back({3, "newField", "v&1"});
  d.unknown_fields.push_back({0, "note", "100%"});
  std::array<char, 256> inner{};
  const auto wi = gdos::write_org_details(d, inner);
  if (!wi) return false;
  const std::string_view list(inner.data(), wi.size);

  gdos::decoded_response r;
  r.error_code = api_code::success;
  r.orders.resize(2);
  r.orders[0].index = 1;
  r.orders[0].number = 7250060;
  r.orders[0].date_time = "2025-06-11 11:57";
  r.orders[0].status = "Issued";
  r.orders[0].suggested_org_details = list;
  r.orders[0].certificates.resize(1);
  r.orders[0].certificates[0].index = 2;
  r.orders[0].certificates[0].fqdn = "*.example.com";
  r.orders[0].certificates[0].ov_callback_status = progress_status::in_progress;
  r.orders[1].index = 4;
  r.orders[1].status_reason = "";
  r.unknown_fields.push_back({1, 2, "slId", "42"});
  r.unknown_fields.push_back({0, 0, "apiVersion", "2"});
  r.unknown_fields.push_back({4, 0, "upsTrackingID", "1Z 99"});

  const auto w = write<1024>(r);
  if (!w.result) return false;
  const auto back = gdos::parse_response(w.view());
  if (!back || !(*back == r)) return false;
  std::array<char, 256> buf{};
  const auto d2 = gdos::parse_org_details(*back->orders[0].suggested_org_details, buf);
  return d2 && *d2 == d && d2->matches[0].organization_name->equals_decoded("A&B = C, Ltd.") &&
         w.view().find("1_suggestedOrgDetails=Status%3DFound%26") != std::string_view::npos &&
         // '&' inside the name: encoded by the inner writer, encoded again by the outer one.
         w.view().find("A%2526B") != std::string_view::npos;
}

constexpr bool views_not_in_serialized_form_are_reencoded() {
  gdos::response r;
  r.error_message = form::encoded_view("a&b=c");
  r.unknown_fields.push_back({0, 0, form::encoded_view("k%7e"), form::encoded_view("50%")});
  const auto w = write<128>(r);
  const auto back = gdos::parse_response(w.view());
  return w.view() == "errorCode=0&errorMessage=a%26b%3Dc&k%7e=50%25" && back && *back == r;
}

constexpr bool equality_compares_decoded_text_and_levels_not_interleaving() {
  const auto a = gdos::parse_response("errorCode=0&x=1&1_y=2&z=3&1_1_w=4");
  const auto b = gdos::parse_response("errorCode=0&1_1_w=4&1_y=%32&x=1&z=3");
  const auto c = gdos::parse_response("errorCode=0&z=3&x=1&1_y=2&1_1_w=4");
  const auto d = gdos::parse_response("errorCode=0&x=1&1_y=2&z=3&1_2_w=4");
  return a && b && c && d && *a == *b && !(*a == *c) && *a != *d;
}

}  // namespace

TEST_CASE("a parsed reply is written back byte for byte when it was written canonically") {
  CHECK_BOTH_WAYS_ON(parsed_replies_are_written_back_byte_for_byte, canonical);
  CHECK_BOTH_WAYS_ON(parsed_replies_are_written_back_byte_for_byte, full_reply);
  CHECK_BOTH_WAYS_ON(parsed_replies_are_written_back_byte_for_byte, with_org_details);
}

TEST_CASE("error replies are written, and a short buffer gets nothing and the size it needs") {
  CHECK_BOTH_WAYS(error_replies_are_written);
  CHECK_BOTH_WAYS(the_writer_never_truncates);
}

TEST_CASE(
    "a built reply with orders, certificates, nested org details and unknown fields round-trips") {
  CHECK_BOTH_WAYS(a_built_reply_round_trips_with_nested_org_details);
  CHECK_BOTH_WAYS(views_not_in_serialized_form_are_reencoded);
}

TEST_CASE("equality compares decoded text, and unknown fields level by level") {
  CHECK_BOTH_WAYS(equality_compares_decoded_text_and_levels_not_interleaving);
}

#if GDOS_TEST_CONSTEXPR_STRING
static_assert(gdos::write_response(gdos::make_error_response(api_code::not_https, "x")) ==
              "errorCode=-1&errorMessage=x");
#endif

TEST_CASE("write_response and write_org_details also return std::string") {
  const auto r = gdos::parse_response(canonical);
  REQUIRE(r);
  CHECK(gdos::write_response(*r) == canonical);
  const auto d = gdos::parse_org_details("Status=Found&1_organizationName=A%26B&2_x=1");
  REQUIRE(d);
  CHECK(gdos::write_org_details(*d) == "Status=Found&1_organizationName=A%26B&2_x=1");
}

// ---- generated replies: parse(write(x)) == x ----------------------------------------------------

namespace {

struct generator {
  std::mt19937 rng;
  // Owns the text the generated views point to; a deque never moves its elements.
  std::deque<std::string> strings;

  explicit generator(unsigned seed) : rng(seed) {}

  std::size_t below(std::size_t n) {
    return std::uniform_int_distribution<std::size_t>(0, n - 1)(rng);
  }
  bool coin() { return below(2) == 0; }

  std::string_view text() {
    std::string s(below(12), '\0');
    for (char& c : s) {
      const std::size_t k = below(4);
      c = k == 0 ? static_cast<char>(below(256))  // any byte
                 : "aZ09 &=+%._-*\n\r"[below(15)];
    }
    strings.push_back(std::move(s));
    return strings.back();
  }

  std::string_view name() {
    // 'x' first: never a known name, never an index, never a sign.
    std::string s = "x";
    for (std::size_t n = below(6); n != 0; --n) s += "abcXYZ09_&= %"[below(13)];
    strings.push_back(std::move(s));
    return strings.back();
  }

  template <class T>
  std::optional<T> maybe(T v) {
    return below(3) == 0 ? std::nullopt : std::optional<T>(v);
  }

  std::vector<std::uint32_t> indices(std::size_t max_count) {
    std::vector<std::uint32_t> v;
    std::uint32_t i = 0;
    for (std::size_t n = below(max_count + 1); n != 0; --n) {
      i += static_cast<std::uint32_t>(1 + below(coin() ? 2 : 1000));
      v.push_back(i);
    }
    return v;
  }

  progress_status progress() {
    const std::size_t k = below(6);
    if (k < 4) return static_cast<progress_status>(static_cast<int>(k) - 1);
    return static_cast<progress_status>(static_cast<std::int32_t>(rng()));
  }

  gdos::decoded_response reply() {
    strings.clear();
    gdos::decoded_response r;
    r.error_code =
        coin() ? api_code::success : static_cast<api_code>(static_cast<std::int32_t>(rng()));
    r.error_message = maybe(text());
    r.error_item = maybe(text());
    r.error_detail = maybe(text());
    for (std::uint32_t x : indices(4)) {
      auto& o = r.orders.emplace_back();
      o.index = x;
      o.number = static_cast<std::int64_t>((std::uint64_t{rng()} << 32) | rng());
      o.date_time = text();
      o.status = maybe(text());
      o.status_reason = maybe(text());
      if (coin()) o.suggested_org_details = text();
      for (std::uint32_t y : indices(3)) {
        auto& c = o.certificates.emplace_back();
        c.index = y;
        c.serial_number = maybe(text());
        c.object_type = maybe(text());
        c.fqdn = text();  // never empty of fields
        c.status = maybe(text());
        c.status_reason = maybe(text());
        c.csr_status = maybe(progress());
        c.dcv_status = maybe(progress());
        c.ov_callback_status = maybe(progress());
        c.organization_validation_status = maybe(progress());
        c.free_dvup_status = maybe(progress());
        c.ev_click_through_status = maybe(progress());
      }
    }
    // Unknown fields at existing levels, in random order; names unique per level.
    std::vector<std::pair<std::uint32_t, std::uint32_t>> levels{{0, 0}};
    for (const auto& o : r.orders) {
      levels.emplace_back(o.index, 0);
      for (const auto& c : o.certificates) levels.emplace_back(o.index, c.index);
    }
    for (std::size_t n = below(8); n != 0; --n) {
      const auto [x, y] = levels[below(levels.size())];
      const std::string_view nm = name();
      bool taken = false;
      for (const auto& u : r.unknown_fields)
        taken |= u.order == x && u.certificate == y && u.name == nm;
      if (!taken) r.unknown_fields.push_back({x, y, nm, text()});
    }
    return r;
  }
};

}  // namespace

TEST_CASE("parse(write(x)) == x for generated replies, lazily and in place") {
  generator g(20250611);
  for (int i = 0; i < 2000; ++i) {
    const gdos::decoded_response r = g.reply();
    const std::string body = gdos::write_response(r);
    std::array<char, 1> tiny{};
    CHECK(gdos::write_response(r, tiny).size == body.size());
    const gdos_test::guarded_input in(body);
    const auto lazy = gdos::parse_response(in.view());
    REQUIRE_MESSAGE(lazy, body, " : ", lazy.error().message());
    CHECK_MESSAGE(*lazy == r, body);
    // The writer is a fixed point on its own output.
    CHECK(gdos::write_response(*lazy) == body);
    gdos_test::guarded_buffer buf(body.size(), body);
    const auto plain = gdos::parse_response_in_place(std::span<char>(buf.data(), buf.size()));
    REQUIRE(plain);
    CHECK(*plain == r);
  }
}

TEST_CASE("parse(write(x)) == x for generated suggestedOrgDetails lists") {
  generator g(7);
  for (int i = 0; i < 1000; ++i) {
    g.strings.clear();
    gdos::decoded_org_details d;
    d.status = g.coin() ? "Found"sv : g.text();
    for (std::uint32_t m : g.indices(3)) {
      auto& x = d.matches.emplace_back();
      x.index = m;
      x.organization_name = g.text();
      x.street_address = g.maybe(g.text());
      x.locality_name = g.maybe(g.text());
      x.state_or_province_name = g.maybe(g.text());
      x.postal_code = g.maybe(g.text());
      x.country_name = g.maybe(g.text());
      x.duns_number = g.maybe(g.text());
      x.telephone_number = g.maybe(g.text());
    }
    for (std::size_t n = g.below(4); n != 0; --n) {
      const std::uint32_t m =
          d.matches.empty() || g.coin() ? 0 : d.matches[g.below(d.matches.size())].index;
      const std::string_view nm = g.name();
      bool taken = false;
      for (const auto& u : d.unknown_fields) taken |= u.match == m && u.name == nm;
      if (!taken) d.unknown_fields.push_back({m, nm, g.text()});
    }
    const std::string list = gdos::write_org_details(d);
    const gdos_test::guarded_input in(list);
    const auto back = gdos::parse_org_details(in.view());
    REQUIRE_MESSAGE(back, list);
    CHECK_MESSAGE(*back == d, list);
    CHECK(gdos::write_org_details(*back) == list);
  }
}

// ---- the field tables agree ---------------------------------------------------------------------

// Adds nothing but a proof that the places known fields go through agree, for every row of every
// table (detail/reply_fields.hpp): the fast-path matcher and the slow lookup find the row from its
// name; the row's member is the only one it sets; the writer writes the row's name; and the
// parser, reading that text (and again with the name's first letter escaped, which takes the slow
// path), stores the value back into the same member.
namespace tables {

using gdos::detail::field_row;
using gdos::detail::value_kind;

// Sets the field of `row` in `rec` to its test value.
template <class Record>
constexpr void set_field(Record& rec, const field_row<Record>& row) {
  using gdos::detail::has_kind;
  switch (row.kind) {
    case value_kind::text:
      if constexpr (has_kind<Record>(value_kind::text)) rec.*row.text = "v";
      break;
    case value_kind::progress:
      if constexpr (has_kind<Record>(value_kind::progress))
        rec.*row.progress = progress_status::in_progress;
      break;
    case value_kind::number:
      if constexpr (has_kind<Record>(value_kind::number)) rec.*row.number = 7;
      break;
    case value_kind::code:
      if constexpr (has_kind<Record>(value_kind::code)) rec.*row.code = static_cast<api_code>(-7);
      break;
  }
}

// How the writer spells the test value of a field of kind k.
constexpr std::string_view value_text(value_kind k) {
  switch (k) {
    case value_kind::text:
      return "v";
    case value_kind::progress:
      return "2";
    case value_kind::number:
      return "7";
    case value_kind::code:
      return "-7";
  }
  return {};
}

// `name=value` found as row `i` of Record (both string types) by the fast path and the lookup.
template <template <class> class Record>
constexpr bool matched_as(std::string_view pair, std::size_t i) {
  const std::string_view name = pair.substr(0, pair.find('='));
  const char* vb = nullptr;
  const char* q = pair.data();
  return gdos::detail::match_row<Record<form::encoded_view>>(q, q + pair.size(), vb) == i &&
         vb == q + name.size() + 1 &&
         gdos::detail::match_row<Record<std::string_view>>(q, q + pair.size(), vb) == i &&
         gdos::detail::lookup_row<Record<form::encoded_view>>(name) == i &&
         gdos::detail::lookup_row<Record<std::string_view>>(name) == i;
}

// Only row i of Record is present in rec (errorCode, always present, aside).
template <class Record>
constexpr bool only_row(const Record& rec, std::size_t i) {
  const auto& rows = gdos::detail::rows_of<Record>;
  for (std::size_t j = 0; j < rows.size(); ++j)
    if (rows[j].kind != value_kind::code && gdos::detail::is_present(rec, rows[j]) != (i == j))
      return false;
  return true;
}

// `text` with its first occurrence of `name` starting with an escaped letter (`%64cvStatus`).
struct escaped_text {
  std::array<char, 128> buf{};
  std::size_t size = 0;
  constexpr escaped_text(std::string_view text, std::string_view name) {
    const std::size_t at = text.find(name);
    for (std::size_t i = 0; i < text.size(); ++i) {
      if (i == at) {
        const auto c = static_cast<unsigned char>(text[i]);
        buf[size++] = '%';
        buf[size++] = "0123456789ABCDEF"[c >> 4];
        buf[size++] = "0123456789ABCDEF"[c & 15];
      } else {
        buf[size++] = text[i];
      }
    }
  }
  [[nodiscard]] constexpr std::string_view view() const { return {buf.data(), size}; }
};

// Every row of a reply level: a reply with that field alone is written, matched and parsed back.
// `prefix` is the key prefix of the level; `at` adds the record of the level to a reply.
template <template <class> class Record, class At>
constexpr bool reply_rows_agree(std::string_view prefix, const At& at) {
  const auto& rows = gdos::detail::rows_of<Record<std::string_view>>;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    gdos::decoded_response r;
    Record<std::string_view>& rec = at(r);
    set_field(rec, rows[i]);
    if (!only_row(rec, i)) return false;
    std::array<char, 128> buf{};
    const auto w = gdos::write_response(r, buf);
    const std::string_view body(buf.data(), w.size);
    // errorCode leads every body; the field follows it unless it is errorCode itself.
    const std::string_view pair =
        rows[i].kind == value_kind::code ? body : body.substr(body.find('&') + 1 + prefix.size());
    if (!w || !pair.starts_with(rows[i].name) || pair[rows[i].name.size()] != '=' ||
        pair.substr(rows[i].name.size() + 1) != value_text(rows[i].kind) ||
        !matched_as<Record>(pair, i))
      return false;
    const auto back = gdos::parse_response(body);
    const escaped_text escaped(body, rows[i].name);
    const auto back_escaped = gdos::parse_response(escaped.view());
    if (!back || !(*back == r) || !back_escaped || !(*back_escaped == r)) return false;
  }
  return true;
}

constexpr bool top_rows_agree() {
  return reply_rows_agree<gdos::basic_response>(
      "", [](gdos::decoded_response& r) -> gdos::decoded_response& { return r; });
}
constexpr bool order_rows_agree() {
  return reply_rows_agree<gdos::basic_order>("1_",
                                             [](gdos::decoded_response& r) -> gdos::decoded_order& {
                                               r.orders.emplace_back().index = 1;
                                               return r.orders[0];
                                             });
}
constexpr bool certificate_rows_agree() {
  return reply_rows_agree<gdos::basic_certificate>(
      "1_1_", [](gdos::decoded_response& r) -> gdos::decoded_certificate& {
        r.orders.emplace_back().index = 1;
        r.orders[0].certificates.emplace_back().index = 1;
        return r.orders[0].certificates[0];
      });
}

// The same for a suggestedOrgDetails list: its own level (Status) and match 1's fields.
constexpr bool org_rows_agree() {
  bool ok = true;
  const auto& list_rows = gdos::detail::rows_of<gdos::decoded_org_details>;
  const auto& match_rows = gdos::detail::rows_of<gdos::decoded_org_match>;
  for (std::size_t i = 0; i < list_rows.size() + match_rows.size(); ++i) {
    const bool own = i < list_rows.size();
    const std::size_t row = own ? i : i - list_rows.size();
    gdos::decoded_org_details d;
    std::string_view name;
    if (own) {
      set_field(d, list_rows[row]);
      ok = ok && only_row(d, row);
      name = list_rows[row].name;
    } else {
      d.status = "Found";
      d.matches.emplace_back().index = 1;
      set_field(d.matches[0], match_rows[row]);
      ok = ok && only_row(d.matches[0], row);
      name = match_rows[row].name;
    }
    std::array<char, 128> buf{};
    const auto w = gdos::write_org_details(d, buf);
    const std::string_view list(buf.data(), w.size);
    const std::string_view pair = list.substr(own ? 0 : list.find("1_") + 2);
    ok = ok && w && pair.starts_with(name) && pair.substr(name.size()) == "=v" &&
         (own ? matched_as<gdos::basic_org_details>(pair, row)
              : matched_as<gdos::basic_org_match>(pair, row));
    const auto back = gdos::parse_org_details(list);
    const escaped_text escaped(list, name);
    const auto back_escaped = gdos::parse_org_details(escaped.view());
    ok = ok && back && *back == d && back_escaped && *back_escaped == d;
  }
  return ok;
}

}  // namespace tables

TEST_CASE("every known name round-trips through the matcher, its table row and the writer") {
  CHECK_BOTH_WAYS(tables::top_rows_agree);
  CHECK_BOTH_WAYS(tables::order_rows_agree);
  CHECK_BOTH_WAYS(tables::certificate_rows_agree);
  CHECK_BOTH_WAYS(tables::org_rows_agree);
}

// ---- check_round_trip(): what the writer takes for granted --------------------------------------

namespace {

using gdos::round_trip_check;
using gdos::round_trip_errc;

// The check_round_trip() results the tests expect: a rule broken in a reply (at order x,
// certificate y) or in a suggestedOrgDetails list (at match n), about unknown field k.
constexpr round_trip_check in_reply(round_trip_errc e, std::uint32_t x, std::uint32_t y,
                                    std::size_t k = round_trip_check::npos) {
  return {.code = e, .order = x, .certificate = y, .unknown_index = k};
}
constexpr round_trip_check in_list(round_trip_errc e, std::uint32_t n,
                                   std::size_t k = round_trip_check::npos) {
  return {.code = e, .match = n, .unknown_index = k};
}

// parse(write(r), options) == r, for a reply or a suggestedOrgDetails list of at most 1 KB.
template <class R>
constexpr bool round_trips(const R& r, const gdos::parse_options& options = {}) {
  std::array<char, 1024> buf{};
  if constexpr (requires { r.orders; }) {
    const auto w = gdos::write_response(r, buf);
    if (!w) return false;
    const auto back = gdos::parse_response(std::string_view(buf.data(), w.size), options);
    return back && *back == r;
  } else {
    const auto w = gdos::write_org_details(r, buf);
    if (!w) return false;
    const auto back = gdos::parse_org_details(std::string_view(buf.data(), w.size), options);
    return back && *back == r;
  }
}

// check_round_trip() gives `want`, and the reply round-trips exactly when `want` is ok.
template <class R>
constexpr bool checks_as(const R& r, round_trip_check want, const gdos::parse_options& o = {}) {
  return gdos::check_round_trip(r, o) == want && round_trips(r, o) == bool(want);
}

constexpr gdos::decoded_response two_orders() {
  gdos::decoded_response r;
  r.orders.resize(2);
  r.orders[0].index = 1;
  r.orders[0].status = "Issued";
  r.orders[0].certificates.resize(2);
  r.orders[0].certificates[0].index = 1;
  r.orders[0].certificates[0].fqdn = "a.example";
  r.orders[0].certificates[1].index = 3;
  r.orders[0].certificates[1].csr_status = progress_status::completed;
  r.orders[1].index = 7;
  r.orders[1].number = 42;
  return r;
}

constexpr bool round_trip_orders_and_certificates() {
  constexpr auto npos = round_trip_check::npos;
  auto r = two_orders();
  bool ok = checks_as(r, {});
  r.orders[1].index = 1;
  ok = ok && checks_as(r, in_reply(round_trip_errc::not_ascending, 1, 0, npos));
  r.orders[1].index = 0;
  ok = ok && checks_as(r, in_reply(round_trip_errc::index_zero, 0, 0, npos));
  r.orders[1].index = 2000000;
  ok = ok && checks_as(r, in_reply(round_trip_errc::index_too_large, 2000000, 0, npos));
  r = two_orders();
  r.orders[0].certificates[1].index = 1;
  ok = ok && checks_as(r, in_reply(round_trip_errc::not_ascending, 1, 1, npos));
  r = two_orders();
  gdos::parse_options few;
  few.max_orders = 1;
  ok = ok && checks_as(r, in_reply(round_trip_errc::too_many_orders, 7, 0, npos), few);
  few = {};
  few.max_certificates = 1;
  ok = ok && checks_as(r, in_reply(round_trip_errc::too_many_certificates, 1, 3, npos), few);
  // An order with nothing but certificates is written; one with nothing at all is not.
  r.orders[0].status.reset();
  ok = ok && checks_as(r, {});
  r.orders[1].number.reset();
  ok = ok && checks_as(r, in_reply(round_trip_errc::empty, 7, 0, npos));
  r.unknown_fields.push_back({7, 0, "slId", "1"});  // an unknown field is a field
  ok = ok && checks_as(r, {});
  r.orders[0].certificates[0].fqdn.reset();
  return ok && checks_as(r, in_reply(round_trip_errc::empty, 1, 1, npos));
}

constexpr bool round_trip_unknown_fields() {
  auto r = two_orders();
  const auto with = [&r](gdos::decoded_unknown_field u) {
    auto copy = r;
    copy.unknown_fields.push_back({0, 0, "apiVersion", "2"});
    copy.unknown_fields.push_back(u);
    return copy;
  };
  bool ok = checks_as(with({7, 0, "upsTrackingID", "1Z"}), {});
  ok = ok && checks_as(with({1, 3, "1_x", "y"}), {});  // no level below a certificate
  ok = ok && checks_as(with({2, 0, "x", "y"}), in_reply(round_trip_errc::orphan_field, 2, 0, 1));
  ok = ok && checks_as(with({1, 2, "x", "y"}), in_reply(round_trip_errc::orphan_field, 1, 2, 1));
  ok = ok && checks_as(with({0, 1, "x", "y"}), in_reply(round_trip_errc::orphan_field, 0, 1, 1));
  // Names the parser would read an index in, valid or not.
  ok = ok && checks_as(with({0, 0, "7_x", "y"}), in_reply(round_trip_errc::indexed_name, 0, 0, 1));
  ok = ok && checks_as(with({0, 0, "0_x", "y"}), in_reply(round_trip_errc::indexed_name, 0, 0, 1));
  ok = ok && checks_as(with({0, 0, "+1_x", "y"}), in_reply(round_trip_errc::indexed_name, 0, 0, 1));
  ok = ok && checks_as(with({7, 0, "3_x", "y"}), in_reply(round_trip_errc::indexed_name, 7, 0, 1));
  ok = ok && checks_as(with({7, 0, "-3_x", "y"}), in_reply(round_trip_errc::indexed_name, 7, 0, 1));
  ok = ok && checks_as(with({0, 0, " 1_x", "y"}), {});  // written `+1_x`: a space, no sign
  ok = ok && checks_as(with({0, 0, "1x_", "y"}), {});
  // Known names of the field's own level only.
  ok = ok &&
       checks_as(with({0, 0, "errorItem", "y"}), in_reply(round_trip_errc::known_name, 0, 0, 1));
  ok = ok &&
       checks_as(with({7, 0, "orderStatus", "y"}), in_reply(round_trip_errc::known_name, 7, 0, 1));
  ok = ok &&
       checks_as(with({1, 3, "dcvStatus", "1"}), in_reply(round_trip_errc::known_name, 1, 3, 1));
  ok = ok && checks_as(with({0, 0, "orderStatus", "y"}), {});
  ok = ok && checks_as(with({1, 3, "orderStatus", "y"}), {});
  ok = ok && checks_as(with({7, 0, "errorCode", "y"}), {});
  // Duplicates: the second of two at one level, names compared as text.
  auto d = with({7, 0, "x", "1"});
  d.unknown_fields.push_back({0, 0, "x", "2"});
  d.unknown_fields.push_back({7, 0, "x", "3"});
  d.unknown_fields.push_back({0, 0, "apiVersion", "4"});
  ok = ok && checks_as(d, in_reply(round_trip_errc::duplicate_name, 7, 0, 3));
  d.unknown_fields.pop_back();
  d.unknown_fields.pop_back();
  ok = ok && checks_as(d, {});
  // Limits on the whole text: fields (errorCode, 4 known, 3 unknown) and bytes.
  gdos::parse_options o;
  o.max_fields = 7;
  ok = ok &&
       checks_as(d, in_reply(round_trip_errc::too_many_fields, 0, 0, round_trip_check::npos), o);
  o.max_fields = 8;
  ok = ok && checks_as(d, {}, o);
  o.max_body_size = gdos::write_response(d, std::span<char>{}).size - 1;
  return ok &&
         checks_as(d, in_reply(round_trip_errc::body_too_large, 0, 0, round_trip_check::npos), o);
}

constexpr bool round_trip_encoded_names_as_decoded() {
  // encoded_view names are judged by their decoded text, as the parser reads them.
  gdos::response r;
  r.orders.emplace_back().index = 1;
  r.orders[0].status = form::encoded_view("Issued");
  const auto with = [&r](std::string_view name) {
    auto copy = r;
    copy.unknown_fields.push_back({1, 0, form::encoded_view(name), form::encoded_view("v")});
    return copy;
  };
  return checks_as(with("%31_x"), in_reply(round_trip_errc::indexed_name, 1, 0, 0)) &&
         checks_as(with("%2B1_x"), in_reply(round_trip_errc::indexed_name, 1, 0, 0)) &&
         checks_as(with("+1_x"), {}) &&  // a space, then 1_x
         checks_as(with("order%53tatus"), in_reply(round_trip_errc::known_name, 1, 0, 0)) &&
         checks_as(with("order%2553tatus"), {});
}

constexpr bool round_trip_org_details() {
  constexpr auto npos = round_trip_check::npos;
  gdos::decoded_org_details d;
  d.status = "Found";
  d.matches.resize(2);
  d.matches[0].index = 1;
  d.matches[0].organization_name = "A&B";
  d.matches[1].index = 4;
  d.matches[1].country_name = "GB";
  bool ok = checks_as(d, {});
  auto bad = d;
  bad.status.reset();
  ok = ok && checks_as(bad, in_list(round_trip_errc::missing_status, 0, npos));
  gdos::parse_options lenient;
  lenient.mode = parse_mode::lenient;
  ok = ok && checks_as(bad, {}, lenient);
  bad = d;
  bad.matches[1].index = 1;
  ok = ok && checks_as(bad, in_list(round_trip_errc::not_ascending, 1, npos));
  bad.matches[1].index = 0;
  ok = ok && checks_as(bad, in_list(round_trip_errc::index_zero, 0, npos));
  gdos::parse_options one;
  one.max_org_matches = 1;
  ok = ok && checks_as(d, in_list(round_trip_errc::too_many_matches, 4, npos), one);
  bad = d;
  bad.matches[1].country_name.reset();
  ok = ok && checks_as(bad, in_list(round_trip_errc::empty, 4, npos));
  bad.unknown_fields.push_back({4, "x", "1"});
  ok = ok && checks_as(bad, {});
  const auto with = [&d](gdos::basic_org_unknown_field<std::string_view> u) {
    auto copy = d;
    copy.unknown_fields.push_back(u);
    return copy;
  };
  ok = ok && checks_as(with({2, "x", "1"}), in_list(round_trip_errc::orphan_field, 2, 0));
  ok = ok && checks_as(with({0, "2_x", "1"}), in_list(round_trip_errc::indexed_name, 0, 0));
  ok = ok && checks_as(with({4, "2_x", "1"}), {});
  // Un-indexed match fields go to match 1; Status is un-indexed only.
  ok = ok && checks_as(with({0, "postalCode", "1"}), in_list(round_trip_errc::known_name, 0, 0));
  ok = ok && checks_as(with({0, "Status", "1"}), in_list(round_trip_errc::known_name, 0, 0));
  ok = ok && checks_as(with({4, "postalCode", "1"}), in_list(round_trip_errc::known_name, 4, 0));
  ok = ok && checks_as(with({4, "Status", "1"}), {});
  auto dup = with({4, "x", "1"});
  dup.unknown_fields.push_back({4, "x", "2"});
  return ok && checks_as(dup, in_list(round_trip_errc::duplicate_name, 4, 1));
}

}  // namespace

TEST_CASE("check_round_trip finds what would not round-trip: indices, limits and empty entries") {
  CHECK_BOTH_WAYS(round_trip_orders_and_certificates);
}

TEST_CASE("check_round_trip finds unknown fields that would come back elsewhere, or not at all") {
  CHECK_BOTH_WAYS(round_trip_unknown_fields);
  CHECK_BOTH_WAYS(round_trip_encoded_names_as_decoded);
}

TEST_CASE("check_round_trip of a suggestedOrgDetails list") {
  CHECK_BOTH_WAYS(round_trip_org_details);
}

TEST_CASE("every round_trip_errc has an identifier and a description") {
  for (int i = 0; i <= static_cast<int>(round_trip_errc::body_too_large); ++i) {
    CHECK(gdos::to_string(static_cast<round_trip_errc>(i)) != "unknown");
    CHECK(gdos::message(static_cast<round_trip_errc>(i)) != "unknown round-trip error");
  }
  CHECK(gdos::to_string(round_trip_errc::known_name) == "known_name");
  CHECK(gdos::message(round_trip_errc::known_name) ==
        "unknown field named like a known field of its level");
  CHECK(gdos::to_string(static_cast<round_trip_errc>(200)) == "unknown");
  CHECK(gdos::message(static_cast<round_trip_errc>(200)) == "unknown round-trip error");
}

// ---- check_round_trip is exact: ok if and only if the strict parser gives the reply back --------

namespace {

// Replies that break the writer's rules about half the time: indices repeated, unsorted, 0 or
// over a small max_index; empty orders and certificates; unknown fields at levels that do not
// exist, named like known fields, like indices or like each other; small limits.
struct wild_generator {
  std::mt19937 rng;
  explicit wild_generator(unsigned seed) : rng(seed) {}

  std::size_t below(std::size_t n) {
    return std::uniform_int_distribution<std::size_t>(0, n - 1)(rng);
  }
  bool one_in(std::size_t n) { return below(n) == 0; }

  std::vector<std::uint32_t> indices(std::size_t most) {
    std::vector<std::uint32_t> v;
    for (std::size_t n = below(most + 1); n != 0; --n)
      v.push_back(static_cast<std::uint32_t>(below(7)));
    if (!one_in(4)) {  // mostly well-formed: 1-based, unique, ascending
      for (auto& i : v) ++i;
      std::sort(v.begin(), v.end());
      v.erase(std::unique(v.begin(), v.end()), v.end());
    }
    return v;
  }

  std::string_view name() {
    static constexpr std::array<std::string_view, 24> names{
        "x",    "y",         "slId",      "1_x",          "0_x",         "+1_x",
        "-2_x", " 1_x",      "01_x",      "4294967296_x", "1x_",         "",
        "_",    "1",         "errorCode", "errorItem",    "orderStatus", "orderNumber",
        "FQDN", "dcvStatus", "Status",    "postalCode",   "x&=%",        "9_y"};
    return names[below(names.size())];
  }
  std::string_view value() {
    static constexpr std::array<std::string_view, 5> values{"", "v", "a&b=c", "50%", "-1"};
    return values[below(values.size())];
  }

  // Each limit small now and then, at a size the generated replies reach.
  gdos::parse_options options() {
    gdos::parse_options o;
    if (one_in(4)) o.max_index = 5;
    if (one_in(4)) o.max_orders = 3;
    if (one_in(4)) o.max_certificates = 2;
    if (one_in(4)) o.max_org_matches = 2;
    if (one_in(4)) o.max_fields = 2 + below(10);
    if (one_in(4)) o.max_body_size = 10 + below(150);
    return o;
  }

  gdos::decoded_response reply() {
    gdos::decoded_response r;
    r.error_code = static_cast<api_code>(static_cast<std::int32_t>(below(3)) - 1);
    if (one_in(2)) r.error_message = value();
    for (std::uint32_t x : indices(4)) {
      auto& o = r.orders.emplace_back();
      o.index = x;
      if (!one_in(4)) o.status = value();
      for (std::uint32_t y : indices(3)) {
        auto& c = o.certificates.emplace_back();
        c.index = y;
        if (!one_in(4)) c.fqdn = value();
        if (one_in(2)) c.dcv_status = static_cast<progress_status>(static_cast<int>(below(4)) - 1);
      }
    }
    for (std::size_t n = below(6); n != 0; --n) {
      std::uint32_t x = 0, y = 0;
      if (!r.orders.empty() && !one_in(3)) {
        const auto& o = r.orders[below(r.orders.size())];
        x = o.index;
        if (!o.certificates.empty() && one_in(2))
          y = o.certificates[below(o.certificates.size())].index;
      }
      if (one_in(10)) x = static_cast<std::uint32_t>(below(9));
      if (one_in(10)) y = static_cast<std::uint32_t>(below(9));
      r.unknown_fields.push_back({x, y, name(), value()});
    }
    return r;
  }

  gdos::decoded_org_details org_details() {
    gdos::decoded_org_details d;
    if (!one_in(4)) d.status = "Found";
    for (std::uint32_t m : indices(3)) {
      auto& x = d.matches.emplace_back();
      x.index = m;
      if (!one_in(4)) x.organization_name = value();
    }
    for (std::size_t n = below(5); n != 0; --n) {
      std::uint32_t m = 0;
      if (!d.matches.empty() && one_in(2)) m = d.matches[below(d.matches.size())].index;
      if (one_in(10)) m = static_cast<std::uint32_t>(below(9));
      d.unknown_fields.push_back({m, name(), value()});
    }
    return d;
  }
};

template <class R, class Parse>
bool round_trips_through(const R& r, const std::string& text, const gdos::parse_options& o,
                         const Parse& parse) {
  const gdos_test::guarded_input in(text);
  const auto back = parse(in.view(), o);
  return back && *back == r;
}

}  // namespace

TEST_CASE("check_round_trip is exact: a reply is ok exactly when the strict parser gives it back") {
  wild_generator g(1103);
  const auto parse = [](std::string_view t, const gdos::parse_options& o) {
    return gdos::parse_response(t, o);
  };
  std::array<std::size_t, 16> seen{};
  for (int i = 0; i < 20000; ++i) {
    const gdos::decoded_response r = g.reply();
    gdos::parse_options o = g.options();
    const std::string body = gdos::write_response(r);
    const round_trip_check v = gdos::check_round_trip(r, o);
    INFO(body, " : ", gdos::to_string(v.code));
    REQUIRE(bool(v) == round_trips_through(r, body, o, parse));
    ++seen.at(static_cast<std::size_t>(v.code));
    o.mode = parse_mode::lenient;
    if (v) REQUIRE(round_trips_through(r, body, o, parse));
  }
  // Every answer that applies to a reply came up, ok often enough to mean something.
  CHECK(seen[0] > 2000);
  for (const round_trip_errc e :
       {round_trip_errc::too_many_matches, round_trip_errc::missing_status})
    seen.at(static_cast<std::size_t>(e)) = 1;
  for (std::size_t e = 0; e <= static_cast<std::size_t>(round_trip_errc::body_too_large); ++e)
    CHECK_MESSAGE(seen.at(e) > 0, gdos::to_string(static_cast<round_trip_errc>(e)));
}

TEST_CASE("check_round_trip of a suggestedOrgDetails list is exact too") {
  wild_generator g(2207);
  const auto parse = [](std::string_view t, const gdos::parse_options& o) {
    return gdos::parse_org_details(t, o);
  };
  std::array<std::size_t, 16> seen{};
  for (int i = 0; i < 20000; ++i) {
    const gdos::decoded_org_details d = g.org_details();
    gdos::parse_options o = g.options();
    const std::string list = gdos::write_org_details(d);
    const round_trip_check v = gdos::check_round_trip(d, o);
    INFO(list, " : ", gdos::to_string(v.code));
    REQUIRE(bool(v) == round_trips_through(d, list, o, parse));
    ++seen.at(static_cast<std::size_t>(v.code));
    o.mode = parse_mode::lenient;
    if (v) REQUIRE(round_trips_through(d, list, o, parse));
  }
  CHECK(seen[0] > 2000);
  for (const round_trip_errc e :
       {round_trip_errc::too_many_orders, round_trip_errc::too_many_certificates})
    seen.at(static_cast<std::size_t>(e)) = 1;
  for (std::size_t e = 0; e <= static_cast<std::size_t>(round_trip_errc::body_too_large); ++e)
    CHECK_MESSAGE(seen.at(e) > 0, gdos::to_string(static_cast<round_trip_errc>(e)));
}

// ---- suggestedOrgDetails inside a reply stays raw -----------------------------------------------

TEST_CASE("parse_org_details is the only way to the inner list: a reply's value is the raw text") {
  const auto r = gdos::parse_response(with_org_details);
  REQUIRE(r);
  CHECK(r->orders[0].suggested_org_details->encoded().starts_with("Status%3DFound%26"));
  CHECK(r->orders[0].suggested_org_details->decode().starts_with("Status=Found&"));
}
