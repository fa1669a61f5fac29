// Replies a hostile server can send, built to hit the costliest paths of the reply parser, the
// writers, the round-trip check and equality (issue #10, "Quadratic paths a server can
// trigger"). Generated, not checked in: each is a few MiB. Shared by gdos_bench
// (bench/bench_hostile.cpp) and the limits test (tests/test_response_limits.cpp).
//
// Every body fits the default parse_options (4 MiB, 100,000 fields, 1000 orders, 1000
// certificates per order) and the lenient parser accepts it; most are accepted strictly too.
// make(kind, bytes) fills up to `bytes` with fields (and at most `field_cap` of them), so a body
// twice the size has about twice the fields: what the scaling checks compare.
//
// The bodies (kind, what it aims at):
//   escaped_prefix     distinct top-level names, `%41` x 11 then a number (the probe's
//                      names.txt): the deferred duplicate check over ~100,000 escaped names.
//   long_prefix        ~1,000 names with a 3.9 KB common escaped prefix, then a number.
//   last_byte          names that differ only in their last byte (`%00`...`%FF`) after a 1 KB
//                      escaped prefix, 256 per order, orders 1, 2, ...
//   mixed_spelling     names decoding alike up to a distinct number, each byte of the common
//                      part spelled `J`, `%4A` or `%4a` at random: raw bytes differ early.
//   plain_prefix       unescaped names, a 30-byte common prefix then a number.
//   duplicates         one order-level unknown field, then ~100,000 top-level copies of one
//                      name, spelled at random as above: the deferred check finds them all
//                      (strict: an error once the body is read; lenient: one field is left).
//   interleaved        an unknown field of certificate 1_1 first, then 1,000 x 50 certificates
//                      with an FQDN each, then top-level unknown fields (the probe's levels.txt):
//                      the unknown list is not grouped by level, 50,000 levels are written.
//   reversed_certs     one order, certificates 1000 down to 1, an unknown field of each in
//                      turn, round after round (the probe's certs.txt).
//   leading_zeros      keys `000000123_name`: indices with leading zeros, refused in strict mode
//                      (at the first key), kept as top-level unknown fields in lenient mode.
//   org_list           a suggestedOrgDetails list (parse_org_details), Status then matches 1 to
//                      1000 in turn, each with escaped unknown names: matches interleaved and
//                      the deferred check over ~100,000 names.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace gdos_adversarial {

enum class kind : std::uint8_t {
  escaped_prefix,
  long_prefix,
  last_byte,
  mixed_spelling,
  plain_prefix,
  duplicates,
  interleaved,
  reversed_certs,
  leading_zeros,
  org_list,
};

inline constexpr kind all_kinds[] = {
    kind::escaped_prefix, kind::long_prefix, kind::last_byte,   kind::mixed_spelling,
    kind::plain_prefix,   kind::duplicates,  kind::interleaved, kind::reversed_certs,
    kind::leading_zeros,  kind::org_list,
};

inline std::string_view name(kind k) {
  switch (k) {
    case kind::escaped_prefix:
      return "escaped_prefix";
    case kind::long_prefix:
      return "long_prefix";
    case kind::last_byte:
      return "last_byte";
    case kind::mixed_spelling:
      return "mixed_spelling";
    case kind::plain_prefix:
      return "plain_prefix";
    case kind::duplicates:
      return "duplicates";
    case kind::interleaved:
      return "interleaved";
    case kind::reversed_certs:
      return "reversed_certs";
    case kind::leading_zeros:
      return "leading_zeros";
    case kind::org_list:
      return "org_list";
  }
  return "?";
}

/// True for the body that parse_org_details() takes (the others are replies).
inline bool is_org_list(kind k) { return k == kind::org_list; }

/// What the strict parser says: ok, or refused (duplicates: duplicate_key once the body is
/// read; leading_zeros: index_leading_zero at the first key).
inline bool strict_accepts(kind k) { return k != kind::duplicates && k != kind::leading_zeros; }

/// The size of the bodies of the issue: parse_options::max_body_size.
inline constexpr std::size_t max_body = std::size_t{4} << 20;
/// Fields per body at most: under parse_options::max_fields (100,000), with room for the few
/// fixed ones.
inline constexpr std::size_t field_cap = 99990;

