/// @file response.hpp
/// @brief Layer 3: the GetDetailedOrderStatus reply, parsed into typed orders and certificates
/// without copying, and written back for servers, mocks and tests.
///
/// A reply is an `application/x-www-form-urlencoded` body:
///
///     errorCode=0&1_orderNumber=7250060&1_orderDateTime=2025-06-11+11%3A57&1_orderStatus=Pending
///     &1_1_FQDN=www.example.com&1_1_dcvStatus=1&...
///
/// `X_name` is a field of order X (1-based; 1 is the queried order, 2.. its replacements),
/// `X_Y_name` a field of certificate Y of order X. parse_response() turns it into a `response`
/// whose strings are `form::encoded_view`s pointing into the caller's body (they decode on
/// demand, so a caller pays only for what it reads) and whose integers and progress statuses
/// are parsed. parse_response_in_place() decodes every string in the caller's mutable buffer
/// instead and returns a `decoded_response` of plain `std::string_view`s. Both are
/// `basic_response<S>`: the same members, S being the string type.
///
/// Nothing is dropped: fields this version does not know (later API versions add `slId`,
/// `validityPeriodStart`, `upsTrackingID`, ...) are kept, in order, with the order and
/// certificate they belong to, and write_response() writes them back. validate() says whether
/// a reply built by hand will read back as written.
///
/// `X_suggestedOrgDetails` holds a second url-encoded list inside its value (so it is encoded
/// twice on the wire). parse_org_details() parses it on demand from the value decoded once.
///
/// Errors are values: parsers return `result<T, parse_error>` and never throw; the functions
/// that fill `std::vector`s can let only `std::bad_alloc` escape, and are the only ones not
/// marked `noexcept`. Everything is `constexpr`.
#pragma once

#include <gdos/common.hpp>
#include <gdos/config.hpp>
#include <gdos/form.hpp>

#include <algorithm>
#include <array>
#include <bit>
#include <chrono>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <iterator>
#include <limits>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

// Inlining hint for the parser's hot loop, which the compilers otherwise leave as calls.
#if defined(__GNUC__) || defined(__clang__)
#define GDOS_DETAIL_ALWAYS_INLINE [[gnu::always_inline]] inline
#else
#define GDOS_DETAIL_ALWAYS_INLINE inline
#endif

// Rare paths of the parsers (errors, out-of-order keys, duplicates, escaped keys): kept out of
// line and optimized for size, so that they are compiled once, small, and never inlined into
// the hot loop. This is for the compile time of a unit that calls a parser (bench/README.md,
// Compile time); run time is unchanged because these paths do not run on usual replies.
#if defined(__GNUC__) || defined(__clang__)
#define GDOS_DETAIL_COLD [[gnu::cold, gnu::noinline]]
#else
#define GDOS_DETAIL_COLD
#endif

// The parser scans for '&' 16 bytes at a time with SSE2 where the target has it (every x86-64);
// elsewhere, or with GDOS_NO_SIMD defined, it uses memchr and byte loops, with the same results.
#if defined(__SSE2__) && !defined(GDOS_NO_SIMD)
#include <emmintrin.h>
#define GDOS_DETAIL_SSE2 1
#else
#define GDOS_DETAIL_SSE2 0
#endif

