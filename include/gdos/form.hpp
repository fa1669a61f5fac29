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
#include <gdos/detail/form_codec.hpp>
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
[[nodiscard]] constexpr std::string_view to_string(errc e) noexcept;

/// One English sentence (without final period) saying what `e` means.
[[nodiscard]] constexpr std::string_view message(errc e) noexcept;

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

// ---------------------------------------------------------------------------------------------
// Percent-encoding
// ---------------------------------------------------------------------------------------------

/// True for the bytes the urlencoded serializer writes as they are: `A-Z a-z 0-9 * - . _`.
[[nodiscard]] constexpr bool is_unreserved(char c) noexcept;

/// Number of bytes encode() produces for `plain`.
[[nodiscard]] constexpr std::size_t encoded_size(std::string_view plain) noexcept;

/// Encodes `plain` at `dest`, which must hold encoded_size(plain) bytes.
/// @return one past the last byte written.
constexpr char* encode_unchecked(std::string_view plain, char* dest) noexcept;

/// Encodes `plain` into `dest` when it fits; writes nothing otherwise.
/// @return the encoded size and whether it was written.
[[nodiscard]] constexpr write_result encode_to(std::string_view plain,
                                               std::span<char> dest) noexcept;

/// Appends the encoding of `plain` to `out`.
constexpr void encode_append(std::string& out, std::string_view plain);

/// The encoding of `plain` as a new string.
[[nodiscard]] constexpr std::string encode(std::string_view plain);

// ---------------------------------------------------------------------------------------------
// Decoding (lenient, WHATWG)
// ---------------------------------------------------------------------------------------------

/// True when decoding changes `encoded`, i.e. it holds a `+` or a `%`. (A `%` that starts no
/// valid escape decodes to itself, but is counted here: checking that costs more than it saves.)
[[nodiscard]] constexpr bool needs_decoding(std::string_view encoded) noexcept;

/// Number of bytes decode() produces for `encoded`.
[[nodiscard]] constexpr std::size_t decoded_size(std::string_view encoded) noexcept;

/// Decodes `encoded` at `dest`, which must hold decoded_size(encoded) bytes. `dest` may equal
/// `encoded.data()` (decoding in place), since the output never overtakes the input.
/// @return one past the last byte written.
constexpr char* decode_unchecked(std::string_view encoded, char* dest) noexcept;

/// Decodes `encoded` into `dest` when it fits; writes nothing otherwise.
[[nodiscard]] constexpr write_result decode_to(std::string_view encoded,
                                               std::span<char> dest) noexcept;

/// Appends the decoding of `encoded` to `out`.
constexpr void decode_append(std::string& out, std::string_view encoded);

/// The decoding of `encoded` as a new string.
[[nodiscard]] constexpr std::string decode(std::string_view encoded);

/// Decodes `text` in place. @return the decoded size; bytes past it are left as they were.
constexpr std::size_t decode_in_place(std::span<char> text) noexcept;

/// Strict mode: finds the first `%` that is not followed by two hex digits.
[[nodiscard]] constexpr check_result check_strict(std::string_view encoded) noexcept;

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
  [[nodiscard]] constexpr bool equals_decoded(std::string_view plain) const noexcept;

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
                                              std::string_view fallback);

/// The text of `v`, or `fallback` when `v` is empty: the same call for a reply of plain strings
/// (a decoded_response), so generic code can call `gdos::form::decode_or` on either kind.
[[nodiscard]] constexpr std::string decode_or(const std::optional<std::string_view>& v,
                                              std::string_view fallback);

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

    constexpr void load(const char* p) noexcept;

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
[[nodiscard]] constexpr fields_view fields(std::string_view body GDOS_LIFETIMEBOUND) noexcept;

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
  constexpr buffer_writer& put(std::string_view name, std::string_view value, bool encode) noexcept;

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
  constexpr string_writer& put(std::string_view name, std::string_view value, bool encode);

  std::string* out_;
};

// ---------------------------------------------------------------------------------------------
// UTF-8
// ---------------------------------------------------------------------------------------------

/// True when `text` is well-formed UTF-8 (no overlongs, surrogates or values past U+10FFFF).
[[nodiscard]] constexpr bool is_valid_utf8(std::string_view text) noexcept;

/// Number of characters in `text`: Unicode code points, where each invalid sequence counts as
/// the one U+FFFD that WHATWG decoding would turn it into.
[[nodiscard]] constexpr std::size_t utf8_length(std::string_view text) noexcept;

/// `text` with each invalid UTF-8 sequence replaced by U+FFFD, as WHATWG decoding does.
[[nodiscard]] constexpr std::string to_utf8_lossy(std::string_view text);

}  // namespace gdos::form

#include <gdos/impl/form.hpp>
