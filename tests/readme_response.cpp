// The C++ snippets of README.md's "Response layer" section, compiled and checked. Each block
// there appears here verbatim (leading whitespace aside): tools/check_readme.py, the test
// readme_snippets_in_sync, fails when they drift apart, so edit both together.
#include <gdos/gdos.hpp>

#include <doctest/doctest.h>

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

TEST_CASE("README: parsing a reply and walking its orders and certificates") {
  std::string_view body =
      "errorCode=0&1_orderNumber=7250060&1_orderDateTime=2025-06-11+11%3A57&1_orderStatus=Pending"
      "&1_1_FQDN=www.example.com&1_1_dcvStatus=2&1_1_slId=42";
  gdos::result<gdos::response, gdos::parse_error> r = gdos::parse_response(body);
  std::string report;
  if (!r) {
    report = r.error().message();  // what went wrong, the key, the byte offset
  } else if (!r->ok()) {
    report = r->error_message ? r->error_message->decode() : "error";
  } else {
    for (const gdos::order& o : r->orders) {
      report +=
          "order " + std::to_string(o.number.value_or(0)) + ": " + decode_or(o.status, "?") + "\n";
      for (const gdos::certificate& c : o.certificates) {
        report += "  " + decode_or(c.fqdn, "?") + " DCV ";
        report += c.dcv_status ? gdos::to_string(*c.dcv_status) : "absent";
        for (const gdos::unknown_field& u : r->unknown_fields_of(o.index, c.index))
          report += ", " + u.name.decode() + "=" + u.value.decode();  // newer fields, kept
        report += "\n";
      }
    }
  }
  // report == "order 7250060: Pending\n  www.example.com DCV in_progress, slId=42\n"

  CHECK(report == "order 7250060: Pending\n  www.example.com DCV in_progress, slId=42\n");

  std::optional<std::chrono::local_seconds> when = r->orders[0].local_time();
  // *when == 2025-06-11 11:57 on the local time line: the API gives no time zone

  using namespace std::chrono;
  CHECK(when == local_days{2025y / June / 11} + 11h + 57min);

  auto v =
      gdos::parse_response("errorCode=0&1_orderNumber=7&1_1_validityPeriodEnd=2026-05-02+23%3A59");
  const gdos::unknown_field* end = v ? v->find_unknown(1, 1, "validityPeriodEnd") : nullptr;
  std::optional<std::chrono::local_seconds> until =
      end ? gdos::parse_date_time(end->value) : std::nullopt;
  // until == 2026-05-02 23:59 local time; nullopt when the field is absent or not a date

  CHECK(until == local_days{2026y / May / 2} + 23h + 59min);

  std::string copy(body);  // any mutable memory
  gdos::result<gdos::decoded_response, gdos::parse_error> plain =
      gdos::parse_response_in_place(copy);
  // plain->orders[0].date_time == "2025-06-11 11:57": a std::string_view into copy

  CHECK(plain->orders[0].date_time == "2025-06-11 11:57");
  CHECK(*plain == *r);
}

TEST_CASE("README: errors are values") {
  auto refused = gdos::parse_response("-16\nPermission denied!");
  // refused.error().code == gdos::response_errc::legacy_format,
  // refused.error().legacy_code == gdos::api_code::permission_denied

  CHECK(refused.error().code == gdos::response_errc::legacy_format);
  CHECK(refused.error().legacy_code == gdos::api_code::permission_denied);
  CHECK(refused.error().legacy_message == "Permission denied!");
}

TEST_CASE("README: suggestedOrgDetails") {
  auto reply = gdos::parse_response(
      "errorCode=0&1_suggestedOrgDetails=Status%3DFound%261_organizationName%3DA%2B%2526%2BB");
  auto org = gdos::org_details_of(reply->orders[0]);  // owns its text; empty if the field is absent
  // org->status_kind() == gdos::org_status::found
  // org->matches[0].organization_name == "A & B"

  CHECK(org->status_kind() == gdos::org_status::found);
  CHECK(org->matches[0].organization_name == "A & B");

  // The zero-copy form, from a list kept alive by the caller.
  std::string list = decode_or(reply->orders[0].suggested_org_details, "");
  const auto view = gdos::parse_org_details(list);
  CHECK(*view == org->get());
}

namespace readme {
gdos::reply load(std::string body) {  // from a file, a queue, your own HTTP client...
  return gdos::parse_reply(std::move(body)).value_or(gdos::reply{});
}
}  // namespace readme

TEST_CASE("README: keeping a reply") {
  const gdos::reply r = readme::load("errorCode=0&1_orderNumber=7250060&1_orderStatus=Pending");
  CHECK(r.orders[0].status == "Pending");
  CHECK(readme::load("<html>").orders.empty());
}

TEST_CASE("README: writing a reply") {
  gdos::decoded_response reply;  // plain strings, encoded by the writer
  gdos::decoded_order& o = reply.orders.emplace_back();
  o.index = 1;
  o.number = 7250060;
  o.status = "Issued";
  gdos::decoded_certificate& c = o.certificates.emplace_back();
  c.index = 1;
  c.fqdn = "www.example.com";
  c.dcv_status = gdos::progress_status::completed;
  reply.unknown_fields.push_back({.order = 1, .certificate = 1, .name = "slId", .value = "42"});
  std::string body = gdos::write_response(reply);
  // body == "errorCode=0&1_orderNumber=7250060&1_orderStatus=Issued&1_1_FQDN=www.example.com"
  //         "&1_1_dcvStatus=1&1_1_slId=42"

  std::string denied = gdos::write_response(
      gdos::make_error_response(gdos::api_code::permission_denied, "Permission denied!"));
  // denied == "errorCode=-16&errorMessage=Permission+denied%21"

  CHECK(body ==
        "errorCode=0&1_orderNumber=7250060&1_orderStatus=Issued&1_1_FQDN=www.example.com"
        "&1_1_dcvStatus=1&1_1_slId=42");
  CHECK(denied == "errorCode=-16&errorMessage=Permission+denied%21");
  CHECK(*gdos::parse_response(body) == reply);

  reply.unknown_fields.push_back({.order = 1, .name = "orderStatus", .value = "Valid"});
  gdos::round_trip_check check = gdos::check_round_trip(reply);
  // !check: check.code == gdos::round_trip_errc::known_name (it would come back as o.status),
  //         check.order == 1, check.unknown_index == 1

  CHECK(!check);
  CHECK(check.code == gdos::round_trip_errc::known_name);
  CHECK(check.order == 1);
  CHECK(check.unknown_index == 1);
  const std::string written = gdos::write_response(reply);  // orderStatus twice
  const auto back = gdos::parse_response(written);
  CHECK(back.error().code == gdos::response_errc::duplicate_key);
}
