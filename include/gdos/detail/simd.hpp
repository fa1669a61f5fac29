/// @file detail/simd.hpp
/// @brief The percent-decoding and scanning kernels behind form.hpp, for x86-64: SSE2 (every
/// x86-64 CPU), AVX2 and AVX-512 (VBMI2), the best one chosen at run time. Not API.
///
/// Every kernel gives exactly the bytes of the portable code in form.hpp (tests/test_simd.cpp
/// and fuzz/fuzz_simd.cpp compare them), reads nothing outside `[p, end)`, and writes only the
/// output it was asked for: past the decoded size nothing is written, also when decoding in
/// place. The run-time choice reads the CPU's features through `__builtin_cpu_supports` (the
/// compiler runtime's table, filled before `main`; unfilled, it says "no", which selects SSE2,
/// still correct). Each kernel is an `inline` function with a `target` attribute, so every
/// translation unit has the same definitions whatever `-m` flags it was compiled with.
///
/// Written with the compilers' vector extensions and a few `__builtin_ia32_*` functions (the
/// ones `<immintrin.h>` wraps) rather than that header: it costs a translation unit about 0.3 s
/// of g++ time to read, for the half-dozen operations used here (bench/README.md, Compile time).
///
/// Defining GDOS_NO_SIMD (the same in every translation unit) leaves these kernels out: form.hpp
/// then uses its portable code everywhere.
#pragma once

#include <gdos/config.hpp>

#include <array>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>

#if GDOS_DETAIL_SSE2 && defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define GDOS_DETAIL_X86_KERNELS 1
#else
#define GDOS_DETAIL_X86_KERNELS 0
#endif

#if GDOS_DETAIL_X86_KERNELS

namespace gdos::detail::simd {

/// The kernels there are; `portable` is form.hpp's own code.
enum class isa : std::uint8_t { portable, sse2, avx2, avx512 };

/// The best kernel this CPU runs: AVX-512 needs BW, VBMI (byte permute), VBMI2 (byte compress)
/// and BMI2 (every CPU with VBMI2 has VL and BMI2, but they are checked anyway), AVX2 needs
/// AVX2 (and POPCNT, which every AVX2 CPU has); every x86-64 CPU has SSE2.
[[nodiscard]] inline isa best_isa() noexcept {
  if (__builtin_cpu_supports("avx512vbmi2") && __builtin_cpu_supports("avx512vbmi") &&
      __builtin_cpu_supports("avx512bw") && __builtin_cpu_supports("bmi2"))
    return isa::avx512;
  if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("popcnt")) return isa::avx2;
  return isa::sse2;
}

/// best_isa(), read once during static initialization: its four feature tests at every call
/// of decode() cost 14-17 % of decoding the values of a reply (bench: decode_values against
/// decode_values_kernel/avx512, whose kernel is fixed). A decode() that runs before this
/// initializer (from another one) reads zero, `portable`: the word loop, the same bytes.
inline const isa chosen_isa = [] {
  __builtin_cpu_init();  // a constructor that runs before libgcc's would read "no" everywhere
  return best_isa();
}();

// ---- vectors -------------------------------------------------------------------------------

// GCC's and clang's own spellings of __m128i as a byte vector (`char`, as the __builtin_ia32_*
// functions take it), unsigned bytes and two words. Comparisons give -1 / 0 per byte.
using v16 = char __attribute__((vector_size(16)));
using u16 = unsigned char __attribute__((vector_size(16)));
using q16 = std::uint64_t __attribute__((vector_size(16)));

[[nodiscard]] GDOS_DETAIL_ALWAYS_INLINE std::uint64_t load64(const char* p) noexcept {
  std::uint64_t w;
  std::memcpy(&w, p, 8);
  return w;
}
[[nodiscard]] GDOS_DETAIL_ALWAYS_INLINE std::uint32_t load32(const char* p) noexcept {
  std::uint32_t w;
  std::memcpy(&w, p, 4);
  return w;
}
GDOS_DETAIL_ALWAYS_INLINE void store64(char* p, std::uint64_t w) noexcept { std::memcpy(p, &w, 8); }

[[nodiscard]] GDOS_DETAIL_ALWAYS_INLINE v16 load16(const char* p) noexcept {
  v16 v;
  std::memcpy(&v, p, 16);
  return v;
}
GDOS_DETAIL_ALWAYS_INLINE void store16(char* p, v16 v) noexcept { std::memcpy(p, &v, 16); }