namespace gdos {

// =============================================================================================
// Vocabulary
// =============================================================================================

/// One of a certificate's six progress fields (`csrStatus`, `dcvStatus`, `ovCallBackStatus`,
/// `organizationValidationStatus`, `freeDVUPStatus`, `evClickThroughStatus`). Like api_code,
/// the underlying int holds any other value the server sends; is_known() tells them apart.
enum class progress_status : std::int32_t {
  not_required = -1,  ///< This step does not apply to the certificate.
  not_completed = 0,  ///< The step is still to do.
  completed = 1,      ///< The step is done.
  in_progress = 2,    ///< The step has started.
};

/// True for the four documented progress values.
[[nodiscard]] constexpr bool is_known(progress_status s) noexcept {
  const auto v = static_cast<std::int32_t>(s);
  return v >= -1 && v <= 2;
}

/// The identifier of `s` ("not_required", ...), or "unknown" for other values.
[[nodiscard]] constexpr std::string_view to_string(progress_status s) noexcept {
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

/// The integer the server sent for `s`.
[[nodiscard]] constexpr std::int32_t to_int(progress_status s) noexcept {
  return static_cast<std::int32_t>(s);
}

/// The `Status` of a suggestedOrgDetails list.
enum class org_status : std::uint8_t {
  missing,            ///< The list has no `Status`.
  found,              ///< `Found`: the list holds one group of fields per matching organization.
  not_found,          ///< `NotFound`.
  not_yet_completed,  ///< `NotYetCompleted`.
  not_applicable,     ///< `NotApplicable`.
  other,              ///< Any other text (kept as is in basic_org_details::status).
};

/// The identifier of `s` ("found", "not_found", ...).
[[nodiscard]] constexpr std::string_view to_string(org_status s) noexcept {
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

/// The text the API sends for `s` ("Found", "NotFound", ...); empty for missing and other.
[[nodiscard]] constexpr std::string_view wire_name(org_status s) noexcept {
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

// =============================================================================================
// Options and errors
// =============================================================================================

/// How a parser treats input that is well-formed url-encoding but not a well-formed reply.
enum class parse_mode : std::uint8_t {
  /// Duplicate keys, bad indices (`0_`, `01_`, `-1_`, overflowing or over the limit) and
  /// values that do not parse as their field's type are errors.
  strict,
  /// The last of duplicate keys wins (as PHP's parse_str does); a key with a bad index is kept
  /// as an unknown top-level field; a value that does not parse as its field's type is kept
  /// as an unknown field of the same name (the typed member is left as it was).
  lenient,
};

/// Limits and mode of the parsers. The defaults are safe for untrusted input and far above
/// any real reply (the largest test body, 20 orders of 10 certificates, has 2,700 fields).
struct parse_options {
  parse_mode mode = parse_mode::strict;              ///< strict or lenient.
  std::size_t max_body_size = std::size_t{4} << 20;  ///< Largest body accepted, in bytes.
  std::size_t max_fields = 100000;                   ///< Most `name=value` pieces.
  std::size_t max_orders = 1000;                     ///< Most distinct orders (`X_`).
  std::size_t max_certificates = 1000;               ///< Most certificates in one order.
  std::uint32_t max_index = 1000000;                 ///< Largest X, Y or match index.
  std::size_t max_org_matches = 1000;                ///< Most organizations in one list.
};

/// Why a reply (or a suggestedOrgDetails list) was refused.
enum class response_errc : std::uint8_t {
  ok = 0,                 ///< No error.
  body_too_large,         ///< Longer than parse_options::max_body_size.
  empty_body,             ///< Nothing but an optional trailing newline.
  legacy_format,          ///< The newline-delimited format (`-16\nPermission denied!`).
  html_body,              ///< An HTML page (a proxy's or server's error page).
  not_urlencoded,         ///< No `=` anywhere: not a url-encoded reply.
  missing_error_code,     ///< Url-encoded, but no `errorCode`.
  invalid_error_code,     ///< `errorCode` is not a 32-bit decimal integer.
  invalid_value,          ///< strict: a typed field's value does not parse.
  duplicate_key,          ///< strict: a key appears twice (compared after decoding).
  index_zero,             ///< strict: an index is 0 (indices are 1-based).
  index_signed,           ///< strict: an index has a sign (`-1_`, `%2B1_`).
  index_leading_zero,     ///< strict: an index has a leading zero (`01_`).
  index_overflow,         ///< strict: an index does not fit 32 bits.
  index_too_large,        ///< strict: an index is over parse_options::max_index.
  too_many_fields,        ///< More than parse_options::max_fields pieces.
  too_many_orders,        ///< More than parse_options::max_orders orders.
  too_many_certificates,  ///< More than parse_options::max_certificates in one order.
  too_many_matches,       ///< More than parse_options::max_org_matches organizations.
  missing_org_status,     ///< strict: a suggestedOrgDetails list without `Status`.
  buffer_too_small,       ///< The caller's buffer cannot hold the decoded value.
};

/// A short English description of `e`.
[[nodiscard]] constexpr std::string_view to_string(response_errc e) noexcept {
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

/// A refused reply: what, where, and which key.
struct parse_error {
  response_errc code = response_errc::ok;  ///< What went wrong.
  /// Byte offset in the parsed text of the offending field's key (0 for errors about the whole
  /// body, parse_options::max_body_size for body_too_large).
  std::size_t offset = 0;
  /// The offending key, a view into the parsed text (raw; decoded in place by the in-place
  /// parsers). For a duplicate unknown field found after the body was read, its name after the
  /// index prefix. Empty for errors about the whole body.
  std::string_view key{};
  api_code legacy_code = api_code::success;  ///< legacy_format: the code on the first line.
  std::string_view legacy_message{};         ///< legacy_format: the second line (a view).

  /// True when there is an error.
  constexpr explicit operator bool() const noexcept { return code != response_errc::ok; }
  /// Member-wise equality (the views compare as text).
  friend constexpr bool operator==(const parse_error&, const parse_error&) = default;

  /// A one-line English message: the description, the key (non-printable bytes shown as `?`,
  /// at most 64 of them) and the offset; for legacy_format, the code and message.
  [[nodiscard]] std::string message() const {
    std::string out(to_string(code));
    const auto append_text = [&out](std::string_view text) {
      const std::size_t n = std::min<std::size_t>(text.size(), 64);
      for (std::size_t i = 0; i < n; ++i) {
        const auto c = static_cast<unsigned char>(text[i]);
        out.push_back(c >= 0x20 && c < 0x7f ? static_cast<char>(c) : '?');
      }
      if (n < text.size()) out += "...";
    };
    if (code == response_errc::legacy_format) {
      out += ": errorCode ";
      out += std::to_string(to_int(legacy_code));
      out += ", \"";
      append_text(legacy_message);
      out += '"';
      return out;
    }
    if (!key.empty()) {
      out += ": '";
      append_text(key);
      out += '\'';
    }
    if (code != response_errc::ok) {
      out += " at byte ";
      out += std::to_string(offset);
    }
    return out;
  }
};

// =============================================================================================
// The reply
// =============================================================================================

/// The string types a reply can hold: `form::encoded_view` (raw text, decoded on demand) or
/// `std::string_view` (plain text, already decoded).
template <class S>
concept response_string = std::same_as<S, form::encoded_view> || std::same_as<S, std::string_view>;

namespace detail {

// Decoded equality across the two string kinds.
[[nodiscard]] constexpr bool str_eq(const form::encoded_view& a,
                                    const form::encoded_view& b) noexcept {
  // Raw bytes first: up to the first escape, raw and decoded text are the same, so a plain
  // common prefix followed by two plain different bytes (or an end) settles it. Only texts
  // that reach an escape are compared decoded.
  const std::string_view x = a.encoded();
  const std::string_view y = b.encoded();
  const std::size_t n = std::min(x.size(), y.size());
  std::size_t i = 0;
  while (i < n && x[i] == y[i] && x[i] != '%' && x[i] != '+') ++i;
  // A text that ended after the common plain prefix equals the other only if that ended too:
  // whatever is left decodes to at least one more byte.
  if (i == x.size() || i == y.size()) return x.size() == y.size();
  if (x[i] != '%' && x[i] != '+' && y[i] != '%' && y[i] != '+') return false;
  return a == b;
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

// Decoded three-way comparison (bytes as unsigned), for sorting names.
[[nodiscard]] constexpr int str_cmp(std::string_view a, std::string_view b) noexcept {
  const int c = a.compare(b);
  return c < 0 ? -1 : (c > 0 ? 1 : 0);
}
[[nodiscard]] constexpr int str_cmp(const form::encoded_view& a,
                                    const form::encoded_view& b) noexcept {
  const char* p = a.encoded().data();
  const char* pe = p + a.size();
  const char* q = b.encoded().data();
  const char* qe = q + b.size();
  while (p != pe && q != qe) {
    const auto x = static_cast<unsigned char>(form::detail::next_decoded(p, pe));
    const auto y = static_cast<unsigned char>(form::detail::next_decoded(q, qe));
    if (x != y) return x < y ? -1 : 1;
  }
  if (p == pe) return q == qe ? 0 : -1;
  return 1;
}

}  // namespace detail

/// A field this version does not know, kept with the order and certificate it belongs to.
///
/// `order` is X and `certificate` is Y of an `X_Y_name` key; 0 means "not inside one": a
/// top-level field has both 0, an order's field has certificate 0. `name` is the key after its
/// index prefix (the whole key at the top level). The strings live as long as the parsed text.
template <class S>
struct basic_unknown_field {
  std::uint32_t order = 0;        ///< X, or 0 for a top-level field.
  std::uint32_t certificate = 0;  ///< Y, or 0 for a top-level or order field.
  S name{};                       ///< The name after the `X_` / `X_Y_` prefix.
  S value{};                      ///< The value.
};

/// Field-wise equality; strings compare decoded.
template <class S1, class S2>
[[nodiscard]] constexpr bool operator==(const basic_unknown_field<S1>& a,
                                        const basic_unknown_field<S2>& b) noexcept {
  return a.order == b.order && a.certificate == b.certificate && detail::str_eq(a.name, b.name) &&
         detail::str_eq(a.value, b.value);
}

/// A field of a suggestedOrgDetails list that this version does not know. `match` is N of an
/// `N_name` key, 0 for an un-indexed name.
template <class S>
struct basic_org_unknown_field {
  std::uint32_t match = 0;  ///< N, or 0 when the key has no index.
  S name{};                 ///< The name after the `N_` prefix.
  S value{};                ///< The value.
};

/// Field-wise equality; strings compare decoded.
template <class S1, class S2>
[[nodiscard]] constexpr bool operator==(const basic_org_unknown_field<S1>& a,
                                        const basic_org_unknown_field<S2>& b) noexcept {
  return a.match == b.match && detail::str_eq(a.name, b.name) && detail::str_eq(a.value, b.value);
}

namespace detail {

template <class S>
[[nodiscard]] constexpr std::uint64_t tag_of(const basic_unknown_field<S>& u) noexcept {
  return (static_cast<std::uint64_t>(u.order) << 32) | u.certificate;
}
template <class S>
[[nodiscard]] constexpr std::uint64_t tag_of(const basic_org_unknown_field<S>& u) noexcept {
  return u.match;
}

/// Equality of two unknown-field lists "in order at their level": for each level, the
/// subsequences of the two lists at that level are equal. Linear when both lists are grouped
/// by level in ascending order (what the parsers and writers produce), quadratic otherwise.
template <class U1, class U2>
[[nodiscard]] constexpr bool unknown_lists_equal(const std::vector<U1>& a,
                                                 const std::vector<U2>& b) noexcept {
  if (a.size() != b.size()) return false;
  const auto sorted = [](const auto& v) {
    for (std::size_t i = 1; i < v.size(); ++i)
      if (tag_of(v[i]) < tag_of(v[i - 1])) return false;
    return true;
  };
  if (sorted(a) && sorted(b)) {
    for (std::size_t i = 0; i < a.size(); ++i)
      if (!(a[i] == b[i])) return false;
    return true;
  }
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

}  // namespace detail

/// The unknown fields of one level (the top level, an order, a certificate, a match), in the
/// order they were met: a filtering forward range over a list of unknown fields. It allocates
/// nothing and lives as long as the list it views (do not modify the list meanwhile).
template <class U>
class unknown_fields_view {
 public:
  /// Forward iterator yielding `const U&`.
  class iterator {
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

  /// An empty range.
  constexpr unknown_fields_view() noexcept = default;
  /// The fields of `all` whose level is `tag`: `(order << 32) | certificate` for reply fields,
  /// the match index for suggestedOrgDetails fields.
  constexpr unknown_fields_view(std::span<const U> all GDOS_LIFETIMEBOUND,
                                std::uint64_t tag) noexcept
      : all_(all), tag_(tag) {}

  /// The first field of the level.
  [[nodiscard]] constexpr iterator begin() const noexcept {
    return iterator(all_.data(), all_.data() + all_.size(), tag_);
  }
  /// Past the last field of the level.
  [[nodiscard]] constexpr iterator end() const noexcept {
    return iterator(all_.data() + all_.size(), all_.data() + all_.size(), tag_);
  }
  /// True when the level has no unknown field.
  [[nodiscard]] constexpr bool empty() const noexcept { return begin() == end(); }

 private:
  std::span<const U> all_{};
  std::uint64_t tag_ = 0;
};

/// Parses `YYYY-MM-DD HH:MM` or `YYYY-MM-DD HH:MM:SS` (decoded text, as in orderDateTime).
/// The API gives no time zone, so none is invented: the result is a `local_seconds`, a time of
/// day on a calendar date. Returns nullopt for any other shape or an impossible date or time.
[[nodiscard]] constexpr std::optional<std::chrono::local_seconds> parse_date_time(
    std::string_view text) noexcept {
  if (text.size() != 16 && text.size() != 19) return std::nullopt;
  const auto num = [&text](std::size_t pos, std::size_t len, int& out) {
    int v = 0;
    for (std::size_t i = pos; i < pos + len; ++i) {
      if (text[i] < '0' || text[i] > '9') return false;
      v = v * 10 + (text[i] - '0');
    }
    out = v;
    return true;
  };
  int y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0;
  if (!num(0, 4, y) || text[4] != '-' || !num(5, 2, mo) || text[7] != '-' || !num(8, 2, d) ||
      text[10] != ' ' || !num(11, 2, h) || text[13] != ':' || !num(14, 2, mi))
    return std::nullopt;
  if (text.size() == 19 && (text[16] != ':' || !num(17, 2, s))) return std::nullopt;
  const std::chrono::year_month_day ymd{std::chrono::year{y},
                                        std::chrono::month{static_cast<unsigned>(mo)},
                                        std::chrono::day{static_cast<unsigned>(d)}};
  if (!ymd.ok() || h > 23 || mi > 59 || s > 59) return std::nullopt;
  return std::chrono::local_days{ymd} + std::chrono::hours{h} + std::chrono::minutes{mi} +
         std::chrono::seconds{s};
}

/// parse_date_time() of the decoded text of `text` (`2025-06-11+11%3A57` as sent).
[[nodiscard]] constexpr std::optional<std::chrono::local_seconds> parse_date_time(
    const form::encoded_view& text) noexcept {
  std::array<char, 19> buf{};
  const auto r = text.decode_to(buf);
  if (!r) return std::nullopt;
  return parse_date_time(std::string_view(buf.data(), r.size));
}

/// Certificate Y of an order (`X_Y_` fields). Absent fields are nullopt; strings live as long
/// as the parsed text.
template <class S>
struct basic_certificate {
  std::uint32_t index = 0;                            ///< Y, 1-based.
  std::optional<S> serial_number;                     ///< `serialNumber` (hex).
  std::optional<S> object_type;                       ///< `objectType`.
  std::optional<S> fqdn;                              ///< `FQDN`.
  std::optional<S> status;                            ///< `certificateStatus`.
  std::optional<S> status_reason;                     ///< `certificateStatusReason`.
  std::optional<progress_status> csr_status;          ///< `csrStatus`.
  std::optional<progress_status> dcv_status;          ///< `dcvStatus`.
  std::optional<progress_status> ov_callback_status;  ///< `ovCallBackStatus`.
  std::optional<progress_status>
      organization_validation_status;                      ///< `organizationValidationStatus`.
  std::optional<progress_status> free_dvup_status;         ///< `freeDVUPStatus`.
  std::optional<progress_status> ev_click_through_status;  ///< `evClickThroughStatus`.
};

/// Field-wise equality; strings compare decoded.
template <class S1, class S2>
[[nodiscard]] constexpr bool operator==(const basic_certificate<S1>& a,
                                        const basic_certificate<S2>& b) noexcept {
  using detail::opt_eq;
  return a.index == b.index && opt_eq(a.serial_number, b.serial_number) &&
         opt_eq(a.object_type, b.object_type) && opt_eq(a.fqdn, b.fqdn) &&
         opt_eq(a.status, b.status) && opt_eq(a.status_reason, b.status_reason) &&
         a.csr_status == b.csr_status && a.dcv_status == b.dcv_status &&
         a.ov_callback_status == b.ov_callback_status &&
         a.organization_validation_status == b.organization_validation_status &&
         a.free_dvup_status == b.free_dvup_status &&
         a.ev_click_through_status == b.ev_click_through_status;
}

/// Order X of a reply (`X_` fields) with its certificates in ascending index order.
template <class S>
struct basic_order {
  std::uint32_t index = 0;             ///< X, 1-based.
  std::optional<std::int64_t> number;  ///< `orderNumber`.
  std::optional<S> date_time;          ///< `orderDateTime`, raw (see local_time()).
  std::optional<S> status;             ///< `orderStatus`.
  std::optional<S> status_reason;      ///< `orderStatusReason`.
  /// `suggestedOrgDetails`: once decoded, a url-encoded list for parse_org_details().
  std::optional<S> suggested_org_details;
  std::vector<basic_certificate<S>> certificates;  ///< In ascending index order.

  /// date_time parsed by parse_date_time(); nullopt when absent or not of that shape.
  [[nodiscard]] constexpr std::optional<std::chrono::local_seconds> local_time() const noexcept {
    if (!date_time) return std::nullopt;
    return parse_date_time(*date_time);
  }

  /// The certificate with index `y`, or nullptr. Valid until `certificates` changes.
  [[nodiscard]] constexpr const basic_certificate<S>* find_certificate(
      std::uint32_t y) const noexcept {
    const auto it = std::lower_bound(certificates.begin(), certificates.end(), y,
                                     [](const auto& c, std::uint32_t v) { return c.index < v; });
    return it != certificates.end() && it->index == y ? &*it : nullptr;
  }
};

/// Field-wise equality; strings compare decoded.
template <class S1, class S2>
[[nodiscard]] constexpr bool operator==(const basic_order<S1>& a,
                                        const basic_order<S2>& b) noexcept {
  using detail::opt_eq;
  if (!(a.index == b.index && a.number == b.number && opt_eq(a.date_time, b.date_time) &&
        opt_eq(a.status, b.status) && opt_eq(a.status_reason, b.status_reason) &&
        opt_eq(a.suggested_org_details, b.suggested_org_details) &&
        a.certificates.size() == b.certificates.size()))
    return false;
  for (std::size_t i = 0; i < a.certificates.size(); ++i)
    if (!(a.certificates[i] == b.certificates[i])) return false;
  return true;
}

/// A GetDetailedOrderStatus reply.
///
/// From parse_response() its strings are encoded_views into the body (S = form::encoded_view,
/// alias `response`); from parse_response_in_place() plain views into the decoded buffer
/// (S = std::string_view, alias `decoded_response`, also the natural type to build a reply
/// from plain strings for write_response()). Orders are in ascending index order.
template <class S>
struct basic_response {
  api_code error_code = api_code::success;  ///< `errorCode`; any integer is kept.
  std::optional<S> error_message;           ///< `errorMessage` (sent when errorCode != 0).
  std::optional<S> error_item;              ///< `errorItem` (the argument in question).
  std::optional<S> error_detail;            ///< `errorDetail`.
  std::vector<basic_order<S>> orders;       ///< In ascending index order.
  /// Every field this version does not know, of every level, each tagged with its order and
  /// certificate index (see basic_unknown_field). Within a level they are in body order; use
  /// unknown_fields_of() to walk one level.
  std::vector<basic_unknown_field<S>> unknown_fields;

  /// True when errorCode is 0.
  [[nodiscard]] constexpr bool ok() const noexcept { return error_code == api_code::success; }

  /// The order with index `x`, or nullptr. Valid until `orders` changes.
  [[nodiscard]] constexpr const basic_order<S>* find_order(std::uint32_t x) const noexcept {
    const auto it = std::lower_bound(orders.begin(), orders.end(), x,
                                     [](const auto& o, std::uint32_t v) { return o.index < v; });
    return it != orders.end() && it->index == x ? &*it : nullptr;
  }

  /// The unknown fields of one level, in body order: the top level by default, order X's own
  /// with `unknown_fields_of(X)`, certificate Y's of order X with `unknown_fields_of(X, Y)`.
  /// Walks the whole list (linear time). Valid until `unknown_fields` changes.
  [[nodiscard]] constexpr unknown_fields_view<basic_unknown_field<S>> unknown_fields_of(
      std::uint32_t order = 0, std::uint32_t certificate = 0) const noexcept {
    return {std::span<const basic_unknown_field<S>>(unknown_fields),
            (static_cast<std::uint64_t>(order) << 32) | certificate};
  }
};

/// Decoded equality: error fields, orders and certificates, and unknown fields compared level
/// by level (their order within a level matters, their interleaving across levels does not).
template <class S1, class S2>
[[nodiscard]] constexpr bool operator==(const basic_response<S1>& a,
                                        const basic_response<S2>& b) noexcept {
  using detail::opt_eq;
  if (!(a.error_code == b.error_code && opt_eq(a.error_message, b.error_message) &&
        opt_eq(a.error_item, b.error_item) && opt_eq(a.error_detail, b.error_detail) &&
        a.orders.size() == b.orders.size()))
    return false;
  for (std::size_t i = 0; i < a.orders.size(); ++i)
    if (!(a.orders[i] == b.orders[i])) return false;
  return detail::unknown_lists_equal(a.unknown_fields, b.unknown_fields);
}

/// A reply whose strings are raw views into the body, decoded on demand.
using response = basic_response<form::encoded_view>;
/// A reply whose strings are plain (decoded) text.
using decoded_response = basic_response<std::string_view>;
/// An order of a `response`.
using order = basic_order<form::encoded_view>;
/// An order of a `decoded_response`.
using decoded_order = basic_order<std::string_view>;
/// A certificate of a `response`.
using certificate = basic_certificate<form::encoded_view>;
/// A certificate of a `decoded_response`.
using decoded_certificate = basic_certificate<std::string_view>;
/// An unknown field of a `response`.
using unknown_field = basic_unknown_field<form::encoded_view>;
/// An unknown field of a `decoded_response`.
using decoded_unknown_field = basic_unknown_field<std::string_view>;

// =============================================================================================
// suggestedOrgDetails
// =============================================================================================

/// One organization of a suggestedOrgDetails list (`N_` fields; un-indexed names are match 1).
template <class S>
struct basic_org_match {
  std::uint32_t index = 0;                  ///< N, 1-based.
  std::optional<S> organization_name;       ///< `organizationName`.
  std::optional<S> street_address;          ///< `streetAddress`.
  std::optional<S> locality_name;           ///< `localityName`.
  std::optional<S> state_or_province_name;  ///< `stateOrProvinceName`.
  std::optional<S> postal_code;             ///< `postalCode`.
  std::optional<S> country_name;            ///< `countryName` (ISO 3166-1 alpha-2).
  std::optional<S> duns_number;             ///< `dunsNumber`.
  std::optional<S> telephone_number;        ///< `telephoneNumber`.
};

/// Field-wise equality; strings compare decoded.
template <class S1, class S2>
[[nodiscard]] constexpr bool operator==(const basic_org_match<S1>& a,
                                        const basic_org_match<S2>& b) noexcept {
  using detail::opt_eq;
  return a.index == b.index && opt_eq(a.organization_name, b.organization_name) &&
         opt_eq(a.street_address, b.street_address) && opt_eq(a.locality_name, b.locality_name) &&
         opt_eq(a.state_or_province_name, b.state_or_province_name) &&
         opt_eq(a.postal_code, b.postal_code) && opt_eq(a.country_name, b.country_name) &&
         opt_eq(a.duns_number, b.duns_number) && opt_eq(a.telephone_number, b.telephone_number);
}

/// A parsed suggestedOrgDetails list. The strings view the text given to parse_org_details()
/// (or its buffer) and live as long as it does.
template <class S>
struct basic_org_details {
  std::optional<S> status;                  ///< `Status`, as sent (see status_kind()).
  std::vector<basic_org_match<S>> matches;  ///< In ascending index order.
  /// Unknown fields of every level, tagged with their match index (0: un-indexed).
  std::vector<basic_org_unknown_field<S>> unknown_fields;

  /// `status` classified.
  [[nodiscard]] constexpr org_status status_kind() const noexcept {
    if (!status) return org_status::missing;
    for (const org_status s : {org_status::found, org_status::not_found,
                               org_status::not_yet_completed, org_status::not_applicable})
      if (detail::str_eq(*status, wire_name(s))) return s;
    return org_status::other;
  }

  /// The unknown fields of match N (0: the un-indexed ones), in order. Valid until
  /// `unknown_fields` changes.
  [[nodiscard]] constexpr unknown_fields_view<basic_org_unknown_field<S>> unknown_fields_of(
      std::uint32_t match = 0) const noexcept {
    return {std::span<const basic_org_unknown_field<S>>(unknown_fields), match};
  }
};

/// Decoded equality; unknown fields compared match by match.
template <class S1, class S2>
[[nodiscard]] constexpr bool operator==(const basic_org_details<S1>& a,
                                        const basic_org_details<S2>& b) noexcept {
  if (!detail::opt_eq(a.status, b.status) || a.matches.size() != b.matches.size()) return false;
  for (std::size_t i = 0; i < a.matches.size(); ++i)
    if (!(a.matches[i] == b.matches[i])) return false;
  return detail::unknown_lists_equal(a.unknown_fields, b.unknown_fields);
}

/// A suggestedOrgDetails list with raw strings.
using org_details = basic_org_details<form::encoded_view>;
/// A suggestedOrgDetails list with plain strings.
using decoded_org_details = basic_org_details<std::string_view>;
/// A match of an `org_details`.
using org_match = basic_org_match<form::encoded_view>;
/// A match of a `decoded_org_details`.
using decoded_org_match = basic_org_match<std::string_view>;

// =============================================================================================
// Implementation
// =============================================================================================

namespace detail {

// ---- scanning ---------------------------------------------------------------------------------

#if GDOS_DETAIL_SSE2
[[nodiscard]] GDOS_DETAIL_ALWAYS_INLINE const char* find_amp_sse2(const char* p,
                                                                  const char* end) noexcept {
  const __m128i amp = _mm_set1_epi8('&');
  while (end - p >= 16) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
    const auto m = static_cast<unsigned>(_mm_movemask_epi8(_mm_cmpeq_epi8(v, amp)));
    if (m != 0) return p + std::countr_zero(m);
    p += 16;
  }
  for (; p != end; ++p)
    if (*p == '&') return p;
  return end;
}

[[nodiscard]] GDOS_DETAIL_ALWAYS_INLINE const char* find_key_end_sse2(const char* p,
                                                                      const char* end) noexcept {
  const __m128i eq = _mm_set1_epi8('=');
  const __m128i amp = _mm_set1_epi8('&');
  const __m128i pct = _mm_set1_epi8('%');
  const __m128i plus = _mm_set1_epi8('+');
  while (end - p >= 16) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
    const __m128i hit = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, eq), _mm_cmpeq_epi8(v, amp)),
                                     _mm_or_si128(_mm_cmpeq_epi8(v, pct), _mm_cmpeq_epi8(v, plus)));
    const auto m = static_cast<unsigned>(_mm_movemask_epi8(hit));
    if (m != 0) return p + std::countr_zero(m);
    p += 16;
  }
  for (; p != end; ++p)
    if (*p == '=' || *p == '&' || *p == '%' || *p == '+') return p;
  return end;
}
#endif

/// First '&' in [p, end), or end.
[[nodiscard]] GDOS_DETAIL_ALWAYS_INLINE constexpr const char* find_amp(const char* p,
                                                                       const char* end) noexcept {
#if GDOS_DETAIL_SSE2
  if (!std::is_constant_evaluated()) return find_amp_sse2(p, end);
#endif
  return form::detail::find_char(p, end, '&');
}

/// First '=', '&', '%' or '+' in [p, end), or end: where a plain key ends, or where it turns
/// out to need decoding.
[[nodiscard]] GDOS_DETAIL_ALWAYS_INLINE constexpr const char* find_key_end(
    const char* p, const char* end) noexcept {
#if GDOS_DETAIL_SSE2
  if (!std::is_constant_evaluated()) return find_key_end_sse2(p, end);
#endif
  for (; p != end; ++p)
    if (*p == '=' || *p == '&' || *p == '%' || *p == '+') return p;
  return end;
}

/// First '=' or '&' in [p, end), or end.
[[nodiscard]] constexpr const char* find_eq_or_amp(const char* p, const char* end) noexcept {
  for (;;) {
    p = find_key_end(p, end);
    if (p == end || *p == '=' || *p == '&') return p;
    ++p;
  }
}

/// True when [q, end) starts with the N-1 characters of `lit`.
template <std::size_t N>
[[nodiscard]] constexpr bool starts_with_lit(const char* q, const char* end,
                                             const char (&lit)[N]) noexcept {
  return static_cast<std::size_t>(end - q) >= N - 1 &&
         std::char_traits<char>::compare(q, lit, N - 1) == 0;
}

// ---- names ------------------------------------------------------------------------------------

enum class fid : std::uint8_t {
  unknown,
  // top level
  error_code,
  error_message,
  error_item,
  error_detail,
  // order
  order_number,
  order_date_time,
  order_status,
  order_status_reason,
  suggested_org_details,
  // certificate
  serial_number,
  object_type,
  fqdn,
  certificate_status,
  certificate_status_reason,
  csr_status,
  dcv_status,
  ov_callback_status,
  organization_validation_status,
  free_dvup_status,
  ev_click_through_status,
  // suggestedOrgDetails
  org_status_field,
  organization_name,
  street_address,
  locality_name,
  state_or_province_name,
  postal_code,
  country_name,
  duns_number,
  telephone_number,
};

enum class level : std::uint8_t { top, order, certificate };

/// The names of the known fields, in fid order.
inline constexpr std::array<std::string_view, 30> known_field_names = {
    "",
    "errorCode",
    "errorMessage",
    "errorItem",
    "errorDetail",
    "orderNumber",
    "orderDateTime",
    "orderStatus",
    "orderStatusReason",
    "suggestedOrgDetails",
    "serialNumber",
    "objectType",
    "FQDN",
    "certificateStatus",
    "certificateStatusReason",
    "csrStatus",
    "dcvStatus",
    "ovCallBackStatus",
    "organizationValidationStatus",
    "freeDVUPStatus",
    "evClickThroughStatus",
    "Status",
    "organizationName",
    "streetAddress",
    "localityName",
    "stateOrProvinceName",
    "postalCode",
    "countryName",
    "dunsNumber",
    "telephoneNumber",
};

/// The known field called `n` among [first, last]. A loop over the table rather than a chain of
/// comparisons: this is the slow path, and the loop is a fraction of the code to compile.
[[nodiscard]] constexpr fid lookup_in(fid first, fid last, std::string_view n) noexcept {
  for (auto i = static_cast<std::size_t>(first); i <= static_cast<std::size_t>(last); ++i)
    if (known_field_names[i] == n) return static_cast<fid>(i);
  return fid::unknown;
}

/// The known field called `n` (decoded) at level `lv`.
[[nodiscard]] constexpr fid lookup_name(level lv, std::string_view n) noexcept {
  switch (lv) {
    case level::top:
      return lookup_in(fid::error_code, fid::error_detail, n);
    case level::order:
      return lookup_in(fid::order_number, fid::suggested_org_details, n);
    case level::certificate:
      return lookup_in(fid::serial_number, fid::ev_click_through_status, n);
  }
  return fid::unknown;
}

/// The known suggestedOrgDetails field called `n` (decoded); Status only un-indexed.
[[nodiscard]] constexpr fid lookup_org_name(bool indexed, std::string_view n) noexcept {
  return lookup_in(indexed ? fid::organization_name : fid::org_status_field, fid::telephone_number,
                   n);
}

/// The known name (followed by '=') at q for level lv; on a match, vb is set to the value.
/// The fast path of the parser: names compared as raw bytes, which is exact for these
/// ASCII-letter names (an escape would not match and is handled by the slow path).
[[nodiscard]] GDOS_DETAIL_ALWAYS_INLINE constexpr fid match_known(level lv, const char* q,
                                                                  const char* end,
                                                                  const char*& vb) noexcept {
  const auto take = [&](const char* at, std::size_t n, fid id) {
    vb = at + n;
    return id;
  };
  switch (lv) {
    case level::certificate:
      switch (*q) {
        case 'F':
          if (starts_with_lit(q, end, "FQDN=")) return take(q, 5, fid::fqdn);
          break;
        case 'c':
          if (starts_with_lit(q, end, "csrStatus=")) return take(q, 10, fid::csr_status);
          if (starts_with_lit(q, end, "certificateStatus")) {
            const char* r = q + 17;
            if (r != end && *r == '=') return take(r, 1, fid::certificate_status);
            if (starts_with_lit(r, end, "Reason="))
              return take(r, 7, fid::certificate_status_reason);
          }
          break;
        case 'd':
          if (starts_with_lit(q, end, "dcvStatus=")) return take(q, 10, fid::dcv_status);
          break;
        case 'e':
          if (starts_with_lit(q, end, "evClickThroughStatus="))
            return take(q, 21, fid::ev_click_through_status);
          break;
        case 'f':
          if (starts_with_lit(q, end, "freeDVUPStatus=")) return take(q, 15, fid::free_dvup_status);
          break;
        case 'o':
          if (starts_with_lit(q, end, "objectType=")) return take(q, 11, fid::object_type);
          if (starts_with_lit(q, end, "ovCallBackStatus="))
            return take(q, 17, fid::ov_callback_status);
          if (starts_with_lit(q, end, "organizationValidationStatus="))
            return take(q, 29, fid::organization_validation_status);
          break;
        case 's':
          if (starts_with_lit(q, end, "serialNumber=")) return take(q, 13, fid::serial_number);
          break;
        default:
          break;
      }
      break;
    case level::order:
      if (*q == 'o' && starts_with_lit(q, end, "order")) {
        const char* r = q + 5;
        if (starts_with_lit(r, end, "Number=")) return take(r, 7, fid::order_number);
        if (starts_with_lit(r, end, "DateTime=")) return take(r, 9, fid::order_date_time);
        if (starts_with_lit(r, end, "Status")) {
          r += 6;
          if (r != end && *r == '=') return take(r, 1, fid::order_status);
          if (starts_with_lit(r, end, "Reason=")) return take(r, 7, fid::order_status_reason);
        }
      } else if (*q == 's' && starts_with_lit(q, end, "suggestedOrgDetails=")) {
        return take(q, 20, fid::suggested_org_details);
      }
      break;
    case level::top:
      if (*q == 'e' && starts_with_lit(q, end, "error")) {
        const char* r = q + 5;
        if (starts_with_lit(r, end, "Code=")) return take(r, 5, fid::error_code);
        if (starts_with_lit(r, end, "Message=")) return take(r, 8, fid::error_message);
        if (starts_with_lit(r, end, "Item=")) return take(r, 5, fid::error_item);
        if (starts_with_lit(r, end, "Detail=")) return take(r, 7, fid::error_detail);
      }
      break;
  }
  return fid::unknown;
}

// ---- indices and integers ------------------------------------------------------------------

/// The byte at p, decoded when Decode (`+` and `%XX`); `len` gets the raw length (1 or 3).
template <bool Decode>
[[nodiscard]] constexpr char byte_at(const char* p, const char* end, std::size_t& len) noexcept {
  if constexpr (Decode) {
    if (*p == '+') {
      len = 1;
      return ' ';
    }
    if (*p == '%' && form::detail::valid_escape_at(p, end)) {
      len = 3;
      return static_cast<char>((form::detail::hex_value(p[1]) << 4) |
                               form::detail::hex_value(p[2]));
    }
  }
  len = 1;
  return *p;
}

enum class index_status : std::uint8_t {
  none,  // the text does not start with `[+-]?digits_`: not an index prefix
  ok,
  zero,
  sign,
  leading_zero,
  overflow,
  too_large,
};

struct index_prefix {
  index_status status = index_status::none;
  std::uint32_t value = 0;
  const char* after = nullptr;  // raw position after the '_'
};

/// Reads an index prefix `digits_` at the start of [p, end), decoding when Decode.
template <bool Decode>
[[nodiscard]] constexpr index_prefix parse_index(const char* p, const char* end,
                                                 std::uint32_t max_index) noexcept {
  index_prefix r;
  std::size_t n = 0;
  if (p == end) return r;
  char c = byte_at<Decode>(p, end, n);
  bool sign = false;
  if (c == '+' || c == '-') {
    sign = true;
    p += n;
    if (p == end) return r;
    c = byte_at<Decode>(p, end, n);
  }
  if (c < '0' || c > '9') return r;
  const bool lead0 = c == '0';
  std::uint64_t v = 0;
  std::size_t digits = 0;
  for (;;) {
    if (v <= 0xFFFFFFFFu) v = v * 10 + static_cast<std::uint64_t>(c - '0');
    ++digits;
    p += n;
    if (p == end) return r;
    c = byte_at<Decode>(p, end, n);
    if (c < '0' || c > '9') break;
  }
  if (c != '_') return r;
  r.after = p + n;
  if (sign)
    r.status = index_status::sign;
  else if (lead0 && digits > 1)
    r.status = index_status::leading_zero;
  else if (v == 0)
    r.status = index_status::zero;
  else if (v > 0xFFFFFFFFu)
    r.status = index_status::overflow;
  else if (v > max_index)
    r.status = index_status::too_large;
  else
    r.status = index_status::ok;
  r.value = r.status == index_status::ok ? static_cast<std::uint32_t>(v) : 0;
  return r;
}

[[nodiscard]] constexpr response_errc index_error(index_status s) noexcept {
  switch (s) {
    case index_status::zero:
      return response_errc::index_zero;
    case index_status::sign:
      return response_errc::index_signed;
    case index_status::leading_zero:
      return response_errc::index_leading_zero;
    case index_status::overflow:
      return response_errc::index_overflow;
    case index_status::too_large:
      return response_errc::index_too_large;
    case index_status::none:
    case index_status::ok:
      break;
  }
  return response_errc::ok;
}

/// Parses `-?[0-9]+` (plain text) into a 64-bit integer, rejecting overflow and anything else.
/// (One function for both widths: each instantiation is code a calling unit compiles.)
[[nodiscard]] constexpr bool parse_decimal(std::string_view s, std::int64_t& out) noexcept {
  std::size_t i = 0;
  const bool neg = !s.empty() && s[0] == '-';
  if (neg) ++i;
  if (i == s.size()) return false;
  const std::uint64_t limit = neg ? std::uint64_t{1} << 63 : (std::uint64_t{1} << 63) - 1;
  std::uint64_t v = 0;
  for (; i < s.size(); ++i) {
    const auto d = static_cast<unsigned>(static_cast<unsigned char>(s[i]) - '0');
    if (d > 9) return false;
    if (v > (limit - d) / 10u) return false;
    v = v * 10u + d;
  }
  out = neg ? static_cast<std::int64_t>(std::uint64_t{0} - v) : static_cast<std::int64_t>(v);
  return true;
}

/// parse_decimal() into a 32-bit integer.
[[nodiscard]] constexpr bool parse_decimal(std::string_view s, std::int32_t& out) noexcept {
  std::int64_t v = 0;
  if (!parse_decimal(s, v) || v < std::numeric_limits<std::int32_t>::min() ||
      v > std::numeric_limits<std::int32_t>::max())
    return false;
  out = static_cast<std::int32_t>(v);
  return true;
}

/// parse_decimal() of the decoded text of `raw` (an integer sent escaped: rare).
GDOS_DETAIL_COLD [[nodiscard]] constexpr bool parse_decoded_integer(std::string_view raw,
                                                                    std::int64_t& out) noexcept {
  // An integer is at most 20 characters; anything longer is not one.
  std::array<char, 24> buf{};
  const auto r = form::decode_to(raw, buf);
  return r && parse_decimal(std::string_view(buf.data(), r.size), out);
}

/// parse_decimal() of [b, e), decoded first when Decode and needed.
template <bool Decode>
[[nodiscard]] constexpr bool parse_integer(const char* b, const char* e,
                                           std::int64_t& out) noexcept {
  const std::string_view raw(b, static_cast<std::size_t>(e - b));
  // Plain digits decode to themselves, so only text that fails as it is can need decoding.
  if (parse_decimal(raw, out)) return true;
  if constexpr (Decode) {
    if (form::needs_decoding(raw)) return parse_decoded_integer(raw, out);
  }
  return false;
}

/// parse_integer() into a 32-bit integer.
template <bool Decode>
[[nodiscard]] constexpr bool parse_integer(const char* b, const char* e,
                                           std::int32_t& out) noexcept {
  std::int64_t v = 0;
  if (!parse_integer<Decode>(b, e, v) || v < std::numeric_limits<std::int32_t>::min() ||
      v > std::numeric_limits<std::int32_t>::max())
    return false;
  out = static_cast<std::int32_t>(v);
  return true;
}

template <class S>
[[nodiscard]] constexpr S make_string(const char* b, const char* e) noexcept {
  return S(std::string_view(b, static_cast<std::size_t>(e - b)));
}

// ---- unknown fields: duplicates ----------------------------------------------------------------

/// The parsers' scratch space (hash table, sort keys, flags): n zeroed 64-bit integers on the
/// heap. Not a std::vector: each vector type is some fifty small functions that a unit calling
/// a parser instantiates and optimizes (bench/README.md, Compile time); this is a handful.
class scratch {
 public:
  constexpr scratch() noexcept = default;
  constexpr explicit scratch(std::size_t n)
      : p_(std::allocator<std::uint64_t>{}.allocate(n)), n_(n) {
    for (std::size_t i = 0; i < n; ++i) std::construct_at(p_ + i, std::uint64_t{0});
  }
  scratch(const scratch&) = delete;
  scratch& operator=(const scratch&) = delete;
  constexpr ~scratch() {
    if (p_ != nullptr) std::allocator<std::uint64_t>{}.deallocate(p_, n_);
  }
  constexpr void swap(scratch& o) noexcept {
    std::swap(p_, o.p_);
    std::swap(n_, o.n_);
  }
  [[nodiscard]] constexpr std::size_t size() const noexcept { return n_; }
  [[nodiscard]] constexpr bool empty() const noexcept { return n_ == 0; }
  [[nodiscard]] constexpr std::uint64_t& operator[](std::size_t i) noexcept { return p_[i]; }
  [[nodiscard]] constexpr const std::uint64_t& operator[](std::size_t i) const noexcept {
    return p_[i];
  }

 private:
  std::uint64_t* p_ = nullptr;
  std::size_t n_ = 0;
};

/// Sorts `v` by `less` in O(n log n) without allocating; returns at once when already sorted.
/// (Not std::sort: its instantiations cost several times this one's compile time, and these
/// sorts run only on out-of-order input.)
template <class Less>
constexpr void heap_sort(scratch& v, const Less& less) {
  const std::size_t n = v.size();
  bool sorted = true;
  for (std::size_t i = 1; i < n && sorted; ++i) sorted = !less(v[i], v[i - 1]);
  if (sorted) return;
  const auto sift_down = [&v, &less](std::size_t i, std::size_t size) {
    for (;;) {
      std::size_t c = 2 * i + 1;
      if (c >= size) return;
      if (c + 1 < size && less(v[c], v[c + 1])) ++c;
      if (!less(v[i], v[c])) return;
      std::swap(v[i], v[c]);
      i = c;
    }
  };
  for (std::size_t i = n / 2; i-- > 0;) sift_down(i, n);
  for (std::size_t end = n; end > 1; --end) {
    std::swap(v[0], v[end - 1]);
    sift_down(0, end - 1);
  }
}

[[nodiscard]] constexpr std::string_view raw_text(std::string_view s) noexcept { return s; }
[[nodiscard]] constexpr std::string_view raw_text(const form::encoded_view& s) noexcept {
  return s.encoded();
}

/// Plain integer order, a named type so that every sort of integer keys is one instantiation.
struct less_u64 {
  constexpr bool operator()(std::uint64_t a, std::uint64_t b) const noexcept { return a < b; }
};

/// The order of the deferred duplicate check: level, then decoded name, then position.
template <class U>
GDOS_DETAIL_COLD [[nodiscard]] constexpr bool unknown_less(const std::vector<U>& v, std::uint64_t a,
                                                           std::uint64_t b) noexcept {
  const std::uint64_t ta = tag_of(v[static_cast<std::size_t>(a)]);
  const std::uint64_t tb = tag_of(v[static_cast<std::size_t>(b)]);
  if (ta != tb) return ta < tb;
  const int c = str_cmp(v[static_cast<std::size_t>(a)].name, v[static_cast<std::size_t>(b)].name);
  return c != 0 ? c < 0 : a < b;
}

/// Finds duplicate unknown fields as they are added. Keys nearly always arrive grouped by
/// level in ascending order, so a new field can only repeat one of the current level's run,
/// which is short; anything else (a level met again, a long run) switches to one sort-based
/// pass at the end (finish()), so adversarial input costs O(n log n), never O(n^2).
struct unknown_dedup {
  std::uint64_t run_tag = 0;
  std::size_t run_start = 0;
  bool any = false;
  bool deferred = false;

  static constexpr std::size_t max_run_scan = 16;

  /// Position of an earlier field with the same level and name, npos when there is none or
  /// the check is deferred to finish().
  template <class U, class Name>
  [[nodiscard]] constexpr std::size_t find(const std::vector<U>& v, std::uint64_t tag,
                                           const Name& name, bool plain_names) noexcept {
    constexpr std::size_t npos = static_cast<std::size_t>(-1);
    if (deferred) return npos;
    if (any && tag == run_tag) {
      if (v.size() - run_start > max_run_scan) {
        deferred = true;
        return npos;
      }
      if (plain_names) {
        // No name has an escape: decoded equality is raw equality.
        const std::string_view raw = raw_text(name);
        for (std::size_t i = run_start; i < v.size(); ++i)
          if (raw_text(v[i].name) == raw) return i;
        return npos;
      }
      return find_decoded(v, run_start, name);
    }
    if (!any || tag > run_tag) {
      any = true;
      run_tag = tag;
      run_start = v.size();
      return npos;
    }
    deferred = true;
    return npos;
  }

  /// find() once a name with an escape was kept: names compared decoded.
  template <class U, class Name>
  GDOS_DETAIL_COLD [[nodiscard]] static constexpr std::size_t find_decoded(
      const std::vector<U>& v, std::size_t from, const Name& name) noexcept {
    for (std::size_t i = from; i < v.size(); ++i)
      if (str_eq(v[i].name, name)) return i;
    return static_cast<std::size_t>(-1);
  }

  /// The deferred check over the whole list. Strict: the body position (index in v) of the
  /// earliest second occurrence, or npos. Lenient: each repeated name keeps its first position
  /// and its last value, the later copies are removed; returns npos.
  template <class U>
  [[nodiscard]] constexpr std::size_t finish(std::vector<U>& v, bool strict) const {
    if (!deferred || v.size() < 2) return static_cast<std::size_t>(-1);
    return finish_sorted(v, strict);
  }

 private:
  template <class U>
  GDOS_DETAIL_COLD [[nodiscard]] static constexpr std::size_t finish_sorted(std::vector<U>& v,
                                                                            bool strict) {
    constexpr std::size_t npos = static_cast<std::size_t>(-1);
    scratch idx(v.size());
    for (std::size_t i = 0; i < v.size(); ++i) idx[i] = i;
    heap_sort(idx, [&v](std::uint64_t a, std::uint64_t b) { return unknown_less(v, a, b); });
    std::size_t first_dup = npos;
    scratch drop;  // flags, allocated when a duplicate is dropped
    const auto pos = [&idx](std::size_t k) { return static_cast<std::size_t>(idx[k]); };
    for (std::size_t i = 0; i < idx.size();) {
      std::size_t j = i + 1;
      while (j < idx.size() && tag_of(v[pos(j)]) == tag_of(v[pos(i)]) &&
             str_eq(v[pos(j)].name, v[pos(i)].name))
        ++j;
      if (j - i > 1) {
        if (strict) {
          first_dup = std::min(first_dup, pos(i + 1));
        } else {
          if (drop.empty()) scratch(v.size()).swap(drop);
          v[pos(i)].value = v[pos(j - 1)].value;
          for (std::size_t k = i + 1; k < j; ++k) drop[pos(k)] = 1;
        }
      }
      i = j;
    }
    if (!drop.empty()) {
      std::size_t out = 0;
      for (std::size_t i = 0; i < v.size(); ++i)
        if (!drop[i]) v[out++] = v[i];
      while (v.size() > out) v.pop_back();
    }
    return first_dup;
  }
};

// ---- the reply parser ------------------------------------------------------------------------

/// Locates orders and certificates by index. Keys usually arrive grouped and ascending, so the
/// last order / certificate used, or one past it, is nearly always the one wanted; then the
/// vectors are appended to and stay sorted. A key that goes back to an index not seen yet
/// would need an insertion in the middle (quadratic on adversarial input), so from then on new
/// entries are appended unsorted, found through a hash index, and sorted once at the end.
template <class S>
class order_table {
 public:
  constexpr explicit order_table(std::vector<basic_order<S>>& orders) noexcept : orders_(&orders) {}

  /// Order x's position, or npos when adding it would pass max_orders.
  [[nodiscard]] constexpr std::size_t order(std::uint32_t x, const parse_options& opt) {
    auto& v = *orders_;
    if (cur_ < v.size() && v[cur_].index == x) return cur_;
    if (!hashed_ && (v.empty() || v.back().index < x)) return cur_ = append_order(x, opt);
    return cur_ = order_slow(x, opt);
  }

  /// Certificate y of the order at position `op` (index x): its position, or npos when
  /// adding it would pass max_certificates.
  [[nodiscard]] constexpr std::size_t certificate(std::size_t op, std::uint32_t x, std::uint32_t y,
                                                  const parse_options& opt) {
    auto& v = (*orders_)[op].certificates;
    if (!v.empty() && v.back().index == y) return v.size() - 1;
    if (!hashed_ && (v.empty() || v.back().index < y)) return append_certificate(v, y, opt);
    return certificate_slow(v, x, y, opt);
  }

  /// Restores ascending index order after unsorted appends.
  constexpr void finish() {
    if (hashed_) sort_all();
  }

  static constexpr std::size_t npos = static_cast<std::size_t>(-1);

 private:
  // order() for a key that goes back to an earlier order.
  GDOS_DETAIL_COLD [[nodiscard]] constexpr std::size_t order_slow(std::uint32_t x,
                                                                  const parse_options& opt) {
    auto& v = *orders_;
    if (!hashed_) {
      const auto it = std::lower_bound(v.begin(), v.end(), x,
                                       [](const auto& o, std::uint32_t i) { return o.index < i; });
      if (it != v.end() && it->index == x) return static_cast<std::size_t>(it - v.begin());
      build_hash();
    }
    if (const std::uint64_t* pos = lookup(key(x, 0))) return static_cast<std::size_t>(*pos);
    const std::size_t p = append_order(x, opt);
    if (p != npos) insert(key(x, 0), p);
    return p;
  }

  // certificate() for a key that goes back to an earlier certificate of the order.
  GDOS_DETAIL_COLD [[nodiscard]] constexpr std::size_t certificate_slow(
      std::vector<basic_certificate<S>>& v, std::uint32_t x, std::uint32_t y,
      const parse_options& opt) {
    if (!hashed_) {
      const auto it = std::lower_bound(v.begin(), v.end(), y,
                                       [](const auto& c, std::uint32_t i) { return c.index < i; });
      if (it != v.end() && it->index == y) return static_cast<std::size_t>(it - v.begin());
      build_hash();
    }
    if (const std::uint64_t* pos = lookup(key(x, y))) return static_cast<std::size_t>(*pos);
    const std::size_t p = append_certificate(v, y, opt);
    if (p != npos) insert(key(x, y), p);
    return p;
  }

  GDOS_DETAIL_COLD constexpr void sort_all() {
    sort_by_index(*orders_);
    for (auto& o : *orders_) sort_by_index(o.certificates);
  }

  // Sorts orders or certificates by index: the (index, position) pairs as integers, then the
  // elements moved once into their places. (Not a sort of the elements with a comparator: that
  // would be one more sort instantiation per element type.)
  template <class T>
  static constexpr void sort_by_index(std::vector<T>& v) {
    bool sorted = true;
    for (std::size_t i = 1; i < v.size() && sorted; ++i) sorted = v[i - 1].index < v[i].index;
    if (sorted) return;
    scratch keys(v.size());
    for (std::size_t i = 0; i < v.size(); ++i)
      keys[i] = (static_cast<std::uint64_t>(v[i].index) << 32) | i;
    heap_sort(keys, less_u64{});
    std::vector<T> out;
    out.reserve(v.size());
    for (std::size_t i = 0; i < keys.size(); ++i)
      out.emplace_back() = std::move(v[static_cast<std::size_t>(keys[i] & 0xFFFFFFFFu)]);
    v.swap(out);
  }

  [[nodiscard]] static constexpr std::uint64_t key(std::uint32_t x, std::uint32_t y) noexcept {
    return (static_cast<std::uint64_t>(x) << 32) | y;  // never 0: x >= 1
  }
  [[nodiscard]] static constexpr std::uint64_t mix(std::uint64_t k) noexcept {
    k ^= k >> 33;
    k *= 0xff51afd7ed558ccdULL;
    k ^= k >> 33;
    return k;
  }

  [[nodiscard]] constexpr std::size_t append_order(std::uint32_t x, const parse_options& opt) {
    auto& v = *orders_;
    if (v.size() >= opt.max_orders) return npos;
    if (v.capacity() == 0) v.reserve(4);
    v.emplace_back().index = x;
    return v.size() - 1;
  }

  [[nodiscard]] constexpr std::size_t append_certificate(std::vector<basic_certificate<S>>& v,
                                                         std::uint32_t y,
                                                         const parse_options& opt) {
    if (v.size() >= opt.max_certificates) return npos;
    // Orders of one reply tend to have alike certificate counts: size for the largest so far.
    if (v.capacity() == 0) v.reserve(std::max<std::size_t>(4, certificate_hint_));
    v.emplace_back().index = y;
    certificate_hint_ = std::max(certificate_hint_, v.size());
    return v.size() - 1;
  }

  GDOS_DETAIL_COLD constexpr void build_hash() {
    hashed_ = true;
    std::size_t n = orders_->size();
    for (const auto& o : *orders_) n += o.certificates.size();
    rehash(n * 2 + 16);
    for (std::size_t i = 0; i < orders_->size(); ++i) {
      const auto& o = (*orders_)[i];
      insert(key(o.index, 0), i);
      for (std::size_t j = 0; j < o.certificates.size(); ++j)
        insert(key(o.index, o.certificates[j].index), j);
    }
  }

  // The hash table: slot i is slots_[2i] (the key, 0 when free) and slots_[2i + 1] (the
  // position).
  [[nodiscard]] constexpr std::size_t capacity() const noexcept { return slots_.size() / 2; }

  GDOS_DETAIL_COLD constexpr void rehash(std::size_t want) {
    std::size_t cap = 16;
    while (cap < want) cap *= 2;
    scratch old(2 * cap);
    old.swap(slots_);
    count_ = 0;
    for (std::size_t i = 0; i < old.size(); i += 2)
      if (old[i] != 0) insert(old[i], static_cast<std::size_t>(old[i + 1]));
  }

  [[nodiscard]] constexpr const std::uint64_t* lookup(std::uint64_t k) const noexcept {
    const std::size_t mask = capacity() - 1;
    for (std::size_t i = static_cast<std::size_t>(mix(k)) & mask;; i = (i + 1) & mask) {
      if (slots_[2 * i] == k) return &slots_[2 * i + 1];
      if (slots_[2 * i] == 0) return nullptr;
    }
  }

  constexpr void insert(std::uint64_t k, std::size_t pos) {
    if ((count_ + 1) * 2 > capacity()) rehash(capacity() * 2);
    const std::size_t mask = capacity() - 1;
    std::size_t i = static_cast<std::size_t>(mix(k)) & mask;
    while (slots_[2 * i] != 0) i = (i + 1) & mask;
    slots_[2 * i] = k;
    slots_[2 * i + 1] = pos;
    ++count_;
  }

  std::vector<basic_order<S>>* orders_;
  std::size_t cur_ = npos;
  std::size_t certificate_hint_ = 0;
  bool hashed_ = false;
  scratch slots_;
  std::size_t count_ = 0;
};

/// Reads an index and its '_' at q, whose first byte is a digit 1-9, advancing q past them.
/// Indices of one digit are the rule; longer ones (up to 7 digits, so no overflow) loop. False
/// for anything else (q then means nothing): the caller takes the careful path. Forced inline:
/// the parser's loop calls it twice per key, and g++ leaves it a call in a large unit.
[[nodiscard]] GDOS_DETAIL_ALWAYS_INLINE constexpr bool read_index(const char*& q, const char* end,
                                                                  std::uint32_t max_index,
                                                                  std::uint32_t& out) noexcept {
  std::uint32_t v = static_cast<std::uint32_t>(*q - '0');
  ++q;
  if (q != end && *q == '_') {
    ++q;
    out = v;
    return v <= max_index;
  }
  for (int i = 0; q != end && static_cast<unsigned char>(*q - '0') < 10; ++q) {
    if (++i == 7) return false;
    v = v * 10 + static_cast<std::uint32_t>(*q - '0');
  }
  if (q == end || *q != '_' || v > max_index) return false;
  ++q;
  out = v;
  return true;
}

/// Strips one trailing "\n" or "\r\n".
[[nodiscard]] constexpr std::size_t without_trailing_newline(const char* b,
                                                             std::size_t n) noexcept {
  if (n != 0 && b[n - 1] == '\n') {
    --n;
    if (n != 0 && b[n - 1] == '\r') --n;
  }
  return n;
}

/// Checks done before splitting: size, the legacy newline format, emptiness, HTML.
/// Returns the usable size (trailing newline removed) or sets `err`.
[[nodiscard]] constexpr std::size_t precheck(const char* b, std::size_t n, const parse_options& opt,
                                             parse_error& err) noexcept {
  if (n > opt.max_body_size) {
    err = {response_errc::body_too_large, opt.max_body_size, {}, api_code::success, {}};
    return 0;
  }
  // Legacy format: the code alone on the first line, the message on the second.
  {
    std::size_t i = 0;
    if (i < n && b[i] == '-') ++i;
    const std::size_t digits_at = i;
    while (i < n && b[i] >= '0' && b[i] <= '9') ++i;
    std::size_t eol = i;
    if (eol < n && b[eol] == '\r') ++eol;
    std::int32_t code = 0;
    if (i > digits_at && eol < n && b[eol] == '\n' && parse_decimal(std::string_view(b, i), code)) {
      std::size_t m = eol + 1;
      std::size_t me = m;
      while (me < n && b[me] != '\n' && b[me] != '\r') ++me;
      err = {response_errc::legacy_format,
             0,
             {},
             static_cast<api_code>(code),
             std::string_view(b + m, me - m)};
      return 0;
    }
  }
  const std::size_t size = without_trailing_newline(b, n);
  if (size == 0) {
    err = {response_errc::empty_body, 0, {}, api_code::success, {}};
    return 0;
  }
  std::size_t i = 0;
  if (size >= 3 && b[0] == '\xEF' && b[1] == '\xBB' && b[2] == '\xBF') i = 3;
  while (i < size && (b[i] == ' ' || b[i] == '\t' || b[i] == '\r' || b[i] == '\n')) ++i;
  if (i < size && b[i] == '<') {
    err = {response_errc::html_body, i, {}, api_code::success, {}};
    return 0;
  }
  return size;
}

/// One field located in the text: key [kb, ke), its name after the index prefix [nb, ne), the
/// value [vb, ve); the level and indices the prefix gave, the known field the name is.
struct piece {
  const char* kb;
  const char* ke;
  const char* nb;
  const char* ne;
  const char* vb;
  const char* ve;
  std::uint32_t x;
  std::uint32_t y;
  level lv;
  fid id;
  bool escaped_name;  // the raw name has a '%' or '+' (never for names the fast path saw)
};

// The members the known fields go to, in fid order, so that storing is an indexed access.
// (std::array, not C arrays: clang cannot index a variable template of unknown bound in a
// constant expression.)
template <class S>
inline constexpr std::array<std::optional<S> basic_certificate<S>::*, 5> certificate_text = {
    &basic_certificate<S>::serial_number, &basic_certificate<S>::object_type,
    &basic_certificate<S>::fqdn, &basic_certificate<S>::status,
    &basic_certificate<S>::status_reason};
template <class S>
inline constexpr std::array<std::optional<progress_status> basic_certificate<S>::*, 6>
    certificate_progress = {&basic_certificate<S>::csr_status,
                            &basic_certificate<S>::dcv_status,
                            &basic_certificate<S>::ov_callback_status,
                            &basic_certificate<S>::organization_validation_status,
                            &basic_certificate<S>::free_dvup_status,
                            &basic_certificate<S>::ev_click_through_status};
template <class S>
inline constexpr std::array<std::optional<S> basic_order<S>::*, 4> order_text = {
    &basic_order<S>::date_time, &basic_order<S>::status, &basic_order<S>::status_reason,
    &basic_order<S>::suggested_org_details};
template <class S>
inline constexpr std::array<std::optional<S> basic_response<S>::*, 3> top_text = {
    &basic_response<S>::error_message, &basic_response<S>::error_item,
    &basic_response<S>::error_detail};

[[nodiscard]] constexpr std::size_t offset_of(fid id, fid first) noexcept {
  return static_cast<std::size_t>(id) - static_cast<std::size_t>(first);
}

/// Parses a reply into `r`. InPlace: S is std::string_view and every key and value is decoded
/// in the buffer `mb` (the same bytes as [b, b+n)) before it is classified.
template <class S, bool InPlace>
class response_parser {
  static constexpr bool decode_keys = !InPlace;
  static constexpr std::size_t npos = static_cast<std::size_t>(-1);

 public:
  constexpr response_parser(const char* b, std::size_t n, char* mb, const parse_options& opt,
                            basic_response<S>& r) noexcept
      : begin_(b),
        end_(b + n),
        mbegin_(mb),
        opt_(opt),
        r_(r),
        table_(r.orders),
        // A field takes at least one byte and a separator: short bodies need no counting.
        count_fields_(n / 2 + 1 > opt.max_fields) {}

  /// Parses; false with error() set when the reply is refused.
  [[nodiscard]] constexpr bool run() {
    // Looked for first: in place, decoding can add or remove '=' bytes. A reply has one within
    // its first few bytes, so this costs nearly nothing.
    const bool has_eq = form::detail::find_char(begin_, end_, '=') != end_;
    // run_fast() stops at a field it does not handle (already counted), which field_slow()
    // parses before the fast loop resumes.
    for (const char* p = begin_;;) {
      p = run_fast(p);
      if (p == nullptr) return false;
      if (p == end_) break;
      if (!field_slow(p, p)) return false;
    }
    if (!have_error_code_) {
      err_ = {has_eq ? response_errc::missing_error_code : response_errc::not_urlencoded,
              0,
              {},
              api_code::success,
              {}};
      return false;
    }
    table_.finish();
    const std::size_t dup = dedup_.finish(r_.unknown_fields, strict());
    if (dup != npos) {
      const auto& u = r_.unknown_fields[dup];
      const std::string_view name = as_view(u.name);
      return fail(response_errc::duplicate_key, name.data(), name.data() + name.size());
    }
    return true;
  }

  [[nodiscard]] constexpr const parse_error& error() const noexcept { return err_; }

 private:
  [[nodiscard]] constexpr bool strict() const noexcept { return opt_.mode == parse_mode::strict; }

  [[nodiscard]] static constexpr std::string_view as_view(const S& s) noexcept {
    if constexpr (std::is_same_v<S, std::string_view>)
      return s;
    else
      return s.encoded();
  }

  GDOS_DETAIL_COLD constexpr bool fail(response_errc code, const char* kb,
                                       const char* ke) noexcept {
    err_ = {code,
            static_cast<std::size_t>(kb - begin_),
            std::string_view(kb, static_cast<std::size_t>(ke - kb)),
            api_code::success,
            {}};
    return false;
  }

  // The common case, in one pass over raw bytes: `[X_[Y_]]name=value` with plain ASCII
  // indices of up to 7 digits and a name without escapes. Returns end_ when the body is done,
  // nullptr on an error, or the start of a field it leaves to field_slow() (before changing
  // anything for it). One loop holds the whole path, so that nothing is spilled per field.
  [[nodiscard]] constexpr const char* run_fast(const char* p) {
    const char* const end = end_;
    const std::uint32_t max_index = opt_.max_index;
    while (p < end) {
      if (*p == '&') {
        ++p;
        continue;
      }
      if (count_fields_ && ++fields_ > opt_.max_fields) {
        fail(response_errc::too_many_fields, p, p);
        return nullptr;
      }
      // Scalars rather than a piece: they stay in registers on the paths that need no store().
      std::uint32_t x = 0;
      std::uint32_t y = 0;
      level lv = level::top;
      fid id = fid::unknown;
      const char* vb = nullptr;
      const char* ve = nullptr;
      const char* ke = nullptr;
      const char* q = p;
      const auto digit1 = [](char d) { return static_cast<unsigned char>(d - '1') < 9; };
      if (end - q >= 4 && q[1] == '_' && q[3] == '_' && digit1(q[0]) && digit1(q[2]) &&
          max_index >= 9) {
        // `X_Y_` with one-digit indices: most keys of a reply.
        x = static_cast<std::uint32_t>(q[0] - '0');
        y = static_cast<std::uint32_t>(q[2] - '0');
        lv = level::certificate;
        q += 4;
      } else if (digit1(*q)) {
        if (!read_index(q, end, max_index, x)) return p;
        lv = level::order;
        if (q != end && static_cast<unsigned char>(*q - '1') < 9) {
          if (!read_index(q, end, max_index, y)) return p;
          lv = level::certificate;
        }
      }
      if (q == end) return p;
      const char c = *q;
      // A name that could start an index, a sign or an escape takes the careful path.
      if (lv != level::certificate && ((c >= '0' && c <= '9') || c == '-' || c == '+' || c == '%'))
        return p;
      const char* const nb = q;
      id = match_known(lv, q, end, vb);
      if (id != fid::unknown) {
        ke = vb - 1;
      } else {
        ke = find_key_end(q, end);
        if (ke != end && (*ke == '%' || *ke == '+')) return p;
        if (ke == end || *ke == '&') {
          // A known name without '=' (an empty value) was not matched above.
          id = lookup_name(lv, std::string_view(q, static_cast<std::size_t>(ke - q)));
          vb = ke;
        } else {
          vb = ke + 1;
        }
      }
      // The value. A progress value is nearly always "-1", "0", "1" or "2": no need to scan.
      bool quick = false;
      std::int32_t val = 0;
      if (lv == level::certificate && id >= fid::csr_status) {
        if (vb != end && static_cast<unsigned char>(*vb - '0') < 10 &&
            (vb + 1 == end || vb[1] == '&')) {
          val = *vb - '0';
          ve = vb + 1;
          quick = true;
        } else if (end - vb >= 2 && vb[0] == '-' && vb[1] == '1' &&
                   (vb + 2 == end || vb[2] == '&')) {
          val = -1;
          ve = vb + 2;
          quick = true;
        }
      }
      if (!quick) ve = find_amp(vb, end);
      const char* const field = p;
      p = ve == end ? end : ve + 1;
      if constexpr (InPlace) {
        if (!quick) ve = decode_here(vb, ve);
      }
      if GDOS_LIKELY (lv == level::certificate && x == cert_x_ && y == cert_y_) {
        // Certificate fields are most of a reply: the usual ones go straight into the cached
        // certificate; duplicates and everything else go through store().
        if (quick) {
          auto& slot = cert_->*certificate_progress<S>[offset_of(id, fid::csr_status)];
          if (!slot.has_value()) {
            slot = static_cast<progress_status>(val);
            continue;
          }
        } else if (id == fid::unknown) {
          // slId, validityPeriodStart, ...
          if (!push_unknown(piece{field, ke, nb, ke, vb, ve, x, y, lv, id, false}, x, y))
            return nullptr;
          continue;
        } else if (id <= fid::certificate_status_reason) {
          auto& slot = cert_->*certificate_text<S>[offset_of(id, fid::serial_number)];
          if (!slot.has_value()) {
            slot = make_string<S>(vb, ve);
            continue;
          }
        }
      }
      if (!store(piece{field, ke, nb, ke, vb, ve, x, y, lv, id, false})) return nullptr;
    }
    return end;
  }

  // In place: decodes [b, e) where it is; returns the end of the decoded text.
  [[nodiscard]] constexpr const char* decode_here(const char* b, const char* e) noexcept {
    char* mb = mbegin_ + (b - begin_);
    return b + form::decode_in_place(std::span<char>(mb, static_cast<std::size_t>(e - b)));
  }

  // Any field: split it, then classify the key decoded byte by byte (in place: decode the key
  // and the value where they are, then classify the plain text).
  GDOS_DETAIL_COLD [[nodiscard]] constexpr bool field_slow(const char* p, const char*& next) {
    const char* ke = find_eq_or_amp(p, end_);
    const char* vb = ke != end_ && *ke == '=' ? ke + 1 : ke;
    const char* ve = find_amp(vb, end_);
    next = ve == end_ ? end_ : ve + 1;
    if constexpr (InPlace) {
      ke = decode_here(p, ke);
      ve = decode_here(vb, ve);
    }
    return classify(p, ke, vb, ve);
  }

  GDOS_DETAIL_COLD [[nodiscard]] constexpr bool classify(const char* kb, const char* ke,
                                                         const char* vb, const char* ve) {
    piece f{kb, ke, kb, ke, vb, ve, 0, 0, level::top, fid::unknown, false};
    const index_prefix i1 = parse_index<decode_keys>(kb, ke, opt_.max_index);
    if (i1.status == index_status::ok) {
      const index_prefix i2 = parse_index<decode_keys>(i1.after, ke, opt_.max_index);
      if (i2.status == index_status::none) {
        f.lv = level::order;
        f.x = i1.value;
        f.nb = i1.after;
      } else if (i2.status == index_status::ok) {
        f.lv = level::certificate;
        f.x = i1.value;
        f.y = i2.value;
        f.nb = i2.after;
      } else if (strict()) {
        return fail(index_error(i2.status), kb, ke);
      }
      // else lenient: a top-level unknown field under the whole key.
    } else if (i1.status != index_status::none && strict()) {
      return fail(index_error(i1.status), kb, ke);
    }
    const std::string_view name(f.nb, static_cast<std::size_t>(ke - f.nb));
    f.escaped_name = decode_keys && form::needs_decoding(name);
    if (f.escaped_name) {
      // The longest known name has 28 characters: a longer decoded name is unknown.
      std::array<char, 32> buf{};
      const auto d = form::decode_to(name, buf);
      if (d) f.id = lookup_name(f.lv, std::string_view(buf.data(), d.size));
    } else {
      f.id = lookup_name(f.lv, name);
    }
    return store(f);
  }

  // Orders and certificates are found through order_table_, with the last one used cached:
  // consecutive keys nearly always name the same one. Positions in `orders` and addresses of
  // certificates stay valid while parsing, because order_table_ only ever appends (a vector of
  // orders that grows moves each order's certificate vector without moving its elements).
  [[nodiscard]] constexpr basic_order<S>* order_at(const piece& f) {
    if (f.x != order_x_) {
      const std::size_t op = table_.order(f.x, opt_);
      if (op == npos) {
        fail(response_errc::too_many_orders, f.kb, f.ke);
        return nullptr;
      }
      order_x_ = f.x;
      order_pos_ = op;
    }
    return &r_.orders[order_pos_];
  }

  [[nodiscard]] constexpr basic_certificate<S>* certificate_at(const piece& f) {
    if (f.x == cert_x_ && f.y == cert_y_) return cert_;
    basic_order<S>* o = order_at(f);
    if (o == nullptr) return nullptr;
    const std::size_t cp = table_.certificate(order_pos_, f.x, f.y, opt_);
    if (cp == npos) {
      fail(response_errc::too_many_certificates, f.kb, f.ke);
      return nullptr;
    }
    cert_x_ = f.x;
    cert_y_ = f.y;
    cert_ = &o->certificates[cp];
    return cert_;
  }

  template <class T>
  [[nodiscard]] constexpr bool set(std::optional<T>& slot, T v, const piece& f) {
    if (slot.has_value() && strict()) return fail(response_errc::duplicate_key, f.kb, f.ke);
    slot = v;
    return true;
  }

  [[nodiscard]] constexpr bool set_text(std::optional<S>& slot, const piece& f) {
    return set(slot, make_string<S>(f.vb, f.ve), f);
  }

  [[nodiscard]] constexpr bool set_progress(std::optional<progress_status>& slot, const piece& f) {
    std::int32_t v = 0;
    // The values are nearly always one of "-1", "0", "1", "2".
    if (f.ve - f.vb == 1 && static_cast<unsigned char>(*f.vb - '0') < 10) {
      v = *f.vb - '0';
    } else if (f.ve - f.vb == 2 && *f.vb == '-' && f.vb[1] == '1') {
      v = -1;
    } else if (!parse_integer<decode_keys>(f.vb, f.ve, v)) {
      if (strict()) return fail(response_errc::invalid_value, f.kb, f.ke);
      return add_unknown(f);
    }
    return set(slot, static_cast<progress_status>(v), f);
  }

  [[nodiscard]] constexpr bool add_unknown(const piece& f) {
    std::uint32_t x = 0;
    std::uint32_t y = 0;
    if (f.lv == level::certificate) {
      if (certificate_at(f) == nullptr) return false;
      x = f.x;
      y = f.y;
    } else if (f.lv == level::order) {
      if (order_at(f) == nullptr) return false;
      x = f.x;
    }
    return push_unknown(f, x, y);
  }

  // add_unknown() once the field's order and certificate exist.
  [[nodiscard]] constexpr bool push_unknown(const piece& f, std::uint32_t x, std::uint32_t y) {
    auto& v = r_.unknown_fields;
    const S name = make_string<S>(f.nb, f.ne);
    if (f.escaped_name) plain_names_ = false;
    const std::size_t dup =
        dedup_.find(v, (static_cast<std::uint64_t>(x) << 32) | y, name, plain_names_);
    if (dup != npos) {
      if (strict()) return fail(response_errc::duplicate_key, f.kb, f.ke);
      v[dup].value = make_string<S>(f.vb, f.ve);
      return true;
    }
    // A reply with one unknown field has one per certificate or so: about one per 128 bytes
    // in real replies. Reserving that once saves the copies of repeated growth.
    if (v.capacity() == 0)
      v.reserve(std::max<std::size_t>(16, static_cast<std::size_t>(end_ - begin_) / 128));
    v.push_back({x, y, name, make_string<S>(f.vb, f.ve)});
    return true;
  }

  [[nodiscard]] constexpr bool store(const piece& f) {
    if (f.id == fid::unknown) return add_unknown(f);
    switch (f.lv) {
      case level::certificate: {
        basic_certificate<S>* c = certificate_at(f);
        if (c == nullptr) return false;
        if (f.id <= fid::certificate_status_reason)
          return set_text(c->*certificate_text<S>[offset_of(f.id, fid::serial_number)], f);
        return set_progress(c->*certificate_progress<S>[offset_of(f.id, fid::csr_status)], f);
      }
      case level::order: {
        basic_order<S>* o = order_at(f);
        if (o == nullptr) return false;
        if (f.id != fid::order_number)
          return set_text(o->*order_text<S>[offset_of(f.id, fid::order_date_time)], f);
        std::int64_t v = 0;
        if (parse_integer<decode_keys>(f.vb, f.ve, v)) return set(o->number, v, f);
        if (strict()) return fail(response_errc::invalid_value, f.kb, f.ke);
        return add_unknown(f);
      }
      case level::top:
        break;
    }
    if (f.id != fid::error_code)
      return set_text(r_.*top_text<S>[offset_of(f.id, fid::error_message)], f);
    std::int32_t v = 0;
    if (!parse_integer<decode_keys>(f.vb, f.ve, v))
      return fail(response_errc::invalid_error_code, f.kb, f.ke);
    if (have_error_code_ && strict()) return fail(response_errc::duplicate_key, f.kb, f.ke);
    have_error_code_ = true;
    r_.error_code = static_cast<api_code>(v);
    return true;
  }

  const char* begin_;
  const char* end_;
  char* mbegin_;
  const parse_options& opt_;
  basic_response<S>& r_;
  order_table<S> table_;
  unknown_dedup dedup_{};
  parse_error err_{};
  bool count_fields_;
  std::size_t fields_ = 0;
  // False once an unknown name with an escape was kept: until then names compare as raw bytes.
  bool plain_names_ = true;
  std::uint32_t order_x_ = 0;  // 0: no order cached (indices start at 1)
  std::size_t order_pos_ = 0;
  std::uint32_t cert_x_ = 0;
  std::uint32_t cert_y_ = 0;
  basic_certificate<S>* cert_ = nullptr;
  bool have_error_code_ = false;
};

template <class S, bool InPlace, class /* Lazy: see "Parsing" below */>
[[nodiscard]] constexpr result<basic_response<S>, parse_error> parse_response_impl(
    const char* b, std::size_t n, char* mb, const parse_options& opt) {
  parse_error err{};
  const std::size_t size = precheck(b, n, opt, err);
  if (err) return err;
  basic_response<S> r;
  response_parser<S, InPlace> p(b, size, mb, opt, r);
  if (!p.run()) return p.error();
  return r;
}

// ---- the suggestedOrgDetails parser ----------------------------------------------------------

template <class S, bool InPlace, class /* Lazy: see "Parsing" below */>
[[nodiscard]] constexpr result<basic_org_details<S>, parse_error> parse_org_details_impl(
    const char* b, std::size_t n, char* mb, const parse_options& opt) {
  constexpr bool decode = !InPlace;
  constexpr std::size_t npos = static_cast<std::size_t>(-1);
  const bool strict = opt.mode == parse_mode::strict;
  if (n > opt.max_body_size)
    return parse_error{response_errc::body_too_large, opt.max_body_size, {}, api_code::success, {}};
  basic_org_details<S> d;
  unknown_dedup dedup;
  const char* const end = b + n;
  const auto fail = [b](response_errc code, const char* kb, const char* ke) {
    return parse_error{code,
                       static_cast<std::size_t>(kb - b),
                       std::string_view(kb, static_cast<std::size_t>(ke - kb)),
                       api_code::success,
                       {}};
  };
  std::size_t fields = 0;
  for (const char* p = b; p < end;) {
    if (*p == '&') {
      ++p;
      continue;
    }
    if (++fields > opt.max_fields) return fail(response_errc::too_many_fields, p, p);
    const char* kb = p;
    const char* ke = find_eq_or_amp(p, end);
    const char* vb = ke != end && *ke == '=' ? ke + 1 : ke;
    const char* ve = find_amp(vb, end);
    p = ve == end ? end : ve + 1;
    if constexpr (InPlace) {
      const auto dec = [&](const char* x, const char* e) {
        char* m = mb + (x - b);
        return x + form::decode_in_place(std::span<char>(m, static_cast<std::size_t>(e - x)));
      };
      ke = dec(kb, ke);
      ve = dec(vb, ve);
    }
    const index_prefix ix = parse_index<decode>(kb, ke, opt.max_index);
    std::uint32_t match = 0;
    const char* nb = kb;
    if (ix.status == index_status::ok) {
      match = ix.value;
      nb = ix.after;
    } else if (ix.status != index_status::none && strict) {
      return fail(index_error(ix.status), kb, ke);
    }
    const std::string_view raw_name(nb, static_cast<std::size_t>(ke - nb));
    fid id = fid::unknown;
    if (decode && form::needs_decoding(raw_name)) {
      std::array<char, 32> buf{};
      const auto r = form::decode_to(raw_name, buf);
      if (r) id = lookup_org_name(match != 0, std::string_view(buf.data(), r.size));
    } else {
      id = lookup_org_name(match != 0, raw_name);
    }
    const S value = make_string<S>(vb, ve);
    if (id == fid::org_status_field) {
      if (d.status && strict) return fail(response_errc::duplicate_key, kb, ke);
      d.status = value;
      continue;
    }
    if (id == fid::unknown && match == 0) {
      // A key with a bad index (lenient) or no index at all.
    } else {
      // Known names without an index belong to match 1.
      const std::uint32_t m = match == 0 ? 1 : match;
      auto& v = d.matches;
      auto it = std::lower_bound(v.begin(), v.end(), m,
                                 [](const auto& x, std::uint32_t i) { return x.index < i; });
      if (it == v.end() || it->index != m) {
        if (v.size() >= opt.max_org_matches) return fail(response_errc::too_many_matches, kb, ke);
        it = v.insert(it, basic_org_match<S>{});
        it->index = m;
      }
      std::optional<S>* slot = nullptr;
      switch (id) {
        case fid::organization_name:
          slot = &it->organization_name;
          break;
        case fid::street_address:
          slot = &it->street_address;
          break;
        case fid::locality_name:
          slot = &it->locality_name;
          break;
        case fid::state_or_province_name:
          slot = &it->state_or_province_name;
          break;
        case fid::postal_code:
          slot = &it->postal_code;
          break;
        case fid::country_name:
          slot = &it->country_name;
          break;
        case fid::duns_number:
          slot = &it->duns_number;
          break;
        case fid::telephone_number:
          slot = &it->telephone_number;
          break;
        default:
          break;
      }
      if (slot != nullptr) {
        if (slot->has_value() && strict) return fail(response_errc::duplicate_key, kb, ke);
        *slot = value;
        continue;
      }
    }
    auto& u = d.unknown_fields;
    const S name = make_string<S>(ix.status == index_status::ok ? nb : kb, ke);
    const std::size_t dup = dedup.find(u, match, name, false);
    if (dup != npos) {
      if (strict) return fail(response_errc::duplicate_key, kb, ke);
      u[dup].value = value;
      continue;
    }
    u.push_back({match, name, value});
  }
  if (strict && !d.status)
    return parse_error{response_errc::missing_org_status, 0, {}, api_code::success, {}};
  const std::size_t dup = dedup.finish(d.unknown_fields, strict);
  if (dup != npos) {
    std::string_view name;
    if constexpr (InPlace)
      name = d.unknown_fields[dup].name;
    else
      name = d.unknown_fields[dup].name.encoded();
    return fail(response_errc::duplicate_key, name.data(), name.data() + name.size());
  }
  return d;
}

// ---- writing ---------------------------------------------------------------------------------

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
  s.put(form::detail::to_decimal(v).view());
}

template <class Sink>
constexpr void put_prefix(Sink& s, std::uint32_t x, std::uint32_t y) noexcept {
  s.put('&');
  if (x == 0) return;
  put_decimal(s, x);
  s.put('_');
  if (y == 0) return;
  put_decimal(s, y);
  s.put('_');
}

template <class Sink, class S>
constexpr void put_field(Sink& s, std::uint32_t x, std::uint32_t y, std::string_view name,
                         const std::optional<S>& v) noexcept {
  if (!v) return;
  put_prefix(s, x, y);
  s.put(name);
  s.put('=');
  put_text(s, *v);
}

template <class Sink>
constexpr void put_field(Sink& s, std::uint32_t x, std::uint32_t y, std::string_view name,
                         const std::optional<progress_status>& v) noexcept {
  if (!v) return;
  put_prefix(s, x, y);
  s.put(name);
  s.put('=');
  put_decimal(s, to_int(*v));
}

template <class Sink>
constexpr void put_field(Sink& s, std::uint32_t x, std::uint32_t y, std::string_view name,
                         const std::optional<std::int64_t>& v) noexcept {
  if (!v) return;
  put_prefix(s, x, y);
  s.put(name);
  s.put('=');
  put_decimal(s, *v);
}

/// Writes the unknown fields level by level. When the list is grouped in ascending level order
/// and the orders and certificates are ascending too (what the parser produces), one cursor
/// walks the list once; otherwise each level filters the whole list.
template <class U>
class unknown_cursor {
 public:
  constexpr explicit unknown_cursor(const std::vector<U>& v, bool levels_sorted) noexcept
      : v_(v), sorted_(levels_sorted) {
    for (std::size_t i = 1; i < v.size() && sorted_; ++i)
      sorted_ = tag_of(v[i - 1]) <= tag_of(v[i]);
  }

  template <class Fn>
  constexpr void each(std::uint64_t tag, Fn&& fn) noexcept {
    if (sorted_) {
      while (i_ < v_.size() && tag_of(v_[i_]) < tag) ++i_;
      for (; i_ < v_.size() && tag_of(v_[i_]) == tag; ++i_) fn(v_[i_]);
    } else {
      for (const auto& u : v_)
        if (tag_of(u) == tag) fn(u);
    }
  }

 private:
  const std::vector<U>& v_;
  bool sorted_;
  std::size_t i_ = 0;
};

template <class Sink, class S>
constexpr void write_response_body(Sink& s, const basic_response<S>& r) noexcept {
  s.put("errorCode=");
  put_decimal(s, to_int(r.error_code));
  put_field(s, 0, 0, "errorMessage", r.error_message);
  put_field(s, 0, 0, "errorItem", r.error_item);
  put_field(s, 0, 0, "errorDetail", r.error_detail);
  bool ascending = true;
  for (std::size_t i = 0; i < r.orders.size() && ascending; ++i) {
    ascending = i == 0 || r.orders[i - 1].index < r.orders[i].index;
    const auto& cs = r.orders[i].certificates;
    for (std::size_t j = 1; j < cs.size() && ascending; ++j)
      ascending = cs[j - 1].index < cs[j].index;
  }
  unknown_cursor<basic_unknown_field<S>> unknown(r.unknown_fields, ascending);
  const auto put_unknown = [&s](const basic_unknown_field<S>& u) {
    put_prefix(s, u.order, u.certificate);
    put_text(s, u.name);
    s.put('=');
    put_text(s, u.value);
  };
  unknown.each(0, put_unknown);
  for (const auto& o : r.orders) {
    const std::uint32_t x = o.index;
    put_field(s, x, 0, "orderNumber", o.number);
    put_field(s, x, 0, "orderDateTime", o.date_time);
    put_field(s, x, 0, "orderStatus", o.status);
    put_field(s, x, 0, "orderStatusReason", o.status_reason);
    put_field(s, x, 0, "suggestedOrgDetails", o.suggested_org_details);
    unknown.each(static_cast<std::uint64_t>(x) << 32, put_unknown);
    for (const auto& c : o.certificates) {
      const std::uint32_t y = c.index;
      put_field(s, x, y, "serialNumber", c.serial_number);
      put_field(s, x, y, "objectType", c.object_type);
      put_field(s, x, y, "FQDN", c.fqdn);
      put_field(s, x, y, "certificateStatus", c.status);
      put_field(s, x, y, "certificateStatusReason", c.status_reason);
      put_field(s, x, y, "csrStatus", c.csr_status);
      put_field(s, x, y, "dcvStatus", c.dcv_status);
      put_field(s, x, y, "ovCallBackStatus", c.ov_callback_status);
      put_field(s, x, y, "organizationValidationStatus", c.organization_validation_status);
      put_field(s, x, y, "freeDVUPStatus", c.free_dvup_status);
      put_field(s, x, y, "evClickThroughStatus", c.ev_click_through_status);
      unknown.each((static_cast<std::uint64_t>(x) << 32) | y, put_unknown);
    }
  }
}

template <class Sink, class S>
constexpr void write_org_details_body(Sink& s, const basic_org_details<S>& d) noexcept {
  // Every pair but the first starts with '&': the first one written clears `first`.
  bool first = true;
  const auto sep = [&] {
    if (!first) s.put('&');
    first = false;
  };
  if (d.status) {
    sep();
    s.put("Status=");
    put_text(s, *d.status);
  }
  bool ascending = true;
  for (std::size_t i = 1; i < d.matches.size() && ascending; ++i)
    ascending = d.matches[i - 1].index < d.matches[i].index;
  unknown_cursor<basic_org_unknown_field<S>> unknown(d.unknown_fields, ascending);
  const auto put_unknown = [&](const basic_org_unknown_field<S>& u) {
    sep();
    if (u.match != 0) {
      put_decimal(s, u.match);
      s.put('_');
    }
    put_text(s, u.name);
    s.put('=');
    put_text(s, u.value);
  };
  unknown.each(0, put_unknown);
  for (const auto& m : d.matches) {
    const auto put = [&](std::string_view name, const std::optional<S>& v) {
      if (!v) return;
      sep();
      put_decimal(s, m.index);
      s.put('_');
      s.put(name);
      s.put('=');
      put_text(s, *v);
    };
    put("organizationName", m.organization_name);
    put("streetAddress", m.street_address);
    put("localityName", m.locality_name);
    put("stateOrProvinceName", m.state_or_province_name);
    put("postalCode", m.postal_code);
    put("countryName", m.country_name);
    put("dunsNumber", m.duns_number);
    put("telephoneNumber", m.telephone_number);
    unknown.each(m.index, put_unknown);
  }
}

template <class Body>
[[nodiscard]] constexpr form::write_result write_to(std::span<char> dest,
                                                    const Body& body) noexcept {
  size_sink n;
  body(n);
  if (n.n > dest.size()) return {n.n, false};
  ptr_sink w{dest.data()};
  body(w);
  return {n.n, true};
}

template <class Body>
[[nodiscard]] constexpr std::string write_string(const Body& body) {
  size_sink n;
  body(n);
  std::string out(n.n, '\0');
  ptr_sink w{out.data()};
  body(w);
  return out;
}

}  // namespace detail

// =============================================================================================
// Parsing
// =============================================================================================
//
// The entry points are templates (with a defaulted, unused parameter) only so that a translation
// unit instantiates a parser when it calls it, not whenever it includes this header: each
// parser is a sizable instantiation (see bench/README.md, Compile time). The parameter is passed
// on to the implementation so that the call in the body depends on it: clang instantiates a
// constexpr function named in a non-dependent call as soon as it reads the template's body.

/// Parses a GetDetailedOrderStatus reply without copying it.
///
/// The strings of the result are views into `body` (decoded on demand: see form::encoded_view)
/// and live as long as it does. Keys are matched after decoding; integers and progress statuses
/// are parsed; orders and certificates come in ascending index order whatever order the keys
/// had; unknown fields are kept (basic_response::unknown_fields). One trailing "\n" or "\r\n"
/// is ignored. Memory grows with the number of distinct orders, certificates and unknown
/// fields, never with the value of an index.
///
/// Errors (see response_errc): a body over the size limit, empty, in the legacy newline format
/// (code and message reported), an HTML page, not url-encoded, without errorCode, with an
/// errorCode that is not an integer, over a limit; in strict mode also duplicate keys, bad
/// indices and values that do not parse. Only std::bad_alloc can escape.
template <class Lazy = void>
[[nodiscard]] constexpr result<response, parse_error> parse_response(
    std::string_view body GDOS_LIFETIMEBOUND, const parse_options& options = {}) {
  return detail::parse_response_impl<form::encoded_view, false, Lazy>(body.data(), body.size(),
                                                                      nullptr, options);
}

/// Parses a reply held in mutable memory, decoding every key and value in place first, so the
/// strings of the result are plain text (each decoded exactly once: a `%2541` in the body is
/// `%41` in the result). The result's views point into `body` and live as long as it does.
/// The bytes of `body` are changed, also when an error is returned. Allocates only the order,
/// certificate and unknown-field vectors. Errors as parse_response(); only std::bad_alloc can
/// escape.
template <class Lazy = void>
[[nodiscard]] constexpr result<decoded_response, parse_error> parse_response_in_place(
    std::span<char> body GDOS_LIFETIMEBOUND, const parse_options& options = {}) {
  return detail::parse_response_impl<std::string_view, true, Lazy>(body.data(), body.size(),
                                                                   body.data(), options);
}

/// Parses a suggestedOrgDetails list: `list` is the field's value decoded once (the outer
/// decoding), which the caller owns, e.g. `std::string list = o.suggested_org_details->decode();`
/// or a decoded_order's value. The result's strings are encoded_views into `list` (the inner
/// decoding is done on demand, so `%26` in an organization name stays inside the name) and
/// live as long as `list`. Un-indexed names belong to match 1. strict mode refuses a list
/// without `Status`, duplicate keys and bad indices. Only std::bad_alloc can escape.
template <class Lazy = void>
[[nodiscard]] constexpr result<org_details, parse_error> parse_org_details(
    std::string_view list GDOS_LIFETIMEBOUND, const parse_options& options = {}) {
  return detail::parse_org_details_impl<form::encoded_view, false, Lazy>(list.data(), list.size(),
                                                                         nullptr, options);
}

/// Decodes the raw suggestedOrgDetails value `value` into `buffer`, then parses it as
/// parse_org_details(list). The result's strings point into `buffer`, which the caller owns and
/// must keep alive. Error buffer_too_small when `buffer` is shorter than
/// `value.decoded_size()`. Only std::bad_alloc can escape.
template <class Lazy = void>
[[nodiscard]] constexpr result<org_details, parse_error> parse_org_details(
    const form::encoded_view& value, std::span<char> buffer GDOS_LIFETIMEBOUND,
    const parse_options& options = {}) {
  const auto w = value.decode_to(buffer);
  if (!w) return parse_error{response_errc::buffer_too_small, 0, {}, api_code::success, {}};
  return parse_org_details<Lazy>(std::string_view(buffer.data(), w.size), options);
}

/// Parses a suggestedOrgDetails list (decoded once, as for parse_org_details) held in mutable
/// memory, decoding each key and value in place, so the result's strings are plain text
/// pointing into `list`. The bytes of `list` are changed. Only std::bad_alloc can escape.
template <class Lazy = void>
[[nodiscard]] constexpr result<decoded_org_details, parse_error> parse_org_details_in_place(
    std::span<char> list GDOS_LIFETIMEBOUND, const parse_options& options = {}) {
  return detail::parse_org_details_impl<std::string_view, true, Lazy>(list.data(), list.size(),
                                                                      list.data(), options);
}

// =============================================================================================
// Writing
// =============================================================================================

/// Writes `r` as a reply body: `errorCode`, the error fields, the top-level unknown fields, then
/// each order's fields, unknown fields and certificates (each with its unknown fields). Plain
/// strings (decoded_response) are encoded; encoded_views already in serialized form are copied
/// as they are, others are re-encoded from their decoded text. Writes nothing unless all of it
/// fits in `dest`; the result's size is what the whole body needs (see form::write_result).
///
/// parse_response(write(r)) == r holds for every reply the parsers return, and for built ones
/// that look like them: orders and certificates with ascending unique indices (1 to
/// max_index), each with at least one field; unknown fields that belong to existing orders and
/// certificates, whose names are not known names of their level, and, at the top and order
/// level, do not start with an index prefix (`digits_`). validate() checks a reply built by
/// hand against these rules and the parser's limits, and says which rule it breaks where.
template <response_string S>
[[nodiscard]] constexpr form::write_result write_response(const basic_response<S>& r,
                                                          std::span<char> dest) noexcept {
  return detail::write_to(dest, [&r](auto& sink) { detail::write_response_body(sink, r); });
}

/// write_response() into a new std::string. Only std::bad_alloc can escape.
template <response_string S>
[[nodiscard]] constexpr std::string write_response(const basic_response<S>& r) {
  return detail::write_string([&r](auto& sink) { detail::write_response_body(sink, r); });
}

/// Writes a suggestedOrgDetails list (`Status`, un-indexed unknown fields, then each match's
/// `N_` fields and unknown fields), the inner list that goes, encoded once more by
/// write_response(), into an order's suggested_org_details. Writes nothing unless all of it
/// fits. parse_org_details(write(d)) == d under the same conditions as write_response().
template <response_string S>
[[nodiscard]] constexpr form::write_result write_org_details(const basic_org_details<S>& d,
                                                             std::span<char> dest) noexcept {
  return detail::write_to(dest, [&d](auto& sink) { detail::write_org_details_body(sink, d); });
}

/// write_org_details() into a new std::string. Only std::bad_alloc can escape.
template <response_string S>
[[nodiscard]] constexpr std::string write_org_details(const basic_org_details<S>& d) {
  return detail::write_string([&d](auto& sink) { detail::write_org_details_body(sink, d); });
}

// =============================================================================================
// Checking a reply before writing it
// =============================================================================================

/// The first reason validate() finds why write_response() (or write_org_details()) would not
/// give back, once parsed with the same options, what it was given.
enum class write_errc : std::uint8_t {
  /// Nothing: the text written parses back to an equal reply.
  ok = 0,
  /// An order, certificate or match index is 0 (indices start at 1).
  index_zero,
  /// An index over parse_options::max_index.
  index_too_large,
  /// Orders, an order's certificates or the matches out of strictly ascending index order (a
  /// repeated index included).
  not_ascending,
  /// More orders than parse_options::max_orders.
  too_many_orders,
  /// More certificates in one order than parse_options::max_certificates.
  too_many_certificates,
  /// More matches than parse_options::max_org_matches.
  too_many_matches,
  /// An unknown field of an order, certificate or match that is not there (or of certificate
  /// Y of order 0).
  orphan_field,
  /// An unknown field of the top or order level (or an un-indexed one of a suggestedOrgDetails
  /// list) whose name starts like an index, `[+-]digits_`: it would come back one level down,
  /// or as an index error.
  indexed_name,
  /// An unknown field named like a known field of its level: it would come back as that field.
  known_name,
  /// An order, certificate or match without a single field, known or unknown: nothing of it
  /// would be written.
  empty,
  /// An unknown field named like an earlier one of its level (decoded).
  duplicate_name,
  /// strict: a suggestedOrgDetails list without `Status`.
  missing_status,
  /// More `name=value` pieces than parse_options::max_fields.
  too_many_fields,
  /// The text would be longer than parse_options::max_body_size.
  body_too_large,
};

/// A short English description of `e`.
[[nodiscard]] constexpr std::string_view to_string(write_errc e) noexcept {
  using enum write_errc;
  switch (e) {
    case ok:
      return "ok";
    case index_zero:
      return "index 0 (indices start at 1)";
    case index_too_large:
      return "index larger than the configured maximum";
    case not_ascending:
      return "indices not strictly ascending";
    case too_many_orders:
      return "more orders than the configured maximum";
    case too_many_certificates:
      return "more certificates in one order than the configured maximum";
    case too_many_matches:
      return "more organizations than the configured maximum";
    case orphan_field:
      return "unknown field of an order, certificate or match that does not exist";
    case indexed_name:
      return "unknown field whose name starts with an index prefix";
    case known_name:
      return "unknown field named like a known field of its level";
    case empty:
      return "order, certificate or match without any field";
    case duplicate_name:
      return "unknown field named like an earlier one of its level";
    case missing_status:
      return "suggestedOrgDetails list without Status";
    case too_many_fields:
      return "more fields than the configured maximum";
    case body_too_large:
      return "text larger than the configured maximum body size";
  }
  return "unknown write error";
}

/// Outcome of validate(): the first problem found, and where.
struct write_check {
  /// Marks "no unknown field concerned" in `unknown_field`.
  static constexpr std::size_t npos = static_cast<std::size_t>(-1);

  write_errc ec = write_errc::ok;  ///< What is wrong; write_errc::ok when nothing is.
  /// The order (X) concerned, or the match (N) in a suggestedOrgDetails list; 0 for none.
  std::uint32_t x = 0;
  std::uint32_t y = 0;  ///< The certificate (Y) of order `x` concerned; 0 for none.
  /// Position in `unknown_fields` of the unknown field concerned; npos when none is.
  std::size_t unknown_field = npos;

  /// True when the reply can be written and read back.
  constexpr explicit operator bool() const noexcept { return ec == write_errc::ok; }
  /// Member-wise equality.
  friend constexpr bool operator==(const write_check&, const write_check&) = default;
};

namespace detail {

/// The rules of one index: 1 to max_index, above the one before it (prev 0: the first).
[[nodiscard]] constexpr write_errc check_index(std::uint32_t i, std::uint32_t prev,
                                               const parse_options& opt) noexcept {
  if (i == 0) return write_errc::index_zero;
  if (i > opt.max_index) return write_errc::index_too_large;
  if (i <= prev) return write_errc::not_ascending;
  return write_errc::ok;
}

/// True when the decoded name starts with `[+-]?digits_` (any value): the parsers would read an
/// index there.
template <class S>
[[nodiscard]] constexpr bool starts_with_index(const S& name) noexcept {
  const std::string_view raw = raw_text(name);
  constexpr bool decode = std::same_as<S, form::encoded_view>;
  return parse_index<decode>(raw.data(), raw.data() + raw.size(), 0xFFFFFFFFu).status !=
         index_status::none;
}

/// The known field the decoded name is, for `lookup(std::string_view) -> fid`.
template <class S, class Lookup>
[[nodiscard]] constexpr fid known_field(const S& name, const Lookup& lookup) noexcept {
  const std::string_view raw = raw_text(name);
  if constexpr (std::same_as<S, form::encoded_view>) {
    if (form::needs_decoding(raw)) {
      // As the parsers do: the longest known name has 28 characters.
      std::array<char, 32> buf{};
      const auto d = form::decode_to(raw, buf);
      return d ? lookup(std::string_view(buf.data(), d.size)) : fid::unknown;
    }
  }
  return lookup(raw);
}

template <class... T>
[[nodiscard]] constexpr std::size_t count_present(const std::optional<T>&... v) noexcept {
  return (std::size_t{0} + ... + (v.has_value() ? 1u : 0u));
}

/// The earliest unknown field (position) repeating the level and decoded name of an earlier
/// one, or npos.
template <class U>
[[nodiscard]] constexpr std::size_t first_duplicate(const std::vector<U>& v) {
  constexpr std::size_t npos = static_cast<std::size_t>(-1);
  if (v.size() < 2) return npos;
  scratch idx(v.size());
  for (std::size_t i = 0; i < v.size(); ++i) idx[i] = i;
  heap_sort(idx, [&v](std::uint64_t a, std::uint64_t b) { return unknown_less(v, a, b); });
  std::size_t first = npos;
  for (std::size_t i = 1; i < idx.size(); ++i) {
    const auto& a = v[static_cast<std::size_t>(idx[i - 1])];
    const auto& b = v[static_cast<std::size_t>(idx[i])];
    // Equal ones are sorted by position: idx[i] is a later copy of the run's first.
    if (tag_of(a) == tag_of(b) && str_eq(a.name, b.name))
      first = std::min(first, static_cast<std::size_t>(idx[i]));
  }
  return first;
}

}  // namespace detail

/// Checks that write_response(r) parses back, with the same options, to a reply equal to `r`:
/// what the writer takes for granted in a reply built by hand. In strict mode (the default) the
/// answer is exact: `parse_response(write_response(r), options)` succeeds and equals `r` exactly
/// when validate() says ok; in lenient mode an ok is still a promise.
///
/// The rules, checked in this order, the first broken one reported (see write_errc):
/// 1. orders, then each order's certificates: indices 1 to max_index, strictly ascending, at
///    most max_orders orders and max_certificates certificates per order;
/// 2. each unknown field, in list order: its order and certificate exist (0 for the levels
///    above); at the top and order levels its name does not start with an index prefix; its
///    name is not a known name of its level;
/// 3. each order and certificate has a field (a certificate or an unknown field counts);
/// 4. no two unknown fields of one level share a name (decoded);
/// 5. at most max_fields fields, and at most max_body_size bytes of text.
///
/// Allocates a little scratch memory for rules 3 and 4; only std::bad_alloc can escape.
template <response_string S>
[[nodiscard]] constexpr write_check validate(const basic_response<S>& r,
                                             const parse_options& options = {}) {
  using e = write_errc;
  using detail::level;
  const auto& orders = r.orders;
  std::size_t fields = 1 + detail::count_present(r.error_message, r.error_item, r.error_detail);
  std::size_t certificates = 0;
  for (std::size_t i = 0; i < orders.size(); ++i) {
    const basic_order<S>& o = orders[i];
    if (const e ec = detail::check_index(o.index, i == 0 ? 0 : orders[i - 1].index, options);
        ec != e::ok)
      return {ec, o.index, 0};
    if (i == options.max_orders) return {e::too_many_orders, o.index, 0};
    fields += detail::count_present(o.number, o.date_time, o.status, o.status_reason,
                                    o.suggested_org_details);
    for (std::size_t j = 0; j < o.certificates.size(); ++j) {
      const basic_certificate<S>& c = o.certificates[j];
      if (const e ec =
              detail::check_index(c.index, j == 0 ? 0 : o.certificates[j - 1].index, options);
          ec != e::ok)
        return {ec, o.index, c.index};
      if (j == options.max_certificates) return {e::too_many_certificates, o.index, c.index};
      fields += detail::count_present(c.serial_number, c.object_type, c.fqdn, c.status,
                                      c.status_reason, c.csr_status, c.dcv_status,
                                      c.ov_callback_status, c.organization_validation_status,
                                      c.free_dvup_status, c.ev_click_through_status);
    }
    certificates += o.certificates.size();
  }

  // One flag per order (its position) and per certificate (after the orders, order by order):
  // set when an unknown field belongs to it. `first` holds where each order's certificates
  // start among the flags.
  detail::scratch has_unknown(orders.size() + certificates);
  detail::scratch first(orders.size());
  for (std::size_t i = 0, at = orders.size(); i < orders.size();
       at += orders[i++].certificates.size())
    first[i] = at;
  for (std::size_t k = 0; k < r.unknown_fields.size(); ++k) {
    const basic_unknown_field<S>& u = r.unknown_fields[k];
    level lv = level::top;
    if (u.order != 0) {
      const basic_order<S>* o = r.find_order(u.order);
      if (o == nullptr) return {e::orphan_field, u.order, u.certificate, k};
      const auto op = static_cast<std::size_t>(o - orders.data());
      lv = level::order;
      std::size_t flag = op;
      if (u.certificate != 0) {
        const basic_certificate<S>* c = o->find_certificate(u.certificate);
        if (c == nullptr) return {e::orphan_field, u.order, u.certificate, k};
        lv = level::certificate;
        flag = static_cast<std::size_t>(first[op]) +
               static_cast<std::size_t>(c - o->certificates.data());
      }
      has_unknown[flag] = 1;
    } else if (u.certificate != 0) {
      return {e::orphan_field, 0, u.certificate, k};
    }
    if (lv != level::certificate && detail::starts_with_index(u.name))
      return {e::indexed_name, u.order, u.certificate, k};
    const auto lookup = [lv](std::string_view n) { return detail::lookup_name(lv, n); };
    if (detail::known_field(u.name, lookup) != detail::fid::unknown)
      return {e::known_name, u.order, u.certificate, k};
  }

  for (std::size_t i = 0; i < orders.size(); ++i) {
    const basic_order<S>& o = orders[i];
    if (o.certificates.empty() && !has_unknown[i] &&
        detail::count_present(o.number, o.date_time, o.status, o.status_reason,
                              o.suggested_org_details) == 0)
      return {e::empty, o.index, 0};
    for (std::size_t j = 0; j < o.certificates.size(); ++j) {
      const basic_certificate<S>& c = o.certificates[j];
      if (!has_unknown[static_cast<std::size_t>(first[i]) + j] &&
          detail::count_present(c.serial_number, c.object_type, c.fqdn, c.status, c.status_reason,
                                c.csr_status, c.dcv_status, c.ov_callback_status,
                                c.organization_validation_status, c.free_dvup_status,
                                c.ev_click_through_status) == 0)
        return {e::empty, o.index, c.index};
    }
  }

  if (const std::size_t k = detail::first_duplicate(r.unknown_fields); k != write_check::npos) {
    const basic_unknown_field<S>& u = r.unknown_fields[k];
    return {e::duplicate_name, u.order, u.certificate, k};
  }
  fields += r.unknown_fields.size();
  if (fields > options.max_fields) return {e::too_many_fields, 0, 0};
  detail::size_sink size;
  detail::write_response_body(size, r);
  if (size.n > options.max_body_size) return {e::body_too_large, 0, 0};
  return {};
}

/// Checks that write_org_details(d) parses back, with parse_org_details() and the same
/// options, to a list equal to `d`; exact in strict mode, as validate() of a reply is.
///
/// The rules, checked in this order, the first broken one reported (see write_errc):
/// 1. strict: `Status` is there;
/// 2. matches: indices 1 to max_index, strictly ascending, at most max_org_matches;
/// 3. each unknown field, in list order: its match exists (0: un-indexed); an un-indexed name
///    does not start with an index prefix; the name is not a known name (for an un-indexed
///    field, `Status` or a match field, which would go to match 1);
/// 4. each match has a field (an unknown field counts);
/// 5. no two unknown fields of one match (or two un-indexed ones) share a name (decoded);
/// 6. at most max_fields fields, and at most max_body_size bytes of text.
///
/// Allocates a little scratch memory for rules 4 and 5; only std::bad_alloc can escape.
template <response_string S>
[[nodiscard]] constexpr write_check validate(const basic_org_details<S>& d,
                                             const parse_options& options = {}) {
  using e = write_errc;
  if (!d.status && options.mode == parse_mode::strict) return {e::missing_status, 0, 0};
  const auto& matches = d.matches;
  const auto count = [](const basic_org_match<S>& m) {
    return detail::count_present(m.organization_name, m.street_address, m.locality_name,
                                 m.state_or_province_name, m.postal_code, m.country_name,
                                 m.duns_number, m.telephone_number);
  };
  std::size_t fields = d.status ? 1 : 0;
  for (std::size_t i = 0; i < matches.size(); ++i) {
    const std::uint32_t n = matches[i].index;
    if (const e ec = detail::check_index(n, i == 0 ? 0 : matches[i - 1].index, options);
        ec != e::ok)
      return {ec, n, 0};
    if (i == options.max_org_matches) return {e::too_many_matches, n, 0};
    fields += count(matches[i]);
  }
  detail::scratch has_unknown(matches.size());
  for (std::size_t k = 0; k < d.unknown_fields.size(); ++k) {
    const basic_org_unknown_field<S>& u = d.unknown_fields[k];
    if (u.match != 0) {
      const auto it = std::lower_bound(
          matches.begin(), matches.end(), u.match,
          [](const basic_org_match<S>& m, std::uint32_t i) { return m.index < i; });
      if (it == matches.end() || it->index != u.match) return {e::orphan_field, u.match, 0, k};
      has_unknown[static_cast<std::size_t>(it - matches.begin())] = 1;
    } else if (detail::starts_with_index(u.name)) {
      return {e::indexed_name, 0, 0, k};
    }
    const bool indexed = u.match != 0;
    const auto lookup = [indexed](std::string_view n) {
      return detail::lookup_org_name(indexed, n);
    };
    if (detail::known_field(u.name, lookup) != detail::fid::unknown)
      return {e::known_name, u.match, 0, k};
  }
  for (std::size_t i = 0; i < matches.size(); ++i)
    if (!has_unknown[i] && count(matches[i]) == 0) return {e::empty, matches[i].index, 0};
  if (const std::size_t k = detail::first_duplicate(d.unknown_fields); k != write_check::npos)
    return {e::duplicate_name, d.unknown_fields[k].match, 0, k};
  fields += d.unknown_fields.size();
  if (fields > options.max_fields) return {e::too_many_fields, 0, 0};
  detail::size_sink size;
  detail::write_org_details_body(size, d);
  if (size.n > options.max_body_size) return {e::body_too_large, 0, 0};
  return {};
}

/// An error reply: `errorCode=code&errorMessage=message[&errorItem=item]`, ready for
/// write_response(). The views must outlive the result.
[[nodiscard]] constexpr decoded_response make_error_response(
    api_code code, std::string_view message GDOS_LIFETIMEBOUND,
    std::optional<std::string_view> item = std::nullopt) noexcept {
  decoded_response r;
  r.error_code = code;
  r.error_message = message;
  r.error_item = item;
  return r;
}

}  // namespace gdos
