/// @file impl/form.hpp
/// @brief The bodies of gdos/form.hpp: the names of the errors, percent-encoding and decoding,
/// encoded_view's comparison, fields(), the writers and the UTF-8 functions. Included at the end
/// of that header.
#pragma once

#include <gdos/config.hpp>
#include <gdos/detail/decimal.hpp>
#include <gdos/detail/form_codec.hpp>
#include <gdos/detail/simd.hpp>
#include <gdos/form.hpp>

#include <algorithm>
#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace gdos::form {

constexpr std::string_view to_string(errc e) noexcept {
  switch (e) {
    case errc::ok:
      return "ok";
    case errc::malformed_escape:
      return "malformed_escape";
  }
  return "unknown";
}

constexpr std::string_view message(errc e) noexcept {
  switch (e) {
    case errc::ok:
      return "no error";
    case errc::malformed_escape:
      return "malformed percent escape ('%' not followed by two hex digits)";
  }
  return "unknown form error";
}

constexpr bool is_unreserved(char c) noexcept {
  return detail::unreserved_table[static_cast<unsigned char>(c)];
}

constexpr std::size_t encoded_size(std::string_view plain) noexcept {
  // One load and add per byte, no branch: this runs over every value a writer sizes.
  std::size_t n = 0;
  for (char c : plain)
    n += static_cast<std::size_t>(detail::escape_table[static_cast<unsigned char>(c)][3]);
  return n;
}

constexpr char* encode_unchecked(std::string_view plain, char* dest) noexcept {
  for (char c : plain) {
    if (is_unreserved(c)) {
      *dest++ = c;
    } else if (c == ' ') {
      *dest++ = '+';
    } else {
      const auto u = static_cast<unsigned char>(c);
      *dest++ = '%';
      *dest++ = detail::hex_upper[u >> 4];
      *dest++ = detail::hex_upper[u & 15];
    }
  }
  return dest;
}

constexpr write_result encode_to(std::string_view plain, std::span<char> dest) noexcept {
  const std::size_t n = encoded_size(plain);
  if (n > dest.size()) return {n, false};
  [[maybe_unused]] const char* end = encode_unchecked(plain, dest.data());
  GDOS_ASSERT(end == dest.data() + n);  // encode_unchecked's precondition held
  return {n, true};
}

constexpr void encode_append(std::string& out, std::string_view plain) {
  const std::size_t old = out.size();
  out.resize(old + encoded_size(plain));
  [[maybe_unused]] const char* end = encode_unchecked(plain, out.data() + old);
  GDOS_ASSERT(end == out.data() + out.size());
}

constexpr std::string encode(std::string_view plain) {
  std::string out;
  encode_append(out, plain);
  return out;
}

constexpr bool needs_decoding(std::string_view encoded) noexcept {
  const char* end = encoded.data() + encoded.size();
  return detail::find_special(encoded.data(), end) != end;
}

constexpr std::size_t decoded_size(std::string_view encoded) noexcept {
  std::size_t n = encoded.size();
  const char* p = encoded.data();
  const char* end = p + encoded.size();
#if GDOS_DETAIL_X86_KERNELS
  if (!std::is_constant_evaluated()) return n - 2 * ::gdos::detail::simd::count_escapes(p, end);
#endif
  while ((p = detail::find_char(p, end, '%')) != end) {
    if (detail::valid_escape_at(p, end)) {
      n -= 2;
      p += 3;
    } else {
      ++p;
    }
  }
  return n;
}

constexpr char* decode_unchecked(std::string_view encoded, char* dest) noexcept {
  const char* p = encoded.data();
  const char* end = p + encoded.size();
#if GDOS_DETAIL_X86_KERNELS
  // The SIMD kernels (detail/simd.hpp): byte for byte the same output.
  if (!std::is_constant_evaluated()) return ::gdos::detail::simd::decode(p, end, dest);
#endif
  return detail::decode_portable(p, end, dest);
}

constexpr write_result decode_to(std::string_view encoded, std::span<char> dest) noexcept {
  // Decoding never lengthens text: room for the input is room for the output, and then one
  // pass does, without sizing first.
  if (dest.size() >= encoded.size())
    return {static_cast<std::size_t>(decode_unchecked(encoded, dest.data()) - dest.data()), true};
  const std::size_t n = decoded_size(encoded);
  if (n > dest.size()) return {n, false};
  [[maybe_unused]] const char* end = decode_unchecked(encoded, dest.data());
  GDOS_ASSERT(end == dest.data() + n);  // decode_unchecked's precondition held
  return {n, true};
}

constexpr void decode_append(std::string& out, std::string_view encoded) {
  const std::size_t old = out.size();
  out.resize(old + decoded_size(encoded));
  [[maybe_unused]] const char* end = decode_unchecked(encoded, out.data() + old);
  GDOS_ASSERT(end == out.data() + out.size());
}

constexpr std::string decode(std::string_view encoded) {
  std::string out;
  decode_append(out, encoded);
  return out;
}

constexpr std::size_t decode_in_place(std::span<char> text) noexcept {
  const std::string_view in(text.data(), text.size());
  return static_cast<std::size_t>(decode_unchecked(in, text.data()) - text.data());
}

