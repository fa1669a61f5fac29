/// @file impl/response_model.hpp
/// @brief The bodies of gdos/response_model.hpp: equality, the names of the enumerators, the
/// unknown-field iterator, date parsing and lookups. Included at the end of that header.
#pragma once

#include <gdos/config.hpp>
#include <gdos/detail/ascii.hpp>
#include <gdos/detail/decimal.hpp>
#include <gdos/detail/reply_fields.hpp>
#include <gdos/detail/scratch.hpp>
#include <gdos/response_model.hpp>

#include <algorithm>
#include <array>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

namespace gdos {

// ---- enumerators ------------------------------------------------------------------------------

constexpr bool is_known(progress_status s) noexcept {
  const auto v = static_cast<std::int32_t>(s);
  return v >= -1 && v <= 2;
}

constexpr std::string_view to_string(progress_status s) noexcept {
  switch (s) {
    case progress_status::not_required:
      return "not_required";
    case progress_status::not_completed:
      return "not_completed";
    case progress_status::completed:
      return "completed";
    case progress_status::in_progress:
      return "in_progress";
  }
  return "unknown";
}

constexpr std::string_view to_string(org_status s) noexcept {
  switch (s) {
    case org_status::missing:
      return "missing";
    case org_status::found:
      return "found";
    case org_status::not_found:
      return "not_found";
    case org_status::not_yet_completed:
      return "not_yet_completed";
    case org_status::not_applicable:
      return "not_applicable";
    case org_status::other:
      return "other";
  }
  return "other";
}

constexpr std::string_view wire_name(org_status s) noexcept {
  switch (s) {
    case org_status::found:
      return "Found";
    case org_status::not_found:
      return "NotFound";
    case org_status::not_yet_completed:
      return "NotYetCompleted";
    case org_status::not_applicable:
      return "NotApplicable";
    case org_status::missing:
    case org_status::other:
      break;
  }
  return {};
}

constexpr std::string_view to_string(response_errc e) noexcept {
  using enum response_errc;
  switch (e) {
    case ok:
      return "ok";
    case body_too_large:
      return "body_too_large";
    case empty_body:
      return "empty_body";
    case legacy_format:
      return "legacy_format";
    case html_body:
      return "html_body";
    case json_body:
      return "json_body";
    case not_urlencoded:
      return "not_urlencoded";
    case missing_error_code:
      return "missing_error_code";
    case invalid_error_code:
      return "invalid_error_code";
    case invalid_value:
      return "invalid_value";
    case duplicate_key:
      return "duplicate_key";
    case index_zero:
      return "index_zero";
    case index_signed:
      return "index_signed";
    case index_leading_zero:
      return "index_leading_zero";
    case index_overflow:
      return "index_overflow";
    case index_too_large:
      return "index_too_large";
    case too_many_fields:
      return "too_many_fields";
    case too_many_orders:
      return "too_many_orders";
    case too_many_certificates:
      return "too_many_certificates";
    case too_many_matches:
      return "too_many_matches";
    case missing_org_status:
      return "missing_org_status";
    case buffer_too_small:
      return "buffer_too_small";
  }
  return "unknown";
}

constexpr std::string_view message(response_errc e) noexcept {
  using enum response_errc;
  switch (e) {
    case ok:
      return "ok";
    case body_too_large:
      return "body larger than the configured maximum";
    case empty_body:
      return "empty body";
    case legacy_format:
      return "newline-delimited reply (the legacy format), not url-encoded";
    case html_body:
      return "HTML page instead of a url-encoded reply";
    case json_body:
      return "JSON body (the reply to responseFormat=2) instead of a url-encoded reply: ask for "
             "responseFormat=1";
    case not_urlencoded:
      return "not a url-encoded reply (no '=' anywhere)";
    case missing_error_code:
      return "no errorCode field";
    case invalid_error_code:
      return "errorCode is not a 32-bit decimal integer";
    case invalid_value:
      return "value does not parse as its field's type";
    case duplicate_key:
      return "duplicate key";
    case index_zero:
      return "index 0 (indices start at 1)";
    case index_signed:
      return "signed index";
    case index_leading_zero:
      return "index with a leading zero";
    case index_overflow:
      return "index does not fit 32 bits";
    case index_too_large:
      return "index larger than the configured maximum";
    case too_many_fields:
      return "more fields than the configured maximum";
    case too_many_orders:
      return "more orders than the configured maximum";
    case too_many_certificates:
      return "more certificates in one order than the configured maximum";
    case too_many_matches:
      return "more organizations than the configured maximum";
    case missing_org_status:
      return "suggestedOrgDetails list without Status";
    case buffer_too_small:
      return "buffer too small for the decoded value";
  }
  return "unknown response error";
}

inline std::string parse_error::message() const {
  std::string out(gdos::message(code));
  if (code == response_errc::legacy_format) {
    out += ": errorCode ";
    out += detail::to_decimal(to_int(legacy_code)).view();
    out += ", \"";
    detail::append_printable(out, legacy_message, 64);
    out += '"';
    return out;
  }
  if (!key.empty()) {
    out += ": '";
    detail::append_printable(out, key, 64);
    out += '\'';
  }
  if (code != response_errc::ok) {
    out += " at byte ";
    out += detail::to_decimal(offset).view();
  }
  return out;
}

// ---- comparisons ------------------------------------------------------------------------------

namespace detail {

/// Length of the common prefix of the n bytes at x and y.
[[nodiscard]] constexpr std::size_t raw_mismatch(const char* x, const char* y,
                                                 std::size_t n) noexcept {
  std::size_t i = 0;
  if constexpr (std::endian::native == std::endian::little) {
    if (!std::is_constant_evaluated()) {
      for (; n - i >= 8; i += 8) {
        std::uint64_t a;
        std::uint64_t b;
        std::memcpy(&a, x + i, 8);
        std::memcpy(&b, y + i, 8);
        if (a != b) return i + static_cast<std::size_t>(std::countr_zero(a ^ b) >> 3);
      }
    }
  }
  while (i < n && x[i] == y[i]) ++i;
  return i;
}

/// Where two raw texts whose first `i` bytes are equal can start being decoded apart: the
/// decodings of everything before it are equal, and both texts have an escape boundary there.
/// That is i itself unless an escape can straddle it, i.e. one of the two bytes before it is a
/// '%' (a '%' is always a boundary: the two bytes of an escape are hex digits, never '%').
[[nodiscard]] constexpr std::size_t decode_boundary(std::string_view x, std::size_t i) noexcept {
  if (i >= 1 && x[i - 1] == '%') return i - 1;
  if (i >= 2 && x[i - 2] == '%') return i - 2;
  return i;
}

[[nodiscard]] constexpr bool is_special(char c) noexcept { return c == '%' || c == '+'; }

/// The decoding of raw text [p, end) a piece at a time, into a buffer of its own: each piece
/// is up to 128 raw bytes, cut where no escape straddles the cut (a '%' always starts one: an
/// escape's two other bytes are hex digits), and decoded by form::decode_unchecked(), the
/// decoder's fast path, rather than byte by byte.
class decoded_pieces {
 public:
  constexpr decoded_pieces(const char* p, const char* end) noexcept : p_(p), end_(end) {}

