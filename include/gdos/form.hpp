/// @file form.hpp
/// @brief Layer 1: `application/x-www-form-urlencoded`, usable on its own.
///
/// Decoding follows the WHATWG URL Standard's urlencoded parser byte for byte (lenient mode):
/// the body is split on `&`, empty pieces are skipped, each piece is split at its first `=`
/// (a piece without `=` has an empty value), `+` becomes a space, `%XX` with two hex digits
/// becomes that byte and any other `%` is kept literally. Decoding is lossless: it yields bytes
/// and never repairs UTF-8 (see is_valid_utf8() and to_utf8_lossy() for that). Strict mode
/// (check_strict()) reports the first malformed escape with its byte offset instead.
///
/// Encoding follows the WHATWG application/x-www-form-urlencoded serializer: `A-Z a-z 0-9 * - . _`
/// are written as they are, space becomes `+`, every other byte becomes `%XX` (uppercase hex).
///
/// Everything here is `constexpr`. Nothing allocates except the functions that return or append
/// to a `std::string`; those can throw only what `std::string` throws (`std::bad_alloc`), every
/// other function is `noexcept`. Views returned here point into the caller's input and live as
/// long as it does.
#pragma once

#include <gdos/common.hpp>
#include <gdos/config.hpp>
#include <gdos/detail/decimal.hpp>
#include <gdos/detail/simd.hpp>

#include <algorithm>
#include <array>
#include <bit>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <iterator>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>

namespace gdos::form {

// ---------------------------------------------------------------------------------------------
// Results
// ---------------------------------------------------------------------------------------------

/// Outcome of writing into caller memory. Output is never truncated silently: when the
/// destination is too small, `ok` is false and `size` still says how many bytes the whole
/// output needs, so the caller can size a buffer and call again.
struct write_result {
  std::size_t size = 0;  ///< Bytes the complete output needs (and, when ok, wrote).
  bool ok = false;       ///< True when all `size` bytes were written.
  /// True when the whole output was written.
  constexpr explicit operator bool() const noexcept { return ok; }
  /// Member-wise equality.
  friend constexpr bool operator==(const write_result&, const write_result&) = default;
};

/// Errors of the strict decoder.
enum class errc : std::uint8_t {
  ok = 0,            ///< No error.
  malformed_escape,  ///< A `%` not followed by two hexadecimal digits.
};

/// The identifier of `e` ("ok", "malformed_escape").
[[nodiscard]] constexpr std::string_view to_string(errc e) noexcept {
  switch (e) {
    case errc::ok:
      return "ok";
    case errc::malformed_escape:
      return "malformed_escape";
  }
  return "unknown";
}

/// One English sentence (without final period) saying what `e` means.
[[nodiscard]] constexpr std::string_view message(errc e) noexcept {
  switch (e) {
    case errc::ok:
      return "no error";
    case errc::malformed_escape:
      return "malformed percent escape ('%' not followed by two hex digits)";
  }
  return "unknown form error";
}

/// Outcome of check_strict(): `offset` is the byte offset of the offending `%` (or the input's
/// size when there is none).
struct check_result {
  errc code = errc::ok;    ///< What went wrong, errc::ok when nothing did.
  std::size_t offset = 0;  ///< Where, in bytes from the start of the checked text.
  /// True when the text has no malformed escape.
  constexpr explicit operator bool() const noexcept { return code == errc::ok; }
  /// Member-wise equality.
  friend constexpr bool operator==(const check_result&, const check_result&) = default;

  /// One line: message(code) and the offset (`malformed percent escape ... at byte 7`), or `ok`.
  [[nodiscard]] std::string message() const {
    if (code == errc::ok) return "ok";
    std::string out(form::message(code));
    out += " at byte ";
    out += gdos::detail::to_decimal(offset).view();
    return out;
  }

