/// @file detail/ascii.hpp
/// @brief ASCII helpers more than one layer needs: case folding for names matched
/// case-insensitively, and printable copies of untrusted text for messages.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace gdos::detail {

/// `c` with A-Z lowered; every other byte as it is.
[[nodiscard]] constexpr char ascii_lower(char c) noexcept {
  return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

/// True when `a` and `b` are equal but for the case of ASCII letters.
[[nodiscard]] constexpr bool iequals_ascii(std::string_view a, std::string_view b) noexcept {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (ascii_lower(a[i]) != ascii_lower(b[i])) return false;
  return true;
}

/// Appends `text` to `out` for a one-line message: bytes outside printable ASCII as `?`, at most
/// `max` of them, then `...` when it was longer. Untrusted text (a key from a reply, a server's
/// message) cannot then add a line, a terminal escape or an unbounded length to a message.
inline void append_printable(std::string& out, std::string_view text,
                             std::size_t max = std::string_view::npos) {
  const std::size_t n = text.size() < max ? text.size() : max;
  for (std::size_t i = 0; i < n; ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    out.push_back(c >= 0x20 && c < 0x7f ? static_cast<char>(c) : '?');
  }
  if (n < text.size()) out += "...";
}

}  // namespace gdos::detail