  /// The next piece's decoded bytes, empty at the end; valid until the next call.
  [[nodiscard]] constexpr std::string_view next() noexcept {
    if (p_ == end_) return {};
    const char* e = end_ - p_ > piece ? p_ + piece : end_;
    if (e != end_) e -= e[-1] == '%' ? 1 : e[-2] == '%' ? 2 : 0;
    const char* d =
        form::decode_unchecked(std::string_view(p_, static_cast<std::size_t>(e - p_)), buf_);
    p_ = e;
    return std::string_view(buf_, static_cast<std::size_t>(d - buf_));
  }

 private:
  static constexpr std::ptrdiff_t piece = 128;
  const char* p_;
  const char* end_;
  char buf_[piece];  // written before it is read
};

/// Whether x and y decode to the same text. The common raw prefix is skipped at memory speed
/// and decoding starts only where the raw texts differ, so texts spelled alike (the usual case,
/// and that of names built with long escaped prefixes) cost a comparison of raw bytes; from
/// there both are decoded a piece at a time and the pieces compared as memory.
[[nodiscard]] constexpr bool decoded_equal(std::string_view x, std::string_view y) noexcept {
  const std::size_t m = raw_mismatch(x.data(), y.data(), std::min(x.size(), y.size()));
  if (m == x.size() && m == y.size()) return true;
  const std::size_t b = decode_boundary(x, m);
  // Past a plain common prefix, two plain bytes (or an end) settle it: whatever is left
  // decodes to at least one more byte.
  if (b == m && (m == x.size() || m == y.size() || (!is_special(x[m]) && !is_special(y[m]))))
    return false;
  decoded_pieces px(x.data() + b, x.data() + x.size());
  decoded_pieces py(y.data() + b, y.data() + y.size());
  std::string_view a;
  std::string_view c;
  for (;;) {
    if (a.empty()) a = px.next();
    if (c.empty()) c = py.next();
    if (a.empty() || c.empty()) return a.empty() && c.empty();
    const std::size_t n = std::min(a.size(), c.size());
    if (a.substr(0, n) != c.substr(0, n)) return false;
    a.remove_prefix(n);
    c.remove_prefix(n);
  }
}

// Decoded equality across the two string kinds.
[[nodiscard]] constexpr bool str_eq(const form::encoded_view& a,
                                    const form::encoded_view& b) noexcept {
  return decoded_equal(a.encoded(), b.encoded());
}
[[nodiscard]] constexpr bool str_eq(const form::encoded_view& a, std::string_view b) noexcept {
  return a.equals_decoded(b);
}
[[nodiscard]] constexpr bool str_eq(std::string_view a, const form::encoded_view& b) noexcept {
  return b.equals_decoded(a);
}
[[nodiscard]] constexpr bool str_eq(std::string_view a, std::string_view b) noexcept {
  return a == b;
}

template <class A, class B>
[[nodiscard]] constexpr bool opt_eq(const std::optional<A>& a, const std::optional<B>& b) noexcept {
  if (a.has_value() != b.has_value()) return false;
  return !a.has_value() || str_eq(*a, *b);
}

template <class S>
[[nodiscard]] constexpr std::uint64_t tag_of(const basic_unknown_field<S>& u) noexcept {
  return (static_cast<std::uint64_t>(u.order) << 32) | u.certificate;
}
template <class S>
[[nodiscard]] constexpr std::uint64_t tag_of(const basic_org_unknown_field<S>& u) noexcept {
  return u.match;
}

/// The unknown fields of a list walked level by level: ascending levels (tag_of()), each
/// level's fields in list order. A list grouped that way already (what the parsers give) is
/// walked as it is; any other through its positions sorted once by level with a stable radix
/// sort: linear time, four integers per field of scratch memory, however the levels
/// interleave. At run time that memory is asked for without throwing, since the writers into
/// caller memory and equality are noexcept; ok() is false when it was not there.
template <class U>
class level_walk {
 public:
  constexpr explicit level_walk(const std::vector<U>& v) noexcept : v_(v) {
    for (std::size_t i = 1; i < v.size() && grouped_; ++i)
      grouped_ = tag_of(v[i - 1]) <= tag_of(v[i]);
    if (!grouped_) sort();
  }

