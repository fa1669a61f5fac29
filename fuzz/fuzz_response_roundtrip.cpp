// parse(write(x)) == x for replies built from the fuzzer's bytes (gdos/response.hpp), checked
// with an abort. The bytes choose the error fields, the orders and certificates (sparse
// ascending indices, any strings and integers, any progress value), the unknown fields of every
// level, and a suggestedOrgDetails list written by write_org_details() and nested inside an
// order. The body write_response() gives must parse strictly, lazily and in place, to a reply
// equal to the one built, every nested list must parse back to the list built, and writing the
// parsed reply must give the same body again.
//
// When the first byte is odd the reply is wild instead: any indices (0, repeated, unsorted),
// orders and certificates without fields, unknown fields of any level with any name, and small
// limits. Then check_round_trip() must be exact: it says ok if and only if the strict parser gives
// the reply (and the nested list) back; when it says ok, so must the lenient parser.
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
  bool wild = false;
  std::deque<std::string> owned;  // text the built views point to (a deque never moves it)

  std::string_view keep(std::string s) { return owned.emplace_back(std::move(s)); }

  /// Tame: a name no level knows and that is no index, 'x' and then any bytes. Wild: any bytes.
  std::string_view unknown_name() {
    if (wild) return in.take(in.byte() % 12);
    return keep("x" + std::string(in.take(in.byte() % 8)));
  }

  /// Tame: ascending, 1-based. Wild: any small values in any order.
  std::vector<std::uint32_t> indices(std::size_t most) {
    std::vector<std::uint32_t> v;
    std::uint32_t i = 0;
    for (std::size_t n = in.byte() % (most + 1); n != 0; --n) {
      if (wild) {
        v.push_back(in.byte() % 8);
        continue;
      }
      i += 1 + in.byte() % 8 * (in.coin() ? 1u : 4000u);
      v.push_back(i);
    }
    return v;
  }

  /// A field's value: always there when tame (so nothing is empty), maybe not when wild.
  std::optional<std::string_view> required_text() {
    if (wild && in.coin()) return std::nullopt;
    return in.text();
  }

  /// Wild: an (x, y) of any order and certificate, there or not, 1 time in 8.
  template <class Level>
  Level any_level(const std::vector<Level>& levels) {
    const Level l = levels[in.byte() % levels.size()];
    if (!wild || in.byte() % 8 != 0) return l;
    if constexpr (std::is_same_v<Level, std::uint32_t>) {
      return in.byte() % 8;
    } else {
      return {in.byte() % 8, in.byte() % 8};
    }
  }

  /// Tame: the defaults. Wild: each limit small now and then.
  gdos::parse_options options() {
    gdos::parse_options o;
    if (!wild) return o;
    const std::uint8_t which = in.byte();
    if (which & 1) o.max_index = 1 + in.byte() % 8;
    if (which & 2) o.max_orders = in.byte() % 4;
    if (which & 4) o.max_certificates = in.byte() % 4;
    if (which & 8) o.max_org_matches = in.byte() % 4;
    if (which & 16) o.max_fields = in.byte() % 16;
    if (which & 32) o.max_body_size = in.byte();
    return o;
  }

  gdos::decoded_org_details org_details() {
    gdos::decoded_org_details d;
    d.status = in.coin() ? std::string_view("Found") : in.text();
    if (wild && in.coin()) d.status.reset();
    for (std::uint32_t m : indices(3)) {
      auto& x = d.matches.emplace_back();
      x.index = m;
      x.organization_name = required_text();  // every tame match has a field
      x.street_address = in.maybe(in.text());
      x.locality_name = in.maybe(in.text());
      x.state_or_province_name = in.maybe(in.text());
      x.postal_code = in.maybe(in.text());
      x.country_name = in.maybe(in.text());
      x.duns_number = in.maybe(in.text());
      x.telephone_number = in.maybe(in.text());
    }
    std::vector<std::uint32_t> levels{0};
    for (const auto& x : d.matches) levels.push_back(x.index);
    for (std::size_t n = in.byte() % 4; n != 0; --n) {
      const std::uint32_t m = any_level(levels);
      const std::string_view name = unknown_name();
      bool taken = false;
      for (const auto& u : d.unknown_fields) taken |= u.match == m && u.name == name;
      if (!taken || wild) d.unknown_fields.push_back({m, name, in.text()});
    }
    return d;
  }
};

/// Parses `text` strictly and leniently with `o`: check_round_trip() must be exact in strict
/// mode, and its ok a promise in lenient mode. Returns whether check_round_trip() said ok.
template <class R, class Parse>
bool check_round_trip_is_exact(const R& built, const std::string& text, gdos::parse_options o,
                               const Parse& parse) {
  o.mode = gdos::parse_mode::strict;
  const gdos::round_trip_check v = gdos::check_round_trip(built, o);
  const auto strict = parse(text, o);
  FUZZ_CHECK(bool(v) == (strict.has_value() && *strict == built));
  if (!v) return false;
  o.mode = gdos::parse_mode::lenient;
  const auto lenient = parse(text, o);
  FUZZ_CHECK(lenient.has_value() && *lenient == built);
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  reader in(std::string_view(reinterpret_cast<const char*>(data), size));
  builder b{in, (in.byte() & 1) != 0, {}};
  const gdos::parse_options options = b.options();
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
    o.date_time = b.required_text();  // every tame order has a field
    o.status = in.maybe(in.text());
    o.status_reason = in.maybe(in.text());
    if (in.coin()) {
      nested.emplace_back(x, b.org_details());
      o.suggested_org_details = b.keep(gdos::write_org_details(nested.back().second));
    }
    for (std::uint32_t y : b.indices(4)) {
      auto& c = o.certificates.emplace_back();
      c.index = y;
      c.fqdn = b.required_text();  // every tame certificate has a field
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
    const auto [x, y] = b.any_level(levels);
    const std::string_view name = b.unknown_name();
    bool taken = false;
    for (const auto& u : r.unknown_fields)
      taken |= u.order == x && u.certificate == y && u.name == name;
    if (!taken || b.wild) r.unknown_fields.push_back({x, y, name, in.text()});
  }

  const std::string body = gdos::write_response(r);
  const auto parse_reply = [](std::string_view t, const gdos::parse_options& o) {
    return gdos::parse_response(t, o);
  };
  const auto parse_list = [](std::string_view t, const gdos::parse_options& o) {
    return gdos::parse_org_details(t, o);
  };
  bool nested_ok = true;
  for (const auto& [x, d] : nested)
    nested_ok &= check_round_trip_is_exact(d, gdos::write_org_details(d), options, parse_list);
  if (!check_round_trip_is_exact(r, body, options, parse_reply) || !nested_ok) {
    FUZZ_CHECK(b.wild);  // a tame reply is always valid
    return 0;
  }

  const auto lazy = gdos::parse_response(body, options);
  FUZZ_CHECK(lazy.has_value());
  FUZZ_CHECK(*lazy == r);
  FUZZ_CHECK(gdos::write_response(*lazy) == body);
  std::string copy = body;
  const auto plain =
      gdos::parse_response_in_place(std::span<char>(copy.data(), copy.size()), options);
  FUZZ_CHECK(plain.has_value() && *plain == r);
  for (const auto& [x, d] : nested) {
    const gdos::order* o = lazy->find_order(x);
    FUZZ_CHECK(o != nullptr && o->suggested_org_details.has_value());
    const std::string list = o->suggested_org_details->decode();
    const auto back = gdos::parse_org_details(list, options);
    FUZZ_CHECK(back.has_value() && *back == d);
  }
  return 0;
}
