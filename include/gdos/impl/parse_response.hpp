/// @file impl/parse_response.hpp
/// @brief The bodies of gdos/parse_response.hpp: each entry point hands its text to the parser
/// of detail/reply_parser.hpp. Included at the end of that header.
#pragma once

#include <gdos/detail/reply_parser.hpp>
#include <gdos/parse_response.hpp>

#include <span>
#include <string_view>

namespace gdos {

template <class Lazy>
constexpr result<response, parse_error> parse_response(std::string_view body,
                                                       const parse_options& options) {
  return detail::parse_response_impl<form::encoded_view, false, Lazy>(body.data(), body.size(),
                                                                      nullptr, options);
}

template <class Lazy>
constexpr result<decoded_response, parse_error> parse_response_in_place(
    std::span<char> body, const parse_options& options) {
  return detail::parse_response_impl<std::string_view, true, Lazy>(body.data(), body.size(),
                                                                   body.data(), options);
}

template <class Lazy>
constexpr result<org_details, parse_error> parse_org_details(std::string_view list,
                                                             const parse_options& options) {
  return detail::parse_org_details_impl<form::encoded_view, false, Lazy>(list.data(), list.size(),
                                                                         nullptr, options);
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
  return detail::parse_org_details_impl<std::string_view, true, Lazy>(list.data(), list.size(),
                                                                      list.data(), options);
}

}  // namespace gdos
