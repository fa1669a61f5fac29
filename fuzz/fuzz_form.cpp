// Invariants of the form layer (gdos/form.hpp) that must hold for every input, checked with an
// abort so that libFuzzer (or the replay main) reports the input that breaks them.
#include <gdos/form.hpp>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "fuzz_check.hpp"

namespace {

namespace form = gdos::form;

bool is_hex(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}
bool is_upper_hex(char c) { return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'F'); }
bool is_encoder_output(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '*' ||
         c == '-' || c == '.' || c == '_' || c == '+' || c == '%';
}
bool within(std::string_view outer, std::string_view inner) {
  return inner.data() >= outer.data() && inner.data() + inner.size() <= outer.data() + outer.size();
}

// (a) fields() yields exactly the non-empty '&'-separated pieces, in order, split at their
// first '=', as views into the input.
void check_fields(std::string_view input) {
  std::vector<std::string_view> pieces;
  for (std::size_t start = 0; start <= input.size();) {
    const std::size_t amp = std::min(input.find('&', start), input.size());
    if (amp != start) pieces.push_back(input.substr(start, amp - start));
    start = amp + 1;
  }
  std::size_t i = 0;
  for (const form::field& f : form::fields(input)) {
    FUZZ_CHECK(i < pieces.size());
    const std::string_view name = f.name.encoded();
    const std::string_view value = f.value.encoded();
    FUZZ_CHECK(within(input, name) && within(input, value));
    FUZZ_CHECK(name.find('&') == std::string_view::npos);
    FUZZ_CHECK(name.find('=') == std::string_view::npos);
    FUZZ_CHECK(value.find('&') == std::string_view::npos);
    const std::string_view piece = pieces[i];
    const bool has_eq = piece.find('=') != std::string_view::npos;
    std::string rebuilt(name);
    if (has_eq) rebuilt.append("=").append(value);
    FUZZ_CHECK(!rebuilt.empty());
    FUZZ_CHECK(rebuilt == piece);
    FUZZ_CHECK(name.data() == piece.data());
    ++i;
  }
  FUZZ_CHECK(i == pieces.size());
  FUZZ_CHECK(form::fields(input).empty() == pieces.empty());
}

// (b) encoding is lossless, uses only the WHATWG output alphabet with uppercase hex, and sizes
// itself exactly; (f) re-encoding what was decoded from an encoding changes nothing.
void check_encode(std::string_view input) {
  const std::string encoded = form::encode(input);
  FUZZ_CHECK(form::decode(encoded) == input);
  FUZZ_CHECK(form::encoded_size(input) == encoded.size());
  for (std::size_t i = 0; i < encoded.size(); ++i) {
    FUZZ_CHECK(is_encoder_output(encoded[i]));
    if (encoded[i] == '%') {
      FUZZ_CHECK(i + 2 < encoded.size());
      FUZZ_CHECK(is_upper_hex(encoded[i + 1]) && is_upper_hex(encoded[i + 2]));
    }
  }
  FUZZ_CHECK(form::check_strict(encoded));
  FUZZ_CHECK(form::encode(form::decode(encoded)) == encoded);

  std::string buffer(encoded.size(), '\x7f');
  const form::write_result exact = form::encode_to(input, std::span<char>(buffer));
  FUZZ_CHECK(exact.ok && exact.size == encoded.size() && buffer == encoded);
  if (!encoded.empty()) {
    std::string small(encoded.size() - 1, '\x7f');
    const form::write_result r = form::encode_to(input, std::span<char>(small));
    FUZZ_CHECK(!r.ok && r.size == encoded.size());
    FUZZ_CHECK(small == std::string(encoded.size() - 1, '\x7f'));  // nothing half-written
  }

  std::string appended = "x=";
  form::encode_append(appended, input);
  FUZZ_CHECK(appended == "x=" + encoded);
}