/// The first n bytes at p (n <= 16) in a vector whose other bytes are 0, reading exactly
/// [p, p+n): two overlapping word loads, never a byte past the end.
[[nodiscard]] GDOS_DETAIL_ALWAYS_INLINE v16 load_partial(const char* p, std::size_t n) noexcept {
  std::uint64_t lo = 0;
  std::uint64_t hi = 0;
  if (n >= 8) {
    lo = load64(p);
    // Bytes 8..n-1 are the top n-8 bytes of the word that ends at p+n.
    if (n > 8) hi = load64(p + n - 8) >> (8 * (16 - n));
  } else if (n >= 4) {
    lo = load32(p) | (std::uint64_t{load32(p + n - 4)} << (8 * (n - 4)));
  } else if (n != 0) {
    lo = static_cast<unsigned char>(p[0]) |
         (std::uint64_t{static_cast<unsigned char>(p[n / 2])} << (8 * (n / 2))) |
         (std::uint64_t{static_cast<unsigned char>(p[n - 1])} << (8 * (n - 1)));
  }
  return reinterpret_cast<v16>(q16{lo, hi});
}

[[nodiscard]] GDOS_DETAIL_ALWAYS_INLINE unsigned movemask(v16 v) noexcept {
  return static_cast<unsigned>(__builtin_ia32_pmovmskb128(v));
}

/// Bit i set when byte i of v is '%' or '+'.
[[nodiscard]] GDOS_DETAIL_ALWAYS_INLINE unsigned specials(v16 v) noexcept {
  return movemask(reinterpret_cast<v16>((v == '%') | (v == '+')));
}

/// Per byte of v: its value as a hex digit in `value`, -1 in the returned mask when it is one.
[[nodiscard]] GDOS_DETAIL_ALWAYS_INLINE v16 hex_digits(v16 v, v16& value) noexcept {
  const u16 u = reinterpret_cast<u16>(v);
  const u16 digit = u - static_cast<unsigned char>('0');
  const u16 letter = (u | static_cast<unsigned char>(0x20)) - static_cast<unsigned char>('a');
  const v16 is_digit = reinterpret_cast<v16>(digit <= 9);
  const v16 is_letter = reinterpret_cast<v16>(letter <= 5);
  value = (reinterpret_cast<v16>(digit) & is_digit) |
          (reinterpret_cast<v16>(letter + static_cast<unsigned char>(10)) & is_letter);
  return is_digit | is_letter;
}

/// A block of 16 input bytes decoded in a vector, before the bytes that escapes consumed are
/// removed. v0, v1, v2 are the input at the block, one and two bytes further.
struct block {
  v16 out;          // each byte decoded: '+' as ' ', a valid escape's '%' as its byte
  unsigned escape;  // bit i: a valid escape starts at byte i
};

[[nodiscard]] GDOS_DETAIL_ALWAYS_INLINE block decode_block(v16 v0, v16 v1, v16 v2) noexcept {
  v16 h1;
  v16 h2;
  const v16 ok = hex_digits(v1, h1) & hex_digits(v2, h2);
  const v16 esc = (v0 == '%') & ok;
  const v16 plus = v0 == '+';
  const v16 byte =
      reinterpret_cast<v16>((reinterpret_cast<u16>(h1) << 4) | reinterpret_cast<u16>(h2));
  v16 out = (v0 & ~plus) | (plus & ' ');
  out = (out & ~esc) | (byte & esc);
  return {out, movemask(esc)};
}

/// Byte i of `lanes`: the position of the i-th set bit of a byte mask (then 0x80: zeros), the
/// pshufb control that packs the kept bytes of 8 to the front.
inline constexpr std::array<std::uint64_t, 256> pack_table = [] {
  std::array<std::uint64_t, 256> t{};
  for (std::size_t m = 0; m < 256; ++m) {
    std::uint64_t lanes = 0x8080808080808080ULL;
    std::size_t k = 0;
    for (std::size_t i = 0; i < 8; ++i) {
      if ((m >> i) & 1u) {
        lanes &= ~(std::uint64_t{0xFF} << (8 * k));
        lanes |= std::uint64_t{i} << (8 * k);
        ++k;
      }
    }
    t[m] = lanes;
  }
  return t;
}();

// ---- scalar steps -------------------------------------------------------------------------

/// Each byte's value as a hex digit, -1 for the others: a lookup, because digits and letters
/// alternate in escapes (`%3D`, `%2B`) and a test per class mispredicts.
inline constexpr std::array<signed char, 256> hex_nibbles = [] {
  std::array<signed char, 256> t{};
  for (auto& v : t) v = -1;
  for (int c = '0'; c <= '9'; ++c)
    t[static_cast<std::size_t>(c)] = static_cast<signed char>(c - '0');
  for (int c = 'a'; c <= 'f'; ++c)
    t[static_cast<std::size_t>(c)] = static_cast<signed char>(c - 'a' + 10);
  for (int c = 'A'; c <= 'F'; ++c)
    t[static_cast<std::size_t>(c)] = static_cast<signed char>(c - 'A' + 10);
  return t;
}();

[[nodiscard]] GDOS_DETAIL_ALWAYS_INLINE int hex_nibble(char c) noexcept {
  return hex_nibbles[static_cast<unsigned char>(c)];
}

