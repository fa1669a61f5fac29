// Second translation unit of test_odr (see odr_a.cpp): it includes gdos and uses the same inline
// functions, inline variables and templates as odr_a.cpp, and hands its view of them over.
#include <gdos/gdos.hpp>

#include <array>
#include <cstddef>
#include <span>
#include <string>
#include <string_view>

namespace gdos_odr {

const void* b_hex_table() { return &gdos::form::detail::hex_table; }
const void* b_unreserved_table() { return &gdos::form::detail::unreserved_table; }

std::string (*b_encode())(std::string_view) { return &gdos::form::encode; }
std::size_t (*b_encoded_size())(std::string_view) noexcept { return &gdos::form::encoded_size; }
gdos::form::fields_view (*b_fields())(std::string_view) noexcept { return &gdos::form::fields; }
bool (*b_is_known())(gdos::api_code) noexcept { return &gdos::is_known; }
const void* b_comodo_endpoint() { return &gdos::comodo_endpoint; }
const void* b_default_failed_statuses() { return &gdos::default_failed_statuses; }
const void* b_default_retry_codes() { return &gdos::default_retry_codes; }
gdos::validation_result (*b_validate())(const gdos::request&) noexcept { return &gdos::validate; }

std::string b_written_body() {
  std::array<char, 64> buf{};
  gdos::form::buffer_writer w{std::span<char>(buf)};
  w.add("orderNumber", 1234567);
  w.add("loginName", "a b&c");
  w.add("queryType", static_cast<unsigned char>(2));
  return std::string(w.view());
}

int b_result_value() {
  gdos::result<int, gdos::api_code> ok = 42;
  gdos::result<int, gdos::api_code> bad = gdos::api_code::permission_denied;
  return (ok ? *ok : -1) + (bad ? 1000 : gdos::to_int(bad.error()));
}

std::string b_request_body() {
  const gdos::request req{.login_name = "odr", .login_password = "pw", .certificate_id = 77};
  const auto body = gdos::encode_request(req);
  return body ? *body : std::string("invalid");
}

std::size_t b_parsed_certificates(std::string_view body) {
  const auto r = gdos::parse_response(body);
  std::size_t n = 0;
  if (r)
    for (const auto& o : r->orders) n += o.certificates.size();
  return n;
}

std::size_t b_count_fields(std::string_view body) {
  std::size_t n = 0;
  for (const auto& f : gdos::form::fields(body)) n += f.value.decoded_size();
  return n;
}

std::string b_described_changes(std::string_view before, std::string_view after) {
  const auto a = gdos::parse_response(before);
  const auto b = gdos::parse_response(after);
  std::string out;
  if (a && b)
    for (const auto& c : gdos::diff(*a, *b)) out += gdos::describe(c) + "\n";
  return out;
}

}  // namespace gdos_odr
