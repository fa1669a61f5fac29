/// @file detail/reply_writer.hpp
/// @brief The reply and suggestedOrgDetails writers behind gdos/write_response.hpp: a sizing
/// pass and a writing pass over the same code.
#pragma once

#include <gdos/config.hpp>
#include <gdos/detail/decimal.hpp>
#include <gdos/detail/reply_fields.hpp>
#include <gdos/detail/reply_scan.hpp>
#include <gdos/form.hpp>
#include <gdos/response_model.hpp>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace gdos::detail {

struct size_sink {
  std::size_t n = 0;
  constexpr void put(char) noexcept { ++n; }
  constexpr void put(std::string_view s) noexcept { n += s.size(); }
  constexpr void put_encoded(std::string_view plain) noexcept { n += form::encoded_size(plain); }
  constexpr void put_encoded(char c) noexcept { n += form::is_unreserved(c) || c == ' ' ? 1 : 3; }
};

struct ptr_sink {
  char* p;
  constexpr void put(char c) noexcept { *p++ = c; }
  constexpr void put(std::string_view s) noexcept { p = std::copy(s.begin(), s.end(), p); }
  constexpr void put_encoded(std::string_view plain) noexcept {
    p = form::encode_unchecked(plain, p);
  }
  constexpr void put_encoded(char c) noexcept {
    const char one[1] = {c};
    p = form::encode_unchecked(std::string_view(one, 1), p);
  }
};

/// True when `raw` is already in the form the urlencoded serializer writes, up to the case of
/// hex digits: unreserved bytes, `+` and `%XX`. Such text is copied as it is.
[[nodiscard]] constexpr bool is_serialized_form(std::string_view raw) noexcept {
  const char* p = raw.data();
  const char* end = p + raw.size();
  for (; p != end; ++p) {
    if (form::is_unreserved(*p) || *p == '+') continue;
    if (*p != '%' || !form::detail::valid_escape_at(p, end)) return false;
    p += 2;
  }
  return true;
}

template <class Sink>
constexpr void put_text(Sink& s, std::string_view plain) noexcept {
  s.put_encoded(plain);
}

template <class Sink>
constexpr void put_text(Sink& s, const form::encoded_view& v) noexcept {
  const std::string_view raw = v.encoded();
  if (is_serialized_form(raw)) {
    s.put(raw);
    return;
  }
  // Not in serialized form (say a raw '&' in a view someone built): write decode-then-encode,
  // which has the same decoded text.
  const char* p = raw.data();
  const char* end = p + raw.size();
  while (p != end) s.put_encoded(form::detail::next_decoded(p, end));
}

template <class Sink, class Int>
constexpr void put_decimal(Sink& s, Int v) noexcept {
  s.put(to_decimal(v).view());
}

/// Writes `name=value` pairs into a sink: `&` before each pair but the first, then the index
/// prefix of the pair's level (`X_`, `X_Y_` or `N_`; none for 0).
template <class Sink>
struct pair_writer {
  Sink& sink;
  bool first = true;

  constexpr void begin(std::uint32_t x, std::uint32_t y) noexcept {
    if (!first) sink.put('&');
    first = false;
    if (x == 0) return;
    put_decimal(sink, x);
    sink.put('_');
    if (y == 0) return;
    put_decimal(sink, y);
    sink.put('_');
  }

  /// The known fields of `rec` that are present, in row order, at level x, y.
  template <class Record>
  constexpr void known(std::uint32_t x, std::uint32_t y, const Record& rec) noexcept {
    const auto pair = [&](std::string_view name) {
      begin(x, y);
      sink.put(name);
      sink.put('=');
    };
    // Each kind compiled only for the records that have it: the others' members are null.
    for (const auto& row : rows_of<Record>) {
      switch (row.kind) {
        case value_kind::text:
          if constexpr (has_kind<Record>(value_kind::text)) {
            if (const auto& v = rec.*row.text; v.has_value()) {
              pair(row.name);
              put_text(sink, *v);
            }
          }
          break;
        case value_kind::progress:
          if constexpr (has_kind<Record>(value_kind::progress)) {
            if (const auto& v = rec.*row.progress; v.has_value()) {
              pair(row.name);
              put_decimal(sink, to_int(*v));
            }
          }
          break;
        case value_kind::number:
          if constexpr (has_kind<Record>(value_kind::number)) {
            if (const auto& v = rec.*row.number; v.has_value()) {
              pair(row.name);
              put_decimal(sink, *v);
            }
          }
          break;
        case value_kind::code:
          if constexpr (has_kind<Record>(value_kind::code)) {
            pair(row.name);
            put_decimal(sink, to_int(rec.*row.code));
          }
          break;
      }
    }
  }

  /// An unknown field at level x, y.
  template <class U>
  constexpr void unknown(std::uint32_t x, std::uint32_t y, const U& u) noexcept {
    begin(x, y);
    put_text(sink, u.name);
    sink.put('=');
    put_text(sink, u.value);
  }
};

/// Writes the unknown fields level by level, each level's in list order, along the list's
/// level_walk: one cursor along the walk when the levels are written in ascending order (what
/// a parsed reply gives), a binary search of the walk per level otherwise. Either way a field
/// of a level that is not written (an orphan) is skipped, and O(n log n) at worst. Without
/// the memory to sort an interleaved list (run time, out of memory), each level filters the
/// whole list instead.
template <class U>
class unknown_cursor {
 public:
  constexpr unknown_cursor(const level_walk<U>& walk, bool levels_ascending) noexcept
      : walk_(walk), ascending_(levels_ascending) {}

