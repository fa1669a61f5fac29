/// @file alloc_counter.hpp
/// @brief Counts heap allocations of a test executable, to prove what a parse allocates.
///
/// Including this header replaces the global `operator new` / `operator delete` of the whole
/// executable (the standard's replaceable allocation functions), so include it in exactly ONE
/// .cpp file of a test executable, and only in executables whose tests want the count. Every
/// form of operator new funnels into the two counted ones below (libstdc++ implements the
/// array and nothrow forms on top of them). Single-threaded tests only: the counter is a plain
/// integer.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <new>

namespace gdos_test {

namespace detail {
inline std::uint64_t allocation_count = 0;
}  // namespace detail

/// Heap allocations made by operator new since the program started.
[[nodiscard]] inline std::uint64_t allocations() noexcept { return detail::allocation_count; }

/// Allocations made since this object was created.
class allocation_scope {
 public:
  allocation_scope() noexcept : start_(allocations()) {}
  /// Allocations since construction.
  [[nodiscard]] std::uint64_t count() const noexcept { return allocations() - start_; }

 private:
  std::uint64_t start_;
};

}  // namespace gdos_test

// Not inlined: g++ would otherwise see std::free() meet a pointer from `new` at the call sites
// (-Wmismatched-new-delete), which is this file's whole point.
#if defined(__GNUC__) || defined(__clang__)
#define GDOS_TEST_NOINLINE [[gnu::noinline]]
#else
#define GDOS_TEST_NOINLINE
#endif

GDOS_TEST_NOINLINE void* operator new(std::size_t size) {
  ++gdos_test::detail::allocation_count;
  if (void* p = std::malloc(size == 0 ? 1 : size)) return p;
  throw std::bad_alloc();
}

GDOS_TEST_NOINLINE void* operator new(std::size_t size, std::align_val_t alignment) {
  ++gdos_test::detail::allocation_count;
  const auto a = static_cast<std::size_t>(alignment);
  // std::aligned_alloc wants a size that is a multiple of the alignment.
  const std::size_t rounded = (size + a - 1) / a * a;
  if (void* p = std::aligned_alloc(a, rounded == 0 ? a : rounded)) return p;
  throw std::bad_alloc();
}

// The non-throwing forms too: libstdc++ builds them on the two above, but ASan's runtime
// defines its own, whose blocks the replaced operator delete would then free() (ASan reports an
// alloc-dealloc mismatch). gdos asks for memory this way in its noexcept writers and equality.
GDOS_TEST_NOINLINE void* operator new(std::size_t size, const std::nothrow_t&) noexcept {
  ++gdos_test::detail::allocation_count;
  return std::malloc(size == 0 ? 1 : size);
}

GDOS_TEST_NOINLINE void* operator new(std::size_t size, std::align_val_t alignment,
                                      const std::nothrow_t&) noexcept {
  ++gdos_test::detail::allocation_count;
  const auto a = static_cast<std::size_t>(alignment);
  const std::size_t rounded = (size + a - 1) / a * a;
  return std::aligned_alloc(a, rounded == 0 ? a : rounded);
}

GDOS_TEST_NOINLINE void operator delete(void* p) noexcept { std::free(p); }
GDOS_TEST_NOINLINE void operator delete(void* p, std::size_t) noexcept { std::free(p); }
GDOS_TEST_NOINLINE void operator delete(void* p, std::align_val_t) noexcept { std::free(p); }
GDOS_TEST_NOINLINE void operator delete(void* p, std::size_t, std::align_val_t) noexcept {
  std::free(p);
}