/// Decodes the one output byte at p (p != end) into *d; returns the input consumed (1 or 3).
GDOS_DETAIL_ALWAYS_INLINE std::size_t decode_one(const char* p, const char* end, char* d) noexcept {
  const char c = *p;
  if (c == '+') {
    *d = ' ';
    return 1;
  }
  if (c == '%' && end - p >= 3) {
    const int hi = hex_nibble(p[1]);
    const int lo = hex_nibble(p[2]);
    if ((hi | lo) >= 0) {
      *d = static_cast<char>((hi << 4) | lo);
      return 3;
    }
  }
  *d = c;
  return 1;
}

// ---- the masks of a whole text ----------------------------------------------------------------

/// Runs fn(specials, escapes, malformed, base) over [p, end) in blocks of 16 (each mask's bit i
/// is byte base+i; bits past the end are 0) until fn returns true. `escapes` has a bit for
/// every valid `%XX`, `malformed` for every other '%'. Loads never leave [p, end).
template <class Fn>
GDOS_DETAIL_ALWAYS_INLINE void scan_masks(const char* p, const char* end, Fn&& fn) noexcept {
  while (end - p >= 18) {
    const v16 v0 = load16(p);
    const unsigned sp = specials(v0);
    if (sp != 0) {
      v16 h;
      const v16 ok = hex_digits(load16(p + 1), h) & hex_digits(load16(p + 2), h);
      const v16 pct = v0 == '%';
      if (fn(sp, movemask(pct & ok), movemask(pct & ~ok), p)) return;
    }
    p += 16;
  }
  while (p < end) {
    const auto n = static_cast<std::size_t>(end - p);
    const std::size_t m = n < 16 ? n : 16;
    const v16 v0 = load_partial(p, m);
    const unsigned sp = specials(v0);
    if (sp != 0) {
      v16 h;
      const v16 ok = hex_digits(load_partial(p + 1, n - 1 < 16 ? n - 1 : 16), h) &
                     hex_digits(load_partial(p + 2, n < 2 ? 0 : (n - 2 < 16 ? n - 2 : 16)), h);
      const v16 pct = v0 == '%';
      const unsigned live = m == 16 ? 0xFFFFu : (1u << m) - 1;
      if (fn(sp & live, movemask(pct & ok) & live, movemask(pct & ~ok) & live, p)) return;
    }
    p += m;
  }
}

/// First '%' or '+' in [p, end), or end.
[[nodiscard]] inline const char* find_special(const char* p, const char* end) noexcept {
  while (end - p >= 16) {
    const unsigned sp = specials(load16(p));
    if (sp != 0) return p + std::countr_zero(sp);
    p += 16;
  }
  if (p == end) return end;
  const unsigned sp = specials(load_partial(p, static_cast<std::size_t>(end - p)));
  return sp != 0 ? p + std::countr_zero(sp) : end;
}

/// Number of valid `%XX` escapes in [p, end). They cannot overlap (the digits of one are no
/// '%'), so each '%' is judged on its own.
[[nodiscard]] inline std::size_t count_escapes(const char* p, const char* end) noexcept {
  std::size_t n = 0;
  scan_masks(p, end, [&n](unsigned, unsigned esc, unsigned, const char*) {
    n += static_cast<std::size_t>(std::popcount(esc));
    return false;
  });
  return n;
}

/// The first '%' in [p, end) that starts no valid escape, or end.
[[nodiscard]] inline const char* find_malformed(const char* p, const char* end) noexcept {
  const char* r = end;
  scan_masks(p, end, [&r](unsigned, unsigned, unsigned bad, const char* base) {
    if (bad == 0) return false;
    r = base + std::countr_zero(bad);
    return true;
  });
  return r;
}

/// First '&' in [p, end), or end; `special` tells whether a '%' or '+' comes before it. The
/// in-place parser's value scan: a value without either needs no decoding, and finding that out
/// in the same pass as its end costs nearly nothing.
[[nodiscard]] inline const char* find_amp_noting_specials(const char* p, const char* end,
                                                          bool& special) noexcept {
  unsigned seen = 0;
  while (end - p >= 16) {
    const v16 v = load16(p);
    const unsigned amp = movemask(reinterpret_cast<v16>(v == '&'));
    const unsigned sp = specials(v);
    if (amp != 0) {
      // Specials at or after the '&' belong to the next field.
      special = ((seen | (sp & (amp ^ (amp - 1)))) != 0);
      return p + std::countr_zero(amp);
    }
    seen |= sp;
    p += 16;
  }
  for (; p != end && *p != '&'; ++p) seen |= (*p == '%' || *p == '+') ? 1u : 0u;
  special = seen != 0;
  return p;
}

