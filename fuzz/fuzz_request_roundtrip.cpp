// The round-trip property of the request layer (gdos/request.hpp), on requests built from the
// fuzz input: for every valid request r, parse_request(encode_request(r)) gives back r, the body
// has exactly the fields r sets (no value can inject one), and printing r shows its body with
// the password masked. Invalid requests must be refused by every encoder, writing nothing.
//
// Input layout (every byte sequence is a request): one flags byte, then the order number and
// the certificate ID as 8 bytes each (little endian, missing bytes are zero), one byte giving
// the login name's length, the login name, and the rest is the password. With flag bit 7 clear,
// the values are nudged into range (so most inputs are valid requests); with it set they are
// taken as they are, which exercises the validation errors.
#include <gdos/request.hpp>

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "fuzz_check.hpp"

namespace {

namespace form = gdos::form;

class reader {
 public:
  explicit reader(std::string_view in) : in_(in) {}
  std::uint8_t byte() {
    if (in_.empty()) return 0;
    const auto b = static_cast<std::uint8_t>(in_.front());
    in_.remove_prefix(1);
    return b;
  }
  std::uint64_t u64() {
    std::uint64_t v = 0;
    for (int i = 0; i < 8; ++i) v |= std::uint64_t{byte()} << (8 * i);
    return v;
  }
  std::string_view take(std::size_t n) {
    const std::string_view s = in_.substr(0, n);
    in_.remove_prefix(s.size());
    return s;
  }
  std::string_view rest() { return take(in_.size()); }

 private:
  std::string_view in_;
};

// The longest prefix of s with at most max characters (as validate() counts them). The count
// of a prefix never decreases as it grows, so a binary search finds it.
std::string_view clamp_chars(std::string_view s, std::size_t max) {
  std::size_t lo = 0;
  std::size_t hi = s.size();
  while (lo < hi) {
    const std::size_t mid = lo + (hi - lo + 1) / 2;
    if (form::utf8_length(s.substr(0, mid)) <= max)
      lo = mid;
    else
      hi = mid - 1;
  }
  return s.substr(0, lo);
}

struct collecting_stream {
  std::string text;
  collecting_stream& operator<<(std::string_view s) {
    text += s;
    return *this;
  }
};

void check_invalid(const gdos::request& r, gdos::validation_result v) {
  std::array<char, 2048> buf{};
  buf.fill('#');
  const auto e = gdos::encode_request_to(r, buf);
  FUZZ_CHECK(!e && e.code == v.code && e.field == v.field && e.size == 0);
  FUZZ_CHECK(e.validation() == v);
  for (char c : buf) FUZZ_CHECK(c == '#');
  const auto s = gdos::encode_request(r);
  FUZZ_CHECK(!s && s.error() == v);
}

void check_valid(const gdos::request& r) {
  const std::size_t n = gdos::encoded_size(r);
  std::vector<char> exact(n);
  if (n > 0) {
    std::vector<char> short_by_one(n - 1, '#');
    const auto too_small = gdos::encode_request_to(r, short_by_one);
    FUZZ_CHECK(!too_small && too_small.code == gdos::request_errc::buffer_too_small);
    FUZZ_CHECK(too_small.size == n && too_small.validation());
    for (char c : short_by_one) FUZZ_CHECK(c == '#');
  }
  const auto written = gdos::encode_request_to(r, exact);
  FUZZ_CHECK(written && written.size == n);
  const std::string_view body(exact.data(), n);
  const auto s = gdos::encode_request(r);
  FUZZ_CHECK(s && *s == body);

  // Exactly the fields r sets, with their canonical names, in the documented order.
  std::vector<std::string_view> names;
  for (const form::field& f : form::fields(body)) names.push_back(f.name.encoded());
  std::vector<std::string_view> expected = {"loginName", "loginPassword"};
  if (r.order_number) expected.push_back("orderNumber");
  if (r.certificate_id) expected.push_back("certificateID");
  expected.push_back("queryType");
  if (r.show_validity_period != gdos::yes_no::unset) expected.push_back("showValidityPeriod");
  if (r.response_format != gdos::response_format::omitted) expected.push_back("responseFormat");
  FUZZ_CHECK(names == expected);

  // parse(encode(r)) == r, through the zero-copy view and through to_request().
  const auto p = gdos::parse_request(body);
  FUZZ_CHECK(p.has_value());
  FUZZ_CHECK(*p == r);
  std::vector<char> storage(p->decoding_buffer_size());
  const auto back = p->to_request(storage);
  FUZZ_CHECK(back && *back == r);

  // Printing shows the body with the password's encoded value replaced by ***.
  const std::string encoded_password = form::encode(r.login_password);
  const std::size_t at = body.find("&loginPassword=") + 15;
  std::string masked(body.substr(0, at));
  masked += "***";
  masked += body.substr(at + encoded_password.size());
  collecting_stream printed;
  printed << r;
  FUZZ_CHECK(printed.text == masked);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  reader in(std::string_view(reinterpret_cast<const char*>(data), size));
  const std::uint8_t flags = in.byte();
  const bool raw = (flags & 0x80) != 0;
  const std::uint64_t order = in.u64();
  const std::uint64_t certificate = in.u64();
  const std::string_view name = in.take(in.byte());
  const std::string_view password = in.rest();

  gdos::request r;
  r.login_name = name;
  r.login_password = password;
  if (flags & 0x01) r.order_number = static_cast<std::int64_t>(order);
  if (flags & 0x02) r.certificate_id = static_cast<std::int64_t>(certificate);
  r.query_type = static_cast<gdos::query_type>((flags >> 2) & 3);
  r.show_validity_period = static_cast<gdos::yes_no>((flags >> 4) & 3);
  r.response_format = (flags & 0x40) ? gdos::response_format::omitted
                      : (order & 1)  ? gdos::response_format::json
                                     : gdos::response_format::url_encoded;
  if (!raw) {
    if (r.login_name.empty()) r.login_name = "n";
    if (r.login_password.empty()) r.login_password = "p";
    r.login_name = clamp_chars(r.login_name, gdos::max_login_name_length);
    r.login_password = clamp_chars(r.login_password, gdos::max_login_password_length);
    if (!r.order_number && !r.certificate_id) r.order_number = 1;
    if (r.order_number) r.order_number = static_cast<std::int64_t>(order >> 1) | 1;
    if (r.certificate_id)
      r.certificate_id = 1 + static_cast<std::int64_t>(certificate % static_cast<std::uint64_t>(
                                                                         gdos::max_certificate_id));
    if (r.query_type == static_cast<gdos::query_type>(3)) r.query_type = gdos::query_type::status;
    if (r.show_validity_period == static_cast<gdos::yes_no>(3))
      r.show_validity_period = gdos::yes_no::unset;
  } else if (order & 2) {
    // Out-of-range response formats exist only in raw mode.
    r.response_format = static_cast<gdos::response_format>(order >> 56);
  }

  const gdos::validation_result v = gdos::validate(r);
  if (!raw) FUZZ_CHECK(v);
  if (v) {
    check_valid(r);
  } else {
    check_invalid(r, v);
  }
  return 0;
}
