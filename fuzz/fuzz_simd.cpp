// Differential target for detail/simd.hpp: every decoding and scanning kernel this CPU runs must
// give exactly what the portable code gives (form::detail::decode_portable and plain loops), on
// every input, in place and not, writing nothing past the decoded size. Built with GDOS_NO_SIMD
// (or off x86-64) there are no kernels and the target checks form.hpp's portable path against
// the plain loops alone.
#include <gdos/detail/simd.hpp>

#include <gdos/form.hpp>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz_check.hpp"

namespace {

int plain_hex(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool plain_valid_escape(std::string_view s, std::size_t i) {
  return s[i] == '%' && i + 2 < s.size() && plain_hex(s[i + 1]) >= 0 && plain_hex(s[i + 2]) >= 0;
}

// Sentinel bytes after the output: a kernel that writes past the decoded size changes them.
constexpr std::size_t slack = 80;
constexpr char sentinel = '\x5a';

void check_decoder(std::string_view in, const std::string& want,
                   char* (*decode)(const char*, const char*, char*)) {
  std::string out(want.size() + slack, sentinel);
  char* end = decode(in.data(), in.data() + in.size(), out.data());
  FUZZ_CHECK(static_cast<std::size_t>(end - out.data()) == want.size());
  FUZZ_CHECK(out.compare(0, want.size(), want) == 0);
  FUZZ_CHECK(out.find_first_not_of(sentinel, want.size()) == std::string::npos);

  // In place: the output replaces the start of the text, the rest of the text is untouched.
  std::string here(in);
  here.append(slack, sentinel);
  end = decode(here.data(), here.data() + in.size(), here.data());
  FUZZ_CHECK(static_cast<std::size_t>(end - here.data()) == want.size());
  FUZZ_CHECK(here.compare(0, want.size(), want) == 0);
  FUZZ_CHECK(here.compare(want.size(), in.size() - want.size(), in.substr(want.size())) == 0);
  FUZZ_CHECK(here.find_first_not_of(sentinel, in.size()) == std::string::npos);
}

char* portable(const char* p, const char* end, char* d) {
  return gdos::form::detail::decode_portable(p, end, d);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view in(reinterpret_cast<const char*>(data), size);

  // The reference: plain loops, one byte at a time.
  std::string want;
  std::size_t escapes = 0;
  std::size_t first_special = in.size();
  std::size_t first_malformed = in.size();
  for (std::size_t i = 0; i < in.size(); ++i) {
    if ((in[i] == '%' || in[i] == '+') && first_special == in.size()) first_special = i;
    if (in[i] == '%' && !plain_valid_escape(in, i) && first_malformed == in.size())
      first_malformed = i;
    escapes += plain_valid_escape(in, i) ? 1 : 0;
  }
  for (std::size_t i = 0; i < in.size(); ++i) {
    if (in[i] == '+') {
      want += ' ';
    } else if (plain_valid_escape(in, i)) {
      want += static_cast<char>(plain_hex(in[i + 1]) * 16 + plain_hex(in[i + 2]));
      i += 2;
    } else {
      want += in[i];
    }
  }
  FUZZ_CHECK(want.size() + 2 * escapes == in.size());

  check_decoder(in, want, portable);
  // form.hpp's entry points, whatever path they take.
  FUZZ_CHECK(gdos::form::decode(in) == want);
  FUZZ_CHECK(gdos::form::decoded_size(in) == want.size());
  FUZZ_CHECK(gdos::form::needs_decoding(in) == (first_special != in.size()));
  FUZZ_CHECK(gdos::form::check_strict(in).offset == first_malformed);

#if GDOS_DETAIL_X86_KERNELS
  namespace simd = gdos::detail::simd;
  const char* const b = in.data();
  const char* const e = b + in.size();
  FUZZ_CHECK(simd::count_escapes(b, e) == escapes);
  FUZZ_CHECK(static_cast<std::size_t>(simd::find_special(b, e) - b) == first_special);
  FUZZ_CHECK(static_cast<std::size_t>(simd::find_malformed(b, e) - b) == first_malformed);
  bool special = false;
  const std::size_t amp = std::min(in.find('&'), in.size());
  FUZZ_CHECK(static_cast<std::size_t>(simd::find_amp_noting_specials(b, e, special) - b) == amp);
  FUZZ_CHECK(special == (in.substr(0, amp).find_first_of("%+") != std::string_view::npos));
  check_decoder(in, want, simd::decode_sse2);
  check_decoder(in, want, [](const char* p, const char* e, char* d) {
    return simd::decode_as(simd::isa::sse2, p, e, d);
  });
  if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("popcnt")) {
    check_decoder(in, want, simd::decode_avx2);
    check_decoder(in, want, [](const char* p, const char* e, char* d) {
      return simd::decode_as(simd::isa::avx2, p, e, d);
    });
  }
  if (simd::best_isa() == simd::isa::avx512) {
    check_decoder(in, want, simd::decode_avx512);
    check_decoder(in, want, [](const char* p, const char* e, char* d) {
      return simd::decode_as(simd::isa::avx512, p, e, d);
    });
  }
  check_decoder(in, want, simd::decode);
#endif
  return 0;
}
