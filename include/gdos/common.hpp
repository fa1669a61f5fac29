/// @file common.hpp
/// @brief Vocabulary shared by the request and response layers: the API's result codes and a
/// small value-or-error result type.
#pragma once

#include <gdos/config.hpp>

#include <cstdint>
#include <string_view>
#include <type_traits>
#include <utility>

namespace gdos {

/// The `errorCode` of a GetDetailedOrderStatus reply. The named values are the ones the API
/// documents for this call; the enumeration's underlying type holds any other code the server
/// sends (-15 not enough credit, -42 call limit, ...) unchanged, so compare with `==` and use
/// is_known() to tell documented codes from others.
enum class api_code : std::int32_t {
  success = 0,                 ///< The request succeeded.
  not_https = -1,              ///< "Request was not made over https!"
  unrecognised_argument = -2,  ///< "'xxxx' is an unrecognised argument!"
  missing_argument = -3,       ///< "The 'xxxx' argument is missing!"
  invalid_argument = -4,       ///< "The value of the 'xxxx' argument is invalid!"
  unknown_error = -14,         ///< "An unknown error occurred!"
  permission_denied = -16,     ///< "Permission denied!" (wrong login or password).
  get_not_post = -17,          ///< "Request used GET rather than POST!"
};

/// True for the codes named in api_code.
[[nodiscard]] constexpr bool is_known(api_code c) noexcept {
  switch (c) {
    case api_code::success:
    case api_code::not_https:
    case api_code::unrecognised_argument:
    case api_code::missing_argument:
    case api_code::invalid_argument:
    case api_code::unknown_error:
    case api_code::permission_denied:
    case api_code::get_not_post:
      return true;
  }
  return false;
}

/// The code's identifier ("success", "not_https", ...), or "unknown" for other codes.
[[nodiscard]] constexpr std::string_view to_string(api_code c) noexcept {
  switch (c) {
    case api_code::success:
      return "success";
    case api_code::not_https:
      return "not_https";
    case api_code::unrecognised_argument:
      return "unrecognised_argument";
    case api_code::missing_argument:
      return "missing_argument";
    case api_code::invalid_argument:
      return "invalid_argument";
    case api_code::unknown_error:
      return "unknown_error";
    case api_code::permission_denied:
      return "permission_denied";
    case api_code::get_not_post:
      return "get_not_post";
  }
  return "unknown";
}

/// The integer value of `c`.
[[nodiscard]] constexpr std::int32_t to_int(api_code c) noexcept {
  return static_cast<std::int32_t>(c);
}

/// A value or an error, like C++23 `std::expected` in the small (gdos targets C++20).
///
/// It holds exactly one of the two in the sense that matters: when has_value() is false the
/// value is a default-constructed T that the accessors refuse to hand out, so a failed parse
/// can never be mistaken for a half-filled result. Accessing the wrong side is a precondition
/// violation that traps (and fails to compile in a constant expression).
template <class T, class E>
class result {
 public:
  using value_type = T;  ///< The success type.
  using error_type = E;  ///< The error type.

  // NOLINTBEGIN(google-explicit-constructor,modernize-pass-by-value): implicit, so a function
  // returns either side. By reference rather than by value: g++ 12 cannot evaluate the by-value
  // form in a constant expression when T is std::string.

  /// A success holding a copy of `v`.
  constexpr result(const T& v) : value_(v), ok_(true) {}
  /// A success holding `v`.
  constexpr result(T&& v) noexcept(std::is_nothrow_move_constructible_v<T>)
      : value_(std::move(v)), ok_(true) {}
  /// A failure holding `e`.
  constexpr result(const E& e) noexcept(std::is_nothrow_default_constructible_v<T>)
      : error_(e), ok_(false) {}
  // NOLINTEND(google-explicit-constructor,modernize-pass-by-value)

  /// True on success.
  [[nodiscard]] constexpr bool has_value() const noexcept { return ok_; }
  /// True on success.
  constexpr explicit operator bool() const noexcept { return ok_; }

  /// The value. Precondition: has_value().
  [[nodiscard]] constexpr T& value() & noexcept { return check(ok_), value_; }
  /// The value. Precondition: has_value().
  [[nodiscard]] constexpr const T& value() const& noexcept { return check(ok_), value_; }
  /// The value, moved out. Precondition: has_value().
  [[nodiscard]] constexpr T&& value() && noexcept { return check(ok_), std::move(value_); }
  /// The error. Precondition: !has_value().
  [[nodiscard]] constexpr const E& error() const noexcept { return check(!ok_), error_; }

  /// The value. Precondition: has_value().
  [[nodiscard]] constexpr T& operator*() & noexcept { return value(); }
  /// The value. Precondition: has_value().
  [[nodiscard]] constexpr const T& operator*() const& noexcept { return value(); }
  /// The value. Precondition: has_value().
  [[nodiscard]] constexpr T* operator->() noexcept { return &value(); }
  /// The value. Precondition: has_value().
  [[nodiscard]] constexpr const T* operator->() const noexcept { return &value(); }

 private:
  static constexpr void check(bool ok) noexcept {
    if (!ok) {
      // In a constant expression this call is ill-formed, which turns misuse into a
      // compile error; at run time it stops the program instead of reading the wrong side.
#if defined(__GNUC__) || defined(__clang__)
      __builtin_trap();
#else
      *static_cast<volatile int*>(nullptr) = 0;
#endif
    }
  }

  T value_{};
  E error_{};
  bool ok_;
};

}  // namespace gdos
