// Tests of the form layer, include/gdos/form.hpp. The header comes first to prove it is
// self-contained. Each check is a constexpr function run twice: by static_assert at compile
// time and by doctest at run time (fast_float's habit), so both paths are exercised.
#include <gdos/form.hpp>
//
#include <doctest/doctest.h>

#include <array>
#include <cstring>
#include <iterator>
#include <optional>
#include <random>
#include <ranges>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "guard_page.hpp"

using namespace std::literals;
namespace form = gdos::form;

#include "constexpr_check.hpp"

static_assert(std::ranges::forward_range<form::fields_view>);
static_assert(std::ranges::common_range<form::fields_view>);
static_assert(std::forward_iterator<form::fields_view::iterator>);
static_assert(std::is_trivially_copyable_v<form::encoded_view>);
static_assert(std::is_nothrow_constructible_v<form::encoded_view, std::string_view>);

namespace {

// A checked buffer encode: the result must fit in N bytes.
template <std::size_t N>
struct fixed {
  std::array<char, N> buf{};
  std::size_t size = 0;
  bool ok = false;
  [[nodiscard]] constexpr std::string_view view() const { return {buf.data(), size}; }
};

template <std::size_t N>
constexpr fixed<N> encode_fixed(std::string_view s) {
  fixed<N> f;
  const auto r = form::encode_to(s, f.buf);
  f.size = r.size;
  f.ok = r.ok;
  return f;
}

template <std::size_t N>
constexpr fixed<N> decode_fixed(std::string_view s) {
  fixed<N> f;
  const auto r = form::decode_to(s, f.buf);
  f.size = r.size;
  f.ok = r.ok;
  return f;
}

// ---- encoding ----

constexpr bool unreserved_set_is_exactly_alnum_and_star_dash_dot_underscore() {
  for (int i = 0; i < 256; ++i) {
    const char c = static_cast<char>(i);
    const bool expected = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                          (c >= '0' && c <= '9') || c == '*' || c == '-' || c == '.' || c == '_';
    if (form::is_unreserved(c) != expected) return false;
  }
  return true;
}

constexpr bool encodes_space_as_plus_and_others_as_uppercase_hex() {
  const auto f = encode_fixed<64>("a b&c=d/~!'()%+\xC3\xA9\x7F");
  return f.ok && f.view() == "a+b%26c%3Dd%2F%7E%21%27%28%29%25%2B%C3%A9%7F";
}

constexpr bool encodes_every_byte_value() {
  std::array<char, 256> all{};
  for (int i = 0; i < 256; ++i) all[static_cast<std::size_t>(i)] = static_cast<char>(i);
  const std::string_view in(all.data(), all.size());
  const auto f = encode_fixed<768>(in);
  if (!f.ok || f.size != form::encoded_size(in)) return false;
  // 66 unreserved + space as one byte each, the 189 others as %XX.
  if (f.size != 67 + 189 * 3) return false;
  // And it decodes back to every byte.
  const auto d = decode_fixed<256>(f.view());
  return d.ok && d.view() == in;
}

constexpr bool encode_to_writes_nothing_when_too_small() {
  std::array<char, 5> buf{'x', 'x', 'x', 'x', 'x'};
  const auto r = form::encode_to("a b c", std::span<char>(buf.data(), 4));
  return !r.ok && r.size == 5 && buf[0] == 'x' && buf[3] == 'x';
}

constexpr bool encode_to_exact_size_fits() {
  std::array<char, 3> buf{};
  const auto r = form::encode_to("/", buf);
  return r.ok && r.size == 3 && std::string_view(buf.data(), 3) == "%2F";
}

constexpr bool encode_of_empty_is_empty() {
  std::array<char, 1> buf{'x'};
  const auto r = form::encode_to("", std::span<char>(buf.data(), 0));
  return r.ok && r.size == 0 && form::encoded_size("") == 0;
}

constexpr bool string_encode_and_append() {
  std::string s = "x=";
  form::encode_append(s, "1 2");
  return form::encode("a&b") == "a%26b" && s == "x=1+2";
}

// ---- decoding ----

constexpr bool decodes_plus_as_space_and_hex_escapes_either_case() {
  const auto f = decode_fixed<32>("a+b%2fc%2Fd%c3%A9");
  return f.ok && f.view() == "a b/c/d\xC3\xA9";
}

constexpr bool keeps_malformed_escapes_literally() {
  // WHATWG percent-decode: a '%' not followed by two hex digits is kept as it is.
  const auto f = decode_fixed<32>("%%41%4%g1%zz%");
  return f.ok && f.view() == "%A%4%g1%zz%";
}

constexpr bool percent_at_the_end_is_kept() {
  return decode_fixed<8>("ab%").view() == "ab%" && decode_fixed<8>("ab%4").view() == "ab%4" &&
         decode_fixed<8>("%").view() == "%";
}

constexpr bool decodes_nul_and_high_bytes_losslessly() {
  const auto f = decode_fixed<8>("%00%FF%80");
  return f.ok && f.size == 3 && f.buf[0] == '\0' && f.buf[1] == '\xFF' && f.buf[2] == '\x80';
}

constexpr bool encoded_plus_stays_plus() { return decode_fixed<4>("%2B+").view() == "+ "; }

constexpr bool decoded_size_counts_only_valid_escapes() {
  return form::decoded_size("%41%4") == 3 && form::decoded_size("") == 0 &&
         form::decoded_size("%%%") == 3 && form::decoded_size("%41%42%43") == 3 &&
         form::decoded_size("a+b") == 3;
}

constexpr bool decode_to_writes_nothing_when_too_small() {
  std::array<char, 3> buf{'x', 'x', 'x'};
  const auto r = form::decode_to("%41bcd", buf);
  return !r.ok && r.size == 4 && buf[0] == 'x';
}

constexpr bool needs_decoding_only_for_plus_and_percent() {
  return !form::needs_decoding("") && !form::needs_decoding("abcdefghijklmnopqrstuvwxyz") &&
         form::needs_decoding("abcdefghijklmnopqrstuvwxy+") &&
         form::needs_decoding("abcdefghijklmnopqrstuvwxy%") && form::needs_decoding("+") &&
         !form::needs_decoding("a=b&c");
}

constexpr bool decode_in_place_shrinks_and_keeps_the_tail() {
  std::array<char, 12> b{'a', '%', '4', '1', '+', '%', 'z', 'z', '%', '4', '2', '!'};
  const std::size_t n = form::decode_in_place(b);
  return n == 8 && std::string_view(b.data(), n) == "aA %zzB!";
}

constexpr bool string_decode_and_append() {
  std::string s = "x:";
  form::decode_append(s, "1+2");
  return form::decode("a%26b") == "a&b" && s == "x:1 2";
}

// ---- strict mode ----

constexpr bool strict_reports_first_malformed_escape_offset() {
  const auto r = form::check_strict("ab%41cd%4g%zz");
  return !r && r.code == form::errc::malformed_escape && r.offset == 7;
}

constexpr bool strict_accepts_valid_text() {
  const auto r = form::check_strict("a+b%2F%c3%a9");
  return static_cast<bool>(r) && r.offset == 12 && form::check_strict("") == form::check_result{};
}

constexpr bool strict_rejects_truncated_escape_at_end() {
  return form::check_strict("abc%4").offset == 3 && form::check_strict("%").offset == 0;
}

// ---- encoded_view ----

constexpr bool encoded_view_reports_sizes_lazily() {
  const form::encoded_view v("a%20b+c");
  return v.size() == 7 && v.decoded_size() == 5 && v.needs_decoding() &&
         !form::encoded_view("plain").needs_decoding() && v.encoded() == "a%20b+c" &&
         form::encoded_view().empty();
}

constexpr bool encoded_view_compares_decoded_without_allocating() {
  const form::encoded_view v("2025-06-11+11%3A57");
  return v.equals_decoded("2025-06-11 11:57") && !v.equals_decoded("2025-06-11+11%3A57") &&
         !v.equals_decoded("2025-06-11 11:5") && !v.equals_decoded("2025-06-11 11:578") &&
         form::encoded_view("").equals_decoded("") && !form::encoded_view("").equals_decoded("a") &&
         form::encoded_view("%zz").equals_decoded("%zz");
}

constexpr bool encoded_view_equals_plain_text_decoded() {
  using form::encoded_view;
  const std::optional<encoded_view> status = encoded_view("%49ssued+now");
  const std::optional<encoded_view> absent;
  return encoded_view("a+b%21") == "a b!" && "a b!" == encoded_view("a+b%21") &&
         encoded_view("a+b%21") != "a+b%21" && encoded_view("%zz") == "%zz" &&
         encoded_view() == "" && encoded_view("x") == std::string_view("x") &&
         // std::optional's comparisons use it too: false, never a trap, for an absent field.
         status == "Issued now" && status != "Issued" && !(absent == "Issued now");
}

constexpr bool encoded_views_are_equal_when_their_decodings_are() {
  using form::encoded_view;
  return encoded_view("a+b") == encoded_view("a%20b") && encoded_view("%41") == encoded_view("A") &&
         !(encoded_view("a") == encoded_view("ab")) && encoded_view("") == encoded_view() &&
         !(encoded_view("%2B") == encoded_view("+"));
}

constexpr bool encoded_view_decodes_into_caller_buffer() {
  std::array<char, 8> buf{};
  const form::encoded_view v("x%3Dy");
  const auto r = v.decode_to(buf);
  std::array<char, 2> small{};
  return r.ok && r.size == 3 && std::string_view(buf.data(), 3) == "x=y" && !v.decode_to(small);
}

// ---- fields() ----

struct pair_view {
  std::string_view name;
  std::string_view value;
};

template <std::size_t N>
constexpr bool fields_are(std::string_view body, const std::array<pair_view, N>& expected) {
  std::size_t i = 0;
  for (const form::field& f : form::fields(body)) {
    if (i == N) return false;
    if (f.name.encoded() != expected[i].name || f.value.encoded() != expected[i].value)
      return false;
    ++i;
  }
  return i == N;
}

constexpr bool fields_split_on_ampersand_then_first_equals() {
  return fields_are<3>("a=1&b=2=3&c=%26", {{{"a", "1"}, {"b", "2=3"}, {"c", "%26"}}});
}

constexpr bool fields_skip_empty_pieces() {
  return fields_are<2>("&&a=1&&&b=2&", {{{"a", "1"}, {"b", "2"}}}) && form::fields("").empty() &&
         form::fields("&&&").empty() && form::fields("&").empty();
}

constexpr bool fields_piece_without_equals_has_empty_value() {
  return fields_are<3>("flag&=v&k=", {{{"flag", ""}, {"", "v"}, {"k", ""}}});
}

constexpr bool fields_parse_the_sectigo_documentation_sample() {
  constexpr std::string_view body =
      "errorCode=0&1_orderNumber=7250060&1_orderDateTime=2025-06-11+11%3A57&1_orderStatus=Pending";
  std::size_t n = 0;
  bool date_ok = false;
  for (const auto& f : form::fields(body)) {
    ++n;
    if (f.name.equals_decoded("1_orderDateTime"))
      date_ok = f.value.equals_decoded("2025-06-11 11:57");
  }
  return n == 4 && date_ok;
}

constexpr bool fields_iterators_are_multipass() {
  const auto r = form::fields("a=1&b=2");
  auto it = r.begin();
  auto copy = it;
  ++it;
  return copy->name.encoded() == "a" && it->name.encoded() == "b" && copy != it &&
         std::ranges::distance(r) == 2 && ++copy == it && ++it == r.end();
}

constexpr bool field_offsets_come_from_the_views() {
  constexpr std::string_view body = "&x=1&&yy=2";
  std::array<std::size_t, 2> offsets{};
  std::size_t i = 0;
  for (const auto& f : form::fields(body))
    offsets[i++] = static_cast<std::size_t>(f.name.encoded().data() - body.data());
  return offsets[0] == 1 && offsets[1] == 6;
}

// ---- writers ----

constexpr bool buffer_writer_encodes_names_values_and_integers() {
  std::array<char, 64> buf{};
  form::buffer_writer w(buf);
  w.add("login Name", "a&b=c")
      .add("n", -42)
      .add("u", 18446744073709551615ULL)
      .add_encoded("x", "%20");
  return w.result().ok && w.view() == "login+Name=a%26b%3Dc&n=-42&u=18446744073709551615&x=%20" &&
         w.result().size == w.view().size();
}

constexpr bool buffer_writer_formats_extreme_integers() {
  std::array<char, 64> buf{};
  form::buffer_writer w(buf);
  w.add("a", std::numeric_limits<long long>::min()).add("b", std::int8_t{-128}).add("c", 0);
  return w.view() == "a=-9223372036854775808&b=-128&c=0";
}

constexpr bool buffer_writer_never_truncates_silently() {
  std::array<char, 10> buf{};
  form::buffer_writer w(buf);
  w.add("abc", "def").add("ghi", "jkl").add("m", "n");
  // Only whole pairs are written; a later small pair is not written after a failed one.
  return !w.result().ok && w.result().size == 19 && w.view() == "abc=def";
}

constexpr bool string_writer_appends_with_separators() {
  std::string s;
  form::string_writer w(s);
  w.add("a", "1 2").add("b", 7).add_encoded("c", "%41");
  std::string t = "pre=1";
  form::string_writer(t).add("x", "y");
  return s == "a=1+2&b=7&c=%41" && t == "pre=1&x=y";
}

// ---- UTF-8 ----

constexpr bool utf8_validation_follows_the_standard() {
  return form::is_valid_utf8("") && form::is_valid_utf8("ascii") &&
         form::is_valid_utf8("\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80") &&
         !form::is_valid_utf8("\xC0\xAF") &&          // overlong
         !form::is_valid_utf8("\xED\xA0\x80") &&      // surrogate
         !form::is_valid_utf8("\xF4\x90\x80\x80") &&  // past U+10FFFF
         !form::is_valid_utf8("\xE2\x82") &&          // truncated
         !form::is_valid_utf8("\x80");
}

constexpr bool utf8_length_counts_code_points_and_replacements() {
  return form::utf8_length("") == 0 && form::utf8_length("abc") == 3 &&
         form::utf8_length("\xC3\xA9t\xC3\xA9") == 3 &&
         form::utf8_length("\xF0\x9F\x98\x80") == 1 &&
         // E0 80: E0 expects A0..BF next, so E0 alone is one U+FFFD, 80 another.
         form::utf8_length("\xE0\x80") == 2 &&
         // A truncated 3-byte sequence is one U+FFFD (maximal subpart), then 'z'.
         form::utf8_length("\xE2\x82z") == 2;
}

constexpr bool lossy_utf8_replaces_maximal_subparts() {
  return form::to_utf8_lossy("a\xE0\x80z") == "a\xEF\xBF\xBD\xEF\xBF\xBDz" &&
         form::to_utf8_lossy("\xE2\x82z") == "\xEF\xBF\xBDz" &&
         form::to_utf8_lossy("ok \xC3\xA9") == "ok \xC3\xA9";
}

}  // namespace