  /// False when the list needed sorting and the memory for it was not there.
  [[nodiscard]] constexpr bool ok() const noexcept { return grouped_ || !order_.empty(); }
  /// The number of fields.
  [[nodiscard]] constexpr std::size_t size() const noexcept { return v_.size(); }
  /// The list walked.
  [[nodiscard]] constexpr const std::vector<U>& list() const noexcept { return v_; }
  /// The k-th field of the walk. Needs ok().
  [[nodiscard]] constexpr const U& operator[](std::size_t k) const noexcept {
    return grouped_ ? v_[k] : v_[static_cast<std::size_t>(order_[v_.size() + k])];
  }
  /// The level of the k-th field of the walk. Needs ok().
  [[nodiscard]] constexpr std::uint64_t tag(std::size_t k) const noexcept {
    return grouped_ ? tag_of(v_[k]) : order_[k];
  }
  /// The first k whose level is not below `tag` (size() when none). Needs ok().
  [[nodiscard]] constexpr std::size_t lower_bound(std::uint64_t tag) const noexcept {
    std::size_t lo = 0;
    std::size_t hi = v_.size();
    while (lo < hi) {
      const std::size_t mid = lo + (hi - lo) / 2;
      if (this->tag(mid) < tag)
        lo = mid + 1;
      else
        hi = mid;
    }
    return lo;
  }