// ---- decoding -----------------------------------------------------------------------------------
//
// Every kernel steps through the text in blocks at fixed offsets (16 or 32 bytes): the next
// block's loads never wait for this block's result, which is what makes them fast (a step that
// depended on where the last escape ended cost a full chain of latencies per block). An escape
// that starts in a block's last two bytes consumes the first bytes of the next one: `carry`
// tells the next block which of its first bytes to drop.
//
// Output rules every kernel keeps: bytes are written only inside [d, d + decoded size); in place
// (d == p at the start, so d <= p throughout) a store never reaches input not yet loaded. Where
// a kernel stores more bytes than a block yields (two 8-byte halves of a packed block), it does
// so only while at least 48 bytes remain: the rest then decodes to at least 16 bytes, so the
// extra bytes are still inside the output (later blocks overwrite them), and a store at d <= p
// of at most 16 bytes ends before p + 16, where the next block starts. The last bytes are
// written exactly (masked stores, or decode_words()).

/// High bit of each byte of w that is '%' or '+' (exact for the lowest one); 0 when none is.
[[nodiscard]] GDOS_DETAIL_ALWAYS_INLINE std::uint64_t special_bytes(std::uint64_t w) noexcept {
  const std::uint64_t pct = w ^ 0x2525252525252525ULL;
  const std::uint64_t plus = w ^ 0x2B2B2B2B2B2B2B2BULL;
  return ((pct - 0x0101010101010101ULL) & ~pct & 0x8080808080808080ULL) |
         ((plus - 0x0101010101010101ULL) & ~plus & 0x8080808080808080ULL);
}
/// Decodes [p, end) at d eight bytes at a time: a word without '%' or '+' is copied whole, the
/// bytes before a special one singly. The last 1-7 bytes, when the word before them was copied
/// whole and they are plain, are one store of the word that ends at `end` (its first bytes
/// rewritten with what they already hold), else singly. Exact, and safe in place (each word is
/// read before the output, which is never ahead of the input, reaches it). The short texts, and
/// the last bytes of the SSE2 and AVX2 kernels.
[[nodiscard]] GDOS_DETAIL_ALWAYS_INLINE char* decode_words(const char* p, const char* end,
                                                           char* d) noexcept {
  bool after_plain = false;  // the last step copied the word before p whole
  std::uint64_t prev = 0;    // that word
  while (end - p >= 8) {
    const std::uint64_t w = load64(p);
    const std::uint64_t m = special_bytes(w);
    if (m == 0) {
      store64(d, w);
      d += 8;
      p += 8;
      after_plain = true;
      prev = w;
      continue;
    }
    after_plain = false;
    const int k = std::countr_zero(m) >> 3;
    for (int i = 0; i < k; ++i) d[i] = p[i];
    d += k;
    p += k;
    if (*p == '+') {
      *d++ = ' ';
      ++p;
    } else if (end - p >= 3 && (hex_nibble(p[1]) | hex_nibble(p[2])) >= 0) {
      *d++ = static_cast<char>((hex_nibble(p[1]) << 4) | hex_nibble(p[2]));
      p += 3;
    } else {
      *d++ = '%';
      ++p;
    }
  }
  if (after_plain && p != end) {
    // The top r bytes of the word that ends at `end` are the tail; below them go the last
    // 8 - r bytes of prev, already output as they are. In place, [end - 8, p) may already hold
    // output, so those bytes come from prev, not from memory.
    const auto r = static_cast<std::size_t>(end - p);
    const unsigned low = 8 * static_cast<unsigned>(8 - r);
    const std::uint64_t w = ((load64(end - 8) >> low) << low) | (prev >> (8 * r));
    if (special_bytes(w) == 0) {
      store64(d + r - 8, w);
      return d + r;
    }
  }
  while (p != end) p += decode_one(p, end, d++);
  return d;
}

/// The SSE2 kernel: 16-byte blocks copied whole up to the first '%' or '+', the rest decoded
/// eight bytes at a time by decode_words(). SSE2 has no byte shuffle to pack a decoded block
/// with, and going back and forth between vectors and words on escaped text cost more than
/// staying with words.
[[nodiscard]] inline char* decode_sse2(const char* p, const char* end, char* d) noexcept {
  while (end - p >= 16) {
    const v16 v0 = load16(p);
    if (specials(v0) != 0) break;
    store16(d, v0);
    p += 16;
    d += 16;
  }
  return decode_words(p, end, d);
}

/// A decoded block packed with pshufb: its bytes in the low `low_count` bytes of the first half
/// of `packed` and the rest at the start of the second half (zeros after each).
struct packed_block {
  q16 packed;
  std::size_t low_count;
  std::size_t count;
};