TEST_SUITE("form: encoding") {
  TEST_CASE("only A-Z a-z 0-9 * - . _ are written unencoded") {
    CHECK_BOTH_WAYS(unreserved_set_is_exactly_alnum_and_star_dash_dot_underscore);
  }
  TEST_CASE("space becomes plus and every other byte uppercase %XX") {
    CHECK_BOTH_WAYS(encodes_space_as_plus_and_others_as_uppercase_hex);
  }
  TEST_CASE("all 256 byte values encode and decode back") {
    CHECK_BOTH_WAYS(encodes_every_byte_value);
  }
  TEST_CASE("encode_to writes nothing into a buffer that is too small and reports the size") {
    CHECK_BOTH_WAYS(encode_to_writes_nothing_when_too_small);
    CHECK_BOTH_WAYS(encode_to_exact_size_fits);
    CHECK_BOTH_WAYS(encode_of_empty_is_empty);
  }
  TEST_CASE("encode and encode_append build std::strings") {
    CHECK_BOTH_WAYS_STRING(string_encode_and_append);
  }
}

TEST_SUITE("form: lenient decoding (WHATWG)") {
  TEST_CASE("plus is space and %XX is decoded in either case") {
    CHECK_BOTH_WAYS(decodes_plus_as_space_and_hex_escapes_either_case);
  }
  TEST_CASE("a percent sign that starts no valid escape is kept literally") {
    CHECK_BOTH_WAYS(keeps_malformed_escapes_literally);
    CHECK_BOTH_WAYS(percent_at_the_end_is_kept);
  }
  TEST_CASE("decoding is lossless for NUL and non-UTF-8 bytes") {
    CHECK_BOTH_WAYS(decodes_nul_and_high_bytes_losslessly);
    CHECK_BOTH_WAYS(encoded_plus_stays_plus);
  }
  TEST_CASE("decoded_size counts two bytes less per valid escape") {
    CHECK_BOTH_WAYS(decoded_size_counts_only_valid_escapes);
  }
  TEST_CASE("decode_to writes nothing into a buffer that is too small") {
    CHECK_BOTH_WAYS(decode_to_writes_nothing_when_too_small);
  }
  TEST_CASE("needs_decoding is true exactly when a plus or percent is present") {
    CHECK_BOTH_WAYS(needs_decoding_only_for_plus_and_percent);
  }
  TEST_CASE("decode_in_place returns the new size") {
    CHECK_BOTH_WAYS(decode_in_place_shrinks_and_keeps_the_tail);
  }
  TEST_CASE("decode and decode_append build std::strings") {
    CHECK_BOTH_WAYS_STRING(string_decode_and_append);
  }
}

