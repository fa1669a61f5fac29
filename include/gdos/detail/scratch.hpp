/// @file detail/scratch.hpp
/// @brief Scratch memory and a sort for it: what the parsers, the writers, equality and the
/// round-trip check use to put unknown fields in order without ever comparing all pairs.
#pragma once

#include <gdos/config.hpp>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <new>
#include <type_traits>
#include <utility>

namespace gdos::detail {

/// n zeroed Ts on the heap: 64-bit integers (`scratch`: hash keys, sort keys, positions, flags)
/// or bytes. Not a std::vector: each vector type is some fifty small functions that a unit
/// calling a parser instantiates and optimizes (bench/README.md, Compile time); this is a
/// handful.
///
/// Two ways to get it: `basic_scratch(n)` throws std::bad_alloc like any allocation;
/// `basic_scratch(n, no_throw)` is empty when the memory is not there, for the noexcept
/// functions (the writers into caller memory, equality), which then take a slower path that
/// needs none.
template <class T>
class basic_scratch {
 public:
  /// Tag of the constructor that does not throw.
  struct no_throw_t {};
  static constexpr no_throw_t no_throw{};

  constexpr basic_scratch() noexcept = default;
  constexpr explicit basic_scratch(std::size_t n) : p_(get(n, false)), n_(n) { zero(); }
  constexpr basic_scratch(std::size_t n, no_throw_t) noexcept : p_(get(n, true)) {
    if (p_ != nullptr) n_ = n;
    zero();
  }
  basic_scratch(const basic_scratch&) = delete;
  basic_scratch& operator=(const basic_scratch&) = delete;
  constexpr ~basic_scratch() {
    if (p_ == nullptr) return;
    // Constant evaluation allocates through std::allocator (the only way it can); run time
    // through the global operator new, which also has a form that does not throw.
    if (std::is_constant_evaluated())
      std::allocator<T>{}.deallocate(p_, n_);
    else
      ::operator delete(p_);
  }
  constexpr void swap(basic_scratch& o) noexcept {
    std::swap(p_, o.p_);
    std::swap(n_, o.n_);
  }
  [[nodiscard]] constexpr std::size_t size() const noexcept { return n_; }
  [[nodiscard]] constexpr bool empty() const noexcept { return n_ == 0; }
  [[nodiscard]] constexpr T* data() noexcept { return p_; }
  [[nodiscard]] constexpr const T* data() const noexcept { return p_; }
  [[nodiscard]] constexpr T& operator[](std::size_t i) noexcept { return p_[i]; }
  [[nodiscard]] constexpr const T& operator[](std::size_t i) const noexcept { return p_[i]; }

 private:
  [[nodiscard]] static constexpr T* get(std::size_t n, bool nothrow) {
    if (n == 0) return nullptr;
    if (std::is_constant_evaluated()) return std::allocator<T>{}.allocate(n);
    // n counts elements of something the caller holds, each at least this big.
    GDOS_ASSERT(n <= static_cast<std::size_t>(-1) / sizeof(T));
    const std::size_t bytes = n * sizeof(T);
    return static_cast<T*>(nothrow ? ::operator new(bytes, std::nothrow) : ::operator new(bytes));
  }
  constexpr void zero() noexcept {
    for (std::size_t i = 0; i < n_; ++i) std::construct_at(p_ + i, T{});
  }