/// Decodes the block v0 (v1, v2: the input one and two bytes further), keeps the bytes of
/// `keep` (bit i: byte i) less those that escapes consumed, and packs them, in order.
[[gnu::target("avx2,popcnt")]] [[nodiscard]] inline packed_block pack_block(
    v16 v0, v16 v1, v16 v2, unsigned keep, unsigned& escapes) noexcept {
  const block b = decode_block(v0, v1, v2);
  escapes = b.escape;
  // An escape at i removes bytes i+1 and i+2.
  keep &= ~((b.escape << 1) | (b.escape << 2));
  const unsigned lo = keep & 0xFFu;
  const unsigned hi = (keep >> 8) & 0xFFu;
  const q16 control{pack_table[lo], pack_table[hi] + 0x0808080808080808ULL};
  const v16 packed = __builtin_ia32_pshufb128(b.out, reinterpret_cast<v16>(control));
  const auto low_count = static_cast<std::size_t>(std::popcount(lo));
  return {reinterpret_cast<q16>(packed), low_count,
          low_count + static_cast<std::size_t>(std::popcount(hi))};
}

// 32-byte vectors for the AVX2 kernel; 32-byte blocks halve the work per byte of the 16-byte
// blocks on long escaped texts (a suggestedOrgDetails value).
using v32 = char __attribute__((vector_size(32)));
using u32 = unsigned char __attribute__((vector_size(32)));
using q32 = std::uint64_t __attribute__((vector_size(32)));

/// A 32-byte block decoded and packed: 8-byte groups, each holding the kept bytes of 8 input
/// bytes at its start, `count[i]` of them.
struct packed_block32 {
  q32 packed;
  std::array<unsigned, 4> count;
};

[[gnu::target("avx2,popcnt")]] [[nodiscard]] GDOS_DETAIL_ALWAYS_INLINE packed_block32
pack_block32(v32 v0, v32 v1, v32 v2, unsigned& carry) noexcept {
  const u32 u1 = reinterpret_cast<u32>(v1);
  const u32 u2 = reinterpret_cast<u32>(v2);
  // Each byte's value as a hex digit and whether it is one, as hex_digits().
  const u32 d1 = u1 - static_cast<unsigned char>('0');
  const u32 l1 = (u1 | static_cast<unsigned char>(0x20)) - static_cast<unsigned char>('a');
  const u32 d2 = u2 - static_cast<unsigned char>('0');
  const u32 l2 = (u2 | static_cast<unsigned char>(0x20)) - static_cast<unsigned char>('a');
  const v32 ok = reinterpret_cast<v32>(((d1 <= 9) | (l1 <= 5)) & ((d2 <= 9) | (l2 <= 5)));
  // A digit's `l` is above 0xC0 and a letter's `d` above 16: the smaller is the value.
  const u32 h1 = d1 < l1 + 10 ? d1 : l1 + 10;
  const u32 h2 = d2 < l2 + 10 ? d2 : l2 + 10;
  const v32 esc = (v0 == '%') & ok;
  const v32 plus = v0 == '+';
  const v32 byte = reinterpret_cast<v32>(((h1 << 4) & static_cast<unsigned char>(0xF0)) | h2);
  v32 out = (v0 & ~plus) | (plus & ' ');
  out = (out & ~esc) | (byte & esc);
  // An escape at i removes bytes i+1 and i+2; those past byte 31 are the next block's.
  const std::uint64_t e = static_cast<unsigned>(__builtin_ia32_pmovmskb256(esc));
  const std::uint64_t removed = (e << 1) | (e << 2) | carry;
  carry = static_cast<unsigned>(removed >> 32);
  const auto keep = static_cast<unsigned>(~removed);
  const std::array<unsigned, 4> k = {keep & 0xFFu, (keep >> 8) & 0xFFu, (keep >> 16) & 0xFFu,
                                     keep >> 24};
  // pshufb indexes within each 16-byte lane: the second group of each lane starts at 8.
  const q32 control{pack_table[k[0]], pack_table[k[1]] + 0x0808080808080808ULL, pack_table[k[2]],
                    pack_table[k[3]] + 0x0808080808080808ULL};
  const v32 packed = __builtin_ia32_pshufb256(out, reinterpret_cast<v32>(control));
  return {reinterpret_cast<q32>(packed),
          {static_cast<unsigned>(std::popcount(k[0])), static_cast<unsigned>(std::popcount(k[1])),
           static_cast<unsigned>(std::popcount(k[2])), static_cast<unsigned>(std::popcount(k[3]))}};
}