TEST_SUITE("form: strict decoding") {
  TEST_CASE("strict mode reports the offset of the first malformed escape") {
    CHECK_BOTH_WAYS(strict_reports_first_malformed_escape_offset);
    CHECK_BOTH_WAYS(strict_rejects_truncated_escape_at_end);
  }
  TEST_CASE("strict mode accepts well-formed text") { CHECK_BOTH_WAYS(strict_accepts_valid_text); }
  TEST_CASE("errors have an identifier, a sentence, and print as their identifier") {
    CHECK(form::to_string(form::errc::malformed_escape) == "malformed_escape");
    CHECK(form::to_string(form::errc::ok) == "ok");
    CHECK(form::message(form::errc::malformed_escape).find("%") != std::string_view::npos);
    std::ostringstream os;
    os << form::errc::malformed_escape << ' ' << form::check_strict("a%zz").code << ' '
       << static_cast<form::errc>(9);
    CHECK(os.str() == "malformed_escape malformed_escape unknown");
    CHECK(form::check_strict("a%zz").message() ==
          "malformed percent escape ('%' not followed by two hex digits) at byte 1");
    CHECK(form::check_strict("a%20").message() == "ok");
    std::ostringstream result;
    result << form::check_strict("%");
    CHECK(result.str() == form::check_strict("%").message());
  }
}

