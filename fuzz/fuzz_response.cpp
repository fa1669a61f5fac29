// Invariants of the reply parser (gdos/response.hpp) for every input, checked with an abort so
// that libFuzzer (or the replay main) reports the input that breaks them. The whole input is
// the body, parsed in strict and in lenient mode, lazily and in place:
//   - a refused body gives an offset and a key inside it; lazy and in-place parses refuse the
//     same bodies with the same code;
//   - an accepted body gives strings that view the body, orders and certificates in strictly
//     ascending index order, unknown fields whose order and certificate exist;
//   - write_response() of it parses again to an equal reply (in the same mode), and writing
//     that gives the same bytes (a fixed point), in a std::string or in caller memory (never
//     truncated: one byte short writes nothing);
//   - the in-place parse equals the lazy one; strict acceptance implies lenient acceptance of
//     an equal reply;
//   - no two unknown fields of an accepted reply share a level and a decoded name (compared
//     pair by pair here, against the parser's hashing and sorting).
#include <gdos/response.hpp>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "fuzz_check.hpp"

namespace {

bool within(std::string_view outer, std::string_view inner) {
  return inner.empty() || (inner.data() >= outer.data() &&
                           inner.data() + inner.size() <= outer.data() + outer.size());
}

void check_views(std::string_view body, const gdos::response& r) {
  const auto in = [body](const std::optional<gdos::form::encoded_view>& v) {
    return !v || within(body, v->encoded());
  };
  FUZZ_CHECK(in(r.error_message) && in(r.error_item) && in(r.error_detail));
  for (const auto& o : r.orders) {
    FUZZ_CHECK(in(o.date_time) && in(o.status) && in(o.status_reason) &&
               in(o.suggested_org_details));
    for (const auto& c : o.certificates)
      FUZZ_CHECK(in(c.serial_number) && in(c.object_type) && in(c.fqdn) && in(c.status) &&
                 in(c.status_reason));
  }
  for (const auto& u : r.unknown_fields)
    FUZZ_CHECK(within(body, u.name.encoded()) && within(body, u.value.encoded()));
}

template <class S>
void check_shape(const gdos::basic_response<S>& r, const gdos::parse_options& opt) {
  for (std::size_t i = 0; i < r.orders.size(); ++i) {
    const auto& o = r.orders[i];
    FUZZ_CHECK(o.index >= 1 && o.index <= opt.max_index);
    FUZZ_CHECK(i == 0 || r.orders[i - 1].index < o.index);
    for (std::size_t j = 0; j < o.certificates.size(); ++j) {
      FUZZ_CHECK(o.certificates[j].index >= 1 && o.certificates[j].index <= opt.max_index);
      FUZZ_CHECK(j == 0 || o.certificates[j - 1].index < o.certificates[j].index);
    }
  }
  for (const auto& u : r.unknown_fields) {
    if (u.order == 0) {
      FUZZ_CHECK(u.certificate == 0);
      continue;
    }
    const auto* o = r.find_order(u.order);
    FUZZ_CHECK(o != nullptr);
    FUZZ_CHECK(u.certificate == 0 || o->find_certificate(u.certificate) != nullptr);
  }
}

template <class S>
std::string decoded(const S& s) {
  if constexpr (std::is_same_v<S, std::string_view>)
    return std::string(s);
  else
    return gdos::form::decode(s.encoded());
}

template <class S>
void check_no_repeats(const gdos::basic_response<S>& r) {
  const auto& v = r.unknown_fields;
  if (v.size() > 400) return;  // pair by pair: keep it quick
  std::vector<std::string> names;
  for (const auto& u : v) names.push_back(decoded(u.name));
  for (std::size_t i = 0; i < v.size(); ++i)
    for (std::size_t j = i + 1; j < v.size(); ++j)
      FUZZ_CHECK(v[i].order != v[j].order || v[i].certificate != v[j].certificate ||
                 names[i] != names[j]);
}

void check_mode(std::string_view body, gdos::parse_mode mode) {
  gdos::parse_options opt;
  opt.mode = mode;
  const auto r = gdos::parse_response(body, opt);

  std::string copy(body);
  const auto p = gdos::parse_response_in_place(std::span<char>(copy.data(), copy.size()), opt);
  FUZZ_CHECK(r.has_value() == p.has_value());

  if (!r) {
    const gdos::parse_error& e = r.error();
    FUZZ_CHECK(e.code != gdos::response_errc::ok);
    FUZZ_CHECK(e.offset <= body.size());
    FUZZ_CHECK(within(body, e.key));
    FUZZ_CHECK(p.error().code == e.code);
    FUZZ_CHECK(!e.message().empty());
    return;
  }
  check_views(body, *r);
  check_shape(*r, opt);
  check_shape(*p, opt);
  check_no_repeats(*r);
  check_no_repeats(*p);
  FUZZ_CHECK(*p == *r);
  FUZZ_CHECK(*r == *p);

  const std::string w = gdos::write_response(*r);
  const auto again = gdos::parse_response(w, opt);
  FUZZ_CHECK(again.has_value());
  FUZZ_CHECK(*again == *r);
  FUZZ_CHECK(gdos::write_response(*again) == w);
  // The in-place reply writes its plain strings encoded afresh, not necessarily the raw bytes
  // the lazy one copies, but to the same reply.
  const std::string w_plain = gdos::write_response(*p);
  const auto from_plain = gdos::parse_response(w_plain, opt);
  FUZZ_CHECK(from_plain.has_value() && *from_plain == *r);

  std::vector<char> buf(w.size() + 1, '#');
  const auto fits = gdos::write_response(*r, std::span<char>(buf.data(), w.size()));
  FUZZ_CHECK(fits.ok && fits.size == w.size());
  FUZZ_CHECK(std::string_view(buf.data(), w.size()) == w && buf[w.size()] == '#');
  if (!w.empty()) {
    std::vector<char> small(w.size() - 1, '#');
    const auto short_by_one = gdos::write_response(*r, std::span<char>(small));
    FUZZ_CHECK(!short_by_one.ok && short_by_one.size == w.size());
    for (char c : small) FUZZ_CHECK(c == '#');
  }

  if (mode == gdos::parse_mode::strict) {
    opt.mode = gdos::parse_mode::lenient;
    const auto l = gdos::parse_response(body, opt);
    FUZZ_CHECK(l.has_value() && *l == *r);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view body(reinterpret_cast<const char*>(data), size);
  check_mode(body, gdos::parse_mode::strict);
  check_mode(body, gdos::parse_mode::lenient);
  return 0;
}