 private:
  // order_: the levels in walk order (n), the positions (n), then the sort's room (2n + 256).
  GDOS_DETAIL_COLD constexpr void sort() noexcept {
    const std::size_t n = v_.size();
    scratch s(4 * n + 256, scratch::no_throw);
    if (s.empty()) return;
    for (std::size_t i = 0; i < n; ++i) {
      s[i] = tag_of(v_[i]);
      s[n + i] = i;
    }
    radix_sort(&s[0], &s[n], n, 0, &s[2 * n], &s[4 * n]);
    order_.swap(s);
  }

  const std::vector<U>& v_;
  bool grouped_ = true;
  scratch order_;
};

/// unknown_lists_equal() without memory: for each level met in `a`, its fields in both lists
/// filtered from the whole lists. Quadratic; only for when sorting memory is not there.
template <class U1, class U2>
GDOS_DETAIL_COLD [[nodiscard]] constexpr bool unknown_lists_equal_scan(
    const std::vector<U1>& a, const std::vector<U2>& b) noexcept {
  for (std::size_t i = 0; i < a.size(); ++i) {
    const std::uint64_t t = tag_of(a[i]);
    bool seen = false;
    for (std::size_t j = 0; j < i && !seen; ++j) seen = tag_of(a[j]) == t;
    if (seen) continue;
    std::size_t j = 0;
    for (std::size_t k = i; k < a.size(); ++k) {
      if (tag_of(a[k]) != t) continue;
      while (j < b.size() && tag_of(b[j]) != t) ++j;
      if (j == b.size() || !(a[k] == b[j])) return false;
      ++j;
    }
    for (; j < b.size(); ++j)
      if (tag_of(b[j]) == t) return false;
  }
  return true;
}

/// Equality of two unknown-field lists "in order at their level": for each level, the
/// subsequences of the two lists at that level are equal; that is, their level walks are
/// equal field by field. Linear when both lists are grouped by level in ascending order (what
/// the parsers and writers produce), O(n log n) otherwise; and, only when the memory for
/// sorting is not there, a scan per level (quadratic) that needs none.
template <class U1, class U2>
[[nodiscard]] constexpr bool unknown_lists_equal(const std::vector<U1>& a,
                                                 const std::vector<U2>& b) noexcept {
  if (a.size() != b.size()) return false;
  const level_walk<U1> wa(a);
  const level_walk<U2> wb(b);
  if (wa.ok() && wb.ok()) {
    for (std::size_t i = 0; i < a.size(); ++i)
      if (!(wa[i] == wb[i])) return false;
    return true;
  }
  return unknown_lists_equal_scan(a, b);
}

/// Equality of the known fields of `a` and `b`, records of one kind whose string types may
/// differ (the rows at one position of their tables name the same field).
template <template <class> class Record, class S1, class S2>
[[nodiscard]] constexpr bool known_equal(const Record<S1>& a, const Record<S2>& b) noexcept {
  constexpr const auto& ra = rows_of<Record<S1>>;
  constexpr const auto& rb = rows_of<Record<S2>>;
  for (std::size_t i = 0; i < ra.size(); ++i) {
    bool eq = true;
    // Each kind compiled only for the records that have it: the others' members are null.
    switch (ra[i].kind) {
      case value_kind::text:
        if constexpr (has_kind<Record<S1>>(value_kind::text))
          eq = opt_eq(a.*ra[i].text, b.*rb[i].text);
        break;
      case value_kind::progress:
        if constexpr (has_kind<Record<S1>>(value_kind::progress))
          eq = a.*ra[i].progress == b.*rb[i].progress;
        break;
      case value_kind::number:
        if constexpr (has_kind<Record<S1>>(value_kind::number))
          eq = a.*ra[i].number == b.*rb[i].number;
        break;
      case value_kind::code:
        if constexpr (has_kind<Record<S1>>(value_kind::code)) eq = a.*ra[i].code == b.*rb[i].code;
        break;
    }
    if (!eq) return false;
  }
  return true;
}

}  // namespace detail

template <class S1, class S2>
constexpr bool operator==(const basic_unknown_field<S1>& a,
                          const basic_unknown_field<S2>& b) noexcept {
  return a.order == b.order && a.certificate == b.certificate && detail::str_eq(a.name, b.name) &&
         detail::str_eq(a.value, b.value);
}

template <class S1, class S2>
constexpr bool operator==(const basic_org_unknown_field<S1>& a,
                          const basic_org_unknown_field<S2>& b) noexcept {
  return a.match == b.match && detail::str_eq(a.name, b.name) && detail::str_eq(a.value, b.value);
}

// ---- unknown_fields_view ----------------------------------------------------------------------

template <class U>
class unknown_fields_view<U>::iterator {
 public:
  using value_type = U;                                 ///< An unknown field.
  using difference_type = std::ptrdiff_t;               ///< Iterator distance.
  using reference = const U&;                           ///< What `*it` gives.
  using pointer = const U*;                             ///< What `it.operator->()` gives.
  using iterator_category = std::forward_iterator_tag;  ///< A forward iterator.
  using iterator_concept = std::forward_iterator_tag;   ///< A forward iterator.