TEST_SUITE("form: encoded_view") {
  TEST_CASE("an encoded view knows its raw and decoded sizes") {
    CHECK_BOTH_WAYS(encoded_view_reports_sizes_lazily);
  }
  TEST_CASE("an encoded view compares with plain text without allocating") {
    CHECK_BOTH_WAYS(encoded_view_compares_decoded_without_allocating);
  }
  TEST_CASE("an encoded view == plain text compares the decoded text") {
    CHECK_BOTH_WAYS(encoded_view_equals_plain_text_decoded);
    const std::string issued = "Issued";
    CHECK(form::encoded_view("%49ssued") == issued);
  }
  TEST_CASE("an encoded view prints its decoded text, in pieces for long texts") {
    std::ostringstream os;
    os << form::encoded_view("a+%26+b") << '|' << form::encoded_view("plain") << '|'
       << form::encoded_view("%zz%4") << '|' << form::encoded_view();
    CHECK(os.str() == "a & b|plain|%zz%4|");
    // Longer than the printer's buffer, with escapes straddling its boundary.
    std::string raw, plain;
    for (int i = 0; i < 300; ++i) {
      raw += "%41b+";
      plain += "Ab ";
    }
    std::ostringstream big;
    big << form::encoded_view(raw);
    CHECK(big.str() == plain);
  }
  TEST_CASE("decode_or gives the decoded text of an optional view, or the fallback") {
    const std::optional<form::encoded_view> some = form::encoded_view("a+b");
    const std::optional<form::encoded_view> none;
    CHECK(decode_or(some, "-") == "a b");  // found by argument-dependent lookup
    CHECK(decode_or(none, "-") == "-");
    const std::optional<std::string_view> plain = "a+b";
    CHECK(form::decode_or(plain, "-") == "a+b");  // plain text is not decoded again
    CHECK(form::decode_or(std::optional<std::string_view>(), "-") == "-");
  }
  TEST_CASE("two encoded views are equal when their decodings are") {
    CHECK_BOTH_WAYS(encoded_views_are_equal_when_their_decodings_are);
  }
  TEST_CASE("an encoded view decodes into a caller buffer or a string") {
    CHECK_BOTH_WAYS(encoded_view_decodes_into_caller_buffer);
    const form::encoded_view v("a+%26+b");
    CHECK(v.decode() == "a & b");
    std::string s = ">";
    v.decode_append(s);
    CHECK(s == ">a & b");
  }
}

