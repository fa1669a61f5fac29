/// @file impl/parse_response.hpp
/// @brief The bodies of gdos/parse_response.hpp: each entry point hands its text to the parser
/// of detail/reply_parser.hpp, or, with GDOS_SEPARATE_COMPILATION, at run time to the copy
/// compiled once by gdos/src.hpp. Included at the end of that header.
#pragma once

#include <gdos/config.hpp>
#include <gdos/detail/reply_parser.hpp>
#include <gdos/parse_response.hpp>

#include <span>
#include <string_view>
#include <type_traits>

namespace gdos {

#if GDOS_SEPARATE_COMPILATION
// In this mode each parser runs its template only in constant evaluation, in an `if` of its own:
// g++ drops the branch not taken before compiling it (the builtin is folded while parsing), but
// code after a `return` is compiled (early optimizations, 0.2 s for the lazy parser) before it is
// found unreachable, so the run-time call must be what follows the `if`, not what precedes it.
namespace detail {
// Defined by gdos/src.hpp, in one file of the program. Not inline and not constexpr: a call at
// run time is a call, and only constant evaluation uses the templates of detail/reply_parser.hpp
// in the calling unit (which then compiles none of their code).
[[nodiscard]] result<response, parse_error> compiled_parse_response(std::string_view body,
                                                                    const parse_options& options);
[[nodiscard]] result<decoded_response, parse_error> compiled_parse_response_in_place(
    std::span<char> body, const parse_options& options);
[[nodiscard]] result<org_details, parse_error> compiled_parse_org_details(
    std::string_view list, const parse_options& options);
[[nodiscard]] result<decoded_org_details, parse_error> compiled_parse_org_details_in_place(
    std::span<char> list, const parse_options& options);
}  // namespace detail
#endif

template <class Lazy>
constexpr result<response, parse_error> parse_response(std::string_view body,
                                                       const parse_options& options) {
#if GDOS_SEPARATE_COMPILATION
  if (GDOS_DETAIL_CONSTANT_EVALUATED())
    return detail::parse_response_impl<form::encoded_view, false, Lazy>(body.data(), body.size(),
                                                                        nullptr, options);
  return detail::compiled_parse_response(body, options);
#else
  return detail::parse_response_impl<form::encoded_view, false, Lazy>(body.data(), body.size(),
                                                                      nullptr, options);
#endif
}

template <class Lazy>
constexpr result<decoded_response, parse_error> parse_response_in_place(
    std::span<char> body, const parse_options& options) {
#if GDOS_SEPARATE_COMPILATION
  if (GDOS_DETAIL_CONSTANT_EVALUATED())
    return detail::parse_response_impl<std::string_view, true, Lazy>(body.data(), body.size(),
                                                                     body.data(), options);
  return detail::compiled_parse_response_in_place(body, options);
#else
  return detail::parse_response_impl<std::string_view, true, Lazy>(body.data(), body.size(),
                                                                   body.data(), options);
#endif
}

template <class Lazy>
constexpr result<org_details, parse_error> parse_org_details(std::string_view list,
                                                             const parse_options& options) {
#if GDOS_SEPARATE_COMPILATION
  if (GDOS_DETAIL_CONSTANT_EVALUATED())
    return detail::parse_org_details_impl<form::encoded_view, false, Lazy>(list.data(), list.size(),
                                                                           nullptr, options);
  return detail::compiled_parse_org_details(list, options);
#else
  return detail::parse_org_details_impl<form::encoded_view, false, Lazy>(list.data(), list.size(),
                                                                         nullptr, options);
#endif
}

template <class Lazy>
constexpr result<org_details, parse_error> parse_org_details(const form::encoded_view& value,
                                                             std::span<char> buffer,
                                                             const parse_options& options) {
  const auto w = value.decode_to(buffer);
  if (!w) return parse_error{response_errc::buffer_too_small, 0, {}, api_code::success, {}};
  return parse_org_details<Lazy>(std::string_view(buffer.data(), w.size), options);
}

template <class Lazy>
constexpr result<decoded_org_details, parse_error> parse_org_details_in_place(
    std::span<char> list, const parse_options& options) {
#if GDOS_SEPARATE_COMPILATION
  if (GDOS_DETAIL_CONSTANT_EVALUATED())
    return detail::parse_org_details_impl<std::string_view, true, Lazy>(list.data(), list.size(),
                                                                        list.data(), options);
  return detail::compiled_parse_org_details_in_place(list, options);
#else
  return detail::parse_org_details_impl<std::string_view, true, Lazy>(list.data(), list.size(),
                                                                      list.data(), options);
#endif
}

}  // namespace gdos
