// test_odr links two translation units that both include <gdos/gdos.hpp> and use the same
// functions, variables and templates (odr_a.cpp, odr_b.cpp). It fails to link when a header
// defines something that is not inline (multiple definitions), and its checks fail when a header
// gives something internal linkage (`static`, an unnamed namespace), because then each unit
// would hold its own copy at its own address.
#include <gdos/gdos.hpp>

#include <doctest/doctest.h>

#include <array>
#include <cstddef>
#include <span>
#include <string>
#include <string_view>

namespace gdos_odr {

// Defined in odr_b.cpp.
const void* b_hex_table();
const void* b_unreserved_table();
std::string (*b_encode())(std::string_view);
std::size_t (*b_encoded_size())(std::string_view) noexcept;
gdos::form::fields_view (*b_fields())(std::string_view) noexcept;
bool (*b_is_known())(gdos::api_code) noexcept;
const void* b_comodo_endpoint();
const void* b_default_failed_statuses();
const void* b_default_retry_codes();
gdos::validation_result (*b_validate())(const gdos::request&) noexcept;
std::string b_request_body();
std::string b_written_body();
int b_result_value();
std::size_t b_count_fields(std::string_view body);
std::size_t b_parsed_certificates(std::string_view body);
std::string b_described_changes(std::string_view before, std::string_view after);

}  // namespace gdos_odr

using namespace gdos_odr;

TEST_CASE("an inline variable has one address in every translation unit") {
  CHECK(b_hex_table() == &gdos::form::detail::hex_table);
  CHECK(b_unreserved_table() == &gdos::form::detail::unreserved_table);
  CHECK(b_comodo_endpoint() == &gdos::comodo_endpoint);
  CHECK(b_default_failed_statuses() == &gdos::default_failed_statuses);
  CHECK(b_default_retry_codes() == &gdos::default_retry_codes);
}

TEST_CASE("an inline function has one address in every translation unit") {
  // doctest cannot print function pointers: compare to a bool first.
  const bool encode_same = b_encode() == &gdos::form::encode;
  const bool encoded_size_same = b_encoded_size() == &gdos::form::encoded_size;
  // fields is overloaded too (a deleted overload refuses temporary strings).
  gdos::form::fields_view (*const fields_a)(std::string_view) noexcept = &gdos::form::fields;
  const bool fields_same = b_fields() == fields_a;
  // is_known is overloaded (api_code, progress_status): name the api_code one.
  bool (*const is_known_a)(gdos::api_code) noexcept = &gdos::is_known;
  const bool is_known_same = b_is_known() == is_known_a;
  // validate is overloaded too (a request, a reply, a suggestedOrgDetails list).
  gdos::validation_result (*const validate_a)(const gdos::request&) noexcept = &gdos::validate;
  const bool validate_same = b_validate() == validate_a;
  CHECK(encode_same);
  CHECK(encoded_size_same);
  CHECK(fields_same);
  CHECK(is_known_same);
  CHECK(validate_same);
}

TEST_CASE("templates instantiated in both translation units agree") {
  std::array<char, 64> buf{};
  gdos::form::buffer_writer w{std::span<char>(buf)};
  w.add("orderNumber", 1234567);
  w.add("loginName", "a b&c");
  w.add("queryType", static_cast<unsigned char>(2));
  CHECK(w.result().ok);
  CHECK(std::string(w.view()) == "orderNumber=1234567&loginName=a+b%26c&queryType=2");
  CHECK(b_written_body() == w.view());

  gdos::result<int, gdos::api_code> ok = 42;
  gdos::result<int, gdos::api_code> bad = gdos::api_code::permission_denied;
  CHECK(b_result_value() == *ok + gdos::to_int(bad.error()));
  CHECK(b_result_value() == 42 - 16);

  const gdos::request req{.login_name = "odr", .login_password = "pw", .certificate_id = 77};
  const auto body = gdos::encode_request(req);
  REQUIRE(body.has_value());
  CHECK(b_request_body() == *body);
}

namespace {
constexpr std::string_view body = "errorCode=0&1_1_FQDN=www.example.com&x=%41%4";
}  // namespace

TEST_CASE("both translation units parse a reply alike") {
  constexpr std::string_view reply =
      "errorCode=0&1_orderNumber=1&1_1_FQDN=a.example&1_2_FQDN=b.example&2_orderNumber=2"
      "&2_1_FQDN=c.example";
  const auto r = gdos::parse_response(reply);
  REQUIRE(r.has_value());
  REQUIRE(r->orders.size() == 2);
  CHECK(r->orders[0].certificates.size() + r->orders[1].certificates.size() == 3);
  CHECK(b_parsed_certificates(reply) == 3);
}

TEST_CASE("a constexpr function gives the same answer at compile time here and at run time there") {
  constexpr std::size_t here = [] {
    std::size_t n = 0;
    for (const auto& f : gdos::form::fields(body)) n += f.value.decoded_size();
    return n;
  }();
  static_assert(here == 1 + 15 + 3);
  CHECK(b_count_fields(body) == here);
}

TEST_CASE("both translation units describe the changes between two replies alike") {
  constexpr std::string_view before = "errorCode=0&1_orderStatus=Pending&1_1_dcvStatus=0";
  constexpr std::string_view after = "errorCode=0&1_orderStatus=Issued&1_1_dcvStatus=1";
  const auto a = gdos::parse_response(before);
  const auto b = gdos::parse_response(after);
  REQUIRE(a.has_value());
  REQUIRE(b.has_value());
  std::string here;
  for (const auto& c : gdos::diff(*a, *b)) here += gdos::describe(c) + "\n";
  CHECK(here ==
        "order 1: orderStatus \"Pending\" -> \"Issued\"\n"
        "order 1 certificate 1: DCV not_completed -> completed\n");
  CHECK(b_described_changes(before, after) == here);
}