TEST_SUITE("form: fields") {
  TEST_CASE("a body splits on & and each piece at its first =") {
    CHECK_BOTH_WAYS(fields_split_on_ampersand_then_first_equals);
  }
  TEST_CASE("empty pieces are skipped") { CHECK_BOTH_WAYS(fields_skip_empty_pieces); }
  TEST_CASE("a piece without = has an empty value") {
    CHECK_BOTH_WAYS(fields_piece_without_equals_has_empty_value);
  }
  TEST_CASE("the sample reply from Sectigo's documentation splits into four fields") {
    CHECK_BOTH_WAYS(fields_parse_the_sectigo_documentation_sample);
  }
  TEST_CASE("fields iterators are forward iterators") {
    CHECK_BOTH_WAYS(fields_iterators_are_multipass);
  }
  TEST_CASE("a field's byte offset is its name's position in the body") {
    CHECK_BOTH_WAYS(field_offsets_come_from_the_views);
  }
}

TEST_SUITE("form: writers") {
  TEST_CASE("the buffer writer encodes names, values and integers") {
    CHECK_BOTH_WAYS(buffer_writer_encodes_names_values_and_integers);
    CHECK_BOTH_WAYS(buffer_writer_formats_extreme_integers);
  }
  TEST_CASE("the buffer writer never truncates silently") {
    CHECK_BOTH_WAYS(buffer_writer_never_truncates_silently);
  }
  TEST_CASE("the string writer appends pairs with & between them") {
    CHECK_BOTH_WAYS_STRING(string_writer_appends_with_separators);
  }
}