// (c) decoding sizes itself exactly and never truncates silently; (e) the lazy view agrees.
void check_decode(std::string_view input) {
  const std::string decoded = form::decode(input);
  FUZZ_CHECK(form::decoded_size(input) == decoded.size());
  FUZZ_CHECK(decoded.size() <= input.size());
  if (!form::needs_decoding(input)) FUZZ_CHECK(decoded == input);

  std::string buffer(decoded.size(), '\x7f');
  const form::write_result exact = form::decode_to(input, std::span<char>(buffer));
  FUZZ_CHECK(exact.ok && exact.size == decoded.size() && buffer == decoded);
  if (!decoded.empty()) {
    std::string small(decoded.size() - 1, '\x7f');
    const form::write_result r = form::decode_to(input, std::span<char>(small));
    FUZZ_CHECK(!r.ok && r.size == decoded.size());
  }

  std::string in_place(input);
  const std::size_t n = form::decode_in_place(std::span<char>(in_place));
  FUZZ_CHECK(std::string_view(in_place).substr(0, n) == decoded);

  const form::encoded_view view(input);
  FUZZ_CHECK(view.encoded() == input);
  FUZZ_CHECK(view.decoded_size() == decoded.size());
  FUZZ_CHECK(view.decode() == decoded);
  FUZZ_CHECK(view.equals_decoded(decoded));
  FUZZ_CHECK(!view.equals_decoded(decoded + "x"));
  if (!decoded.empty()) {
    std::string other = decoded;
    other.back() = static_cast<char>(other.back() ^ 1);
    FUZZ_CHECK(!view.equals_decoded(other));
  }
  // Two spellings of the same text compare equal once decoded.
  const std::string respelled = form::encode(decoded);
  FUZZ_CHECK(view == form::encoded_view(respelled));
}

// (d) strict mode accepts exactly the inputs whose every '%' starts a two-hex-digit escape, and
// reports the first one that does not.
void check_strict_mode(std::string_view input) {
  std::size_t first_bad = input.size();
  for (std::size_t i = 0; i < input.size(); ++i) {
    if (input[i] != '%') continue;
    if (i + 2 < input.size() && is_hex(input[i + 1]) && is_hex(input[i + 2])) {
      i += 2;
      continue;
    }
    first_bad = i;
    break;
  }
  const form::check_result r = form::check_strict(input);
  FUZZ_CHECK(static_cast<bool>(r) == (first_bad == input.size()));
  if (!r) {
    FUZZ_CHECK(r.code == form::errc::malformed_escape);
    FUZZ_CHECK(r.offset == first_bad);
  }
}

// A pair written by either writer reads back as one field with the same decoded name and value.
void check_writers(std::string_view input) {
  const std::size_t cut =
      input.find('\n') == std::string_view::npos ? input.size() / 2 : input.find('\n');
  const std::string_view name = input.substr(0, cut);
  const std::string_view value = input.substr(cut);

  std::string out;
  form::string_writer(out).add(name, value).add("n", 42);
  std::size_t count = 0;
  for (const form::field& f : form::fields(out)) {
    if (count == 0) {
      FUZZ_CHECK(f.name.equals_decoded(name));
      FUZZ_CHECK(f.value.equals_decoded(value));
    } else {
      FUZZ_CHECK(f.name.encoded() == "n" && f.value.encoded() == "42");
    }
    ++count;
  }
  FUZZ_CHECK(count == 2);

  std::string buffer(out.size(), '\0');
  form::buffer_writer exact{std::span<char>(buffer)};
  exact.add(name, value).add("n", 42);
  FUZZ_CHECK(exact.result().ok && exact.result().size == out.size() && exact.view() == out);
  std::string small(out.size() - 1, '\0');
  form::buffer_writer short_writer{std::span<char>(small)};
  short_writer.add(name, value).add("n", 42);
  FUZZ_CHECK(!short_writer.result().ok && short_writer.result().size == out.size());
}

// Lossy conversion always yields valid UTF-8 and is the identity on valid UTF-8, where the
// length is the number of bytes that do not continue a sequence.
void check_utf8(std::string_view input) {
  const std::string lossy = form::to_utf8_lossy(input);
  FUZZ_CHECK(form::is_valid_utf8(lossy));
  FUZZ_CHECK(form::to_utf8_lossy(lossy) == lossy);
  FUZZ_CHECK(form::utf8_length(input) <= input.size());
  if (form::is_valid_utf8(input)) {
    FUZZ_CHECK(lossy == input);
    std::size_t leads = 0;
    for (const char c : input) leads += (static_cast<unsigned char>(c) & 0xC0u) != 0x80u ? 1 : 0;
    FUZZ_CHECK(form::utf8_length(input) == leads);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  check_fields(input);
  check_encode(input);
  check_decode(input);
  check_strict_mode(input);
  check_writers(input);
  check_utf8(input);
  return 0;
}
