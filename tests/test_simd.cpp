// detail/simd.hpp: every decoding and scanning kernel this CPU runs gives the bytes of the
// portable code (form::detail::decode_portable and plain loops), at every length around the
// kernels' block sizes, reads nothing past its input and writes nothing past its output (inputs
// and outputs end at a PROT_NONE page), in place and not. Built with GDOS_NO_SIMD the kernels do
// not exist and the same texts check form.hpp's portable path against the reference.
#include <gdos/detail/simd.hpp>

#include <gdos/form.hpp>

#include "guard_page.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <random>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace gdos_test {
std::string decode_by_append(std::string_view text);  // simd_result_unused.cpp
}  // namespace gdos_test

namespace {

int ref_hex(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool ref_valid_escape(std::string_view s, std::size_t i) {
  return s[i] == '%' && i + 2 < s.size() && ref_hex(s[i + 1]) >= 0 && ref_hex(s[i + 2]) >= 0;
}

// The WHATWG percent-decoding of a value, written as plainly as possible.
std::string ref_decode(std::string_view s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '+') {
      out += ' ';
    } else if (ref_valid_escape(s, i)) {
      out += static_cast<char>(ref_hex(s[i + 1]) * 16 + ref_hex(s[i + 2]));
      i += 2;
    } else {
      out += s[i];
    }
  }
  return out;
}

std::size_t ref_escapes(std::string_view s) {
  std::size_t n = 0;
  for (std::size_t i = 0; i < s.size(); ++i) n += ref_valid_escape(s, i) ? 1 : 0;
  return n;
}

std::size_t ref_special(std::string_view s) {
  const std::size_t i = s.find_first_of("%+");
  return i == std::string_view::npos ? s.size() : i;
}

std::size_t ref_malformed(std::string_view s) {
  for (std::size_t i = 0; i < s.size(); ++i)
    if (s[i] == '%' && !ref_valid_escape(s, i)) return i;
  return s.size();
}

// n bytes of "abc...zab...": plain text whose every byte differs from its neighbours.
std::string alphabet_text(std::size_t n) {
  std::string plain(n, 'a');
  for (std::size_t i = 0; i < n; ++i) plain[i] = static_cast<char>('a' + i % 26);
  return plain;
}

// Texts around every block size the kernels use (8, 16, 32, 48, 64, 96): each length up to 200
// in several fillings, and escapes, '+' and cut-off escapes placed just before, on and after
// each block edge.
std::vector<std::string> edge_texts() {
  std::vector<std::string> texts;
  for (std::size_t n = 0; n <= 200; ++n) {
    const std::string plain = alphabet_text(n);
    texts.push_back(plain);
    std::string dense;
    while (dense.size() < n) dense += "%3D";
    texts.push_back(dense.substr(0, n));  // ends in a whole or a cut-off escape
    std::string mixed;
    const char* pieces[] = {"%26", "+", "x", "%2", "%%41", "%g1", "%C3%BC", "%", "7"};
    for (std::size_t k = 0; mixed.size() < n; ++k) mixed += pieces[(k * 7 + n) % 9];
    texts.push_back(mixed.substr(0, n));
  }
  for (const std::size_t edge : {8u, 16u, 32u, 48u, 64u, 96u, 128u}) {
    for (std::size_t at = edge - 4; at <= edge + 2; ++at) {
      for (const char* what : {"%41", "+", "%4", "%", "%%41", "%zz"}) {
        for (const std::size_t tail : {0u, 1u, 2u, 3u, 17u, 70u}) {
          std::string t(at, 'b');
          t += what;
          t.append(tail, 'c');
          texts.push_back(t);
        }
      }
    }
  }
  return texts;
}

std::vector<std::string> random_texts(std::size_t count) {
  std::mt19937_64 rng(15);
  const std::string_view alphabets[] = {"%%%+aF0g9%2A", "abc%+", "%0123456789abcdefABCDEFxyz+",
                                        "abcdefghijklmnopq%+&="};
  std::vector<std::string> texts;
  for (std::size_t i = 0; i < count; ++i) {
    std::string t(rng() % 300, '\0');
    const std::size_t kind = rng() % 5;
    for (char& c : t) {
      if (kind == 4) {
        c = static_cast<char>(rng() & 0xFF);
      } else {
        const std::string_view a = alphabets[kind];
        c = a[rng() % a.size()];
      }
    }
    texts.push_back(t);
  }
  return texts;
}

}  // namespace

