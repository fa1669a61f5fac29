/// @file common.hpp
/// @brief Vocabulary shared by every layer: the API's result codes, a small value-or-error
/// result type, and printing without `<ostream>`.
///
/// **One vocabulary.** Every gdos error struct names its error member `code`; every `*_errc`
/// enumeration starts with `ok = 0`; for every enumeration `to_string(e)` gives the enumerator's
/// identifier (`"body_too_large"`, `"in_progress"`), and error enumerations also have a free
/// `message(e)`, an English sentence without a final period. Error structs have a `message()`
/// member that says, in one line, what went wrong and where.
///
/// **Printing.** `os << x` works for every gdos enumeration (its to_string() identifier) and for
/// the error and view types, with any stream that takes a `std::string_view`
/// (string_view_stream): gdos never includes `<ostream>`.
#pragma once

#include <gdos/config.hpp>
#include <gdos/detail/decimal.hpp>

#include <concepts>
#include <cstdint>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>

#if defined(__STDC_HOSTED__) && __STDC_HOSTED__
#include <cstdio>
#endif

// Marks a class as a view of a std::string (clang's gsl::Pointer), so that clang's
// -Wdangling-gsl (on by default) warns when one is made to outlive a temporary string, also
// through a std::string_view or c_str() taken from it. Empty where the attribute is unknown.
#if defined(__has_cpp_attribute)
#if __has_cpp_attribute(gsl::Pointer)
#define GDOS_DETAIL_VIEW_OF_STRING [[gsl::Pointer(std::string)]]
#endif
#endif
#ifndef GDOS_DETAIL_VIEW_OF_STRING
#define GDOS_DETAIL_VIEW_OF_STRING
#endif