/// The AVX2 kernel: while at least 96 bytes remain, 32-byte blocks decoded whole in vectors
/// and packed with pshufb, stored as four 8-byte groups one after the other; then 16-byte
/// blocks while 48 remain; the rest by the SSE2 kernel.
[[gnu::target("avx2,popcnt")]] [[nodiscard]] inline char* decode_avx2(const char* p,
                                                                      const char* end,
                                                                      char* d) noexcept {
  unsigned carry = 0;  // bit i: byte i of this block belongs to the last block's escape
  while (end - p >= 96) {
    v32 v0;
    std::memcpy(&v0, p, 32);
    if ((static_cast<unsigned>(__builtin_ia32_pmovmskb256((v0 == '%') | (v0 == '+'))) | carry) ==
        0) {
      std::memcpy(d, &v0, 32);
      p += 32;
      d += 32;
      continue;
    }
    v32 v1;
    v32 v2;
    std::memcpy(&v1, p + 1, 32);
    std::memcpy(&v2, p + 2, 32);
    const packed_block32 b = pack_block32(v0, v1, v2, carry);
    store64(d, b.packed[0]);
    d += b.count[0];
    store64(d, b.packed[1]);
    d += b.count[1];
    store64(d, b.packed[2]);
    d += b.count[2];
    store64(d, b.packed[3]);
    d += b.count[3];
    p += 32;
  }
  while (end - p >= 48) {
    const v16 v0 = load16(p);
    if ((specials(v0) | carry) == 0) {
      store16(d, v0);
      p += 16;
      d += 16;
      continue;
    }
    unsigned esc = 0;
    const packed_block b = pack_block(v0, load16(p + 1), load16(p + 2), ~carry & 0xFFFFu, esc);
    carry = ((esc << 1) | (esc << 2)) >> 16;
    // Two 8-byte stores: the packed low half, then the high half right after its last byte.
    store64(d, b.packed[0]);
    store64(d + b.low_count, b.packed[1]);
    d += b.count;
    p += 16;
  }
  // The last block's escape may own the first one or two bytes left (carry 0b01 or 0b11).
  p += std::popcount(carry);
  return decode_sse2(p, end, d);
}

// ---- AVX-512 (BW, VBMI2): 64-byte blocks, masks, masked loads and stores, byte compress
// -----------

#define GDOS_DETAIL_AVX512_TARGET \
  gnu::target("avx2,popcnt,bmi,bmi2,avx512f,avx512vl,avx512bw,avx512vbmi,avx512vbmi2")

// __m512i as 64 bytes and as eight words; a 64-bit mask, bit i for byte i.
using v64 = char __attribute__((vector_size(64)));
using q64 = std::uint64_t __attribute__((vector_size(64)));
using mask64 = unsigned long long;

/// Lanes [0, n) of a 64-byte vector as a mask (n may be negative or past 64).
[[GDOS_DETAIL_AVX512_TARGET]] [[nodiscard]] GDOS_DETAIL_ALWAYS_INLINE mask64
lanes64(std::ptrdiff_t n) noexcept {
  return n >= 64 ? ~0ULL : n <= 0 ? 0ULL : __builtin_ia32_bzhi_di(~0ULL, static_cast<mask64>(n));
}

[[GDOS_DETAIL_AVX512_TARGET]] [[nodiscard]] GDOS_DETAIL_ALWAYS_INLINE v64
load_masked(const char* p, mask64 mask) noexcept {
  // Bytes outside the mask are neither read (no fault, no sanitizer report) nor kept (zero).
#if defined(__clang__)
  return __builtin_ia32_loaddquqi512_mask(reinterpret_cast<const v64*>(p), v64{}, mask);
#else
  return __builtin_ia32_loaddquqi512_mask(p, v64{}, mask);
#endif
}

[[GDOS_DETAIL_AVX512_TARGET]] GDOS_DETAIL_ALWAYS_INLINE void store_masked(char* p, v64 v,
                                                                          mask64 mask) noexcept {
#if defined(__clang__)
  __builtin_ia32_storedquqi512_mask(reinterpret_cast<v64*>(p), v, mask);
#else
  __builtin_ia32_storedquqi512_mask(p, v, mask);
#endif
}

/// The bytes where a and b are equal.
[[GDOS_DETAIL_AVX512_TARGET]] [[nodiscard]] GDOS_DETAIL_ALWAYS_INLINE mask64 equal(v64 a,
                                                                                   v64 b) noexcept {
  return __builtin_ia32_cmpb512_mask(a, b, 0, ~0ULL);
}

/// Byte i: from `set` where bit i of m is set, from `clear` elsewhere.
[[GDOS_DETAIL_AVX512_TARGET]] [[nodiscard]] GDOS_DETAIL_ALWAYS_INLINE v64
select(mask64 m, v64 set, v64 clear) noexcept {
#if defined(__clang__)
  return __builtin_ia32_selectb_512(m, set, clear);
#else
  return __builtin_ia32_blendmb_512_mask(clear, set, m);
#endif
}

/// Table lookup: byte i of the result is table[v[i] & 63] (vpermb, AVX512-VBMI).
[[GDOS_DETAIL_AVX512_TARGET]] [[nodiscard]] GDOS_DETAIL_ALWAYS_INLINE v64 lookup(v64 table,
                                                                                 v64 v) noexcept {
#if defined(__clang__)
  return __builtin_ia32_permvarqi512(table, v);
#else
  return __builtin_ia32_permvarqi512_mask(table, v, v64{}, ~0ULL);
#endif
}