  /// A singular iterator.
  constexpr iterator() noexcept = default;
  /// The current field.
  [[nodiscard]] constexpr reference operator*() const noexcept { return *p_; }
  /// The current field.
  [[nodiscard]] constexpr pointer operator->() const noexcept { return p_; }
  /// Moves to the next field of the level.
  constexpr iterator& operator++() noexcept {
    p_ = skip(p_ + 1);
    return *this;
  }
  /// Moves to the next field of the level; returns the iterator as it was.
  constexpr iterator operator++(int) noexcept {
    iterator old = *this;
    ++*this;
    return old;
  }
  /// True when both point at the same field.
  friend constexpr bool operator==(const iterator& a, const iterator& b) noexcept {
    return a.p_ == b.p_;
  }

 private:
  friend class unknown_fields_view;
  constexpr iterator(const U* p, const U* end, std::uint64_t tag) noexcept
      : p_(p), end_(end), tag_(tag) {
    p_ = skip(p_);
  }
  [[nodiscard]] constexpr const U* skip(const U* p) const noexcept {
    while (p != end_ && detail::tag_of(*p) != tag_) ++p;
    return p;
  }
  const U* p_ = nullptr;
  const U* end_ = nullptr;
  std::uint64_t tag_ = 0;
};

template <class U>
constexpr auto unknown_fields_view<U>::begin() const noexcept -> iterator {
  return iterator(all_.data(), all_.data() + all_.size(), tag_);
}

template <class U>
constexpr auto unknown_fields_view<U>::end() const noexcept -> iterator {
  return iterator(all_.data() + all_.size(), all_.data() + all_.size(), tag_);
}

template <class U>
constexpr bool unknown_fields_view<U>::empty() const noexcept {
  return begin() == end();
}

// ---- the reply --------------------------------------------------------------------------------

template <class S1, class S2>
constexpr bool operator==(const basic_certificate<S1>& a, const basic_certificate<S2>& b) noexcept {
  return a.index == b.index && detail::known_equal(a, b);
}

template <class S>
constexpr const basic_certificate<S>* basic_order<S>::find_certificate(
    std::uint32_t y) const noexcept {
  const auto it = std::lower_bound(certificates.begin(), certificates.end(), y,
                                   [](const auto& c, std::uint32_t v) { return c.index < v; });
  return it != certificates.end() && it->index == y ? &*it : nullptr;
}

template <class S1, class S2>
constexpr bool operator==(const basic_order<S1>& a, const basic_order<S2>& b) noexcept {
  if (a.index != b.index || !detail::known_equal(a, b) ||
      a.certificates.size() != b.certificates.size())
    return false;
  for (std::size_t i = 0; i < a.certificates.size(); ++i)
    if (!(a.certificates[i] == b.certificates[i])) return false;
  return true;
}

template <class S>
constexpr const basic_order<S>* basic_response<S>::find_order(std::uint32_t x) const noexcept {
  const auto it = std::lower_bound(orders.begin(), orders.end(), x,
                                   [](const auto& o, std::uint32_t v) { return o.index < v; });
  return it != orders.end() && it->index == x ? &*it : nullptr;
}

template <class S>
constexpr unknown_fields_view<basic_unknown_field<S>> basic_response<S>::unknown_fields_of(
    std::uint32_t order, std::uint32_t certificate) const noexcept {
  return {std::span<const basic_unknown_field<S>>(unknown_fields),
          (static_cast<std::uint64_t>(order) << 32) | certificate};
}

template <class S>
constexpr const basic_unknown_field<S>* basic_response<S>::find_unknown(
    std::uint32_t order, std::uint32_t certificate, std::string_view name) const noexcept {
  for (const basic_unknown_field<S>& u : unknown_fields)
    if (u.order == order && u.certificate == certificate && detail::str_eq(u.name, name)) return &u;
  return nullptr;
}

template <class S1, class S2>
constexpr bool operator==(const basic_response<S1>& a, const basic_response<S2>& b) noexcept {
  if (!detail::known_equal(a, b) || a.orders.size() != b.orders.size()) return false;
  for (std::size_t i = 0; i < a.orders.size(); ++i)
    if (!(a.orders[i] == b.orders[i])) return false;
  return detail::unknown_lists_equal(a.unknown_fields, b.unknown_fields);
}

// ---- suggestedOrgDetails ----------------------------------------------------------------------

template <class S1, class S2>
constexpr bool operator==(const basic_org_match<S1>& a, const basic_org_match<S2>& b) noexcept {
  return a.index == b.index && detail::known_equal(a, b);
}

template <class S>
constexpr org_status basic_org_details<S>::status_kind() const noexcept {
  if (!status) return org_status::missing;
  for (const org_status s : {org_status::found, org_status::not_found,
                             org_status::not_yet_completed, org_status::not_applicable})
    if (detail::str_eq(*status, wire_name(s))) return s;
  return org_status::other;
}

template <class S>
constexpr unknown_fields_view<basic_org_unknown_field<S>> basic_org_details<S>::unknown_fields_of(
    std::uint32_t match) const noexcept {
  return {std::span<const basic_org_unknown_field<S>>(unknown_fields), match};
}

template <class S>
constexpr const basic_org_unknown_field<S>* basic_org_details<S>::find_unknown(
    std::uint32_t match, std::string_view name) const noexcept {
  for (const basic_org_unknown_field<S>& u : unknown_fields)
    if (u.match == match && detail::str_eq(u.name, name)) return &u;
  return nullptr;
}

template <class S1, class S2>
constexpr bool operator==(const basic_org_details<S1>& a, const basic_org_details<S2>& b) noexcept {
  if (!detail::known_equal(a, b) || a.matches.size() != b.matches.size()) return false;
  for (std::size_t i = 0; i < a.matches.size(); ++i)
    if (!(a.matches[i] == b.matches[i])) return false;
  return detail::unknown_lists_equal(a.unknown_fields, b.unknown_fields);
}

}  // namespace gdos