namespace gdos {

// ---- printing -------------------------------------------------------------------------------

/// Any stream that takes a std::string_view with `<<` (std::ostream, a doctest or fmt stream...),
/// so that printing needs no `<ostream>` in gdos' headers.
// Versions 14 and 19 of clang-format disagree on short requires-expressions.
// clang-format off
template <class Stream>
concept string_view_stream = requires(Stream& s, std::string_view v) { s << v; };
// clang-format on

namespace detail {

/// Writes `v` in decimal to `os` (no allocation, no `<charconv>`).
template <class Stream>
void print_decimal(Stream& os, std::int64_t v) {
  os << to_decimal(v).view();
}

template <class T>
inline constexpr bool is_std_string_v = false;
template <class Traits, class Alloc>
inline constexpr bool is_std_string_v<std::basic_string<char, Traits, Alloc>> = true;

/// A `std::string` (any allocator) passed as an rvalue: a temporary that dies at the end of the
/// full expression. The functions whose result views their argument have a deleted overload
/// taking it, so that `gdos::parse_response(fetch())` does not compile.
template <class T>
concept temporary_string =
    !std::is_lvalue_reference_v<T> && is_std_string_v<std::remove_cvref_t<T>>;

/// An enumeration with an identifier for each value: `to_string(e)` found by argument-dependent
/// lookup, i.e. declared in the enumeration's namespace.
template <class E>
concept named_enum = std::is_enum_v<E> && requires(E e) {
  { to_string(e) } -> std::convertible_to<std::string_view>;
};

}  // namespace detail

/// Prints a gdos enumeration as its identifier, to_string(e) (`permission_denied`,
/// `in_progress`). The two enumerations that carry any integer the server sends, api_code and
/// progress_status, print a value they do not name (is_known() false) as that integer (`-42`);
/// the others print such a value as `unknown`, as their to_string() does.
template <string_view_stream Stream, detail::named_enum E>
Stream& operator<<(Stream& os, E e) {
  if constexpr (requires { static_cast<bool>(is_known(e)); }) {
    if (!is_known(e)) {
      detail::print_decimal(os, static_cast<std::int64_t>(e));
      return os;
    }
  }
  os << std::string_view(to_string(e));
  return os;
}

// ---- the API's result codes -----------------------------------------------------------------

/// The `errorCode` of a GetDetailedOrderStatus reply. The named values are the ones the API
/// documents for this call; the enumeration's underlying type holds any other code the server
/// sends (-15 not enough credit, -42 call limit, ...) unchanged, so compare with `==` and use
/// is_known() to tell documented codes from others. Printed with `<<` as its identifier, or as
/// its integer when it is not documented.
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

/// One English sentence (without final period) saying what `c` means. The server's own text
/// (errorMessage) names the argument in question; api_error::message() rebuilds it.
[[nodiscard]] constexpr std::string_view message(api_code c) noexcept {
  switch (c) {
    case api_code::success:
      return "the request succeeded";
    case api_code::not_https:
      return "the request was not made over https";
    case api_code::unrecognised_argument:
      return "the request has an argument the API does not recognise";
    case api_code::missing_argument:
      return "the request lacks a required argument";
    case api_code::invalid_argument:
      return "the value of an argument is invalid";
    case api_code::unknown_error:
      return "an unknown error occurred on the server";
    case api_code::permission_denied:
      return "permission denied: wrong login details, a locked account, an expired password or a "
             "blocked source IP";
    case api_code::get_not_post:
      return "the request used GET rather than POST";
  }
  return "an error code this version of gdos does not know";
}

/// The integer value of `c`.
[[nodiscard]] constexpr std::int32_t to_int(api_code c) noexcept {
  return static_cast<std::int32_t>(c);
}

// ---- result ---------------------------------------------------------------------------------

namespace detail {

// Deliberately not constexpr: reaching it during constant evaluation makes the expression
// non-constant, so misuse in a static_assert is a compile error. Out of line and cold, so that
// every accessor stays a test and a branch.
[[noreturn]] GDOS_DETAIL_COLD inline void result_misuse(const char* what) noexcept {
#if defined(__STDC_HOSTED__) && __STDC_HOSTED__
  std::fputs(what, stderr);
#endif
#if defined(__GNUC__) || defined(__clang__)
  __builtin_trap();
#else
  *static_cast<volatile int*>(nullptr) = 0;
  for (;;) {
  }
#endif
}

inline constexpr const char* value_of_error =
    "gdos: result::value(), * or -> used on a result that holds an error (test the result, or "
    "use value_or(), first)\n";
inline constexpr const char* error_of_value =
    "gdos: result::error() used on a result that holds a value (test the result, or use "
    "error_or(), first)\n";

}  // namespace detail

/// A value or an error, like C++23 `std::expected` in the small (gdos targets C++20).
///
/// It holds exactly one of the two in the sense that matters: when has_value() is false the
/// value is a default-constructed T that the accessors refuse to hand out, so a failed parse
/// can never be mistaken for a half-filled result.
///
/// **Misuse traps, loudly.** value(), `*` and `->` on a result holding an error, and error() on
/// one holding a value, are precondition violations. gdos throws no exceptions, so they do not
/// throw `bad_expected_access`: on a hosted implementation they first write one line naming
/// gdos and the misuse to stderr (`gdos: result::value(), * or -> used on a result that holds an
/// error ...`), then stop the program with `__builtin_trap()` (SIGILL on x86). In a constant
/// expression the misuse is a compile error instead. value_or() and error_or() never trap.
///
/// **Temporaries.** On an lvalue result the accessors return references into it. On an rvalue
/// (a result returned by a call and not named) value(), `*` and error() return the value
/// itself, moved out: `std::string body = gdos::encode_request(r).value();` moves the string, and
/// a reference bound to a member of it (`const auto& os = (*call()).orders;`) keeps the
/// moved-out value alive instead of dangling. `->` cannot return a value, so it does not compile
/// on an rvalue result (`const auto& os = call()->orders;`, which would dangle, is refused): name
/// the result, or use `*` or value().
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