  template <class Fn>
  constexpr void each(std::uint64_t tag, Fn&& fn) noexcept {
    if (!walk_.ok()) {
      scan(tag, fn);
      return;
    }
    std::size_t k = ascending_ ? i_ : walk_.lower_bound(tag);
    while (k < walk_.size() && walk_.tag(k) < tag) ++k;
    for (; k < walk_.size() && walk_.tag(k) == tag; ++k) fn(walk_[k]);
    if (ascending_) i_ = k;
  }

 private:
  template <class Fn>
  GDOS_DETAIL_COLD constexpr void scan(std::uint64_t tag, Fn& fn) noexcept {
    for (const U& u : walk_.list())
      if (tag_of(u) == tag) fn(u);
  }

  const level_walk<U>& walk_;
  bool ascending_;
  std::size_t i_ = 0;
};

/// Writes a reply: the top level's known fields (errorCode first) and unknown fields, then each
/// order's, each followed by its certificates'. `walk` is r.unknown_fields' (made once for the
/// sizing and the writing pass).
template <class Sink, class S>
constexpr void write_response_body(Sink& s, const basic_response<S>& r,
                                   const level_walk<basic_unknown_field<S>>& walk) noexcept {
  static_assert(rows_of<basic_response<S>>[0].kind == value_kind::code,
                "errorCode starts the body");
  pair_writer<Sink> w{s};
  w.known(0, 0, r);
  bool ascending = true;
  for (std::size_t i = 0; i < r.orders.size() && ascending; ++i) {
    ascending = i == 0 || r.orders[i - 1].index < r.orders[i].index;
    const auto& cs = r.orders[i].certificates;
    for (std::size_t j = 1; j < cs.size() && ascending; ++j)
      ascending = cs[j - 1].index < cs[j].index;
  }
  unknown_cursor<basic_unknown_field<S>> unknown(walk, ascending);
  const auto put_unknown = [&w](const basic_unknown_field<S>& u) {
    w.unknown(u.order, u.certificate, u);
  };
  unknown.each(0, put_unknown);
  for (const auto& o : r.orders) {
    const std::uint32_t x = o.index;
    w.known(x, 0, o);
    unknown.each(static_cast<std::uint64_t>(x) << 32, put_unknown);
    for (const auto& c : o.certificates) {
      w.known(x, c.index, c);
      unknown.each((static_cast<std::uint64_t>(x) << 32) | c.index, put_unknown);
    }
  }
}

/// Writes a suggestedOrgDetails list: `Status` and the un-indexed unknown fields, then each
/// match's known and unknown fields.
template <class Sink, class S>
constexpr void write_org_details_body(Sink& s, const basic_org_details<S>& d,
                                      const level_walk<basic_org_unknown_field<S>>& walk) noexcept {
  pair_writer<Sink> w{s};
  w.known(0, 0, d);
  bool ascending = true;
  for (std::size_t i = 1; i < d.matches.size() && ascending; ++i)
    ascending = d.matches[i - 1].index < d.matches[i].index;
  unknown_cursor<basic_org_unknown_field<S>> unknown(walk, ascending);
  const auto put_unknown = [&w](const basic_org_unknown_field<S>& u) { w.unknown(u.match, 0, u); };
  unknown.each(0, put_unknown);
  for (const auto& m : d.matches) {
    w.known(m.index, 0, m);
    unknown.each(m.index, put_unknown);
  }
}

/// The size of write_response_body(r) for a reply whose orders and certificates have unique
/// indices and whose unknown fields all belong to one of them (what the round-trip check has
/// checked by then): every pair is written once, so the same pairs are counted in list order,
/// in linear time and without putting the unknown fields in level order.
template <class S>
[[nodiscard]] constexpr std::size_t checked_response_size(const basic_response<S>& r) noexcept {
  size_sink s;
  pair_writer<size_sink> w{s};
  w.known(0, 0, r);
  for (const auto& o : r.orders) {
    w.known(o.index, 0, o);
    for (const auto& c : o.certificates) w.known(o.index, c.index, c);
  }
  for (const auto& u : r.unknown_fields) w.unknown(u.order, u.certificate, u);
  return s.n;
}

/// checked_response_size() of a suggestedOrgDetails list (unique match indices, no orphan).
template <class S>
[[nodiscard]] constexpr std::size_t checked_org_details_size(
    const basic_org_details<S>& d) noexcept {
  size_sink s;
  pair_writer<size_sink> w{s};
  w.known(0, 0, d);
  for (const auto& m : d.matches) w.known(m.index, 0, m);
  for (const auto& u : d.unknown_fields) w.unknown(u.match, 0, u);
  return s.n;
}

template <class Body>
[[nodiscard]] constexpr form::write_result write_to(std::span<char> dest,
                                                    const Body& body) noexcept {
  size_sink n;
  body(n);
  if (n.n > dest.size()) return {n.n, false};
  ptr_sink w{dest.data()};
  body(w);
  GDOS_ASSERT(w.p == dest.data() + n.n);  // the sizing pass and the writing pass agree
  return {n.n, true};
}

template <class Body>
[[nodiscard]] constexpr std::string write_string(const Body& body) {
  size_sink n;
  body(n);
  std::string out(n.n, '\0');
  ptr_sink w{out.data()};
  body(w);
  GDOS_ASSERT(w.p == out.data() + out.size());
  return out;
}

}  // namespace gdos::detail