TEST_CASE("a unit that reaches the kernels only through decode_append decodes right") {
  std::vector<std::string> texts = edge_texts();
  texts.emplace_back("Request+was+not+made+over+https%21");
  for (const std::string& t : texts) {
    CAPTURE(t);
    CHECK(gdos_test::decode_by_append(t) == "<" + ref_decode(t));
  }
}

#if GDOS_DETAIL_X86_KERNELS

namespace {

namespace simd = gdos::detail::simd;

// The kernels this CPU runs, portable first (form.hpp's own code, the reference of the others).
std::vector<simd::isa> kernels() {
  std::vector<simd::isa> k{simd::isa::portable, simd::isa::sse2};
  if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("popcnt"))
    k.push_back(simd::isa::avx2);
  if (simd::best_isa() == simd::isa::avx512) k.push_back(simd::isa::avx512);
  return k;
}

const char* name(simd::isa k) {
  switch (k) {
    case simd::isa::portable:
      return "portable";
    case simd::isa::sse2:
      return "sse2";
    case simd::isa::avx2:
      return "avx2";
    case simd::isa::avx512:
      return "avx512";
  }
  return "?";
}

char* decode(simd::isa k, const char* p, const char* end, char* d) {
  if (k == simd::isa::portable) return gdos::form::detail::decode_portable(p, end, d);
  return simd::decode_with(k, p, end, d);
}

// One text through every kernel: out of place into an exactly sized buffer followed by a guard
// page, from an input followed by one, and in place in a buffer followed by one (the bytes past
// the decoded size must stay as they were).
void check_text(std::string_view text) {
  const std::string want = ref_decode(text);
  const gdos_test::guarded_input in(text);
  const char* const b = in.view().data();
  const char* const e = b + text.size();
  for (const simd::isa k : kernels()) {
    CAPTURE(name(k));
    CAPTURE(text);
    const gdos_test::guarded_buffer out(want.size());
    char* const end = decode(k, b, e, out.data());
    CHECK(static_cast<std::size_t>(end - out.data()) == want.size());
    CHECK(out.view() == want);

    const gdos_test::guarded_buffer here(text.size(), text);
    char* const here_end = decode(k, here.data(), here.data() + text.size(), here.data());
    REQUIRE(static_cast<std::size_t>(here_end - here.data()) == want.size());
    CHECK(here.view().substr(0, want.size()) == want);
    CHECK(here.view().substr(want.size()) == text.substr(want.size()));

    // The dispatch as decode() does it for this kernel: short texts by words.
    const gdos_test::guarded_buffer as(want.size());
    CHECK(simd::decode_as(k, b, e, as.data()) == as.data() + want.size());
    CHECK(as.view() == want);
  }
  CHECK(simd::count_escapes(b, e) == ref_escapes(text));
  bool special = false;
  const char* amp = simd::find_amp_noting_specials(b, e, special);
  const std::size_t want_amp = std::min(text.find('&'), text.size());
  CHECK(static_cast<std::size_t>(amp - b) == want_amp);
  CHECK(special == (ref_special(text.substr(0, want_amp)) != want_amp));
  CHECK(static_cast<std::size_t>(simd::find_special(b, e) - b) == ref_special(text));
  CHECK(static_cast<std::size_t>(simd::find_malformed(b, e) - b) == ref_malformed(text));
}

// Every length 0..40 (one or two 8-byte words and the 1-7 bytes after them, which the word loop
// decodes without a loop when they are plain) with '%', '+', an escape, a cut-off escape or a
// bad one at every position, alone and after an escape at the start (in place the output is
// then behind the input, so the bytes before the tail are no longer the input's).
std::vector<std::string> short_texts() {
  std::vector<std::string> texts;
  for (std::size_t n = 0; n <= 40; ++n) {
    const std::string plain = alphabet_text(n);
    texts.push_back(plain);
    for (std::size_t at = 0; at < n; ++at) {
      for (const std::string_view what : {"%", "+", "%41", "%4", "%g1", "%%41"}) {
        std::string t = plain;
        t.replace(at, std::min(what.size(), n - at), what.substr(0, n - at));
        texts.push_back(t);
        if (n >= 3 && at >= 3) {
          t.replace(0, 3, "%7E");
          texts.push_back(t);
        }
      }
    }
  }
  return texts;
}

}  // namespace