constexpr check_result check_strict(std::string_view encoded) noexcept {
  const char* begin = encoded.data();
  const char* end = begin + encoded.size();
#if GDOS_DETAIL_X86_KERNELS
  if (!std::is_constant_evaluated()) {
    const char* bad = ::gdos::detail::simd::find_malformed(begin, end);
    if (bad == end) return {errc::ok, encoded.size()};
    return {errc::malformed_escape, static_cast<std::size_t>(bad - begin)};
  }
#endif
  for (const char* p = begin; (p = detail::find_char(p, end, '%')) != end;) {
    if (!detail::valid_escape_at(p, end))
      return {errc::malformed_escape, static_cast<std::size_t>(p - begin)};
    p += 3;
  }
  return {errc::ok, encoded.size()};
}

constexpr bool encoded_view::equals_decoded(std::string_view plain) const noexcept {
  const char* p = raw_.data();
  const char* end = p + raw_.size();
  // Decoding only shrinks text by at most 3 to 1, which bounds a quick size check.
  if (plain.size() > raw_.size() || plain.size() * 3 < raw_.size()) return false;
  for (char c : plain) {
    if (p == end || detail::next_decoded(p, end) != c) return false;
  }
  return p == end;
}

constexpr std::string decode_or(const std::optional<encoded_view>& v, std::string_view fallback) {
  return v ? v->decode() : std::string(fallback);
}

constexpr std::string decode_or(const std::optional<std::string_view>& v,
                                std::string_view fallback) {
  return std::string(v ? *v : fallback);
}

constexpr void fields_view::iterator::load(const char* p) noexcept {
  while (p != end_) {
    const char* amp = detail::find_char(p, end_, '&');
    if (amp != p) {
      piece_ = p;
      next_ = amp == end_ ? end_ : amp + 1;
      const char* eq = detail::find_char(p, amp, '=');
      field_.name = encoded_view(std::string_view(p, static_cast<std::size_t>(eq - p)));
      field_.value =
          eq == amp
              // Empty, yet placed at the piece's end so offsets computed from it still hold.
              // NOLINTNEXTLINE(bugprone-string-constructor)
              ? encoded_view(std::string_view(amp, 0))
              : encoded_view(std::string_view(eq + 1, static_cast<std::size_t>(amp - eq - 1)));
      return;
    }
    p = amp + 1;
  }
  piece_ = end_;
  next_ = end_;
}

constexpr fields_view fields(std::string_view body) noexcept { return fields_view(body); }

namespace detail {

/// Size of `[&]name=value` once encoded; names and values are encoded only when `encode`.
[[nodiscard]] constexpr std::size_t pair_size(bool sep, std::string_view name,
                                              std::string_view value, bool encode) noexcept {
  return (sep ? 1 : 0) + 1 +
         (encode ? encoded_size(name) + encoded_size(value) : name.size() + value.size());
}

constexpr char* write_pair(char* p, bool sep, std::string_view name, std::string_view value,
                           bool encode) noexcept {
  if (sep) *p++ = '&';
  if (encode) {
    p = encode_unchecked(name, p);
    *p++ = '=';
    return encode_unchecked(value, p);
  }
  p = std::copy(name.begin(), name.end(), p);
  *p++ = '=';
  return std::copy(value.begin(), value.end(), p);
}

}  // namespace detail

constexpr buffer_writer& buffer_writer::put(std::string_view name, std::string_view value,
                                            bool encode) noexcept {
  const bool sep = needed_ != 0;
  const std::size_t n = detail::pair_size(sep, name, value, encode);
  needed_ += n;
  if (ok_ && n <= static_cast<std::size_t>(end_ - pos_)) {
    pos_ = detail::write_pair(pos_, sep, name, value, encode);
  } else {
    ok_ = false;
  }
  return *this;
}

constexpr string_writer& string_writer::put(std::string_view name, std::string_view value,
                                            bool encode) {
  const bool sep = !out_->empty();
  const std::size_t old = out_->size();
  out_->resize(old + detail::pair_size(sep, name, value, encode));
  detail::write_pair(out_->data() + old, sep, name, value, encode);
  return *this;
}

constexpr bool is_valid_utf8(std::string_view text) noexcept {
  const char* p = text.data();
  const char* end = p + text.size();
  while (p != end) {
    const auto s = detail::utf8_next(p, end);
    if (!s.valid) return false;
    p += s.length;
  }
  return true;
}

constexpr std::size_t utf8_length(std::string_view text) noexcept {
  std::size_t n = 0;
  const char* p = text.data();
  const char* end = p + text.size();
  while (p != end) {
    p += detail::utf8_next(p, end).length;
    ++n;
  }
  return n;
}

constexpr std::string to_utf8_lossy(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  const char* p = text.data();
  const char* end = p + text.size();
  while (p != end) {
    const auto s = detail::utf8_next(p, end);
    if (s.valid)
      out.append(p, s.length);
    else
      out.append("\xEF\xBF\xBD");
    p += s.length;
  }
  return out;
}

}  // namespace gdos::form
