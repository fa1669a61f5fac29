// Heap allocation counter for gdos_bench (see alloc_count.cpp).
#pragma once

#include <cstdint>

namespace gdos_bench {

/// Heap blocks handed out since the program started: every operator new and, on glibc without
/// a sanitizer, every malloc/calloc/realloc/aligned allocation too (GLib, libcurl and Poco's C
/// parts allocate with malloc, which an operator new counter alone would not see).
/// Plain, thread-unsafe counter: the benchmarks are single-threaded.
[[nodiscard]] std::uint64_t allocation_count() noexcept;

/// True when C allocations (malloc and friends) are counted, not only operator new.
[[nodiscard]] bool counts_malloc() noexcept;

}  // namespace gdos_bench