  T* p_ = nullptr;
  std::size_t n_ = 0;
};

/// Scratch 64-bit integers.
using scratch = basic_scratch<std::uint64_t>;

/// Sorts v[from, to) by `less` in O(n log n) without allocating; returns at once when already
/// sorted. (Not std::sort: its instantiations cost several times this one's compile time, and
/// these sorts run only on out-of-order input.)
template <class Less>
constexpr void heap_sort(scratch& v, std::size_t from, std::size_t to, const Less& less) {
  const std::size_t n = to - from;
  bool sorted = true;
  for (std::size_t i = from + 1; i < to && sorted; ++i) sorted = !less(v[i], v[i - 1]);
  if (sorted) return;
  const auto at = [&v, from](std::size_t i) -> std::uint64_t& { return v[from + i]; };
  const auto sift_down = [&at, &less](std::size_t i, std::size_t size) {
    for (;;) {
      std::size_t c = 2 * i + 1;
      if (c >= size) return;
      if (c + 1 < size && less(at(c), at(c + 1))) ++c;
      if (!less(at(i), at(c))) return;
      std::swap(at(i), at(c));
      i = c;
    }
  };
  for (std::size_t i = n / 2; i-- > 0;) sift_down(i, n);
  for (std::size_t end = n; end > 1; --end) {
    std::swap(at(0), at(end - 1));
    sift_down(0, end - 1);
  }
}

/// heap_sort() of the whole of v.
template <class Less>
constexpr void heap_sort(scratch& v, const Less& less) {
  heap_sort(v, 0, v.size(), less);
}

/// Sorts the n integers at `v` by `less`, stably, with `tmp` (n integers) for room: a bottom-up
/// merge sort, O(n log n) comparisons in sequential passes whatever the input.
template <class Less>
GDOS_DETAIL_COLD constexpr void merge_sort(std::uint64_t* v, std::uint64_t* tmp, std::size_t n,
                                           const Less& less) {
  std::uint64_t* in = v;
  std::uint64_t* out = tmp;
  for (std::size_t width = 1; width < n; width *= 2) {
    for (std::size_t lo = 0; lo < n; lo += 2 * width) {
      const std::size_t mid = lo + width < n ? lo + width : n;
      const std::size_t hi = lo + 2 * width < n ? lo + 2 * width : n;
      std::size_t i = lo;
      std::size_t j = mid;
      std::size_t k = lo;
      while (i < mid && j < hi) out[k++] = less(in[j], in[i]) ? in[j++] : in[i++];
      while (i < mid) out[k++] = in[i++];
      while (j < hi) out[k++] = in[j++];
    }
    std::swap(in, out);
  }
  if (in != v)
    for (std::size_t i = 0; i < n; ++i) v[i] = in[i];
}

/// Sorts the n integers at `keys` by their bits from `lo` up, stably (keys that agree in those
/// bits keep their order), moving the n integers at `vals` (unless null) along: a least
/// significant digit radix sort, one pass per byte in which the keys do not all agree: O(n)
/// for keys of a fixed width whatever their values. `tmp` holds n integers (2n with `vals`),
/// `count` 256.
GDOS_DETAIL_COLD constexpr void radix_sort(std::uint64_t* keys, std::uint64_t* vals, std::size_t n,
                                           unsigned lo, std::uint64_t* tmp,
                                           std::uint64_t* count) noexcept {
  if (n < 2) return;
  std::uint64_t* k_in = keys;
  std::uint64_t* v_in = vals;
  std::uint64_t* k_out = tmp;
  std::uint64_t* v_out = vals != nullptr ? tmp + n : nullptr;
  // The bits in which the keys differ: a byte without any is skipped without a pass.
  std::uint64_t any = 0;
  std::uint64_t all = ~std::uint64_t{0};
  for (std::size_t i = 0; i < n; ++i) {
    any |= keys[i];
    all &= keys[i];
  }
  for (unsigned shift = lo; shift < 64; shift += 8) {
    if ((((any ^ all) >> shift) & 0xFF) == 0) continue;
    for (std::size_t d = 0; d < 256; ++d) count[d] = 0;
    for (std::size_t i = 0; i < n; ++i) ++count[(k_in[i] >> shift) & 0xFF];
    std::uint64_t sum = 0;
    for (std::size_t d = 0; d < 256; ++d) {
      const std::uint64_t c = count[d];
      count[d] = sum;
      sum += c;
    }
    for (std::size_t i = 0; i < n; ++i) {
      const auto at = static_cast<std::size_t>(count[(k_in[i] >> shift) & 0xFF]++);
      k_out[at] = k_in[i];
      if (v_in != nullptr) v_out[at] = v_in[i];
    }
    std::swap(k_in, k_out);
    std::swap(v_in, v_out);
  }
  if (k_in != keys) {
    for (std::size_t i = 0; i < n; ++i) keys[i] = k_in[i];
    if (vals != nullptr)
      for (std::size_t i = 0; i < n; ++i) vals[i] = v_in[i];
  }
}

/// Plain integer order, a named type so that every sort of integer keys is one instantiation.
struct less_u64 {
  constexpr bool operator()(std::uint64_t a, std::uint64_t b) const noexcept { return a < b; }
};

}  // namespace gdos::detail
