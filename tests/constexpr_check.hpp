/// @file constexpr_check.hpp
/// @brief Runs a constexpr check function both at compile time (static_assert) and at run
/// time (doctest CHECK), as fast_float does, so that both paths of the library are exercised.
#pragma once

#include <doctest/doctest.h>

// clang 19 cannot run libstdc++ 12's std::string in a constant expression; g++ 12 can.
#if defined(__clang__)
#define GDOS_TEST_CONSTEXPR_STRING 0
#else
#define GDOS_TEST_CONSTEXPR_STRING 1
#endif

/// Checks `fn()` in a static_assert and in a doctest CHECK.
#define CHECK_BOTH_WAYS(fn) \
  static_assert(fn());      \
  CHECK(fn())

/// As CHECK_BOTH_WAYS for checks that build std::strings: compile time only where the standard
/// library allows it.
#if GDOS_TEST_CONSTEXPR_STRING
#define CHECK_BOTH_WAYS_STRING(fn) CHECK_BOTH_WAYS(fn)
#else
#define CHECK_BOTH_WAYS_STRING(fn) CHECK(fn())
#endif
