/// @file config.hpp
/// @brief Compiler feature macros shared by every gdos header.
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

// Branch hints for the parsers' hot loops.
#if defined(__GNUC__) || defined(__clang__)
/// Tells the compiler that `x` is usually true (a hint for hot loops, no effect on meaning).
#define GDOS_LIKELY(x) (__builtin_expect(!!(x), 1))
/// Tells the compiler that `x` is usually false (a hint for hot loops, no effect on meaning).
#define GDOS_UNLIKELY(x) (__builtin_expect(!!(x), 0))
#else
/// `x` itself: this compiler takes no branch hints.
#define GDOS_LIKELY(x) (x)
/// `x` itself: this compiler takes no branch hints.
#define GDOS_UNLIKELY(x) (x)
#endif
