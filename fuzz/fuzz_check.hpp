/// @file fuzz_check.hpp
/// @brief FUZZ_CHECK: an invariant check that aborts, so that libFuzzer (or the replay main)
/// reports the input that breaks it. Unlike assert, it stays on in release builds.
#pragma once

#include <cstdio>
#include <cstdlib>

#define FUZZ_CHECK(cond)                                                                  \
  do {                                                                                    \
    if (!(cond)) {                                                                        \
      std::fprintf(stderr, "%s:%d: invariant violated: %s\n", __FILE__, __LINE__, #cond); \
      std::abort();                                                                       \
    }                                                                                     \
  } while (false)