  /// Prints message().
  template <string_view_stream Stream>
  friend Stream& operator<<(Stream& os, const check_result& r) {
    os << std::string_view(r.message());
    return os;
  }
};

// Makes gdos' enumeration printer (common.hpp) visible to argument-dependent lookup for the
// enumerations of this namespace: `os << gdos::form::errc::ok` prints `ok`.
using gdos::operator<<;

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

// ---------------------------------------------------------------------------------------------
// Percent-encoding
// ---------------------------------------------------------------------------------------------

/// True for the bytes the urlencoded serializer writes as they are: `A-Z a-z 0-9 * - . _`.
[[nodiscard]] constexpr bool is_unreserved(char c) noexcept {
  return detail::unreserved_table[static_cast<unsigned char>(c)];
}

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

/// Number of bytes encode() produces for `plain`.
[[nodiscard]] constexpr std::size_t encoded_size(std::string_view plain) noexcept {
  // One load and add per byte, no branch: this runs over every value a writer sizes.
  std::size_t n = 0;
  for (char c : plain)
    n += static_cast<std::size_t>(detail::escape_table[static_cast<unsigned char>(c)][3]);
  return n;
}

/// Encodes `plain` at `dest`, which must hold encoded_size(plain) bytes.
/// @return one past the last byte written.
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

/// Encodes `plain` into `dest` when it fits; writes nothing otherwise.
/// @return the encoded size and whether it was written.
[[nodiscard]] constexpr write_result encode_to(std::string_view plain,
                                               std::span<char> dest) noexcept {
  const std::size_t n = encoded_size(plain);
  if (n > dest.size()) return {n, false};
  [[maybe_unused]] const char* end = encode_unchecked(plain, dest.data());
  GDOS_ASSERT(end == dest.data() + n);  // encode_unchecked's precondition held
  return {n, true};
}

/// Appends the encoding of `plain` to `out`.
constexpr void encode_append(std::string& out, std::string_view plain) {
  const std::size_t old = out.size();
  out.resize(old + encoded_size(plain));
  [[maybe_unused]] const char* end = encode_unchecked(plain, out.data() + old);
  GDOS_ASSERT(end == out.data() + out.size());
}

/// The encoding of `plain` as a new string.
[[nodiscard]] constexpr std::string encode(std::string_view plain) {
  std::string out;
  encode_append(out, plain);
  return out;
}

// ---------------------------------------------------------------------------------------------
// Decoding (lenient, WHATWG)
// ---------------------------------------------------------------------------------------------

/// True when decoding changes `encoded`, i.e. it holds a `+` or a `%`. (A `%` that starts no
/// valid escape decodes to itself, but is counted here: checking that costs more than it saves.)
[[nodiscard]] constexpr bool needs_decoding(std::string_view encoded) noexcept {
  const char* end = encoded.data() + encoded.size();
  return detail::find_special(encoded.data(), end) != end;
}

/// Number of bytes decode() produces for `encoded`.
[[nodiscard]] constexpr std::size_t decoded_size(std::string_view encoded) noexcept {
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

/// Decodes `encoded` at `dest`, which must hold decoded_size(encoded) bytes. `dest` may equal
/// `encoded.data()` (decoding in place), since the output never overtakes the input.
/// @return one past the last byte written.
constexpr char* decode_unchecked(std::string_view encoded, char* dest) noexcept {
  const char* p = encoded.data();
  const char* end = p + encoded.size();
#if GDOS_DETAIL_X86_KERNELS
  // The SIMD kernels (detail/simd.hpp): byte for byte the same output.
  if (!std::is_constant_evaluated()) return ::gdos::detail::simd::decode(p, end, dest);
#endif
  return detail::decode_portable(p, end, dest);
}

/// Decodes `encoded` into `dest` when it fits; writes nothing otherwise.
[[nodiscard]] constexpr write_result decode_to(std::string_view encoded,
                                               std::span<char> dest) noexcept {
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

/// Appends the decoding of `encoded` to `out`.
constexpr void decode_append(std::string& out, std::string_view encoded) {
  const std::size_t old = out.size();
  out.resize(old + decoded_size(encoded));
  [[maybe_unused]] const char* end = decode_unchecked(encoded, out.data() + old);
  GDOS_ASSERT(end == out.data() + out.size());
}

/// The decoding of `encoded` as a new string.
[[nodiscard]] constexpr std::string decode(std::string_view encoded) {
  std::string out;
  decode_append(out, encoded);
  return out;
}

/// Decodes `text` in place. @return the decoded size; bytes past it are left as they were.
constexpr std::size_t decode_in_place(std::span<char> text) noexcept {
  const std::string_view in(text.data(), text.size());
  return static_cast<std::size_t>(decode_unchecked(in, text.data()) - text.data());
}

/// Strict mode: finds the first `%` that is not followed by two hex digits.
[[nodiscard]] constexpr check_result check_strict(std::string_view encoded) noexcept {
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

// ---------------------------------------------------------------------------------------------
// encoded_view
// ---------------------------------------------------------------------------------------------

/// A non-owning view of urlencoded text that decodes on demand (lenient rules).
///
/// It stores only the raw view, so making one costs nothing; each query walks the text. It is
/// valid as long as the text it was made from. Comparisons with plain text (`v == "Issued"`,
/// equals_decoded()) decode on the fly and never allocate; `os << v` prints the decoded text.
/// For an optional one (an absent reply field), `decode_or(o.status, "")` gives the decoded
/// text or a fallback, and `o.status == "Issued"` is false when the field is absent.
class GDOS_DETAIL_VIEW_OF_STRING encoded_view {
 public:
  /// An empty view.
  constexpr encoded_view() noexcept = default;
  /// Views `raw`, which must stay alive while the view is used.
  constexpr explicit encoded_view(std::string_view raw GDOS_LIFETIMEBOUND) noexcept : raw_(raw) {}
  /// Refused: the view would dangle once the temporary string dies.
  template <class String>
    requires gdos::detail::temporary_string<String>
  explicit encoded_view(String&& raw) = delete;

  /// The raw, still encoded text.
  [[nodiscard]] constexpr std::string_view encoded() const noexcept { return raw_; }
  /// Size of the raw text in bytes.
  [[nodiscard]] constexpr std::size_t size() const noexcept { return raw_.size(); }
  /// True when the raw text is empty.
  [[nodiscard]] constexpr bool empty() const noexcept { return raw_.empty(); }
  /// True when decoding changes the text (it holds `+` or `%`).
  [[nodiscard]] constexpr bool needs_decoding() const noexcept {
    return form::needs_decoding(raw_);
  }
  /// Size of the decoded text in bytes.
  [[nodiscard]] constexpr std::size_t decoded_size() const noexcept {
    return form::decoded_size(raw_);
  }
  /// Decodes into `dest` when it fits (see form::decode_to()).
  [[nodiscard]] constexpr write_result decode_to(std::span<char> dest) const noexcept {
    return form::decode_to(raw_, dest);
  }
  /// Decodes at `dest`, which must hold decoded_size() bytes. @return one past the end.
  constexpr char* decode_unchecked(char* dest) const noexcept {
    return form::decode_unchecked(raw_, dest);
  }
  /// Appends the decoded text to `out`.
  constexpr void decode_append(std::string& out) const { form::decode_append(out, raw_); }
  /// The decoded text as a new string.
  [[nodiscard]] constexpr std::string decode() const { return form::decode(raw_); }

  /// True when the decoded text equals `plain`, without allocating.
  [[nodiscard]] constexpr bool equals_decoded(std::string_view plain) const noexcept {
    const char* p = raw_.data();
    const char* end = p + raw_.size();
    // Decoding only shrinks text by at most 3 to 1, which bounds a quick size check.
    if (plain.size() > raw_.size() || plain.size() * 3 < raw_.size()) return false;
    for (char c : plain) {
      if (p == end || detail::next_decoded(p, end) != c) return false;
    }
    return p == end;
  }

  /// Decoded equality with plain text: `encoded_view("a+b%21") == "a b!"`. The same as
  /// equals_decoded().
  friend constexpr bool operator==(const encoded_view& a, std::string_view plain) noexcept {
    return a.equals_decoded(plain);
  }

  /// Decoded equality: `a+b`, `a%20b` and `a b` are all equal.
  friend constexpr bool operator==(const encoded_view& a, const encoded_view& b) noexcept {
    const char* p = a.raw_.data();
    const char* pe = p + a.raw_.size();
    const char* q = b.raw_.data();
    const char* qe = q + b.raw_.size();
    while (p != pe && q != qe)
      if (detail::next_decoded(p, pe) != detail::next_decoded(q, qe)) return false;
    return p == pe && q == qe;
  }

  /// Prints the decoded text (in pieces through a small buffer: no allocation).
  template <string_view_stream Stream>
  friend Stream& operator<<(Stream& os, const encoded_view& v) {
    if (!v.needs_decoding()) {
      os << v.raw_;
      return os;
    }
    std::array<char, 256> buf{};
    std::size_t n = 0;
    const char* p = v.raw_.data();
    const char* end = p + v.raw_.size();
    while (p != end) {
      buf[n++] = detail::next_decoded(p, end);
      if (n == buf.size()) {
        os << std::string_view(buf.data(), n);
        n = 0;
      }
    }
    if (n != 0) os << std::string_view(buf.data(), n);
    return os;
  }

 private:
  std::string_view raw_;
};

/// The decoded text of `v`, or `fallback` when `v` is empty (an absent field):
/// `decode_or(order.status, "-")`. Found by argument-dependent lookup.
[[nodiscard]] constexpr std::string decode_or(const std::optional<encoded_view>& v,
                                              std::string_view fallback) {
  return v ? v->decode() : std::string(fallback);
}

/// The text of `v`, or `fallback` when `v` is empty: the same call for a reply of plain strings
/// (a decoded_response), so generic code can call `gdos::form::decode_or` on either kind.
[[nodiscard]] constexpr std::string decode_or(const std::optional<std::string_view>& v,
                                              std::string_view fallback) {
  return std::string(v ? *v : fallback);
}

// ---------------------------------------------------------------------------------------------
// fields(): splitting a body
// ---------------------------------------------------------------------------------------------

/// One `name=value` piece of a body, both still encoded. A piece without `=` has an empty value.
struct field {
  encoded_view name;   ///< The text before the first `=`.
  encoded_view value;  ///< The text after the first `=`.
  /// Raw (encoded) equality of both parts.
  friend constexpr bool operator==(const field& a, const field& b) noexcept {
    return a.name.encoded() == b.name.encoded() && a.value.encoded() == b.value.encoded();
  }
};

/// A forward range over the fields of a urlencoded body, in order, skipping empty pieces.
/// It allocates nothing; the fields it yields point into the body and live as long as it does.
/// The byte offset of a field is `f.name.encoded().data() - body.data()`.
class GDOS_DETAIL_VIEW_OF_STRING fields_view {
 public:
  /// Forward iterator yielding `const field&`.
  class iterator {
   public:
    using value_type = field;                             ///< What it yields.
    using difference_type = std::ptrdiff_t;               ///< Distance between iterators.
    using reference = const field&;                       ///< operator*() result.
    using pointer = const field*;                         ///< operator->() result.
    using iterator_category = std::forward_iterator_tag;  ///< A forward iterator...
    using iterator_concept = std::forward_iterator_tag;   ///< ...for C++20 ranges too.

    /// A singular iterator, equal only to other default-constructed ones.
    constexpr iterator() noexcept = default;

    /// The current field; valid until the iterator moves, its parts as long as the body.
    [[nodiscard]] constexpr reference operator*() const noexcept { return field_; }
    /// The current field; valid until the iterator moves, its parts as long as the body.
    [[nodiscard]] constexpr pointer operator->() const noexcept { return &field_; }
    /// Moves to the next non-empty piece.
    constexpr iterator& operator++() noexcept {
      load(next_);
      return *this;
    }
    /// Moves to the next non-empty piece; returns the iterator as it was.
    constexpr iterator operator++(int) noexcept {
      iterator old = *this;
      ++*this;
      return old;
    }
    /// True when both are at the same piece of the same body (or both at the end).
    friend constexpr bool operator==(const iterator& a, const iterator& b) noexcept {
      return a.piece_ == b.piece_;
    }

   private:
    friend class fields_view;
    constexpr iterator(const char* p, const char* end) noexcept : end_(end) { load(p); }

    constexpr void load(const char* p) noexcept {
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

    const char* piece_ = nullptr;
    const char* next_ = nullptr;
    const char* end_ = nullptr;
    field field_{};
  };

  /// An empty range.
  constexpr fields_view() noexcept = default;
  /// Views the fields of `body`, which must stay alive while the range is used.
  constexpr explicit fields_view(std::string_view body GDOS_LIFETIMEBOUND) noexcept : body_(body) {}
  /// Refused: the range would dangle once the temporary string dies.
  template <class String>
    requires gdos::detail::temporary_string<String>
  explicit fields_view(String&& body) = delete;

  /// The first field (scans up to it).
  [[nodiscard]] constexpr iterator begin() const noexcept {
    return iterator(body_.data(), body_.data() + body_.size());
  }
  /// Past the last field.
  [[nodiscard]] constexpr iterator end() const noexcept {
    return iterator(body_.data() + body_.size(), body_.data() + body_.size());
  }
  /// True when the body has no non-empty piece.
  [[nodiscard]] constexpr bool empty() const noexcept { return begin() == end(); }
  /// The body being viewed.
  [[nodiscard]] constexpr std::string_view body() const noexcept { return body_; }

 private:
  std::string_view body_;
};

/// The fields of `body` (see fields_view).
[[nodiscard]] constexpr fields_view fields(std::string_view body GDOS_LIFETIMEBOUND) noexcept {
  return fields_view(body);
}

/// Refused: the fields would view a string that dies at the end of the full expression
/// (`for (auto& f : fields(fetch()))` reads freed memory). Keep the body in a variable.
template <class String>
  requires gdos::detail::temporary_string<String>
fields_view fields(String&& body) = delete;

// ---------------------------------------------------------------------------------------------
// Writers
// ---------------------------------------------------------------------------------------------

/// Integers a writer formats in decimal: every integer type but bool and the character types.
template <class T>
concept decimal_integer = gdos::detail::decimal_integer<T>;

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

/// Writes `name=value&...` into caller memory, encoding names and values.
///
/// It never truncates silently: the first pair that does not fit stops all writing (so the
/// buffer holds only whole pairs), while result().size keeps counting what the whole body needs.
class buffer_writer {
 public:
  /// Writes into `dest`, which must outlive the writer and any view() taken from it.
  constexpr explicit buffer_writer(std::span<char> dest GDOS_LIFETIMEBOUND) noexcept
      : begin_(dest.data()), pos_(dest.data()), end_(dest.data() + dest.size()) {}

  /// Appends `name=value`, both plain text that is encoded here.
  constexpr buffer_writer& add(std::string_view name, std::string_view value) noexcept {
    return put(name, value, true);
  }
  /// Appends `name=value` with the integer in decimal.
  template <decimal_integer T>
  constexpr buffer_writer& add(std::string_view name, T value) noexcept {
    return put(name, gdos::detail::to_decimal(value).view(), true);
  }
  /// Appends `name=value`, both already encoded, copied as they are.
  constexpr buffer_writer& add_encoded(std::string_view name, std::string_view value) noexcept {
    return put(name, value, false);
  }

  /// Size of the whole body so far and whether all of it was written.
  [[nodiscard]] constexpr write_result result() const noexcept { return {needed_, ok_}; }
  /// The bytes written: whole pairs only, the full body when result().ok.
  [[nodiscard]] constexpr std::string_view view() const noexcept {
    return {begin_, static_cast<std::size_t>(pos_ - begin_)};
  }

 private:
  constexpr buffer_writer& put(std::string_view name, std::string_view value,
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

  char* begin_;
  char* pos_;
  char* end_;
  std::size_t needed_ = 0;
  bool ok_ = true;
};

/// Appends `name=value&...` to a std::string, encoding names and values. A `&` goes before a
/// pair whenever the string is not empty.
class string_writer {
 public:
  /// Appends to `out`, which must outlive the writer.
  constexpr explicit string_writer(std::string& out GDOS_LIFETIMEBOUND) noexcept : out_(&out) {}

  /// Appends `name=value`, both plain text that is encoded here.
  constexpr string_writer& add(std::string_view name, std::string_view value) {
    return put(name, value, true);
  }
  /// Appends `name=value` with the integer in decimal.
  template <decimal_integer T>
  constexpr string_writer& add(std::string_view name, T value) {
    return put(name, gdos::detail::to_decimal(value).view(), true);
  }
  /// Appends `name=value`, both already encoded, copied as they are.
  constexpr string_writer& add_encoded(std::string_view name, std::string_view value) {
    return put(name, value, false);
  }
  /// The string written to.
  [[nodiscard]] constexpr const std::string& str() const noexcept { return *out_; }

 private:
  constexpr string_writer& put(std::string_view name, std::string_view value, bool encode) {
    const bool sep = !out_->empty();
    const std::size_t old = out_->size();
    out_->resize(old + detail::pair_size(sep, name, value, encode));
    detail::write_pair(out_->data() + old, sep, name, value, encode);
    return *this;
  }

  std::string* out_;
};

// ---------------------------------------------------------------------------------------------
// UTF-8
// ---------------------------------------------------------------------------------------------

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

/// True when `text` is well-formed UTF-8 (no overlongs, surrogates or values past U+10FFFF).
[[nodiscard]] constexpr bool is_valid_utf8(std::string_view text) noexcept {
  const char* p = text.data();
  const char* end = p + text.size();
  while (p != end) {
    const auto s = detail::utf8_next(p, end);
    if (!s.valid) return false;
    p += s.length;
  }
  return true;
}

/// Number of characters in `text`: Unicode code points, where each invalid sequence counts as
/// the one U+FFFD that WHATWG decoding would turn it into.
[[nodiscard]] constexpr std::size_t utf8_length(std::string_view text) noexcept {
  std::size_t n = 0;
  const char* p = text.data();
  const char* end = p + text.size();
  while (p != end) {
    p += detail::utf8_next(p, end).length;
    ++n;
  }
  return n;
}

/// `text` with each invalid UTF-8 sequence replaced by U+FFFD, as WHATWG decoding does.
[[nodiscard]] constexpr std::string to_utf8_lossy(std::string_view text) {
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
