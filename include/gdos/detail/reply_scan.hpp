/// @file detail/reply_scan.hpp
/// @brief The reply parsers' lexer: scanning for separators (SSE2 where the target has it), the
/// fast-path matcher of known names, index prefixes and integers.
#pragma once

#include <gdos/config.hpp>
#include <gdos/detail/decimal.hpp>
#include <gdos/detail/reply_fields.hpp>
#include <gdos/form.hpp>
#include <gdos/response_model.hpp>

#include <array>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>

#if GDOS_DETAIL_SSE2
#include <emmintrin.h>
#endif

namespace gdos::detail {

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

// ---- known names ------------------------------------------------------------------------------

// The fast-path matcher is generated from the tables, so that no name is spelled twice: for each
// row, a test of the first byte, then a comparison of a constant size against constant bytes (a
// few word compares, no call). A switch on the first byte with a case per letter (the previous
// matcher) was no faster and cost every unit calling parse_response about 0.3 s more with g++ 12
// (bench/README.md, Compile time).

/// True when [q, end) starts with `name=` of Record's row I; vb is then set past the '='.
template <class Record, row_id I>
[[nodiscard]] GDOS_DETAIL_ALWAYS_INLINE constexpr bool key_matches(const char* q, const char* end,
                                                                   const char*& vb) noexcept {
  constexpr const auto& ix = names_of<Record>;
  constexpr std::size_t n = ix.key_size[I];
  if (static_cast<std::size_t>(end - q) < n ||
      std::char_traits<char>::compare(q, ix.key[I].data(), n) != 0)
    return false;
  vb = q + n;
  return true;
}

/// The row of Record whose name, followed by '=', starts [q, end) (q != end); on a match, vb is
/// set past the '='. The parser's fast path: raw bytes, exact for names that need no decoding
/// (an escaped key does not match and takes the slow path). One test of the first byte per row,
/// then a comparison of constant size against constant bytes.
template <class Record>
[[nodiscard]] GDOS_DETAIL_ALWAYS_INLINE constexpr row_id match_row(const char* q, const char* end,
                                                                   const char*& vb) noexcept {
  GDOS_ASSERT(q != end);
  constexpr const auto& ix = names_of<Record>;
  const char c = *q;
  return [&]<std::size_t... I>(std::index_sequence<I...>) {
    row_id r = no_row;
    (void)(((c == ix.key[I][0] && key_matches<Record, static_cast<row_id>(I)>(q, end, vb))
                ? (r = static_cast<row_id>(I), true)
                : false) ||
           ...);
    return r;
  }(std::make_index_sequence<ix.key.size()>{});
}

/// match_row() for the record of a reply level (top, order or certificate).
template <class S>
[[nodiscard]] GDOS_DETAIL_ALWAYS_INLINE constexpr row_id match_known(level lv, const char* q,
                                                                     const char* end,
                                                                     const char*& vb) noexcept {
  switch (lv) {
    case level::certificate:
      return match_row<basic_certificate<S>>(q, end, vb);
    case level::order:
      return match_row<basic_order<S>>(q, end, vb);
    case level::top:
    case level::org_list:
    case level::org_match:
      break;
  }
  return match_row<basic_response<S>>(q, end, vb);
}

/// lookup_row() for the record of level lv (decoded name `n`). Out of line: inlined into the
/// parser's loop (a name without '=' reaches it), its comparisons cost the loop registers and
/// about 12 % of its speed with g++ 12.
template <class S>
GDOS_DETAIL_COLD [[nodiscard]] constexpr row_id lookup_name(level lv, std::string_view n) noexcept {
  switch (lv) {
    case level::top:
      return lookup_row<basic_response<S>>(n);
    case level::order:
      return lookup_row<basic_order<S>>(n);
    case level::certificate:
      return lookup_row<basic_certificate<S>>(n);
    case level::org_list:
      return lookup_row<basic_org_details<S>>(n);
    case level::org_match:
      return lookup_row<basic_org_match<S>>(n);
  }
  return no_row;
}

/// Decodes a short `raw` (a key's name, an integer) into `buf`; returns the decoded size, or
/// npos when it does not fit. Byte by byte on purpose: these are a few bytes on rare paths, and
/// the SIMD decoder would be code that every unit calling the lazy parser compiles for nothing.
template <std::size_t N>
[[nodiscard]] constexpr std::size_t decode_short(std::string_view raw,
                                                 std::array<char, N>& buf) noexcept {
  const char* p = raw.data();
  const char* const end = p + raw.size();
  std::size_t n = 0;
  while (p != end) {
    if (n == N) return static_cast<std::size_t>(-1);
    buf[n++] = form::detail::next_decoded(p, end);
  }
  return n;
}

// ---- indices and integers ------------------------------------------------------------------

/// The byte at p, decoded when Decode (`+` and `%XX`); `len` gets the raw length (1 or 3).
template <bool Decode>
[[nodiscard]] constexpr char byte_at(const char* p, const char* end, std::size_t& len) noexcept {
  GDOS_ASSERT(p != end);
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

/// parse_decimal() of the decoded text of `raw` (an integer sent escaped: rare).
GDOS_DETAIL_COLD [[nodiscard]] constexpr bool parse_decoded_integer(std::string_view raw,
                                                                    std::int64_t& out) noexcept {
  // An integer is at most 20 characters; anything longer is not one.
  std::array<char, 24> buf{};
  const std::size_t n = decode_short(raw, buf);
  return n != static_cast<std::size_t>(-1) && parse_decimal(std::string_view(buf.data(), n), out);
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

/// Reads an index and its '_' at q, whose first byte is a digit 1-9, advancing q past them.
/// Indices of one digit are the rule; longer ones (up to 7 digits, so no overflow) loop. False
/// for anything else (q then means nothing): the caller takes the careful path. Forced inline:
/// the parser's loop calls it twice per key, and g++ leaves it a call in a large unit.
[[nodiscard]] GDOS_DETAIL_ALWAYS_INLINE constexpr bool read_index(const char*& q, const char* end,
                                                                  std::uint32_t max_index,
                                                                  std::uint32_t& out) noexcept {
  GDOS_ASSERT(q != end && *q >= '1' && *q <= '9');
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

}  // namespace gdos::detail