/// Indexed by the low 6 bits of a byte: the top two bits it must have to be a hex digit
/// ('0'-'9': 00, 'A'-'F' and 'a'-'f': 01), 0xFF when no hex digit has these low bits; and the
/// digit's value. One vpermb each answers "is it a hex digit" and "which".
inline constexpr std::array<char, 64> hex_class_table = [] {
  std::array<char, 64> t{};
  for (auto& c : t) c = static_cast<char>(0xFF);
  for (int c = '0'; c <= '9'; ++c) t[c & 63] = static_cast<char>(c & 0xC0);
  for (int c = 'A'; c <= 'F'; ++c) t[c & 63] = static_cast<char>(c & 0xC0);
  for (int c = 'a'; c <= 'f'; ++c) t[c & 63] = static_cast<char>(c & 0xC0);
  return t;
}();
inline constexpr std::array<char, 64> hex_value_table = [] {
  std::array<char, 64> t{};
  for (int c = '0'; c <= '9'; ++c) t[c & 63] = static_cast<char>(c - '0');
  for (int c = 'A'; c <= 'F'; ++c) t[c & 63] = static_cast<char>(c - 'A' + 10);
  for (int c = 'a'; c <= 'f'; ++c) t[c & 63] = static_cast<char>(c - 'a' + 10);
  return t;
}();

/// The hex tables and constants of the AVX-512 kernel, loaded once per call.
struct avx512_constants {
  v64 classes;
  v64 values;
  v64 top_bits;
  v64 space;
};

/// The 64 bytes of a table as a vector, loaded from memory. The empty asm hides the table's
/// contents from the optimizer: g++ 12 folded the load of hex_value_table, whose constant
/// initializer leaves most bytes zero, to an all-zero vector in an IPA-SRA clone of the kernel
/// (made when a caller ignores its result: form::decode_append), and every escape decoded to 0.
[[GDOS_DETAIL_AVX512_TARGET]] [[nodiscard]] GDOS_DETAIL_ALWAYS_INLINE v64
load_table(const std::array<char, 64>& table) noexcept {
  const char* p = table.data();
  __asm__("" : "+r"(p));
  v64 v;
  std::memcpy(&v, p, 64);
  return v;
}

[[GDOS_DETAIL_AVX512_TARGET]] [[nodiscard]] GDOS_DETAIL_ALWAYS_INLINE avx512_constants
load_avx512_constants() noexcept {
  avx512_constants k;
  k.classes = load_table(hex_class_table);
  k.values = load_table(hex_value_table);
  k.top_bits = v64{} + static_cast<char>(0xC0);
  k.space = v64{} + ' ';
  return k;
}

/// Decodes the block v0 (the bytes of `live`; v1, v2: the input one and two bytes further) to
/// d, dropping the bytes of `carry`; returns the bytes written and sets `carry` for the next
/// block.
[[GDOS_DETAIL_AVX512_TARGET]] [[nodiscard]] GDOS_DETAIL_ALWAYS_INLINE int decode_block64(
    const avx512_constants& k, v64 v0, v64 v1, v64 v2, mask64 live, mask64& carry,
    char* d) noexcept {
  const mask64 pct = equal(v0, v64{} + '%');
  const mask64 plus = equal(v0, v64{} + '+');
  const mask64 esc = pct & equal(lookup(k.classes, v1), v1 & k.top_bits) &
                     equal(lookup(k.classes, v2), v2 & k.top_bits);
  // Values are below 16, so shifting 64-bit lanes moves nothing across bytes.
  const v64 byte = reinterpret_cast<v64>((reinterpret_cast<q64>(lookup(k.values, v1)) << 4) |
                                         reinterpret_cast<q64>(lookup(k.values, v2)));
  const v64 out = select(esc, byte, select(plus, k.space, v0));
  // An escape at i removes bytes i+1 and i+2; those past byte 63 are the next block's.
  const mask64 removed = (esc << 1) | (esc << 2) | carry;
  carry = (((esc >> 63) | (esc >> 62)) & 1) | ((esc >> 63) << 1);
  const mask64 keep = ~removed & live;
  const int count = std::popcount(keep);
  store_masked(d, __builtin_ia32_compressqi512_mask(out, v64{}, keep),
               __builtin_ia32_bzhi_di(~0ULL, static_cast<mask64>(count)));
  return count;
}

