/// @file detail/decimal.hpp
/// @brief The one decimal writer and the one decimal reader of every layer (form's writers, the
/// request encoder and parser, the reply parser and writer, printing), constexpr and without
/// `<charconv>`.
#pragma once

#include <gdos/config.hpp>

#include <array>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <optional>
#include <string_view>
#include <type_traits>

namespace gdos::detail {

// ---- writing ----------------------------------------------------------------------------------

/// Integers written in decimal: every integer type but bool and the character types.
template <class T>
concept decimal_integer =
    std::integral<T> && !std::same_as<std::remove_cv_t<T>, bool> &&
    !std::same_as<std::remove_cv_t<T>, char> && !std::same_as<std::remove_cv_t<T>, wchar_t> &&
    !std::same_as<std::remove_cv_t<T>, char8_t> && !std::same_as<std::remove_cv_t<T>, char16_t> &&
    !std::same_as<std::remove_cv_t<T>, char32_t>;

/// |v| as an unsigned 64-bit integer (INT64_MIN included).
template <decimal_integer T>
[[nodiscard]] constexpr std::uint64_t magnitude(T v) noexcept {
  if constexpr (std::is_signed_v<T>) {
    if (v < 0) return std::uint64_t{0} - static_cast<std::uint64_t>(v);
  }
  return static_cast<std::uint64_t>(v);
}

/// Number of decimal digits of v (1 for 0).
[[nodiscard]] constexpr std::size_t decimal_digits(std::uint64_t v) noexcept {
  // Four digits per division: the divisions form a dependency chain that dominates otherwise.
  std::size_t n = 1;
  for (;;) {
    if (v < 10) return n;
    if (v < 100) return n + 1;
    if (v < 1000) return n + 2;
    if (v < 10000) return n + 3;
    v /= 10000;
    n += 4;
  }
}

/// Bytes of the decimal form of v, its '-' included (at most 20).
template <decimal_integer T>
[[nodiscard]] constexpr std::size_t decimal_size(T v) noexcept {
  std::size_t sign = 0;
  if constexpr (std::is_signed_v<T>) sign = v < 0 ? 1 : 0;
  return sign + decimal_digits(magnitude(v));
}

/// Writes v in decimal at p, which must hold decimal_size(v) bytes; returns one past the end.
template <decimal_integer T>
constexpr char* write_decimal(T v, char* p) noexcept {
  if constexpr (std::is_signed_v<T>) {
    if (v < 0) *p++ = '-';
  }
  std::uint64_t u = magnitude(v);
  char* const end = p + decimal_digits(u);
  char* q = end;
  do {
    *--q = static_cast<char>('0' + u % 10);
    u /= 10;
  } while (u != 0);
  GDOS_ASSERT(q == p);
  return end;
}

/// The decimal form of an integer in a small buffer; view() lives as long as the object.
struct decimal_text {
  std::array<char, 20> buf{};
  std::size_t size = 0;
  [[nodiscard]] constexpr std::string_view view() const noexcept { return {buf.data(), size}; }
};

/// v in decimal (`-42`), for writers that copy it where it goes.
template <decimal_integer T>
[[nodiscard]] constexpr decimal_text to_decimal(T v) noexcept {
  decimal_text d;
  d.size = static_cast<std::size_t>(write_decimal(v, d.buf.data()) - d.buf.data());
  return d;
}

// ---- reading ----------------------------------------------------------------------------------

/// The digits of a text that should be nothing but digits.
struct digits_read {
  std::uint64_t value = 0;  // meaningful when ok() and !overflow
  std::size_t count = 0;    // digits read (leading zeros included)
  bool all_digits = false;  // the text is non-empty and every byte is 0-9
  bool overflow = false;    // the value does not fit 64 bits
  [[nodiscard]] constexpr bool ok() const noexcept { return all_digits && !overflow; }
};

/// Reads `s` as unsigned decimal digits. The one integer reader: the others below are rules on
/// top of it.
[[nodiscard]] constexpr digits_read read_digits(std::string_view s) noexcept {
  digits_read r;
  r.all_digits = !s.empty();
  for (const char c : s) {
    const auto d = static_cast<unsigned>(static_cast<unsigned char>(c) - '0');
    if (d > 9) {
      r.all_digits = false;
      return r;
    }
    if (r.value > (std::numeric_limits<std::uint64_t>::max() - d) / 10u) r.overflow = true;
    r.value = r.value * 10u + d;
    ++r.count;
  }
  return r;
}

/// Parses `-?[0-9]+` (any number of leading zeros) into a 64-bit integer, rejecting overflow
/// and anything else. (One function for both widths: each instantiation is code a calling unit
/// compiles.)
[[nodiscard]] constexpr bool parse_decimal(std::string_view s, std::int64_t& out) noexcept {
  const bool neg = !s.empty() && s[0] == '-';
  const digits_read d = read_digits(neg ? s.substr(1) : s);
  const std::uint64_t limit = neg ? std::uint64_t{1} << 63 : (std::uint64_t{1} << 63) - 1;
  if (!d.ok() || d.value > limit) return false;
  out = neg ? static_cast<std::int64_t>(std::uint64_t{0} - d.value)
            : static_cast<std::int64_t>(d.value);
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

/// Digits only (no sign), 1 to `max_digits` of them (at most 19, so that any fits 64 bits),
/// leading zeros counted as digits.
[[nodiscard]] constexpr std::optional<std::uint64_t> parse_digits(std::string_view s,
                                                                  std::size_t max_digits) noexcept {
  GDOS_ASSERT(max_digits <= 19);
  const digits_read d = read_digits(s);
  if (!d.ok() || d.count > max_digits) return std::nullopt;
  return d.value;
}

}  // namespace gdos::detail
