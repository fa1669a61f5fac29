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
    const auto page = static_cast<std::size_t>(::sysconf(_SC_PAGESIZE));
    const std::size_t data_pages = (size_ + page - 1) / page;
    mapped_size_ = (data_pages + 1) * page;
    void* base =
        ::mmap(nullptr, mapped_size_, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (base == MAP_FAILED) throw std::system_error(errno, std::generic_category(), "mmap");
    base_ = static_cast<char*>(base);
    char* guard = base_ + data_pages * page;
    data_ = guard - size_;
    if (size_ != 0) std::memcpy(data_, bytes.data(), size_);
    if (::mprotect(guard, page, PROT_NONE) != 0 ||
        (data_pages != 0 && ::mprotect(base_, data_pages * page, PROT_READ) != 0)) {
      const int err = errno;
      release();
      throw std::system_error(err, std::generic_category(), "mprotect");
    }
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

}  // namespace gdos_test
