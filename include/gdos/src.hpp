/// @file src.hpp
/// @brief The separately compiled part of gdos (opt-in): include it in exactly one source file
/// of a program built with GDOS_SEPARATE_COMPILATION defined to 1.
///
/// gdos is header-only by default: a translation unit that calls a reply parser compiles the
/// parser. With GDOS_SEPARATE_COMPILATION=1 in every translation unit (see config.hpp), a call at
/// run time goes instead to the functions this file defines, so the parsers are compiled once,
/// here, as Boost.Asio's `BOOST_ASIO_SEPARATE_COMPILATION` and `boost/asio/impl/src.hpp` do. The
/// one file holds nothing else:
///
///     // gdos_src.cpp, compiled with -DGDOS_SEPARATE_COMPILATION=1 like every other file
///     #include <gdos/src.hpp>
///
/// The definitions are not inline: a second file including this header is a duplicate
/// definition at link time, and a program without one lacks them (an undefined reference to
/// `gdos::detail::compiled_parse_response`, for example). Constant evaluation does not need this
/// file. Only the parsers of gdos/parse_response.hpp are compiled here; everything else stays in
/// the headers.
#pragma once

// Defines the mode when this file comes first; refuses a unit that already chose header-only.
#ifndef GDOS_SEPARATE_COMPILATION
/// This file's unit is in the separately compiled mode (see config.hpp), whether or not the build
/// defines it.
#define GDOS_SEPARATE_COMPILATION 1
#endif
#if !GDOS_SEPARATE_COMPILATION
#error "gdos/src.hpp needs GDOS_SEPARATE_COMPILATION=1 (defined before any gdos header)"
#endif

#include <gdos/parse_response.hpp>

#include <span>
#include <string_view>

namespace gdos::detail {

result<response, parse_error> compiled_parse_response(std::string_view body,
                                                      const parse_options& options) {
  return parse_response_impl<form::encoded_view, false, void>(body.data(), body.size(), nullptr,
                                                              options);
}

result<decoded_response, parse_error> compiled_parse_response_in_place(
    std::span<char> body, const parse_options& options) {
  return parse_response_impl<std::string_view, true, void>(body.data(), body.size(), body.data(),
                                                           options);
}

result<org_details, parse_error> compiled_parse_org_details(std::string_view list,
                                                            const parse_options& options) {
  return parse_org_details_impl<form::encoded_view, false, void>(list.data(), list.size(), nullptr,
                                                                 options);
}

result<decoded_org_details, parse_error> compiled_parse_org_details_in_place(
    std::span<char> list, const parse_options& options) {
  return parse_org_details_impl<std::string_view, true, void>(list.data(), list.size(), list.data(),
                                                              options);
}

}  // namespace gdos::detail
