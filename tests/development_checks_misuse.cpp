// A must-not-compile test (tests/compile_check.py): with GDOS_DEVELOPMENT_CHECKS on, a broken
// internal precondition inside a constant expression is a compile error (GDOS_ASSERT reaches a
// function that is not constexpr); without GDOS_MISUSE the same file compiles, so the error is
// the broken precondition and nothing else.
#define GDOS_DEVELOPMENT_CHECKS 1
#include <gdos/form.hpp>

constexpr char first_decoded(const char* p, const char* end) {
  return gdos::form::detail::next_decoded(p, end);
}

constexpr char text[] = "a+b";

#ifdef GDOS_MISUSE
static_assert(first_decoded(text, text) == 'a');  // p == end: the precondition is broken
#else
static_assert(first_decoded(text, text + 3) == 'a');
#endif

int main() { return 0; }
