/// @file config.hpp
/// @brief Compiler feature macros shared by every gdos header, and the development checks.
///
/// Three macros are for users: GDOS_LIFETIMEBOUND (it documents which argument a returned view
/// points into), GDOS_DEVELOPMENT_CHECKS (define it to 1 to turn the library's internal
/// assertions on) and GDOS_SEPARATE_COMPILATION (define it to 1 to compile the parsers once, in
/// the one file that includes gdos/src.hpp). The `GDOS_DETAIL_*` macros are the parsers'
/// code-generation hints, kept here so that every header agrees on them; they are not part of the
/// API.
#pragma once

#include <gdos/version.hpp>

#if __cplusplus < 202002L && !(defined(_MSVC_LANG) && _MSVC_LANG >= 202002L)
#error "gdos needs C++20"
#endif

/// Marks a parameter whose storage a returned view points into, so that clang warns when the
/// argument is a temporary (`-Wdangling`). Empty where the attribute is not known.
#if defined(__has_cpp_attribute)
#if __has_cpp_attribute(clang::lifetimebound)
#define GDOS_LIFETIMEBOUND [[clang::lifetimebound]]
#endif
#endif
#ifndef GDOS_LIFETIMEBOUND
#define GDOS_LIFETIMEBOUND
#endif

// ---- development checks ---------------------------------------------------------------------

#ifndef GDOS_DEVELOPMENT_CHECKS
/// 1 turns on GDOS_ASSERT, the checks of the library's internal preconditions (a destination
/// sized by the matching size function, a pointer that must not be at the end, ...). Off (0)
/// unless defined: gdos' own sanitizer and fuzz builds define it to 1. A failed check prints
/// the condition and its place on stderr and aborts; in a constant expression it is a compile
/// error. Checks cost run time, never change a result, and need `<cstdio>` and `<cstdlib>`.
#define GDOS_DEVELOPMENT_CHECKS 0
#endif

#if GDOS_DEVELOPMENT_CHECKS
#include <cstdio>
#include <cstdlib>

namespace gdos::detail {
// Deliberately not constexpr: reaching it during constant evaluation makes the expression
// non-constant, so a broken precondition in a static_assert is a compile error.
[[noreturn]] inline void assert_failed(const char* condition, const char* file, int line) noexcept {
  std::fprintf(stderr, "%s:%d: gdos development check failed: %s\n", file, line, condition);
  std::abort();
}
}  // namespace gdos::detail

/// Checks an internal precondition when GDOS_DEVELOPMENT_CHECKS is 1; does nothing (and does not
/// evaluate `cond`) otherwise. Usable in constexpr functions.
#define GDOS_ASSERT(cond) \
  ((cond) ? static_cast<void>(0) : ::gdos::detail::assert_failed(#cond, __FILE__, __LINE__))
#else
/// Checks an internal precondition when GDOS_DEVELOPMENT_CHECKS is 1; does nothing (and does not
/// evaluate `cond`) otherwise. Usable in constexpr functions.
#define GDOS_ASSERT(cond) static_cast<void>(0)
#endif

// ---- separate compilation (opt-in) ------------------------------------------------------------

#ifndef GDOS_SEPARATE_COMPILATION
/// 1 compiles the reply parsers (parse_response(), parse_response_in_place(),
/// parse_org_details(), parse_org_details_in_place()) once, in the one source file of the program
/// that includes gdos/src.hpp, instead of in every translation unit that calls one; the other
/// units call them and compile none of their code. Off (0) unless defined: gdos is header-only by
/// default. Define it the same in every translation unit of the program, like GDOS_NO_SIMD (the
/// parsers' inline definitions differ between the modes), and link the file that includes
/// gdos/src.hpp. Results are identical in both modes, and the parsers stay usable in constant
/// expressions (these evaluate the header's templates). Needs include/ (the single header has no
/// gdos/src.hpp). Why and what it saves: bench/README.md, Compile time; how: README.md, Build
/// options.
#define GDOS_SEPARATE_COMPILATION 0
#endif

// ---- code-generation hints for the parsers (not API) ----------------------------------------

#if defined(__GNUC__) || defined(__clang__)
// `x` is usually true: a hint for the parsers' hot loops, no effect on meaning.
#define GDOS_DETAIL_LIKELY(x) (__builtin_expect(!!(x), 1))
// Inlining forced for the small helpers of the parser's hot loop, which the compilers otherwise
// leave as calls in a large unit (bench/README.md, Response parsing).
#define GDOS_DETAIL_ALWAYS_INLINE [[gnu::always_inline]] inline
// Rare paths of the parsers (errors, out-of-order keys, duplicates, escaped keys): kept out of
// line and optimized for size, so that they are compiled once, small, and never inlined into the
// hot loop. This is for the compile time of a unit that calls a parser (bench/README.md, Compile
// time); run time is unchanged because these paths do not run on usual replies.
#define GDOS_DETAIL_COLD [[gnu::cold, gnu::noinline]]
#else
#define GDOS_DETAIL_LIKELY(x) (x)
#define GDOS_DETAIL_ALWAYS_INLINE inline
#define GDOS_DETAIL_COLD
#endif

// True during constant evaluation. The builtin rather than std::is_constant_evaluated(): g++
// folds it while parsing, so the branch not taken is never compiled, even at -O0, where
// std::is_constant_evaluated() is a function call. The separately compiled mode relies on it: a
// unit calling a parser at run time must not compile the parser's code.
#if defined(__GNUC__) || defined(__clang__)
#define GDOS_DETAIL_CONSTANT_EVALUATED() __builtin_is_constant_evaluated()
#else
#define GDOS_DETAIL_CONSTANT_EVALUATED() std::is_constant_evaluated()
#endif

// 1 when the parsers may scan 16 bytes at a time with SSE2 (every x86-64 target has it); 0 with
// GDOS_NO_SIMD defined or elsewhere, where they use memchr and byte loops with the same results.
// The header that uses SSE2 includes <emmintrin.h> itself, so other headers do not pay for it.
#if defined(__SSE2__) && !defined(GDOS_NO_SIMD)
#define GDOS_DETAIL_SSE2 1
#else
#define GDOS_DETAIL_SSE2 0
#endif
