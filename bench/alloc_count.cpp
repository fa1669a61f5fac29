// Counts heap allocations for the "allocs" counter of every benchmark.
//
// operator new/delete are replaced (the standard way). That alone would report GLib and libcurl
// as allocation-free, because they call malloc directly; so on glibc the malloc family is
// interposed too, forwarding to glibc's own allocator through its exported __libc_* entry points
// (glibc supports replacing malloc this way, and routes its internal calls, strdup included,
// through the replacement). operator new then allocates from __libc_malloc so a block is
// counted once. Sanitizer runtimes interpose malloc themselves, so there only operator new is
// counted.
#include "alloc_count.hpp"

#include <cerrno>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <new>

#if defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer) || \
    __has_feature(memory_sanitizer)
#define GDOS_BENCH_SANITIZED 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define GDOS_BENCH_SANITIZED 1
#endif

#if defined(__GLIBC__) && !defined(GDOS_BENCH_SANITIZED) && !defined(GDOS_BENCH_NO_MALLOC_HOOK)
#define GDOS_BENCH_COUNT_MALLOC 1
#else
#define GDOS_BENCH_COUNT_MALLOC 0
#endif

namespace {
std::uint64_t g_allocations = 0;
}  // namespace

namespace gdos_bench {
std::uint64_t allocation_count() noexcept { return g_allocations; }
bool counts_malloc() noexcept { return GDOS_BENCH_COUNT_MALLOC != 0; }
}  // namespace gdos_bench

#if GDOS_BENCH_COUNT_MALLOC

extern "C" {
void* __libc_malloc(std::size_t size) noexcept;
void* __libc_calloc(std::size_t count, std::size_t size) noexcept;
void* __libc_realloc(void* ptr, std::size_t size) noexcept;
void* __libc_memalign(std::size_t alignment, std::size_t size) noexcept;
void* __libc_valloc(std::size_t size) noexcept;
void* __libc_pvalloc(std::size_t size) noexcept;
void __libc_free(void* ptr) noexcept;

void* memalign(std::size_t alignment, std::size_t size) noexcept;
void* pvalloc(std::size_t size) noexcept;

void* malloc(std::size_t size) noexcept {
  ++g_allocations;
  return __libc_malloc(size);
}
void* calloc(std::size_t count, std::size_t size) noexcept {
  ++g_allocations;
  return __libc_calloc(count, size);
}
// A realloc that grows may move the block: it costs what an allocation costs, so it counts.
void* realloc(void* ptr, std::size_t size) noexcept {
  if (size != 0) ++g_allocations;
  return __libc_realloc(ptr, size);
}
void free(void* ptr) noexcept { __libc_free(ptr); }
void* memalign(std::size_t alignment, std::size_t size) noexcept {
  ++g_allocations;
  return __libc_memalign(alignment, size);
}
void* aligned_alloc(std::size_t alignment, std::size_t size) noexcept {
  ++g_allocations;
  return __libc_memalign(alignment, size);
}
int posix_memalign(void** out, std::size_t alignment, std::size_t size) noexcept {
  if (alignment % sizeof(void*) != 0 || (alignment & (alignment - 1)) != 0) return EINVAL;
  ++g_allocations;
  void* p = __libc_memalign(alignment, size);
  if (p == nullptr) return ENOMEM;
  *out = p;
  return 0;
}
void* valloc(std::size_t size) noexcept {
  ++g_allocations;
  return __libc_valloc(size);
}
void* pvalloc(std::size_t size) noexcept {
  ++g_allocations;
  return __libc_pvalloc(size);
}
}  // extern "C"

namespace {
void* raw_alloc(std::size_t size) noexcept { return __libc_malloc(size == 0 ? 1 : size); }
void* raw_aligned_alloc(std::size_t size, std::size_t alignment) noexcept {
  return __libc_memalign(alignment, size == 0 ? 1 : size);
}
void raw_free(void* ptr) noexcept { __libc_free(ptr); }
}  // namespace

#else

namespace {
void* raw_alloc(std::size_t size) noexcept { return std::malloc(size == 0 ? 1 : size); }
void* raw_aligned_alloc(std::size_t size, std::size_t alignment) noexcept {
  // std::aligned_alloc wants a size that is a multiple of the alignment.
  const std::size_t rounded = (size + alignment - 1) / alignment * alignment;
  return std::aligned_alloc(alignment, rounded == 0 ? alignment : rounded);
}
void raw_free(void* ptr) noexcept { std::free(ptr); }
}  // namespace

#endif

// The array forms of libstdc++ forward to these, so replacing these counts them all.
void* operator new(std::size_t size) {
  ++g_allocations;
  if (void* p = raw_alloc(size)) return p;
  throw std::bad_alloc();
}
void* operator new(std::size_t size, std::align_val_t alignment) {
  ++g_allocations;
  if (void* p = raw_aligned_alloc(size, static_cast<std::size_t>(alignment))) return p;
  throw std::bad_alloc();
}
// The non-throwing forms too: libstdc++ builds them on the two above, but a sanitizer's runtime
// defines its own, whose blocks the replaced operator delete would then free (ASan reports an
// alloc-dealloc mismatch). gdos asks for memory this way in its noexcept writers and equality.
void* operator new(std::size_t size, const std::nothrow_t&) noexcept {
  ++g_allocations;
  return raw_alloc(size);
}
void* operator new(std::size_t size, std::align_val_t alignment, const std::nothrow_t&) noexcept {
  ++g_allocations;
  return raw_aligned_alloc(size, static_cast<std::size_t>(alignment));
}
void operator delete(void* ptr, const std::nothrow_t&) noexcept { raw_free(ptr); }
void operator delete(void* ptr, std::align_val_t, const std::nothrow_t&) noexcept { raw_free(ptr); }
void operator delete(void* ptr) noexcept { raw_free(ptr); }
void operator delete(void* ptr, std::size_t) noexcept { raw_free(ptr); }
void operator delete(void* ptr, std::align_val_t) noexcept { raw_free(ptr); }
void operator delete(void* ptr, std::size_t, std::align_val_t) noexcept { raw_free(ptr); }
