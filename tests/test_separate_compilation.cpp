// GDOS_SEPARATE_COMPILATION (config.hpp, gdos/src.hpp): this unit and separate_compilation_src.cpp
// are both compiled with it defined to 1 (tests/CMakeLists.txt, tests/meson.build); the other
// file includes gdos/src.hpp and nothing else. Here the parsers called at run time are the
// compiled ones (tests/separate_compilation_link.cpp shows a unit does not link without them),
// and the same calls still work in constant expressions, where the header's templates run. Every
// check runs both ways (CHECK_BOTH_WAYS), so the two paths must agree.
#include <gdos/parse_response.hpp>
//
#include "constexpr_check.hpp"

#include <array>
#include <cstddef>
#include <span>
#include <string_view>

static_assert(GDOS_SEPARATE_COMPILATION == 1, "the build must define GDOS_SEPARATE_COMPILATION=1");

namespace {

constexpr std::string_view sample =
    "errorCode=0&1_orderNumber=7250060&1_orderStatus=Pending&1_1_FQDN=www.ex%61mple.com"
    "&1_1_dcvStatus=2&2_orderNumber=7250061&1_1_slId=42\r\n";

constexpr bool lazy_parse() {
  const auto r = gdos::parse_response(sample);
  if (!r || r->orders.size() != 2 || r->orders[0].certificates.size() != 1) return false;
  const auto& c = r->orders[0].certificates[0];
  return r->orders[1].number == 7250061 && c.fqdn->encoded() == "www.ex%61mple.com" &&
         c.fqdn->equals_decoded("www.example.com") &&
         c.dcv_status == gdos::progress_status::in_progress && r->unknown_fields.size() == 1 &&
         r->unknown_fields[0].name.equals_decoded("slId");
}

constexpr bool in_place_parse() {
  std::array<char, sample.size()> buf{};
  for (std::size_t i = 0; i < sample.size(); ++i) buf[i] = sample[i];
  const auto r = gdos::parse_response_in_place(std::span<char>(buf));
  return r && r->orders.size() == 2 && r->orders[0].certificates[0].fqdn == "www.example.com";
}

constexpr bool errors_are_the_same() {
  const gdos::parse_options strict{};
  const auto dup = gdos::parse_response("errorCode=0&1_orderNumber=1&1_orderNumber=2", strict);
  const auto html = gdos::parse_response("<html>", strict);
  return !dup && dup.error().code == gdos::response_errc::duplicate_key &&
         dup.error().key == "1_orderNumber" && !html &&
         html.error().code == gdos::response_errc::html_body;
}

constexpr std::string_view org_list = "Status=Found&1_organizationName=A%2BB&2_organizationName=C";

constexpr bool org_details_parse() {
  const auto d = gdos::parse_org_details(org_list);
  std::array<char, org_list.size()> buf{};
  for (std::size_t i = 0; i < org_list.size(); ++i) buf[i] = org_list[i];
  const auto e = gdos::parse_org_details_in_place(std::span<char>(buf));
  return d && d->matches.size() == 2 && d->matches[0].organization_name->equals_decoded("A+B") &&
         e && e->matches.size() == 2 && e->matches[0].organization_name == "A+B";
}

}  // namespace

TEST_CASE("separate compilation: the parsers give the same results at run time and in constexpr") {
  CHECK_BOTH_WAYS(lazy_parse);
  CHECK_BOTH_WAYS(in_place_parse);
  CHECK_BOTH_WAYS(errors_are_the_same);
  CHECK_BOTH_WAYS(org_details_parse);
}

TEST_CASE("separate compilation: parse_org_details of a raw value decodes it, then parses it") {
  const auto r = gdos::parse_response(
      "errorCode=0&1_orderNumber=1&1_suggestedOrgDetails=Status%3DFound%261_organizationName%3DA");
  REQUIRE(r);
  REQUIRE(r->orders[0].suggested_org_details);
  std::array<char, 64> buf{};
  const auto d = gdos::parse_org_details(*r->orders[0].suggested_org_details, std::span<char>(buf));
  REQUIRE(d);
  CHECK(d->status->equals_decoded("Found"));
  CHECK(d->matches.size() == 1);
  std::array<char, 4> small{};
  const auto e =
      gdos::parse_org_details(*r->orders[0].suggested_org_details, std::span<char>(small));
  REQUIRE(!e);
  CHECK(e.error().code == gdos::response_errc::buffer_too_small);
}
