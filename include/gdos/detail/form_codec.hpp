/// @file detail/form_codec.hpp
/// @brief The form layer's internals: the byte tables, the scans for `%` and `+`, the portable
/// decoder, the escape table of the encoders, the one-byte decoder of the comparisons and the
/// UTF-8 decoding step. Used by gdos/form.hpp and its bodies (impl/form.hpp), and by the other
/// layers' encoders; not part of the API.
#pragma once

#include <gdos/config.hpp>
#include <gdos/detail/simd.hpp>

#include <array>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <type_traits>

namespace gdos::form {

namespace detail {

inline constexpr std::array<signed char, 256> hex_table = [] {
  std::array<signed char, 256> t{};
  for (auto& v : t) v = -1;
  for (char c = '0'; c <= '9'; ++c)
    t[static_cast<unsigned char>(c)] = static_cast<signed char>(c - '0');
  for (char c = 'a'; c <= 'f'; ++c) {
    t[static_cast<unsigned char>(c)] = static_cast<signed char>(c - 'a' + 10);
    t[static_cast<unsigned char>(c - 'a' + 'A')] = static_cast<signed char>(c - 'a' + 10);
  }
  return t;
}();

inline constexpr std::array<bool, 256> unreserved_table = [] {
  std::array<bool, 256> t{};
  for (int c = '0'; c <= '9'; ++c) t[static_cast<std::size_t>(c)] = true;
  for (int c = 'a'; c <= 'z'; ++c) t[static_cast<std::size_t>(c)] = true;
  for (int c = 'A'; c <= 'Z'; ++c) t[static_cast<std::size_t>(c)] = true;
  for (char c : {'*', '-', '.', '_'}) t[static_cast<unsigned char>(c)] = true;
  return t;
}();

inline constexpr char hex_upper[] = "0123456789ABCDEF";

[[nodiscard]] constexpr int hex_value(char c) noexcept {
  return hex_table[static_cast<unsigned char>(c)];
}

/// True when [p, end) starts with `%XX`; p points at the '%'.
[[nodiscard]] constexpr bool valid_escape_at(const char* p, const char* end) noexcept {
  return end - p >= 3 && hex_value(p[1]) >= 0 && hex_value(p[2]) >= 0;
}

/// First occurrence of c in [p, end), or end. memchr at run time.
[[nodiscard]] constexpr const char* find_char(const char* p, const char* end, char c) noexcept {
  if (p == end) return end;
  const char* r = std::char_traits<char>::find(p, static_cast<std::size_t>(end - p), c);
  return r ? r : end;
}

[[nodiscard]] constexpr std::uint64_t broadcast(char c) noexcept {
  return 0x0101010101010101ULL * static_cast<unsigned char>(c);
}

/// Mask with the high bit set in every byte of v that is zero. Exact for the lowest zero byte,
/// which is all the callers use (they take countr_zero on little-endian words).
[[nodiscard]] constexpr std::uint64_t zero_bytes(std::uint64_t v) noexcept {
  return (v - 0x0101010101010101ULL) & ~v & 0x8080808080808080ULL;
}

/// First '%' or '+' in [p, end), or end: the only bytes a decoder must act on. SSE2 at run time
/// on x86-64; elsewhere eight bytes at a time, because most values have none and memchr cannot
/// look for two bytes at once.
[[nodiscard]] constexpr const char* find_special(const char* p, const char* end) noexcept {
  if (!std::is_constant_evaluated()) {
#if GDOS_DETAIL_X86_KERNELS
    return ::gdos::detail::simd::find_special(p, end);
#else
    if constexpr (std::endian::native == std::endian::little) {
      while (end - p >= 8) {
        std::uint64_t w;
        std::memcpy(&w, p, 8);
        const std::uint64_t m = zero_bytes(w ^ broadcast('%')) | zero_bytes(w ^ broadcast('+'));
        if (m != 0) return p + (std::countr_zero(m) >> 3);
        p += 8;
      }
    }
#endif
  }
  for (; p != end; ++p)
    if (*p == '%' || *p == '+') return p;
  return end;
}

/// decode_unchecked() without the SIMD kernels: eight bytes at a time at run time (the
/// GDOS_NO_SIMD path, and every target but x86-64), a byte at a time in constant evaluation.
constexpr char* decode_portable(const char* p, const char* end, char* dest) noexcept {
  if constexpr (std::endian::native == std::endian::little) {
    if (!std::is_constant_evaluated()) {
      // Scan and copy in one pass, 8 bytes at a time: most runs between escapes are a few bytes
      // long, where a memmove call per run cost more than the copying (perf: ~20% of decode).
      // Storing the whole word is safe only when it holds no special byte: then all 8 bytes
      // are output. In place (dest <= p) every byte is read before it is overwritten.
      while (end - p >= 8) {
        std::uint64_t w;
        std::memcpy(&w, p, 8);
        const std::uint64_t m = zero_bytes(w ^ broadcast('%')) | zero_bytes(w ^ broadcast('+'));
        if (m == 0) {
          std::memcpy(dest, &w, 8);
          dest += 8;
          p += 8;
          continue;
        }
        const int k = std::countr_zero(m) >> 3;
        for (int i = 0; i < k; ++i) dest[i] = p[i];
        dest += k;
        p += k;
        if (*p == '+') {
          *dest++ = ' ';
          ++p;
        } else if (valid_escape_at(p, end)) {
          *dest++ = static_cast<char>((hex_value(p[1]) << 4) | hex_value(p[2]));
          p += 3;
        } else {
          *dest++ = '%';
          ++p;
        }
      }
    }
  }
  while (p != end) {
    const char c = *p;
    if (c == '+') {
      *dest++ = ' ';
      ++p;
    } else if (c == '%' && valid_escape_at(p, end)) {
      *dest++ = static_cast<char>((hex_value(p[1]) << 4) | hex_value(p[2]));
      p += 3;
    } else {
      *dest++ = c;
      ++p;
    }
  }
  return dest;
}

}  // namespace detail

namespace detail {

/// For each byte: its encoded form in the first 1 or 3 chars, and that length in the 4th.
inline constexpr std::array<std::array<char, 4>, 256> escape_table = [] {
  std::array<std::array<char, 4>, 256> t{};
  for (std::size_t i = 0; i < 256; ++i) {
    const char c = static_cast<char>(i);
    if (unreserved_table[i] || c == ' ') {
      t[i] = {c == ' ' ? '+' : c, '\0', '\0', 1};
    } else {
      t[i] = {'%', hex_upper[i >> 4], hex_upper[i & 15], 3};
    }
  }
  return t;
}();

/// encode_unchecked() without a branch per byte, for encoders that own their buffer: each
/// byte's table entry is stored whole (4 bytes) and the pointer advances by its length, so up
/// to 3 bytes past the encoding are overwritten. The caller guarantees that room.
constexpr char* encode_with_slack(std::string_view plain, char* p) noexcept {
  if (std::is_constant_evaluated()) {
    for (char c : plain) {
      const auto& e = escape_table[static_cast<unsigned char>(c)];
      for (int i = 0; i < e[3]; ++i) *p++ = e[static_cast<std::size_t>(i)];
    }
    return p;
  }
  for (char c : plain) {
    const auto& e = escape_table[static_cast<unsigned char>(c)];
    std::memcpy(p, e.data(), 4);
    p += e[3];
  }
  return p;
}

}  // namespace detail

namespace detail {

/// Reads one decoded byte from [p, end), advancing p. p must be != end.
[[nodiscard]] constexpr char next_decoded(const char*& p, const char* end) noexcept {
  GDOS_ASSERT(p != end);
  const char c = *p;
  if (c == '+') {
    ++p;
    return ' ';
  }
  if (c == '%' && valid_escape_at(p, end)) {
    const char r = static_cast<char>((hex_value(p[1]) << 4) | hex_value(p[2]));
    p += 3;
    return r;
  }
  ++p;
  return c;
}

}  // namespace detail

namespace detail {

struct utf8_step {
  std::size_t length;  // bytes consumed
  bool valid;          // false: these bytes decode to U+FFFD
};

/// One step of the WHATWG UTF-8 decoder at p (p != end): a valid sequence, or the maximal
/// invalid subpart that becomes one U+FFFD.
[[nodiscard]] constexpr utf8_step utf8_next(const char* p, const char* end) noexcept {
  GDOS_ASSERT(p != end);
  const auto b = static_cast<unsigned char>(*p);
  if (b < 0x80) return {1, true};
  unsigned need = 0;
  unsigned char lower = 0x80;
  unsigned char upper = 0xBF;
  if (b >= 0xC2 && b <= 0xDF) {
    need = 1;
  } else if (b >= 0xE0 && b <= 0xEF) {
    need = 2;
    if (b == 0xE0) lower = 0xA0;
    if (b == 0xED) upper = 0x9F;
  } else if (b >= 0xF0 && b <= 0xF4) {
    need = 3;
    if (b == 0xF0) lower = 0x90;
    if (b == 0xF4) upper = 0x8F;
  } else {
    return {1, false};
  }
  std::size_t n = 1;
  for (unsigned i = 0; i < need; ++i) {
    if (p + n == end) return {n, false};
    const auto c = static_cast<unsigned char>(p[n]);
    if (c < lower || c > upper) return {n, false};
    lower = 0x80;
    upper = 0xBF;
    ++n;
  }
  return {n, true};
}

}  // namespace detail

}  // namespace gdos::form