namespace detail {

/// A fixed-seed generator (splitmix64): the same bodies on every run and machine.
class rng {
 public:
  explicit rng(std::uint64_t seed) : s_(seed) {}
  std::uint64_t next() {
    std::uint64_t z = (s_ += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }

 private:
  std::uint64_t s_;
};

inline std::string repeat(std::string_view piece, std::size_t n) {
  std::string out;
  out.reserve(piece.size() * n);
  for (std::size_t i = 0; i < n; ++i) out += piece;
  return out;
}

/// `J` spelled one of three ways at random, n times: decodes to n x 'J' whatever the draw.
inline std::string mixed_j(rng& r, std::size_t n) {
  std::string out;
  for (std::size_t i = 0; i < n; ++i) {
    const std::uint64_t v = r.next() % 3;
    out += v == 0 ? "J" : v == 1 ? "%4A" : "%4a";
  }
  return out;
}

/// Appends fields, each written by `field(i, body)` after its '&', for i = 0, 1, ... while the
/// body stays within `bytes` and has at most `cap` of them; the field that would pass `bytes`
/// (or that `field` leaves empty, to stop) is taken back.
template <class Field>
void fill(std::string& body, std::size_t bytes, std::size_t cap, Field&& field) {
  for (std::size_t i = 0; i < cap; ++i) {
    const std::size_t before = body.size();
    body += '&';
    field(i, body);
    if (body.size() == before + 1 || body.size() > bytes) {
      body.resize(before);
      return;
    }
  }
}

}  // namespace detail

/// The body of kind `k`, at most `bytes` long (at least a few hundred).
inline std::string make(kind k, std::size_t bytes = max_body) {
  using detail::fill;
  using detail::repeat;
  using std::to_string;
  std::string body = "errorCode=0";
  body.reserve(bytes);
  switch (k) {
    case kind::escaped_prefix: {
      const std::string prefix = repeat("%41", 11);
      fill(body, bytes, field_cap,
           [&](std::size_t i, std::string& out) { out += prefix + to_string(i) + "=1"; });
      break;
    }
    case kind::long_prefix: {
      const std::string prefix = repeat("%41", 1300);
      fill(body, bytes, field_cap,
           [&](std::size_t i, std::string& out) { out += prefix + to_string(i) + "=1"; });
      break;
    }
    case kind::last_byte: {
      const std::string prefix = repeat("%41", 340);
      static constexpr char hex[] = "0123456789ABCDEF";
      fill(body, bytes, field_cap, [&](std::size_t i, std::string& out) {
        if (i / 256 >= 1000) return;
        const std::size_t b = i % 256;
        out += to_string(i / 256 + 1) + "_" + prefix + "%" + hex[b >> 4] + hex[b & 15] + "=1";
      });
      break;
    }
    case kind::mixed_spelling: {
      detail::rng r(1);
      fill(body, bytes, field_cap, [&](std::size_t i, std::string& out) {
        out += detail::mixed_j(r, 16) + to_string(i) + "=1";
      });
      break;
    }
    case kind::plain_prefix: {
      const std::string prefix(30, 'p');
      fill(body, bytes, field_cap,
           [&](std::size_t i, std::string& out) { out += prefix + to_string(i) + "=1"; });
      break;
    }
    case kind::duplicates: {
      detail::rng r(2);
      body += "&1_orderField=1";
      fill(body, bytes, field_cap, [&](std::size_t i, std::string& out) {
        out += detail::mixed_j(r, 12) + "=" + to_string(i);
      });
      break;
    }
    case kind::interleaved: {
      // A quarter of the fields are certificates' (1000 per order), the rest top-level names.
      const std::size_t fields = (bytes - 32) / 42 < field_cap ? (bytes - 32) / 42 : field_cap;
      const std::size_t certs = fields / 4;
      body += "&1_1_zz=1";
      fill(body, bytes, certs, [&](std::size_t i, std::string& out) {
        out += to_string(i / 1000 + 1) + "_" + to_string(i % 1000 + 1) + "_FQDN=a";
      });
      const std::string pad(30, 'u');
      fill(body, bytes, fields - certs,
           [&](std::size_t i, std::string& out) { out += pad + to_string(i) + "=1"; });
      break;
    }
    case kind::reversed_certs: {
      const std::string pad(28, 'u');
      fill(body, bytes, field_cap, [&](std::size_t i, std::string& out) {
        out += "1_" + to_string(1000 - i % 1000) + "_" + pad + to_string(i / 1000) + "=a";
      });
      break;
    }
    case kind::leading_zeros: {
      const std::string pad(24, 'z');
      fill(body, bytes, field_cap, [&](std::size_t i, std::string& out) {
        const std::string index = to_string(i + 1);
        out += std::string(10 - index.size(), '0') + index + "_" + pad + "=1";
      });
      break;
    }
    case kind::org_list: {
      body = "Status=Found";
      fill(body, bytes, 1000, [&](std::size_t i, std::string& out) {
        out += to_string(i + 1) + "_organizationName=Org+" + to_string(i + 1);
      });
      const std::string prefix = repeat("%41", 10);
      fill(body, bytes, field_cap - 1000, [&](std::size_t i, std::string& out) {
        out += to_string(i % 1000 + 1) + "_" + prefix + to_string(i) + "=1";
      });
      break;
    }
  }
  return body;
}

/// The level of an unknown field as one integer: (order << 32) | certificate for a reply's,
/// the match index for a suggestedOrgDetails list's. Lists sorted by it are grouped by level.
template <class U>
std::uint64_t level_of(const U& u) {
  if constexpr (requires { u.certificate; })
    return (std::uint64_t{u.order} << 32) | u.certificate;
  else
    return u.match;
}

/// `list` grouped by level, each level's fields in list order (a sort of (level, position)
/// pairs: std::stable_sort is deprecated inside libstdc++ 12 for clang).
template <class U>
std::vector<U> grouped(const std::vector<U>& list) {
  std::vector<std::pair<std::uint64_t, std::size_t>> keys;
  keys.reserve(list.size());
  for (std::size_t i = 0; i < list.size(); ++i) keys.emplace_back(level_of(list[i]), i);
  std::sort(keys.begin(), keys.end());
  std::vector<U> out;
  out.reserve(list.size());
  for (const auto& key : keys) out.push_back(list[key.second]);
  return out;
}

}  // namespace gdos_adversarial