TEST_SUITE("form: UTF-8") {
  TEST_CASE("UTF-8 validation rejects overlongs, surrogates and truncations") {
    CHECK_BOTH_WAYS(utf8_validation_follows_the_standard);
  }
  TEST_CASE("utf8_length counts code points, one per invalid sequence") {
    CHECK_BOTH_WAYS(utf8_length_counts_code_points_and_replacements);
  }
  TEST_CASE("to_utf8_lossy replaces invalid sequences with U+FFFD as WHATWG does") {
    CHECK_BOTH_WAYS_STRING(lossy_utf8_replaces_maximal_subparts);
  }
}

// ---- run-time only: against a guard page, and against a reference model ----

namespace {

// A plain, obviously-correct model of the WHATWG parser, to compare with on random inputs.
std::vector<std::pair<std::string, std::string>> reference_parse(std::string_view body) {
  auto pct = [](std::string_view s) {
    std::string out;
    for (std::size_t i = 0; i < s.size(); ++i) {
      const char c = s[i];
      auto hex = [](char h) {
        return (h >= '0' && h <= '9') || (h >= 'a' && h <= 'f') || (h >= 'A' && h <= 'F');
      };
      if (c == '+') {
        out += ' ';
      } else if (c == '%' && i + 2 < s.size() && hex(s[i + 1]) && hex(s[i + 2])) {
        out += static_cast<char>(std::stoi(std::string(s.substr(i + 1, 2)), nullptr, 16));
        i += 2;
      } else {
        out += c;
      }
    }
    return out;
  };
  std::vector<std::pair<std::string, std::string>> out;
  std::size_t start = 0;
  while (start <= body.size()) {
    std::size_t amp = body.find('&', start);
    if (amp == std::string_view::npos) amp = body.size();
    const std::string_view piece = body.substr(start, amp - start);
    if (!piece.empty()) {
      const std::size_t eq = piece.find('=');
      if (eq == std::string_view::npos)
        out.emplace_back(pct(piece), "");
      else
        out.emplace_back(pct(piece.substr(0, eq)), pct(piece.substr(eq + 1)));
    }
    start = amp + 1;
  }
  return out;
}

std::string random_body(std::mt19937& rng) {
  static constexpr std::string_view alphabet =
      "&&==%%++aZ09-._*~ \x01\xC3\xA9\xFF"
      "fF";
  std::uniform_int_distribution<std::size_t> len(0, 40);
  std::uniform_int_distribution<std::size_t> pick(0, alphabet.size() - 1);
  std::string s(len(rng), '\0');
  for (char& c : s) c = alphabet[pick(rng)];
  return s;
}

}  // namespace

