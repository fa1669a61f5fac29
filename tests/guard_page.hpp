/// @file guard_page.hpp
/// @brief Test inputs that end flush against an unreadable page, so that any read past the end
/// faults at once, with or without a sanitizer (the picohttpparser technique).
#pragma once

#include <sys/mman.h>
#include <unistd.h>

#include <cerrno>
#include <cstddef>
#include <cstring>
#include <string_view>
#include <system_error>
#include <utility>

namespace gdos_test {

namespace detail {

/// Maps fresh pages for `size` bytes followed by one more page, then makes that page
/// `PROT_NONE` and the data pages `data_prot`. Returns the mapping; `data` gets the address
/// `size` bytes before the guard page. Throws std::system_error (test code only).
inline char* map_guarded(std::size_t size, int data_prot, std::size_t& mapped_size, char*& data,
                         std::string_view initial) {
  const auto page = static_cast<std::size_t>(::sysconf(_SC_PAGESIZE));
  const std::size_t data_pages = (size + page - 1) / page;
  mapped_size = (data_pages + 1) * page;
  void* base =
      ::mmap(nullptr, mapped_size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (base == MAP_FAILED) throw std::system_error(errno, std::generic_category(), "mmap");
  char* b = static_cast<char*>(base);
  char* guard = b + data_pages * page;
  data = guard - size;
  if (!initial.empty()) std::memcpy(data, initial.data(), initial.size());
  if (::mprotect(guard, page, PROT_NONE) != 0 ||
      (data_pages != 0 && data_prot != (PROT_READ | PROT_WRITE) &&
       ::mprotect(b, data_pages * page, data_prot) != 0)) {
    const int err = errno;
    ::munmap(base, mapped_size);
    throw std::system_error(err, std::generic_category(), "mprotect");
  }
  return b;
}

}  // namespace detail

/// A read-only copy of some bytes whose last byte is immediately followed by a `PROT_NONE` page.
///
/// Reading `view().data()[view().size()]` (or anything later) raises SIGSEGV; writing to the
/// bytes raises SIGSEGV too, which catches code that modifies its input. An empty input's
/// `view().data()` points at the guard page itself. The view lives as long as the object.
/// Allocation failures throw `std::system_error` (test code only; the library never throws).
class guarded_input {
 public:
  /// Copies `bytes` to the end of fresh read-only pages followed by a guard page.
  explicit guarded_input(std::string_view bytes) : size_(bytes.size()) {
    base_ = detail::map_guarded(size_, PROT_READ, mapped_size_, data_, bytes);
  }

  guarded_input(const guarded_input&) = delete;
  guarded_input& operator=(const guarded_input&) = delete;

  /// Takes over `other`'s pages; `other` is left empty (its view is an empty string_view).
  guarded_input(guarded_input&& other) noexcept
      : base_(std::exchange(other.base_, nullptr)),
        mapped_size_(std::exchange(other.mapped_size_, 0)),
        data_(std::exchange(other.data_, nullptr)),
        size_(std::exchange(other.size_, 0)) {}

  /// Releases this object's pages and takes over `other`'s.
  guarded_input& operator=(guarded_input&& other) noexcept {
    if (this != &other) {
      release();
      base_ = std::exchange(other.base_, nullptr);
      mapped_size_ = std::exchange(other.mapped_size_, 0);
      data_ = std::exchange(other.data_, nullptr);
      size_ = std::exchange(other.size_, 0);
    }
    return *this;
  }

  ~guarded_input() { release(); }

  /// The copied bytes; valid until this object is destroyed or moved from.
  [[nodiscard]] std::string_view view() const noexcept { return {data_, size_}; }

 private:
  void release() noexcept {
    if (base_ != nullptr) ::munmap(base_, mapped_size_);
    base_ = nullptr;
    mapped_size_ = 0;
    data_ = nullptr;
    size_ = 0;
  }

  char* base_ = nullptr;
  std::size_t mapped_size_ = 0;
  char* data_ = nullptr;
  std::size_t size_ = 0;
};

/// Writable memory whose last byte is immediately followed by a `PROT_NONE` page: writing (or
/// reading) `data()[size()]` raises SIGSEGV. For output buffers sized exactly, and for inputs
/// decoded in place. The bytes start as a copy of `initial` (the rest, if any, zero).
class guarded_buffer {
 public:
  /// `size` writable bytes, the first `initial.size()` (at most `size`) copied from `initial`.
  explicit guarded_buffer(std::size_t size, std::string_view initial = {})
      : base_(detail::map_guarded(size, PROT_READ | PROT_WRITE, mapped_size_, data_,
                                  initial.substr(0, size))),
        size_(size) {}

  guarded_buffer(const guarded_buffer&) = delete;
  guarded_buffer& operator=(const guarded_buffer&) = delete;
  guarded_buffer(guarded_buffer&&) = delete;
  guarded_buffer& operator=(guarded_buffer&&) = delete;
  ~guarded_buffer() { ::munmap(base_, mapped_size_); }

  /// The first byte; `data() + size()` is the guard page.
  [[nodiscard]] char* data() const noexcept { return data_; }
  /// Number of writable bytes before the guard page.
  [[nodiscard]] std::size_t size() const noexcept { return size_; }
  /// The bytes as text.
  [[nodiscard]] std::string_view view() const noexcept { return {data_, size_}; }

 private:
  std::size_t mapped_size_ = 0;
  char* data_ = nullptr;
  char* base_;
  std::size_t size_;
};

}  // namespace gdos_test
