/// @file detail/reply_scan.hpp
/// @brief The reply parsers' lexer: scanning for separators (SSE2 where the target has it), the
/// known field names and their fast-path matcher, index prefixes and integers.
#pragma once

#include <gdos/config.hpp>
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

}  // namespace gdos::detail