TEST_SUITE("form: against a reference model and a guard page") {
  TEST_CASE("fields and decoding agree with a plain model of the WHATWG parser") {
    std::mt19937 rng(12345);
    for (int i = 0; i < 20000; ++i) {
      const std::string body = random_body(rng);
      const gdos_test::guarded_input in(body);
      const auto expected = reference_parse(in.view());
      std::size_t k = 0;
      for (const auto& f : form::fields(in.view())) {
        REQUIRE(k < expected.size());
        CHECK(f.name.decode() == expected[k].first);
        CHECK(f.value.decode() == expected[k].second);
        CHECK(f.name.decoded_size() == expected[k].first.size());
        CHECK(f.value.equals_decoded(expected[k].second));
        ++k;
      }
      CHECK(k == expected.size());
    }
  }

  TEST_CASE("every function reads only inside its input") {
    std::mt19937 rng(777);
    for (int i = 0; i < 5000; ++i) {
      const std::string s = random_body(rng);
      const gdos_test::guarded_input in(s);
      const std::string_view v = in.view();
      std::string decoded = form::decode(v);
      CHECK(decoded.size() == form::decoded_size(v));
      CHECK(form::decode(form::encode(v)) == s);
      (void)form::check_strict(v);
      (void)form::needs_decoding(v);
      (void)form::utf8_length(v);
      (void)form::is_valid_utf8(v);
      const std::string lossy = form::to_utf8_lossy(v);
      CHECK(form::is_valid_utf8(lossy));
      CHECK(form::utf8_length(lossy) == form::utf8_length(v));
      // Decoding in place on a writable copy gives the same bytes.
      std::string copy = s;
      const std::size_t n = form::decode_in_place(copy);
      CHECK(std::string_view(copy.data(), n) == decoded);
    }
  }

  TEST_CASE("malformed escapes at the very end of the input do not read past it") {
    for (std::string_view s : {"%"sv, "%4"sv, "a%"sv, "a%F"sv, "&%"sv, "="sv, "a="sv, "+"sv}) {
      const gdos_test::guarded_input in(s);
      CHECK(form::decoded_size(in.view()) == form::decode(in.view()).size());
      CHECK_FALSE(form::check_strict(in.view()) == form::check_result{});
      for (const auto& f : form::fields(in.view())) (void)f.value.decode();
    }
  }

  TEST_CASE("the eight-byte scanner finds specials at every position") {
    for (std::size_t len = 0; len < 40; ++len) {
      for (std::size_t at = 0; at <= len; ++at) {
        std::string s(len, 'a');
        if (at < len) s[at] = (at % 2) ? '+' : '%';
        const gdos_test::guarded_input in(s);
        CHECK(form::needs_decoding(in.view()) == (at < len));
      }
    }
  }
}