/// The AVX-512 kernel's loop: 64 bytes a step, every load and store masked to the text (a
/// masked-off byte is not read, so cannot fault), so the last step is like the others and every
/// store is exact. A block without '%' or '+' is stored as it is: most values of a reply are
/// plain, and their decoded length is then known without waiting for the decoding.
[[GDOS_DETAIL_AVX512_TARGET]] [[gnu::noinline]] [[nodiscard]] inline char* decode_avx512_blocks(
    const char* p, const char* end, char* d) noexcept {
  const avx512_constants k = load_avx512_constants();
  mask64 carry = 0;  // bit i: byte i of this block belongs to the last block's escape
  while (p < end) {
    const std::ptrdiff_t n = end - p;
    const bool whole = n >= 66;  // the block and the two bytes after it are all text
    const mask64 live = lanes64(n);
    v64 v0;
    if (whole)
      std::memcpy(&v0, p, 64);
    else
      v0 = load_masked(p, live);
    const std::ptrdiff_t step = n >= 64 ? 64 : n;
    if ((equal(v0, v64{} + '%') | equal(v0, v64{} + '+') | carry) == 0) {
      store_masked(d, v0, live);
    } else {
      v64 v1;
      v64 v2;
      if (whole) {
        std::memcpy(&v1, p + 1, 64);
        std::memcpy(&v2, p + 2, 64);
      } else {
        v1 = load_masked(p + 1, lanes64(n - 1));
        v2 = load_masked(p + 2, lanes64(n - 2));
      }
      d += decode_block64(k, v0, v1, v2, live, carry, d) - step;
    }
    p += step;
    d += step;
  }
  return d;
}

/// The AVX-512 kernel, for texts of any length. A text of at most 64 bytes (most names and
/// values of a reply) is one block, without a loop: when it has no '%' or '+', one masked load,
/// two compares and one masked store, no constant loaded. Longer texts go to
/// decode_avx512_blocks(), kept out of line so that its prologue is not paid by short texts.
[[GDOS_DETAIL_AVX512_TARGET]] [[nodiscard]] inline char* decode_avx512(const char* p,
                                                                       const char* end,
                                                                       char* d) noexcept {
  const std::ptrdiff_t n = end - p;
  if (n <= 64) {
    // bzhi keeps every bit at n = 64; [p + 1, end) and [p + 2, end) are live >> 1 and >> 2.
    const mask64 live = __builtin_ia32_bzhi_di(~0ULL, static_cast<mask64>(n));
    const v64 v = load_masked(p, live);
    if ((equal(v, v64{} + '%') | equal(v, v64{} + '+')) == 0) {
      store_masked(d, v, live);
      return d + n;
    }
    // One block, the last: as decode_avx512_blocks() decodes it, without its loop.
    const avx512_constants k = load_avx512_constants();
    mask64 carry = 0;
    const v64 v1 = load_masked(p + 1, live >> 1);
    const v64 v2 = load_masked(p + 2, live >> 2);
    return d + decode_block64(k, v, v1, v2, live, carry, d);
  }
  return decode_avx512_blocks(p, end, d);
}

#undef GDOS_DETAIL_AVX512_TARGET

/// Decodes [p, end) at d with the given kernel (one this CPU runs).
[[nodiscard]] inline char* decode_with(isa k, const char* p, const char* end, char* d) noexcept {
  switch (k) {
    case isa::avx512:
      return decode_avx512(p, end, d);
    case isa::avx2:
      return decode_avx2(p, end, d);
    case isa::sse2:
    case isa::portable:
      break;
  }
  return decode_sse2(p, end, d);
}

/// Decodes [p, end) at d as decode() does with kernel k (one this CPU runs; `portable` means
/// words only). AVX-512 takes every text: its masked loads and stores make a text of up to 64
/// bytes one step without a loop. For the others, short texts (most names and values of a
/// reply) are decoded eight bytes at a time (decode_words(), inline): under 64 bytes, where
/// SSE2's and AVX2's vectors do not pay for their set-up and a call.
[[nodiscard]] GDOS_DETAIL_ALWAYS_INLINE char* decode_as(isa k, const char* p, const char* end,
                                                        char* d) noexcept {
  if (k == isa::avx512) return decode_avx512(p, end, d);
  if (k != isa::portable && end - p >= 64)
    return k == isa::avx2 ? decode_avx2(p, end, d) : decode_sse2(p, end, d);
  return decode_words(p, end, d);
}

/// decode() on the CPUs without AVX-512 (and before chosen_isa is set). Not forced inline: g++
/// 12 keeps it out of line (a weak symbol in gdos_bench), so that the word loop's constants and
/// saved registers stay out of decode()'s callers.
[[nodiscard]] inline char* decode_without_avx512(const char* p, const char* end, char* d) noexcept {
  return decode_as(chosen_isa, p, end, d);
}

/// Decodes [p, end) at d with the best kernel of this CPU (chosen_isa; see decode_as()): one
/// test and one call, inlined into its callers. With the word loop inside it, g++ 12 kept it
/// (or form::decode_unchecked(), which inlines it) out of line, a call for every text whose
/// prologue saved five registers for the word loop's constants even on the way to the AVX-512
/// kernel.
[[nodiscard]] GDOS_DETAIL_ALWAYS_INLINE char* decode(const char* p, const char* end,
                                                     char* d) noexcept {
  if (chosen_isa == isa::avx512) return decode_avx512(p, end, d);
  return decode_without_avx512(p, end, d);
}

}  // namespace gdos::detail::simd

#endif  // GDOS_DETAIL_X86_KERNELS
