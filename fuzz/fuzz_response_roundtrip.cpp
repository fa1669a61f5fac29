// parse(write(x)) == x for replies built from the fuzzer's bytes (gdos/response.hpp), checked
// with an abort. The bytes choose the error fields, the orders and certificates (sparse
// ascending indices, any strings and integers, any progress value), the unknown fields of every
// level, and a suggestedOrgDetails list written by write_org_details() and nested inside an
// order. The body write_response() gives must parse strictly, lazily and in place, to a reply
// equal to the one built, every nested list must parse back to the list built, and writing the
// parsed reply must give the same body again.
#include <gdos/response.hpp>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <deque>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "fuzz_check.hpp"

namespace {

/// Hands out the input's bytes; past the end, zeros and empty strings.
class reader {
 public:
  explicit reader(std::string_view in) : in_(in) {}
  std::uint8_t byte() {
    if (pos_ == in_.size()) return 0;
    return static_cast<std::uint8_t>(in_[pos_++]);
  }
  std::uint32_t u32() {
    std::uint32_t v = 0;
    for (int i = 0; i < 4; ++i) v = (v << 8) | byte();
    return v;
  }
  std::uint64_t u64() { return (std::uint64_t{u32()} << 32) | u32(); }
  std::string_view take(std::size_t n) {
    n = std::min(n, in_.size() - pos_);
    const std::string_view s = in_.substr(pos_, n);
    pos_ += n;
    return s;
  }
  std::string_view text() { return take(byte() % 24); }
  bool coin() { return (byte() & 1) != 0; }
  template <class T>
  std::optional<T> maybe(T v) {
    return coin() ? std::optional<T>(v) : std::nullopt;
  }

 private:
  std::string_view in_;
  std::size_t pos_ = 0;
};

struct builder {
  reader& in;
  std::deque<std::string> owned;  // text the built views point to (a deque never moves it)

  std::string_view keep(std::string s) { return owned.emplace_back(std::move(s)); }

  /// A name no level knows and that is no index: 'x' and then any bytes.
  std::string_view unknown_name() { return keep("x" + std::string(in.take(in.byte() % 8))); }

  std::vector<std::uint32_t> indices(std::size_t most) {
    std::vector<std::uint32_t> v;
    std::uint32_t i = 0;
    for (std::size_t n = in.byte() % (most + 1); n != 0; --n) {
      i += 1 + in.byte() % 8 * (in.coin() ? 1u : 4000u);
      v.push_back(i);
    }
    return v;
  }

  gdos::decoded_org_details org_details() {
    gdos::decoded_org_details d;
    d.status = in.coin() ? std::string_view("Found") : in.text();
    for (std::uint32_t m : indices(3)) {
      auto& x = d.matches.emplace_back();
      x.index = m;
      x.organization_name = in.text();  // every match has a field
      x.street_address = in.maybe(in.text());
      x.locality_name = in.maybe(in.text());
      x.state_or_province_name = in.maybe(in.text());
      x.postal_code = in.maybe(in.text());
      x.country_name = in.maybe(in.text());
      x.duns_number = in.maybe(in.text());
      x.telephone_number = in.maybe(in.text());
    }
    for (std::size_t n = in.byte() % 4; n != 0; --n) {
      const std::uint32_t m =
          d.matches.empty() || in.coin() ? 0 : d.matches[in.byte() % d.matches.size()].index;
      const std::string_view name = unknown_name();
      bool taken = false;
      for (const auto& u : d.unknown_fields) taken |= u.match == m && u.name == name;
      if (!taken) d.unknown_fields.push_back({m, name, in.text()});
    }
    return d;
  }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  reader in(std::string_view(reinterpret_cast<const char*>(data), size));
  builder b{in, {}};
  gdos::decoded_response r;
  r.error_code = static_cast<gdos::api_code>(static_cast<std::int32_t>(in.u32()));
  r.error_message = in.maybe(in.text());
  r.error_item = in.maybe(in.text());
  r.error_detail = in.maybe(in.text());
  std::vector<std::pair<std::uint32_t, gdos::decoded_org_details>> nested;
  for (std::uint32_t x : b.indices(4)) {
    auto& o = r.orders.emplace_back();
    o.index = x;
    o.number = static_cast<std::int64_t>(in.u64());
    o.date_time = in.text();  // every order has a field
    o.status = in.maybe(in.text());
    o.status_reason = in.maybe(in.text());
    if (in.coin()) {
      nested.emplace_back(x, b.org_details());
      o.suggested_org_details = b.keep(gdos::write_org_details(nested.back().second));
    }
    for (std::uint32_t y : b.indices(4)) {
      auto& c = o.certificates.emplace_back();
      c.index = y;
      c.fqdn = in.text();  // every certificate has a field
      c.serial_number = in.maybe(in.text());
      c.object_type = in.maybe(in.text());
      c.status = in.maybe(in.text());
      c.status_reason = in.maybe(in.text());
      const auto progress = [&in] {
        return in.maybe(static_cast<gdos::progress_status>(
            in.coin() ? static_cast<std::int32_t>(in.byte() % 4) - 1
                      : static_cast<std::int32_t>(in.u32())));
      };
      c.csr_status = progress();
      c.dcv_status = progress();
      c.ov_callback_status = progress();
      c.organization_validation_status = progress();
      c.free_dvup_status = progress();
      c.ev_click_through_status = progress();
    }
  }
  std::vector<std::pair<std::uint32_t, std::uint32_t>> levels{{0, 0}};
  for (const auto& o : r.orders) {
    levels.emplace_back(o.index, 0);
    for (const auto& c : o.certificates) levels.emplace_back(o.index, c.index);
  }
  for (std::size_t n = in.byte() % 8; n != 0; --n) {
    const auto [x, y] = levels[in.byte() % levels.size()];
    const std::string_view name = b.unknown_name();
    bool taken = false;
    for (const auto& u : r.unknown_fields)
      taken |= u.order == x && u.certificate == y && u.name == name;
    if (!taken) r.unknown_fields.push_back({x, y, name, in.text()});
  }

  const std::string body = gdos::write_response(r);
  const auto lazy = gdos::parse_response(body);
  FUZZ_CHECK(lazy.has_value());
  FUZZ_CHECK(*lazy == r);
  FUZZ_CHECK(gdos::write_response(*lazy) == body);
  std::string copy = body;
  const auto plain = gdos::parse_response_in_place(std::span<char>(copy.data(), copy.size()));
  FUZZ_CHECK(plain.has_value() && *plain == r);
  for (const auto& [x, d] : nested) {
    const gdos::order* o = lazy->find_order(x);
    FUZZ_CHECK(o != nullptr && o->suggested_org_details.has_value());
    const std::string list = o->suggested_org_details->decode();
    const auto back = gdos::parse_org_details(list);
    FUZZ_CHECK(back.has_value() && *back == d);
  }
  return 0;
}