  /// The value. Precondition: has_value() (else traps, see the class comment).
  [[nodiscard]] constexpr T& value() & noexcept {
    return check(ok_, detail::value_of_error), value_;
  }
  /// The value. Precondition: has_value().
  [[nodiscard]] constexpr const T& value() const& noexcept {
    return check(ok_, detail::value_of_error), value_;
  }
  /// The value, moved out of this temporary. Precondition: has_value().
  [[nodiscard]] constexpr T value() && noexcept(std::is_nothrow_move_constructible_v<T>) {
    return check(ok_, detail::value_of_error), std::move(value_);
  }
  /// A copy of the value of this const temporary. Precondition: has_value().
  [[nodiscard]] constexpr T value() const&& { return check(ok_, detail::value_of_error), value_; }

  /// The error. Precondition: !has_value() (else traps, see the class comment).
  [[nodiscard]] constexpr const E& error() const& noexcept {
    return check(!ok_, detail::error_of_value), error_;
  }
  /// The error, moved out of this temporary. Precondition: !has_value().
  [[nodiscard]] constexpr E error() && noexcept(std::is_nothrow_move_constructible_v<E>) {
    return check(!ok_, detail::error_of_value), std::move(error_);
  }
  /// A copy of the error of this const temporary. Precondition: !has_value().
  [[nodiscard]] constexpr E error() const&& { return check(!ok_, detail::error_of_value), error_; }

  /// The value. Precondition: has_value().
  [[nodiscard]] constexpr T& operator*() & noexcept { return value(); }
  /// The value. Precondition: has_value().
  [[nodiscard]] constexpr const T& operator*() const& noexcept { return value(); }
  /// The value, moved out of this temporary. Precondition: has_value().
  [[nodiscard]] constexpr T operator*() && noexcept(std::is_nothrow_move_constructible_v<T>) {
    return std::move(*this).value();
  }
  /// A copy of the value of this const temporary. Precondition: has_value().
  [[nodiscard]] constexpr T operator*() const&& { return std::move(*this).value(); }

  /// The value. Precondition: has_value().
  [[nodiscard]] constexpr T* operator->() & noexcept { return &value(); }
  /// The value. Precondition: has_value().
  [[nodiscard]] constexpr const T* operator->() const& noexcept { return &value(); }
  /// Refused: a pointer into a temporary result dangles once the full expression ends
  /// (`const auto& os = f()->orders;`). Name the result, or use `*f()` or `f().value()`,
  /// which return the value itself.
  T* operator->() && = delete;
  /// Refused, as for a non-const temporary.
  const T* operator->() const&& = delete;

  /// The value, or `fallback` converted to T when this holds an error. Never traps.
  template <class U>
    requires std::is_convertible_v<U&&, T>
  [[nodiscard]] constexpr T value_or(U&& fallback) const& {
    return ok_ ? value_ : static_cast<T>(std::forward<U>(fallback));
  }
  /// The value moved out, or `fallback` converted to T when this holds an error.
  template <class U>
    requires std::is_convertible_v<U&&, T>
  [[nodiscard]] constexpr T value_or(U&& fallback) && {
    return ok_ ? std::move(value_) : static_cast<T>(std::forward<U>(fallback));
  }
  /// The error, or `fallback` converted to E when this holds a value. Never traps.
  template <class G>
    requires std::is_convertible_v<G&&, E>
  [[nodiscard]] constexpr E error_or(G&& fallback) const& {
    return ok_ ? static_cast<E>(std::forward<G>(fallback)) : error_;
  }
  /// The error moved out, or `fallback` converted to E when this holds a value.
  template <class G>
    requires std::is_convertible_v<G&&, E>
  [[nodiscard]] constexpr E error_or(G&& fallback) && {
    return ok_ ? static_cast<E>(std::forward<G>(fallback)) : std::move(error_);
  }

 private:
  static constexpr void check(bool ok, const char* what) noexcept {
    if (!ok) detail::result_misuse(what);
  }

  T value_{};
  E error_{};
  bool ok_;
};

}  // namespace gdos