TEST_CASE("this CPU's kernels are listed, and the best one is among them") {
  const std::vector<simd::isa> k = kernels();
  CHECK(k.size() >= 2);
  bool found = false;
  for (const simd::isa x : k) found = found || x == simd::best_isa();
  CHECK(found);
  MESSAGE("kernels run here: " << k.size() - 1 << ", best " << std::string(name(simd::best_isa())));
}

TEST_CASE("every kernel decodes texts around its block edges as the reference does") {
  for (const std::string& t : edge_texts()) check_text(t);
}

TEST_CASE("every kernel decodes every short text with a special byte anywhere as the reference") {
  for (const std::string& t : short_texts()) {
    check_text(t);
    // decode() itself, whose short texts never reach a kernel, in place and not.
    const std::string want = ref_decode(t);
    const gdos_test::guarded_input in(t);
    const gdos_test::guarded_buffer out(want.size());
    CHECK(simd::decode(in.view().data(), in.view().data() + t.size(), out.data()) ==
          out.data() + want.size());
    CHECK(out.view() == want);
    const gdos_test::guarded_buffer here(t.size(), t);
    CHECK(simd::decode(here.data(), here.data() + t.size(), here.data()) ==
          here.data() + want.size());
    CHECK(here.view().substr(0, want.size()) == want);
    CHECK(here.view().substr(want.size()) == t.substr(want.size()));
  }
}

TEST_CASE("every kernel decodes random texts as the reference does") {
  for (const std::string& t : random_texts(3000)) check_text(t);
}

TEST_CASE("form.hpp's entry points use the kernels and give the reference's answers") {
  for (const std::string& t : edge_texts()) {
    CAPTURE(t);
    const std::string want = ref_decode(t);
    CHECK(gdos::form::decode(t) == want);
    CHECK(gdos::form::decoded_size(t) == want.size());
    CHECK(gdos::form::needs_decoding(t) == (ref_special(t) != t.size()));
    const gdos::form::check_result strict = gdos::form::check_strict(t);
    CHECK(strict.offset == ref_malformed(t));
    // decode_to with room for the input decodes in one pass; with less, it sizes first.
    std::string roomy(t.size(), '\x7f');
    const auto r = gdos::form::decode_to(t, std::span<char>(roomy));
    CHECK((r.ok && r.size == want.size()));
    CHECK(roomy.substr(0, want.size()) == want);
    CHECK(roomy.substr(want.size()) == std::string(t.size() - want.size(), '\x7f'));
    std::string exact(want.size(), '\x7f');
    CHECK(gdos::form::decode_to(t, std::span<char>(exact)).ok);
    CHECK(exact == want);
    if (!want.empty()) {
      std::string small(want.size() - 1, '\x7f');
      const auto s = gdos::form::decode_to(t, std::span<char>(small));
      CHECK((!s.ok && s.size == want.size()));
      CHECK(small == std::string(want.size() - 1, '\x7f'));
    }
  }
}

#else  // no kernels: the same texts through form.hpp's portable path

TEST_CASE("without SIMD kernels, form.hpp decodes the edge and random texts as the reference") {
  std::vector<std::string> texts = edge_texts();
  for (std::string& t : random_texts(3000)) texts.push_back(std::move(t));
  for (const std::string& t : texts) {
    CAPTURE(t);
    const std::string want = ref_decode(t);
    CHECK(gdos::form::decode(t) == want);
    CHECK(gdos::form::decoded_size(t) == t.size() - 2 * ref_escapes(t));
    CHECK(gdos::form::needs_decoding(t) == (ref_special(t) != t.size()));
    CHECK(gdos::form::check_strict(t).offset == ref_malformed(t));
    const gdos_test::guarded_input in(t);
    const gdos_test::guarded_buffer out(want.size());
    gdos::form::decode_unchecked(in.view(), out.data());
    CHECK(out.view() == want);
  }
}

#endif
